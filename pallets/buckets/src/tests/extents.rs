//! Objects made of several files (extents).

use super::*;
use crate::{runtime_api::ObjectListing, Event, ObjectInfo, Objects};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn an_object_of_several_extents_is_put_read_copied_and_deleted() {
	build_and_execute(|| {
		create(ALICE, "videos");
		for n in 1..=3 {
			own(ALICE, file(n));
		}
		let list = [(file(1), 100), (file(2), 200), (file(3), 50)];
		assert_ok!(put_object(ALICE, "videos", "film.mp4", &list, "video/mp4"));
		System::assert_last_event(
			Event::ObjectPut {
				owner: ALICE,
				bucket: name("videos"),
				key: key("film.mp4"),
				size: 350,
				extents: 3,
				replaced: false,
			}
			.into(),
		);
		let deposit = deposit_with("film.mp4", "video/mp4", 3);
		assert_eq!(
			Objects::<Test>::get((ALICE, name("videos"), key("film.mp4"))),
			Some(ObjectInfo {
				size: 350,
				etag: [0xab; 16],
				parts: 0,
				content_type: ctype("video/mp4"),
				modified_ms: START_MS + 6_000,
				deposit,
				extents: extents(&list),
			})
		);
		assert_eq!(object_held(ALICE), deposit);
		assert_eq!([1, 2, 3].map(|n| refs(ALICE, file(n))), [1, 1, 1]);
		// Read: the summary has the extents in order, the listing only their count.
		let summary = Buckets::object_summary(&ALICE, b"videos", b"film.mp4").unwrap();
		assert_eq!(summary.extents, extents(&list).into_inner());
		assert_eq!(summary.size, 350);
		assert!(summary.available);
		let page = Buckets::list_objects(&ALICE, b"videos", b"", None, None, 10).unwrap();
		assert_eq!(
			page.objects,
			vec![(
				b"film.mp4".to_vec(),
				ObjectListing {
					size: 350,
					etag: [0xab; 16],
					parts: 0,
					modified_ms: START_MS + 6_000,
					extents: 3
				}
			)]
		);
		// Copy: every extent gets one more name.
		assert_ok!(copy(ALICE, "videos", "film.mp4", "videos", "copy.mp4"));
		assert_eq!([1, 2, 3].map(|n| refs(ALICE, file(n))), [2, 2, 2]);
		assert_eq!(
			Buckets::object_summary(&ALICE, b"videos", b"copy.mp4").unwrap().extents,
			summary.extents
		);
		// Delete: the names go through the queue; the last one releases each file.
		assert_ok!(delete(ALICE, "videos", "film.mp4"));
		System::assert_last_event(
			Event::ObjectDeleted {
				owner: ALICE,
				bucket: name("videos"),
				key: key("film.mp4"),
				extents: 3,
			}
			.into(),
		);
		drain();
		assert_eq!([1, 2, 3].map(|n| refs(ALICE, file(n))), [1, 1, 1]);
		assert!(released().is_empty());
		assert_ok!(delete(ALICE, "videos", "copy.mp4"));
		drain();
		assert_eq!(released(), vec![(file(1), ALICE), (file(2), ALICE), (file(3), ALICE)]);
		assert_eq!(object_held(ALICE), 0);
	});
}

#[test]
fn an_object_may_name_a_file_twice() {
	build_and_execute(|| {
		create(ALICE, "docs");
		own(ALICE, file(1));
		own(ALICE, file(2));
		assert_ok!(put_object(
			ALICE,
			"docs",
			"a",
			&[(file(1), 10), (file(2), 5), (file(1), 10)],
			""
		));
		assert_eq!((refs(ALICE, file(1)), refs(ALICE, file(2))), (2, 1));
		assert_eq!(object_held(ALICE), deposit_with("a", "", 3));
		assert_ok!(put(ALICE, "docs", "b", file(1)));
		assert_eq!(refs(ALICE, file(1)), 3);
		assert_ok!(delete(ALICE, "docs", "a"));
		drain();
		// File 2 lost its only name; file 1 keeps b's.
		assert_eq!(released(), vec![(file(2), ALICE)]);
		assert_eq!(refs(ALICE, file(1)), 1);
		assert_ok!(delete(ALICE, "docs", "b"));
		drain();
		assert_eq!(released(), vec![(file(2), ALICE), (file(1), ALICE)]);
	});
}

#[test]
fn an_object_has_at_most_max_extents() {
	build_and_execute(|| {
		create(ALICE, "docs");
		for n in 1..=MAX_EXTENTS as u8 {
			own(ALICE, file(n));
		}
		let list: Vec<(FileId, u64)> = (1..=MAX_EXTENTS as u8).map(|n| (file(n), 7)).collect();
		assert_ok!(put_object(ALICE, "docs", "a", &list, ""));
		assert_eq!(object_held(ALICE), deposit_with("a", "", MAX_EXTENTS));
		// The deposit's bytes per extent are what an extent takes in the entry.
		assert_eq!(<Extent as codec::MaxEncodedLen>::max_encoded_len() as u32, crate::EXTENT_BYTES);
		// One more is not even a valid argument.
		let more: Vec<Extent> =
			(0..=MAX_EXTENTS).map(|_| Extent { file_id: file(1), size: 1 }).collect();
		assert!(Extents::<Test>::try_from(more).is_err());
	});
}

#[test]
fn an_object_is_available_only_while_every_extent_is_owned() {
	build_and_execute(|| {
		create(ALICE, "docs");
		own(ALICE, file(1));
		own(ALICE, file(2));
		assert_ok!(put_object(ALICE, "docs", "a", &[(file(1), 1), (file(2), 1)], ""));
		assert!(Buckets::object_summary(&ALICE, b"docs", b"a").unwrap().available);
		drop_file(ALICE, file(2));
		assert!(!Buckets::object_summary(&ALICE, b"docs", b"a").unwrap().available);
		// Only deletion is left: it queues both; only file 1 is released.
		assert_noop!(copy(ALICE, "docs", "a", "docs", "b"), crate::Error::<Test>::NotFileOwner);
		assert_ok!(delete(ALICE, "docs", "a"));
		drain();
		assert_eq!(released(), vec![(file(1), ALICE)]);
	});
}
