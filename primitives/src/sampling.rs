//! Deterministic sampling from a 32-byte seed, shared by chain-driven placement, restoral
//! openings and audit challenges (no_std).
//!
//! Draw `k` of a [`SeedStream`] is the first 8 bytes (little endian) of
//! `Blake2b-256(domain ‖ seed ‖ le32(k))`. A value below `n` is taken from a draw by
//! multiply-shift ([`uniform_below`]): the bias is below `n / 2^64`, i.e. under `2^-32` for any
//! `n < 2^32`, which is what every caller draws over.

use crate::merkle::blake2_256_parts;
use alloc::collections::BTreeMap;

/// `⌊x · bound / 2^64⌋`: maps a uniform 64-bit `x` into `0..bound` (`bound > 0`) with a bias
/// below `bound / 2^64`.
pub fn uniform_below(x: u64, bound: u64) -> u64 {
	((u128::from(x) * u128::from(bound)) >> 64) as u64
}

/// The little-endian `u64` in the first 8 bytes of `bytes`.
///
/// # Panics
/// If `bytes` is shorter than 8 bytes.
pub fn le_u64(bytes: &[u8]) -> u64 {
	u64::from_le_bytes(bytes[..8].try_into().expect("at least 8 bytes"))
}

/// A deterministic stream of 64-bit draws bound to a domain and a seed.
#[derive(Clone, Debug)]
pub struct SeedStream<'d> {
	domain: &'d [u8],
	seed: [u8; 32],
	counter: u32,
}

impl<'d> SeedStream<'d> {
	/// A stream starting at draw 0.
	pub fn new(domain: &'d [u8], seed: [u8; 32]) -> Self {
		Self { domain, seed, counter: 0 }
	}

	/// The next draw.
	pub fn next_u64(&mut self) -> u64 {
		let d = blake2_256_parts(&[self.domain, &self.seed, &self.counter.to_le_bytes()]);
		self.counter = self.counter.wrapping_add(1);
		le_u64(&d)
	}

	/// The next draw mapped into `0..bound` (`bound > 0`) by [`uniform_below`].
	pub fn below(&mut self, bound: u64) -> u64 {
		uniform_below(self.next_u64(), bound)
	}

	/// A value in `0..bound` (`bound > 0`) from two draws: 128 random bits reduced modulo
	/// `bound`, so the bias is below `bound / 2^128`.
	pub fn below_u128(&mut self, bound: u128) -> u128 {
		let hi = u128::from(self.next_u64());
		let lo = u128::from(self.next_u64());
		(hi << 64 | lo) % bound
	}

	/// `min(count, total)` distinct values of `0..total` by a partial Fisher–Yates shuffle, one
	/// draw each, in draw order. Cost: O(count · log count) whatever `total` is.
	pub fn distinct(&mut self, count: u32, total: u32) -> Distinct<'_, 'd> {
		Distinct { stream: self, total, next: 0, count: count.min(total), swapped: BTreeMap::new() }
	}
}

/// The iterator of [`SeedStream::distinct`].
pub struct Distinct<'s, 'd> {
	stream: &'s mut SeedStream<'d>,
	total: u32,
	next: u32,
	count: u32,
	swapped: BTreeMap<u32, u32>,
}

impl Iterator for Distinct<'_, '_> {
	type Item = u32;

	fn next(&mut self) -> Option<u32> {
		if self.next >= self.count {
			return None;
		}
		let k = self.next;
		self.next += 1;
		let r = k + self.stream.below(u64::from(self.total - k)) as u32;
		let value = *self.swapped.get(&r).unwrap_or(&r);
		let displaced = *self.swapped.get(&k).unwrap_or(&k);
		self.swapped.insert(r, displaced);
		Some(value)
	}

	fn size_hint(&self) -> (usize, Option<usize>) {
		let left = (self.count - self.next) as usize;
		(left, Some(left))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec::Vec;

	#[test]
	fn distinct_values_are_distinct_in_range_and_deterministic() {
		for (count, total) in [(0, 5), (3, 3), (5, 3), (46, 1000), (200, 256)] {
			let a: Vec<u32> = SeedStream::new(b"t", [7; 32]).distinct(count, total).collect();
			let b: Vec<u32> = SeedStream::new(b"t", [7; 32]).distinct(count, total).collect();
			assert_eq!(a, b);
			assert_eq!(a.len() as u32, count.min(total));
			let mut sorted = a.clone();
			sorted.sort_unstable();
			sorted.dedup();
			assert_eq!(sorted.len(), a.len());
			assert!(a.iter().all(|&v| v < total));
		}
	}

	#[test]
	fn domains_separate_streams() {
		let mut a = SeedStream::new(b"a", [1; 32]);
		let mut b = SeedStream::new(b"b", [1; 32]);
		assert_ne!(a.next_u64(), b.next_u64());
	}

	#[test]
	fn draws_are_close_to_uniform() {
		let mut s = SeedStream::new(b"u", [3; 32]);
		let mut seen = [0u32; 10];
		for _ in 0..10_000 {
			seen[s.below(10) as usize] += 1;
		}
		assert!(seen.iter().all(|&n| (850..1150).contains(&n)), "{seen:?}");
		// Every value of a full shuffle appears once.
		let mut all: Vec<u32> = s.distinct(64, 64).collect();
		all.sort_unstable();
		assert_eq!(all, (0..64).collect::<Vec<_>>());
	}

	#[test]
	fn uniform_below_maps_extremes() {
		assert_eq!(uniform_below(0, 10), 0);
		assert_eq!(uniform_below(u64::MAX, 10), 9);
		assert_eq!(uniform_below(u64::MAX, 1), 0);
	}
}
