//! Putting, copying and deleting objects: deposits, references and releases.

use super::*;
use crate::{Error, Event, ObjectCount, ObjectInfo, Objects};
use cess_primitives::traits::{FileReferences, ReleaseError};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_runtime::DispatchError,
};

fn entry(bucket: &str, k: &str) -> ObjectInfo<Test> {
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
			extents(&[(file(1), 98_765)]),
			[0x11; 16],
			3,
			ctype("image/jpeg"),
		));
		System::assert_last_event(
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("photos"),
				key: key("2026/cat.jpg"),
				size: 98_765,
				extents: 1,
				replaced: false,
			}
			.into(),
		);
		let deposit = deposit_of("2026/cat.jpg", "image/jpeg");
		assert_eq!(
			entry("photos", "2026/cat.jpg"),
			ObjectInfo {
				size: 98_765,
				etag: [0x11; 16],
				parts: 3,
				content_type: ctype("image/jpeg"),
				modified_ms: START_MS + 7 * 6_000,
				deposit,
				extents: extents(&[(file(1), 98_765)]),
			}
		);
		assert_eq!(object_held(ALICE), deposit);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert_eq!(<Buckets as FileReferences<u64>>::references(&ALICE, &file(1)), 1);
		assert_eq!(ObjectCount::<Test>::get(ALICE), 1);
		assert_eq!(bucket_objects(ALICE, "photos"), 1);
		assert_eq!(queued(), 0);
	});
}

#[test]
fn put_object_errors_change_nothing() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		own(ALICE, file(2));
		own(BOB, file(9));
		let raw_put = |k: Vec<u8>, list: &[(FileId, u64)]| {
			Buckets::put_object(
				RuntimeOrigin::signed(ALICE),
				name("photos"),
				crate::ObjectKey::truncate_from(k),
				extents(list),
				[0; 16],
				0,
				ctype(""),
			)
		};
		let one = [(file(1), 1)];
		assert_noop!(raw_put(vec![], &one), Error::<Test>::InvalidKey);
		assert_noop!(raw_put(b"a\0b".to_vec(), &one), Error::<Test>::InvalidKey);
		assert_noop!(raw_put(vec![0xc3, 0x28], &one), Error::<Test>::InvalidKey);
		// At least one extent, whose sizes add up to a size.
		assert_noop!(raw_put(b"a".to_vec(), &[]), Error::<Test>::NoExtents);
		assert_noop!(
			raw_put(b"a".to_vec(), &[(file(1), u64::MAX), (file(2), 1)]),
			Error::<Test>::SizeOverflow
		);
		assert_ok!(raw_put(b"a".to_vec(), &[(file(1), u64::MAX - 1), (file(2), 1)]));
		assert_eq!(entry("photos", "a").size, u64::MAX);
		assert_ok!(delete(ALICE, "photos", "a"));
		assert_noop!(put(ALICE, "nothing", "a", file(1)), Error::<Test>::NoSuchBucket);
		// Someone else's file, or one nobody owns, in any extent.
		assert_noop!(put(ALICE, "photos", "a", file(9)), Error::<Test>::NotFileOwner);
		assert_noop!(put(ALICE, "photos", "a", file(5)), Error::<Test>::NotFileOwner);
		assert_noop!(
			put_object(ALICE, "photos", "a", &[(file(1), 1), (file(2), 1), (file(9), 1)], ""),
			Error::<Test>::NotFileOwner
		);
		assert_noop!(
			Buckets::put_object(
				RuntimeOrigin::root(),
				name("photos"),
				key("a"),
				extents(&one),
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
				size: 1234,
				extents: 1,
				replaced: true,
			}
			.into(),
		);
		assert_eq!(object_held(ALICE), deposit_of("a.txt", "application/octet-stream"));
		assert_eq!(entry("docs", "a.txt").modified_ms, START_MS + 3 * 6_000);
		assert_ok!(put_typed(ALICE, "docs", "a.txt", file(1), ""));
		assert_eq!(object_held(ALICE), deposit_of("a.txt", ""));
		// More extents hold more.
		assert_ok!(put_object(ALICE, "docs", "a.txt", &[(file(1), 1), (file(1), 2)], ""));
		assert_eq!(object_held(ALICE), deposit_with("a.txt", "", 2));
		assert_ok!(put_typed(ALICE, "docs", "a.txt", file(1), ""));
		// One object, one name of the file once the queue has run, nothing released.
		assert_eq!(queued(), 4);
		drain();
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
		drain();
		assert_eq!((refs(ALICE, file(1)), refs(ALICE, file(2))), (1, 1));
		assert!(released().is_empty());
		// The second takes its last: the queue releases it in `on_idle`, not the call.
		assert_ok!(put(ALICE, "docs", "b", file(2)));
		assert!(released().is_empty());
		assert_eq!(refs(ALICE, file(1)), 1);
		System::assert_last_event(
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("docs"),
				key: key("b"),
				size: 1234,
				extents: 1,
				replaced: true,
			}
			.into(),
		);
		drain();
		assert_eq!(released(), vec![(file(1), ALICE)]);
		assert!(!is_owned(ALICE, file(1)));
		assert!(!crate::FileRefs::<Test>::contains_key(ALICE, file(1)));
		assert_eq!(refs(ALICE, file(2)), 2);
		System::assert_last_event(Event::FileReleased { owner: ALICE, file_id: file(1) }.into());
	});
}

