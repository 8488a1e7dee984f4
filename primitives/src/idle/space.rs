//! The space challenge of an audit round: `c` last-layer labels drawn over all of a miner's idle
//! files, answered with the labels and one multiproof of their paths to the batch roots, and
//! verified like a PoDR² proof (same climb, same byte layout).
//!
//! # Samples
//!
//! The miner's batches are listed in the chain's order; `T = Σ count`. Sample `j` is drawn from
//! `h = H_sdraw(seed ‖ le32(j))`: `x = le128(h[0..16]) mod T` names a file (walk the batches,
//! subtracting each `count` while `x` is at least that), node `le64(h[16..24]) >> (64 − log2 N)`.
//! Every stored label is equally likely. Files converted to service space are left out of the
//! draw ([`space_challenge_live`]: `count` replaced by the live files). The seed is [`space_seed`]`(randomness, round, miner)`.
//!
//! # Canonical order and bytes
//!
//! The distinct samples sorted by `(batch root, first, count, file, node)`. Per batch, per file
//! ascending: the file's sampled labels are climbed (`N` leaves) to the last layer's root, the
//! next hash is the file's `H_lower(root_1 ‖ … ‖ root_{L−1})`, and the file commitment is
//! `H_file(root_L ‖ lower)`; then the batch's files are climbed to the batch tree's top and the
//! batch root checked. Bytes: `le16(n) ‖ n × label(32) ‖ le16(h) ‖ h × hash(32)`, the labels of
//! the distinct samples in canonical order, then siblings and lower roots as consumed. Every
//! hash must be used.

use super::commit::{BatchTree, IdleBatch, LayerTree};
use super::hash::{batch_finalize, file_commitment_of, hash, Domain};
use super::params::{IdleParams, Label, LABEL_BYTES};
use super::{IdleError, ProveError};
use crate::decode::{DecodeError, Reader};
use crate::multiproof::{climb_many, emit_many, runs};
use crate::possession::tree::path_len;
use crate::types::Hash256;
use alloc::vec::Vec;
#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Default samples per round (`docs/idle-space.md`: ≤ 8 KiB per round).
pub const DEFAULT_SPACE_SAMPLES: u32 = 8;
/// Most distinct samples a round may have.
pub const MAX_SPACE_SAMPLES: usize = 1024;
/// Most bytes a space proof can have.
pub const MAX_SPACE_PROOF_BYTES: usize =
	2 + MAX_SPACE_SAMPLES * LABEL_BYTES + 2 + 32 * u16::MAX as usize;

/// One sampled last-layer label: node `node` of file `file` (0-based) of `batch`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)
)]
pub struct SpaceSample {
	/// The batch, as recorded on chain.
	pub batch: IdleBatch,
	/// File within the batch.
	pub file: u32,
	/// Node of the last layer.
	pub node: u32,
}

/// The seed of `miner`'s space challenge in `round`.
pub fn space_seed(randomness: &Hash256, round: u32, miner: &[u8; 32]) -> Hash256 {
	hash(Domain::SpaceSeed, &[randomness, &round.to_le_bytes(), miner])
}

/// The `c` samples of a round over `batches` (see the module docs); empty if there are no files
/// or the parameters are out of range.
pub fn space_challenge(
	params: &IdleParams,
	seed: &Hash256,
	batches: &[IdleBatch],
	c: u32,
) -> Vec<SpaceSample> {
	let live: Vec<(IdleBatch, u32)> = batches.iter().map(|b| (*b, b.count)).collect();
	space_challenge_live(params, seed, &live, c)
}

