//! The node's JSON-RPC methods beyond Substrate's standard set: account nonces, fee queries,
//! BABE epoch authorship and GRANDPA finality.

use cess_runtime::{opaque::Block, AccountId, Balance, Nonce};
use jsonrpsee::RpcModule;
use polkadot_sdk::{
	sc_consensus_babe::BabeWorkerHandle,
	sc_consensus_grandpa::{
		FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
	},
	sc_rpc::SubscriptionTaskExecutor,
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	sp_consensus::SelectChain,
	sp_consensus_babe::BabeApi,
	sp_keystore::KeystorePtr,
	*,
};
use std::sync::Arc;

/// What the BABE RPC needs.
pub struct BabeDeps {
	/// The keystore, to tell which slots this node's keys may author.
	pub keystore: KeystorePtr,
	/// A handle to the BABE worker, for epoch data.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
}

/// What the GRANDPA RPC needs.
pub struct GrandpaDeps<B> {
	/// Voting round info.
	pub shared_voter_state: SharedVoterState,
	/// Authority set info.
	pub shared_authority_set: SharedAuthoritySet<cess_runtime::Hash, cess_runtime::BlockNumber>,
	/// Receives notifications about justification events from GRANDPA.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Executor to drive the subscription manager in the GRANDPA RPC handler.
	pub subscription_executor: SubscriptionTaskExecutor,
	/// Finality proof provider.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

/// Everything the full node's RPC methods need.
pub struct FullDeps<C, P, SC, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The chain selection rule.
	pub select_chain: SC,
	/// BABE-specific dependencies.
	pub babe: BabeDeps,
	/// GRANDPA-specific dependencies.
	pub grandpa: GrandpaDeps<B>,
}

/// The node's RPC extensions.
pub fn create_full<C, P, SC, B>(
	FullDeps { client, pool, select_chain, babe, grandpa }: FullDeps<C, P, SC, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BabeApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
	SC: SelectChain<Block> + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::backend::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_babe_rpc::{Babe, BabeApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(
		Babe::new(client, babe.babe_worker_handle, babe.keystore, select_chain).into_rpc(),
	)?;
	module.merge(
		Grandpa::new(
			grandpa.subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;
	Ok(module)
}