#[test]
fn calls_are_weighed_by_their_extents() {
	use crate::WeightInfo;
	use polkadot_sdk::frame_support::dispatch::GetDispatchInfo;
	build_and_execute(|| {
		create(ALICE, "docs");
		for n in 1..=3 {
			own(ALICE, file(n));
		}
		let list = extents(&[(file(1), 1), (file(2), 1), (file(3), 1)]);
		let call = crate::Call::<Test>::put_object {
			bucket: name("docs"),
			key: key("a"),
			extents: list,
			etag: [0; 16],
			parts: 0,
			content_type: ctype(""),
		};
		assert_eq!(call.get_dispatch_info().call_weight, <() as WeightInfo>::put_object(3));
		assert_ok!(put_object(ALICE, "docs", "a", &[(file(1), 1), (file(2), 1), (file(3), 1)], ""));
		// A copy is declared for the stated extents and refunded down to the real ones.
		let call = crate::Call::<Test>::copy_object {
			src_bucket: name("docs"),
			src_key: key("a"),
			dst_bucket: name("docs"),
			dst_key: key("b"),
			src_extents: 5,
		};
		assert_eq!(call.get_dispatch_info().call_weight, <() as WeightInfo>::copy_object(5));
		let info = Buckets::copy_object(
			RuntimeOrigin::signed(ALICE),
			name("docs"),
			key("a"),
			name("docs"),
			key("b"),
			5,
		)
		.unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::copy_object(3)));
		// Stating more than `MaxExtents` is declared as `MaxExtents`.
		let call = crate::Call::<Test>::copy_object {
			src_bucket: name("docs"),
			src_key: key("a"),
			dst_bucket: name("docs"),
			dst_key: key("b"),
			src_extents: u32::MAX,
		};
		assert_eq!(
			call.get_dispatch_info().call_weight,
			<() as WeightInfo>::copy_object(MAX_EXTENTS)
		);
		// A deletion is declared for `MaxExtents` and refunded down to the object's.
		let call = crate::Call::<Test>::delete_object { bucket: name("docs"), key: key("a") };
		assert_eq!(
			call.get_dispatch_info().call_weight,
			<() as WeightInfo>::delete_object(MAX_EXTENTS)
		);
		let info =
			Buckets::delete_object(RuntimeOrigin::signed(ALICE), name("docs"), key("a")).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::delete_object(3)));
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
				extents: 1,
			}
			.into(),
		);
		assert_eq!(object_held(ALICE), deposit_of("cat.jpg", "text/plain"));
		assert_eq!(bucket_objects(ALICE, "photos"), 0);
		drain();
		assert_eq!(refs(ALICE, file(1)), 1);
		assert!(released().is_empty());
		assert_ok!(delete(ALICE, "backup", "cat.jpg"));
		// The deposit is back at once; the file goes in `on_idle`.
		assert_eq!(object_held(ALICE), 0);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert!(is_owned(ALICE, file(1)));
		drain();
		assert_eq!(released(), vec![(file(1), ALICE)]);
		System::assert_has_event(Event::FileReleased { owner: ALICE, file_id: file(1) }.into());
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
		drain();
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
		drain();
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
		drain();
		assert!(is_owned(ALICE, file(1)));
		assert_eq!(entry("photos", "b").extents, extents(&[(file(2), 1234)]));
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
				extents: 1,
				replaced: false,
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
		drain();
		assert!(released().is_empty());
		// A copy within a bucket, and onto itself (only Last-Modified changes).
		assert_ok!(copy(ALICE, "backup", "2026/cat-copy.jpg", "backup", "x"));
		System::set_block_number(10);
		assert_ok!(copy(ALICE, "backup", "x", "backup", "x"));
		assert_eq!(entry("backup", "x").modified_ms, START_MS + 10 * 6_000);
		drain();
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
				extents: 1,
				replaced: true,
			}
			.into(),
		);
		drain();
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
		own(ALICE, file(2));
		assert_ok!(put(ALICE, "photos", "a", file(1)));
		assert_noop!(copy(ALICE, "photos", "a", "backup", ""), Error::<Test>::InvalidKey);
		assert_noop!(copy(ALICE, "photos", "a", "backup", "b\0"), Error::<Test>::InvalidKey);
		assert_noop!(copy(ALICE, "nothing", "a", "backup", "b"), Error::<Test>::NoSuchBucket);
		assert_noop!(copy(ALICE, "photos", "a", "nothing", "b"), Error::<Test>::NoSuchBucket);
		assert_noop!(copy(ALICE, "photos", "zz", "backup", "b"), Error::<Test>::NoSuchKey);
		// The stated extent count must cover the source's.
		assert_ok!(put_object(ALICE, "photos", "two", &[(file(1), 1), (file(2), 1)], ""));
		let copy_stating = |n| {
			Buckets::copy_object(
				RuntimeOrigin::signed(ALICE),
				name("photos"),
				key("two"),
				name("backup"),
				key("b"),
				n,
			)
		};
		assert_noop!(copy_stating(1), Error::<Test>::BadExtentWitness);
		assert_noop!(copy_stating(0), Error::<Test>::BadExtentWitness);
		assert_ok!(copy_stating(2));
		for i in 3..MAX_OBJECTS {
			assert_ok!(copy(ALICE, "photos", "a", "backup", &format!("c{i}")));
		}
		assert_noop!(copy(ALICE, "photos", "a", "backup", "full"), Error::<Test>::TooManyObjects);
		// A source with a dangling extent cannot be copied: the copy would name a file the
		// caller lost.
		drop_file(ALICE, file(2));
		assert_noop!(copy(ALICE, "photos", "two", "backup", "c3"), Error::<Test>::NotFileOwner);
		drop_file(ALICE, file(1));
		assert_noop!(copy(ALICE, "photos", "a", "backup", "c3"), Error::<Test>::NotFileOwner);
	});
}

