//! `cess-node`: the CESS blockchain node.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are the SDK's own (large) error types.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod network_config;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
