//! The miner's link to its node: one client, replaced when the connection drops, and one
//! [`Submitter`] so transactions sent back to back get consecutive nonces.

use cess_chain::{
	api::{
		self,
		runtime_types::{pallet_file_bank::types::FileInfo, pallet_sminer::types::MinerInfo},
	},
	AccountId, ChainError, Client, Events, Keypair, Submitter, Wait,
};
use cess_primitives::types::{Column, FileId};
use tokio::sync::RwLock;

/// A miner's challenge in the current round (mirrors the runtime API's type).
pub type Challenge = api::runtime_types::pallet_audit::runtime_api::Challenge;
/// A miner's idle account and totals (mirrors the runtime API's type).
pub type IdleSummary = api::runtime_types::pallet_idle_space::types::IdleSummary;
/// One idle batch record.
pub type BatchRecord = api::runtime_types::pallet_idle_space::types::BatchRecord;
/// A space challenge.
pub type SpaceChallenge = api::runtime_types::pallet_idle_space::runtime_api::SpaceChallenge;
/// A generation-check sample as the metadata types it.
pub type ChainGenSample = api::runtime_types::cess_primitives::idle::check::GenSample;
pub use cess_chain::{samples, ChainSample};

/// The connection to the node.
pub struct ChainLink {
	url: String,
	client: RwLock<Client>,
	submitter: Submitter,
}

impl ChainLink {
	/// Connects to `url` as `key`.
	pub async fn connect(url: &str, key: Keypair) -> Result<Self, ChainError> {
		let client = cess_chain::connect(url).await?;
		Ok(Self { url: url.into(), client: RwLock::new(client), submitter: Submitter::new(key) })
	}

	/// The miner account.
	pub fn account(&self) -> AccountId {
		self.submitter.account()
	}

	/// The current client.
	pub async fn client(&self) -> Client {
		self.client.read().await.clone()
	}

	/// Replaces the client with a fresh connection if the node answers.
	pub async fn reconnect(&self) {
		match cess_chain::connect(&self.url).await {
			Ok(client) => {
				*self.client.write().await = client;
				tracing::info!(url = %self.url, "reconnected to the node");
			},
			Err(e) => tracing::warn!(error = %e, "node still unreachable"),
		}
	}

	/// Runs `f`; on a connection-level failure, reconnects once and runs it again.
	pub async fn retrying<T, F, Fut>(&self, f: F) -> Result<T, ChainError>
	where
		F: Fn(Client) -> Fut,
		Fut: std::future::Future<Output = Result<T, ChainError>>,
	{
		match f(self.client().await).await {
			Err(ChainError::Rpc(reason)) | Err(ChainError::Connect { reason, .. }) => {
				tracing::warn!(%reason, "chain request failed; reconnecting");
				self.reconnect().await;
				f(self.client().await).await
			},
			other => other,
		}
	}

	/// Signs and submits `call`.
	pub async fn submit<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
		wait: Wait,
	) -> Result<Events, ChainError> {
		let client = self.client().await;
		let result = self.submitter.submit(&client, call, wait).await;
		if matches!(result, Err(ChainError::Rpc(_))) {
			self.reconnect().await;
		}
		result
	}

	/// The file record of `file_id`.
	pub async fn file(&self, file_id: FileId) -> Result<Option<FileInfo>, ChainError> {
		let address = api::storage().file_bank().files();
		self.retrying(|client| {
			let address = address.clone();
			async move { cess_chain::fetch(&client, address, (file_id,)).await }
		})
		.await
	}

	/// The miner record of `account`.
	pub async fn miner(&self, account: AccountId) -> Result<Option<MinerInfo>, ChainError> {
		let address = api::storage().sminer().miners();
		self.retrying(|client| {
			let address = address.clone();
			async move { cess_chain::fetch(&client, address, (account,)).await }
		})
		.await
	}

	/// The current audit round (0 before the first).
	pub async fn current_round(&self) -> Result<u32, ChainError> {
		let address = api::storage().audit().current_round();
		let round = self
			.retrying(|client| {
				let address = address.clone();
				async move { cess_chain::fetch(&client, address, ()).await }
			})
			.await?;
		Ok(round.map_or(0, |r| r.index))
	}

	/// This miner's challenge in the current round.
	pub async fn challenge(&self) -> Result<Option<Challenge>, ChainError> {
		let me = self.account();
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().audit_api().challenge(me);
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
	}

	/// This miner's idle account and batch totals (`None` before its first batch).
	pub async fn idle_summary(&self) -> Result<Option<IdleSummary>, ChainError> {
		let me = self.account();
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().idle_space_api().idle_summary(me);
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
	}

	/// This miner's idle batches, in declaration order.
	pub async fn idle_batches(&self) -> Result<Vec<BatchRecord>, ChainError> {
		let me = self.account();
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().idle_space_api().idle_batches(me);
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
	}

	/// The generation check of this miner's batch at `first`, once drawn.
	pub async fn generation_check(
		&self,
		first: u64,
	) -> Result<Option<Vec<ChainGenSample>>, ChainError> {
		let me = self.account();
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().idle_space_api().generation_check(me, first);
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
	}

	/// This miner's space challenge in the current round.
	pub async fn space_challenge(&self) -> Result<Option<SpaceChallenge>, ChainError> {
		let me = self.account();
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().idle_space_api().space_challenge(me);
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
	}

	/// The chain's idle-file parameters.
	pub async fn idle_params(&self) -> Result<cess_primitives::idle::IdleParams, ChainError> {
		self.retrying(|client| async move {
			let at = cess_chain::at_finalized(&client).await?;
			let call = api::runtime_apis().idle_space_api().idle_params();
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)
		})
		.await
		.map(cess_chain::idle::params)
	}

	/// The chain's genesis hash.
	pub async fn genesis(&self) -> [u8; 32] {
		self.client().await.genesis_hash().0
	}

	/// The chain's segment size.
	pub async fn segment_size(&self) -> Result<u64, ChainError> {
		let client = self.client().await;
		let at = cess_chain::at_finalized(&client).await?;
		at.constants().entry(api::constants().file_bank().segment_size()).map_err(ChainError::rpc)
	}
}

/// Whether `column` of `file` is this miner's (assigned, stored or being restored by it).
pub fn assigned_to(file: &FileInfo, column: Column, me: &AccountId) -> bool {
	file.columns.0.get(usize::from(column)).is_some_and(|c| &c.miner == me)
}
