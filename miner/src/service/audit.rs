//! Every round: read this miner's challenge, build the PoDR² proof from the store and submit it
//! before the window closes.

use std::{sync::Arc, time::Duration};

use cess_chain::{api, ChainError, Wait};

use super::{chain::samples, upkeep, Service};
use crate::prover::answer;

/// How often the challenge is read (about one block).
pub const POLL: Duration = Duration::from_secs(3);

/// Answers every round's challenge until the process stops.
pub async fn prove_rounds(service: Arc<Service>) {
	let mut answered: Option<u32> = None;
	loop {
		tokio::time::sleep(POLL).await;
		let challenge = match service.chain.challenge().await {
			Ok(Some(c)) => c,
			Ok(None) => continue,
			Err(e) => {
				tracing::warn!(error = %e, "cannot read this round's challenge");
				continue;
			},
		};
		if answered == Some(challenge.round) {
			continue;
		}
		let started = std::time::Instant::now();
		let store = service.clone();
		let samples = samples(&challenge.samples);
		let proof = tokio::task::spawn_blocking(move || answer(&store.store, &samples))
			.await
			.expect("the prover does not panic");
		let proof = match proof {
			Ok(proof) => proof,
			Err(e) => {
				tracing::error!(
					round = challenge.round, error = %e,
					"cannot answer the challenge; checking the store now"
				);
				service.metrics.proofs.with_label_values(&["unanswerable"]).inc();
				answered = Some(challenge.round);
				// Data the chain counts as ours is gone or damaged: report it now, so that its
				// restoral starts, rather than at the next scheduled self-check.
				let service = service.clone();
				tokio::spawn(async move {
					if let Err(e) = upkeep::self_check_once(&service).await {
						tracing::warn!(error = %e, "self-check failed");
					}
				});
				continue;
			},
		};
		let took = started.elapsed();
		let bytes = proof.len();
		let call = api::tx().audit().submit_proof(
			challenge.round,
			api::runtime_types::bounded_collections::bounded_vec::BoundedVec(proof),
		);
		match service.chain.submit(&call, Wait::InBlock).await {
			Ok(_) => {
				answered = Some(challenge.round);
				service.metrics.proofs.with_label_values(&["submitted"]).inc();
				tracing::info!(
					round = challenge.round,
					prove_ms = took.as_millis() as u64,
					bytes,
					"proof submitted"
				);
			},
			Err(e @ ChainError::Dispatch { .. }) => {
				answered = Some(challenge.round);
				service.metrics.proofs.with_label_values(&["rejected"]).inc();
				tracing::error!(round = challenge.round, error = %e, "the chain refused the proof");
			},
			Err(e) => {
				tracing::warn!(round = challenge.round, error = %e, "proof not submitted; retrying")
			},
		}
	}
}
