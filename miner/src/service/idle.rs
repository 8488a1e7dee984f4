//! Idle space (`docs/idle-space.md`): generates idle files on spare disk in the background (on
//! `--idle-threads` threads, resuming after a crash), declares each batch, answers its generation
//! check, answers every round's space challenge, and deletes the files the chain converted to
//! service space once the round they were converted in is over.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use cess_chain::{
	api::{self, runtime_types::pallet_idle_space::types::BatchState},
	idle::{chain_batch, gen_samples, space_samples},
	ChainError, Wait,
};
use cess_primitives::idle::commit::MAX_BATCH_FILES;

use super::Service;
use crate::idle::IdleStore;

/// How often the chain is read.
const POLL: Duration = Duration::from_secs(3);
/// How long to wait after the chain refused a declaration.
const BACK_OFF: Duration = Duration::from_secs(60);

/// What `--idle-space` and `--idle-threads` ask for.
#[derive(Clone, Copy, Debug)]
pub struct IdleConfig {
	/// Bytes of idle files to keep (live and awaiting their check).
	pub target: u64,
	/// Threads generation and check proofs use.
	pub threads: usize,
}

/// Runs the generator and the prover until the process stops.
pub async fn run(service: Arc<Service>, store: Arc<IdleStore>, config: IdleConfig) {
	tokio::spawn(generate(service.clone(), store.clone(), config));
	prove(service, store, config).await;
}

/// Keeps `config.target` bytes of idle files declared: one batch at a time, generated, then
/// declared.
async fn generate(service: Arc<Service>, store: Arc<IdleStore>, config: IdleConfig) {
	let file_bytes = store.params().file_bytes();
	loop {
		tokio::time::sleep(POLL).await;
		let summary = match service.chain.idle_summary().await {
			Ok(s) => s,
			Err(e) => {
				tracing::warn!(error = %e, "cannot read the idle account");
				continue;
			},
		};
		let next_file = summary.as_ref().map_or(0, |s| s.account.next_file);
		let have = summary.as_ref().map_or(0, |s| s.idle + s.pending);
		service
			.metrics
			.idle_bytes
			.with_label_values(&["live"])
			.set(summary.as_ref().map_or(0, |s| s.idle) as i64);
		service
			.metrics
			.idle_bytes
			.with_label_values(&["pending"])
			.set(summary.as_ref().map_or(0, |s| s.pending) as i64);
		// A batch on disk from `next_file` on is ours to finish and declare; one beyond it was
		// never declared and cannot be any more (the indices moved on).
		let local = match store.batches() {
			Ok(b) => b,
			Err(e) => {
				tracing::error!(error = %e, "cannot list the idle files");
				continue;
			},
		};
		for &(first, _) in local.iter().filter(|(first, _)| *first > next_file) {
			tracing::warn!(
				first,
				next_file,
				"dropping an idle batch that can no longer be declared"
			);
			let _ = store.delete_batch(first);
		}
		let count = match local.iter().find(|(first, _)| *first == next_file) {
			Some(&(_, count)) => count,
			None if have < config.target => {
				let wanted =
					(config.target - have).div_ceil(file_bytes).min(u64::from(MAX_BATCH_FILES));
				let fit = match store.files_that_fit() {
					Ok(fit) => fit,
					Err(e) => {
						tracing::error!(error = %e, "cannot read the idle disk's free space");
						continue;
					},
				};
				if fit == 0 {
					tracing::warn!(
						have,
						target = config.target,
						reserve = crate::idle::DISK_RESERVE,
						"the idle files' disk is full (the reserve is kept free): idle generation \
						 waits; free disk space or lower --idle-space"
					);
					tokio::time::sleep(BACK_OFF).await;
					continue;
				}
				let count = wanted.min(fit) as u32;
				if let Err(e) = store.create_batch(next_file, count) {
					tracing::error!(error = %e, "cannot start an idle batch");
					continue;
				}
				count
			},
			None => continue,
		};
		if let Err(e) = fill(&service, &store, next_file, count, config.threads).await {
			tracing::error!(error = %e, first = next_file, "idle generation failed");
			tokio::time::sleep(BACK_OFF).await;
			continue;
		}
		declare(&service, &store, next_file, count).await;
	}
}

