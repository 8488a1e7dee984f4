//! The proof of a round: the challenged leaves and one multiproof of their paths to their files'
//! ids, built by [`prove`] and checked by [`verify`] (no_std, never panics).
//!
//! # Canonical order
//!
//! Both sides reduce the samples to their distinct **targets** `(file_id, fragment index, leaf)`,
//! sorted ascending (file ids as bytes). Per file, fragments ascending, each fragment's sampled
//! leaves are climbed to the fragment's root together, then the file's sampled fragments to the
//! `file_id` together. Climbing a tree of `n` leaves with a sorted set of known nodes goes level by
//! level: a known node whose sibling is also known is paired with it, one whose sibling is past
//! the level's end is promoted, any other takes its sibling from the proof's hash list. Hashes are
//! thus consumed in this order: files, then per file its fragments' climbs in order, then the
//! file-tree climb; within a climb, level by level, left to right.
//!
//! # Bytes
//!
//! `le16(n) ‖ n × leaf(256) ‖ le16(h) ‖ h × hash(32)`: the leaves of the targets in canonical
//! order (zero-padded past the fragment's end), then the hashes. `1 ≤ n ≤` [`MAX_PROOF_LEAVES`];
//! every hash must be used and none may be missing.

use super::challenge::Sample;
use super::hash::{leaf_hash, LEAF_BYTES};
use super::tree::{file_root, fragment_root, path_len, FileTree, FragmentTree};
use crate::decode::{DecodeError, Reader};
use crate::multiproof::{climb_many, emit_many, runs, ClimbError};
use crate::types::{FileId, Hash256};
use alloc::vec::Vec;

/// Most distinct leaves a proof carries.
pub const MAX_PROOF_LEAVES: usize = 1024;
/// Most bytes a proof can have: `MAX_PROOF_LEAVES` leaves and a full `u16` of hashes.
pub const MAX_PROOF_BYTES: usize = 2 + MAX_PROOF_LEAVES * LEAF_BYTES + 2 + 32 * u16::MAX as usize;

/// Why a proof was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VerifyError {
	/// There was nothing to prove (no samples).
	NoSamples,
	/// A sample is malformed or contradicts another of the same file.
	BadSample,
	/// The proof bytes do not decode.
	Decode(DecodeError),
	/// The proof has another number of leaves than the challenge has targets.
	LeafCount,
	/// The proof has too few hashes for the paths.
	MissingHashes,
	/// The proof has hashes left over.
	TrailingHashes,
	/// A file's paths do not lead to its `file_id`.
	RootMismatch,
}

impl From<ClimbError> for VerifyError {
	fn from(e: ClimbError) -> Self {
		match e {
			ClimbError::MissingHashes => Self::MissingHashes,
			ClimbError::Empty => Self::BadSample,
		}
	}
}

impl core::fmt::Display for VerifyError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NoSamples => f.write_str("no samples to prove"),
			Self::BadSample => f.write_str("malformed or inconsistent sample"),
			Self::Decode(e) => write!(f, "proof does not decode: {e}"),
			Self::LeafCount => f.write_str("proof has the wrong number of leaves"),
			Self::MissingHashes => f.write_str("proof has too few hashes"),
			Self::TrailingHashes => f.write_str("proof has unused hashes"),
			Self::RootMismatch => f.write_str("paths do not lead to the file id"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for VerifyError {}

/// A distinct challenged leaf, with the sample that named it.
#[derive(Clone, Copy, Debug)]
struct Target {
	sample: Sample,
	fragment: u64,
}

impl Target {
	fn key(&self) -> (FileId, u64, u32) {
		(self.sample.file_id, self.fragment, self.sample.leaf)
	}
}

/// The distinct targets of `samples` in canonical order; `None` if a sample is malformed or two
/// samples of one file disagree on its shape.
fn targets(samples: &[Sample]) -> Option<Vec<Target>> {
	if !samples.iter().all(Sample::is_well_formed) {
		return None;
	}
	let mut out: Vec<Target> =
		samples.iter().map(|s| Target { sample: *s, fragment: s.fragment_index() }).collect();
	out.sort_unstable_by_key(Target::key);
	for pair in out.windows(2) {
		let (a, b) = (&pair[0].sample, &pair[1].sample);
		if a.file_id != b.file_id {
			continue;
		}
		if (a.segments, a.width) != (b.segments, b.width) {
			return None;
		}
		if pair[0].fragment == pair[1].fragment && a.fragment_len != b.fragment_len {
			return None;
		}
	}
	out.dedup_by_key(|t| t.key());
	Some(out)
}

/// Checks `proof` against `samples` (the chain's challenge).
pub fn verify(samples: &[Sample], proof: &[u8]) -> Result<(), VerifyError> {
	if samples.is_empty() {
		return Err(VerifyError::NoSamples);
	}
	let targets = targets(samples).ok_or(VerifyError::BadSample)?;
	let mut r = Reader::new(proof);
	let n = usize::from(r.u16().map_err(VerifyError::Decode)?);
	if n == 0 || n > MAX_PROOF_LEAVES {
		return Err(VerifyError::Decode(DecodeError::BadLength));
	}
	if n != targets.len() {
		return Err(VerifyError::LeafCount);
	}
	let leaves = r.take(n * LEAF_BYTES).map_err(VerifyError::Decode)?;
	let h = usize::from(r.u16().map_err(VerifyError::Decode)?);
	let raw = r.take(32 * h).map_err(VerifyError::Decode)?;
	r.finish().map_err(VerifyError::Decode)?;
	let mut hashes = raw.chunks_exact(32).map(|c| -> Hash256 { c.try_into().expect("32 bytes") });
	let mut leaves = leaves.chunks_exact(LEAF_BYTES);
	for file in runs(&targets, |t| t.sample.file_id) {
		let mut roots = Vec::new();
		for fragment in runs(file, |t| t.fragment) {
			let known = fragment
				.iter()
				.map(|t| (u64::from(t.sample.leaf), leaf_hash(leaves.next().expect("n leaves"))))
				.collect();
			let s = &fragment[0].sample;
			let top = climb_many(known, s.fragment_leaves(), &mut hashes)?;
			roots.push((fragment[0].fragment, fragment_root(u64::from(s.fragment_len), &top)));
		}
		let count = file[0].sample.fragment_count();
		let top = climb_many(roots, count, &mut hashes)?;
		if file_root(count as u32, &top) != file[0].sample.file_id {
			return Err(VerifyError::RootMismatch);
		}
	}
	if hashes.next().is_some() {
		return Err(VerifyError::TrailingHashes);
	}
	Ok(())
}

/// What the prover supplies for one target: the leaf (zero-padded past the fragment's end) and
/// its single paths, leaf level first, in the fragment tree and in the file tree.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SamplePath {
	/// The leaf's bytes.
	pub leaf: [u8; LEAF_BYTES],
	/// Siblings from the leaf to the fragment tree's top.
	pub fragment_path: Vec<Hash256>,
	/// Siblings from the fragment hash to the file tree's top.
	pub file_path: Vec<Hash256>,
}

