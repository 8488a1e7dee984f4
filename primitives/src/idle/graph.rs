//! The expander: a fixed pseudo-random bipartite graph between consecutive layers, the same for
//! every file and every miner.
//!
//! Node `i` of layer `l ≥ 1` has `d` parents in layer `l − 1`. With `x = mix(K ⊕ (le(l) << 32 |
//! i))` and `mix` the SplitMix64 finalizer, parent `j` is the top `log2 N` bits of
//! `mix(x + (j + 1) · 0x9e3779b97f4a7c15)` (wrapping arithmetic on `u64`). `K` = [`GRAPH_KEY`],
//! the first 8 bytes (little-endian) of `H_graph("cess idle stacked expander v1")`.
//!
//! The graph is public and fixed, so it needs no cryptographic strength, only expansion (each
//! label draws its parents independently and uniformly: a random bipartite graph of left degree
//! `d`, an expander with high probability; `docs/idle-space.md` gives the measured expansion).
//! Computing one node's parents costs `d + 1` multiply–xorshift rounds, so the runtime derives
//! them for free. Parents may repeat (probability about `d² / 2N` per node); they are hashed in
//! order as they are.

use super::params::IdleParams;

/// The expander's key (see the module docs; a unit test recomputes it).
pub const GRAPH_KEY: u64 = 0x10dd_4694_9f15_19f9;
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 finalizer.
pub const fn mix(mut z: u64) -> u64 {
	z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
	z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
	z ^ (z >> 31)
}

/// The parents (indices in layer `layer − 1`) of node `node` of layer `layer ≥ 1`, in hashing
/// order.
pub fn parents(params: &IdleParams, layer: u32, node: u32) -> Parents {
	let x = mix(GRAPH_KEY ^ (u64::from(layer) << 32 | u64::from(node)));
	Parents {
		x,
		j: 0,
		degree: u32::from(params.degree),
		shift: 64u32.saturating_sub(u32::from(params.layer_labels_log2)),
	}
}

/// The iterator of [`parents`].
#[derive(Clone, Debug)]
pub struct Parents {
	x: u64,
	j: u32,
	degree: u32,
	shift: u32,
}

impl Iterator for Parents {
	type Item = u32;

	fn next(&mut self) -> Option<u32> {
		if self.j >= self.degree {
			return None;
		}
		self.j += 1;
		let v = mix(self.x.wrapping_add(u64::from(self.j).wrapping_mul(GOLDEN)));
		// Out-of-range parameters (never valid ones) give node 0 instead of an overflow.
		Some(v.checked_shr(self.shift).unwrap_or(0) as u32)
	}

	fn size_hint(&self) -> (usize, Option<usize>) {
		let n = (self.degree - self.j) as usize;
		(n, Some(n))
	}
}

impl ExactSizeIterator for Parents {}

#[cfg(test)]
mod tests {
	use super::super::hash::{hash, Domain};
	use super::*;

	#[test]
	fn key_is_derived_from_the_constant() {
		let h = hash(Domain::Graph, &[b"cess idle stacked expander v1"]);
		assert_eq!(GRAPH_KEY, u64::from_le_bytes(h[..8].try_into().unwrap()));
	}

	#[test]
	fn parents_are_in_range_and_spread() {
		let p = IdleParams { layer_labels_log2: 10, layers: 4, degree: 6 };
		let mut hits = alloc::vec![0u32; 1024];
		for l in 1..=4 {
			for i in 0..1024 {
				let ps: alloc::vec::Vec<u32> = parents(&p, l, i).collect();
				assert_eq!(ps.len(), 6);
				for q in ps {
					assert!(q < 1024);
					hits[q as usize] += 1;
				}
			}
		}
		// 4 · 1024 · 6 draws over 1024 sources: every source is hit, none wildly often.
		assert!(hits.iter().all(|&h| (1..=60).contains(&h)), "{:?}", hits.iter().max());
		// Layers use different graphs.
		assert_ne!(
			parents(&p, 1, 7).collect::<alloc::vec::Vec<_>>(),
			parents(&p, 2, 7).collect::<alloc::vec::Vec<_>>()
		);
	}
}
