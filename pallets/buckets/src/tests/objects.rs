//! Putting, copying and deleting objects: deposits, references and releases.

use super::*;
use crate::{Error, Event, ObjectCount, ObjectInfo, Objects};
use cess_primitives::traits::{FileReferences, ReleaseError};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::Pays, traits::fungible::Inspect},
	sp_runtime::DispatchError,
};

fn entry(bucket: &str, k: &str) -> crate::ObjectInfoOf<Test> {
	Objects::<Test>::get((ALICE, name(bucket), key(k))).expect("the entry exists")
}

fn bucket_objects(who: u64, bucket: &str) -> u32 {
	crate::Buckets::<Test>::get(who, name(bucket)).unwrap().objects
}

#[test]
fn put_object_names_an_owned_file() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		System::set_block_number(7);
		assert_ok!(Buckets::put_object(
			RuntimeOrigin::signed(ALICE),
			name("photos"),
			key("2026/cat.jpg"),
			file(1),
			98_765,
			[0x11; 16],
			3,
			ctype("image/jpeg"),
		));
		System::assert_last_event(
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("photos"),
				key: key("2026/cat.jpg"),
				file_id: file(1),
				replaced: None,
			}
			.into(),
		);
		let deposit = deposit_of("2026/cat.jpg", "image/jpeg");
		assert_eq!(
			entry("photos", "2026/cat.jpg"),
			ObjectInfo {
				file_id: file(1),
				size: 98_765,
				etag: [0x11; 16],
				parts: 3,
				content_type: ctype("image/jpeg"),
				modified_ms: START_MS + 7 * 6_000,
				deposit,
			}
		);
		assert_eq!(object_held(ALICE), deposit);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert_eq!(<Buckets as FileReferences<u64>>::references(&ALICE, &file(1)), 1);
		assert_eq!(ObjectCount::<Test>::get(ALICE), 1);
		assert_eq!(bucket_objects(ALICE, "photos"), 1);
	});
}

#[test]
fn put_object_errors_change_nothing() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		own(BOB, file(9));
		let raw_put = |k: Vec<u8>| {
			Buckets::put_object(
				RuntimeOrigin::signed(ALICE),
				name("photos"),
				crate::ObjectKey::truncate_from(k),
				file(1),
				1,
				[0; 16],
				0,
				ctype(""),
			)
		};
		assert_noop!(raw_put(vec![]), Error::<Test>::InvalidKey);
		assert_noop!(raw_put(b"a\0b".to_vec()), Error::<Test>::InvalidKey);
		assert_noop!(raw_put(vec![0xc3, 0x28]), Error::<Test>::InvalidKey);
		assert_noop!(put(ALICE, "nothing", "a", file(1)), Error::<Test>::NoSuchBucket);
		// Someone else's file, or one nobody owns.
		assert_noop!(put(ALICE, "photos", "a", file(9)), Error::<Test>::NotFileOwner);
		assert_noop!(put(ALICE, "photos", "a", file(5)), Error::<Test>::NotFileOwner);
		assert_noop!(
			Buckets::put_object(
				RuntimeOrigin::root(),
				name("photos"),
				key("a"),
				file(1),
				1,
				[0; 16],
				0,
				ctype("")
			),
			DispatchError::BadOrigin
		);
		// MaxObjects counts over all the owner's buckets.
		create(ALICE, "videos");
		for i in 0..MAX_OBJECTS {
			let bucket = if i % 2 == 0 { "photos" } else { "videos" };
			assert_ok!(put(ALICE, bucket, &format!("k{i}"), file(1)));
		}
		assert_noop!(put(ALICE, "photos", "one-more", file(1)), Error::<Test>::TooManyObjects);
		// Overwriting is not a new object.
		assert_ok!(put(ALICE, "photos", "k0", file(1)));
		// The deposit must be payable.
		create(POOR, "poor");
		own(POOR, file(3));
		assert_noop!(put(POOR, "poor", "a", file(3)), Error::<Test>::InsufficientDeposit);
	});
}

