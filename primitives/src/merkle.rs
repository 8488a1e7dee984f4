//! Blake2b-256 Merkle commitments: fragment hashes, `file_id`, inclusion proofs.
//!
//! # Rules
//!
//! * Hash: Blake2b with a 32-byte output (`blake2::Blake2b<U32>`, equal to Substrate's
//!   `BlakeTwo256`).
//! * Domain separation (first byte of every hashed message):
//!   * `0x00` — fragment-tree leaf: `H(0x00 ‖ block)`, `block` is [`BLOCK_BYTES`] bytes;
//!   * `0x01` — inner node of either tree: `H(0x01 ‖ left ‖ right)`;
//!   * `0x02` — file-tree leaf: `H(0x02 ‖ fragment_hash)`;
//!   * `0x03` — fragment root: `H(0x03 ‖ le32(leaf_count) ‖ top)`;
//!   * `0x04` — file root: `H(0x04 ‖ le32(leaf_count) ‖ top)`.
//! * Odd-node rule: on a level with an odd number of nodes, the last node has no sibling and is
//!   **promoted unchanged** to the next level (no duplication, so no CVE-2012-2459-style
//!   mutations).
//! * The top of the tree is finalized together with the leaf count (domains `0x03`/`0x04`). With
//!   the promotion rule the path shape depends on the leaf count, so binding the count into the
//!   root is what makes a proof's `(index, leaf_count)` trustworthy: a proof claiming another
//!   leaf count cannot verify, hence a leaf can be proven only at its true index. Verifiers can
//!   also read the true number of blocks (or fragments) off a verified proof.
//! * A fragment's hash is the root over its blocks (leaf `i` = bytes `[i·1984, (i+1)·1984)`);
//!   `file_id` is the root over the fragment hashes in (segment, column) order, leaf index
//!   `seg · (k + m) + col`.

use crate::decode::{DecodeError, Reader};
use crate::types::{
	Column, ErasureProfile, FileId, FragmentHash, Hash256, SegmentIndex, BLOCK_BYTES,
};
use alloc::vec::Vec;
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
#[cfg(feature = "codec")]
use codec::{Decode, Encode};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

type Blake2b256 = Blake2b<U32>;

/// Domain byte of a fragment-tree leaf.
pub const DOMAIN_BLOCK_LEAF: u8 = 0x00;
/// Domain byte of an inner node (both trees).
pub const DOMAIN_NODE: u8 = 0x01;
/// Domain byte of a file-tree leaf.
pub const DOMAIN_FRAGMENT_LEAF: u8 = 0x02;
/// Domain byte of a fragment root.
pub const DOMAIN_FRAGMENT_ROOT: u8 = 0x03;
/// Domain byte of a file root.
pub const DOMAIN_FILE_ROOT: u8 = 0x04;
/// Largest number of siblings a proof can carry (trees have at most `u32::MAX` leaves).
pub const MAX_PROOF_DEPTH: usize = 32;

/// Blake2b-256 of `data`.
pub fn blake2_256(data: &[u8]) -> Hash256 {
	Blake2b256::digest(data).into()
}

/// Blake2b-256 over the concatenation of `parts`.
pub fn blake2_256_parts(parts: &[&[u8]]) -> Hash256 {
	let mut h = Blake2b256::new();
	for p in parts {
		h.update(p);
	}
	h.finalize().into()
}

/// Leaf hash of one block: `H(0x00 ‖ block)`. Blocks shorter than [`BLOCK_BYTES`] are hashed as
/// if zero-padded to it.
pub fn block_leaf_hash(block: &[u8]) -> Hash256 {
	let mut h = Blake2b256::new();
	h.update([DOMAIN_BLOCK_LEAF]);
	h.update(block);
	if block.len() < BLOCK_BYTES {
		h.update(&[0u8; BLOCK_BYTES][..BLOCK_BYTES - block.len()]);
	}
	h.finalize().into()
}

/// Leaf hash of one fragment in the file tree: `H(0x02 ‖ fragment_hash)`.
pub fn fragment_leaf_hash(fragment_hash: &FragmentHash) -> Hash256 {
	blake2_256_parts(&[&[DOMAIN_FRAGMENT_LEAF], fragment_hash])
}

/// Inner node: `H(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash256, right: &Hash256) -> Hash256 {
	blake2_256_parts(&[&[DOMAIN_NODE], left, right])
}

