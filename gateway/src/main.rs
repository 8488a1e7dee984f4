//! `cess-gateway`: an S3-compatible gateway to CESS storage. See `docs/s3-gateway.md`.

mod account;
mod cache;
mod error;
mod keys;
mod metrics;
mod multipart;
mod read;
mod s3;
mod server;
mod state;
mod write;

use std::{collections::HashMap, net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use clap::{Parser, Subcommand};

use crate::{account::Account, keys::AccessKey, state::Config};

/// An S3-compatible gateway to CESS: buckets and objects on chain, data encrypted here,
/// erasure-coded and stored by miners.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
	#[command(subcommand)]
	command: Option<Command>,
	/// WebSocket RPC URL of a CESS node.
	#[arg(long, env = "CESS_RPC_URL", default_value = cess_chain::DEFAULT_RPC_URL)]
	rpc_url: String,
	/// Single-user mode: the account (secret URI) to serve; an access key pair is generated for
	/// it on first start (kept in the state directory's `keys` file) and printed.
	#[arg(long, env = "CESS_ACCOUNT", hide_env_values = true, conflicts_with = "keys")]
	account: Option<String>,
	/// The key file (mode 0600): `ACCESS_KEY SECRET_KEY ACCOUNT_URI` a line.
	#[arg(long, env = "CESS_GATEWAY_KEYS")]
	keys: Option<PathBuf>,
	/// Address the S3 endpoint listens on.
	#[arg(long, default_value = "127.0.0.1:9000")]
	listen: SocketAddr,
	/// Address of the Prometheus endpoint (`/metrics`, `/health`).
	#[arg(long, default_value = "127.0.0.1:9616")]
	metrics: SocketAddr,
	/// Where the cache, the spooled extents and the multipart state live.
	#[arg(long, env = "CESS_GATEWAY_DIR", default_value = "cess-gateway")]
	state_dir: PathBuf,
	/// Size cap of the segment cache, MiB.
	#[arg(long, default_value_t = 4096)]
	cache_mib: u64,
	/// Plaintext MiB per extent (one CESS file) of a stored body.
	#[arg(long, default_value_t = 64)]
	extent_mib: u64,
	/// Extents stored at once, across requests (each spooled on disk while it is declared,
	/// pushed and awaited on chain).
	#[arg(long, default_value_t = 4)]
	uploads: usize,
	/// Encoding passes at once (each holds about one segment's fragments in memory).
	#[arg(long, default_value_t = 2)]
	encoders: usize,
	/// Decoded segments held for clients at once (32 MiB each at the default segment size).
	#[arg(long, default_value_t = 6)]
	read_segments: usize,
	/// Connections served at once.
	#[arg(long, default_value_t = 256)]
	max_connections: usize,
	/// Seconds a client may take to accept the next MiB of a download.
	#[arg(long, default_value_t = 60)]
	send_timeout: u64,
	/// Seconds after which an open multipart upload is aborted and its parts deleted.
	#[arg(long, default_value_t = 7 * 24 * 3600)]
	abandon_after: u64,
	/// Seconds an extent may take to become Active.
	#[arg(long, default_value_t = write::DEFAULT_UPLOAD_TIMEOUT.as_secs())]
	upload_timeout: u64,
	/// Log filter (`info`, `cess_gateway=debug`, …).
	#[arg(long, env = "CESS_LOG", default_value = "info")]
	log: String,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Manage the key file.
	#[command(subcommand)]
	Key(KeyCommand),
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
	/// Generate an access key pair for an account and append it to the key file (created 0600).
	New {
		/// The key file.
		#[arg(long, env = "CESS_GATEWAY_KEYS")]
		keys: PathBuf,
		/// The account's secret URI.
		#[arg(long, env = "CESS_ACCOUNT", hide_env_values = true)]
		account: String,
	},
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let filter = tracing_subscriber::EnvFilter::try_new(&cli.log)
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	if let Err(e) = run(cli).await {
		eprintln!("error: {e}");
		std::process::exit(1);
	}
}

