//! The commitments: a fragment's tree over its 256-byte leaves, a file's tree over its fragment
//! hashes, single inclusion paths, and the upper levels a miner keeps to build paths cheaply.
//!
//! Both trees pair nodes left to right with [`node_hash`]; on a level with an odd number of nodes
//! the last one is promoted unchanged (no duplication). The top is finalized with what fixes the
//! tree's shape: a fragment root is `H_frag(le64(byte length) ‖ top)`, a file root is
//! `H_file(le32(fragment count) ‖ top)`. File-tree leaves are the fragment hashes themselves
//! (already finalized under their own domain) in (segment, column) order.

use super::hash::{hash, leaf_hashes, node_hash, Domain, LEAF_BYTES};
use crate::decode::{DecodeError, Reader};
use crate::multiproof::{build_levels, path_in};
use crate::types::{FileId, FragmentHash, Hash256};
use alloc::vec::Vec;

/// Leaves of a fragment of `len` bytes: `⌈len / 256⌉`, at least one.
pub fn leaf_count(len: u64) -> u64 {
	len.div_ceil(LEAF_BYTES as u64).max(1)
}

/// Siblings on the path of leaf `index` of a tree with `count` leaves (promoted levels have
/// none), or `None` if `index` is out of range.
pub fn path_len(index: u64, count: u64) -> Option<usize> {
	if index >= count {
		return None;
	}
	let (mut i, mut n, mut len) = (index, count, 0);
	while n > 1 {
		if (i ^ 1) < n {
			len += 1;
		}
		i >>= 1;
		n = n.div_ceil(2);
	}
	Some(len)
}

/// Climbs from `leaf` at `index` of a `count`-leaf tree to the top with `siblings` (leaf level
/// first). `None` if the path is malformed (wrong sibling count, index out of range).
pub fn climb(index: u64, count: u64, leaf: Hash256, siblings: &[Hash256]) -> Option<Hash256> {
	if path_len(index, count)? != siblings.len() {
		return None;
	}
	let (mut i, mut n, mut h) = (index, count, leaf);
	let mut sibs = siblings.iter();
	while n > 1 {
		if (i ^ 1) < n {
			let s = sibs.next()?;
			h = if i & 1 == 0 { node_hash(&h, s) } else { node_hash(s, &h) };
		}
		i >>= 1;
		n = n.div_ceil(2);
	}
	Some(h)
}

/// The fragment hash of a fragment of `len` bytes whose tree top is `top`.
pub fn fragment_root(len: u64, top: &Hash256) -> FragmentHash {
	hash(Domain::Fragment, &[&len.to_le_bytes(), top])
}

/// The `file_id` of a file of `count` fragments whose tree top is `top`.
pub fn file_root(count: u32, top: &Hash256) -> FileId {
	hash(Domain::File, &[&count.to_le_bytes(), top])
}

/// The whole tree of one fragment, kept in memory (the client while encoding, tests).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FragmentTree {
	len: u64,
	levels: Vec<Vec<Hash256>>,
}

impl FragmentTree {
	/// The tree of `data` (the last leaf zero-padded; empty data is one zero leaf of length 0).
	pub fn new(data: &[u8]) -> Self {
		Self { len: data.len() as u64, levels: build_levels(leaf_hashes(data)) }
	}

	/// The fragment's length in bytes.
	pub fn len(&self) -> u64 {
		self.len
	}

	/// Whether the fragment is empty.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// Number of leaves.
	pub fn leaf_count(&self) -> u64 {
		self.levels[0].len() as u64
	}

	/// The fragment hash.
	pub fn root(&self) -> FragmentHash {
		fragment_root(self.len, &self.levels[self.levels.len() - 1][0])
	}

	/// Siblings of leaf `index`, leaf level first; `None` if out of range.
	pub fn path(&self, index: u64) -> Option<Vec<Hash256>> {
		(index < self.leaf_count()).then(|| path_in(&self.levels, index))
	}

	/// The levels from `from` up (see [`UpperLevels`]).
	pub fn upper_levels(&self, from: u8) -> UpperLevels {
		let from = usize::from(from).min(self.levels.len() - 1);
		UpperLevels { len: self.len, from: from as u8, levels: self.levels[from..].to_vec() }
	}
}

/// The hash of fragment `data`: the root of its tree.
pub fn fragment_hash(data: &[u8]) -> FragmentHash {
	FragmentTree::new(data).root()
}

/// Checks `data` against an expected fragment hash (what a miner does on receipt).
pub fn check_fragment(data: &[u8], expected: &FragmentHash) -> bool {
	&fragment_hash(data) == expected
}

/// The upper levels of a fragment's tree, from level `from` (nodes covering `2^from` leaves) to
/// the top: what a miner keeps beside each fragment so that a path costs one read of the
/// `2^from` leaves around the challenged one (`32 / 2^from` bytes of storage per leaf).
///
/// Bytes ([`Self::to_bytes`]): `le64(len) ‖ u8(from) ‖` every node of levels `from..` in order,
/// 32 bytes each; the level sizes follow from `len` and `from`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UpperLevels {
	len: u64,
	from: u8,
	levels: Vec<Vec<Hash256>>,
}

