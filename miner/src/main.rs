//! `cess-miner`: see `cess-miner --help` and docs/running-a-miner.md.

use std::process::ExitCode;

use cess_miner::{
	account::{self, Context},
	cli::{Cli, Command},
	identity::Identity,
	MinerError,
};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let filter = tracing_subscriber::EnvFilter::try_new(&cli.common.log)
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), MinerError> {
	let common = cli.common;
	let secret = common.account.as_deref().ok_or(MinerError::NoAccount)?;
	let key = cess_chain::signer(secret)?;
	let identity = Identity::load_or_create(&common.data_dir)?;
	let client = cess_chain::connect(&common.rpc_url).await?;
	if let Command::Run(args) = &cli.command {
		drop(client);
		return cess_miner::service::run(&common.rpc_url, key, identity, &common.data_dir, args)
			.await;
	}
	let ctx = Context { client, key, identity };
	match &cli.command {
		Command::Register(args) => account::register(&ctx, args).await,
		Command::Status => account::status(&ctx, &common.data_dir.join("store")).await,
		Command::IncreaseCollateral { amount } => account::increase_collateral(&ctx, amount).await,
		Command::UpdateEndpoint(args) => account::update_endpoint(&ctx, args).await,
		Command::Exit => account::exit(&ctx).await,
		Command::Withdraw => account::withdraw(&ctx).await,
		Command::ClaimRewards => account::claim_rewards(&ctx).await,
		Command::Run(_) => unreachable!("handled above"),
	}
}
