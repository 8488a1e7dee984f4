//! Commitments: one Merkle tree per layer, the file commitment, the batch tree and its root,
//! and the multiproof climb shared by the generation check and the space rounds.
//!
//! A layer tree's leaves are the 32-byte labels themselves (no leaf re-hashing); inner nodes are
//! PoDR²'s `H_node(left ‖ right)` ([`crate::possession::hash::node_hash`]); `N` is a power of two
//! so the tree is perfect and every path has `log2 N` siblings. Its top is the layer's root.
//! Why 32-byte leaves and not 256-byte ones as for PoDR²: every opening here is one label (a
//! sampled label or one of its scattered parents), and a 256-byte leaf costs 224 more bytes per
//! opening for 3 fewer siblings (96 bytes), so +128 bytes per opened label, against about one
//! compression per label of extra tree hashing (`docs/idle-space.md`).
//!
//! A **file commitment** is `H_file(root_L ‖ H_lower(root_1 ‖ … ‖ root_{L−1}))`. The **batch
//! tree** is built over the file commitments of files `first..first + count` exactly like
//! PoDR²'s file tree (pairs left to right, an odd last node promoted), and the **batch root**
//! is `H_batch(u8(log2 N) ‖ u8(L) ‖ u8(d) ‖ le64(first) ‖ le32(count) ‖ top)`. The chain keeps
//! the batch root: 32 bytes per batch.

use super::hash::{batch_finalize, file_commitment_of, lower_root};
use super::params::{IdleParams, Label};
use super::IdleError;
use crate::multiproof::{build_levels, path_in};
use crate::possession::hash::parent_level;
use crate::types::Hash256;
use alloc::vec::Vec;
#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Most files in one batch (16 GiB at the default 32 MiB files; bounds the batch path of a
/// space sample to 9 hashes).
pub const MAX_BATCH_FILES: u32 = 512;

/// The root of a layer (its tree's top), without keeping the tree.
pub fn layer_root(labels: &[Label]) -> Hash256 {
	if labels.is_empty() {
		return [0u8; 32];
	}
	let mut level = parent_level(labels);
	while level.len() > 1 {
		level = parent_level(&level);
	}
	level.first().copied().unwrap_or(labels[0])
}

/// [`layer_root`] on `threads` scoped threads (`labels.len()` a power of two: each thread
/// builds an aligned subtree, the tops are joined on the caller's thread).
#[cfg(feature = "std")]
pub fn layer_root_parallel(labels: &[Label], threads: usize) -> Hash256 {
	let n = labels.len();
	let parts = threads.max(1).next_power_of_two();
	if !n.is_power_of_two() || parts == 1 || n < 2 * parts {
		return layer_root(labels);
	}
	let per = n / parts;
	let tops: Vec<Hash256> = std::thread::scope(|s| {
		let handles: Vec<_> = labels.chunks(per).map(|c| s.spawn(move || layer_root(c))).collect();
		handles.into_iter().map(|h| h.join().expect("layer root thread")).collect()
	});
	layer_root(&tops)
}

/// What a prover reads of a layer's tree: its size, root, labels and paths.
pub trait LayerView {
	/// Number of labels.
	fn labels(&self) -> u64;
	/// The layer's root.
	fn root(&self) -> Hash256;
	/// Label `index`; `None` if out of range.
	fn label(&self, index: u32) -> Option<Label>;
	/// Siblings of label `index`, leaf level first; `None` if out of range.
	fn path(&self, index: u32) -> Option<Vec<Hash256>>;
}

impl LayerView for LayerTree {
	fn labels(&self) -> u64 {
		LayerTree::len(self) as u64
	}
	fn root(&self) -> Hash256 {
		LayerTree::root(self)
	}
	fn label(&self, index: u32) -> Option<Label> {
		LayerTree::label(self, index)
	}
	fn path(&self, index: u32) -> Option<Vec<Hash256>> {
		LayerTree::path(self, index)
	}
}

/// A whole layer tree, kept in memory (the prover of a generation check or a space round).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LayerTree {
	levels: Vec<Vec<Hash256>>,
}

impl LayerTree {
	/// The tree over `labels` (at least one).
	pub fn new(labels: &[Label]) -> Self {
		let leaves = if labels.is_empty() { alloc::vec![[0u8; 32]] } else { labels.to_vec() };
		Self { levels: build_levels(leaves) }
	}

	/// The layer's root.
	pub fn root(&self) -> Hash256 {
		self.levels[self.levels.len() - 1][0]
	}

	/// Number of labels.
	pub fn len(&self) -> usize {
		self.levels[0].len()
	}

	/// Whether the tree is empty (never: a tree has at least one leaf).
	pub fn is_empty(&self) -> bool {
		false
	}

	/// Label `index`.
	pub fn label(&self, index: u32) -> Option<Label> {
		self.levels[0].get(index as usize).copied()
	}

	/// Siblings of label `index`, leaf level first; `None` if out of range.
	pub fn path(&self, index: u32) -> Option<Vec<Hash256>> {
		(u64::from(index) < self.len() as u64).then(|| path_in(&self.levels, u64::from(index)))
	}
}