#[test]
fn copy_object_needs_the_deposit() {
	build_and_execute(|| {
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), POOR, 250));
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
		// In his own bucket of the same name, he still cannot name Alice's file, in any
		// extent.
		create(BOB, "photos");
		own(BOB, file(7));
		assert_noop!(put(BOB, "photos", "a", file(1)), Error::<Test>::NotFileOwner);
		for at in 0..3 {
			let mut list = vec![(file(7), 10); 3];
			list[at] = (file(1), 10);
			assert_noop!(put_object(BOB, "photos", "a", &list, ""), Error::<Test>::NotFileOwner);
		}
		assert_noop!(copy(BOB, "photos", "a", "photos", "b"), Error::<Test>::NoSuchKey);
		// Both own file 2 (a deduplicated upload); Alice's last name going releases only her.
		own(ALICE, file(2));
		own(BOB, file(2));
		assert_ok!(put(ALICE, "photos", "two", file(2)));
		assert_ok!(put_object(BOB, "photos", "two", &[(file(7), 1), (file(2), 1)], ""));
		assert_ok!(delete(ALICE, "photos", "two"));
		drain();
		assert_eq!(released(), vec![(file(2), ALICE)]);
		assert!(is_owned(BOB, file(2)));
		assert_eq!(refs(BOB, file(2)), 1);
		assert_eq!(entry("photos", "a").extents, extents(&[(file(1), 1234)]));
		assert_eq!(object_held(BOB), deposit_with("two", "", 2));
		assert_eq!(Balances::total_balance(&BOB), FUNDS);
	});
}
