//! Merkle multiproofs shared by PoDR² ([`crate::possession`]) and idle-space proofs
//! ([`crate::idle`]): full trees kept as levels, single paths, and the climb that checks many
//! paths of one tree at once, each shared sibling sent once.
//!
//! The climb's rule, level by level: a known node whose sibling is past the level's end is
//! promoted, an even one whose right neighbour is known is paired with it, any other takes the
//! next hash of the proof as its sibling.

use crate::possession::hash::{node_hash, parent_level};
use crate::types::Hash256;
use alloc::vec::Vec;

/// Why a multiproof does not climb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClimbError {
	/// The proof ran out of hashes.
	MissingHashes,
	/// Nothing to climb.
	Empty,
}

/// All levels of a tree, leaves first, the last level one node (at least one leaf).
pub(crate) fn build_levels(leaves: Vec<Hash256>) -> Vec<Vec<Hash256>> {
	let mut levels = alloc::vec![leaves];
	while levels.last().map_or(0, Vec::len) > 1 {
		let next = parent_level(levels.last().expect("non-empty"));
		levels.push(next);
	}
	levels
}

/// Siblings of `index` read off full `levels` (promoted levels have none).
pub(crate) fn path_in(levels: &[Vec<Hash256>], index: u64) -> Vec<Hash256> {
	let mut out = Vec::new();
	let mut i = index as usize;
	for level in &levels[..levels.len().saturating_sub(1)] {
		if let Some(s) = level.get(i ^ 1) {
			out.push(*s);
		}
		i >>= 1;
	}
	out
}

/// Climbs `known` (sorted, distinct indices, with their hashes) of a `count`-leaf tree to the
/// top, taking missing siblings from `hashes`.
pub(crate) fn climb_many(
	mut known: Vec<(u64, Hash256)>,
	count: u64,
	hashes: &mut impl Iterator<Item = Hash256>,
) -> Result<Hash256, ClimbError> {
	let mut n = count;
	while n > 1 {
		let mut next = Vec::with_capacity(known.len());
		let mut i = 0;
		while i < known.len() {
			let (idx, h) = known[i];
			let parent = if (idx ^ 1) >= n {
				h
			} else if idx & 1 == 0 && known.get(i + 1).is_some_and(|k| k.0 == idx ^ 1) {
				i += 1;
				node_hash(&h, &known[i].1)
			} else {
				let s = hashes.next().ok_or(ClimbError::MissingHashes)?;
				if idx & 1 == 0 {
					node_hash(&h, &s)
				} else {
					node_hash(&s, &h)
				}
			};
			next.push((idx >> 1, parent));
			i += 1;
		}
		known = next;
		n = n.div_ceil(2);
	}
	known.first().map(|k| k.1).ok_or(ClimbError::Empty)
}

/// Emits the siblings that [`climb_many`] takes from the hash list, from the single paths of
/// `known` (sorted, distinct indices, each with its path and the position reached in it).
pub(crate) fn emit_many(
	mut known: Vec<(u64, &[Hash256], usize)>,
	count: u64,
	out: &mut Vec<Hash256>,
) -> Option<()> {
	let mut n = count;
	while n > 1 {
		let mut next = Vec::with_capacity(known.len());
		let mut i = 0;
		while i < known.len() {
			let (idx, path, pos) = known[i];
			if (idx ^ 1) >= n {
				next.push((idx >> 1, path, pos));
			} else {
				if idx & 1 == 0 && known.get(i + 1).is_some_and(|k| k.0 == idx ^ 1) {
					i += 1;
				} else {
					out.push(*path.get(pos)?);
				}
				next.push((idx >> 1, path, pos + 1));
			}
			i += 1;
		}
		known = next;
		n = n.div_ceil(2);
	}
	Some(())
}

/// How many siblings [`climb_many`] takes from the hash list for `known` (sorted, distinct
/// indices) of a `count`-leaf tree.
pub(crate) fn siblings_taken(mut known: Vec<u64>, count: u64) -> usize {
	let (mut n, mut taken) = (count, 0);
	while n > 1 {
		let mut next = Vec::with_capacity(known.len());
		let mut i = 0;
		while i < known.len() {
			let idx = known[i];
			if (idx ^ 1) < n {
				if idx & 1 == 0 && known.get(i + 1) == Some(&(idx ^ 1)) {
					i += 1;
				} else {
					taken += 1;
				}
			}
			next.push(idx >> 1);
			i += 1;
		}
		known = next;
		n = n.div_ceil(2);
	}
	taken
}

/// Runs of equal keys in a sorted slice.
pub(crate) fn runs<T, K: PartialEq>(
	items: &[T],
	key: impl Fn(&T) -> K,
) -> impl Iterator<Item = &[T]> {
	let mut rest = items;
	core::iter::from_fn(move || {
		let first = rest.first()?;
		let k = key(first);
		let n = rest.iter().take_while(|t| key(t) == k).count();
		let (run, tail) = rest.split_at(n);
		rest = tail;
		Some(run)
	})
}
