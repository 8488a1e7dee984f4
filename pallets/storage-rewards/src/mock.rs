//! A test runtime: System, Balances and StorageRewards, with scripted miners.

use crate as pallet_storage_rewards;
use cess_primitives::traits::{MinerStanding, Standing};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::Mutate, ConstU32, Hooks},
		PalletId,
	},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Perbill},
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
	pub type StorageRewards = pallet_storage_rewards;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// Blocks per era in the mock.
pub const ERA: u64 = 10;
/// Minted per era.
pub const ISSUANCE: u64 = 1_000_000;
/// Blocks of vesting.
pub const VESTING: u64 = 15;
/// The file market's fee account.
pub const FEES: u64 = 999;

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"cess/rwd");
	pub const FeeAccount: u64 = FEES;
	pub const EraLength: u64 = ERA;
	pub const EraIssuance: u64 = ISSUANCE;
	pub const ImmediateShare: Perbill = Perbill::from_percent(20);
	pub const IdleShare: Perbill = Perbill::from_percent(10);
	pub const VestingPeriod: u64 = VESTING;
	/// The lease price of a GiB-day: high enough by default that no cap binds the tests that
	/// are not about it.
	pub storage StoragePrice: u64 = u64::MAX / 2;
	/// Prepaid fees not yet earned.
	pub storage Unreleased: u64 = 0;
}

thread_local! {
	/// Per miner: (stored bytes, credit, beneficiary).
	pub static MINERS: RefCell<BTreeMap<u64, (u64, u32, u64)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Scripted miner registry.
pub struct MockMiners;

impl MinerStanding<u64> for MockMiners {
	fn standing(who: &u64) -> Option<Standing> {
		MINERS.with(|m| m.borrow().get(who).map(|&(stored, credit, _)| Standing { stored, credit }))
	}
	fn beneficiary(who: &u64) -> Option<u64> {
		MINERS.with(|m| m.borrow().get(who).map(|x| x.2))
	}
}

impl pallet_storage_rewards::Config for Test {
	type Currency = Balances;
	type Miners = MockMiners;
	type PalletId = RewardsPalletId;
	type FeeAccount = FeeAccount;
	type EraLength = EraLength;
	type EraIssuance = EraIssuance;
	type Unreleased = Unreleased;
	type StoragePrice = StoragePrice;
	type RoundsPerDay = ConstU32<24>;
	type ImmediateShare = ImmediateShare;
	type IdleShare = IdleShare;
	type VestingPeriod = VestingPeriod;
	type MaxSchedules = ConstU32<3>;
	type ClaimDepth = ConstU32<2>;
	type CleanupBatch = ConstU32<2>;
	type WeightInfo = ();
}

/// Registers `who` storing `stored` bytes with `credit`, paid to `beneficiary`.
pub fn miner(who: u64, stored: u64, credit: u32, beneficiary: u64) {
	MINERS.with(|m| m.borrow_mut().insert(who, (stored, credit, beneficiary)));
}

/// Puts `amount` of storage fees in the file market's account.
pub fn collect_fees(amount: u64) {
	assert!(Balances::mint_into(&FEES, amount).is_ok());
}

pub fn new_test_ext() -> TestExternalities {
	MINERS.with(|m| m.borrow_mut().clear());
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		StorageRewards::do_try_state().expect("invariants hold");
	});
}

/// Runs blocks up to `n`.
pub fn roll_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		StorageRewards::on_initialize(next);
	}
}

/// Runs to the block that closes era `era` (eras are `ERA` blocks, the first starts at 0).
pub fn close_era(era: u32) {
	roll_to(ERA * (u64::from(era) + 1));
}

pub fn balance(who: u64) -> u64 {
	Balances::free_balance(who)
}
