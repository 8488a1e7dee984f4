//! Round trips through the whole pipeline for every profile, with fragments lost and corrupted.

mod common;

use cess_client::{plan, DataKey, Error};
use common::{corrupt, data, decode_mem, encode_mem, options};

/// Profiles from the smallest to `k + m = 32`, data-heavy and parity-heavy.
const PROFILES: &[(u8, u8)] =
	&[(1, 1), (1, 3), (2, 1), (2, 4), (3, 2), (4, 8), (8, 4), (10, 6), (16, 16), (1, 31), (31, 1)];

const SEGMENT: u64 = 20_000;
const FILE_LEN: usize = 50_000;

/// The columns lost in `segment`: `count` consecutive columns (cyclically), starting at a place
/// that moves with the segment so data and parity columns are both hit.
fn lost_columns(segment: u32, count: u8, total: u16) -> Vec<u16> {
	(0..u16::from(count)).map(|j| (segment as u16 * 3 + j) % total).collect()
}

#[test]
fn every_profile_survives_m_deleted_fragments_per_segment() {
	for &(k, m) in PROFILES {
		for key in [None, Some(DataKey::generate())] {
			let plain = data(FILE_LEN, u64::from(k) << 8 | u64::from(m));
			let opts = options(k, m, SEGMENT);
			let (manifest, mut store) = encode_mem(&plain, key.as_ref(), &opts).unwrap();
			let segments = manifest.layout().segment_count();
			assert!(segments >= 3, "the test wants several segments");
			let total = k as u16 + m as u16;
			for s in 0..segments {
				for c in lost_columns(s, m, total) {
					assert!(store.remove(s, c).is_some());
				}
			}
			let (out, report) = decode_mem(&manifest, &mut store, key.as_ref()).unwrap();
			assert!(out == plain, "profile ({k},{m}) encrypted={}", key.is_some());
			assert_eq!(report.segments, segments);
			assert!(report.fetched.corrupted.is_empty());
			assert_eq!(report.bytes_written, FILE_LEN as u64);
		}
	}
}

#[test]
fn every_profile_survives_m_minus_one_deleted_and_one_corrupted_fragment_per_segment() {
	for &(k, m) in PROFILES {
		for key in [None, Some(DataKey::generate())] {
			let plain = data(FILE_LEN, u64::from(k) << 8 | u64::from(m) | 1 << 20);
			let opts = options(k, m, SEGMENT);
			let (manifest, mut store) = encode_mem(&plain, key.as_ref(), &opts).unwrap();
			let total = k as u16 + m as u16;
			let mut corrupted = Vec::new();
			for s in 0..manifest.layout().segment_count() {
				let lost = lost_columns(s, m, total);
				let (bad, deleted) = lost.split_last().unwrap();
				for &c in deleted {
					store.remove(s, c);
				}
				corrupt(&mut store, s, *bad);
				corrupted.push((s, *bad));
			}
			let (out, report) = decode_mem(&manifest, &mut store, key.as_ref()).unwrap();
			assert!(out == plain, "profile ({k},{m}) encrypted={}", key.is_some());
			// Every corruption that was read was caught by its hash; corrupted data columns are
			// always read.
			for bad in &report.fetched.corrupted {
				assert!(corrupted.contains(bad), "{bad:?} reported but not corrupted");
			}
			for &(s, c) in &corrupted {
				if c < u16::from(k) {
					assert!(report.fetched.corrupted.contains(&(s, c)), "({s},{c}) not reported");
				}
			}
		}
	}
}

#[test]
fn m_deleted_and_one_more_corrupted_fails_with_not_enough_fragments() {
	for &(k, m) in &[(1u8, 1u8), (2, 4), (4, 8), (8, 4)] {
		let key = DataKey::generate();
		let plain = data(FILE_LEN, 7);
		let (manifest, mut store) =
			encode_mem(&plain, Some(&key), &options(k, m, SEGMENT)).unwrap();
		let total = u16::from(k) + u16::from(m);
		let last = manifest.layout().segment_count() - 1;
		let lost = lost_columns(last, m + 1, total);
		let (bad, deleted) = lost.split_last().unwrap();
		for &c in deleted {
			store.remove(last, c);
		}
		corrupt(&mut store, last, *bad);
		let err = decode_mem(&manifest, &mut store, Some(&key)).unwrap_err();
		match err {
			Error::NotEnoughFragments { segment, valid, needed, missing, corrupted } => {
				assert_eq!(segment, last);
				assert_eq!(valid, u32::from(k) - 1);
				assert_eq!(needed, u32::from(k));
				assert_eq!(missing, u32::from(m));
				assert_eq!(corrupted, 1);
			},
			other => panic!("profile ({k},{m}): unexpected {other}"),
		}
	}
}

