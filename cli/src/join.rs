//! Joining a file the chain already stores (the same public content uploaded before): the
//! declaration is a request, and the chain makes the caller an owner once it proves leaves of
//! the file sampled from the request block's hash. The proof comes from the fragments `cess
//! upload` just encoded into its staging directory.

use std::{path::Path, time::Duration};

use cess_chain::{
	api::{self, runtime_types::bounded_collections::bounded_vec::BoundedVec},
	samples, ChainError, Wait,
};
use cess_client::{DirStore, FileManifest};
use cess_primitives::{
	merkle::FileTree,
	possession::{prove, SamplePath},
};

use crate::context::{CliError, Context};

/// Blocks' worth of polls for the challenge (it appears once the request block is final).
const CHALLENGE_POLLS: u32 = 40;

/// Makes the caller an owner of the existing file of `manifest` (declared with `declaration`,
/// the same call as a new upload's), proving the content from the fragments in `staging`.
pub async fn join_existing<Call: cess_chain::subxt::tx::Payload>(
	ctx: &Context,
	declaration: &Call,
	manifest: &FileManifest,
	staging: &Path,
) -> Result<(), CliError> {
	let file_id = *manifest.file_id();
	let me = ctx.account()?;
	ctx.submit(declaration, Wait::Finalized).await.map_err(|e| {
		if e.to_string().contains("FileNotActive") {
			CliError::msg(format!(
				"another account is uploading the same content right now; retry once it is \
				 Active (`cess info {}`)",
				hex::encode(file_id)
			))
		} else {
			e
		}
	})?;
	eprintln!("the chain already stores this content: proving it to become an owner");
	let mut challenge = None;
	for _ in 0..CHALLENGE_POLLS {
		let at = ctx.client.at_current_block().await.map_err(ChainError::rpc)?;
		let call = api::runtime_apis().file_bank_api().join_challenge(file_id, me);
		challenge = at.runtime_apis().call(call).await.map_err(ChainError::rpc)?;
		if challenge.is_some() {
			break;
		}
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
	let samples = samples(&challenge.ok_or_else(|| {
		CliError::msg("the chain shows no join request of this account: run the upload again")
	})?);
	let (manifest, staging) = (manifest.clone(), staging.to_path_buf());
	let proof = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, CliError> {
		let store = DirStore::open(&staging)?;
		let tree = FileTree::new(manifest.fragment_hashes());
		prove(&samples, |s| {
			let data = std::fs::read(store.fragment_path(s.segment, s.column))
				.map_err(|e| format!("staged fragment: {e}"))?;
			SamplePath::from_fragment(s, &data, &tree)
				.ok_or_else(|| "the staged fragment does not match the challenge".to_string())
		})
		.map_err(|e| CliError::msg(format!("cannot prove the content: {e}")))
	})
	.await
	.map_err(|e| CliError::msg(format!("proving stopped: {e}")))??;
	let call = api::tx().file_bank().prove_join(file_id, BoundedVec(proof));
	ctx.submit(&call, Wait::Finalized).await?;
	Ok(())
}
