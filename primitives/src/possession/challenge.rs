//! Challenges: the per-round seed, and the byte-fair expansion of `c` samples over a snapshot of
//! a miner's holdings.
//!
//! # Byte-fair sampling over size classes
//!
//! A holding is one column of one file: `L` leaves (the leaves of all its segments' fragments).
//! Its **class** is `⌊log2 L⌋`, so a holding of class `q` has `2^q ≤ L < 2^(q+1)` leaves. The
//! snapshot gives the number of holdings `n_q` of each class and the holding at each `(class,
//! index)`. Each class is given `n_q · 2^(q+1)` slots (every holding padded to `2^(q+1)` leaves),
//! `S = Σ n_q · 2^(q+1)` in all. A try draws a slot uniformly in `0..S`; the slot names a class,
//! a holding `index = slot_in_class / 2^(q+1)` and an offset `r = slot_in_class mod 2^(q+1)`. The
//! try is accepted when `r < L` and then samples leaf `r` of that holding; otherwise the next try
//! is drawn. Every real leaf of every holding is thus sampled with the same probability
//! whatever the holdings' sizes, and at least half the slots are real leaves, so a sample costs
//! two lookups on average. After [`MAX_TRIES`] rejected tries (probability below `2^-64`) the last
//! try's holding is taken with `r mod L`, so the expansion always ends.

use super::hash::{hash, Domain, LEAF_BYTES};
use super::tree::leaf_count;
use crate::layout::FileLayout;
use crate::types::{Column, FileId, Hash256};
use alloc::vec::Vec;
#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Default number of samples per proof (`c`).
pub const DEFAULT_SAMPLES: u32 = 16;
/// Tries per sample before the last try is taken as it is.
pub const MAX_TRIES: u32 = 64;
/// Size classes: a holding has fewer than `2^MAX_CLASS` leaves.
pub const MAX_CLASS: u8 = 48;

/// One column of one file, as the snapshot lists it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Holding {
	/// The file.
	pub file_id: FileId,
	/// The column held.
	pub column: Column,
	/// The file's layout (fragment lengths per segment).
	pub layout: FileLayout,
}

impl Holding {
	/// Leaves of fragment `segment` of this column.
	pub fn fragment_leaves(&self, segment: u32) -> u64 {
		leaf_count(self.layout.fragment_len(segment))
	}

	/// Leaves of the whole column (all segments).
	pub fn leaves(&self) -> u64 {
		let n = self.layout.segment_count();
		if n == 0 {
			return 0;
		}
		u64::from(n - 1) * self.fragment_leaves(0) + self.fragment_leaves(n - 1)
	}

	/// The holding's size class, `⌊log2 leaves⌋` (`None` for an empty or oversized layout).
	pub fn class(&self) -> Option<u8> {
		class_of(self.leaves())
	}

	/// The sample of leaf `r` of the column (`r < self.leaves()`).
	pub fn sample(&self, r: u64) -> Sample {
		let segments = self.layout.segment_count();
		let full = self.fragment_leaves(0).max(1);
		let segment = (r / full).min(u64::from(segments.saturating_sub(1))) as u32;
		self.sample_in(segment, (r - u64::from(segment) * full) as u32)
	}

	/// The sample of leaf `leaf` of the column's fragment of segment `segment`.
	pub fn sample_in(&self, segment: u32, leaf: u32) -> Sample {
		Sample {
			file_id: self.file_id,
			segment,
			column: self.column,
			leaf,
			segments: self.layout.segment_count(),
			width: self.layout.profile.total() as u16,
			fragment_len: self.layout.fragment_len(segment) as u32,
		}
	}
}

/// The size class of a holding of `leaves` leaves (`None` if zero or `≥ 2^MAX_CLASS`).
pub fn class_of(leaves: u64) -> Option<u8> {
	if leaves == 0 || leaves >= 1u64 << MAX_CLASS {
		return None;
	}
	Some((63 - leaves.leading_zeros()) as u8)
}

