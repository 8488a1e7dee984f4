//! Small files and sizes at leaf and segment boundaries.

mod common;

use cess_client::{format::HEADER_LEN, format::TAG_LEN, plan, DataKey, Error};
use cess_primitives::types::LEAF_BYTES;
use common::{corrupt, data, decode_mem, encode_mem, options};

const SEGMENT: u64 = 62 * LEAF_BYTES as u64; // 15 872 bytes
const K: u8 = 2;
const M: u8 = 3;

/// Sizes just below, at and above leaf, k-leaf and segment boundaries, for the stream as
/// stored: `public` gives plaintext sizes, else plaintext sizes whose *encrypted* stream hits the
/// boundary.
fn boundary_sizes(public: bool) -> Vec<usize> {
	let b = LEAF_BYTES;
	let seg = SEGMENT as usize;
	let stream_boundaries = [1, b, K as usize * b, seg, 2 * seg, 3 * seg];
	let mut sizes = vec![1, 2];
	for boundary in stream_boundaries {
		for delta in [-1i64, 0, 1] {
			let stream = boundary as i64 + delta;
			let size = if public {
				stream
			} else {
				// Overhead: the header plus one tag per segment.
				let segments = (stream as usize).div_ceil(seg).max(1) as i64;
				stream - HEADER_LEN as i64 - segments * TAG_LEN as i64
			};
			if size > 0 {
				sizes.push(size as usize);
			}
		}
	}
	sizes.sort_unstable();
	sizes.dedup();
	sizes
}

#[test]
fn public_small_and_boundary_sizes_round_trip() {
	for len in boundary_sizes(true) {
		let plain = data(len, len as u64);
		let (manifest, mut store) = encode_mem(&plain, None, &options(K, M, SEGMENT)).unwrap();
		assert_eq!(manifest.layout().size, len as u64, "public stream is the plaintext");
		// Lose m fragments of the last segment, including data column 0.
		let last = manifest.layout().segment_count() - 1;
		for c in 0..u16::from(M) {
			store.remove(last, c);
		}
		let (out, _) = decode_mem(&manifest, &mut store, None).unwrap();
		assert!(out == plain, "public size {len}");
	}
}

#[test]
fn encrypted_small_and_boundary_sizes_round_trip() {
	for len in boundary_sizes(false) {
		let key = DataKey::generate();
		let plain = data(len, len as u64 + 1);
		let (manifest, mut store) =
			encode_mem(&plain, Some(&key), &options(K, M, SEGMENT)).unwrap();
		let last = manifest.layout().segment_count() - 1;
		for c in 1..=u16::from(M) {
			store.remove(last, c);
		}
		let (out, report) = decode_mem(&manifest, &mut store, Some(&key)).unwrap();
		assert!(out == plain, "encrypted size {len}");
		assert_eq!(report.bytes_written, len as u64);
	}
}

#[test]
fn boundary_sizes_hit_the_intended_segment_counts() {
	let opts = options(K, M, SEGMENT);
	let seg = SEGMENT as usize;
	// Encrypted: a plaintext that fills segment 0 exactly, and one more byte.
	let fill = seg - HEADER_LEN - TAG_LEN;
	assert_eq!(plan(fill as u64, true, &opts).unwrap().segment_count(), 1);
	assert_eq!(plan(fill as u64, true, &opts).unwrap().size, SEGMENT);
	assert_eq!(plan(fill as u64 + 1, true, &opts).unwrap().segment_count(), 2);
	// Public: exactly one segment, and one more byte.
	assert_eq!(plan(SEGMENT, false, &opts).unwrap().segment_count(), 1);
	assert_eq!(plan(SEGMENT + 1, false, &opts).unwrap().segment_count(), 2);
}

#[test]
fn small_files_are_not_padded_to_a_full_segment() {
	let opts = options(4, 8, cess_primitives::types::DEFAULT_SEGMENT_SIZE);
	// One byte, public: one leaf per fragment.
	let layout = plan(1, false, &opts).unwrap();
	assert_eq!(layout.fragment_len(0), LEAF_BYTES as u64);
	assert_eq!(layout.stored_bytes(), 12 * LEAF_BYTES as u64);
	// One byte, encrypted: 73 stream bytes, still one leaf per fragment.
	let layout = plan(1, true, &opts).unwrap();
	assert_eq!(layout.size, 1 + 72);
	assert_eq!(layout.stored_bytes(), 12 * LEAF_BYTES as u64);

	let key = DataKey::generate();
	let (manifest, mut store) = encode_mem(&[0x5a], Some(&key), &opts).unwrap();
	assert_eq!(store.fragment(0, 11).unwrap().len(), LEAF_BYTES);
	corrupt(&mut store, 0, 0);
	let (out, _) = decode_mem(&manifest, &mut store, Some(&key)).unwrap();
	assert_eq!(out, vec![0x5a]);
}

#[test]
fn empty_files_are_stored_encrypted_only() {
	let opts = options(K, M, SEGMENT);
	assert!(matches!(encode_mem(&[], None, &opts), Err(Error::EmptyPublicFile)));
	assert!(matches!(plan(0, false, &opts), Err(Error::EmptyPublicFile)));

	let key = DataKey::generate();
	let (manifest, mut store) = encode_mem(&[], Some(&key), &opts).unwrap();
	assert_eq!(manifest.layout().size, (HEADER_LEN + TAG_LEN) as u64);
	assert_eq!(manifest.plaintext_size(), 0);
	let (out, report) = decode_mem(&manifest, &mut store, Some(&key)).unwrap();
	assert!(out.is_empty());
	assert_eq!(report.segments, 1);
	// The empty file is authenticated like any other: another key does not open it.
	assert!(matches!(
		decode_mem(&manifest, &mut store, Some(&DataKey::generate())),
		Err(Error::WrongKey)
	));
}