/// Which tree a [`MerkleTree`] is: decides the root finalization domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TreeKind {
	/// Leaves are blocks of one fragment; the root is the fragment hash.
	Fragment,
	/// Leaves are fragment hashes of one file; the root is the `file_id`.
	File,
}

impl TreeKind {
	fn root_domain(self) -> u8 {
		match self {
			Self::Fragment => DOMAIN_FRAGMENT_ROOT,
			Self::File => DOMAIN_FILE_ROOT,
		}
	}
}

fn finalize_root(kind: TreeKind, leaf_count: u32, top: &Hash256) -> Hash256 {
	blake2_256_parts(&[&[kind.root_domain()], &leaf_count.to_le_bytes(), top])
}

/// A full binary Merkle tree kept in memory (all levels), to produce inclusion proofs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MerkleTree {
	kind: TreeKind,
	/// `levels[0]` are the leaf hashes, the last level has one node (the top).
	levels: Vec<Vec<Hash256>>,
}

impl MerkleTree {
	/// Builds a tree of `kind` from already domain-separated leaf hashes (see
	/// [`block_leaf_hash`], [`fragment_leaf_hash`]). An empty leaf list is treated as one
	/// all-zero leaf hash, and more than `u32::MAX` leaves are truncated (neither happens for a
	/// valid [`crate::layout::FileLayout`]).
	pub fn from_leaf_hashes(kind: TreeKind, mut leaves: Vec<Hash256>) -> Self {
		if leaves.is_empty() {
			leaves.push([0u8; 32]);
		}
		leaves.truncate(u32::MAX as usize);
		let mut levels = alloc::vec![leaves];
		while levels.last().map_or(0, Vec::len) > 1 {
			let prev = levels.last().expect("non-empty");
			let next: Vec<Hash256> = prev
				.chunks(2)
				.map(|pair| match pair {
					[l, r] => node_hash(l, r),
					[lone] => *lone,
					_ => unreachable!("chunks(2)"),
				})
				.collect();
			levels.push(next);
		}
		Self { kind, levels }
	}

	/// Which tree this is.
	pub fn kind(&self) -> TreeKind {
		self.kind
	}

	/// Number of leaves.
	pub fn leaf_count(&self) -> u32 {
		self.levels[0].len() as u32
	}

	/// The leaf hashes.
	pub fn leaves(&self) -> &[Hash256] {
		&self.levels[0]
	}

	/// The root: the fragment hash or the `file_id`.
	pub fn root(&self) -> Hash256 {
		let top = self.levels.last().expect("at least one level")[0];
		finalize_root(self.kind, self.leaf_count(), &top)
	}

	/// Inclusion proof of leaf `index`.
	///
	/// # Panics
	///
	/// If `index ≥ leaf_count()` (like slice indexing); see [`Self::try_proof`].
	pub fn proof(&self, index: u32) -> MerkleProof {
		self.try_proof(index).expect("Merkle leaf index out of range")
	}

	/// Inclusion proof of leaf `index`, or `None` if it is out of range.
	pub fn try_proof(&self, index: u32) -> Option<MerkleProof> {
		if index >= self.leaf_count() {
			return None;
		}
		let mut siblings = Vec::new();
		let mut i = index as usize;
		for level in &self.levels[..self.levels.len() - 1] {
			let sib = i ^ 1;
			if sib < level.len() {
				siblings.push(level[sib]);
			}
			i >>= 1;
		}
		Some(MerkleProof { index, leaf_count: self.leaf_count(), siblings })
	}
}

/// Inclusion proof of one leaf: its index, the tree's leaf count and the siblings from the leaf
/// up (levels where the node is promoted contribute no sibling).
///
/// Byte encoding ([`MerkleProof::to_bytes`]): `le32(index) ‖ le32(leaf_count) ‖ u8(n) ‖ n × 32`.
/// The SCALE encoding (feature `codec`) is the derived one.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[cfg_attr(feature = "codec", derive(Encode, Decode, TypeInfo))]
pub struct MerkleProof {
	/// Index of the proven leaf.
	pub index: u32,
	/// Number of leaves in the tree (bound into the root).
	pub leaf_count: u32,
	/// Sibling hashes, from the leaf level upwards.
	pub siblings: Vec<Hash256>,
}

