//! Idle-space types between the metadata's form and the primitives' (what provers use).

use crate::api::runtime_types::cess_primitives::idle as chain;
use cess_primitives::idle::{GenSample, IdleBatch, IdleParams, SpaceSample};

/// A batch as the metadata types it.
pub type ChainBatch = chain::commit::IdleBatch;

/// The primitives' form of a chain batch.
pub fn batch(b: &ChainBatch) -> IdleBatch {
	IdleBatch { root: b.root, first: b.first, count: b.count }
}

/// The chain's form of a batch (for `declare_batch`).
pub fn chain_batch(b: &IdleBatch) -> ChainBatch {
	ChainBatch { root: b.root, first: b.first, count: b.count }
}

/// The primitives' form of a generation check's samples.
pub fn gen_samples(samples: &[chain::check::GenSample]) -> Vec<GenSample> {
	samples.iter().map(|s| GenSample { file: s.file, layer: s.layer, node: s.node }).collect()
}

/// The primitives' form of a space round's samples.
pub fn space_samples(samples: &[chain::space::SpaceSample]) -> Vec<SpaceSample> {
	samples
		.iter()
		.map(|s| SpaceSample { batch: batch(&s.batch), file: s.file, node: s.node })
		.collect()
}

/// The idle parameters from the runtime API's `(log2 N, L, d)`.
pub fn params((layer_labels_log2, layers, degree): (u8, u8, u8)) -> IdleParams {
	IdleParams { layer_labels_log2, layers, degree }
}

/// `miner`'s idle space at the latest block as people read it: `4.0 GiB live, 1.0 GiB awaiting
/// check, 512.0 MiB converted free, 1.5 GiB assigned (2 batches verified, 1 pending; last
/// round proved 12, 0 failures in a row)`; `None` if it has no idle account.
pub async fn idle_summary(
	client: &crate::Client,
	miner: crate::AccountId,
) -> Result<Option<String>, crate::ChainError> {
	use crate::units::format_size;
	let at = crate::at_finalized(client).await?;
	let summary = at
		.runtime_apis()
		.call(crate::api::runtime_apis().idle_space_api().idle_summary(miner))
		.await
		.map_err(crate::ChainError::rpc)?;
	Ok(summary.map(|s| {
		let proved = s.account.last_proved.map_or("never".to_string(), |r| r.to_string());
		format!(
			"{} live, {} awaiting check, {} converted free, {} assigned ({} batches verified, \
			 {} pending; last round proved {proved}, {} failures in a row)",
			format_size(s.idle),
			format_size(s.pending),
			format_size(s.account.reserve),
			format_size(s.account.service),
			s.verified_batches,
			s.pending_batches,
			s.account.failures
		)
	}))
}