async fn run(cli: Cli) -> Result<(), String> {
	if let Some(Command::Key(KeyCommand::New { keys, account })) = &cli.command {
		cess_chain::signer(account).map_err(|e| e.to_string())?;
		let key = AccessKey::generate(account);
		keys::append(keys, &key).map_err(|e| e.to_string())?;
		println!("access key: {}\nsecret key: {}", key.access, key.secret);
		return Ok(());
	}
	std::fs::create_dir_all(&cli.state_dir)
		.map_err(|e| format!("cannot create {}: {e}", cli.state_dir.display()))?;
	let keys = match (&cli.keys, &cli.account) {
		(Some(path), _) => keys::load(path).map_err(|e| e.to_string())?,
		(None, Some(account)) => {
			let key = keys::single_user(&cli.state_dir.join("keys"), account)
				.map_err(|e| e.to_string())?;
			println!("access key: {}\nsecret key: {}", key.access, key.secret);
			vec![key]
		},
		(None, None) => {
			return Err("give --account URI (single-user mode) or --keys FILE (see `cess-gateway \
			            key new --help`)"
				.into())
		},
	};
	let accounts = connect_accounts(&cli.rpc_url, &keys).await?;
	let host = cess_client::session::peers::client_host().await.map_err(|e| e.to_string())?;
	let metrics = Arc::new(metrics::Metrics::new());
	let config = Config {
		extent_bytes: cli.extent_mib.max(1) << 20,
		uploads: cli.uploads.max(1),
		encoders: cli.encoders.max(1),
		read_segments: cli.read_segments,
		scratch_dir: cli.state_dir.join("scratch"),
		upload_timeout: Duration::from_secs(cli.upload_timeout),
		send_timeout: Duration::from_secs(cli.send_timeout),
		abandon_after: Duration::from_secs(cli.abandon_after),
	};
	let gateway = state::Gateway::new(
		accounts,
		host,
		&cli.state_dir,
		cli.cache_mib << 20,
		config,
		metrics.clone(),
	)
	.map_err(|e| format!("cannot prepare {}: {e}", cli.state_dir.display()))?;
	let gateway = Arc::new(gateway);

	let mut auth = s3s::auth::SimpleAuth::new();
	for key in &keys {
		auth.register(key.access.clone(), key.secret.clone().into());
	}
	let mut builder = s3s::service::S3ServiceBuilder::new(s3::CessS3(gateway.clone()));
	builder.set_auth(auth);
	let service = builder.build();

	let listener = tokio::net::TcpListener::bind(cli.listen)
		.await
		.map_err(|e| format!("cannot listen on {}: {e} (pick another --listen)", cli.listen))?;
	let metrics_listener = tokio::net::TcpListener::bind(cli.metrics)
		.await
		.map_err(|e| format!("cannot listen on {}: {e} (pick another --metrics)", cli.metrics))?;
	let sweep = Duration::from_secs((cli.abandon_after / 3).clamp(1, 60));
	tokio::spawn(gateway.clone().sweep_abandoned(sweep));
	tokio::spawn(server::serve_metrics(metrics_listener, metrics));
	tracing::info!(
		target: "cess-gateway",
		listen = %cli.listen,
		metrics = %cli.metrics,
		accounts = gateway.accounts.len(),
		"serving S3"
	);
	tokio::select! {
		result = server::serve(listener, service, cli.max_connections) => {
			result.map_err(|e| format!("accepting connections failed: {e}"))
		},
		_ = tokio::signal::ctrl_c() => {
			tracing::info!(target: "cess-gateway", "stopping");
			Ok(())
		},
	}
}

/// One connection per distinct account of the key file.
async fn connect_accounts(
	url: &str,
	keys: &[AccessKey],
) -> Result<HashMap<String, Arc<Account>>, String> {
	let mut by_uri: HashMap<&str, Arc<Account>> = HashMap::new();
	let mut accounts = HashMap::new();
	for key in keys {
		let account = match by_uri.get(key.account.as_str()) {
			Some(account) => account.clone(),
			None => {
				let account = Arc::new(
					Account::connect(url, &key.account)
						.await
						.map_err(|e| format!("access key {}: {e}", key.access))?,
				);
				by_uri.insert(&key.account, account.clone());
				account
			},
		};
		accounts.insert(key.access.clone(), account);
	}
	Ok(accounts)
}