/// Number of siblings a well-formed proof of `index` in a tree of `leaf_count` leaves carries,
/// or `None` if `index` is out of range.
pub fn expected_siblings(index: u32, leaf_count: u32) -> Option<usize> {
	if index >= leaf_count {
		return None;
	}
	let (mut i, mut n, mut count) = (index, leaf_count, 0usize);
	while n > 1 {
		if (i ^ 1) < n {
			count += 1;
		}
		i >>= 1;
		n = n.div_ceil(2);
	}
	Some(count)
}

impl MerkleProof {
	/// Bytes of [`Self::to_bytes`].
	pub fn encoded_len(&self) -> usize {
		9 + 32 * self.siblings.len()
	}

	/// Canonical byte encoding (see the type docs).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(self.encoded_len());
		self.write(&mut out);
		out
	}

	pub(crate) fn write(&self, out: &mut Vec<u8>) {
		out.extend_from_slice(&self.index.to_le_bytes());
		out.extend_from_slice(&self.leaf_count.to_le_bytes());
		out.push(self.siblings.len() as u8);
		for s in &self.siblings {
			out.extend_from_slice(s);
		}
	}

	/// Decodes [`Self::to_bytes`] output; rejects trailing bytes.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		let mut r = Reader::new(bytes);
		let p = Self::read(&mut r)?;
		r.finish()?;
		Ok(p)
	}

	/// Reads one proof from `r`, checking that its sibling count matches `(index, leaf_count)`.
	pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
		let index = r.u32()?;
		let leaf_count = r.u32()?;
		let n = usize::from(r.u8()?);
		if n > MAX_PROOF_DEPTH || expected_siblings(index, leaf_count) != Some(n) {
			return Err(DecodeError::BadMerkleProof);
		}
		let raw = r.take(32 * n)?;
		let siblings = raw.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect();
		Ok(Self { index, leaf_count, siblings })
	}

	/// Recomputes the root of a `kind` tree from the (domain-separated) leaf hash, or `None` if
	/// the proof is malformed.
	pub fn compute_root(&self, kind: TreeKind, leaf: &Hash256) -> Option<Hash256> {
		if self.index >= self.leaf_count {
			return None;
		}
		let (mut i, mut n) = (self.index, self.leaf_count);
		let mut h = *leaf;
		let mut sibs = self.siblings.iter();
		while n > 1 {
			if (i ^ 1) < n {
				let s = sibs.next()?;
				h = if i & 1 == 0 { node_hash(&h, s) } else { node_hash(s, &h) };
			}
			i >>= 1;
			n = n.div_ceil(2);
		}
		if sibs.next().is_some() {
			return None;
		}
		Some(finalize_root(kind, self.leaf_count, &h))
	}
}

/// Splits `fragment` into [`BLOCK_BYTES`] blocks and hashes each as a leaf. The fragment is
/// treated as zero-padded to a non-zero multiple of [`BLOCK_BYTES`] (callers should pass whole
/// blocks; this is `debug_assert`ed).
fn fragment_leaves(fragment: &[u8]) -> Vec<Hash256> {
	debug_assert!(
		!fragment.is_empty() && fragment.len().is_multiple_of(BLOCK_BYTES),
		"fragment length must be a non-zero multiple of BLOCK_BYTES"
	);
	if fragment.is_empty() {
		return alloc::vec![block_leaf_hash(&[])];
	}
	fragment.chunks(BLOCK_BYTES).map(block_leaf_hash).collect()
}

/// The Merkle tree over a fragment's blocks (see [`fragment_hash`] for padding rules).
pub fn fragment_tree(fragment: &[u8]) -> MerkleTree {
	MerkleTree::from_leaf_hashes(TreeKind::Fragment, fragment_leaves(fragment))
}

/// The fragment hash: the Merkle root over its [`BLOCK_BYTES`]-byte blocks.
///
/// `fragment.len()` should be a non-zero multiple of [`BLOCK_BYTES`] (debug-asserted); otherwise
/// the fragment is treated as zero-padded to the next such multiple (an empty fragment as one zero
/// block).
pub fn fragment_hash(fragment: &[u8]) -> FragmentHash {
	fragment_tree(fragment).root()
}

