//! The S3 namespace (`buckets`) wired to the file market (`file-bank`) in the real runtime:
//! deposits held under the runtime's hold reasons, named files refused by `delete_file`, the
//! release queue giving a deleted object's files up in `file-bank` in `on_idle` (lease
//! refunded, files removed) within the weight it is given, and the calls' weights fitting a
//! block.

use cess_primitives::{
	traits::FileIndexTarget,
	types::{ErasureProfile, FileId},
};
use cess_runtime::{
	configs::{BucketDeposit, ObjectDepositBase, ObjectDepositPerByte},
	AccountId, Balance, Balances, BlockNumber, Buckets, FileBank, Runtime, RuntimeHoldReason,
	RuntimeOrigin, DOLLARS,
};
use pallet_buckets::{Extent, Extents, WeightInfo as _};
use pallet_file_bank::{FileInfo, FileState, Files, Lease, Leases, OwnedFile, OwnedFiles};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::DispatchClass,
		traits::{
			fungible::{InspectHold, Mutate},
			Get, Hooks,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system, sp_io,
	sp_runtime::BuildStorage,
};

const ALICE: AccountId = AccountId::new([1; 32]);
const FILES: [FileId; 3] = [[7; 32], [8; 32], [9; 32]];
/// Stored bytes of each file (one data and one parity column of 4096 bytes).
const STORED: u64 = 2 * 4096;

type BucketWeights = <Runtime as pallet_buckets::Config>::WeightInfo;

/// Alice leases space and owns the active `FILES` (their columns are not needed here).
fn ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		frame_system::Pallet::<Runtime>::set_block_number(1);
		assert_ok!(Balances::mint_into(&ALICE, 1_000 * DOLLARS));
		let lease = Lease { gib: 1, used: STORED * FILES.len() as u64, expires: 1_000, files: 3 };
		Leases::<Runtime>::insert(&ALICE, lease);
		for id in FILES {
			let file = FileInfo::<Runtime> {
				size: 4096,
				segments: 1,
				profile: ErasureProfile::new(1, 1),
				column_bytes: STORED / 2,
				uploader: ALICE,
				state: FileState::Active,
				declared_at: 1,
				deadline: 1,
				columns: Default::default(),
				owners: BoundedVec::truncate_from(vec![ALICE]),
			};
			Files::<Runtime>::insert(id, file);
			let entry = OwnedFile::<Runtime> {
				name: Default::default(),
				bucket: Default::default(),
				since: 1,
				commitment: None,
			};
			OwnedFiles::<Runtime>::insert(&ALICE, id, entry);
		}
	});
	ext
}

fn held(reason: pallet_buckets::HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Buckets(reason), &ALICE)
}

fn extents(files: &[FileId], size: u64) -> Extents<Runtime> {
	BoundedVec::truncate_from(files.iter().map(|&file_id| Extent { file_id, size }).collect())
}

fn idle(limit: Weight) -> Weight {
	<Buckets as Hooks<BlockNumber>>::on_idle(1, limit)
}