/// Generates the missing files of the batch at `first`.
async fn fill(
	service: &Arc<Service>,
	store: &Arc<IdleStore>,
	first: u64,
	count: u32,
	threads: usize,
) -> Result<(), crate::idle::IdleStoreError> {
	let started = std::time::Instant::now();
	let mut made = 0u32;
	for k in 0..count {
		if store.has_file(first, k) {
			continue;
		}
		let store = store.clone();
		tokio::task::spawn_blocking(move || store.generate_file(first, k, threads))
			.await
			.expect("generation does not panic")?;
		made += 1;
		service.metrics.idle_files_generated.inc();
		if (k + 1) % 16 == 0 || k + 1 == count {
			tracing::info!(first, files = k + 1, of = count, "generating idle files");
		}
	}
	if made > 0 {
		let secs = started.elapsed().as_secs_f64();
		let bytes = u64::from(made) * store.params().file_bytes();
		tracing::info!(
			first,
			files = made,
			secs = format!("{secs:.1}"),
			gib_per_hour =
				format!("{:.1}", bytes as f64 / secs.max(1e-3) * 3600.0 / (1u64 << 30) as f64),
			"idle batch generated"
		);
	}
	Ok(())
}

/// Declares the complete batch at `first` and waits until the chain counts it.
async fn declare(service: &Arc<Service>, store: &Arc<IdleStore>, first: u64, count: u32) {
	let batch = match store.batch_tree(first, count) {
		Ok(tree) => tree.batch(),
		Err(e) => {
			tracing::error!(error = %e, first, "idle batch unreadable; generating it again");
			let _ = store.delete_batch(first);
			return;
		},
	};
	let call = api::tx().idle_space().declare_batch(chain_batch(&batch));
	match service.chain.submit(&call, Wait::InBlock).await {
		Ok(_) => {
			tracing::info!(
				first,
				files = count,
				"idle batch declared; its check is drawn next round"
			);
			// Wait until the finalized state shows it, so it is not declared twice.
			for _ in 0..100 {
				tokio::time::sleep(POLL).await;
				if let Ok(Some(s)) = service.chain.idle_summary().await {
					if s.account.next_file > first {
						break;
					}
				}
			}
		},
		Err(e @ ChainError::Dispatch { .. }) => {
			tracing::error!(error = %e, first, "the chain refused the idle batch; retrying in a minute");
			tokio::time::sleep(BACK_OFF).await;
		},
		Err(e) => tracing::warn!(error = %e, first, "idle batch not declared; retrying"),
	}
}

/// Answers generation checks and space rounds, and deletes converted files.
async fn prove(service: Arc<Service>, store: Arc<IdleStore>, config: IdleConfig) {
	let mut answered_round: Option<u32> = None;
	let mut checked: BTreeSet<u64> = BTreeSet::new();
	let mut cleaned_round: Option<u32> = None;
	loop {
		tokio::time::sleep(POLL).await;
		if let Err(e) = space_round(&service, &store, &mut answered_round).await {
			tracing::warn!(error = %e, "cannot read this round's space challenge");
		}
		let batches = match service.chain.idle_batches().await {
			Ok(b) => b,
			Err(e) => {
				tracing::warn!(error = %e, "cannot read the idle batches");
				continue;
			},
		};
		for record in &batches {
			let first = record.batch.first;
			if matches!(record.state, BatchState::Pending { .. })
				&& !checked.contains(&first)
				&& check(&service, &store, first, record.batch.count, config.threads).await
			{
				checked.insert(first);
			}
		}
		let Ok(round) = service.chain.current_round().await else { continue };
		if cleaned_round != Some(round) {
			let Ok(summary) = service.chain.idle_summary().await else { continue };
			cleaned_round = Some(round);
			clean(&store, &batches, summary.map_or(0, |s| s.account.next_file), round);
		}
	}
}

