//! `cess-miner`: the storage miner that runs next to a CESS node.
//!
//! * [`store`]: the crash-safe, content-addressed fragment store that never exceeds the declared
//!   capacity, with self-check and garbage collection.
//! * [`http`]: the read-only HTTP server (retrievability probes, `/metrics`, `/health`).
//! * [`metrics`]: the Prometheus metrics.
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

pub mod http;
pub mod metrics;
pub mod store;