#[test]
fn named_files_stay_until_the_queue_takes_their_last_name() {
	ext().execute_with(|| {
		let alice = || RuntimeOrigin::signed(ALICE);
		let bucket = BoundedVec::truncate_from(b"photos".to_vec());
		let key = BoundedVec::truncate_from(b"2026/cat.jpg".to_vec());
		let content_type = BoundedVec::truncate_from(b"image/jpeg".to_vec());
		assert_ok!(Buckets::create_bucket(alice(), bucket.clone()));
		assert_ok!(Buckets::put_object(
			alice(),
			bucket.clone(),
			key.clone(),
			extents(&FILES, 4000),
			[0xab; 16],
			0,
			content_type,
		));
		assert_eq!(held(pallet_buckets::HoldReason::BucketDeposit), BucketDeposit::get());
		let bytes = (b"2026/cat.jpg".len() + b"image/jpeg".len() + 3 * 40) as Balance;
		assert_eq!(
			held(pallet_buckets::HoldReason::ObjectDeposit),
			ObjectDepositBase::get() + bytes * ObjectDepositPerByte::get()
		);
		// The files are named: file-bank refuses to delete them or hand them over.
		for file in FILES {
			assert_noop!(
				FileBank::delete_file(alice(), file),
				pallet_file_bank::Error::<Runtime>::FileNamedByObjects
			);
		}
		assert_noop!(
			FileBank::transfer_ownership(alice(), FILES[1], AccountId::new([2; 32])),
			pallet_file_bank::Error::<Runtime>::FileNamedByObjects
		);
		// Deleting the object returns its deposit; the files wait for the queue, still named.
		assert_ok!(Buckets::delete_object(alice(), bucket.clone(), key));
		assert_eq!(held(pallet_buckets::HoldReason::ObjectDeposit), 0);
		assert!(OwnedFiles::<Runtime>::contains_key(&ALICE, FILES[0]));
		assert_noop!(
			FileBank::delete_file(alice(), FILES[0]),
			pallet_file_bank::Error::<Runtime>::FileNamedByObjects
		);
		// `on_idle` with room for one release gives exactly the first file up.
		let step = BucketWeights::release_one();
		let release = <FileBank as FileIndexTarget<AccountId, Weight>>::release_weight();
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let one = db.reads(1) + step + step + release + db.writes(1);
		assert_eq!(idle(one + release / 2), one);
		assert!(!OwnedFiles::<Runtime>::contains_key(&ALICE, FILES[0]));
		assert!(!Files::<Runtime>::contains_key(FILES[0]));
		assert!(Files::<Runtime>::contains_key(FILES[1]));
		// Then the rest: leases refunded, files removed.
		let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		assert!(idle(block).all_lte(block));
		for file in FILES {
			assert!(!OwnedFiles::<Runtime>::contains_key(&ALICE, file));
			assert!(!Files::<Runtime>::contains_key(file));
		}
		assert_eq!(Leases::<Runtime>::get(&ALICE).unwrap().used, 0);
		assert_ok!(Buckets::delete_bucket(alice(), bucket));
		assert_eq!(held(pallet_buckets::HoldReason::BucketDeposit), 0);
		assert_eq!(Balances::free_balance(&ALICE), 1_000 * DOLLARS);
	});
}

#[test]
fn the_deposits_are_the_documented_ones() {
	assert_eq!(BucketDeposit::get(), 1_024 * DOLLARS / 1_000);
	assert_eq!(ObjectDepositBase::get(), 256 * DOLLARS / 1_000);
	assert_eq!(ObjectDepositPerByte::get(), DOLLARS / 1_000);
	let max: u32 = <Runtime as pallet_buckets::Config>::MaxExtents::get();
	assert_eq!(max, 10_000);
	// A 10 000-extent object holds 400 TCESS for its extents.
	assert_eq!(max as Balance * 40 * ObjectDepositPerByte::get(), 400 * DOLLARS);
}

/// The largest `e` for which `weight(e)` fits `limit`.
fn most_that_fit(weight: impl Fn(u32) -> Weight, limit: Weight) -> u32 {
	let max: u32 = <Runtime as pallet_buckets::Config>::MaxExtents::get();
	(0..=max).rev().find(|&e| weight(e).all_lte(limit)).unwrap_or(0)
}

#[test]
fn the_calls_and_a_release_fit_in_a_block() {
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal).max_extrinsic.expect("a normal limit");
	let max: u32 = <Runtime as pallet_buckets::Config>::MaxExtents::get();
	// Every object can be deleted, whatever its extents.
	assert!(BucketWeights::delete_object(max).all_lte(normal));
	// `on_idle` of an empty block can take a file.
	let release = <FileBank as FileIndexTarget<AccountId, Weight>>::release_weight();
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	let one = db.reads(1) + BucketWeights::release_one() * 2 + release + db.writes(1);
	assert!(one.all_lte(weights.max_block / 10), "{one:?}");
	let put = most_that_fit(BucketWeights::put_object, normal);
	let copy = most_that_fit(BucketWeights::copy_object, normal);
	println!(
		"most extents in one call: put_object {put}, copy_object {copy}; {} releases an empty \
		 block",
		weights.max_block.ref_time() / one.ref_time()
	);
	// With `RocksDbWeight` (a read and a write per extent at 25 and 100 µs), a call names at
	// most ≈ 7 900 of the `MaxExtents` (10 000) extents: 7 988 for `put_object` and 7 875 for
	// `copy_object` with the weights measured on 2026-12-07 (docs/storage-market.md).
	assert!(put >= 7_500 && copy >= 7_500, "put_object {put}, copy_object {copy}");
}
