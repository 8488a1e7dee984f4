//! The hash of the scheme: BLAKE2b with a 32-byte digest, no key, no salt, and a 16-byte
//! personalization naming what is hashed (RFC 7693 parameter block). The personalization
//! separates the domains at no cost: a 256-byte leaf is exactly two compression blocks and an
//! inner node exactly one, which a prefixed domain byte would push into a third and a second.

use crate::types::Hash256;
use blake2b_simd::{many, Params};

pub use crate::types::LEAF_BYTES;

/// Domains, each a personalization (ASCII, zero-padded to 16 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Domain {
	/// A fragment-tree leaf: `H(leaf)`, 256 bytes.
	Leaf,
	/// An inner node of either tree: `H(left ‖ right)`.
	Node,
	/// A fragment root: `H(le64(byte length) ‖ top)`.
	Fragment,
	/// A file root (`file_id`): `H(le32(fragment count) ‖ top)`.
	File,
	/// A challenge seed: `H(randomness ‖ le32(round) ‖ miner)`.
	Seed,
	/// One sampling draw: `H(seed ‖ le32(sample) ‖ le32(try))`.
	Draw,
}

impl Domain {
	/// The personalization bytes (before zero padding).
	pub const fn persona(self) -> &'static [u8] {
		match self {
			Self::Leaf => b"cess/pdp2/leaf",
			Self::Node => b"cess/pdp2/node",
			Self::Fragment => b"cess/pdp2/frag",
			Self::File => b"cess/pdp2/file",
			Self::Seed => b"cess/pdp2/seed",
			Self::Draw => b"cess/pdp2/draw",
		}
	}

	fn params(self) -> Params {
		let mut p = Params::new();
		p.hash_length(32).personal(self.persona());
		p
	}
}

pub(crate) fn digest(h: blake2b_simd::Hash) -> Hash256 {
	let mut out = [0u8; 32];
	out.copy_from_slice(h.as_bytes());
	out
}

/// `H_domain(part_0 ‖ part_1 ‖ …)`.
pub fn hash(domain: Domain, parts: &[&[u8]]) -> Hash256 {
	hash_with(&domain.params(), parts)
}

/// BLAKE2b with `params` over `part_0 ‖ part_1 ‖ …` (every domain of the crate's schemes).
pub(crate) fn hash_with(params: &Params, parts: &[&[u8]]) -> Hash256 {
	let mut state = params.to_state();
	for p in parts {
		state.update(p);
	}
	digest(state.finalize())
}

/// Leaf hash of up to [`LEAF_BYTES`] bytes, zero-padded to [`LEAF_BYTES`].
pub fn leaf_hash(leaf: &[u8]) -> Hash256 {
	if leaf.len() >= LEAF_BYTES {
		return hash(Domain::Leaf, &[&leaf[..LEAF_BYTES]]);
	}
	let mut padded = [0u8; LEAF_BYTES];
	padded[..leaf.len()].copy_from_slice(leaf);
	hash(Domain::Leaf, &[&padded])
}

/// Inner node `H_node(left ‖ right)`.
pub fn node_hash(left: &Hash256, right: &Hash256) -> Hash256 {
	hash(Domain::Node, &[left, right])
}

/// Leaf hashes of `data` cut into [`LEAF_BYTES`]-byte leaves (the last zero-padded), several
/// leaves at a time on SIMD lanes where the CPU has them. An empty `data` has one zero leaf.
pub fn leaf_hashes(data: &[u8]) -> alloc::vec::Vec<Hash256> {
	let params = Domain::Leaf.params();
	let full = data.len() / LEAF_BYTES;
	let mut out = alloc::vec::Vec::with_capacity(full + 1);
	// Jobs in bounded batches, so the job list stays small and in cache.
	for batch in data[..full * LEAF_BYTES].chunks(LEAF_BYTES * 64) {
		let mut jobs: alloc::vec::Vec<many::HashManyJob> = batch
			.chunks_exact(LEAF_BYTES)
			.map(|leaf| many::HashManyJob::new(&params, leaf))
			.collect();
		many::hash_many(jobs.iter_mut());
		out.extend(jobs.iter().map(|j| digest(j.to_hash())));
	}
	let rest = &data[full * LEAF_BYTES..];
	if !rest.is_empty() || data.is_empty() {
		out.push(leaf_hash(rest));
	}
	out
}

/// The next level of a tree: pairs hashed with [`node_hash`] (several at a time on SIMD lanes),
/// an odd last node promoted unchanged.
pub fn parent_level(level: &[Hash256]) -> alloc::vec::Vec<Hash256> {
	let params = Domain::Node.params();
	let pairs = level.len() / 2;
	let mut out = alloc::vec::Vec::with_capacity(pairs + 1);
	for batch in level[..pairs * 2].chunks(128) {
		let flat: &[u8] = batch.as_flattened();
		let mut jobs: alloc::vec::Vec<many::HashManyJob> =
			flat.chunks_exact(64).map(|pair| many::HashManyJob::new(&params, pair)).collect();
		many::hash_many(jobs.iter_mut());
		out.extend(jobs.iter().map(|j| digest(j.to_hash())));
	}
	if level.len() % 2 == 1 {
		out.push(level[level.len() - 1]);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn personas_fit_and_differ() {
		let all = [
			Domain::Leaf,
			Domain::Node,
			Domain::Fragment,
			Domain::File,
			Domain::Seed,
			Domain::Draw,
		];
		for (i, a) in all.iter().enumerate() {
			assert!(a.persona().len() <= 16);
			for b in &all[i + 1..] {
				assert_ne!(hash(*a, &[b"x"]), hash(*b, &[b"x"]));
			}
		}
	}

	#[test]
	fn batched_hashing_matches_one_at_a_time() {
		for len in [0usize, 1, 255, 256, 257, 256 * 63, 256 * 64 + 17, 256 * 200] {
			let data: alloc::vec::Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
			let one: alloc::vec::Vec<Hash256> = if data.is_empty() {
				alloc::vec![leaf_hash(&[])]
			} else {
				data.chunks(LEAF_BYTES).map(leaf_hash).collect()
			};
			assert_eq!(leaf_hashes(&data), one, "len {len}");
			let parents: alloc::vec::Vec<Hash256> = one
				.chunks(2)
				.map(|p| if p.len() == 2 { node_hash(&p[0], &p[1]) } else { p[0] })
				.collect();
			assert_eq!(parent_level(&one), parents, "len {len}");
		}
	}

	#[test]
	fn padding_is_explicit() {
		let mut padded = [0u8; LEAF_BYTES];
		padded[0] = 9;
		assert_eq!(leaf_hash(&[9]), leaf_hash(&padded));
		assert_eq!(leaf_hash(&padded), hash(Domain::Leaf, &[&padded]));
	}
}
