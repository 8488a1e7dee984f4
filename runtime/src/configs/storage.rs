//! The storage market: miners (`sminer`), files (`file-bank`), audits (`audit`), storage
//! rewards (`storage-rewards`), data rights (`data-rights`) and the S3 namespace over the files
//! (`buckets`).
//!
//! Money flows: lease payments and slashed collateral go to the file market's account; lease
//! payments are earned day by day over the days they pay for; each reward era moves what is
//! earned into the reward pool and mints issuance only up to the lease price of the storage
//! proven in the era (`docs/economics.md`).

use crate::{
	constants::economics, deposit, AccountId, Audit, Balance, Balances, BlockNumber, Buckets,
	FileBank, IdleSpace, Runtime, RuntimeHoldReason, Signature, Sminer, StorageRewards, Timestamp,
	DOLLARS,
};

use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{tokens::imbalance::ResolveTo, ConstU32},
		PalletId,
	},
	frame_system::EnsureRoot,
	pallet_babe, pallet_balances,
	sp_runtime::{
		traits::AccountIdConversion, transaction_validity::TransactionPriority, Perbill,
		Perquintill,
	},
};

/// One GiB.
const GIB: u64 = 1 << 30;
/// One TiB.
const TIB: u64 = 1 << 40;

/// The most minted into one reward era's pool when `total_issuance` tokens exist:
/// `STORAGE_MAX_INFLATION` of it a year, pro rata of the era's length.
pub fn era_issuance(total_issuance: Balance) -> Balance {
	let era_ms = RewardEra::get() as u64 * crate::MILLI_SECS_PER_BLOCK;
	let share_of_year = Perquintill::from_rational(era_ms, economics::MILLISECONDS_PER_YEAR);
	share_of_year.mul_floor(economics::STORAGE_MAX_INFLATION.mul_floor(total_issuance))
}

parameter_types! {
	/// Collateral per started TiB of declared capacity.
	pub const CollateralPerTiB: Balance = 4_000 * DOLLARS;
	pub const MinCapacity: u64 = GIB;
	pub const MaxCapacity: u64 = 1024 * TIB;
	pub const InitialCredit: u32 = 500;
	pub const FileBankPalletId: PalletId = PalletId(*b"cess/fbk");
	pub const SegmentSize: u64 = cess_primitives::types::DEFAULT_SEGMENT_SIZE;
	pub const MaxFileSize: u64 = TIB;
	/// The file market's account: lease payments and slashes, emptied into each reward pool.
	pub FileBankAccount: AccountId = FileBankPalletId::get().into_account_truncating();
	pub const RewardsPalletId: PalletId = PalletId(*b"cess/rwd");
	/// Minted into a reward era's pool at most: `STORAGE_MAX_INFLATION` a year of the total
	/// issuance, pro rata of the era's length. The pool never exceeds the lease price of the
	/// storage proven in the era, and issuance only tops the earned fees up to that.
	pub EraIssuance: Balance = era_issuance(pallet_balances::TotalIssuance::<Runtime>::get());
	/// Audit rounds per lease day.
	pub RoundsPerDay: u32 = BlocksPerDay::get() / RoundLength::get();
	/// Lease payments not yet earned.
	pub Unreleased: Balance = pallet_file_bank::Unreleased::<Runtime>::get();
	/// The lease price of a GiB-day.
	pub StoragePrice: Balance = pallet_file_bank::UnitPrice::<Runtime>::get();
	pub const ImmediateShare: Perbill = Perbill::from_percent(20);
	/// A byte of proven idle space scores a tenth of a byte of proven user data
	/// (`docs/economics.md`).
	pub const IdleShare: Perbill = Perbill::from_percent(10);
	/// Held from a restoral claimant until it completes; forfeited if the claim lapses.
	pub const RestoralClaimDeposit: Balance = 20 * DOLLARS;
	/// Held per declared upload until it is active; forfeited to the assigned miners if the
	/// uploader delivers nothing (64 abandoned declarations a block cost 64 TCESS).
	pub const UploadDeposit: Balance = DOLLARS;
	pub const ProbePriority: TransactionPriority = TransactionPriority::MAX / 2;
	pub const DataRightsPalletId: PalletId = PalletId(*b"cess/drt");
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
	pub const RestoralBarPeriod: BlockNumber = crate::DAYS;
	pub const RewardEra: BlockNumber = 6 * crate::HOURS;
	pub const ProbeInterval: BlockNumber = 10 * crate::MINUTES;
	pub const VestingPeriod: BlockNumber = 180 * crate::DAYS;
	pub const RevenuePeriod: BlockNumber = crate::DAYS;
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
	pub const RestoralBarPeriod: BlockNumber = 30 * crate::MINUTES;
	pub const RewardEra: BlockNumber = 4 * crate::MINUTES;
	pub const ProbeInterval: BlockNumber = crate::MINUTES / 2;
	pub const VestingPeriod: BlockNumber = 30 * crate::MINUTES;
	pub const RevenuePeriod: BlockNumber = 2 * crate::MINUTES;
}