/// Answers this round's space challenge once.
async fn space_round(
	service: &Arc<Service>,
	store: &Arc<IdleStore>,
	answered: &mut Option<u32>,
) -> Result<(), ChainError> {
	let Some(challenge) = service.chain.space_challenge().await? else { return Ok(()) };
	if *answered == Some(challenge.round) {
		return Ok(());
	}
	let samples = space_samples(&challenge.samples);
	let started = std::time::Instant::now();
	let proof = {
		let store = store.clone();
		tokio::task::spawn_blocking(move || store.prove_space(&samples))
			.await
			.expect("the prover does not panic")
	};
	*answered = Some(challenge.round);
	let proof = match proof {
		Ok(p) => p,
		Err(e) => {
			tracing::error!(round = challenge.round, error = %e, "cannot answer the space challenge");
			service.metrics.idle_proofs.with_label_values(&["space", "unanswerable"]).inc();
			// Submit nothing: the round counts as missed, as it would as failed.
			return Ok(());
		},
	};
	let bytes = proof.len();
	let call = api::tx().idle_space().submit_space_proof(
		challenge.round,
		api::runtime_types::bounded_collections::bounded_vec::BoundedVec(proof),
	);
	match service.chain.submit(&call, Wait::InBlock).await {
		Ok(_) => {
			service.metrics.idle_proofs.with_label_values(&["space", "submitted"]).inc();
			tracing::info!(
				round = challenge.round,
				bytes,
				idle_bytes = challenge.idle_bytes,
				prove_ms = started.elapsed().as_millis() as u64,
				"space proof submitted"
			);
		},
		Err(e) => {
			if !matches!(e, ChainError::Dispatch { .. }) {
				*answered = None;
			}
			service.metrics.idle_proofs.with_label_values(&["space", "rejected"]).inc();
			tracing::warn!(round = challenge.round, error = %e, "space proof not accepted");
		},
	}
	Ok(())
}

/// Answers the generation check of the batch at `first` if it is drawn; true once answered (or
/// refused for good).
async fn check(
	service: &Arc<Service>,
	store: &Arc<IdleStore>,
	first: u64,
	count: u32,
	threads: usize,
) -> bool {
	let samples = match service.chain.generation_check(first).await {
		Ok(Some(s)) => gen_samples(&s),
		Ok(None) => return false,
		Err(e) => {
			tracing::warn!(error = %e, first, "cannot read the generation check");
			return false;
		},
	};
	let started = std::time::Instant::now();
	let proof = {
		let store = store.clone();
		tokio::task::spawn_blocking(move || store.prove_generation(first, count, &samples, threads))
			.await
			.expect("the prover does not panic")
	};
	let proof = match proof {
		Ok(p) => p,
		Err(e) => {
			tracing::error!(first, error = %e, "cannot answer the generation check");
			service.metrics.idle_proofs.with_label_values(&["check", "unanswerable"]).inc();
			return true;
		},
	};
	let bytes = proof.len();
	let call = api::tx().idle_space().submit_generation_proof(
		first,
		api::runtime_types::bounded_collections::bounded_vec::BoundedVec(proof),
	);
	match service.chain.submit(&call, Wait::InBlock).await {
		Ok(_) => {
			service.metrics.idle_proofs.with_label_values(&["check", "submitted"]).inc();
			tracing::info!(
				first,
				bytes,
				prove_ms = started.elapsed().as_millis() as u64,
				"generation proof submitted"
			);
			true
		},
		Err(e @ ChainError::Dispatch { .. }) => {
			service.metrics.idle_proofs.with_label_values(&["check", "rejected"]).inc();
			tracing::error!(first, error = %e, "the chain refused the generation proof");
			true
		},
		Err(e) => {
			tracing::warn!(first, error = %e, "generation proof not submitted; retrying");
			false
		},
	}
}

/// Deletes what the chain no longer counts: batches it dropped (rejected, retired, forfeited;
/// all but the one being generated at `next_file`) and files converted in a round that is
/// over.
fn clean(
	store: &IdleStore,
	chain: &[api::runtime_types::pallet_idle_space::types::BatchRecord],
	next_file: u64,
	round: u32,
) {
	let Ok(local) = store.batches() else { return };
	for (first, count) in local {
		match chain.iter().find(|r| r.batch.first == first) {
			None if first != next_file => {
				tracing::info!(first, "idle batch no longer on chain; deleting it");
				let _ = store.delete_batch(first);
			},
			None => {},
			Some(record) if record.changed_in < round => {
				for k in record.live..count {
					if let Ok(true) = store.delete_file(first, k) {
						tracing::info!(first, file = k, "converted idle file deleted");
					}
				}
			},
			Some(_) => {},
		}
	}
}
