//! Layers whose unset labels are zero, and files built from them that answer one generation
//! check or space round: the same proof bytes and verification work as honest files, for the
//! runtime's benchmarks (a benchmark cannot generate 2^20-label files in wasm).
//!
//! A sparse layer keeps only the labels that were set; the roots and paths of the full tree
//! (every other label zero) come from precomputed all-zero subtrees, in `O(set · log N)`.
//! Nothing here is sound as storage: only the sampled labels are computed as specified.

use super::check::GenSample;
use super::commit::LayerView;
use super::graph::parents;
use super::hash::{label_from_parents, layer0_label};
use super::params::{IdleParams, Label};
use crate::possession::hash::node_hash;
use crate::types::Hash256;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// A layer of `N` labels, all zero but those set.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SparseLayer {
	depth: u32,
	labels: BTreeMap<u32, Label>,
	/// `zeros[k]`: the root of an all-zero subtree of `2^k` labels.
	zeros: Vec<Hash256>,
}

impl SparseLayer {
	/// An all-zero layer of `params`' size.
	pub fn new(params: &IdleParams) -> Self {
		let depth = u32::from(params.layer_labels_log2);
		let mut zeros = alloc::vec![[0u8; 32]];
		for k in 0..depth as usize {
			zeros.push(node_hash(&zeros[k], &zeros[k]));
		}
		Self { depth, labels: BTreeMap::new(), zeros }
	}

	/// Sets label `node`.
	pub fn set(&mut self, node: u32, label: Label) {
		self.labels.insert(node, label);
	}

	/// Label `node` (zero unless set).
	pub fn get(&self, node: u32) -> Label {
		self.labels.get(&node).copied().unwrap_or([0u8; 32])
	}

	/// The node at `level` (0: the labels) and `index` of the full tree.
	fn node(&self, level: u32, index: u64) -> Hash256 {
		if level == 0 {
			return u32::try_from(index).map_or([0u8; 32], |i| self.get(i));
		}
		let lo = index << level;
		let hi = lo + (1u64 << level);
		let lo32 = u32::try_from(lo).unwrap_or(u32::MAX);
		let set = if hi > u64::from(u32::MAX) {
			self.labels.range(lo32..).next().is_some()
		} else {
			self.labels.range(lo32..hi as u32).next().is_some()
		};
		if !set {
			return self.zeros[level as usize];
		}
		node_hash(&self.node(level - 1, 2 * index), &self.node(level - 1, 2 * index + 1))
	}
}

impl LayerView for SparseLayer {
	fn labels(&self) -> u64 {
		1u64 << self.depth
	}

	fn root(&self) -> Hash256 {
		self.node(self.depth, 0)
	}

	fn label(&self, index: u32) -> Option<Label> {
		(u64::from(index) < self.labels()).then(|| self.get(index))
	}

	fn path(&self, index: u32) -> Option<Vec<Hash256>> {
		if u64::from(index) >= self.labels() {
			return None;
		}
		Some((0..self.depth).map(|l| self.node(l, (u64::from(index) >> l) ^ 1)).collect())
	}
}

/// Layers `1..=L` of the file with seed `seed` in which the samples `run` (all of one file) are
/// computed as specified from their parents, and every other label is zero: a generation
/// proof of `run` built from them verifies up to the file's commitment.
pub fn answering_layers(
	params: &IdleParams,
	seed: &Hash256,
	run: &[GenSample],
) -> Vec<SparseLayer> {
	let mut layers: Vec<SparseLayer> = Vec::with_capacity(usize::from(params.layers));
	for l in 1..=u32::from(params.layers) {
		let mut layer = SparseLayer::new(params);
		for s in run.iter().filter(|s| s.layer == l) {
			let ps: Vec<Label> = parents(params, l, s.node)
				.map(|p| if l == 1 { layer0_label(seed, p) } else { layers[l as usize - 2].get(p) })
				.collect();
			layer.set(s.node, label_from_parents(seed, l, s.node, &ps));
		}
		layers.push(layer);
	}
	layers
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::idle::commit::LayerTree;

	#[test]
	fn a_sparse_layer_has_the_roots_and_paths_of_its_full_tree() {
		let params = IdleParams { layer_labels_log2: 6, layers: 2, degree: 6 };
		let mut sparse = SparseLayer::new(&params);
		let mut full = alloc::vec![[0u8; 32]; 64];
		for (i, v) in [(0u32, 1u8), (5, 2), (6, 3), (63, 4)] {
			sparse.set(i, [v; 32]);
			full[i as usize] = [v; 32];
		}
		let tree = LayerTree::new(&full);
		assert_eq!(sparse.root(), tree.root());
		for i in [0u32, 1, 5, 6, 7, 31, 32, 63] {
			assert_eq!(sparse.path(i), tree.path(i), "path of {i}");
			assert_eq!(LayerView::label(&sparse, i), tree.label(i));
		}
		assert_eq!(sparse.path(64), None);
	}
}