impl pallet_sminer::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<FileBankAccount, Balances>;
	type Holdings = FileBank;
	type Capacity = IdleSpace;
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
}

impl pallet_file_bank::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = Sminer;
	type Penalties = Sminer;
	type Randomness = pallet_babe::ParentBlockRandomness<Runtime>;
	type AcceptanceSignature = Signature;
	type PriceOrigin = EnsureRoot<AccountId>;
	type PalletId = FileBankPalletId;
	type SegmentSize = SegmentSize;
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
	type RestoralClaimDeposit = RestoralClaimDeposit;
	type UploadDeposit = UploadDeposit;
	// Spares for an uploader that cannot reach a miner: enough for a few dead miners.
	type SpareMiners = ConstU32<4>;
	type RestoralBarPeriod = RestoralBarPeriod;
	type RestoralSamples = ConstU32<16>;
	// Time for a deduplicated upload to answer its content challenge (it has the fragments
	// at hand: one block to learn the challenge, one to answer).
	type JoinWindow = ConstU32<{ 10 * crate::MINUTES }>;
	type MaxRestoralProofLen = ConstU32<{ 64 * 1024 }>;
	type Rounds = crate::Audit;
	type References = Buckets;
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
	type ProbeDuty = super::validator_credit::CountProbeReport;
	type Rewards = StorageRewards;
	type Holdings = FileBank;
	type Randomness = pallet_babe::ParentBlockRandomness<Runtime>;
	type RoundLength = RoundLength;
	type ProofWindow = ProofWindow;
	// A miner missing 10 % of its leaves fails 81 % of rounds (PODR2.md); a proof of 8 MiB
	// fragments is 10–15 KiB.
	type ChallengeSamples = ConstU32<16>;
	type MaxProofLen = ConstU32<{ 64 * 1024 }>;
	type MaxConsecutiveMisses = ConstU32<3>;
	type MissSlash = MissSlash;
	type FailSlash = FailSlash;
	// 256 miners a block: a 2-minute round (40 blocks) sweeps the 10 000 miners `sminer` allows.
	type SweepBatch = ConstU32<256>;
	type MaxHistory = ConstU32<32>;
	type AuthorityId = pallet_audit::crypto::Public;
	type MaxAuthorities = ConstU32<1_000>;
	type Endpoints = Sminer;
	type ProbeInterval = ProbeInterval;
	type ProbesPerSlot = ConstU32<4>;
	type ProbePriority = ProbePriority;
	type WeightInfo = pallet_audit::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}

parameter_types! {
	/// Held per declared idle batch (up to 16 GiB): forfeited with the batch when its check
	/// fails or the miner fails its space rounds (`docs/idle-space.md`).
	pub const IdleBatchDeposit: Balance = 10 * DOLLARS;
	/// Slashed from collateral per failed or missed space round.
	pub const SpaceFailSlash: Balance = 10 * DOLLARS;
	/// Data is placed only on verified capacity (idle space proven, converted on placement).
	/// Local networks and tests (`fast-runtime`) place on the declaration: their miners declare
	/// gibibytes they do not generate.
	pub const EnforceVerifiedCapacity: bool = !cfg!(feature = "fast-runtime");
}

/// The idle files' shape: 2^20 labels (32 MiB files), 12 layers, degree 6 (`docs/idle-space.md`).
#[cfg(not(feature = "fast-runtime"))]
pub type IdleParams = DefaultIdleParams;
/// Local networks and tests: 2^14 labels (512 KiB files), so a test miner generates a batch in
/// seconds; layers and degree as in production.
#[cfg(feature = "fast-runtime")]
pub type IdleParams = SmallIdleParams;

parameter_types! {
	pub const DefaultIdleParams: cess_primitives::idle::IdleParams =
		cess_primitives::idle::IdleParams::DEFAULT;
	pub const SmallIdleParams: cess_primitives::idle::IdleParams =
		cess_primitives::idle::IdleParams { layer_labels_log2: 14, layers: 12, degree: 6 };
}

