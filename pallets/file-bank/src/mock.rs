//! A test runtime: System, Balances and FileBank, with an in-memory miner registry that keeps
//! the same space accounting as `sminer` (so tests can check it against the file market).

use crate as pallet_file_bank;
use cess_primitives::{
	traits::{AuditClock, CreditReason, MinerPenalties, MinerRegistry, PlacementInfo, SpaceError},
	types::{Column, FileId, LEAF_BYTES},
};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, Randomness},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::{testing::TestSignature, BuildStorage},
};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type FileBank = pallet_file_bank;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	type BlockHashCount = ConstU64<250>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// One GiB.
pub const GIB: u64 = 1 << 30;
/// Segment size of the mock chain: 8 blocks, so small files have several segments.
pub const SEGMENT: u64 = 62 * LEAF_BYTES as u64;
/// Blocks per lease day.
pub const DAY: u64 = 10;
/// Grace period after expiry.
pub const GRACE: u64 = 5;
/// Transfer deadline.
pub const DEADLINE: u64 = 10;
/// Claim period.
pub const CLAIM: u64 = 20;
/// Blocks a join request may be answered in.
pub const JOIN_WINDOW: u64 = 10;
/// Restoral claim deposit.
pub const CLAIM_DEPOSIT: u64 = 1_000;
/// Held from each declarer until its upload is active.
pub const UPLOAD_DEPOSIT: u64 = 300;
/// Blocks a lapsed claimant is barred from the order after its claim's deadline.
pub const BAR: u64 = 30;
/// Price per GiB-day at genesis.
pub const PRICE: u64 = 3;

parameter_types! {
	pub const FileBankPalletId: PalletId = PalletId(*b"cess/fbk");
	pub const SegmentSize: u64 = SEGMENT;
	pub const MaxFileSize: u64 = GIB;
}

/// Parent-block randomness stand-in: a hash of the subject and the block number.
pub struct TestRandomness;
impl Randomness<Option<H256>, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (Option<H256>, u64) {
		let n = frame_system::Pallet::<Test>::block_number();
		let h = cess_primitives::merkle::blake2_256_parts(&[subject, &n.to_le_bytes()]);
		(Some(H256(h)), n)
	}
}

/// One miner of the in-memory registry.
#[derive(Clone, Debug, Default)]
pub struct MockMiner {
	pub declared: u64,
	pub used: u64,
	pub locked: u64,
	pub credit: u32,
	pub positive: bool,
}

thread_local! {
	pub static MINERS: RefCell<BTreeMap<u64, MockMiner>> = const { RefCell::new(BTreeMap::new()) };
	pub static CREDIT_LOG: RefCell<Vec<(u64, i32, CreditReason)>> = const { RefCell::new(Vec::new()) };
}

/// The in-memory miner registry.
pub struct MockMiners;

impl MockMiners {
	/// Adds a positive miner with `declared` bytes, credit 500 and [`MINER_BALANCE`] to spend.
	pub fn add(who: u64, declared: u64) {
		<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<u64>>::set_balance(
			&who,
			MINER_BALANCE,
		);
		MINERS.with(|m| {
			m.borrow_mut().insert(
				who,
				MockMiner { declared, credit: 500, positive: true, ..Default::default() },
			)
		});
	}
	/// A copy of `who`'s record.
	pub fn get(who: u64) -> MockMiner {
		MINERS.with(|m| m.borrow().get(&who).cloned().unwrap_or_default())
	}
	/// Sets whether `who` is positive.
	pub fn set_positive(who: u64, positive: bool) {
		MINERS.with(|m| m.borrow_mut().get_mut(&who).map(|x| x.positive = positive));
	}
	fn positive() -> Vec<u64> {
		MINERS.with(|m| m.borrow().iter().filter(|(_, x)| x.positive).map(|(k, _)| *k).collect())
	}
	fn with<R>(who: &u64, f: impl FnOnce(&mut MockMiner) -> R) -> Option<R> {
		MINERS.with(|m| m.borrow_mut().get_mut(who).map(f))
	}
}

