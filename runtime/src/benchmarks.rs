//! The pallets benchmarked by `cess-node benchmark pallet` (feature `runtime-benchmarks`), and
//! the runtime side of the storage pallets' benchmark helpers.

pub use polkadot_sdk::{frame_benchmarking, frame_system_benchmarking, *};

use crate::{AccountId, Runtime, Signature};
use polkadot_sdk::{
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_io,
};

pub type SystemBench = frame_system_benchmarking::Pallet<Runtime>;

impl frame_system_benchmarking::Config for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_utility, crate::Utility]
	[pallet_sudo, crate::Sudo]
	[pallet_treasury, crate::Treasury]
	[pallet_proxy, crate::Proxy]
	[pallet_multisig, crate::Multisig]
	[pallet_sminer, crate::Sminer]
	[pallet_file_bank, crate::FileBank]
	[pallet_audit, crate::Audit]
	[pallet_storage_rewards, crate::StorageRewards]
	[pallet_data_rights, crate::DataRights]
	[pallet_validator_credit, crate::ValidatorCredit]
	[pallet_buckets, crate::Buckets]
	[pallet_idle_space, crate::IdleSpace]
);

/// Key type of the benchmark signer in the benchmark keystore.
const BENCH_KEY: KeyTypeId = KeyTypeId(*b"cbnc");

/// Benchmark helpers of `file-bank`, `audit`, `data-rights` and `buckets`: miners and holdings made directly
/// in storage, and an sr25519 signer in the keystore.
pub struct StorageBenchmarks;

impl pallet_file_bank::BenchmarkHelper<AccountId, Signature> for StorageBenchmarks {
	fn add_miner(who: &AccountId, capacity: u64) {
		pallet_sminer::Pallet::<Runtime>::benchmark_add_miner(who, capacity);
	}

	fn signer() -> AccountId {
		let public = sp_io::crypto::sr25519_generate(BENCH_KEY, Some(b"//CessBench".to_vec()));
		AccountId::from(public.0)
	}

	fn sign(signer: &AccountId, message: &[u8]) -> Signature {
		let bytes: &[u8; 32] = signer.as_ref();
		let public = sr25519::Public::from_raw(*bytes);
		sp_io::crypto::sr25519_sign(BENCH_KEY, &public, message)
			.expect("the benchmark signer's key is in the keystore")
			.into()
	}

	fn start_audit_round() {
		pallet_audit::Pallet::<Runtime>::benchmark_start_round();
	}
}

impl pallet_audit::BenchmarkHelper<AccountId> for StorageBenchmarks {
	fn challengeable_miner(who: &AccountId, holdings: u32) {
		pallet_sminer::Pallet::<Runtime>::benchmark_add_miner(who, 1 << 50);
		pallet_file_bank::Pallet::<Runtime>::benchmark_hold(who, holdings);
	}
}

impl pallet_data_rights::BenchmarkHelper<AccountId> for StorageBenchmarks {
	fn own_file(
		who: &AccountId,
		file: cess_primitives::types::FileId,
		commitment: Option<cess_primitives::types::Hash256>,
	) {
		pallet_file_bank::Pallet::<Runtime>::benchmark_own_file(who, file, commitment);
	}
}

impl pallet_idle_space::BenchmarkHelper<AccountId> for StorageBenchmarks {
	fn miner(who: &AccountId, capacity: u64) {
		pallet_sminer::Pallet::<Runtime>::benchmark_add_miner(who, capacity);
	}

	fn start_round() {
		pallet_audit::Pallet::<Runtime>::benchmark_start_round();
	}
}

impl pallet_buckets::BenchmarkHelper<AccountId> for StorageBenchmarks {
	fn own_file(who: &AccountId, file: cess_primitives::types::FileId) {
		pallet_file_bank::Pallet::<Runtime>::benchmark_own_file(who, file, None);
	}
}
