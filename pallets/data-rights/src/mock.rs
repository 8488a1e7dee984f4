//! A test runtime: System, Balances and DataRights, with scripted file ownership and clock.

use crate as pallet_data_rights;
use cess_primitives::{
	traits::{ContentClaim, FileOwnership},
	types::{FileId, Hash256},
};
use core::{cell::RefCell, time::Duration};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::Mutate, ConstU32, Hooks, UnixTime},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use std::collections::BTreeSet;

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
	pub type DataRights = pallet_data_rights;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

/// A realistic existential deposit, so payments below it fail as on the real chain.
pub const ED: u64 = 100;

parameter_types! {
	pub const ExistentialDeposit: u64 = ED;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

/// Blocks between a pool's first payment and its split.
pub const PERIOD: u64 = 10;

parameter_types! {
	pub const DataRightsPalletId: PalletId = PalletId(*b"cess/drt");
	pub const RevenuePeriod: u64 = PERIOD;
}

thread_local! {
	/// (file, owner) pairs `file-bank` would know.
	pub static OWNED: RefCell<BTreeSet<(FileId, u64)>> = const { RefCell::new(BTreeSet::new()) };
	/// Each owner's claim to the content: since when, and its fingerprint commitment.
	pub static CLAIMS: RefCell<std::collections::BTreeMap<(FileId, u64), ContentClaim>> = const { RefCell::new(std::collections::BTreeMap::new()) };
}

/// Scripted file ownership.
pub struct MockFiles;

impl FileOwnership<u64> for MockFiles {
	fn is_owner(file: &FileId, who: &u64) -> bool {
		OWNED.with(|o| o.borrow().contains(&(*file, *who)))
	}

	fn content_claim(file: &FileId, who: &u64) -> Option<ContentClaim> {
		CLAIMS.with(|c| c.borrow().get(&(*file, *who)).copied())
	}
}

/// A clock at one second per block.
pub struct MockTime;

impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_secs(1_700_000_000 + System::block_number())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_data_rights::BenchmarkHelper<u64> for MockFiles {
	fn own_file(who: &u64, file: FileId, commitment: Option<Hash256>) {
		own_committed(*who, file, commitment);
	}
}

impl pallet_data_rights::Config for Test {
	type Currency = Balances;
	type Files = MockFiles;
	type UnixTime = MockTime;
	type DisputeOrigin = EnsureRoot<u64>;
	type PalletId = DataRightsPalletId;
	type DuplicateDistance = ConstU32<8>;
	type MaxBucketLen = ConstU32<3>;
	type MaxListLen = ConstU32<4>;
	type MaxShareholders = ConstU32<3>;
	type MaxEvidence = ConstU32<8>;
	type RevenuePeriod = RevenuePeriod;
	type MaxSplitsPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockFiles;
}

/// Makes `who` an owner of `file` in the scripted file market from now, without a fingerprint
/// commitment.
pub fn own(who: u64, file: FileId) {
	own_committed(who, file, None);
}

/// Makes `who` an owner of `file` from now, with `commitment`.
pub fn own_committed(who: u64, file: FileId, commitment: Option<Hash256>) {
	OWNED.with(|o| o.borrow_mut().insert((file, who)));
	let claim = ContentClaim { since: System::block_number(), commitment };
	CLAIMS.with(|c| c.borrow_mut().insert((file, who), claim));
}

/// Accounts funded at genesis.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
pub const DAVE: u64 = 4;
/// What every funded account starts with.
pub const FUNDS: u64 = 1_000_000;

pub fn new_test_ext() -> TestExternalities {
	OWNED.with(|o| o.borrow_mut().clear());
	CLAIMS.with(|c| c.borrow_mut().clear());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, DAVE].map(|a| (a, FUNDS)).to_vec(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_data_rights::GenesisConfig::<Test>::default().assimilate_storage(&mut t).unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		DataRights::do_try_state().expect("invariants hold");
	});
}

/// Runs blocks up to `n`.
pub fn roll_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		DataRights::on_initialize(next);
	}
}

pub fn balance(who: u64) -> u64 {
	Balances::free_balance(who)
}

/// Mints `amount` to `who`.
pub fn fund(who: u64, amount: u64) {
	assert!(Balances::mint_into(&who, amount).is_ok());
}