#[test]
fn fragments_swapped_between_positions_are_rejected_by_hash() {
	let plain = data(FILE_LEN, 11);
	let (manifest, mut store) = encode_mem(&plain, None, &options(2, 2, SEGMENT)).unwrap();
	// Put segment 1's column 0 where segment 0's column 0 belongs: same length, wrong place.
	let moved = store.fragment(1, 0).unwrap().to_vec();
	*store.fragment_mut(0, 0).unwrap() = moved;
	let (out, report) = decode_mem(&manifest, &mut store, None).unwrap();
	assert!(out == plain);
	assert_eq!(report.fetched.corrupted, vec![(0, 0)]);
	assert_eq!(report.segments_reconstructed, 1);
}

#[test]
fn all_columns_intact_needs_no_reconstruction_and_reads_only_k_fragments() {
	let plain = data(FILE_LEN, 12);
	let (manifest, mut store) = encode_mem(&plain, None, &options(4, 8, SEGMENT)).unwrap();
	let (out, report) = decode_mem(&manifest, &mut store, None).unwrap();
	assert!(out == plain);
	assert_eq!(report.segments_reconstructed, 0);
	assert_eq!(report.fetched.requested, u64::from(report.segments) * 4);
	assert_eq!(report.fetched.missing, 0);
}

#[test]
fn plan_quotes_the_layout_that_encode_produces() {
	for len in [0usize, 1, 1983, 1984, 19_927, 19_928, 19_929, FILE_LEN] {
		for key in [None, Some(DataKey::generate())] {
			if len == 0 && key.is_none() {
				continue;
			}
			let opts = options(4, 8, SEGMENT);
			let quoted = plan(len as u64, key.is_some(), &opts).unwrap();
			let (manifest, store) = encode_mem(&data(len, 3), key.as_ref(), &opts).unwrap();
			assert_eq!(*manifest.layout(), quoted);
			assert_eq!(manifest.plaintext_size(), len as u64);
			let stored: usize = (0..quoted.segment_count())
				.flat_map(|s| (0..12).map(move |c| (s, c)))
				.map(|(s, c)| store.fragment(s, c).unwrap().len())
				.sum();
			assert_eq!(stored as u64, quoted.stored_bytes());
		}
	}
}

#[test]
fn hashing_on_several_threads_gives_the_same_file_id() {
	let plain = data(FILE_LEN, 13);
	let mut opts = options(4, 8, SEGMENT);
	let (single, store) = encode_mem(&plain, None, &opts).unwrap();
	for threads in [2, 3, 5, 12, 64] {
		opts.hash_threads = threads;
		let (multi, multi_store) = encode_mem(&plain, None, &opts).unwrap();
		assert_eq!(multi, single, "{threads} threads");
		assert_eq!(multi_store.len(), store.len());
	}
	// Encrypted: still decodes (the salt is random, so the ids differ from the public file's).
	let key = DataKey::generate();
	opts.hash_threads = 4;
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &opts).unwrap();
	assert!(decode_mem(&manifest, &mut store, Some(&key)).unwrap().0 == plain);
}

#[test]
fn the_same_salt_reproduces_every_fragment_so_uploads_need_no_staging() {
	let owner = cess_client::EncryptionSecret::from_account_seed(&[5; 32]).unwrap();
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 99);
	let opts = options(2, 4, SEGMENT);
	for encryption in [
		cess_client::Encryption::Public,
		cess_client::Encryption::Encrypted(&key),
		cess_client::Encryption::Owner(&owner),
	] {
		let salt = cess_client::random_salt();
		let size = plain.len() as u64;
		let first = cess_client::encode_with_salt(
			&plain[..],
			size,
			encryption,
			&opts,
			&salt,
			&mut cess_client::Discard,
		)
		.unwrap();
		let mut store = cess_client::MemStore::new();
		let second =
			cess_client::encode_with_salt(&plain[..], size, encryption, &opts, &salt, &mut store)
				.unwrap();
		assert_eq!(first.file_id(), second.file_id());
		assert_eq!(first.to_bytes(), second.to_bytes());
		// The fragments match the manifest of the first pass.
		let (out, _) = decode_mem(
			&first,
			&mut store,
			match encryption {
				cess_client::Encryption::Encrypted(key) => Some(key),
				_ => None,
			},
		)
		.or_else(|_| {
			let mut out = Vec::new();
			cess_client::decode(
				&first,
				&mut store,
				cess_client::Decryption::Owner(std::slice::from_ref(&owner)),
				&mut out,
			)
			.map(|r| (out, r))
		})
		.unwrap();
		assert_eq!(out, plain);
		// Another salt is another file (encrypted modes).
		let other = cess_client::encode_with_salt(
			&plain[..],
			size,
			encryption,
			&opts,
			&cess_client::random_salt(),
			&mut cess_client::Discard,
		)
		.unwrap();
		let public = matches!(encryption, cess_client::Encryption::Public);
		assert_eq!(other.file_id() == first.file_id(), public);
	}
}