/// Most levels a fragment tree can have below its kept upper levels (decoder bound).
pub const MAX_CHUNK_LEVEL: u8 = 16;

impl UpperLevels {
	/// The fragment's length in bytes.
	pub fn len(&self) -> u64 {
		self.len
	}

	/// Whether the fragment is empty.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// The lowest kept level.
	pub fn from_level(&self) -> u8 {
		self.from
	}

	/// The fragment hash.
	pub fn root(&self) -> FragmentHash {
		fragment_root(self.len, &self.levels[self.levels.len() - 1][0])
	}

	/// The byte range of the leaves that [`Self::path`] needs for leaf `index`: the aligned run
	/// of `2^from` leaves containing it, cut at the fragment's end.
	pub fn chunk_range(&self, index: u64) -> core::ops::Range<u64> {
		let span = (LEAF_BYTES as u64) << self.from;
		let start = (index >> self.from).saturating_mul(span).min(self.len);
		start..start.saturating_add(span).min(self.len)
	}

	/// Leaf `index` (zero-padded to 256 bytes) and its path, from the bytes of
	/// [`Self::chunk_range`]; `None` if `index` is out of range, `chunk` has the wrong length or
	/// does not hash to the kept node (the data on disk changed).
	pub fn path(&self, index: u64, chunk: &[u8]) -> Option<([u8; LEAF_BYTES], Vec<Hash256>)> {
		if index >= leaf_count(self.len) {
			return None;
		}
		let range = self.chunk_range(index);
		if chunk.len() as u64 != range.end - range.start {
			return None;
		}
		let local = build_levels(leaf_hashes(chunk));
		let chunk_index = index >> self.from;
		if local[local.len() - 1][0] != *self.levels[0].get(chunk_index as usize)? {
			return None;
		}
		let within = index - (chunk_index << self.from);
		let mut siblings = path_in(&local, within);
		siblings.extend(path_in(&self.levels, chunk_index));
		let offset = (within as usize) * LEAF_BYTES;
		let mut leaf = [0u8; LEAF_BYTES];
		let end = chunk.len().min(offset + LEAF_BYTES);
		leaf[..end - offset].copy_from_slice(&chunk[offset..end]);
		Some((leaf, siblings))
	}

	/// Encoded bytes (see the type docs).
	pub fn to_bytes(&self) -> Vec<u8> {
		let nodes: usize = self.levels.iter().map(Vec::len).sum();
		let mut out = Vec::with_capacity(9 + 32 * nodes);
		out.extend_from_slice(&self.len.to_le_bytes());
		out.push(self.from);
		for level in &self.levels {
			for node in level {
				out.extend_from_slice(node);
			}
		}
		out
	}

	/// Decodes [`Self::to_bytes`]; `from` must be at most [`MAX_CHUNK_LEVEL`] and the node count
	/// must match the length exactly.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		let mut r = Reader::new(bytes);
		let len = u64::from_le_bytes(r.array()?);
		let from = r.u8()?;
		if from > MAX_CHUNK_LEVEL || len > (1u64 << 40) {
			return Err(DecodeError::BadLength);
		}
		let mut n = leaf_count(len).div_ceil(1u64 << from);
		let mut levels = Vec::new();
		loop {
			let raw = r.take(32 * n as usize)?;
			levels.push(raw.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect());
			if n == 1 {
				break;
			}
			n = n.div_ceil(2);
		}
		r.finish()?;
		Ok(Self { len, from, levels })
	}
}

/// The tree over a file's fragment hashes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FileTree {
	levels: Vec<Vec<Hash256>>,
}

impl FileTree {
	/// The tree over `fragment_hashes` in (segment, column) order (at least one; more than
	/// `u32::MAX` are cut off, which no valid layout has).
	pub fn new(fragment_hashes: &[FragmentHash]) -> Self {
		let mut leaves = fragment_hashes.to_vec();
		leaves.truncate(u32::MAX as usize);
		if leaves.is_empty() {
			leaves.push([0u8; 32]);
		}
		Self { levels: build_levels(leaves) }
	}

	/// Number of fragments.
	pub fn count(&self) -> u32 {
		self.levels[0].len() as u32
	}

	/// The `file_id`.
	pub fn root(&self) -> FileId {
		file_root(self.count(), &self.levels[self.levels.len() - 1][0])
	}

	/// Siblings of fragment `index`, leaf level first; `None` if out of range.
	pub fn path(&self, index: u32) -> Option<Vec<Hash256>> {
		(index < self.count()).then(|| path_in(&self.levels, u64::from(index)))
	}
}

/// The `file_id` of the fragment hashes in (segment, column) order.
pub fn file_id(fragment_hashes: &[FragmentHash]) -> FileId {
	FileTree::new(fragment_hashes).root()
}

