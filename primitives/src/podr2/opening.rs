//! The restoral opening proof: a restorer that rebuilt and re-tagged a fragment shows, for `c_r`
//! PoDR² blocks chosen by the chain after the claim, the block bytes, their Merkle paths to the
//! fragment hash, the fragment's path to `file_id`, and the blocks' tags. The verifier checks the
//! paths and one batched tag equation whose coefficients are derived (Fiat–Shamir) from the whole
//! opening, so the restorer cannot substitute tags over other data.
//!
//! A PoDR² block of `31·s` bytes spans one or more [`BLOCK_BYTES`](crate::types::BLOCK_BYTES)-byte Merkle leaves (exactly one
//! at the default `s = 64`); an entry carries every leaf that overlaps the block's byte range
//! within the fragment. Bytes past the fragment end are zero padding.
//!
//! The structures and their byte encoding are no_std; building and verifying need `std`.

#[cfg(feature = "std")]
pub use self::std_impl::*;
use super::encoding::Tag;
use crate::merkle::MerkleProof;
use crate::types::FragmentHash;
use alloc::vec::Vec;

/// Prefix of the transcript hash that derives the opening's batch coefficients.
pub const OPENING_RHO_DOMAIN: &[u8] = b"cess/podr2/opening-rho";
/// Prefix of the chosen-block derivation in [`opening_indices`].
pub const OPENING_INDEX_DOMAIN: &[u8] = b"cess/podr2/opening-index";

/// One Merkle leaf ([`crate::types::BLOCK_BYTES`] bytes) with its path to the fragment hash.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OpenedLeaf {
	/// The leaf's bytes.
	pub data: Vec<u8>,
	/// Path from the leaf to the fragment hash (its `index` is the leaf index).
	pub proof: MerkleProof,
}

/// One opened PoDR² block.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OpeningEntry {
	/// PoDR² block index within the fragment.
	pub block: u32,
	/// The block's tag.
	pub tag: Tag,
	/// The Merkle leaves covering the block, in order.
	pub leaves: Vec<OpenedLeaf>,
}

/// The opening proof of a restored fragment (encoding in [`super::encoding`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OpeningProof {
	/// The fragment hash.
	pub fragment_hash: FragmentHash,
	/// Path from the fragment hash to `file_id`.
	pub fragment_proof: MerkleProof,
	/// The opened blocks, in the order of the chosen indices.
	pub entries: Vec<OpeningEntry>,
}

/// `count` distinct PoDR² block indices in `0..blocks` chosen from `seed` (all blocks if
/// `count ≥ blocks`), by a partial Fisher–Yates shuffle driven by
/// `Blake2b-256("cess/podr2/opening-index" ‖ seed ‖ le32(k))`. no_std.
pub fn opening_indices(seed: &[u8; 32], count: u32, blocks: u32) -> Vec<u32> {
	crate::sampling::SeedStream::new(OPENING_INDEX_DOMAIN, *seed).distinct(count, blocks).collect()
}

#[cfg(feature = "std")]
mod std_impl {
	use super::super::batch_check::check_points;
	use super::super::encoding::{Tag, MAX_LEAVES_PER_BLOCK, MAX_OPENED_BLOCKS};
	use super::super::keys::PublicKey;
	use super::super::params::{name, Params};
	use super::{OpenedLeaf, OpeningEntry, OpeningProof, OPENING_RHO_DOMAIN};
	use crate::merkle::{blake2_256_parts, verify_block, verify_fragment, MerkleProof, MerkleTree};
	use crate::types::{Column, ErasureProfile, FileId, SegmentIndex, BLOCK_BYTES};