/// [`space_challenge`] over batches of which only the first `live` files are still idle (the
/// others were converted to service space): files `live..count` of a batch are never drawn,
/// and with every `live == count` the draw is exactly [`space_challenge`]'s.
pub fn space_challenge_live(
	params: &IdleParams,
	seed: &Hash256,
	batches: &[(IdleBatch, u32)],
	c: u32,
) -> Vec<SpaceSample> {
	let live = |(b, l): &(IdleBatch, u32)| u128::from((*l).min(b.count));
	let total: u128 = batches.iter().map(live).sum();
	if total == 0 || !params.is_valid() {
		return Vec::new();
	}
	let shift = 64 - u32::from(params.layer_labels_log2);
	(0..c)
		.filter_map(|j| {
			let h = hash(Domain::SpaceDraw, &[seed, &j.to_le_bytes()]);
			let mut x = u128::from_le_bytes(h[..16].try_into().expect("16 bytes")) % total;
			let y = u64::from_le_bytes(h[16..24].try_into().expect("8 bytes"));
			let node = (y >> shift) as u32;
			for entry in batches {
				if x < live(entry) {
					return Some(SpaceSample { batch: entry.0, file: x as u32, node });
				}
				x -= live(entry);
			}
			None
		})
		.collect()
}

/// The distinct samples in canonical order; `None` if one is malformed or two name the same
/// root with different shapes.
fn targets(params: &IdleParams, samples: &[SpaceSample]) -> Option<Vec<SpaceSample>> {
	if !params.is_valid() || samples.is_empty() || samples.len() > MAX_SPACE_SAMPLES {
		return None;
	}
	let ok = |s: &SpaceSample| {
		s.batch.is_well_formed() && s.file < s.batch.count && u64::from(s.node) < params.labels()
	};
	if !samples.iter().all(ok) {
		return None;
	}
	let mut t = samples.to_vec();
	t.sort_unstable();
	t.dedup();
	if t.windows(2).any(|w| w[0].batch.root == w[1].batch.root && w[0].batch != w[1].batch) {
		return None;
	}
	Some(t)
}

/// Checks a space proof against `samples` (the chain's draw, see [`space_challenge`]).
pub fn verify_space(
	params: &IdleParams,
	samples: &[SpaceSample],
	proof: &[u8],
) -> Result<(), IdleError> {
	if !params.is_valid() {
		return Err(IdleError::BadParams);
	}
	if samples.is_empty() {
		return Err(IdleError::NoSamples);
	}
	let targets = targets(params, samples).ok_or(IdleError::BadSample)?;
	let mut r = Reader::new(proof);
	let n = usize::from(r.u16().map_err(IdleError::Decode)?);
	if n == 0 || n > MAX_SPACE_SAMPLES {
		return Err(IdleError::Decode(DecodeError::BadLength));
	}
	if n != targets.len() {
		return Err(IdleError::LabelCount);
	}
	let raw_labels = r.take(n * LABEL_BYTES).map_err(IdleError::Decode)?;
	let h = usize::from(r.u16().map_err(IdleError::Decode)?);
	let raw = r.take(32 * h).map_err(IdleError::Decode)?;
	r.finish().map_err(IdleError::Decode)?;
	let as_hash = |c: &[u8]| -> Hash256 { c.try_into().expect("32 bytes") };
	let mut labels = raw_labels.chunks_exact(LABEL_BYTES).map(as_hash);
	let mut hashes = raw.chunks_exact(32).map(as_hash);
	for batch in runs(&targets, |t| t.batch) {
		let mut files = Vec::new();
		for file in runs(batch, |t| t.file) {
			let known: Vec<(u64, Label)> = file
				.iter()
				.map(|t| (u64::from(t.node), labels.next().expect("n labels")))
				.collect();
			let top = climb_many(known, params.labels(), &mut hashes)?;
			let lower = hashes.next().ok_or(IdleError::MissingHashes)?;
			files.push((u64::from(file[0].file), file_commitment_of(&top, &lower)));
		}
		let b = &batch[0].batch;
		let top = climb_many(files, u64::from(b.count), &mut hashes)?;
		if batch_finalize(params, b.first, b.count, &top) != b.root {
			return Err(IdleError::RootMismatch);
		}
	}
	if hashes.next().is_some() {
		return Err(IdleError::TrailingHashes);
	}
	Ok(())
}

