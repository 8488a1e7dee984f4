//! A miner's audit record as people read it, shared by `cess info` and `cess-miner status`.

use crate::{
	api::{self, runtime_types::pallet_audit::types::Outcome},
	AccountId, ChainError, Client,
};

/// `miner`'s audit record at the latest block: `round 12 passed (10 passed, 1 failed, 1 missed)`.
pub async fn audit_summary(client: &Client, miner: AccountId) -> Result<String, ChainError> {
	let at = crate::at_finalized(client).await?;
	let (audit, history) = at
		.runtime_apis()
		.call(api::runtime_apis().audit_api().audit_history(miner))
		.await
		.map_err(ChainError::rpc)?;
	let last = history.last().map_or("no audit yet".to_string(), |(round, outcome)| {
		let outcome = match outcome {
			Outcome::Passed => "passed",
			Outcome::Failed => "FAILED",
			Outcome::Missed => "MISSED",
		};
		format!("round {round} {outcome}")
	});
	Ok(format!(
		"{last} ({} passed, {} failed, {} missed)",
		audit.passed, audit.failed, audit.missed
	))
}