impl MinerRegistry<u64> for MockMiners {
	fn positive_count() -> u32 {
		Self::positive().len() as u32
	}
	fn positive_at(index: u32) -> Option<u64> {
		Self::positive().get(index as usize).copied()
	}
	fn placement_info(who: &u64) -> Option<PlacementInfo> {
		let m = Self::get(*who);
		m.positive.then(|| PlacementInfo { free: m.declared - m.used - m.locked, credit: m.credit })
	}
	fn is_positive(who: &u64) -> bool {
		Self::get(*who).positive
	}
	fn lock_space(who: &u64, bytes: u64) -> Result<(), SpaceError> {
		Self::with(who, |m| {
			if !m.positive {
				return Err(SpaceError::NotPositive);
			}
			if m.declared - m.used - m.locked < bytes {
				return Err(SpaceError::InsufficientSpace);
			}
			m.locked += bytes;
			Ok(())
		})
		.unwrap_or(Err(SpaceError::UnknownMiner))
	}
	fn unlock_space(who: &u64, bytes: u64) {
		Self::with(who, |m| {
			assert!(m.locked >= bytes, "unlocking more than locked");
			m.locked -= bytes
		});
	}
	fn commit_space(who: &u64, bytes: u64) {
		Self::with(who, |m| {
			assert!(m.locked >= bytes, "committing more than locked");
			m.locked -= bytes;
			m.used += bytes;
		});
	}
	fn release_space(who: &u64, bytes: u64) {
		Self::with(who, |m| {
			assert!(m.used >= bytes, "releasing more than used");
			m.used -= bytes
		});
	}
}

impl MinerPenalties<u64, u64> for MockMiners {
	fn adjust_credit(who: &u64, delta: i32, reason: CreditReason) {
		CREDIT_LOG.with(|l| l.borrow_mut().push((*who, delta, reason)));
		Self::with(who, |m| m.credit = (m.credit as i32 + delta).clamp(0, 1000) as u32);
	}
	fn slash(_: &u64, _: u64) -> u64 {
		0
	}
	fn force_out(who: &u64) {
		Self::set_positive(*who, false);
	}
}

/// Credit changes recorded so far.
pub fn credit_log() -> Vec<(u64, i32, CreditReason)> {
	CREDIT_LOG.with(|l| l.borrow().clone())
}

thread_local! {
	static ROUND: RefCell<u32> = const { RefCell::new(0) };
	static LOSS_REPORTS: RefCell<Vec<(u64, FileId, Column)>> = const { RefCell::new(Vec::new()) };
}

/// Loss reports the audit was told of so far.
pub fn audit_loss_reports() -> Vec<(u64, FileId, Column)> {
	LOSS_REPORTS.with(|l| l.borrow().clone())
}

/// The audit round as the tests set it.
pub struct MockRounds;

impl MockRounds {
	/// Starts round `round`.
	pub fn set(round: u32) {
		ROUND.with(|r| *r.borrow_mut() = round);
	}
}

impl AuditClock<u64> for MockRounds {
	fn current_round() -> u32 {
		ROUND.with(|r| *r.borrow())
	}

	fn loss_reported(miner: &u64, file_id: &FileId, column: Column) -> bool {
		LOSS_REPORTS.with(|l| l.borrow_mut().push((*miner, *file_id, column)));
		false
	}

	fn holdings_emptying(_: &u64) {}
}

thread_local! {
	static REFERENCES: RefCell<BTreeMap<(u64, FileId), u32>> = const { RefCell::new(BTreeMap::new()) };
}

/// Object keys naming files, as the tests set them (`buckets` in the runtime).
pub struct MockReferences;

impl MockReferences {
	/// Makes `n` of `owner`'s keys name `file`.
	pub fn set(owner: u64, file: FileId, n: u32) {
		REFERENCES.with(|r| r.borrow_mut().insert((owner, file), n));
	}
}

impl cess_primitives::traits::FileReferences<u64> for MockReferences {
	fn references(owner: &u64, file: &FileId) -> u32 {
		REFERENCES.with(|r| r.borrow().get(&(*owner, *file)).copied().unwrap_or(0))
	}
}

