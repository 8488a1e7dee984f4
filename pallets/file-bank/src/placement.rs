//! Chain-driven placement: distinct positive miners, weighted by free capacity × credit, at a
//! cost bounded by `PlacementCandidates` whatever the number of miners.
//!
//! 1. Draw `min(PlacementCandidates, positive miners)` distinct indices of `sminer`'s dense
//!    positive index (partial Fisher–Yates, O(1) storage reads each).
//! 2. Keep the candidates that are not excluded and have room for the column.
//! 3. Draw the wanted number among them without replacement, each with probability proportional
//!    to `(free MiB + 1) × (credit + 1)`.
//!
//! When the positive set is no larger than the pool, this is exact weighted sampling over all
//! miners; above it, every miner has the same chance to enter the pool, and the weights decide
//! within it.

use crate::{Config, Error, Pallet};
use alloc::{collections::BTreeMap, vec::Vec};
use cess_primitives::{merkle::blake2_256_parts, traits::MinerRegistry};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Randomness},
	frame_system,
};

/// Domain prefix of placement seeds.
const PLACEMENT_DOMAIN: &[u8] = b"cess/placement";

/// A deterministic stream of random numbers from a 32-byte seed.
pub(crate) struct SeedRng {
	seed: [u8; 32],
	counter: u32,
}

impl SeedRng {
	pub(crate) fn new(seed: [u8; 32]) -> Self {
		Self { seed, counter: 0 }
	}

	pub(crate) fn next_u64(&mut self) -> u64 {
		let d = blake2_256_parts(&[&self.seed, &self.counter.to_le_bytes()]);
		self.counter = self.counter.wrapping_add(1);
		u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
	}

	/// A uniform value in `0..bound` (`bound > 0`), by multiply-shift (bias ≤ bound / 2^64).
	pub(crate) fn below(&mut self, bound: u64) -> u64 {
		((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
	}
}

impl<T: Config> Pallet<T> {
	/// A placement seed bound to `subject`, from the chain's randomness (the parent hash before
	/// BABE randomness exists).
	pub(crate) fn placement_seed(subject: &[u8]) -> [u8; 32] {
		let (random, _) = T::Randomness::random(subject);
		let random = random.unwrap_or_else(frame_system::Pallet::<T>::parent_hash);
		blake2_256_parts(&[PLACEMENT_DOMAIN, random.as_ref(), subject])
	}

	/// Picks `wanted` distinct positive miners, none in `exclude`, each with at least `bytes`
	/// free. Returns them in draw order, or [`Error::NotEnoughMiners`].
	pub(crate) fn pick_miners(
		seed: [u8; 32],
		wanted: u32,
		bytes: u64,
		exclude: &[T::AccountId],
	) -> Result<Vec<T::AccountId>, Error<T>> {
		let mut rng = SeedRng::new(seed);
		let total = T::Miners::positive_count();
		let pool = total.min(T::PlacementCandidates::get());
		let mut swapped: BTreeMap<u32, u32> = BTreeMap::new();
		let mut candidates: Vec<(T::AccountId, u128)> = Vec::with_capacity(pool as usize);
		for i in 0..pool {
			let r = i + rng.below(u64::from(total - i)) as u32;
			let picked = *swapped.get(&r).unwrap_or(&r);
			let displaced = *swapped.get(&i).unwrap_or(&i);
			swapped.insert(r, displaced);
			let Some(miner) = T::Miners::positive_at(picked) else { continue };
			if exclude.contains(&miner) {
				continue;
			}
			let Some(info) = T::Miners::placement_info(&miner) else { continue };
			if info.free < bytes {
				continue;
			}
			let weight = u128::from((info.free >> 20) + 1) * u128::from(info.credit + 1);
			candidates.push((miner, weight));
		}
		if (candidates.len() as u32) < wanted {
			return Err(Error::<T>::NotEnoughMiners);
		}
		let mut chosen = Vec::with_capacity(wanted as usize);
		for _ in 0..wanted {
			let sum: u128 = candidates.iter().map(|c| c.1).sum();
			// Two draws give 128 bits, so the weighted choice is unbiased for any sum.
			let x = (u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64())) % sum;
			let mut acc = 0u128;
			let mut index = candidates.len() - 1;
			for (j, c) in candidates.iter().enumerate() {
				acc += c.1;
				if x < acc {
					index = j;
					break;
				}
			}
			chosen.push(candidates.swap_remove(index).0);
		}
		Ok(chosen)
	}

	/// The seed of an upload's placement.
	pub(crate) fn upload_seed(file_id: &[u8; 32], who: &T::AccountId) -> [u8; 32] {
		Self::placement_seed(&(b"upload", file_id, who).encode())
	}
}