#[test]
fn overwriting_a_key_adjusts_its_deposit_exactly() {
	build_and_execute(|| {
		create(ALICE, "docs");
		own(ALICE, file(1));
		assert_ok!(put_typed(ALICE, "docs", "a.txt", file(1), "text/plain"));
		assert_eq!(object_held(ALICE), deposit_of("a.txt", "text/plain"));
		System::set_block_number(3);
		assert_ok!(put_typed(ALICE, "docs", "a.txt", file(1), "application/octet-stream"));
		System::assert_last_event(
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("docs"),
				key: key("a.txt"),
				file_id: file(1),
				replaced: Some(file(1)),
			}
			.into(),
		);
		assert_eq!(object_held(ALICE), deposit_of("a.txt", "application/octet-stream"));
		assert_eq!(entry("docs", "a.txt").modified_ms, START_MS + 3 * 6_000);
		assert_ok!(put_typed(ALICE, "docs", "a.txt", file(1), ""));
		assert_eq!(object_held(ALICE), deposit_of("a.txt", ""));
		// One object, one name of the file, nothing released.
		assert_eq!(ObjectCount::<Test>::get(ALICE), 1);
		assert_eq!(bucket_objects(ALICE, "docs"), 1);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert!(released().is_empty());
		assert_eq!(Balances::free_balance(ALICE), FUNDS - BUCKET_DEPOSIT - deposit_of("a.txt", ""));
	});
}

#[test]
fn overwriting_the_last_name_of_a_file_releases_it() {
	build_and_execute(|| {
		create(ALICE, "docs");
		own(ALICE, file(1));
		own(ALICE, file(2));
		assert_ok!(put(ALICE, "docs", "a", file(1)));
		assert_ok!(put(ALICE, "docs", "b", file(1)));
		assert_eq!(refs(ALICE, file(1)), 2);
		// The first overwrite leaves one name of file 1.
		assert_ok!(put(ALICE, "docs", "a", file(2)));
		assert_eq!((refs(ALICE, file(1)), refs(ALICE, file(2))), (1, 1));
		assert!(released().is_empty());
		// The second takes its last.
		assert_ok!(put(ALICE, "docs", "b", file(2)));
		assert_eq!(released(), vec![(file(1), ALICE)]);
		assert!(!is_owned(ALICE, file(1)));
		assert!(!crate::FileRefs::<Test>::contains_key(ALICE, file(1)));
		assert_eq!(refs(ALICE, file(2)), 2);
		let events = System::events();
		let n = events.len();
		assert_eq!(
			events[n - 2].event,
			Event::FileReleased { owner: ALICE, file_id: file(1) }.into()
		);
		assert_eq!(
			events[n - 1].event,
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("docs"),
				key: key("b"),
				file_id: file(2),
				replaced: Some(file(1)),
			}
			.into()
		);
	});
}

fn is_owned(who: u64, f: FileId) -> bool {
	<MockFiles as cess_primitives::traits::FileOwnership<u64>>::is_owner(&f, &who)
}

#[test]
fn the_release_weight_is_refunded_when_nothing_is_released() {
	build_and_execute(|| {
		use crate::WeightInfo;
		create(ALICE, "docs");
		own(ALICE, file(1));
		own(ALICE, file(2));
		let info = Buckets::put_object(
			RuntimeOrigin::signed(ALICE),
			name("docs"),
			key("a"),
			file(1),
			1,
			[0; 16],
			0,
			ctype(""),
		)
		.unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::put_object()));
		assert_eq!(info.pays_fee, Pays::Yes);
		let info = Buckets::put_object(
			RuntimeOrigin::signed(ALICE),
			name("docs"),
			key("a"),
			file(2),
			1,
			[0; 16],
			0,
			ctype(""),
		)
		.unwrap();
		// File 1 was released: the whole declared weight counts.
		assert_eq!(info.actual_weight, None);
		let call = crate::Call::<Test>::delete_object { bucket: name("docs"), key: key("a") };
		let declared =
			polkadot_sdk::frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&call)
				.call_weight;
		assert_eq!(declared, <() as WeightInfo>::delete_object() + RELEASE_WEIGHT);
	});
}

#[test]
fn delete_object_returns_the_deposit_and_releases_at_the_last_name() {
	build_and_execute(|| {
		create(ALICE, "photos");
		create(ALICE, "backup");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "cat.jpg", file(1)));
		assert_ok!(put(ALICE, "backup", "cat.jpg", file(1)));
		assert_eq!(object_held(ALICE), 2 * deposit_of("cat.jpg", "text/plain"));
		assert_ok!(delete(ALICE, "photos", "cat.jpg"));
		System::assert_last_event(
			Event::ObjectDeleted {
				owner: ALICE,
				bucket: name("photos"),
				key: key("cat.jpg"),
				file_id: file(1),
			}
			.into(),
		);
		assert_eq!(object_held(ALICE), deposit_of("cat.jpg", "text/plain"));
		assert_eq!(bucket_objects(ALICE, "photos"), 0);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert!(released().is_empty());
		assert_ok!(delete(ALICE, "backup", "cat.jpg"));
		assert_eq!(released(), vec![(file(1), ALICE)]);
		System::assert_has_event(Event::FileReleased { owner: ALICE, file_id: file(1) }.into());
		assert_eq!(object_held(ALICE), 0);
		assert!(!ObjectCount::<Test>::contains_key(ALICE));
		assert!(!crate::FileRefs::<Test>::contains_key(ALICE, file(1)));
		assert_eq!(Balances::free_balance(ALICE), FUNDS - 2 * BUCKET_DEPOSIT);
		assert_eq!(Balances::total_balance(&ALICE), FUNDS);
	});
}

