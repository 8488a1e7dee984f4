//! `cess-miner`: the storage miner that runs next to a CESS node.
//!
//! * [`store`]: the crash-safe, content-addressed fragment store that never exceeds the declared
//!   capacity, with self-check and garbage collection.
//! * [`http`]: the read-only HTTP server (retrievability probes, `/metrics`, `/health`).
//! * [`metrics`]: the Prometheus metrics.
//! * [`prover`]: answers to audit challenges from the store.
//! * [`identity`]: the libp2p key in the data directory.
//! * [`idle`]: the idle files that prove spare capacity.
//! * [`service`]: `cess-miner run` (libp2p, tagging, proofs, self-check, GC, restoral).
//! * [`account`]: the on-chain account commands (`register`, `status`, …); [`cli`] their flags.
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

pub mod account;
pub mod cli;
pub mod http;
pub mod identity;
pub mod idle;
pub mod metrics;
pub mod prover;
pub mod service;
pub mod store;

/// Everything a miner command can fail with; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum MinerError {
	/// Talking to the chain failed.
	#[error(transparent)]
	Chain(#[from] cess_chain::ChainError),
	/// The fragment store failed.
	#[error(transparent)]
	Store(#[from] store::StoreError),
	/// A key file is unusable.
	#[error(transparent)]
	Identity(#[from] identity::IdentityError),
	/// The idle files failed.
	#[error(transparent)]
	Idle(#[from] idle::IdleStoreError),
	/// A flag's value is wrong.
	#[error("{0}")]
	Usage(String),
	/// The account has no miner record.
	#[error("account {0} is not registered as a miner: run `cess-miner register` first")]
	NotRegistered(String),
	/// No account was given.
	#[error(
		"no miner account: pass --account or set CESS_MINER_ACCOUNT (a mnemonic phrase, or \
		 //Alice on a dev chain)"
	)]
	NoAccount,
}
