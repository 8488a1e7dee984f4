use std::{fs, time::Duration};

use cess_primitives::{
	merkle::UpperLevels,
	possession::{challenge_seed, expand_one, verify, Holding, Sample},
	types::Column,
};

use super::{test_file::TestFile, FragmentStore, LossReason, StoreError};

const GIB: u64 = 1 << 30;

/// Stores every fragment of `columns` and commits them.
fn store_columns(store: &FragmentStore, file: &TestFile, columns: &[Column]) {
	put_columns(store, file, columns);
	store.commit(&file.manifest, columns).expect("commit");
}

fn put_columns(store: &FragmentStore, file: &TestFile, columns: &[Column]) {
	for &col in columns {
		file.put_column(store, col);
	}
}

/// Bytes a column takes on disk: its fragments and their kept tree levels.
fn column_bytes(file: &TestFile) -> u64 {
	let layout = file.manifest.layout();
	(0..layout.segment_count())
		.map(|s| {
			let tree = cess_primitives::merkle::FragmentTree::new(file.fragment(s, 0));
			layout.fragment_len(s) + tree.upper_levels(super::UPPER_FROM).to_bytes().len() as u64
		})
		.sum()
}

#[test]
fn committed_columns_survive_a_reopen() {
	let dir = tempfile::tempdir().unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	{
		let store = FragmentStore::open(dir.path(), GIB).unwrap();
		store_columns(&store, &file, &[1]);
		store_columns(&store, &file, &[0]);
		assert_eq!(store.used(), 2 * column_bytes(&file));
	}
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	let id = *file.manifest.file_id();
	assert_eq!(store.held_columns(), vec![(id, 0), (id, 1)]);
	assert_eq!(store.used(), 2 * column_bytes(&file));
	let hash = store.held_fragment(&id, 1, 0).unwrap();
	assert_eq!(store.read_fragment(&hash).unwrap(), file.fragment(1, 0));
	assert!(matches!(store.held_fragment(&id, 0, 2), Err(StoreError::ColumnNotHeld { .. })));
	assert!(store.self_check().unwrap().is_empty());
}

#[test]
fn wrong_fragments_are_refused() {
	let dir = tempfile::tempdir().unwrap();
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	let hash = *file.manifest.fragment_hash(0, 0).unwrap();
	let mut tampered = file.fragment(0, 0).to_vec();
	tampered[100] ^= 1;
	assert!(matches!(store.put_fragment(&hash, &tampered), Err(StoreError::HashMismatch { .. })));
	assert!(matches!(
		store.put_fragment(&hash, &tampered[1..]),
		Err(StoreError::HashMismatch { .. })
	));
	assert!(matches!(store.put_fragment(&hash, &[]), Err(StoreError::HashMismatch { .. })));
	assert_eq!(store.used(), 0);
	// Nothing to commit without every fragment of the column.
	assert!(matches!(store.commit(&file.manifest, &[0]), Err(StoreError::MissingFragment(_))));
	store.put_fragment(&hash, file.fragment(0, 0)).unwrap();
	assert!(matches!(store.commit(&file.manifest, &[0]), Err(StoreError::MissingFragment(_))));
	assert!(store.held_columns().is_empty());
	// A column outside the profile.
	put_columns(&store, &file, &[0]);
	assert!(matches!(store.commit(&file.manifest, &[3]), Err(StoreError::ColumnNotHeld { .. })));
}

#[test]
fn capacity_is_never_exceeded() {
	let dir = tempfile::tempdir().unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	let capacity = column_bytes(&file) + 100;
	let store = FragmentStore::open(dir.path(), capacity).unwrap();
	store_columns(&store, &file, &[0]);
	let hash = file.manifest.fragment_hash(0, 1).unwrap();
	let err = store.put_fragment(hash, file.fragment(0, 1)).unwrap_err();
	assert!(matches!(err, StoreError::CapacityExceeded { free: 100, .. }), "{err}");
	assert!(err.to_string().contains("declare more capacity"));
	assert_eq!(store.used(), column_bytes(&file));
	// Storing the same fragment again costs nothing.
	store.put_fragment(file.manifest.fragment_hash(0, 0).unwrap(), file.fragment(0, 0)).unwrap();
	assert_eq!(store.used(), column_bytes(&file));
}

#[test]
fn crash_leftovers_and_released_columns_are_collected() {
	let dir = tempfile::tempdir().unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	{
		let store = FragmentStore::open(dir.path(), GIB).unwrap();
		store_columns(&store, &file, &[0, 1]);
		// An upload cut short: fragments of column 2 on disk, never committed.
		put_columns(&store, &file, &[2]);
	}
	// A write interrupted before its rename.
	fs::write(dir.path().join("tmp").join("123-0"), b"half a fragment").unwrap();
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
	assert_eq!(store.used(), 3 * column_bytes(&file));
	// Young objects may belong to an upload in progress: kept.
	assert_eq!(store.collect_garbage(Duration::from_secs(3600)).unwrap(), 0);
	assert_eq!(store.collect_garbage(Duration::ZERO).unwrap(), column_bytes(&file));
	let id = *file.manifest.file_id();
	assert!(store.release(&id, 0).unwrap());
	assert!(!store.release(&id, 0).unwrap());
	assert_eq!(store.collect_garbage(Duration::ZERO).unwrap(), column_bytes(&file));
	assert_eq!(store.held_columns(), vec![(id, 1)]);
	assert!(store.release(&id, 1).unwrap());
	assert_eq!(store.collect_garbage(Duration::ZERO).unwrap(), column_bytes(&file));
	assert_eq!(store.used(), 0);
	drop(store);
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	assert!(store.held_columns().is_empty());
	assert!(store.holding(&id).is_none());
}

