//! Idle-space proofs: proof of space from stacked expanders (Ren–Devadas, TCC 2016), verified
//! by the runtime in wasm (`IDLE-SPACE.md`, `docs/idle-space.md`).
//!
//! An idle file is `L + 1` layers of `N` 32-byte labels. Layer 0 comes from the file's seed
//! ([`file_seed`]); every label of layer `l ≥ 1` hashes the seed, its position and the labels of
//! its `d` parents in layer `l − 1`, chosen by a fixed pseudo-random bipartite expander
//! ([`graph`]). The miner keeps only the last layer. Each layer is committed by a Merkle tree
//! whose leaves are the labels ([`commit`]); a batch of idle files is committed by one root over
//! the files' commitments, which is all the chain keeps.
//!
//! * [`label`] — generation: layer 0, one layer from the previous one in caller buffers (several
//!   labels at a time on SIMD lanes), whole files, and with `std` a multi-threaded generator.
//! * [`commit`] — layer trees, the file commitment, batch trees and roots.
//! * [`check`] — the generation check: sampled `(file, layer, node)` openings with their parents,
//!   proved once per batch from randomness drawn after the commitment.
//! * [`space`] — the space challenge of an audit round: sampled last-layer labels with one
//!   multiproof to the batch roots.
//!
//! The byte formats are specified in the crate's README.

pub mod check;
pub mod commit;
pub mod graph;
pub mod hash;
pub mod label;
pub mod params;
pub mod space;
pub mod sparse;

pub use check::{
	generation_challenge, generation_proof_len, generation_seed, prove_generation,
	verify_generation, GenSample, Regenerate, DEFAULT_GENERATION_SAMPLES,
	MAX_GENERATION_PROOF_BYTES,
};
pub use commit::{
	batch_root, file_commitment, layer_root, BatchTree, IdleBatch, LayerTree, LayerView,
};
pub use hash::{file_seed, miner_id};
pub use label::{generate, layer0, next_layer, GeneratedFile};
#[cfg(feature = "std")]
pub use label::{generate_parallel, next_layer_parallel};
pub use params::{IdleParams, Label, LABEL_BYTES};
pub use space::{
	prove_space, space_challenge, space_challenge_live, space_proof_len, space_seed, verify_space,
	SpaceOpening, SpaceSample, DEFAULT_SPACE_SAMPLES, MAX_SPACE_PROOF_BYTES,
};

use crate::decode::DecodeError;

/// Why an idle-space proof (generation check or space round) was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IdleError {
	/// The parameters are outside the supported range.
	BadParams,
	/// There was nothing to prove (no samples).
	NoSamples,
	/// A sample is malformed (out of range) or contradicts another of the same batch.
	BadSample,
	/// The proof bytes do not decode.
	Decode(DecodeError),
	/// The proof has another number of labels than the samples need.
	LabelCount,
	/// The proof has too few hashes for the roots and paths.
	MissingHashes,
	/// The proof has hashes left over.
	TrailingHashes,
	/// A supplied parent label differs from the same label recomputed from its own parents.
	ParentConflict,
	/// A layer's labels (sampled labels recomputed from their parents, and supplied parent
	/// labels) with their paths do not reach that layer's committed root: a label was not
	/// computed as specified, or a path is wrong.
	InconsistentLabel,
	/// The paths do not lead to the batch root.
	RootMismatch,
}

impl From<crate::multiproof::ClimbError> for IdleError {
	fn from(e: crate::multiproof::ClimbError) -> Self {
		match e {
			crate::multiproof::ClimbError::MissingHashes => Self::MissingHashes,
			crate::multiproof::ClimbError::Empty => Self::BadSample,
		}
	}
}

impl core::fmt::Display for IdleError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::BadParams => f.write_str("idle parameters out of range"),
			Self::NoSamples => f.write_str("no samples to prove"),
			Self::BadSample => f.write_str("malformed or inconsistent sample"),
			Self::Decode(e) => write!(f, "proof does not decode: {e}"),
			Self::LabelCount => f.write_str("proof has the wrong number of labels"),
			Self::MissingHashes => f.write_str("proof has too few hashes"),
			Self::TrailingHashes => f.write_str("proof has unused hashes"),
			Self::ParentConflict => f.write_str("a parent label contradicts its recomputation"),
			Self::InconsistentLabel => f.write_str("a layer opening does not reach its root"),
			Self::RootMismatch => f.write_str("paths do not lead to the batch root"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for IdleError {}

/// Why a proof could not be built.
#[derive(Debug)]
pub enum ProveError<E> {
	/// The source of labels or openings failed (for a miner: a challenged label is missing).
	Source(E),
	/// The samples are malformed or empty, or the parameters are out of range.
	BadSamples,
	/// The source gave labels or paths that do not match the commitments.
	BadSource,
	/// The proof would exceed the format's bounds.
	TooLarge,
}

impl<E: core::fmt::Display> core::fmt::Display for ProveError<E> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Source(e) => write!(f, "reading a challenged label failed: {e}"),
			Self::BadSamples => f.write_str("the challenge's samples are malformed"),
			Self::BadSource => f.write_str("the labels or paths do not match the commitments"),
			Self::TooLarge => f.write_str("the proof exceeds the format's bounds"),
		}
	}
}

#[cfg(feature = "std")]
impl<E: core::fmt::Debug + core::fmt::Display> std::error::Error for ProveError<E> {}