/// One challenged leaf: where it is and the shape of the trees above it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[cfg_attr(feature = "codec", derive(Encode, Decode, DecodeWithMemTracking, TypeInfo))]
pub struct Sample {
	/// The file.
	pub file_id: FileId,
	/// The segment.
	pub segment: u32,
	/// The column (`< width`).
	pub column: Column,
	/// The leaf in the fragment (`< ⌈fragment_len / 256⌉`).
	pub leaf: u32,
	/// Segments of the file.
	pub segments: u32,
	/// Fragments per segment, `k + m`.
	pub width: u16,
	/// Bytes of this segment's fragments.
	pub fragment_len: u32,
}

impl Sample {
	/// Index of the fragment in the file tree, `segment · width + column`.
	pub fn fragment_index(&self) -> u64 {
		u64::from(self.segment) * u64::from(self.width) + u64::from(self.column)
	}

	/// Fragments of the file, `segments · width`.
	pub fn fragment_count(&self) -> u64 {
		u64::from(self.segments) * u64::from(self.width)
	}

	/// Leaves of the fragment.
	pub fn fragment_leaves(&self) -> u64 {
		leaf_count(u64::from(self.fragment_len))
	}

	/// Byte offset of the leaf in the fragment.
	pub fn offset(&self) -> u64 {
		u64::from(self.leaf) * LEAF_BYTES as u64
	}

	/// Whether the fields are consistent (what [`super::verify`] requires of each sample).
	pub fn is_well_formed(&self) -> bool {
		self.column < self.width
			&& self.segment < self.segments
			&& self.fragment_len > 0
			&& u64::from(self.leaf) < self.fragment_leaves()
			&& self.fragment_count() <= u64::from(u32::MAX)
	}
}

/// The seed of `miner`'s challenge in `round`: `H_seed(randomness ‖ le32(round) ‖ miner)`, where
/// `miner` is the SCALE encoding of its account id.
pub fn challenge_seed(randomness: &Hash256, round: u32, miner: &[u8]) -> Hash256 {
	hash(Domain::Seed, &[randomness, &round.to_le_bytes(), miner])
}

/// Slots of class `q`: `count · 2^(q+1)`.
fn class_slots(class: u8, count: u32) -> u128 {
	u128::from(count) << (u32::from(class) + 1)
}

/// The `c` samples of a snapshot with `classes` (`(class, holdings)` pairs; zero counts and
/// classes above [`MAX_CLASS`] are ignored, a class listed twice counts once) and the lookup
/// `holding(class, index)`. Empty if the snapshot holds nothing. A lookup that returns `None`, or
/// a holding of another class, rejects the try (a consistent snapshot never does that).
pub fn expand(
	seed: &Hash256,
	c: u32,
	classes: &[(u8, u32)],
	mut holding: impl FnMut(u8, u32) -> Option<Holding>,
) -> Vec<Sample> {
	let mut table: Vec<(u8, u32)> =
		classes.iter().copied().filter(|&(q, n)| n > 0 && q < MAX_CLASS).collect();
	table.sort_unstable_by_key(|&(q, _)| q);
	table.dedup_by_key(|&mut (q, _)| q);
	let total: u128 = table.iter().map(|&(q, n)| class_slots(q, n)).sum();
	if total == 0 {
		return Vec::new();
	}
	let mut out = Vec::with_capacity(c as usize);
	for i in 0..c {
		let mut last = None;
		for t in 0..MAX_TRIES {
			let d = hash(Domain::Draw, &[seed, &i.to_le_bytes(), &t.to_le_bytes()]);
			let mut slot = u128::from_le_bytes(d[..16].try_into().expect("16 bytes")) % total;
			let Some(&(q, _)) = table.iter().find(|&&(q, n)| {
				let s = class_slots(q, n);
				if slot < s {
					true
				} else {
					slot -= s;
					false
				}
			}) else {
				continue;
			};
			let index = (slot >> (u32::from(q) + 1)) as u32;
			let r = (slot & ((1u128 << (u32::from(q) + 1)) - 1)) as u64;
			let Some(h) = holding(q, index).filter(|h| h.class() == Some(q)) else { continue };
			if r < h.leaves() {
				last = Some((h, r));
				break;
			}
			last = Some((h, r % h.leaves()));
		}
		if let Some((h, r)) = last {
			out.push(h.sample(r));
		}
	}
	out
}