/// The Merkle tree over a file's fragment hashes, in (segment, column) order.
pub fn file_tree(fragment_hashes: &[FragmentHash]) -> MerkleTree {
	let leaves = fragment_hashes.iter().map(fragment_leaf_hash).collect();
	MerkleTree::from_leaf_hashes(TreeKind::File, leaves)
}

/// The `file_id`: the Merkle root over the fragment hashes in (segment, column) order, i.e.
/// `fragment_hashes[seg · (k + m) + col]`.
pub fn file_id(fragment_hashes: &[FragmentHash]) -> FileId {
	file_tree(fragment_hashes).root()
}

/// Checks that `block` (exactly [`BLOCK_BYTES`] bytes) is block `block_index` of the fragment
/// with hash `fragment_hash`. no_std.
pub fn verify_block(
	fragment_hash: &FragmentHash,
	block_index: u32,
	block: &[u8],
	proof: &MerkleProof,
) -> bool {
	if block.len() != BLOCK_BYTES || proof.index != block_index {
		return false;
	}
	proof.compute_root(TreeKind::Fragment, &block_leaf_hash(block)).as_ref() == Some(fragment_hash)
}

/// Leaf index of `(seg, col)` in the file tree, or `None` if `col ≥ k + m`, the profile is invalid
/// or the index overflows.
pub fn fragment_index(seg: SegmentIndex, col: Column, profile: &ErasureProfile) -> Option<u32> {
	profile.validate().ok()?;
	if u32::from(col) >= profile.total() {
		return None;
	}
	seg.checked_mul(profile.total())?.checked_add(u32::from(col))
}