impl pallet_file_bank::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = MockMiners;
	type Penalties = MockMiners;
	type Randomness = TestRandomness;
	type AcceptanceSignature = TestSignature;
	type PriceOrigin = EnsureRoot<u64>;
	type PalletId = FileBankPalletId;
	type SegmentSize = SegmentSize;
	type BlocksPerDay = ConstU64<DAY>;
	type MinLeaseDays = ConstU32<1>;
	type MaxLeaseDays = ConstU32<100>;
	type MaxLeaseGib = ConstU32<100>;
	type GracePeriod = ConstU64<GRACE>;
	type MaxFileSize = MaxFileSize;
	type MaxFileOwners = ConstU32<3>;
	type MaxNameLen = ConstU32<32>;
	type TransferDeadline = ConstU64<DEADLINE>;
	type MaxTransferAttempts = ConstU32<3>;
	type MaxUploadsPerBlock = ConstU32<4>;
	type PlacementCandidates = ConstU32<40>;
	type MaxHoldingsPerMiner = ConstU32<100>;
	type RestoralClaimPeriod = ConstU64<CLAIM>;
	type RestoralClaimDeposit = ConstU64<CLAIM_DEPOSIT>;
	type UploadDeposit = ConstU64<UPLOAD_DEPOSIT>;
	type SpareMiners = ConstU32<2>;
	type RestoralBarPeriod = ConstU64<BAR>;
	type RestoralSamples = ConstU32<4>;
	type JoinWindow = ConstU64<JOIN_WINDOW>;
	type MaxRestoralProofLen = ConstU32<65536>;
	type Rounds = MockRounds;
	type References = MockReferences;
	type MaxExpiriesPerBlock = ConstU32<4>;
	type MaxHookWork = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarks;
}

/// Benchmark support computed natively.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, TestSignature> for MockBenchmarks {
	fn add_miner(who: &u64, capacity: u64) {
		MockMiners::add(*who, capacity);
	}
	fn signer() -> u64 {
		7
	}
	fn sign(signer: &u64, message: &[u8]) -> TestSignature {
		TestSignature(*signer, message.to_vec())
	}
	fn start_audit_round() {
		MockRounds::set(MockRounds::current_round() + 1);
	}
}

/// Free balance of every miner the tests add.
pub const MINER_BALANCE: u64 = 10_000;

/// Start balance of accounts 1..=9.
pub const START_BALANCE: u64 = 1_000_000;

/// Test externalities: funded users 1..=9, allowed profiles (2,1) and (2,4), at block 1.
pub fn new_test_ext() -> TestExternalities {
	MINERS.with(|m| m.borrow_mut().clear());
	MockRounds::set(0);
	CREDIT_LOG.with(|l| l.borrow_mut().clear());
	LOSS_REPORTS.with(|l| l.borrow_mut().clear());
	REFERENCES.with(|r| r.borrow_mut().clear());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|a| (a, START_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_file_bank::GenesisConfig::<Test> { unit_price: PRICE, profiles: vec![(2, 1), (2, 4)] }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, recording a distinct hash for each finished block.
pub fn roll_to(n: u64) {
	while System::block_number() < n {
		let now = System::block_number();
		frame_system::BlockHash::<Test>::insert(now, H256::repeat_byte((now % 251) as u8 + 1));
		System::run_to_block::<AllPalletsWithSystem>(now + 1);
	}
}

/// Runs `test`, then checks the pallet's invariants and that the registry's space accounting
/// equals what the file market assigned.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		FileBank::do_try_state().expect("invariants hold");
		check_miner_space();
	});
}

/// Every miner's `used` is the bytes of the columns it stores, `locked` those assigned or
/// claimed.
pub fn check_miner_space() {
	use crate::{ColumnState, Files, RestoralOrders};
	let mut used: BTreeMap<u64, u64> = BTreeMap::new();
	let mut locked: BTreeMap<u64, u64> = BTreeMap::new();
	for (_, f) in Files::<Test>::iter() {
		for c in f.columns.iter() {
			match c.state {
				ColumnState::Stored => *used.entry(c.miner).or_default() += f.column_bytes,
				ColumnState::Assigned { .. } => {
					*locked.entry(c.miner).or_default() += f.column_bytes
				},
				ColumnState::Restoring => {},
			}
		}
	}
	for ((file_id, _), o) in RestoralOrders::<Test>::iter() {
		if let Some(c) = o.claim {
			let bytes = Files::<Test>::get(file_id).unwrap().column_bytes;
			*locked.entry(c.restorer).or_default() += bytes;
		}
	}
	MINERS.with(|m| {
		for (who, miner) in m.borrow().iter() {
			assert_eq!(miner.used, used.get(who).copied().unwrap_or(0), "used of miner {who}");
			assert_eq!(
				miner.locked,
				locked.get(who).copied().unwrap_or(0),
				"locked of miner {who}"
			);
		}
	});
}
