//! A test runtime: System, Balances and Sminer, with a scripted holdings provider.

use crate as pallet_sminer;
use cess_primitives::{possession::Holding, traits::StorageHoldings};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU32},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
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
	pub type Sminer = pallet_sminer;
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

/// One GiB.
pub const GIB: u64 = 1 << 30;
/// Collateral per TiB in the mock.
pub const PER_TIB: u64 = 1_000;
/// Blocks of the exit cooling period in the mock.
pub const COOLING: u64 = 100;

parameter_types! {
	pub const CollateralPerTiB: u64 = PER_TIB;
	pub const MinCapacity: u64 = GIB;
	pub const MaxCapacity: u64 = 4 << 40;
	pub const InitialCredit: u32 = 500;
	pub const ExitCoolingPeriod: u64 = COOLING;
}

thread_local! {
	/// Per miner: (holdings, outstanding restorals).
	pub static HOLDINGS: RefCell<BTreeMap<u64, (u32, u32)>> = const { RefCell::new(BTreeMap::new()) };
	/// Miners announced as leaving, in order.
	pub static LEAVING: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	/// Per miner: bytes of lost columns awaiting restoral.
	pub static OUTSTANDING_BYTES: RefCell<BTreeMap<u64, u64>> =
		const { RefCell::new(BTreeMap::new()) };
}

thread_local! {
	/// Per miner: verified capacity left to assign (absent: not limited).
	pub static VERIFIED: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	/// `(miner, bytes)` assigned (positive) and given back (negative), in order.
	pub static ASSIGNED: RefCell<Vec<(u64, i64)>> = const { RefCell::new(Vec::new()) };
}

/// Scripted stand-in for the idle-space pallet.
pub struct MockCapacity;

impl MockCapacity {
	/// Limits `who` to `bytes` of verified capacity.
	pub fn limit(who: u64, bytes: u64) {
		VERIFIED.with(|v| v.borrow_mut().insert(who, bytes));
	}
	/// What was assigned and given back so far.
	pub fn log() -> Vec<(u64, i64)> {
		ASSIGNED.with(|a| a.borrow().clone())
	}
}

impl cess_primitives::traits::VerifiedCapacity<u64> for MockCapacity {
	fn assignable(who: &u64) -> Option<u64> {
		VERIFIED.with(|v| v.borrow().get(who).copied())
	}
	fn assign(who: &u64, bytes: u64) {
		VERIFIED.with(|v| {
			if let Some(left) = v.borrow_mut().get_mut(who) {
				*left = left.saturating_sub(bytes);
			}
		});
		ASSIGNED.with(|a| a.borrow_mut().push((*who, bytes as i64)));
	}
	fn unassign(who: &u64, bytes: u64) {
		VERIFIED.with(|v| {
			if let Some(left) = v.borrow_mut().get_mut(who) {
				*left += bytes;
			}
		});
		ASSIGNED.with(|a| a.borrow_mut().push((*who, -(bytes as i64))));
	}
	fn miner_removed(who: &u64) {
		VERIFIED.with(|v| v.borrow_mut().remove(who));
	}
	fn removal_weight() -> (u64, u64) {
		(0, 0)
	}
}

/// Scripted stand-in for the file market: tests set what each miner holds.
pub struct MockHoldings;

impl MockHoldings {
	/// Sets `who`'s holdings count and outstanding restorals.
	pub fn set(who: u64, holdings: u32, outstanding: u32) {
		HOLDINGS.with(|h| h.borrow_mut().insert(who, (holdings, outstanding)));
	}
	/// Sets the bytes of `who`'s lost columns awaiting restoral.
	pub fn set_bytes(who: u64, bytes: u64) {
		OUTSTANDING_BYTES.with(|b| b.borrow_mut().insert(who, bytes));
	}
	/// Miners announced as leaving so far.
	pub fn leaving() -> Vec<u64> {
		LEAVING.with(|l| l.borrow().clone())
	}
}

impl StorageHoldings<u64, u64> for MockHoldings {
	fn holding_count(who: &u64) -> u32 {
		HOLDINGS.with(|h| h.borrow().get(who).map_or(0, |v| v.0))
	}
	fn snapshot_classes(_: &u64, _: u32) -> Vec<(u8, u32)> {
		Vec::new()
	}
	fn snapshot_holding(_: &u64, _: u32, _: u8, _: u32) -> Option<Holding> {
		None
	}
	fn holding_since(who: &u64) -> Option<u64> {
		(Self::holding_count(who) > 0).then_some(0)
	}
	fn miners_page(_: Option<&u64>, _: u32) -> Vec<u64> {
		Vec::new()
	}
	fn miner_leaving(who: &u64, _forced: bool) {
		LEAVING.with(|l| l.borrow_mut().push(*who));
	}
	fn outstanding_restorals(who: &u64) -> u32 {
		HOLDINGS.with(|h| h.borrow().get(who).map_or(0, |v| v.1))
	}
	fn outstanding_bytes(who: &u64) -> u64 {
		OUTSTANDING_BYTES.with(|b| b.borrow().get(who).copied().unwrap_or(0))
	}
}

impl pallet_sminer::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ();
	type Holdings = MockHoldings;
	type Capacity = MockCapacity;
	type CollateralPerTiB = CollateralPerTiB;
	type MinCapacity = MinCapacity;
	type MaxCapacity = MaxCapacity;
	type MaxMiners = ConstU32<8>;
	type MaxMultiaddrs = ConstU32<4>;
	type MaxMultiaddrLen = ConstU32<64>;
	type MaxPeerIdLen = ConstU32<64>;
	type MaxCreditHistory = ConstU32<4>;
	type InitialCredit = InitialCredit;
	type ExitCoolingPeriod = ExitCoolingPeriod;
	type WeightInfo = ();
}

/// Accounts 1..=9 start with this balance.
pub const START_BALANCE: u64 = 100_000;

/// Test externalities with funded accounts 1..=9 and 1000, at block 1.
pub fn new_test_ext() -> TestExternalities {
	HOLDINGS.with(|h| h.borrow_mut().clear());
	OUTSTANDING_BYTES.with(|b| b.borrow_mut().clear());
	LEAVING.with(|l| l.borrow_mut().clear());
	VERIFIED.with(|v| v.borrow_mut().clear());
	ASSIGNED.with(|a| a.borrow_mut().clear());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).chain([1000]).map(|a| (a, START_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Sminer::do_try_state().expect("invariants hold");
	});
}