impl pallet_idle_space::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<FileBankAccount, Balances>;
	type Miners = Sminer;
	type Penalties = Sminer;
	type Rewards = StorageRewards;
	type Rounds = Audit;
	type Params = IdleParams;
	type EnforceVerifiedCapacity = EnforceVerifiedCapacity;
	type BatchDeposit = IdleBatchDeposit;
	// 1 024 batches of up to 512 files: 16 TiB of idle space per miner at the default files.
	type MaxBatches = ConstU32<1_024>;
	type MaxPendingBatches = ConstU32<16>;
	// A check is drawn at the start of the round after the declaration and accepted for three
	// rounds (proving one regenerates ≤ 14 files: about a minute on two cores).
	type CheckRounds = ConstU32<3>;
	type GenerationSamples = ConstU32<{ cess_primitives::idle::DEFAULT_GENERATION_SAMPLES }>;
	type SpaceSamples = ConstU32<{ cess_primitives::idle::DEFAULT_SPACE_SAMPLES }>;
	type MaxGenerationProofLen = ConstU32<{ 64 * 1024 }>;
	type MaxSpaceProofLen = ConstU32<{ 16 * 1024 }>;
	type SpaceFailSlash = SpaceFailSlash;
	type MaxConsecutiveFailures = ConstU32<3>;
	// A swept miner reads its batch vector (up to 1 024 records): 32 a block sweep the 10 000
	// miners `sminer` allows in 313 blocks, half of an hour-long round (600 blocks).
	type SweepBatch = ConstU32<32>;
	type WeightInfo = pallet_idle_space::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}

impl pallet_storage_rewards::Config for Runtime {
	type Currency = Balances;
	type Miners = Sminer;
	type PalletId = RewardsPalletId;
	type FeeAccount = FileBankAccount;
	type EraLength = RewardEra;
	type EraIssuance = EraIssuance;
	type Unreleased = Unreleased;
	type StoragePrice = StoragePrice;
	type RoundsPerDay = RoundsPerDay;
	type ImmediateShare = ImmediateShare;
	type IdleShare = IdleShare;
	type VestingPeriod = VestingPeriod;
	type MaxSchedules = ConstU32<32>;
	// A week of six-hour eras (28 eras of the fast runtime).
	type ClaimDepth = ConstU32<28>;
	type CleanupBatch = ConstU32<512>;
	type WeightInfo = pallet_storage_rewards::weights::SubstrateWeight<Runtime>;
}

impl pallet_data_rights::Config for Runtime {
	type Currency = Balances;
	type Files = FileBank;
	type UnixTime = Timestamp;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type PalletId = DataRightsPalletId;
	// Distance ≤ 7 of 64 bits, the most the probed four-band index guarantees: a one-word edit
	// of a 200-word text moves its SimHash by ≤ 7 bits in 99 % of cases; two unrelated hashes
	// come that close with probability ≈ 3·10⁻¹¹.
	type DuplicateDistance = ConstU32<8>;
	type MaxBucketLen = ConstU32<32>;
	type MaxListLen = ConstU32<64>;
	type MaxShareholders = ConstU32<16>;
	type MaxEvidence = ConstU32<1024>;
	type RevenuePeriod = RevenuePeriod;
	type MaxSplitsPerBlock = ConstU32<32>;
	type WeightInfo = pallet_data_rights::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}

parameter_types! {
	/// Held per bucket: 1024 bytes' worth (≈ 1 TCESS). The entry with the longest name and the
	/// owner's bucket count take about 180 bytes; the rest deters squatting on names. No
	/// per-item part (`deposit`'s 20 TCESS an item would price S3 workloads out).
	pub const BucketDeposit: Balance = deposit(0, 1024);
	/// Held per object besides its key, content type and extents: 256 bytes' worth (the
	/// entry's key hashes, owner and bucket name and its metadata, ≈ 190 bytes, and the owner's
	/// object count). Each extent's file also has a reference count row (≈ 76 bytes) that is
	/// not charged here: the file's lease in `file-bank` pays for the file.
	pub const ObjectDepositBase: Balance = deposit(0, 256);
	/// Held per byte of an object's key and content type, and per 40 bytes of each extent
	/// (`pallet_buckets::EXTENT_BYTES`): a 10 000-extent object holds 400 TCESS for its 400 KB.
	pub const ObjectDepositPerByte: Balance = deposit(0, 1);
}

impl pallet_buckets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Files = FileBank;
	type UnixTime = Timestamp;
	type BucketDeposit = BucketDeposit;
	type ObjectDepositBase = ObjectDepositBase;
	type ObjectDepositPerByte = ObjectDepositPerByte;
	type MaxBuckets = ConstU32<100>;
	// A listing collects and sorts up to this many keys of one owner (in the runtime API).
	type MaxObjects = ConstU32<100_000>;
	// S3's most parts of a multipart upload; each part (or piece of a large object) is a file.
	type MaxExtents = ConstU32<10_000>;
	type WeightInfo = pallet_buckets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::StorageBenchmarks;
}
