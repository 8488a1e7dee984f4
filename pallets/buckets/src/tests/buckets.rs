//! Creating and deleting buckets.

use super::*;
use crate::{BucketCount, BucketInfo, Error, Event};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn create_bucket_holds_the_deposit() {
	build_and_execute(|| {
		System::set_block_number(5);
		assert_ok!(Buckets::create_bucket(RuntimeOrigin::signed(ALICE), name("photos")));
		System::assert_last_event(
			Event::BucketCreated { owner: ALICE, bucket: name("photos"), deposit: BUCKET_DEPOSIT }
				.into(),
		);
		assert_eq!(
			crate::Buckets::<Test>::get(ALICE, name("photos")),
			Some(BucketInfo {
				created_ms: START_MS + 5 * 6_000,
				objects: 0,
				deposit: BUCKET_DEPOSIT
			})
		);
		assert_eq!(BucketCount::<Test>::get(ALICE), 1);
		assert_eq!(bucket_held(ALICE), BUCKET_DEPOSIT);
		assert_eq!(Balances::free_balance(ALICE), FUNDS - BUCKET_DEPOSIT);
	});
}

#[test]
fn create_bucket_errors_change_nothing() {
	build_and_execute(|| {
		let create = |who, n: &str| Buckets::create_bucket(RuntimeOrigin::signed(who), name(n));
		assert_noop!(create(ALICE, "No_Caps"), Error::<Test>::InvalidBucketName);
		assert_noop!(create(ALICE, "10.0.0.1"), Error::<Test>::InvalidBucketName);
		assert_noop!(create(ALICE, "ab"), Error::<Test>::InvalidBucketName);
		assert_ok!(create(ALICE, "photos"));
		assert_noop!(create(ALICE, "photos"), Error::<Test>::BucketExists);
		assert_ok!(create(ALICE, "videos"));
		assert_ok!(create(ALICE, "docs"));
		assert_noop!(create(ALICE, "more"), Error::<Test>::TooManyBuckets);
		assert_noop!(
			Buckets::create_bucket(RuntimeOrigin::none(), name("anon")),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		// Enough for one deposit, not two.
		assert_ok!(create(POOR, "mine"));
		assert_noop!(create(POOR, "again"), Error::<Test>::InsufficientDeposit);
		assert_eq!(bucket_held(ALICE), 3 * BUCKET_DEPOSIT);
	});
}

#[test]
fn bucket_names_are_per_account() {
	build_and_execute(|| {
		create(ALICE, "shared-name");
		create(BOB, "shared-name");
		assert_eq!(bucket_held(ALICE), BUCKET_DEPOSIT);
		assert_eq!(bucket_held(BOB), BUCKET_DEPOSIT);
	});
}

#[test]
fn delete_bucket_returns_the_deposit() {
	build_and_execute(|| {
		create(ALICE, "photos");
		create(ALICE, "videos");
		assert_ok!(Buckets::delete_bucket(RuntimeOrigin::signed(ALICE), name("photos")));
		System::assert_last_event(
			Event::BucketDeleted { owner: ALICE, bucket: name("photos") }.into(),
		);
		assert_eq!(bucket_held(ALICE), BUCKET_DEPOSIT);
		assert_eq!(BucketCount::<Test>::get(ALICE), 1);
		assert_ok!(Buckets::delete_bucket(RuntimeOrigin::signed(ALICE), name("videos")));
		assert_eq!(bucket_held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), FUNDS);
		assert!(!BucketCount::<Test>::contains_key(ALICE));
		// The name is free again, and so is the slot.
		create(ALICE, "photos");
	});
}

#[test]
fn delete_bucket_errors_change_nothing() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a.jpg", file(1)));
		let delete_bucket =
			|who, n: &str| Buckets::delete_bucket(RuntimeOrigin::signed(who), name(n));
		assert_noop!(delete_bucket(ALICE, "nothing"), Error::<Test>::NoSuchBucket);
		assert_noop!(delete_bucket(ALICE, "photos"), Error::<Test>::BucketNotEmpty);
		// Another account cannot delete it: to it, the bucket does not exist.
		assert_noop!(delete_bucket(BOB, "photos"), Error::<Test>::NoSuchBucket);
		assert_ok!(delete(ALICE, "photos", "a.jpg"));
		assert_ok!(delete_bucket(ALICE, "photos"));
	});
}