#[test]
fn delete_object_errors_change_nothing() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		assert_noop!(delete(ALICE, "nothing", "a"), Error::<Test>::NoSuchBucket);
		assert_noop!(delete(ALICE, "photos", "b"), Error::<Test>::NoSuchKey);
		assert_noop!(
			Buckets::delete_object(RuntimeOrigin::none(), name("photos"), key("a")),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_dangling_entry_can_still_be_deleted() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		assert_ok!(put(ALICE, "photos", "b", file(1)));
		// The file market drops the file on its own (the lease ran out).
		drop_file(ALICE, file(1));
		assert!(!Buckets::object_summary(&ALICE, b"photos", b"a").unwrap().available);
		// Overwriting a dangling key with an owned file works too.
		own(ALICE, file(2));
		assert_ok!(put(ALICE, "photos", "a", file(2)));
		assert_ok!(delete(ALICE, "photos", "b"));
		// Nothing to release: the file is gone already.
		assert!(released().is_empty());
		assert!(System::events().iter().all(|r| !matches!(
			r.event,
			RuntimeEvent::Buckets(Event::FileReleased { .. } | Event::FileReleaseFailed { .. })
		)));
		assert!(!crate::FileRefs::<Test>::contains_key(ALICE, file(1)));
		assert_eq!(object_held(ALICE), deposit_of("a", "text/plain"));
	});
}

#[test]
fn a_refused_release_keeps_the_file_and_the_deletion() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		refuse_releases(Some(ReleaseError::Referenced));
		let nonce = System::account_nonce(ALICE);
		assert_ok!(delete(ALICE, "photos", "a"));
		// The key is gone and its deposit back; the file is still the caller's.
		assert!(!Objects::<Test>::contains_key((ALICE, name("photos"), key("a"))));
		assert_eq!(object_held(ALICE), 0);
		assert!(is_owned(ALICE, file(1)));
		assert!(!crate::FileRefs::<Test>::contains_key(ALICE, file(1)));
		System::assert_has_event(
			Event::FileReleaseFailed {
				owner: ALICE,
				file_id: file(1),
				reason: ReleaseError::Referenced,
			}
			.into(),
		);
		// What the refused release wrote was rolled back.
		assert_eq!(System::account_nonce(ALICE), nonce);
		// The same on an overwrite.
		own(ALICE, file(2));
		assert_ok!(put(ALICE, "photos", "b", file(1)));
		assert_ok!(put(ALICE, "photos", "b", file(2)));
		assert!(is_owned(ALICE, file(1)));
		assert_eq!(entry("photos", "b").file_id, file(2));
		refuse_releases(None);
		assert!(released().is_empty());
	});
}

#[test]
fn copy_object_names_the_same_file_under_another_key() {
	build_and_execute(|| {
		create(ALICE, "photos");
		create(ALICE, "backup");
		own(ALICE, file(1));
		assert_ok!(put_typed(ALICE, "photos", "cat.jpg", file(1), "image/jpeg"));
		System::set_block_number(9);
		assert_ok!(copy(ALICE, "photos", "cat.jpg", "backup", "2026/cat-copy.jpg"));
		System::assert_last_event(
			Event::ObjectCopied {
				owner: ALICE,
				src_bucket: name("photos"),
				src_key: key("cat.jpg"),
				dst_bucket: name("backup"),
				dst_key: key("2026/cat-copy.jpg"),
				file_id: file(1),
				replaced: None,
			}
			.into(),
		);
		let src = entry("photos", "cat.jpg");
		let dst = entry("backup", "2026/cat-copy.jpg");
		assert_eq!(
			dst,
			ObjectInfo {
				modified_ms: START_MS + 9 * 6_000,
				deposit: deposit_of("2026/cat-copy.jpg", "image/jpeg"),
				..src.clone()
			}
		);
		assert_eq!(src.modified_ms, START_MS + 6_000);
		assert_eq!(refs(ALICE, file(1)), 2);
		assert_eq!(
			object_held(ALICE),
			deposit_of("cat.jpg", "image/jpeg") + deposit_of("2026/cat-copy.jpg", "image/jpeg")
		);
		// Deleting the source leaves the copy and the file.
		assert_ok!(delete(ALICE, "photos", "cat.jpg"));
		assert!(released().is_empty());
		// A copy within a bucket, and onto itself (only Last-Modified changes).
		assert_ok!(copy(ALICE, "backup", "2026/cat-copy.jpg", "backup", "x"));
		System::set_block_number(10);
		assert_ok!(copy(ALICE, "backup", "x", "backup", "x"));
		assert_eq!(entry("backup", "x").modified_ms, START_MS + 10 * 6_000);
		assert_eq!(refs(ALICE, file(1)), 2);
		assert!(released().is_empty());
	});
}

