//! Restoral: claim an open order for a column this miner can take, fetch `k` fragments per
//! segment from the miners of the file's other columns, rebuild the lost fragments (checked
//! against their hashes), store them, and complete the order with the PoDR² proof of the leaves
//! the chain samples from the claim block's hash.

use std::{collections::HashMap, sync::Arc, time::Duration};

use cess_chain::{api, units::format_amount, ChainError, Wait};
use cess_client::{
	net::dial_info, rebuild_column, Fetch, FileManifest, FragmentSink, FragmentSource,
};
use cess_primitives::types::{Column, FileId, SegmentIndex};
use libp2p_identity::PeerId;
use multiaddr::Multiaddr;

use super::{chain::samples, Service};
use crate::store::hex32;

/// How often open orders are looked at.
pub const POLL: Duration = Duration::from_secs(6);

/// Works on restoral orders until the process stops.
pub async fn work_orders(service: Arc<Service>) {
	loop {
		tokio::time::sleep(POLL).await;
		let orders = match open_orders(&service).await {
			Ok(orders) => orders,
			Err(e) => {
				tracing::warn!(error = %e, "cannot read restoral orders");
				continue;
			},
		};
		for (file_id, column, column_bytes) in orders {
			if service.store.holding(&file_id).is_some() {
				continue; // the chain wants the columns of a file on distinct miners
			}
			if service.store.capacity().saturating_sub(service.store.used()) < column_bytes * 2 {
				continue;
			}
			let claim = api::tx().file_bank().claim_restoral(file_id, column);
			if let Err(e) = service.chain.submit(&claim, Wait::Finalized).await {
				tracing::debug!(file = %hex32(&file_id), column, error = %e, "claim not taken");
				continue;
			}
			tracing::info!(file = %hex32(&file_id), column, "restoral claimed");
			match restore(&service, file_id, column).await {
				Ok(()) => {
					service.metrics.restorals.with_label_values(&["completed"]).inc();
					tracing::info!(file = %hex32(&file_id), column, "restoral completed");
				},
				Err(e) => {
					service.metrics.restorals.with_label_values(&["failed"]).inc();
					let _ = service.store.release(&file_id, column);
					tracing::error!(file = %hex32(&file_id), column, error = %e, "restoral failed");
				},
			}
		}
	}
}

/// Orders this miner may claim now, for columns lost by other miners: `(file, column, column
/// bytes)`. Unclaimed orders and those whose claim lapsed, except where this miner's own claim
/// lapsed (the chain bars it from the order for a while). None when the claim deposit cannot be
/// put on hold (a failed claim would still cost its fee).
async fn open_orders(service: &Service) -> Result<Vec<(FileId, Column, u64)>, ChainError> {
	let me = service.chain.account();
	let (now, orders, deposit, free) = service
		.chain
		.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().file_bank_api().restoral_orders(None, 64);
			let orders = at.runtime_apis().call(call).await.map_err(ChainError::rpc)?;
			let deposit = at
				.constants()
				.entry(api::constants().file_bank().restoral_claim_deposit())
				.map_err(ChainError::rpc)?;
			let account = at
				.storage()
				.try_fetch(api::storage().system().account(), (me,))
				.await
				.map_err(ChainError::rpc)?;
			let free = match account {
				Some(a) => a.decode().map_err(ChainError::rpc)?.data.free,
				None => 0,
			};
			Ok((at.block_number() as u32, orders, deposit, free))
		})
		.await?;
	let claimable: Vec<_> = orders
		.into_iter()
		.filter(|o| o.lost_by != me)
		.filter(|o| o.claim.as_ref().is_none_or(|(by, deadline)| *deadline < now && *by != me))
		.filter(|o| o.barred.as_ref().is_none_or(|(by, until)| *by != me || *until < now))
		.map(|o| (o.file_id, o.column, o.column_bytes))
		.collect();
	// The deposit, and as much again for fees.
	if !claimable.is_empty() && free < deposit.saturating_mul(2) {
		tracing::warn!(
			free = %format_amount(free),
			deposit = %format_amount(deposit),
			"open restoral orders need a claim deposit on hold: top up this miner's account"
		);
		return Ok(Vec::new());
	}
	Ok(claimable)
}

/// The libp2p address book of a file's other columns: column → (peer, addresses).
type Peers = HashMap<Column, (PeerId, Vec<Multiaddr>)>;

async fn column_peers(service: &Service, file_id: FileId, lost: Column) -> Result<Peers, String> {
	let file = service.chain.file(file_id).await.map_err(|e| e.to_string())?.ok_or("file gone")?;
	let mut peers = Peers::new();
	for (column, info) in file.columns.0.iter().enumerate() {
		let column = column as Column;
		if column == lost {
			continue;
		}
		let Ok(Some(miner)) = service.chain.miner(info.miner).await else { continue };
		let multiaddrs = miner.multiaddrs.0.iter().map(|a| &a.0[..]);
		let Some((peer, addrs)) = dial_info(&miner.peer_id.0, multiaddrs) else { continue };
		peers.insert(column, (peer, addrs));
	}
	Ok(peers)
}

