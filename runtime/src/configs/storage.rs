//! The storage market: miners (`sminer`) and files (`file-bank`).

use crate::{
	AccountId, Balance, Balances, BlockNumber, FileBank, Runtime, RuntimeHoldReason, Signature,
	Sminer, DOLLARS,
};

use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, PalletId},
	frame_system::EnsureRoot,
	pallet_babe,
};

/// One GiB.
const GIB: u64 = 1 << 30;
/// One TiB.
const TIB: u64 = 1 << 40;

parameter_types! {
	/// Collateral per started TiB of declared capacity.
	pub const CollateralPerTiB: Balance = 4_000 * DOLLARS;
	pub const MinCapacity: u64 = GIB;
	pub const MaxCapacity: u64 = 1024 * TIB;
	pub const InitialCredit: u32 = 500;
	pub const FileBankPalletId: PalletId = PalletId(*b"cess/fbk");
	pub const SegmentSize: u64 = cess_primitives::types::DEFAULT_SEGMENT_SIZE;
	pub const MaxFileSize: u64 = TIB;
}

#[cfg(not(feature = "fast-runtime"))]
parameter_types! {
	pub const RoundLength: BlockNumber = crate::HOURS;
	pub const ProofWindow: BlockNumber = 30 * crate::MINUTES;
	pub const ExitCoolingPeriod: BlockNumber = 7 * crate::DAYS;
	pub const BlocksPerDay: BlockNumber = crate::DAYS;
	pub const GracePeriod: BlockNumber = 7 * crate::DAYS;
	pub const TransferDeadline: BlockNumber = crate::HOURS;
	pub const RestoralClaimPeriod: BlockNumber = crate::HOURS;
}

// Short periods for tests and local networks: a lease "day" is 10 minutes.
#[cfg(feature = "fast-runtime")]
parameter_types! {
	pub const RoundLength: BlockNumber = 2 * crate::MINUTES;
	pub const ProofWindow: BlockNumber = crate::MINUTES;
	pub const ExitCoolingPeriod: BlockNumber = 10 * crate::MINUTES;
	pub const BlocksPerDay: BlockNumber = 10 * crate::MINUTES;
	pub const GracePeriod: BlockNumber = 10 * crate::MINUTES;
	pub const TransferDeadline: BlockNumber = 5 * crate::MINUTES;
	pub const RestoralClaimPeriod: BlockNumber = 10 * crate::MINUTES;
}

impl pallet_sminer::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Burned until the storage-reward pool exists.
	type OnSlash = ();
	type Holdings = FileBank;
	type CollateralPerTiB = CollateralPerTiB;
	type MinCapacity = MinCapacity;
	type MaxCapacity = MaxCapacity;
	type MaxMiners = ConstU32<10_000>;
	type MaxMultiaddrs = ConstU32<8>;
	type MaxMultiaddrLen = ConstU32<128>;
	type MaxPeerIdLen = ConstU32<64>;
	type MaxCreditHistory = ConstU32<32>;
	type InitialCredit = InitialCredit;
	type ExitCoolingPeriod = ExitCoolingPeriod;
	type WeightInfo = pallet_sminer::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}

impl pallet_file_bank::Config for Runtime {
	type Currency = Balances;
	type Miners = Sminer;
	type Penalties = Sminer;
	type Randomness = pallet_babe::ParentBlockRandomness<Runtime>;
	type AcceptanceSignature = Signature;
	type PriceOrigin = EnsureRoot<AccountId>;
	type PalletId = FileBankPalletId;
	type SegmentSize = SegmentSize;
	type SectorsPerBlock = ConstU32<64>;
	type BlocksPerDay = BlocksPerDay;
	type MinLeaseDays = ConstU32<1>;
	type MaxLeaseDays = ConstU32<3650>;
	type MaxLeaseGib = ConstU32<{ 1 << 20 }>;
	type GracePeriod = GracePeriod;
	type MaxFileSize = MaxFileSize;
	type MaxFileOwners = ConstU32<32>;
	type MaxNameLen = ConstU32<128>;
	type TransferDeadline = TransferDeadline;
	type MaxTransferAttempts = ConstU32<3>;
	type MaxUploadsPerBlock = ConstU32<64>;
	type PlacementCandidates = ConstU32<64>;
	type MaxHoldingsPerMiner = ConstU32<50_000_000>;
	type RestoralClaimPeriod = RestoralClaimPeriod;
	type RestoralSamples = ConstU32<16>;
	type MaxOpeningLen = ConstU32<{ 128 * 1024 }>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxHookWork = ConstU32<32>;
	type WeightInfo = pallet_file_bank::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}

parameter_types! {
	pub const MissSlash: Balance = 10 * DOLLARS;
	pub const FailSlash: Balance = 50 * DOLLARS;
}

impl pallet_audit::Config for Runtime {
	type Balance = Balance;
	type Miners = Sminer;
	type Penalties = Sminer;
	type Holdings = FileBank;
	type Randomness = pallet_babe::ParentBlockRandomness<Runtime>;
	type RoundLength = RoundLength;
	type ProofWindow = ProofWindow;
	type ChallengeSamples = ConstU32<46>;
	type SectorsPerBlock = ConstU32<64>;
	type MaxConsecutiveMisses = ConstU32<3>;
	type MissSlash = MissSlash;
	type FailSlash = FailSlash;
	// 256 miners a block: a 2-minute round (40 blocks) sweeps the 10 000 miners `sminer` allows.
	type SweepBatch = ConstU32<256>;
	type MaxHistory = ConstU32<32>;
	type WeightInfo = pallet_audit::weights::SubstrateWeight<Runtime>;
}
