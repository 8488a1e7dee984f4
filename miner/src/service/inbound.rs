//! Answers to requests from owners and other miners: the push protocol (offer, fragments checked
//! against the manifest — whose root is the file id on chain — on receipt, acceptance →
//! `transfer_report`) and the fetch protocol (manifests and fragments of held files).

use std::sync::Arc;

use cess_chain::{api, subxt_signer::sr25519, ChainError, Wait};
use cess_client::{
	net::{Inbound, Refusal, Request, Response},
	FileManifest,
};
use cess_primitives::{
	traits::acceptance_message,
	types::{Column, FileId, SegmentIndex},
};

use super::{chain::assigned_to, Service};
use crate::store::{hex32, StoreError};

type Answer = Result<Response, Response>;

fn refuse(refusal: Refusal, reason: impl Into<String>) -> Response {
	Response::refused(refusal, reason)
}

fn chain_down(e: ChainError) -> Response {
	refuse(Refusal::Unavailable, format!("the miner cannot read the chain: {e}"))
}

fn store_error(e: StoreError) -> Response {
	match e {
		StoreError::CapacityExceeded { .. } => refuse(Refusal::NoSpace, e.to_string()),
		StoreError::HashMismatch { .. } => refuse(Refusal::BadFragment, e.to_string()),
		StoreError::UnknownFile(_) | StoreError::ColumnNotHeld { .. } => {
			refuse(Refusal::NotHeld, e.to_string())
		},
		other => refuse(Refusal::Unavailable, other.to_string()),
	}
}

/// Answers one request and sends the answer back.
pub async fn handle(service: Arc<Service>, inbound: Inbound) {
	let kind = match &inbound.request {
		Request::Offer { .. } => "offer",
		Request::Fragment { .. } => "fragment",
		Request::Accept { .. } => "accept",
		Request::Manifest { .. } => "manifest",
		Request::Get { .. } => "get",
	};
	let Inbound { peer, request, reply } = inbound;
	tracing::debug!(%peer, ?request, "request");
	let answer = match request {
		Request::Offer { column, manifest } => offer(&service, column, &manifest).await,
		Request::Fragment { file_id, segment, column, data } => {
			fragment(&service, file_id, segment, column, data).await
		},
		Request::Accept { file_id, column, signature } => {
			accept(&service, file_id, column, signature).await
		},
		Request::Manifest { file_id } => match service.store.holding(&file_id) {
			Some(holding) => Ok(Response::Manifest { manifest: holding.manifest().to_bytes() }),
			None => Err(refuse(Refusal::NotHeld, format!("no column of {} here", hex32(&file_id)))),
		},
		Request::Get { file_id, segment, column } => get(&service, file_id, segment, column).await,
	};
	let response = answer.unwrap_or_else(|refusal| {
		tracing::info!(%peer, kind, answer = ?refusal, "request refused");
		refusal
	});
	let outcome = if matches!(response, Response::Refused { .. }) { "refused" } else { "ok" };
	service.metrics.requests.with_label_values(&[kind, outcome]).inc();
	service.host.respond(reply, response);
}

/// `Offer`: checks the manifest against the chain's record and that the column is ours.
async fn offer(service: &Service, column: Column, manifest: &[u8]) -> Answer {
	let manifest = FileManifest::decode(manifest)
		.map_err(|e| refuse(Refusal::BadManifest, format!("the manifest does not decode: {e}")))?;
	let file_id = *manifest.file_id();
	let file = service.chain.file(file_id).await.map_err(chain_down)?.ok_or_else(|| {
		refuse(
			Refusal::UnknownFile,
			format!("the chain has no file {} (declare it first)", hex32(&file_id)),
		)
	})?;
	let me = service.chain.account();
	if !assigned_to(&file, column, &me) {
		return Err(refuse(
			Refusal::NotAssigned,
			format!("column {column} of {} is not assigned to {me}", hex32(&file_id)),
		));
	}
	let layout = manifest.layout();
	if layout.size != file.size
		|| layout.segment_count() != file.segments
		|| (layout.profile.k, layout.profile.m) != (file.profile.k, file.profile.m)
		|| layout.segment_size != service.segment_size
	{
		return Err(refuse(
			Refusal::BadManifest,
			"the manifest's layout differs from the file declared on chain",
		));
	}
	let need: Vec<SegmentIndex> = (0..layout.segment_count())
		.filter(|&seg| {
			let hash = manifest.fragment_hash(seg, column).expect("segment in range; qed");
			!service.store.has_fragment(hash, layout.fragment_len(seg))
		})
		.collect();
	service.offers.lock().expect("not poisoned").insert((file_id, column), Arc::new(manifest));
	tracing::info!(file = %hex32(&file_id), column, missing = need.len(), "column offered");
	Ok(Response::Need { segments: need })
}

