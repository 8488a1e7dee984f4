//! # cess-primitives
//!
//! The protocol core of the CESS storage chain, shared by the runtime, the node, the miner and the
//! client:
//!
//! * [`types`] — the basic identifiers and constants (file ids, segment/column indices, the
//!   erasure profile, sector/block/segment sizes), defined once.
//! * [`fingerprint`] — the content fingerprints (SimHash, pHash, content hash) the data-rights
//!   pallet registers and compares.
//! * [`layout`] — where every byte of an uploaded (ciphertext) stream lands: segments, fragments,
//!   PoDR² blocks, and how many bytes each column stores.
//! * [`merkle`] — the Blake2b-256 commitments: fragment hash over a fragment's blocks, `file_id`
//!   over the fragment hashes, inclusion proofs and their (no_std) verification.
//! * [`podr2`] — the PoDR² proof-of-data-possession scheme (Shacham–Waters on BLS12-381): miner
//!   keys, tagging, batched tag checks, challenge expansion, proving, verification and the restoral
//!   opening proof.
//! * [`possession`] — PoDR² v2: the 256-byte-leaf trees, byte-fair challenges over a snapshot of
//!   a miner's holdings, the multiproof, proving and (no_std) verification.
//! * [`probe`] — retrievability probes: the miner's HTTP endpoint, the request path and the
//!   response a validator checks against the file id.
//! * [`sampling`] — deterministic draws from a seed (uniform values, distinct indices), shared
//!   by placement, restoral openings and audit challenges.
//! * [`host`] — the runtime interface through which the runtime verifies PoDR² natively.
//! * [`traits`] — the traits through which the storage pallets meet.
//!
//! Without the default `std` feature (but with `alloc`), the crate compiles for `wasm32v1-none`
//! and provides the types, layout, Merkle verification, challenge expansion and the byte
//! encodings/decoders of proofs. All curve arithmetic (blst) needs `std`.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

extern crate alloc;

pub mod decode;
pub mod fingerprint;
pub mod host;
pub mod layout;
pub mod merkle;
pub mod podr2;
pub mod possession;
pub mod probe;
pub mod sampling;
pub mod traits;
pub mod types;