/// The samples of a challenge on one column alone (a restoral's check of the restored column).
pub fn expand_one(seed: &Hash256, c: u32, holding: &Holding) -> Vec<Sample> {
	let Some(q) = holding.class() else { return Vec::new() };
	expand(seed, c, &[(q, 1)], |_, _| Some(*holding))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::types::ErasureProfile;

	fn holding(i: u32, size: u64) -> Holding {
		let mut file_id = [0u8; 32];
		file_id[..4].copy_from_slice(&i.to_le_bytes());
		Holding {
			file_id,
			column: (i % 3) as u16,
			layout: FileLayout::new(size, 1 << 20, ErasureProfile::new(2, 1)).unwrap(),
		}
	}

	#[test]
	fn classes_bound_sizes() {
		assert_eq!(class_of(0), None);
		assert_eq!(class_of(1), Some(0));
		assert_eq!(class_of(2), Some(1));
		assert_eq!(class_of(3), Some(1));
		assert_eq!(class_of(4), Some(2));
		assert_eq!(class_of((1 << 48) - 1), Some(47));
		assert_eq!(class_of(1 << 48), None);
	}

	#[test]
	fn samples_land_in_range_and_map_to_segments() {
		// 5 MiB, 1 MiB segments, 2 + 1: five equal fragments per column.
		let h = holding(1, 5 << 20);
		let per = h.fragment_leaves(0);
		assert_eq!(per, leaf_count(h.layout.fragment_len(0)));
		assert_eq!(h.leaves(), 5 * per);
		let s = h.sample(per * 3 + 5);
		assert_eq!((s.segment, s.leaf, s.segments, s.width), (3, 5, 5, 3));
		assert_eq!(u64::from(s.fragment_len), h.layout.fragment_len(3));
		assert!(s.is_well_formed());
		let last = h.sample(h.leaves() - 1);
		assert_eq!((last.segment, u64::from(last.leaf)), (4, per - 1));
		// A short last segment.
		let h = holding(2, (2 << 20) + 1000);
		let last = h.sample(h.leaves() - 1);
		assert_eq!(last.segment, 2);
		assert_eq!(u64::from(last.leaf) + 1, h.fragment_leaves(2));
		assert!(last.is_well_formed());
	}

	#[test]
	fn expansion_is_deterministic_and_seed_bound() {
		let hs: Vec<Holding> = (0..10).map(|i| holding(i, 1000 + u64::from(i) * 300_000)).collect();
		let mut classes: Vec<(u8, u32)> = Vec::new();
		let mut by_class: Vec<(u8, Holding)> = Vec::new();
		for h in &hs {
			let q = h.class().unwrap();
			match classes.iter_mut().find(|(c, _)| *c == q) {
				Some((_, n)) => *n += 1,
				None => classes.push((q, 1)),
			}
			by_class.push((q, *h));
		}
		let lookup = |q: u8, i: u32| {
			by_class.iter().filter(|(c, _)| *c == q).nth(i as usize).map(|(_, h)| *h)
		};
		let a = expand(&[1; 32], 16, &classes, lookup);
		let b = expand(&[1; 32], 16, &classes, lookup);
		let other = expand(&[2; 32], 16, &classes, lookup);
		assert_eq!(a.len(), 16);
		assert_eq!(a, b);
		assert_ne!(a, other);
		assert!(a.iter().all(Sample::is_well_formed));
		assert!(expand(&[1; 32], 16, &[], lookup).is_empty());
		// A broken lookup never panics and never loops forever.
		assert!(expand(&[1; 32], 4, &classes, |_, _| None).is_empty());
	}

	#[test]
	fn one_column_challenge_stays_in_the_column() {
		let h = holding(9, 3 << 20);
		let s = expand_one(&[5; 32], 16, &h);
		assert_eq!(s.len(), 16);
		assert!(s.iter().all(|s| s.file_id == h.file_id && s.column == h.column));
	}
}