	/// Why an opening proof could not be built.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum OpeningError {
		/// No indices, or more than [`MAX_OPENED_BLOCKS`].
		BadIndexCount,
		/// A chosen block index is past the fragment's last PoDR² block.
		IndexOutOfRange(u32),
		/// The fragment tree, fragment bytes and tags do not belong together.
		Inconsistent,
	}

	impl core::fmt::Display for OpeningError {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			match self {
				Self::BadIndexCount => f.write_str("bad number of opened blocks"),
				Self::IndexOutOfRange(i) => write!(f, "block index {i} out of range"),
				Self::Inconsistent => f.write_str("fragment, tree and tags are inconsistent"),
			}
		}
	}

	impl std::error::Error for OpeningError {}

	/// Leaf range `[first, last)` covering PoDR² block `block` in a fragment of `leaf_count`
	/// leaves, or `None` if the block starts past the fragment.
	fn leaf_range(block: u32, leaf_count: u32, params: Params) -> Option<(u32, u32)> {
		let bb = params.block_bytes() as u64;
		let frag_len = u64::from(leaf_count) * BLOCK_BYTES as u64;
		let start = u64::from(block) * bb;
		if start >= frag_len {
			return None;
		}
		let end = (start + bb).min(frag_len);
		let first = start / BLOCK_BYTES as u64;
		let last = end.div_ceil(BLOCK_BYTES as u64);
		Some((first as u32, last as u32))
	}

	/// Builds the opening proof of `fragment` (whole [`BLOCK_BYTES`] leaves) for the chosen PoDR²
	/// block indices. `fragment_proof` is the fragment's path to `file_id`; `tags` are all the
	/// fragment's tags (one per PoDR² block).
	pub fn build_opening(
		fragment: &[u8],
		fragment_proof: MerkleProof,
		tags: &[Tag],
		indices: &[u32],
		params: Params,
	) -> Result<OpeningProof, OpeningError> {
		if indices.is_empty() || indices.len() > MAX_OPENED_BLOCKS {
			return Err(OpeningError::BadIndexCount);
		}
		if fragment.is_empty() || !fragment.len().is_multiple_of(BLOCK_BYTES) {
			return Err(OpeningError::Inconsistent);
		}
		if params.blocks_in(fragment.len() as u64) != tags.len() as u64 {
			return Err(OpeningError::Inconsistent);
		}
		let tree: MerkleTree = crate::merkle::fragment_tree(fragment);
		let leaf_count = tree.leaf_count();
		let mut entries = Vec::with_capacity(indices.len());
		for &block in indices {
			let (first, last) = leaf_range(block, leaf_count, params)
				.ok_or(OpeningError::IndexOutOfRange(block))?;
			let leaves = (first..last)
				.map(|l| OpenedLeaf {
					data: fragment[l as usize * BLOCK_BYTES..][..BLOCK_BYTES].to_vec(),
					proof: tree.proof(l),
				})
				.collect();
			entries.push(OpeningEntry { block, tag: tags[block as usize], leaves });
		}
		Ok(OpeningProof { fragment_hash: tree.root(), fragment_proof, entries })
	}

	/// Verifies an opening proof: the fragment is `(seg, col)` of `file_id`, every entry opens
	/// the expected block index with valid Merkle paths, and the tags pass one batched equation
	/// under `pk` with Fiat–Shamir coefficients.
	#[allow(clippy::too_many_arguments)]
	pub fn verify_opening(
		pk: &PublicKey,
		file_id: &FileId,
		seg: SegmentIndex,
		col: Column,
		profile: &ErasureProfile,
		indices: &[u32],
		opening: &OpeningProof,
		params: Params,
	) -> bool {
		if indices.is_empty()
			|| indices.len() > MAX_OPENED_BLOCKS
			|| indices.len() != opening.entries.len()
		{
			return false;
		}
		if !verify_fragment(
			file_id,
			seg,
			col,
			profile,
			&opening.fragment_hash,
			&opening.fragment_proof,
		) {
			return false;
		}
		let Some(leaf_count) =
			opening.entries.first().and_then(|e| e.leaves.first()).map(|l| l.proof.leaf_count)
		else {
			return false;
		};
		let bb = params.block_bytes();
		let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(indices.len());
		for (entry, &want) in opening.entries.iter().zip(indices) {
			if entry.block != want {
				return false;
			}
			let Some((first, last)) = leaf_range(want, leaf_count, params) else {
				return false;
			};
			if entry.leaves.len() != (last - first) as usize
				|| entry.leaves.len() > MAX_LEAVES_PER_BLOCK
			{
				return false;
			}
			let mut bytes = Vec::with_capacity(entry.leaves.len() * BLOCK_BYTES);
			for (leaf, l) in entry.leaves.iter().zip(first..last) {
				if leaf.proof.leaf_count != leaf_count
					|| !verify_block(&opening.fragment_hash, l, &leaf.data, &leaf.proof)
				{
					return false;
				}
				bytes.extend_from_slice(&leaf.data);
			}
			let offset = want as usize * bb - first as usize * BLOCK_BYTES;
			let mut block = bytes[offset..].to_vec();
			block.truncate(bb);
			blocks.push(block);
		}
		let transcript =
			blake2_256_parts(&[OPENING_RHO_DOMAIN, &pk.to_bytes(), file_id, &opening.to_bytes()]);
		let rho: Vec<u8> = (0..indices.len() as u32)
			.flat_map(|k| {
				let d = blake2_256_parts(&[&transcript, &k.to_le_bytes()]);
				let mut c = [0u8; 16];
				c.copy_from_slice(&d[..16]);
				c
			})
			.collect();
		let nm = name(file_id, seg, col);
		let pairs: Vec<(u64, &[u8])> =
			indices.iter().zip(&blocks).map(|(&i, b)| (u64::from(i), &b[..])).collect();
		let tags: Vec<Tag> = opening.entries.iter().map(|e| e.tag).collect();
		matches!(check_points(pk, &nm, &pairs, &tags, &rho, params), Ok(true))
	}

	/// Byte-slice entry point for the runtime host function: `pk` 96 bytes, `opening` the
	/// [`OpeningProof::to_bytes`] encoding. Never panics; malformed input gives `false`.
	#[allow(clippy::too_many_arguments)]
	pub fn verify_opening_bytes(
		pk: &[u8],
		file_id: &FileId,
		seg: SegmentIndex,
		col: Column,
		profile: &ErasureProfile,
		indices: &[u32],
		opening: &[u8],
		s: u32,
	) -> bool {
		let (Ok(params), Ok(pk), Ok(opening)) =
			(Params::new(s), PublicKey::from_bytes(pk), OpeningProof::from_bytes(opening))
		else {
			return false;
		};
		verify_opening(&pk, file_id, seg, col, profile, indices, &opening, params)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn indices_are_distinct_deterministic_and_in_range() {
		for blocks in [1u32, 2, 5, 16, 17, 4229] {
			let a = opening_indices(&[3; 32], 16, blocks);
			assert_eq!(a, opening_indices(&[3; 32], 16, blocks));
			assert_eq!(a.len() as u32, 16.min(blocks));
			let mut sorted = a.clone();
			sorted.sort_unstable();
			sorted.dedup();
			assert_eq!(sorted.len(), a.len());
			assert!(a.iter().all(|&i| i < blocks));
		}
		assert_ne!(opening_indices(&[3; 32], 16, 4229), opening_indices(&[4; 32], 16, 4229));
		assert!(opening_indices(&[3; 32], 0, 10).is_empty());
		assert!(opening_indices(&[3; 32], 10, 0).is_empty());
	}
}