/// The length in bytes of the space proof of `samples` (what [`prove_space`] returns, computed
/// without any label); `None` if the samples are malformed.
pub fn space_proof_len(params: &IdleParams, samples: &[SpaceSample]) -> Option<usize> {
	let targets = targets(params, samples)?;
	let mut hashes = 0;
	for batch in runs(&targets, |t| t.batch) {
		let mut files = Vec::new();
		for file in runs(batch, |t| t.file) {
			let known = file.iter().map(|t| u64::from(t.node)).collect();
			hashes += crate::multiproof::siblings_taken(known, params.labels()) + 1;
			files.push(u64::from(file[0].file));
		}
		hashes += crate::multiproof::siblings_taken(files, u64::from(batch[0].batch.count));
	}
	Some(4 + 32 * (targets.len() + hashes))
}

/// What the prover supplies for one sample: the label, its path in the last layer's tree, the
/// file's lower root (`H_lower` of the roots of layers `1..L`) and the file's path in the batch
/// tree.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SpaceOpening {
	/// The sampled label.
	pub label: Label,
	/// Siblings from the label to the last layer's root (`log2 N`).
	pub path: Vec<Hash256>,
	/// `H_lower(root_1 ‖ … ‖ root_{L−1})` of the file.
	pub lower_root: Hash256,
	/// Siblings from the file commitment to the batch tree's top.
	pub batch_path: Vec<Hash256>,
}

impl SpaceOpening {
	/// The opening of `sample` from the file's last-layer tree, its lower root and the batch
	/// tree; `None` if an index is out of range.
	pub fn from_trees(
		sample: &SpaceSample,
		last: &LayerTree,
		lower_root: Hash256,
		batch: &BatchTree,
	) -> Option<Self> {
		Some(Self {
			label: last.label(sample.node)?,
			path: last.path(sample.node)?,
			lower_root,
			batch_path: batch.path(sample.file)?,
		})
	}
}

/// Builds the space proof of `samples`, asking `open` once for every distinct sample (a miner
/// that lost the label answers with an error, and the round's proof fails).
pub fn prove_space<E>(
	params: &IdleParams,
	samples: &[SpaceSample],
	mut open: impl FnMut(&SpaceSample) -> Result<SpaceOpening, E>,
) -> Result<Vec<u8>, ProveError<E>> {
	let targets = targets(params, samples).ok_or(ProveError::BadSamples)?;
	let depth = usize::from(params.layer_labels_log2);
	let mut openings = Vec::with_capacity(targets.len());
	for t in &targets {
		let o = open(t).map_err(ProveError::Source)?;
		if o.path.len() != depth
			|| path_len(u64::from(t.file), u64::from(t.batch.count)) != Some(o.batch_path.len())
		{
			return Err(ProveError::BadSource);
		}
		openings.push(o);
	}
	let mut hashes = Vec::new();
	let mut at = 0;
	for batch in runs(&targets, |t| t.batch) {
		let mut files = Vec::new();
		for file in runs(batch, |t| t.file) {
			let range = at..at + file.len();
			let lower = openings[at].lower_root;
			if openings[range.clone()].iter().any(|o| o.lower_root != lower) {
				return Err(ProveError::BadSource);
			}
			let known =
				range.map(|j| (u64::from(targets[j].node), &openings[j].path[..], 0)).collect();
			emit_many(known, params.labels(), &mut hashes).ok_or(ProveError::BadSource)?;
			hashes.push(lower);
			files.push((u64::from(file[0].file), &openings[at].batch_path[..], 0));
			at += file.len();
		}
		emit_many(files, u64::from(batch[0].batch.count), &mut hashes)
			.ok_or(ProveError::BadSource)?;
	}
	let h = u16::try_from(hashes.len()).map_err(|_| ProveError::TooLarge)?;
	let mut out = Vec::with_capacity(4 + 32 * (openings.len() + hashes.len()));
	out.extend_from_slice(&(openings.len() as u16).to_le_bytes());
	for o in &openings {
		out.extend_from_slice(&o.label);
	}
	out.extend_from_slice(&h.to_le_bytes());
	for s in &hashes {
		out.extend_from_slice(s);
	}
	Ok(out)
}
