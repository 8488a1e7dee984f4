//! Joining a file the chain already stores (the same public content uploaded before): the
//! declaration is a request, and the chain makes the caller an owner once it proves leaves of
//! the file sampled from the request block's hash. The sampled fragments come from one more
//! encoding pass that keeps only them.

use std::{collections::BTreeSet, time::Duration};

use cess_chain::{
	api::{self, runtime_types::bounded_collections::bounded_vec::BoundedVec},
	samples, ChainError, Wait,
};
use cess_primitives::{
	merkle::FileTree,
	possession::{prove, SamplePath},
	types::{Column, SegmentIndex},
};

use super::{upload::Encoder, Progress, Session, SessionError};
use crate::{FileManifest, FragmentSink, MemStore};

/// Blocks' worth of polls for the challenge (it appears once the request block is final).
const CHALLENGE_POLLS: u32 = 40;

/// Makes the caller an owner of the existing file of `manifest` (declared with `declaration`,
/// the same call as a new upload's), proving the content from fragments `encoder` re-creates.
pub(super) async fn join_existing<Call: cess_chain::subxt::tx::Payload>(
	session: &Session,
	declaration: &Call,
	manifest: &FileManifest,
	encoder: &Encoder,
	progress: &dyn Progress,
) -> Result<(), SessionError> {
	let file_id = *manifest.file_id();
	let me = session.account()?;
	session.submit(declaration, Wait::Finalized).await.map_err(|e| {
		if e.to_string().contains("FileNotActive") {
			SessionError::msg(format!(
				"another account is uploading the same content right now; retry once it is \
				 Active (`cess info {}`)",
				hex::encode(file_id)
			))
		} else {
			e
		}
	})?;
	progress.note("the chain already stores this content: proving it to become an owner");
	let mut challenge = None;
	for _ in 0..CHALLENGE_POLLS {
		let at = cess_chain::at_finalized(&session.client).await?;
		let call = api::runtime_apis().file_bank_api().join_challenge(file_id, me);
		challenge = at.runtime_apis().call(call).await.map_err(ChainError::rpc)?;
		if challenge.is_some() {
			break;
		}
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
	let samples = samples(&challenge.ok_or_else(|| {
		SessionError::msg("the chain shows no join request of this account: run the upload again")
	})?);
	let (manifest, encoder) = (manifest.clone(), encoder.clone());
	let proof = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, SessionError> {
		let wanted = samples.iter().map(|s| (s.segment, s.column)).collect();
		let mut kept = Keep { wanted, store: MemStore::new() };
		encoder.run(&mut kept)?;
		let tree = FileTree::new(manifest.fragment_hashes());
		prove(&samples, |s| {
			let data = kept
				.store
				.fragment(s.segment, s.column)
				.ok_or_else(|| "a sampled fragment was not encoded".to_string())?;
			SamplePath::from_fragment(s, data, &tree)
				.ok_or_else(|| "the fragment does not match the challenge".to_string())
		})
		.map_err(|e| SessionError::msg(format!("cannot prove the content: {e}")))
	})
	.await
	.map_err(|e| SessionError::msg(format!("proving stopped: {e}")))??;
	let call = api::tx().file_bank().prove_join(file_id, BoundedVec(proof));
	session.submit(&call, Wait::Finalized).await?;
	Ok(())
}

/// Keeps only the wanted fragments.
struct Keep {
	wanted: BTreeSet<(SegmentIndex, Column)>,
	store: MemStore,
}

impl FragmentSink for Keep {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> crate::Result<()> {
		if self.wanted.contains(&(segment, column)) {
			self.store.put(segment, column, data)?;
		}
		Ok(())
	}
}
