//! PoDR² v2: proofs of data possession by Merkle sampling (`PODR2.md`).
//!
//! Every fragment is committed by a BLAKE2b Merkle tree over 256-byte leaves ([`tree`]); a
//! file's id is the root over its fragment hashes. Each round the chain draws `c` leaves across a
//! snapshot of a miner's holdings, byte-fair ([`challenge`]); the miner answers with the leaves
//! and one multiproof of their paths to the file ids ([`proof`]), which the runtime checks with
//! plain BLAKE2b in wasm. No keys, no tags, no setup: whoever lacks a challenged leaf must find a
//! BLAKE2b preimage to answer.
//!
//! The byte formats are specified in the crate's README.

pub mod challenge;
pub mod hash;
pub mod proof;
pub mod tree;
pub mod uniform;

pub use challenge::{challenge_seed, expand, expand_one, Holding, Sample, DEFAULT_SAMPLES};
pub use hash::LEAF_BYTES;
pub use proof::{prove, verify, ProveError, SamplePath, VerifyError, MAX_PROOF_BYTES};
pub use tree::{file_id, fragment_hash, FileTree, FragmentTree, UpperLevels};