/// Checks that the fragment with hash `fragment_hash` is column `col` of segment `seg` of the file
/// `file_id` with erasure profile `profile`. no_std.
pub fn verify_fragment(
	file_id: &FileId,
	seg: SegmentIndex,
	col: Column,
	profile: &ErasureProfile,
	fragment_hash: &FragmentHash,
	proof: &MerkleProof,
) -> bool {
	let Some(index) = fragment_index(seg, col, profile) else {
		return false;
	};
	if proof.index != index || !proof.leaf_count.is_multiple_of(profile.total()) {
		return false;
	}
	proof.compute_root(TreeKind::File, &fragment_leaf_hash(fragment_hash)).as_ref() == Some(file_id)
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	fn block(i: u32) -> Vec<u8> {
		(0..BLOCK_BYTES).map(|j| (j as u32 ^ i.wrapping_mul(2654435761)) as u8).collect()
	}

	#[test]
	fn blake2_matches_known_answer() {
		// Blake2b-256("") from RFC 7693 test tooling / Substrate's blake2_256(b"").
		assert_eq!(
			hex_of(&blake2_256(b"")),
			"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
		);
		assert_eq!(
			hex_of(&blake2_256(b"abc")),
			"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
		);
	}

	fn hex_of(h: &[u8]) -> alloc::string::String {
		use core::fmt::Write;
		let mut s = alloc::string::String::new();
		for b in h {
			write!(s, "{b:02x}").unwrap();
		}
		s
	}

	#[test]
	fn single_block_fragment() {
		let b = block(7);
		let root = fragment_hash(&b);
		let expect = finalize_root(TreeKind::Fragment, 1, &blake2_256_parts(&[&[0], &b]));
		assert_eq!(root, expect);
		let p = fragment_tree(&b).proof(0);
		assert!(p.siblings.is_empty());
		assert!(verify_block(&root, 0, &b, &p));
	}

	#[test]
	fn three_leaf_shape_and_promotion() {
		let data: Vec<u8> = (0..3).flat_map(block).collect();
		let l: Vec<Hash256> = (0..3).map(|i| block_leaf_hash(&block(i))).collect();
		let top = node_hash(&node_hash(&l[0], &l[1]), &l[2]);
		assert_eq!(fragment_hash(&data), finalize_root(TreeKind::Fragment, 3, &top));
		let p = fragment_tree(&data).proof(2);
		assert_eq!(p.siblings, vec![node_hash(&l[0], &l[1])]);
		// The promoted leaf cannot be passed off as leaf 1 of a 2-leaf tree.
		let forged = MerkleProof { index: 1, leaf_count: 2, siblings: p.siblings.clone() };
		assert!(!verify_block(&fragment_hash(&data), 1, &block(2), &forged));
		assert!(verify_block(&fragment_hash(&data), 2, &block(2), &p));
	}

	#[test]
	fn every_leaf_of_many_sizes_verifies() {
		for n in 1..=37u32 {
			let data: Vec<u8> = (0..n).flat_map(block).collect();
			let tree = fragment_tree(&data);
			let root = tree.root();
			assert_eq!(root, fragment_hash(&data));
			for i in 0..n {
				let p = tree.proof(i);
				assert_eq!(Some(p.siblings.len()), expected_siblings(i, n));
				let b = &data[i as usize * BLOCK_BYTES..(i as usize + 1) * BLOCK_BYTES];
				assert!(verify_block(&root, i, b, &p), "n={n} i={i}");
				// Wrong index, wrong data, wrong leaf count, wrong root all fail.
				assert!(!verify_block(&root, (i + 1) % (n + 1), b, &p));
				let mut bad = b.to_vec();
				bad[5] ^= 1;
				assert!(!verify_block(&root, i, &bad, &p));
				let mut p2 = p.clone();
				p2.leaf_count += 1;
				assert!(!verify_block(&root, i, b, &p2));
				let mut other = root;
				other[0] ^= 1;
				assert!(!verify_block(&other, i, b, &p));
				// Round trip through bytes.
				assert_eq!(MerkleProof::from_bytes(&p.to_bytes()).unwrap(), p);
			}
			assert!(tree.try_proof(n).is_none());
		}
	}

	#[test]
	fn file_tree_binds_segment_and_column() {
		let profile = ErasureProfile::new(2, 1);
		let hashes: Vec<FragmentHash> =
			(0..6u8).map(|i| fragment_hash(&block(u32::from(i)))).collect();
		let tree = file_tree(&hashes);
		let id = file_id(&hashes);
		assert_eq!(tree.root(), id);
		for seg in 0..2u32 {
			for col in 0..3u16 {
				let idx = seg * 3 + u32::from(col);
				let p = tree.proof(idx);
				let fh = hashes[idx as usize];
				assert!(verify_fragment(&id, seg, col, &profile, &fh, &p));
				assert!(!verify_fragment(&id, seg, (col + 1) % 3, &profile, &fh, &p));
				assert!(!verify_fragment(&id, seg ^ 1, col, &profile, &fh, &p));
				// A profile whose k + m does not divide the leaf count is rejected.
				assert!(!verify_fragment(&id, seg, col, &ErasureProfile::new(2, 2), &fh, &p));
				assert!(!verify_fragment(&id, seg, 3, &profile, &fh, &p));
			}
		}
		// A fragment root is not a file root, and a file leaf is not a block leaf.
		assert_ne!(fragment_hash(&block(0)), file_id(&[fragment_hash(&block(0))]));
	}

	#[test]
	fn padding_behaviour_is_defined() {
		// Release builds pad; the debug assertion documents the contract.
		if cfg!(debug_assertions) {
			return;
		}
		let short = vec![1u8; 100];
		let mut padded = short.clone();
		padded.resize(BLOCK_BYTES, 0);
		assert_eq!(fragment_hash(&short), fragment_hash(&padded));
	}

	#[test]
	fn proof_decoder_rejects_garbage() {
		let data: Vec<u8> = (0..5).flat_map(block).collect();
		let p = fragment_tree(&data).proof(4);
		let bytes = p.to_bytes();
		for cut in 0..bytes.len() {
			assert!(MerkleProof::from_bytes(&bytes[..cut]).is_err());
		}
		let mut long = bytes.clone();
		long.push(0);
		assert_eq!(MerkleProof::from_bytes(&long), Err(DecodeError::TrailingBytes));
		let mut wrong_count = bytes.clone();
		wrong_count[8] = 2;
		assert_eq!(MerkleProof::from_bytes(&wrong_count), Err(DecodeError::BadMerkleProof));
		let mut out_of_range = bytes;
		out_of_range[0..4].copy_from_slice(&9u32.to_le_bytes());
		assert_eq!(MerkleProof::from_bytes(&out_of_range), Err(DecodeError::BadMerkleProof));
	}

	#[cfg(feature = "codec")]
	#[test]
	fn scale_round_trip() {
		let data: Vec<u8> = (0..5).flat_map(block).collect();
		let p = fragment_tree(&data).proof(3);
		assert_eq!(MerkleProof::decode(&mut &p.encode()[..]).unwrap(), p);
	}
}