#[test]
fn self_check_finds_missing_and_corrupted_fragments_and_repairs_tree_levels() {
	let dir = tempfile::tempdir().unwrap();
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	store_columns(&store, &file, &[0, 2]);
	let id = *file.manifest.file_id();
	let object = |seg, col| {
		let hex = hex::encode(file.manifest.fragment_hash(seg, col).unwrap());
		dir.path().join("objects").join(&hex[..2]).join(hex)
	};
	let mut bytes = fs::read(object(0, 0)).unwrap();
	bytes[5] ^= 0x40;
	fs::write(object(0, 0), bytes).unwrap();
	fs::remove_file(object(1, 2)).unwrap();
	fs::write(object(1, 0).with_extension("upper"), b"short").unwrap();
	let mut losses: Vec<_> =
		store.self_check().unwrap().into_iter().map(|l| (l.segment, l.column, l.reason)).collect();
	losses.sort_by_key(|l| (l.0, l.1));
	assert_eq!(losses, vec![(0, 0, LossReason::Corrupted), (1, 2, LossReason::Missing)]);
	assert!(store.self_check().unwrap().iter().all(|l| l.file_id == id));
	// The damaged tree levels beside an intact fragment were rebuilt.
	let hash = file.manifest.fragment_hash(1, 0).unwrap();
	assert_eq!(store.read_upper_levels(hash).unwrap().root(), *hash);
	let kept = UpperLevels::from_bytes(&fs::read(object(1, 0).with_extension("upper")).unwrap());
	assert!(kept.is_ok());
}

fn sample(file: &TestFile, segment: u32, column: Column, leaf: u32) -> Sample {
	let holding =
		Holding { file_id: *file.manifest.file_id(), column, layout: *file.manifest.layout() };
	holding.sample_in(segment, leaf)
}

#[test]
fn probes_and_challenges_are_answered_with_verifying_proofs() {
	let dir = tempfile::tempdir().unwrap();
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	// Fragments of 200 leaves: challenged leaves read chunks of 64 leaves, the last one short.
	let file = TestFile::new(2, 1, 200, 300_000);
	store_columns(&store, &file, &[1]);
	let id = *file.manifest.file_id();
	for (seg, leaf) in [(0, 0), (0, 63), (0, 64), (0, 199), (1, 130)] {
		let proof = store.probe(&id, seg, 1, leaf).unwrap();
		assert_eq!(verify(&[sample(&file, seg, 1, leaf)], &proof), Ok(()));
		assert!(verify(&[sample(&file, seg, 1, (leaf + 1) % 200)], &proof).is_err());
	}
	let holding = Holding { file_id: id, column: 1, layout: *file.manifest.layout() };
	for round in 0..20 {
		let samples = expand_one(&challenge_seed(&[4; 32], round, &[1; 32]), 16, &holding);
		assert_eq!(verify(&samples, &store.prove(&samples).unwrap()), Ok(()));
	}
	assert!(matches!(store.probe(&[9; 32], 0, 1, 0), Err(StoreError::UnknownFile(_))));
	assert!(matches!(store.probe(&id, 0, 0, 0), Err(StoreError::ColumnNotHeld { .. })));
	assert!(matches!(store.probe(&id, 0, 1, 200), Err(StoreError::OutOfRange { .. })));
	assert!(matches!(store.probe(&id, 9, 1, 0), Err(StoreError::OutOfRange { .. })));
	// Bytes changed on disk: the chunk no longer matches the kept levels; no proof is made.
	let hex = hex::encode(file.manifest.fragment_hash(0, 1).unwrap());
	let path = dir.path().join("objects").join(&hex[..2]).join(hex);
	let mut bytes = fs::read(&path).unwrap();
	bytes[0] ^= 1;
	fs::write(&path, bytes).unwrap();
	assert!(matches!(store.probe(&id, 0, 1, 0), Err(StoreError::HashMismatch { .. })));
	assert!(store.probe(&id, 0, 1, 64).is_ok(), "other chunks still prove");
}

#[test]
fn a_push_resumes_from_what_is_stored_and_new_holdings_are_young() {
	let dir = tempfile::tempdir().unwrap();
	let file = TestFile::new(2, 1, 23, 30_000);
	let store = FragmentStore::open(dir.path(), GIB).unwrap();
	let layout = *file.manifest.layout();
	let hash = |seg| *file.manifest.fragment_hash(seg, 1).unwrap();
	assert!(!store.has_fragment(&hash(0), layout.fragment_len(0)));
	store.put_fragment(&hash(0), file.fragment(0, 1)).unwrap();
	assert!(store.has_fragment(&hash(0), layout.fragment_len(0)));
	// Tree levels lost (a crash between the two writes): the fragment is needed again.
	let hex = hex::encode(hash(0));
	fs::remove_file(dir.path().join("objects").join(&hex[..2]).join(hex).with_extension("upper"))
		.unwrap();
	assert!(!store.has_fragment(&hash(0), layout.fragment_len(0)));
	assert!(!store.has_fragment(&hash(1), layout.fragment_len(1)));

	let id = *file.manifest.file_id();
	assert_eq!(store.holding_age(&id), None);
	store_columns(&store, &file, &[1]);
	assert!(store.holding_age(&id).unwrap() < Duration::from_secs(60));
}
