//! `cess-miner run`: the long-running miner.
//!
//! * [`inbound`]: the libp2p push and fetch protocols (fragments in and checked, acceptance →
//!   `transfer_report`; manifests and fragments out).
//! * [`audit`]: one PoDR² proof per round.
//! * [`upkeep`]: self-check with loss reports, garbage collection against the chain.
//! * [`restoral`]: claims restoral orders, rebuilds lost columns from peers, completes them.
//! * [`idle`]: idle files generated, declared and proved (`--idle-space`).
//! * [`chain`]: the node connection, reconnected when it drops.

pub mod audit;
pub mod chain;
pub mod idle;
pub mod inbound;
pub mod restoral;
pub mod upkeep;

use std::{
	collections::HashMap,
	net::SocketAddr,
	sync::{Arc, Mutex},
	time::Duration,
};

use cess_chain::Keypair;
use cess_client::{net::Host, FileManifest};
use cess_primitives::types::{Column, FileId};
use multiaddr::Multiaddr;
use tokio::sync::mpsc;

/// Requests received but not yet handled.
const INBOUND_QUEUE: usize = 4;
/// Requests handled at once.
const MAX_HANDLERS: usize = 8;

use crate::{
	cli::Run,
	http::{self, HttpState},
	identity::Identity,
	metrics::Metrics,
	store::FragmentStore,
	MinerError,
};
use chain::ChainLink;

/// Everything the miner's tasks share.
pub struct Service {
	/// The node connection.
	pub chain: ChainLink,
	/// The fragment store.
	pub store: Arc<FragmentStore>,
	/// The libp2p host.
	pub host: Host,
	/// Metrics.
	pub metrics: Arc<Metrics>,
	/// Columns offered by owners and not yet accepted.
	pub offers: Mutex<HashMap<(FileId, Column), Arc<FileManifest>>>,
	/// The chain's segment size.
	pub segment_size: u64,
	/// Held by the self-check pass under way, so that passes never overlap.
	pub self_check: tokio::sync::Mutex<()>,
}

/// Runs the miner until it is stopped.
pub async fn run(
	rpc_url: &str,
	key: Keypair,
	identity: Identity,
	data_dir: &std::path::Path,
	args: &Run,
) -> Result<(), MinerError> {
	let chain = ChainLink::connect(rpc_url, key).await?;
	let me = chain.account();
	let info = chain.miner(me).await?.ok_or_else(|| MinerError::NotRegistered(me.to_string()))?;
	if info.peer_id.0 != identity.peer_id().to_bytes() {
		tracing::warn!(
			"the registered peer id is not this miner's: run `cess-miner update-endpoint`"
		);
	}
	let store = Arc::new(FragmentStore::open(data_dir.join("store"), info.declared)?);
	let metrics = Arc::new(Metrics::new());
	metrics.store_capacity_bytes.set(info.declared as i64);
	metrics.store_used_bytes.set(store.used() as i64);
	metrics.held_columns.set(store.held_columns().len() as i64);

	let listen: Vec<Multiaddr> = args
		.p2p_listen
		.iter()
		.map(|a| a.parse().map_err(|e| MinerError::Usage(format!("--p2p-listen `{a}`: {e}"))))
		.collect::<Result<_, _>>()?;
	// Few requests wait for the handler: with the network's budget for requests being read,
	// this bounds the memory a flood of maximal frames can take (`docs/security.md`).
	let (inbound_tx, mut inbound_rx) = mpsc::channel(INBOUND_QUEUE);
	let host = Host::start(identity.network, &listen, Some(inbound_tx))
		.await
		.map_err(|e| MinerError::Usage(e.to_string()))?;
	let http_addr: SocketAddr = args
		.http_listen
		.parse()
		.map_err(|e| MinerError::Usage(format!("--http-listen `{}`: {e}", args.http_listen)))?;
	let listener = tokio::net::TcpListener::bind(http_addr).await.map_err(|e| {
		MinerError::Usage(format!("cannot listen on {http_addr}: {e} (is the port in use?)"))
	})?;
	let segment_size = chain.segment_size().await?;
	let service = Arc::new(Service {
		chain,
		store: store.clone(),
		host,
		metrics: metrics.clone(),
		offers: Mutex::new(HashMap::new()),
		segment_size,
		self_check: tokio::sync::Mutex::new(()),
	});
	tracing::info!(
		account = %me,
		peer_id = %service.host.peer_id(),
		p2p = ?service.host.listen_addrs(),
		http = %http_addr,
		capacity = info.declared,
		used = store.used(),
		columns = store.held_columns().len(),
		"miner running"
	);

	let state = Arc::new(HttpState { store, metrics });
	tokio::spawn(async move {
		if let Err(e) = http::serve(listener, state).await {
			tracing::error!(error = %e, "HTTP server stopped");
		}
	});
	tokio::spawn(audit::prove_rounds(service.clone()));
	tokio::spawn(upkeep::self_check(service.clone(), Duration::from_secs(args.self_check_secs)));
	tokio::spawn(upkeep::collect_garbage(service.clone(), Duration::from_secs(args.gc_secs)));
	if !args.no_restoral {
		tokio::spawn(restoral::work_orders(service.clone()));
	}
	let idle_target = cess_chain::units::parse_size(&args.idle_space)
		.map_err(|e| MinerError::Usage(format!("--idle-space: {e}")))?;
	if idle_target > 0 {
		let params = service.chain.idle_params().await?;
		let store = crate::idle::IdleStore::open(
			data_dir.join("idle"),
			params,
			me.0,
			service.chain.genesis().await,
		)?;
		tracing::info!(
			target = idle_target,
			threads = args.idle_threads,
			file_bytes = params.file_bytes(),
			"idle space enabled"
		);
		let config = idle::IdleConfig { target: idle_target, threads: args.idle_threads.max(1) };
		tokio::spawn(idle::run(service.clone(), Arc::new(store), config));
	}
	// At most `MAX_HANDLERS` requests handled at once; the next waits here, the queue behind it
	// fills and the network stops reading (back-pressure to the peers).
	let handlers = Arc::new(tokio::sync::Semaphore::new(MAX_HANDLERS));
	while let Some(inbound) = inbound_rx.recv().await {
		let Ok(permit) = handlers.clone().acquire_owned().await else { break };
		let service = service.clone();
		tokio::spawn(async move {
			inbound::handle(service, inbound).await;
			drop(permit);
		});
	}
	Ok(())
}
