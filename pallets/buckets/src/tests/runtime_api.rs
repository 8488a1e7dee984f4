//! The runtime API's answers from storage.

use super::*;
use crate::{
	runtime_api::{ObjectListing, ObjectSummary},
	BucketInfo,
};

#[test]
fn buckets_are_listed_by_name() {
	build_and_execute(|| {
		for n in ["zeta", "alpha", "mid-dle"] {
			create(ALICE, n);
		}
		create(BOB, "bobs");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "alpha", "a", file(1)));
		let buckets = Buckets::buckets_of(&ALICE);
		let names: Vec<&[u8]> = buckets.iter().map(|(n, _)| n.as_slice()).collect();
		assert_eq!(names, vec![&b"alpha"[..], b"mid-dle", b"zeta"]);
		assert_eq!(
			buckets[0].1,
			BucketInfo { created_ms: START_MS + 6_000, objects: 1, deposit: BUCKET_DEPOSIT }
		);
		assert!(Buckets::buckets_of(&POOR).is_empty());
	});
}

#[test]
fn object_reports_the_entry_and_whether_the_file_is_still_owned() {
	build_and_execute(|| {
		create(ALICE, "photos");
		own(ALICE, file(1));
		assert_ok!(put_typed(ALICE, "photos", "cat.jpg", file(1), "image/jpeg"));
		let expected = ObjectSummary {
			extents: vec![Extent { file_id: file(1), size: 1234 }],
			size: 1234,
			etag: [0xab; 16],
			parts: 0,
			content_type: b"image/jpeg".to_vec(),
			modified_ms: START_MS + 6_000,
			available: true,
		};
		assert_eq!(Buckets::object_summary(&ALICE, b"photos", b"cat.jpg"), Some(expected.clone()));
		assert_eq!(Buckets::object_summary(&ALICE, b"photos", b"dog.jpg"), None);
		assert_eq!(Buckets::object_summary(&ALICE, b"nothing", b"cat.jpg"), None);
		assert_eq!(Buckets::object_summary(&BOB, b"photos", b"cat.jpg"), None);
		assert_eq!(Buckets::object_summary(&ALICE, &[b'x'; 64], b"cat.jpg"), None);
		assert_eq!(Buckets::object_summary(&ALICE, b"photos", &[b'k'; 1025]), None);
		drop_file(ALICE, file(1));
		assert_eq!(
			Buckets::object_summary(&ALICE, b"photos", b"cat.jpg"),
			Some(ObjectSummary { available: false, ..expected })
		);
	});
}

#[test]
fn list_objects_pages_through_a_bucket() {
	build_and_execute(|| {
		create(ALICE, "photos");
		create(ALICE, "other");
		own(ALICE, file(1));
		own(ALICE, file(2));
		for (k, f) in [("b/2.jpg", 1), ("a.jpg", 1), ("b/1.jpg", 2), ("c.jpg", 2)] {
			assert_ok!(put(ALICE, "photos", k, file(f)));
		}
		assert_ok!(put(ALICE, "other", "zzz", file(1)));
		assert_eq!(Buckets::list_objects(&ALICE, b"nothing", b"", None, None, 10), None);
		assert_eq!(Buckets::list_objects(&BOB, b"photos", b"", None, None, 10), None);
		let all = Buckets::list_objects(&ALICE, b"photos", b"", None, None, 10).unwrap();
		let listed: Vec<&[u8]> = all.objects.iter().map(|(k, _)| k.as_slice()).collect();
		assert_eq!(listed, vec![&b"a.jpg"[..], b"b/1.jpg", b"b/2.jpg", b"c.jpg"]);
		assert_eq!(
			all.objects[1].1,
			ObjectListing {
				size: 1234,
				etag: [0xab; 16],
				parts: 0,
				modified_ms: START_MS + 6_000,
				extents: 1
			}
		);
		assert_eq!(all.next_start_after, None);
		let first = Buckets::list_objects(&ALICE, b"photos", b"", Some(b"/"), None, 2).unwrap();
		assert_eq!(first.objects.len(), 1);
		assert_eq!(first.common_prefixes, vec![b"b/".to_vec()]);
		assert_eq!(first.next_start_after, Some(b"b/".to_vec()));
		let second = Buckets::list_objects(
			&ALICE,
			b"photos",
			b"",
			Some(b"/"),
			first.next_start_after.as_deref(),
			2,
		)
		.unwrap();
		assert_eq!(second.objects.len(), 1);
		assert_eq!(second.objects[0].0, b"c.jpg".to_vec());
		assert_eq!(second.next_start_after, None);
		let under_b =
			Buckets::list_objects(&ALICE, b"photos", b"b/", Some(b"/"), None, 1000).unwrap();
		assert_eq!(under_b.objects.len(), 2);
		// An empty bucket lists nothing.
		create(ALICE, "empty");
		assert_eq!(
			Buckets::list_objects(&ALICE, b"empty", b"", None, None, 10),
			Some(Default::default())
		);
		// A dangling entry is still listed (`object` tells it is not available).
		drop_file(ALICE, file(2));
		let again = Buckets::list_objects(&ALICE, b"photos", b"", None, None, 10).unwrap();
		assert_eq!(again, all);
	});
}

/// A listing reads an entry's leading fields without its extents: they must be what the full
/// entry holds, for the longest content type and the most extents.
#[test]
fn a_listing_reads_the_entries_leading_fields() {
	build_and_execute(|| {
		create(ALICE, "photos");
		let list: Vec<(FileId, u64)> =
			(1..=MAX_EXTENTS as u8).map(|n| (file(n), u64::MAX / 8)).collect();
		for &(f, _) in &list {
			own(ALICE, f);
		}
		let ct = "t".repeat(crate::MAX_CONTENT_TYPE_LEN as usize);
		let k = "k".repeat(crate::MAX_KEY_LEN as usize);
		System::set_block_number(3);
		assert_ok!(Buckets::put_object(
			RuntimeOrigin::signed(ALICE),
			name("photos"),
			key(&k),
			extents(&list),
			[0x5a; 16],
			u16::MAX,
			ctype(&ct),
		));
		let entry = crate::Objects::<Test>::get((ALICE, name("photos"), key(&k))).unwrap();
		let head = Buckets::object_head(&ALICE, &name("photos"), &key(&k)).unwrap();
		assert_eq!(
			head,
			crate::ObjectHead {
				size: entry.size,
				etag: entry.etag,
				parts: entry.parts,
				content_type: entry.content_type.clone(),
				modified_ms: entry.modified_ms,
				deposit: entry.deposit,
				extents: codec::Compact(MAX_EXTENTS),
			}
		);
		let page = Buckets::list_objects(&ALICE, b"photos", b"", None, None, 10).unwrap();
		assert_eq!(
			page.objects[0].1,
			ObjectListing {
				size: entry.size,
				etag: [0x5a; 16],
				parts: u16::MAX,
				modified_ms: START_MS + 3 * 6_000,
				extents: MAX_EXTENTS
			}
		);
		assert_eq!(Buckets::object_head(&ALICE, &name("photos"), &key("nothing")), None);
	});
}
