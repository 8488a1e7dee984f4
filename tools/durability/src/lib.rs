//! # CESS durability
//!
//! Annual file-loss probability of the chain's erasure profiles under miner churn.
//!
//! ## Overview
//!
//! A file is stored as `k + m` fragment columns on `k + m` distinct miners and is lost when
//! fewer than `k` columns survive. Miners leave (or lose their data) independently with a
//! monthly probability, the churn; every lost column is rebuilt onto another miner after a
//! repair latency (loss detection, claim, rebuild, proof), all columns in parallel.
//!
//! * [`model`]: the exact continuous-time Markov chain over the number of lost columns of one
//!   file, with exponentially distributed repair latency; its annual loss probability
//!   ([`model::loss_probability`]) keeps ten significant digits down to 1e-34, and
//!   [`model::max_repair_latency`] finds the longest mean latency that meets a target.
//! * [`sim`]: two seeded Monte Carlo simulators, one file at a time and a network of miners
//!   holding many files, with exponential or fixed repair latency; the tests check the model
//!   against them where losses are frequent enough to count.
//! * [`chain`]: the chain's parameters that bound the repair latency.
//! * [`tables`]: the tables of `docs/durability.md`, printed by the `cess-durability` binary; a
//!   test keeps the document equal to them.

#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

pub mod chain;
pub mod model;
pub mod sim;
pub mod tables;

pub use model::{Profile, Scenario};

/// Hours in a (Julian) year, the period of the loss probabilities.
pub const HOURS_PER_YEAR: f64 = 365.25 * 24.0;
/// Hours in a month: a twelfth of a year.
pub const HOURS_PER_MONTH: f64 = HOURS_PER_YEAR / 12.0;
