//! Periodic care of the store: the self-check re-hashes every held fragment and reports losses
//! to the chain (which opens restoral orders); garbage collection drops columns the chain no
//! longer assigns to this miner (deleted, expired or restored elsewhere) once the audit round in
//! which that happened has closed (the round's challenge samples the holdings as of its start),
//! and unreferenced objects.

use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
	time::Duration,
};

use cess_chain::{api, ChainError, Wait};
use cess_primitives::types::{Column, FileId};

use super::{chain::assigned_to, Service};
use crate::store::{hex32, LossReason};

/// Runs the self-check now and then every `every`.
pub async fn self_check(service: Arc<Service>, every: Duration) {
	loop {
		if let Err(e) = self_check_once(&service).await {
			tracing::warn!(error = %e, "self-check failed");
		}
		tokio::time::sleep(every).await;
	}
}

/// One self-check pass; returns the columns reported lost.
pub async fn self_check_once(service: &Arc<Service>) -> Result<usize, String> {
	let _pass = service.self_check.lock().await;
	let store = service.clone();
	let losses = tokio::task::spawn_blocking(move || store.store.self_check())
		.await
		.map_err(|e| e.to_string())?
		.map_err(|e| e.to_string())?;
	let mut lost: BTreeSet<(FileId, Column)> = BTreeSet::new();
	for loss in &losses {
		let reason = match loss.reason {
			LossReason::Missing => "missing",
			LossReason::Corrupted => "corrupted",
		};
		service.metrics.losses.with_label_values(&[reason]).inc();
		tracing::error!(
			file = %hex32(&loss.file_id), segment = loss.segment, column = loss.column, reason,
			"fragment lost"
		);
		lost.insert((loss.file_id, loss.column));
	}
	lost.extend(unheld_holdings(service).await?);
	for (file_id, column) in &lost {
		let call = api::tx().file_bank().report_loss(*file_id, *column);
		match service.chain.submit(&call, Wait::InBlock).await {
			Ok(_) => tracing::warn!(file = %hex32(file_id), column, "loss reported to the chain"),
			Err(e) => {
				tracing::error!(file = %hex32(file_id), column, error = %e, "loss report failed")
			},
		}
		service.store.release(file_id, *column).map_err(|e| e.to_string())?;
	}
	let held = service.store.held_columns().len();
	service.metrics.held_columns.set(held as i64);
	tracing::info!(held, lost = lost.len(), "self-check done");
	Ok(lost.len())
}

/// Columns the chain counts as this miner's that the store does not hold (its data directory
/// was lost or replaced): they must be reported, never proven from nothing.
async fn unheld_holdings(service: &Service) -> Result<Vec<(FileId, Column)>, String> {
	let me = service.chain.account();
	let held: BTreeSet<(FileId, Column)> = service.store.held_columns().into_iter().collect();
	let mut missing = Vec::new();
	let mut start = 0u32;
	loop {
		let page = service
			.chain
			.retrying(|client| async move {
				let at = cess_chain::at_finalized(&client).await?;
				let call = api::runtime_apis().file_bank_api().holdings(me, start, PAGE);
				at.runtime_apis().call(call).await.map_err(ChainError::rpc)
			})
			.await
			.map_err(|e| e.to_string())?;
		let len = page.len() as u32;
		missing.extend(page.into_iter().filter(|entry| !held.contains(entry)));
		if len < PAGE {
			break;
		}
		start += len;
	}
	for (file_id, column) in &missing {
		tracing::error!(file = %hex32(file_id), column, "the chain lists a column this store does not hold");
	}
	Ok(missing)
}

const PAGE: u32 = 1000;

/// Collects garbage every `every`; objects younger than `every` are kept (uploads in flight).
pub async fn collect_garbage(service: Arc<Service>, every: Duration) {
	// Columns the chain no longer lists as ours, with the audit round in which that was seen.
	let mut leaving: BTreeMap<(FileId, Column), u32> = BTreeMap::new();
	loop {
		tokio::time::sleep(every).await;
		let me = service.chain.account();
		let round = match service.chain.current_round().await {
			Ok(round) => round,
			Err(e) => {
				tracing::warn!(error = %e, "garbage collection paused: chain unreadable");
				continue;
			},
		};
		for (file_id, column) in service.store.held_columns() {
			// A column committed since the last pass may not show as ours in the finalized
			// state yet (a report or restoral still in an unfinalized block).
			if service.store.holding_age(&file_id).is_none_or(|age| age < every) {
				continue;
			}
			let keep = match service.chain.file(file_id).await {
				Ok(Some(file)) => assigned_to(&file, column, &me),
				Ok(None) => false,
				Err(e) => {
					tracing::warn!(error = %e, "garbage collection paused: chain unreadable");
					break;
				},
			};
			if keep {
				leaving.remove(&(file_id, column));
				continue;
			}
			// Kept until a later round starts: this round may still sample it.
			let since = *leaving.entry((file_id, column)).or_insert(round);
			if round > since {
				tracing::info!(file = %hex32(&file_id), column, "column no longer ours; released");
				let _ = service.store.release(&file_id, column);
				leaving.remove(&(file_id, column));
			} else {
				tracing::debug!(file = %hex32(&file_id), column, round, "kept until the round closes");
			}
		}
		let store = service.clone();
		match tokio::task::spawn_blocking(move || store.store.collect_garbage(every)).await {
			Ok(Ok(freed)) if freed > 0 => tracing::info!(freed, "garbage collected"),
			Ok(Ok(_)) => {},
			Ok(Err(e)) => tracing::warn!(error = %e, "garbage collection failed"),
			Err(e) => tracing::warn!(error = %e, "garbage collection failed"),
		}
		service.metrics.held_columns.set(service.store.held_columns().len() as i64);
		service.metrics.store_used_bytes.set(service.store.used() as i64);
	}
}
