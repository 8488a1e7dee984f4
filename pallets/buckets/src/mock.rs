//! A test runtime: System, Balances and Buckets, over a scripted file market that behaves like
//! `file-bank` towards this pallet (ownership, refusal while referenced, releases).

use crate as pallet_buckets;
use cess_primitives::{
	traits::{ContentClaim, FileIndexTarget, FileOwnership, FileReferences, ReleaseError},
	types::FileId,
};
use core::{cell::RefCell, time::Duration};
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{fungible::InspectHold, ConstU32, ConstU64, Hooks, UnixTime},
		weights::Weight,
	},
	frame_system, pallet_balances,
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
	pub type Buckets = pallet_buckets;
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

/// Held per bucket.
pub const BUCKET_DEPOSIT: u64 = 1_000;
/// Held per object entry.
pub const OBJECT_BASE: u64 = 100;
/// Held per byte of an entry's key and content type.
pub const OBJECT_PER_BYTE: u64 = 2;
/// Most buckets of an owner.
pub const MAX_BUCKETS: u32 = 3;
/// Most objects of an owner.
pub const MAX_OBJECTS: u32 = 5;
/// Most extents of an object.
pub const MAX_EXTENTS: u32 = 6;
/// `file-bank`'s release weight as the mock states it.
pub const RELEASE_WEIGHT: Weight = Weight::from_parts(7_000_000_000, 7_000);

thread_local! {
	/// (file, owner) pairs the scripted file market knows.
	pub static OWNED: RefCell<BTreeSet<(FileId, u64)>> = const { RefCell::new(BTreeSet::new()) };
	/// Releases done, in order.
	pub static RELEASED: RefCell<Vec<(FileId, u64)>> = const { RefCell::new(Vec::new()) };
	/// When set, every release is refused with this reason (after changing storage, which the
	/// pallet must roll back).
	pub static REFUSE: RefCell<Option<ReleaseError>> = const { RefCell::new(None) };
}

/// The scripted file market.
pub struct MockFiles;

impl FileOwnership<u64> for MockFiles {
	fn is_owner(file: &FileId, who: &u64) -> bool {
		OWNED.with(|o| o.borrow().contains(&(*file, *who)))
	}

	fn content_claim(_: &FileId, _: &u64) -> Option<ContentClaim> {
		None
	}
}

impl FileIndexTarget<u64, Weight> for MockFiles {
	fn release(file: &FileId, who: &u64) -> Result<(), ReleaseError> {
		if !Self::is_owner(file, who) {
			return Err(ReleaseError::NotOwner);
		}
		if <Buckets as FileReferences<u64>>::references(who, file) > 0 {
			return Err(ReleaseError::Referenced);
		}
		if let Some(reason) = REFUSE.with(|r| *r.borrow()) {
			// A write the pallet must roll back.
			System::inc_account_nonce(who);
			return Err(reason);
		}
		OWNED.with(|o| o.borrow_mut().remove(&(*file, *who)));
		RELEASED.with(|r| r.borrow_mut().push((*file, *who)));
		Ok(())
	}

	fn release_weight() -> Weight {
		RELEASE_WEIGHT
	}
}

/// A clock at six seconds per block.
pub struct MockTime;

impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(START_MS + 6_000 * System::block_number())
	}
}

/// The clock's time at block 0, Unix milliseconds.
pub const START_MS: u64 = 1_700_000_000_000;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_buckets::BenchmarkHelper<u64> for MockFiles {
	fn own_file(who: &u64, file: FileId) {
		own(*who, file);
	}
}

impl pallet_buckets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Files = MockFiles;
	type UnixTime = MockTime;
	type BucketDeposit = ConstU64<BUCKET_DEPOSIT>;
	type ObjectDepositBase = ConstU64<OBJECT_BASE>;
	type ObjectDepositPerByte = ConstU64<OBJECT_PER_BYTE>;
	type MaxBuckets = ConstU32<MAX_BUCKETS>;
	type MaxObjects = ConstU32<MAX_OBJECTS>;
	type MaxExtents = ConstU32<MAX_EXTENTS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockFiles;
}

/// Makes `who` an owner of `file` in the scripted file market.
pub fn own(who: u64, file: FileId) {
	OWNED.with(|o| o.borrow_mut().insert((file, who)));
}

/// The file market drops `who`'s ownership of `file` on its own (e.g. an expired lease).
pub fn drop_file(who: u64, file: FileId) {
	OWNED.with(|o| o.borrow_mut().remove(&(file, who)));
}

/// Releases done so far.
pub fn released() -> Vec<(FileId, u64)> {
	RELEASED.with(|r| r.borrow().clone())
}

/// Makes every release fail with `reason` (or succeed again with `None`).
pub fn refuse_releases(reason: Option<ReleaseError>) {
	REFUSE.with(|r| *r.borrow_mut() = reason);
}

/// Accounts funded at genesis.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
/// An account with too little for any deposit.
pub const POOR: u64 = 3;
/// What a funded account starts with.
pub const FUNDS: u64 = 1_000_000;

pub fn new_test_ext() -> TestExternalities {
	OWNED.with(|o| o.borrow_mut().clear());
	RELEASED.with(|r| r.borrow_mut().clear());
	REFUSE.with(|r| *r.borrow_mut() = None);
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, FUNDS), (BOB, FUNDS), (POOR, BUCKET_DEPOSIT + 50)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Buckets::do_try_state().expect("invariants hold");
	});
}

/// Runs the pallet's `on_idle` with `limit`; returns the weight it spent.
pub fn idle(limit: Weight) -> Weight {
	<Buckets as Hooks<u64>>::on_idle(System::block_number(), limit)
}

/// Runs `on_idle` with all the weight it wants: the release queue empties.
pub fn drain() {
	idle(Weight::MAX);
	assert_eq!(crate::ReleaseQueue::<Test>::iter().count(), 0);
}

/// What `who` has on hold for buckets.
pub fn bucket_held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::BucketDeposit.into(), &who)
}

/// What `who` has on hold for objects.
pub fn object_held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::ObjectDeposit.into(), &who)
}
