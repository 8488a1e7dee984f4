//! The hashes of idle files: BLAKE2b-256 personalized per domain (`cess/idle/…`), as the PoDR²
//! hashes are (`crate::possession::hash`); Merkle nodes reuse PoDR²'s node hash.

use super::params::{IdleParams, Label};
use crate::types::Hash256;
use blake2b_simd::Params;

/// Domains, each a personalization (ASCII, zero-padded to 16 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Domain {
	/// An idle file's seed: `H(miner ‖ le64(index) ‖ genesis)`.
	Seed,
	/// A label: `H(seed ‖ le32(layer) ‖ le64(node) ‖ parent labels)`.
	Label,
	/// The expander's constant key: `H("cess idle stacked expander v1")`.
	Graph,
	/// The roots of layers `1..L`: `H(root_1 ‖ … ‖ root_{L−1})`.
	Lower,
	/// A file commitment: `H(root_L ‖ lower)`.
	File,
	/// A batch root: `H(params(3) ‖ le64(first) ‖ le32(count) ‖ top)`.
	Batch,
	/// A generation-check seed: `H(randomness ‖ batch root)`.
	CheckSeed,
	/// One generation-check draw: `H(seed ‖ le32(sample))`.
	CheckDraw,
	/// A space-round seed: `H(randomness ‖ le32(round) ‖ miner)`.
	SpaceSeed,
	/// One space-round draw: `H(seed ‖ le32(sample))`.
	SpaceDraw,
}

impl Domain {
	/// The personalization bytes (before zero padding).
	pub const fn persona(self) -> &'static [u8] {
		match self {
			Self::Seed => b"cess/idle/seed",
			Self::Label => b"cess/idle/label",
			Self::Graph => b"cess/idle/graph",
			Self::Lower => b"cess/idle/lower",
			Self::File => b"cess/idle/file",
			Self::Batch => b"cess/idle/batch",
			Self::CheckSeed => b"cess/idle/gseed",
			Self::CheckDraw => b"cess/idle/gdraw",
			Self::SpaceSeed => b"cess/idle/sseed",
			Self::SpaceDraw => b"cess/idle/sdraw",
		}
	}

	pub(crate) fn params(self) -> Params {
		let mut p = Params::new();
		p.hash_length(32).personal(self.persona());
		p
	}
}

pub(crate) use crate::possession::hash::digest;

/// `H_domain(part_0 ‖ part_1 ‖ …)`.
pub fn hash(domain: Domain, parts: &[&[u8]]) -> Hash256 {
	crate::possession::hash::hash_with(&domain.params(), parts)
}

/// The seed of idle file `index` of `miner` (SCALE account id, 32 bytes) on the chain with
/// genesis hash `genesis`.
pub fn file_seed(miner: &[u8; 32], index: u64, genesis: &Hash256) -> Hash256 {
	hash(Domain::Seed, &[miner, &index.to_le_bytes(), genesis])
}

/// The 32 bytes that stand for an account in idle-file seeds: the SCALE encoding itself when it
/// is 32 bytes long (an `AccountId32`), its BLAKE2b-256 otherwise.
pub fn miner_id(encoded_account: &[u8]) -> [u8; 32] {
	match <[u8; 32]>::try_from(encoded_account) {
		Ok(id) => id,
		Err(_) => hash(Domain::Seed, &[b"account", encoded_account]),
	}
}

/// Label `node` of layer 0.
pub fn layer0_label(seed: &Hash256, node: u32) -> Label {
	hash(Domain::Label, &[seed, &0u32.to_le_bytes(), &u64::from(node).to_le_bytes()])
}

/// Label `node` of layer `layer ≥ 1` from its parents' labels (in [`super::graph::parents`]
/// order).
pub fn label_from_parents(seed: &Hash256, layer: u32, node: u32, parents: &[Label]) -> Label {
	let mut state = Domain::Label.params().to_state();
	state.update(seed);
	state.update(&layer.to_le_bytes());
	state.update(&u64::from(node).to_le_bytes());
	for p in parents {
		state.update(p);
	}
	digest(state.finalize())
}

/// `H_lower(root_1 ‖ … ‖ root_{L−1})` over the roots below the last layer.
pub fn lower_root(roots_below_last: &[Hash256]) -> Hash256 {
	let mut state = Domain::Lower.params().to_state();
	for r in roots_below_last {
		state.update(r);
	}
	digest(state.finalize())
}

/// A file commitment from its last layer's root and [`lower_root`].
pub fn file_commitment_of(last_root: &Hash256, lower: &Hash256) -> Hash256 {
	hash(Domain::File, &[last_root, lower])
}

/// A batch root from its batch tree's top.
pub fn batch_finalize(params: &IdleParams, first: u64, count: u32, top: &Hash256) -> Hash256 {
	hash(Domain::Batch, &[&params.to_bytes(), &first.to_le_bytes(), &count.to_le_bytes(), top])
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn personas_fit_and_differ_from_each_other_and_from_pdp2() {
		use crate::possession::hash::Domain as Pdp;
		let all = [
			Domain::Seed,
			Domain::Label,
			Domain::Graph,
			Domain::Lower,
			Domain::File,
			Domain::Batch,
			Domain::CheckSeed,
			Domain::CheckDraw,
			Domain::SpaceSeed,
			Domain::SpaceDraw,
		];
		let pdp = [Pdp::Leaf, Pdp::Node, Pdp::Fragment, Pdp::File, Pdp::Seed, Pdp::Draw];
		for (i, a) in all.iter().enumerate() {
			assert!(a.persona().len() <= 16);
			for b in &all[i + 1..] {
				assert_ne!(a.persona(), b.persona());
			}
			for b in &pdp {
				assert_ne!(a.persona(), b.persona());
			}
		}
	}

	#[test]
	fn streamed_label_is_the_concatenation() {
		let seed = [3u8; 32];
		let parents = [[1u8; 32], [2u8; 32]];
		let flat = [&seed[..], &5u32.to_le_bytes(), &9u64.to_le_bytes(), &parents[0], &parents[1]]
			.concat();
		assert_eq!(label_from_parents(&seed, 5, 9, &parents), hash(Domain::Label, &[&flat]));
	}
}
