//! Command-line interface of `cess-miner`. Every option can also come from the environment
//! (`CESS_*`), so a service file can hold the configuration.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The CESS storage miner.
#[derive(Debug, Parser)]
#[command(name = "cess-miner", version, about)]
pub struct Cli {
	/// Options every command shares.
	#[command(flatten)]
	pub common: Common,
	/// What to do.
	#[command(subcommand)]
	pub command: Command,
}

/// Options every command shares.
#[derive(Debug, Args)]
pub struct Common {
	/// WebSocket JSON-RPC endpoint of a CESS node.
	#[arg(long, env = "CESS_RPC_URL", default_value = cess_chain::DEFAULT_RPC_URL, global = true)]
	pub rpc_url: String,
	/// Secret URI of the miner account: a mnemonic phrase (optionally with //derivations) or a
	/// dev account such as //Alice.
	#[arg(long, env = "CESS_MINER_ACCOUNT", hide_env_values = true, global = true)]
	pub account: Option<String>,
	/// Directory of the miner's keys and fragment store.
	#[arg(long, env = "CESS_MINER_DATA_DIR", default_value = "cess-miner-data", global = true)]
	pub data_dir: PathBuf,
	/// Log filter (`info`, `debug`, `cess-miner=trace`, …).
	#[arg(long, env = "CESS_LOG", default_value = "info", global = true)]
	pub log: String,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Run the miner: receive, check and store fragments, prove every round, serve downloads and
	/// probes, restore lost columns. Stops on Ctrl-C.
	Run(Run),
	/// Register this miner on chain: declares capacity, puts collateral on hold and publishes the
	/// peer id and endpoints.
	Register(Register),
	/// Show the miner's on-chain record, local store and claimable rewards.
	Status,
	/// Put more collateral on hold.
	IncreaseCollateral {
		/// Amount in TCESS (e.g. `1000` or `0.5`).
		amount: String,
	},
	/// Publish new endpoints (and the current peer id).
	UpdateEndpoint(Endpoints),
	/// Start leaving: no new data; held columns go to restoral.
	Exit,
	/// After an exit has cooled down, release the collateral and remove the record.
	Withdraw,
	/// Claim every claimable era's reward (20 % paid now, the rest vests).
	ClaimRewards,
}

/// Where clients, miners and validators reach this miner.
#[derive(Debug, Args)]
pub struct Endpoints {
	/// A libp2p multiaddr clients and miners dial (repeatable), e.g. `/ip4/203.0.113.7/tcp/15001`.
	#[arg(long = "p2p-addr", required = true)]
	pub p2p: Vec<String>,
	/// The HTTP probe endpoint validators fetch from, e.g. `/ip4/203.0.113.7/tcp/15002/http`.
	#[arg(long = "http-addr", required = true)]
	pub http: String,
}

/// Arguments of `register`.
#[derive(Debug, Args)]
pub struct Register {
	/// Capacity to declare (`100GiB`, `2TiB`, bytes).
	#[arg(long)]
	pub capacity: String,
	/// Collateral in TCESS; defaults to the chain's requirement for the capacity.
	#[arg(long)]
	pub collateral: Option<String>,
	/// Account that receives rewards (SS58); defaults to the miner account. Another account
	/// receives them once it accepts (`cess accept-beneficiary <miner>`).
	#[arg(long)]
	pub beneficiary: Option<String>,
	/// Endpoints.
	#[command(flatten)]
	pub endpoints: Endpoints,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct Run {
	/// Where the libp2p host listens (repeatable).
	#[arg(long, env = "CESS_P2P_LISTEN", default_value = "/ip4/0.0.0.0/tcp/15001")]
	pub p2p_listen: Vec<String>,
	/// Where the HTTP server (probes, /metrics, /health) listens.
	#[arg(long, env = "CESS_HTTP_LISTEN", default_value = "0.0.0.0:15002")]
	pub http_listen: String,
	/// Seconds between self-checks (every held fragment re-hashed).
	#[arg(long = "self-check-interval", env = "CESS_SELF_CHECK_INTERVAL", default_value_t = 3600)]
	pub self_check_secs: u64,
	/// Seconds between garbage collections (also the minimum age of collected objects).
	#[arg(long = "gc-interval", env = "CESS_GC_INTERVAL", default_value_t = 1800)]
	pub gc_secs: u64,
	/// Do not claim restoral orders.
	#[arg(long)]
	pub no_restoral: bool,
	/// Idle space to generate and prove on spare disk (`2TiB`, `500GiB`, bytes; 0: none). It
	/// earns the idle share of rewards and is what user data is placed on
	/// (`docs/idle-space.md`).
	#[arg(long, env = "CESS_IDLE_SPACE", default_value = "0")]
	pub idle_space: String,
	/// Threads idle generation and its proofs may use.
	#[arg(long, env = "CESS_IDLE_THREADS", default_value_t = 1)]
	pub idle_threads: usize,
}
