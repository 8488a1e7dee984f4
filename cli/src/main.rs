//! `cess`: store, fetch, share and manage files on a CESS chain. See `cess --help` and
//! docs/using-the-cli.md.

mod beneficiary;
mod context;
mod download;
mod files;
mod objects;
mod rights;
mod space;
mod upload;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

/// Store files on CESS: encrypted, erasure-coded, audited every round; license and share them.
#[derive(Debug, Parser)]
#[command(
	name = "cess",
	version,
	about = "Store files on CESS: encrypted, erasure-coded, audited every round"
)]
struct Cli {
	/// WebSocket JSON-RPC endpoint of a CESS node.
	#[arg(long, env = "CESS_RPC_URL", default_value = cess_chain::DEFAULT_RPC_URL, global = true)]
	rpc_url: String,
	/// Secret URI of your account: a mnemonic phrase (optionally with //derivations) or a dev
	/// account such as //Alice. Your files' encryption key is derived from it.
	#[arg(long, env = "CESS_ACCOUNT", hide_env_values = true, global = true)]
	account: Option<String>,
	/// Log filter (`warn`, `info`, `debug`, …).
	#[arg(long, env = "CESS_LOG", default_value = "warn", global = true)]
	log: String,
	/// Hide progress bars.
	#[arg(long, global = true)]
	quiet: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Show the account: address, balance, storage lease, encryption public key.
	Account,
	/// Price of `--gib` GiB for `--days` days.
	Quote {
		/// GiB.
		#[arg(long)]
		gib: u32,
		/// Days.
		#[arg(long)]
		days: u32,
	},
	/// Buy a storage lease.
	BuySpace {
		/// GiB.
		#[arg(long)]
		gib: u32,
		/// Days.
		#[arg(long)]
		days: u32,
	},
	/// Add GiB to the lease until it expires.
	ExpandSpace {
		/// GiB to add.
		#[arg(long)]
		gib: u32,
	},
	/// Extend the lease.
	RenewSpace {
		/// Days to add.
		#[arg(long)]
		days: u32,
	},
	/// Encrypt, erasure-code and store a file; prints its file id.
	Upload(upload::UploadArgs),
	/// Fetch a file by id, or an object by `bucket/key`, and decrypt it.
	Download {
		/// The file id (64 hex digits) or `bucket/key`.
		what: String,
		/// Where to write the file.
		output: PathBuf,
	},
	/// Stop owning a file; the last owner's delete removes it from the miners.
	Delete {
		/// The file id.
		file_id: String,
	},
	/// List your files and buckets, or with `bucket[/prefix]` the objects in a bucket.
	Ls {
		/// `bucket` or `bucket/prefix`.
		path: Option<String>,
		/// List every key under the prefix, not one level.
		#[arg(long, short)]
		recursive: bool,
	},
	/// Remove the object `bucket/key` (its file is deleted once no other key names it).
	Rm {
		/// `bucket/key`.
		path: String,
	},
	/// Buckets: create, delete (empty), list.
	#[command(subcommand)]
	Bucket(objects::BucketCommand),
	/// A file's state, columns, miners and their last audits.
	Info {
		/// The file id.
		file_id: String,
	},
	/// Ownership certificates: register, show, transfer, resolve disputes.
	#[command(subcommand)]
	Rights(rights::RightsCommand),
	/// Licensing policy of a certified file.
	#[command(subcommand)]
	Policy(PolicyCommand),
	/// Access to certified files: request, grant, deny, revoke, cancel, list.
	#[command(subcommand)]
	Access(rights::AccessCommand),
	/// Accept to receive a miner's storage rewards (after it named this account with
	/// `cess-miner register --beneficiary` or `update-beneficiary`).
	AcceptBeneficiary {
		/// The miner's account address.
		miner: String,
	},
	/// A file's evidence log: every registration, request, grant, payment and transfer.
	Log {
		/// The file id.
		file_id: String,
		/// First record (its number).
		#[arg(long, default_value_t = 0)]
		from: u32,
		/// Records to show.
		#[arg(long, default_value_t = 100)]
		limit: u32,
	},
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
	/// Set who may access the file and on what terms.
	Set(rights::PolicyArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let filter = tracing_subscriber::EnvFilter::try_new(&cli.log)
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}

async fn run(cli: Cli) -> Result<(), context::CliError> {
	let ctx = context::Context::new(&cli.rpc_url, cli.account.as_deref(), cli.quiet).await?;
	match cli.command {
		Command::Account => space::account(&ctx).await,
		Command::Quote { gib, days } => space::quote(&ctx, gib, days).await,
		Command::BuySpace { gib, days } => space::buy(&ctx, gib, days).await,
		Command::ExpandSpace { gib } => space::expand(&ctx, gib).await,
		Command::RenewSpace { days } => space::renew(&ctx, days).await,
		Command::Upload(args) => upload::upload(&ctx, &args).await,
		Command::Download { what, output } => match context::parse_file_id(&what) {
			Ok(file_id) => download::download(&ctx, file_id, &output).await,
			Err(_) if what.contains('/') => {
				objects::get(&ctx, &objects::ObjectPath::parse(&what)?, &output).await
			},
			Err(e) => Err(e),
		},
		Command::Delete { file_id } => files::delete(&ctx, context::parse_file_id(&file_id)?).await,
		Command::Ls { path: None, .. } => files::ls(&ctx).await,
		Command::Ls { path: Some(path), recursive } => objects::list(&ctx, &path, recursive).await,
		Command::Rm { path } => objects::rm(&ctx, &objects::ObjectPath::parse(&path)?).await,
		Command::Bucket(command) => objects::bucket(&ctx, command).await,
		Command::Info { file_id } => files::info(&ctx, context::parse_file_id(&file_id)?).await,
		Command::Rights(command) => rights::rights(&ctx, command).await,
		Command::Policy(PolicyCommand::Set(args)) => rights::policy(&ctx, args).await,
		Command::Access(command) => rights::access(&ctx, command).await,
		Command::AcceptBeneficiary { miner } => beneficiary::accept(&ctx, &miner).await,
		Command::Log { file_id, from, limit } => {
			rights::log(&ctx, context::parse_file_id(&file_id)?, from, limit).await
		},
	}
}
