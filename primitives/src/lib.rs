//! # cess-primitives
//!
//! The protocol core of the CESS storage chain, shared by the runtime, the node, the miner and the
//! client:
//!
//! * [`types`] — the basic identifiers and constants (file ids, segment/column indices, the
//!   erasure profile, leaf and segment sizes), defined once.
//! * [`fingerprint`] — the content fingerprints (SimHash, pHash, content hash) the data-rights
//!   pallet registers and compares.
//! * [`idle`] — idle-space proofs (stacked expanders): idle-file labelling, layer and batch
//!   commitments, the generation check and the space rounds, with (no_std) verification.
//! * [`layout`] — where every byte of an uploaded (ciphertext) stream lands: segments, fragments,
//!   256-byte leaves, and how many bytes each column stores.
//! * [`merkle`] — plain BLAKE2b-256 helpers and the commitments: a fragment's hash over its
//!   leaves, `file_id` over the fragment hashes (the trees of [`possession::tree`]).
//! * [`possession`] — PoDR² (v2, Merkle sampling): the 256-byte-leaf trees, byte-fair challenges
//!   over a snapshot of a miner's holdings, the multiproof, proving and (no_std) verification.
//! * [`probe`] — retrievability probes: the miner's HTTP endpoint, the request path and the
//!   one-sample proof a validator checks against the file id.
//! * [`sampling`] — deterministic draws from a seed (uniform values, distinct indices), shared
//!   by placement and probe targets.
//! * [`traits`] — the traits through which the storage pallets meet.
//!
//! Without the default `std` feature (but with `alloc`), the crate compiles for `wasm32v1-none`
//! with everything in it (the runtime expands challenges and verifies proofs in wasm); `std` only
//! turns on BLAKE2b's run-time SIMD detection.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

extern crate alloc;

pub mod decode;
pub mod fingerprint;
pub mod idle;
pub mod layout;
pub mod merkle;
mod multiproof;
pub mod possession;
pub mod probe;
pub mod sampling;
pub mod traits;
pub mod types;
