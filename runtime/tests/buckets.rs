//! The S3 namespace (`buckets`) wired to the file market (`file-bank`) in the real runtime:
//! deposits held under the runtime's hold reasons, a named file refused by `delete_file`, and
//! the last key's deletion giving the file up in `file-bank` (lease refunded, file removed).

use cess_primitives::types::{ErasureProfile, FileId};
use cess_runtime::{
	configs::{BucketDeposit, ObjectDepositBase, ObjectDepositPerByte},
	AccountId, Balance, Balances, Buckets, FileBank, Runtime, RuntimeHoldReason, RuntimeOrigin,
	DOLLARS,
};
use pallet_file_bank::{FileInfo, FileState, Files, Lease, Leases, OwnedFile, OwnedFiles};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{InspectHold, Mutate},
		BoundedVec,
	},
	frame_system, sp_io,
	sp_runtime::BuildStorage,
};

const ALICE: AccountId = AccountId::new([1; 32]);
const FILE: FileId = [7; 32];
const STORED: u64 = 2 * 4096;

fn ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		frame_system::Pallet::<Runtime>::set_block_number(1);
		assert_ok!(Balances::mint_into(&ALICE, 1_000 * DOLLARS));
		// Alice leases space and owns an active file (its columns are not needed here).
		Leases::<Runtime>::insert(&ALICE, Lease { gib: 1, used: STORED, expires: 1_000, files: 1 });
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
		Files::<Runtime>::insert(FILE, file);
		let entry = OwnedFile::<Runtime> {
			name: Default::default(),
			bucket: Default::default(),
			since: 1,
			commitment: None,
		};
		OwnedFiles::<Runtime>::insert(&ALICE, FILE, entry);
	});
	ext
}

fn held(reason: pallet_buckets::HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Buckets(reason), &ALICE)
}

#[test]
fn a_named_file_stays_until_its_last_key_goes() {
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
			FILE,
			4000,
			[0xab; 16],
			0,
			content_type,
		));
		assert_eq!(held(pallet_buckets::HoldReason::BucketDeposit), BucketDeposit::get());
		let bytes = (b"2026/cat.jpg".len() + b"image/jpeg".len()) as Balance;
		assert_eq!(
			held(pallet_buckets::HoldReason::ObjectDeposit),
			ObjectDepositBase::get() + bytes * ObjectDepositPerByte::get()
		);
		// The file is named: file-bank refuses to delete it or hand it over.
		assert_noop!(
			FileBank::delete_file(alice(), FILE),
			pallet_file_bank::Error::<Runtime>::FileNamedByObjects
		);
		assert_noop!(
			FileBank::transfer_ownership(alice(), FILE, AccountId::new([2; 32])),
			pallet_file_bank::Error::<Runtime>::FileNamedByObjects
		);
		// Deleting the last key gives the file up: lease refunded, file removed.
		assert_ok!(Buckets::delete_object(alice(), bucket.clone(), key));
		assert!(!OwnedFiles::<Runtime>::contains_key(&ALICE, FILE));
		assert!(!Files::<Runtime>::contains_key(FILE));
		assert_eq!(Leases::<Runtime>::get(&ALICE).unwrap().used, 0);
		assert_eq!(held(pallet_buckets::HoldReason::ObjectDeposit), 0);
		assert_ok!(Buckets::delete_bucket(alice(), bucket));
		assert_eq!(held(pallet_buckets::HoldReason::BucketDeposit), 0);
		assert_eq!(Balances::free_balance(&ALICE), 1_000 * DOLLARS);
	});
}