async fn fetch_manifest(
	service: &Service,
	file_id: FileId,
	peers: &Peers,
) -> Result<FileManifest, String> {
	for (peer, addrs) in peers.values() {
		match service.host.fetch_manifest(*peer, addrs, &file_id).await {
			Ok(manifest) => return Ok(manifest),
			Err(e) => tracing::warn!(%peer, error = %e, "no manifest from this peer"),
		}
	}
	Err("no miner of the file's other columns sent its manifest".into())
}

/// Fetches fragments from the other columns' miners (blocking, for the rebuild thread).
struct PeerSource {
	runtime: tokio::runtime::Handle,
	service: Arc<Service>,
	file_id: FileId,
	peers: Peers,
}

impl FragmentSource for PeerSource {
	fn get(
		&mut self,
		segment: SegmentIndex,
		column: Column,
		out: &mut [u8],
	) -> cess_client::Result<Fetch> {
		let Some((peer, addrs)) = self.peers.get(&column) else { return Ok(Fetch::Missing) };
		let fetch = self.service.host.fetch_fragment(*peer, addrs, self.file_id, segment, column);
		Ok(match self.runtime.block_on(fetch) {
			Some(data) if data.len() == out.len() => {
				out.copy_from_slice(&data);
				Fetch::Found
			},
			Some(_) => Fetch::Damaged,
			None => Fetch::Missing,
		})
	}
}

/// Stores rebuilt fragments (each checked against its hash again by the store).
struct StoreSink {
	service: Arc<Service>,
	manifest: Arc<FileManifest>,
}

impl FragmentSink for StoreSink {
	fn put(
		&mut self,
		segment: SegmentIndex,
		column: Column,
		data: &[u8],
	) -> cess_client::Result<()> {
		let hash = *self.manifest.fragment_hash(segment, column).expect("rebuilt in range; qed");
		let store_err = |e: crate::store::StoreError| {
			cess_client::Error::io("storing", std::io::Error::other(e.to_string()))
		};
		self.service.store.put_fragment(&hash, data).map_err(store_err)
	}
}

async fn restore(service: &Arc<Service>, file_id: FileId, column: Column) -> Result<(), String> {
	let peers = column_peers(service, file_id, column).await?;
	let manifest = fetch_manifest(service, file_id, &peers).await?;
	let mut source = PeerSource {
		runtime: tokio::runtime::Handle::current(),
		service: service.clone(),
		file_id,
		peers,
	};
	let manifest = Arc::new(manifest);
	let mut sink = StoreSink { service: service.clone(), manifest: manifest.clone() };
	let rebuilt = manifest.clone();
	let stats = tokio::task::spawn_blocking(move || {
		rebuild_column(&rebuilt, &mut source, column, &mut sink)
	})
	.await
	.map_err(|e| e.to_string())?
	.map_err(|e| e.to_string())?;
	tracing::info!(file = %hex32(&file_id), column, fetched = ?stats, "column rebuilt");
	service.store.commit(&manifest, &[column]).map_err(|e| e.to_string())?;

	let proof = restoral_proof(service, file_id, column).await?;
	let call = api::tx().file_bank().complete_restoral(
		file_id,
		column,
		api::runtime_types::bounded_collections::bounded_vec::BoundedVec(proof),
	);
	service.chain.submit(&call, Wait::InBlock).await.map_err(|e| e.to_string())?;
	service.metrics.held_columns.set(service.store.held_columns().len() as i64);
	Ok(())
}

/// The proof of the leaves the chain sampled from the claim block's hash.
async fn restoral_proof(
	service: &Arc<Service>,
	file_id: FileId,
	column: Column,
) -> Result<Vec<u8>, String> {
	// The challenge comes from the claim block's hash, which the chain knows from the next block
	// on; reads see the finalized block, so it may take a few blocks to appear.
	let mut challenge = None;
	for _ in 0..40 {
		challenge = service
			.chain
			.retrying(|client| async move {
				let at = cess_chain::at_finalized(&client).await?;
				let call = api::runtime_apis().file_bank_api().restoral_challenge(file_id, column);
				at.runtime_apis().call(call).await.map_err(ChainError::rpc)
			})
			.await
			.map_err(|e| e.to_string())?;
		if challenge.is_some() {
			break;
		}
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
	let samples = samples(&challenge.ok_or("the chain shows no claim of ours for this column")?);
	let store = service.clone();
	tokio::task::spawn_blocking(move || store.store.prove(&samples))
		.await
		.map_err(|e| e.to_string())?
		.map_err(|e| e.to_string())
}
