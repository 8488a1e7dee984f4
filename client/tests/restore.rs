//! Restoral: a lost column is rebuilt, byte-identical, from the surviving columns.

mod common;

use cess_client::{rebuild_column, DataKey, Error, MemStore};
use common::{corrupt, data, decode_mem, encode_mem, options};

#[test]
fn every_column_of_every_profile_is_rebuilt_byte_identical() {
	for (k, m) in [(1u8, 1u8), (2, 4), (4, 8), (8, 4)] {
		let key = DataKey::generate();
		let plain = data(45_000, u64::from(k) * 100 + u64::from(m));
		let (manifest, original) = encode_mem(&plain, Some(&key), &options(k, m, 20_000)).unwrap();
		let segments = manifest.layout().segment_count();
		for column in 0..u16::from(k) + u16::from(m) {
			let mut survivors = original.clone();
			for s in 0..segments {
				survivors.remove(s, column);
			}
			let mut rebuilt = MemStore::new();
			rebuild_column(&manifest, &mut survivors, column, &mut rebuilt).unwrap();
			assert_eq!(rebuilt.len(), segments as usize);
			for s in 0..segments {
				assert_eq!(
					rebuilt.fragment(s, column),
					original.fragment(s, column),
					"({k},{m}) col {column} seg {s}"
				);
			}
		}
	}
}

#[test]
fn rebuild_skips_corrupted_survivors_and_the_result_decodes() {
	let (k, m) = (4u8, 8u8);
	let key = DataKey::generate();
	let plain = data(70_000, 1);
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &options(k, m, 20_000)).unwrap();
	let segments = manifest.layout().segment_count();
	// Column 0 is to be rebuilt; columns 1..=6 are lost and column 7 is corrupted in every
	// segment, leaving exactly k = 4 intact fragments (columns 8..=11).
	for s in 0..segments {
		for c in 0..7u16 {
			store.remove(s, c);
		}
		corrupt(&mut store, s, 7);
	}
	let mut rebuilt = MemStore::new();
	let stats = rebuild_column(&manifest, &mut store, 0, &mut rebuilt).unwrap();
	assert_eq!(stats.corrupted.len(), segments as usize);
	assert_eq!(stats.missing, 6 * u64::from(segments));
	for s in 0..segments {
		let fragment = rebuilt.fragment(s, 0).unwrap().to_vec();
		common::put(&mut store, s, 0, &fragment);
	}
	let (out, _) = decode_mem(&manifest, &mut store, Some(&key)).unwrap();
	assert!(out == plain);
}

#[test]
fn rebuild_fails_cleanly_without_k_survivors_or_with_a_bad_column() {
	let (manifest, mut store) = encode_mem(&data(10_000, 2), None, &options(2, 2, 20_000)).unwrap();
	assert!(matches!(
		rebuild_column(&manifest, &mut store, 4, &mut MemStore::new()),
		Err(Error::NoSuchColumn { column: 4, total: 4 })
	));
	store.remove(0, 1);
	store.remove(0, 2);
	let err = rebuild_column(&manifest, &mut store, 0, &mut MemStore::new()).unwrap_err();
	assert!(
		matches!(
			err,
			Error::NotEnoughFragments { segment: 0, valid: 1, needed: 2, missing: 3, corrupted: 0 }
		),
		"{err}"
	);
}
