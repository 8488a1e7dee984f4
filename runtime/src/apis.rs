//! The runtime APIs the node, wallets and tools call.

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	pallet_grandpa::AuthorityId as GrandpaId,
	sp_api::impl_runtime_apis,
	sp_consensus_babe, sp_consensus_grandpa,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult,
	},
	sp_version::RuntimeVersion,
	*,
};

use super::{
	AccountId, Audit, Babe, Balance, Block, BlockNumber, Buckets, DataRights, Executive, FileBank,
	Grandpa, Historical, IdleSpace, InherentDataExt, Nonce, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, Sminer, StorageRewards, System, TransactionPayment,
	BABE_GENESIS_EPOCH_CONFIG, EPOCH_DURATION_IN_SLOTS, VERSION,
};
use cess_primitives::types::{Column, FileId};
use pallet_file_bank::runtime_api::{FileSummary, OrderSummary};
use pallet_sminer::runtime_api::MinerSummary;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_babe::BabeApi<Block> for Runtime {
		fn configuration() -> sp_consensus_babe::BabeConfiguration {
			let epoch_config = Babe::epoch_config().unwrap_or(BABE_GENESIS_EPOCH_CONFIG);
			sp_consensus_babe::BabeConfiguration {
				slot_duration: Babe::slot_duration(),
				epoch_length: EPOCH_DURATION_IN_SLOTS,
				c: epoch_config.c,
				authorities: Babe::authorities().to_vec(),
				randomness: Babe::randomness(),
				allowed_slots: epoch_config.allowed_slots,
			}
		}

		fn current_epoch_start() -> sp_consensus_babe::Slot {
			Babe::current_epoch_start()
		}

		fn current_epoch() -> sp_consensus_babe::Epoch {
			Babe::current_epoch()
		}

		fn next_epoch() -> sp_consensus_babe::Epoch {
			Babe::next_epoch()
		}

		fn generate_key_ownership_proof(
			_slot: sp_consensus_babe::Slot,
			authority_id: sp_consensus_babe::AuthorityId,
		) -> Option<sp_consensus_babe::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;

			Historical::prove((sp_consensus_babe::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_babe::OpaqueKeyOwnershipProof::new)
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_babe::EquivocationProof<<Block as BlockT>::Header>,
			key_owner_proof: sp_consensus_babe::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Babe::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;

			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_sminer::runtime_api::SminerApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn miner_info(miner: AccountId) -> Option<MinerSummary<AccountId, Balance, BlockNumber>> {
			Sminer::miner_summary(&miner)
		}
		fn credit_history(miner: AccountId) -> Vec<pallet_sminer::CreditEntry<BlockNumber>> {
			Sminer::credit_history_of(&miner)
		}
		fn miner_counts() -> (u32, u32) {
			Sminer::miner_counts()
		}
	}

	impl pallet_storage_rewards::runtime_api::StorageRewardsApi<Block, AccountId, Balance> for Runtime {
		fn claimable(miner: AccountId) -> Vec<(u32, Balance)> {
			StorageRewards::claimable_of(&miner)
		}
		fn vesting(who: AccountId) -> (Balance, Balance) {
			StorageRewards::vesting_of(&who)
		}
	}

	impl pallet_data_rights::runtime_api::DataRightsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn evidence(
			file: cess_primitives::types::FileId,
			start: u32,
			limit: u32,
		) -> pallet_data_rights::EvidencePage<AccountId, Balance, BlockNumber> {
			DataRights::evidence_page(file, start, limit)
		}
		fn near_duplicates(
			fingerprint: pallet_data_rights::Fingerprint,
		) -> Vec<(cess_primitives::types::FileId, AccountId, u32)> {
			DataRights::near_duplicates(&fingerprint)
		}
	}

	impl pallet_buckets::runtime_api::BucketsApi<Block, AccountId, Balance> for Runtime {
		fn buckets(owner: AccountId) -> Vec<(Vec<u8>, pallet_buckets::BucketInfo<Balance>)> {
			Buckets::buckets_of(&owner)
		}
		fn object(
			owner: AccountId,
			bucket: Vec<u8>,
			key: Vec<u8>,
		) -> Option<pallet_buckets::runtime_api::ObjectSummary> {
			Buckets::object_summary(&owner, &bucket, &key)
		}
		fn list_objects(
			owner: AccountId,
			bucket: Vec<u8>,
			prefix: Vec<u8>,
			delimiter: Option<Vec<u8>>,
			start_after: Option<Vec<u8>>,
			max_keys: u32,
		) -> Option<pallet_buckets::runtime_api::ObjectPage> {
			Buckets::list_objects(
				&owner,
				&bucket,
				&prefix,
				delimiter.as_deref(),
				start_after.as_deref(),
				max_keys,
			)
		}
	}

	impl pallet_audit::runtime_api::AuditApi<Block, AccountId> for Runtime {
		fn challenge(miner: AccountId) -> Option<pallet_audit::runtime_api::Challenge> {
			Audit::challenge_of(&miner)
		}
		fn audit_history(
			miner: AccountId,
		) -> (pallet_audit::MinerAudit, Vec<(u32, pallet_audit::Outcome)>) {
			Audit::history_of(&miner)
		}
	}

	impl pallet_idle_space::runtime_api::IdleSpaceApi<Block, AccountId> for Runtime {
		fn idle_params() -> (u8, u8, u8) {
			IdleSpace::params_bytes()
		}
		fn idle_summary(miner: AccountId) -> Option<pallet_idle_space::IdleSummary> {
			IdleSpace::summary(&miner)
		}
		fn idle_batches(miner: AccountId) -> Vec<pallet_idle_space::BatchRecord> {
			IdleSpace::batches_of(&miner)
		}
		fn generation_check(
			miner: AccountId,
			first: u64,
		) -> Option<Vec<cess_primitives::idle::GenSample>> {
			IdleSpace::generation_check(&miner, first)
		}
		fn space_challenge(
			miner: AccountId,
		) -> Option<pallet_idle_space::runtime_api::SpaceChallenge> {
			IdleSpace::space_challenge_of(&miner)
		}
	}

	impl pallet_file_bank::runtime_api::FileBankApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn file_info(file_id: FileId) -> Option<FileSummary<AccountId, BlockNumber>> {
			FileBank::file_summary(file_id)
		}
		fn quote(gib: u32, days: u32) -> Balance {
			FileBank::quote_price(gib, days)
		}
		fn lease(owner: AccountId) -> Option<pallet_file_bank::Lease<BlockNumber>> {
			FileBank::lease_of(&owner)
		}
		fn holdings(miner: AccountId, start: u32, limit: u32) -> Vec<(FileId, Column)> {
			FileBank::holdings_page(&miner, start, limit)
		}
		fn restoral_orders(
			after: Option<(FileId, Column)>,
			limit: u32,
		) -> Vec<OrderSummary<AccountId, BlockNumber>> {
			FileBank::orders_page(after, limit)
		}
		fn restoral_challenge(
			file_id: FileId,
			column: Column,
		) -> Option<Vec<cess_primitives::possession::Sample>> {
			FileBank::restoral_challenge(file_id, column)
		}
		fn join_challenge(
			file_id: FileId,
			who: AccountId,
		) -> Option<Vec<cess_primitives::possession::Sample>> {
			FileBank::join_challenge(file_id, &who)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use super::benchmarks::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, super::AllPalletsWithSystem::storage_info())
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;
			use super::benchmarks::*;

			let whitelist: Vec<TrackedStorageKey> =
				super::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// An error here must stop the check with a backtrace rather than be passed on.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