/// The commitment of a file whose layers `1..=L` have `roots` (`roots[l − 1]` is layer `l`'s;
/// at least one).
pub fn file_commitment(roots: &[Hash256]) -> Hash256 {
	match roots.split_last() {
		Some((last, below)) => file_commitment_of(last, &lower_root(below)),
		None => file_commitment_of(&[0u8; 32], &lower_root(&[])),
	}
}

/// A batch of idle files as the chain records it: 32 bytes of root plus where it sits in the
/// miner's file indices.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)
)]
pub struct IdleBatch {
	/// The batch root.
	pub root: Hash256,
	/// Index of the batch's first file (file `k` of the batch has index `first + k`).
	pub first: u64,
	/// Files in the batch (`1..=MAX_BATCH_FILES`).
	pub count: u32,
}

impl IdleBatch {
	/// Whether the shape is in range.
	pub fn is_well_formed(&self) -> bool {
		(1..=MAX_BATCH_FILES).contains(&self.count)
			&& self.first.checked_add(u64::from(self.count)).is_some()
	}
}

/// The tree over a batch's file commitments.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BatchTree {
	params: IdleParams,
	first: u64,
	levels: Vec<Vec<Hash256>>,
}

impl BatchTree {
	/// The tree over the commitments of files `first..first + commitments.len()` (between 1
	/// and [`MAX_BATCH_FILES`]).
	pub fn new(
		params: &IdleParams,
		first: u64,
		commitments: &[Hash256],
	) -> Result<Self, IdleError> {
		if commitments.is_empty()
			|| commitments.len() > MAX_BATCH_FILES as usize
			|| !params.is_valid()
		{
			return Err(IdleError::BadParams);
		}
		Ok(Self { params: *params, first, levels: build_levels(commitments.to_vec()) })
	}

	/// Files in the batch.
	pub fn count(&self) -> u32 {
		self.levels[0].len() as u32
	}

	/// Index of the first file.
	pub fn first(&self) -> u64 {
		self.first
	}

	/// The commitment of file `k` of the batch.
	pub fn commitment(&self, k: u32) -> Option<Hash256> {
		self.levels[0].get(k as usize).copied()
	}

	/// The batch root.
	pub fn root(&self) -> Hash256 {
		batch_finalize(
			&self.params,
			self.first,
			self.count(),
			&self.levels[self.levels.len() - 1][0],
		)
	}

	/// What the chain records.
	pub fn batch(&self) -> IdleBatch {
		IdleBatch { root: self.root(), first: self.first, count: self.count() }
	}

	/// Siblings of file `k`, leaf level first; `None` if out of range.
	pub fn path(&self, k: u32) -> Option<Vec<Hash256>> {
		(k < self.count()).then(|| path_in(&self.levels, u64::from(k)))
	}
}

/// The root of the batch of files `first..` with `commitments`.
pub fn batch_root(
	params: &IdleParams,
	first: u64,
	commitments: &[Hash256],
) -> Result<Hash256, IdleError> {
	BatchTree::new(params, first, commitments).map(|t| t.root())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::multiproof::{climb_many, emit_many};

	fn labels(n: usize, salt: u8) -> Vec<Label> {
		(0..n).map(|i| crate::merkle::blake2_256(&[salt, i as u8, (i >> 8) as u8])).collect()
	}

	#[test]
	fn multiproofs_of_every_subset_shape_climb_to_the_root() {
		for n in [1usize, 2, 3, 5, 8, 13, 64] {
			let leaves = labels(n, n as u8);
			let levels = build_levels(leaves.clone());
			let top = levels[levels.len() - 1][0];
			for mask in [1u64, 3, 5, 0b1011, 0xffff_ffff, 0x8000_0001, 0x5555] {
				let idx: Vec<u64> = (0..n as u64).filter(|i| mask >> (i % 32) & 1 == 1).collect();
				if idx.is_empty() {
					continue;
				}
				let paths: Vec<Vec<Hash256>> = idx.iter().map(|&i| path_in(&levels, i)).collect();
				let mut out = Vec::new();
				emit_many(
					idx.iter().zip(&paths).map(|(&i, p)| (i, &p[..], 0)).collect(),
					n as u64,
					&mut out,
				)
				.unwrap();
				let known = idx.iter().map(|&i| (i, leaves[i as usize])).collect();
				let mut it = out.iter().copied();
				assert_eq!(climb_many(known, n as u64, &mut it), Ok(top), "n {n} mask {mask:x}");
				assert!(it.next().is_none());
			}
		}
	}

	#[test]
	fn parallel_root_matches() {
		let l = labels(1024, 1);
		assert_eq!(layer_root(&l), LayerTree::new(&l).root());
		#[cfg(feature = "std")]
		for t in [1, 2, 3, 4, 8] {
			assert_eq!(layer_root_parallel(&l, t), layer_root(&l));
		}
		assert_eq!(layer_root(&l[..1]), l[0]);
	}

	#[test]
	fn batch_root_binds_shape() {
		let p = IdleParams::DEFAULT;
		let c = labels(5, 9);
		let r = batch_root(&p, 10, &c).unwrap();
		assert_ne!(r, batch_root(&p, 11, &c).unwrap());
		assert_ne!(r, batch_root(&p, 10, &c[..4]).unwrap());
		assert_ne!(r, batch_root(&IdleParams { layers: 13, ..p }, 10, &c).unwrap());
		assert!(batch_root(&p, 10, &[]).is_err());
	}
}
