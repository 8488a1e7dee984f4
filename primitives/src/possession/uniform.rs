//! Trees over identical leaves — what all-zero data gives — computed in `O(log n)` hashes
//! without the data: roots, fragment hashes, file ids and paths of arbitrarily large files, for
//! benchmarks that need the deepest trees a chain accepts.
//!
//! With the pairing of [`super::tree`] (left to right, odd last node promoted), the tree over
//! `m > 1` leaves is `H_node(T(p), T(m − p))` with `p` the largest power of two below `m`.

use super::hash::{leaf_hash, node_hash, LEAF_BYTES};
use super::tree::{file_root, fragment_root};
use crate::types::{FileId, FragmentHash, Hash256};
use alloc::vec::Vec;

/// A tree of `count` leaves that all hash to `leaf`.
#[derive(Clone, Debug)]
pub struct UniformTree {
	count: u64,
	/// `full[k]`: the top of a full subtree of `2^k` leaves.
	full: Vec<Hash256>,
}

impl UniformTree {
	/// The tree of `count ≥ 1` copies of `leaf`.
	pub fn new(leaf: Hash256, count: u64) -> Self {
		let mut full = alloc::vec![leaf];
		while (1u64 << (full.len() - 1)) < count {
			let last = full[full.len() - 1];
			full.push(node_hash(&last, &last));
		}
		Self { count: count.max(1), full }
	}

	fn top_of(&self, m: u64) -> Hash256 {
		if m.is_power_of_two() {
			return self.full[m.trailing_zeros() as usize];
		}
		let p = 1u64 << (63 - m.leading_zeros());
		node_hash(&self.full[p.trailing_zeros() as usize], &self.top_of(m - p))
	}

	/// The top of the tree.
	pub fn top(&self) -> Hash256 {
		self.top_of(self.count)
	}

	/// Siblings of leaf `index`, leaf level first (`None` if out of range).
	pub fn path(&self, index: u64) -> Option<Vec<Hash256>> {
		if index >= self.count {
			return None;
		}
		let mut upper = Vec::new();
		let (mut m, mut i) = (self.count, index);
		// Walk down from the top, collecting siblings top-down; reverse at the end.
		while m > 1 {
			if m.is_power_of_two() {
				let levels = m.trailing_zeros() as usize;
				for k in (0..levels).rev() {
					upper.push(self.full[k]);
				}
				let _ = i;
				break;
			}
			let p = 1u64 << (63 - m.leading_zeros());
			if i < p {
				upper.push(self.top_of(m - p));
				m = p;
			} else {
				upper.push(self.full[p.trailing_zeros() as usize]);
				m -= p;
				i -= p;
			}
		}
		upper.reverse();
		Some(upper)
	}
}

/// The tree of an all-zero fragment of `len` bytes.
pub fn zero_fragment(len: u64) -> UniformTree {
	UniformTree::new(leaf_hash(&[]), len.div_ceil(LEAF_BYTES as u64).max(1))
}

/// The hash of an all-zero fragment of `len` bytes.
pub fn zero_fragment_hash(len: u64) -> FragmentHash {
	fragment_root(len, &zero_fragment(len).top())
}

/// The file tree of `count` fragments that all hash to `fragment` (every fragment the same).
pub fn uniform_file(fragment: FragmentHash, count: u32) -> (FileId, UniformTree) {
	let tree = UniformTree::new(fragment, u64::from(count));
	(file_root(count, &tree.top()), tree)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::possession::tree::{FileTree, FragmentTree};

	#[test]
	fn uniform_trees_equal_built_trees() {
		for leaves in 1..=70u64 {
			let len = leaves * LEAF_BYTES as u64 - 3;
			let built = FragmentTree::new(&alloc::vec![0u8; len as usize]);
			let fast = zero_fragment(len);
			assert_eq!(zero_fragment_hash(len), built.root(), "{leaves} leaves");
			for i in 0..leaves {
				assert_eq!(fast.path(i), built.path(i), "{leaves} leaves, leaf {i}");
			}
			let hashes = alloc::vec![built.root(); leaves as usize];
			let file = FileTree::new(&hashes);
			let (id, tree) = uniform_file(built.root(), leaves as u32);
			assert_eq!(id, file.root());
			for i in 0..leaves {
				assert_eq!(tree.path(i), file.path(i as u32));
			}
		}
	}
}