impl SamplePath {
	/// The path of `sample` from the whole fragment it names and the tree of its file (what a
	/// prover holding whole fragments, such as a restorer or a test, does); `None` if the
	/// fragment is too short for the sample or the file tree has no such fragment.
	pub fn from_fragment(sample: &Sample, fragment: &[u8], file: &FileTree) -> Option<Self> {
		let start = usize::try_from(sample.offset()).ok()?;
		let end = fragment.len().min(start.checked_add(LEAF_BYTES)?);
		let mut leaf = [0u8; LEAF_BYTES];
		leaf[..end.checked_sub(start)?].copy_from_slice(fragment.get(start..end)?);
		Some(Self {
			leaf,
			fragment_path: FragmentTree::new(fragment).path(u64::from(sample.leaf))?,
			file_path: file.path(u32::try_from(sample.fragment_index()).ok()?)?,
		})
	}
}

/// Why a proof could not be built.
#[derive(Debug)]
pub enum ProveError<E> {
	/// The source of leaves and paths failed.
	Source(E),
	/// The samples are malformed (see [`VerifyError::BadSample`]) or empty.
	BadSamples,
	/// The source gave a path of the wrong length.
	BadPath,
	/// The proof would exceed the format's bounds.
	TooLarge,
}

impl<E: core::fmt::Display> core::fmt::Display for ProveError<E> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Source(e) => write!(f, "reading a challenged leaf failed: {e}"),
			Self::BadSamples => f.write_str("the challenge's samples are malformed"),
			Self::BadPath => f.write_str("a stored path has the wrong length"),
			Self::TooLarge => f.write_str("the proof exceeds the format's bounds"),
		}
	}
}

#[cfg(feature = "std")]
impl<E: core::fmt::Debug + core::fmt::Display> std::error::Error for ProveError<E> {}

/// Builds the proof of `samples`, asking `path_of` once for every distinct target.
pub fn prove<E>(
	samples: &[Sample],
	mut path_of: impl FnMut(&Sample) -> Result<SamplePath, E>,
) -> Result<Vec<u8>, ProveError<E>> {
	let targets = targets(samples).filter(|t| !t.is_empty()).ok_or(ProveError::BadSamples)?;
	if targets.len() > MAX_PROOF_LEAVES {
		return Err(ProveError::TooLarge);
	}
	let mut paths = Vec::with_capacity(targets.len());
	for t in &targets {
		let p = path_of(&t.sample).map_err(ProveError::Source)?;
		let s = &t.sample;
		if path_len(u64::from(s.leaf), s.fragment_leaves()) != Some(p.fragment_path.len())
			|| path_len(t.fragment, s.fragment_count()) != Some(p.file_path.len())
		{
			return Err(ProveError::BadPath);
		}
		paths.push(p);
	}
	let mut hashes = Vec::new();
	let mut at = 0;
	for file in runs(&targets, |t| t.sample.file_id) {
		let mut fragments = Vec::new();
		for fragment in runs(file, |t| t.fragment) {
			let known = (at..at + fragment.len())
				.map(|j| (u64::from(targets[j].sample.leaf), &paths[j].fragment_path[..], 0))
				.collect();
			emit_many(known, fragment[0].sample.fragment_leaves(), &mut hashes)
				.ok_or(ProveError::BadPath)?;
			fragments.push((fragment[0].fragment, &paths[at].file_path[..], 0));
			at += fragment.len();
		}
		emit_many(fragments, file[0].sample.fragment_count(), &mut hashes)
			.ok_or(ProveError::BadPath)?;
	}
	let h = u16::try_from(hashes.len()).map_err(|_| ProveError::TooLarge)?;
	let mut out = Vec::with_capacity(4 + paths.len() * LEAF_BYTES + 32 * hashes.len());
	out.extend_from_slice(&(paths.len() as u16).to_le_bytes());
	for p in &paths {
		out.extend_from_slice(&p.leaf);
	}
	out.extend_from_slice(&h.to_le_bytes());
	for s in &hashes {
		out.extend_from_slice(s);
	}
	Ok(out)
}
