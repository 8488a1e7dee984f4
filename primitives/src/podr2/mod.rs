//! PoDR² — Shacham–Waters homomorphic tags on BLS12-381, keyed by the miner
//! (`/work/shared/design/PODR2.md`).
//!
//! | step | function | who | feature |
//! |---|---|---|---|
//! | key, proof of possession | [`SecretKey::from_seed`], [`SecretKey::prove_possession`], [`verify_pop_bytes`] | miner / runtime | std |
//! | tag a fragment | [`Tagger::tag_fragment`], [`tag_fragment`] | miner | std |
//! | check a fragment's tags | [`check_tags_batched`] | owner's client, restorer | std |
//! | challenge | [`challenge_seed`], [`expand_challenge`] | runtime and miner | no_std |
//! | prove | [`prove()`] | miner | std |
//! | verify | [`verify()`], [`verify_proof_bytes`] | runtime (host function) | std |
//! | restoral opening | [`build_opening`], [`verify_opening`], [`verify_opening_bytes`] | restorer / runtime | std |
//! | encodings | [`Proof`], [`Tag`], [`OpeningProof`], [`encode_samples`] | everyone | no_std |
//!
//! Conventions: a sector is 31 bytes read little-endian as an `Fr` element (sector `j` of a block
//! pairs with generator `u_{j+1}`); blocks are `31·s` bytes, the last one zero-padded; `H(name ‖
//! le64(i))` and `u_j = hash_to_G1(le32(j))` use the DSTs in [`params`].
//!
//! ```
//! use cess_primitives::layout::FileLayout;
//! use cess_primitives::podr2::*;
//! use cess_primitives::types::ErasureProfile;
//!
//! let params = Params::default(); // s = 64
//! let sk = SecretKey::from_seed(&[7; 32]);
//! let pk = sk.public_key();
//! assert!(verify_pop_bytes(&pk.to_bytes(), b"miner", &sk.prove_possession(b"miner").to_bytes()));
//!
//! // The miner tags the fragment it stores (column 0 of segment 0 of a small file).
//! let layout = FileLayout::new(20_000, 32 << 20, ErasureProfile::new(2, 1)).unwrap();
//! let file_id = [1u8; 32];
//! let fragment = vec![42u8; layout.fragment_len(0) as usize];
//! let tags = tag_fragment(&sk, &name(&file_id, 0, 0), &fragment, params);
//!
//! // A round: both sides expand the same samples from the seed.
//! let seed = challenge_seed(&[9; 32], 1, b"miner");
//! let samples = expand_challenge(&seed, 4, 1, params, |_| Some((file_id, 0, layout))).unwrap();
//! let bb = params.block_bytes();
//! let blocks: Vec<ChallengedBlock<'_>> = samples
//!     .iter()
//!     .map(|s| {
//!         let data = &fragment[s.block as usize * bb..][..bb];
//!         ChallengedBlock { sample: *s, data, tag: tags[s.block as usize] }
//!     })
//!     .collect();
//! let proof = prove(&blocks, params).unwrap().to_bytes();
//! assert_eq!(proof.len(), 48 + 32 * 64);
//! assert!(verify_proof_bytes(&pk.to_bytes(), &encode_samples(&samples), &proof, 64));
//! ```

pub mod challenge;
pub mod encoding;
pub mod opening;
pub mod params;

#[cfg(feature = "std")]
pub mod batch_check;
#[cfg(feature = "std")]
mod curve;
#[cfg(feature = "std")]
mod fast_msm;
#[cfg(feature = "std")]
pub mod keys;
#[cfg(feature = "std")]
pub mod prove;
#[cfg(feature = "std")]
pub mod tag;
#[cfg(feature = "std")]
pub mod verify;

pub use challenge::{
	challenge_seed, decode_samples, encode_samples, expand_challenge, ChallengeError, Sample,
};
pub use encoding::{tags_from_bytes, tags_to_bytes, Proof, Tag};
pub use opening::{opening_indices, OpenedLeaf, OpeningEntry, OpeningProof};
pub use params::{name, Params};

#[cfg(feature = "std")]
pub use batch_check::{check_tags_batched, TagCheckError};
#[cfg(feature = "std")]
pub use keys::{verify_pop_bytes, ProofOfPossession, PublicKey, SecretKey};
#[cfg(feature = "std")]
pub use opening::{build_opening, verify_opening, verify_opening_bytes, OpeningError};
#[cfg(feature = "std")]
pub use prove::{prove, ChallengedBlock, ProveError};
#[cfg(feature = "std")]
pub use tag::{tag_fragment, Tagger};
#[cfg(feature = "std")]
pub use verify::{verify, verify_proof_bytes};