fn offered(
	service: &Service,
	file_id: &FileId,
	column: Column,
) -> Result<Arc<FileManifest>, Response> {
	service.offers.lock().expect("not poisoned").get(&(*file_id, column)).cloned().ok_or_else(
		|| refuse(Refusal::NotHeld, format!("offer column {column} of {} first", hex32(file_id))),
	)
}

/// `Fragment`: checks it against its hash in the manifest (the manifest's root is the file id on
/// chain) and stores it with the upper levels of its tree.
async fn fragment(
	service: &Arc<Service>,
	file_id: FileId,
	segment: SegmentIndex,
	column: Column,
	data: Vec<u8>,
) -> Answer {
	let manifest = offered(service, &file_id, column)?;
	let hash = *manifest.fragment_hash(segment, column).ok_or_else(|| {
		refuse(Refusal::BadFragment, format!("the file has no segment {segment}"))
	})?;
	let service = service.clone();
	tokio::task::spawn_blocking(move || {
		service.store.put_fragment(&hash, &data).map_err(store_error)?;
		service.metrics.store_used_bytes.set(service.store.used() as i64);
		Ok(Response::Stored)
	})
	.await
	.map_err(|e| refuse(Refusal::Unavailable, format!("storing failed: {e}")))?
}

/// `Accept`: checks the uploader's acceptance, records the column as held, then reports it.
async fn accept(service: &Service, file_id: FileId, column: Column, signature: [u8; 64]) -> Answer {
	let manifest = offered(service, &file_id, column)?;
	// A report with a bad signature would fail on chain and still cost this miner its fee.
	let file = service.chain.file(file_id).await.map_err(chain_down)?.ok_or_else(|| {
		refuse(Refusal::UnknownFile, format!("the chain has no file {}", hex32(&file_id)))
	})?;
	let me = service.chain.account();
	let message = acceptance_message(&file_id, column, &me.0);
	let uploader = sr25519::PublicKey(file.uploader.0);
	if !sr25519::verify(&sr25519::Signature(signature), &message, &uploader) {
		return Err(refuse(
			Refusal::Rejected,
			format!(
				"BadAcceptance: the acceptance is not {}'s signature over column {column} of {} \
				 for this miner; nothing was submitted",
				file.uploader,
				hex32(&file_id)
			),
		));
	}
	let newly_held = !service.store.holding(&file_id).is_some_and(|h| h.holds(column));
	service.store.commit(&manifest, &[column]).map_err(store_error)?;
	let call = api::tx().file_bank().transfer_report(
		file_id,
		column,
		api::runtime_types::sp_runtime::MultiSignature::Sr25519(signature),
	);
	match service.chain.submit(&call, Wait::InBlock).await {
		Ok(_) => {
			service.offers.lock().expect("not poisoned").remove(&(file_id, column));
			service.metrics.held_columns.set(service.store.held_columns().len() as i64);
			tracing::info!(file = %hex32(&file_id), column, "column stored and reported");
			Ok(Response::Reported)
		},
		Err(e) => {
			if newly_held && matches!(e, ChainError::Dispatch { .. } | ChainError::Rejected { .. })
			{
				// The chain does not count the column as ours: do not keep claiming it.
				let _ = service.store.release(&file_id, column);
			}
			tracing::warn!(file = %hex32(&file_id), column, error = %e, "transfer report failed");
			Err(refuse(Refusal::Rejected, e.to_string()))
		},
	}
}

/// `Get`: a fragment of a held column.
async fn get(
	service: &Arc<Service>,
	file_id: FileId,
	segment: SegmentIndex,
	column: Column,
) -> Answer {
	let hash = service.store.held_fragment(&file_id, segment, column).map_err(store_error)?;
	let service = service.clone();
	tokio::task::spawn_blocking(move || service.store.read_fragment(&hash))
		.await
		.map_err(|e| refuse(Refusal::Unavailable, e.to_string()))?
		.map(|data| Response::Fragment { data })
		.map_err(store_error)
}