#[test]
fn copying_over_the_last_name_of_a_file_releases_it() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		own(ALICE, file(2));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		assert_ok!(put(ALICE, "photos", "b", file(2)));
		assert_ok!(copy(ALICE, "photos", "a", "photos", "b"));
		System::assert_has_event(
			Event::ObjectCopied {
				owner: ALICE,
				src_bucket: name("photos"),
				src_key: key("a"),
				dst_bucket: name("photos"),
				dst_key: key("b"),
				file_id: file(1),
				replaced: Some(file(2)),
			}
			.into(),
		);
		assert_eq!(released(), vec![(file(2), ALICE)]);
		assert_eq!(refs(ALICE, file(1)), 2);
		assert_eq!(ObjectCount::<Test>::get(ALICE), 2);
	});
}

#[test]
fn copy_object_errors_change_nothing() {
	build_and_execute(|| {
		create(ALICE, "photos");
		create(ALICE, "backup");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		assert_noop!(copy(ALICE, "photos", "a", "backup", ""), Error::<Test>::InvalidKey);
		assert_noop!(copy(ALICE, "photos", "a", "backup", "b\0"), Error::<Test>::InvalidKey);
		assert_noop!(copy(ALICE, "nothing", "a", "backup", "b"), Error::<Test>::NoSuchBucket);
		assert_noop!(copy(ALICE, "photos", "a", "nothing", "b"), Error::<Test>::NoSuchBucket);
		assert_noop!(copy(ALICE, "photos", "zz", "backup", "b"), Error::<Test>::NoSuchKey);
		for i in 1..MAX_OBJECTS {
			assert_ok!(copy(ALICE, "photos", "a", "backup", &format!("c{i}")));
		}
		assert_noop!(copy(ALICE, "photos", "a", "backup", "full"), Error::<Test>::TooManyObjects);
		// A dangling source cannot be copied: the copy would name a file the caller lost.
		drop_file(ALICE, file(1));
		assert_noop!(copy(ALICE, "photos", "a", "backup", "c1"), Error::<Test>::NotFileOwner);
	});
}

#[test]
fn copy_object_needs_the_deposit() {
	build_and_execute(|| {
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), POOR, 150));
		create(POOR, "poor");
		own(POOR, file(3));
		assert_ok!(put(POOR, "poor", "a", file(3)));
		assert_noop!(copy(POOR, "poor", "a", "poor", "b"), Error::<Test>::InsufficientDeposit);
	});
}

/// Another account can neither touch my buckets and keys nor name my files, and my releases
/// never touch its ownership of a file we both own.
#[test]
fn other_accounts_cannot_touch_my_namespace_or_files() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		// Bob's namespace is his own: Alice's bucket does not exist for him.
		assert_noop!(put(BOB, "photos", "a", file(1)), Error::<Test>::NoSuchBucket);
		assert_noop!(delete(BOB, "photos", "a"), Error::<Test>::NoSuchBucket);
		assert_noop!(copy(BOB, "photos", "a", "photos", "b"), Error::<Test>::NoSuchBucket);
		assert_noop!(
			Buckets::delete_bucket(RuntimeOrigin::signed(BOB), name("photos")),
			Error::<Test>::NoSuchBucket
		);
		// In his own bucket of the same name, he still cannot name Alice's file.
		create(BOB, "photos");
		assert_noop!(put(BOB, "photos", "a", file(1)), Error::<Test>::NotFileOwner);
		assert_noop!(copy(BOB, "photos", "a", "photos", "b"), Error::<Test>::NoSuchKey);
		// Both own file 2 (a deduplicated upload); Alice's last key going releases only her.
		own(ALICE, file(2));
		own(BOB, file(2));
		assert_ok!(put(ALICE, "photos", "two", file(2)));
		assert_ok!(put(BOB, "photos", "two", file(2)));
		assert_ok!(delete(ALICE, "photos", "two"));
		assert_eq!(released(), vec![(file(2), ALICE)]);
		assert!(is_owned(BOB, file(2)));
		assert_eq!(refs(BOB, file(2)), 1);
		assert_eq!(entry("photos", "a").file_id, file(1));
		assert_eq!(object_held(BOB), deposit_of("two", "text/plain"));
		assert_eq!(Balances::total_balance(&BOB), FUNDS);
	});
}