/// Checks that `fragment_hash` is fragment `index` of the `count` fragments of `file_id`.
pub fn verify_fragment_path(
	file_id: &FileId,
	index: u32,
	count: u32,
	fragment_hash: &FragmentHash,
	siblings: &[Hash256],
) -> bool {
	climb(u64::from(index), u64::from(count), *fragment_hash, siblings)
		.is_some_and(|top| &file_root(count, &top) == file_id)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn data(len: usize, salt: u8) -> Vec<u8> {
		(0..len).map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[2] ^ salt).collect()
	}

	#[test]
	fn every_path_of_many_shapes_verifies() {
		for leaves in 1..=40usize {
			for tail in [0usize, 1, 200] {
				let len =
					if tail == 0 { leaves * LEAF_BYTES } else { (leaves - 1) * LEAF_BYTES + tail };
				let d = data(len, leaves as u8);
				let tree = FragmentTree::new(&d);
				assert_eq!(tree.leaf_count(), leaf_count(len as u64));
				for i in 0..tree.leaf_count() {
					let path = tree.path(i).unwrap();
					assert_eq!(Some(path.len()), path_len(i, tree.leaf_count()));
					let start = i as usize * LEAF_BYTES;
					let leaf =
						super::super::hash::leaf_hash(&d[start..(start + LEAF_BYTES).min(len)]);
					let top = climb(i, tree.leaf_count(), leaf, &path).unwrap();
					assert_eq!(fragment_root(len as u64, &top), tree.root());
					// Another index or leaf count does not reach the root.
					if tree.leaf_count() > 1 {
						let other = (i + 1) % tree.leaf_count();
						assert_ne!(climb(other, tree.leaf_count(), leaf, &path), Some(top));
					}
				}
				assert!(tree.path(tree.leaf_count()).is_none());
			}
		}
	}

	#[test]
	fn length_is_committed() {
		// Same leaves (zero padding), different lengths: different hashes.
		let mut d = data(300, 1);
		let short = fragment_hash(&d);
		d.push(0);
		assert_ne!(short, fragment_hash(&d));
	}

	#[test]
	fn upper_levels_give_the_same_paths() {
		for len in [1usize, 256, 257, 256 * 16, 256 * 17 + 3, 256 * 100, 256 * 1000 + 5] {
			let d = data(len, 3);
			let tree = FragmentTree::new(&d);
			for from in [0u8, 1, 4, 6, 12] {
				let upper = tree.upper_levels(from);
				let upper = UpperLevels::from_bytes(&upper.to_bytes()).unwrap();
				assert_eq!(upper.root(), tree.root());
				for i in (0..tree.leaf_count()).step_by(7).chain([tree.leaf_count() - 1]) {
					let r = upper.chunk_range(i);
					let chunk = &d[r.start as usize..r.end as usize];
					let (leaf, path) = upper.path(i, chunk).unwrap();
					assert_eq!(path, tree.path(i).unwrap(), "len {len} from {from} leaf {i}");
					let start = i as usize * LEAF_BYTES;
					let end = (start + LEAF_BYTES).min(len);
					assert_eq!(&leaf[..end - start], &d[start..end]);
					// A changed chunk is refused.
					let mut bad = chunk.to_vec();
					bad[0] ^= 1;
					assert!(upper.path(i, &bad).is_none());
				}
			}
		}
	}

	#[test]
	fn upper_levels_decoder_is_strict() {
		let tree = FragmentTree::new(&data(256 * 33, 5));
		let bytes = tree.upper_levels(2).to_bytes();
		for cut in 0..bytes.len() {
			assert!(UpperLevels::from_bytes(&bytes[..cut]).is_err());
		}
		let mut long = bytes.clone();
		long.push(0);
		assert_eq!(UpperLevels::from_bytes(&long), Err(DecodeError::TrailingBytes));
		let mut deep = bytes;
		deep[8] = MAX_CHUNK_LEVEL + 1;
		assert_eq!(UpperLevels::from_bytes(&deep), Err(DecodeError::BadLength));
	}

	#[test]
	fn file_paths_bind_index_and_count() {
		let hashes: Vec<FragmentHash> = (0..7u8).map(|i| fragment_hash(&data(600, i))).collect();
		let tree = FileTree::new(&hashes);
		let id = file_id(&hashes);
		assert_eq!(tree.root(), id);
		for i in 0..7u32 {
			let path = tree.path(i).unwrap();
			assert!(verify_fragment_path(&id, i, 7, &hashes[i as usize], &path));
			assert!(!verify_fragment_path(&id, (i + 1) % 7, 7, &hashes[i as usize], &path));
			assert!(!verify_fragment_path(&id, i, 8, &hashes[i as usize], &path));
		}
		// A fragment root is never a file root of the same hashes.
		assert_ne!(file_id(&hashes[..1]), hashes[0]);
	}
}
