//! The `benchmark` subcommand (feature `runtime-benchmarks`): pallet weights, block execution,
//! storage access and machine checks, run against this node's runtime and host functions.

use crate::{
	cli::Cli,
	service::{self, HostFunctions},
};
use cess_runtime::opaque::Block;
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use polkadot_sdk::{
	sc_cli::{self, SubstrateCli},
	sc_service::PartialComponents,
	sp_runtime::traits::HashingFor,
	*,
};

/// Run one benchmark subcommand.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	runner.sync_run(|config| match cmd {
		BenchmarkCmd::Pallet(cmd) => {
			cmd.run_with_spec::<HashingFor<Block>, HostFunctions>(Some(config.chain_spec))
		},
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		},
		BenchmarkCmd::Storage(cmd) => {
			let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_trie_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_trie_cache)
		},
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
		BenchmarkCmd::Overhead(_) | BenchmarkCmd::Extrinsic(_) => Err(
			"`benchmark overhead` and `benchmark extrinsic` are not supported by cess-node: use \
			 `benchmark pallet` for weights."
				.into(),
		),
	})
}
