//! Random access: reading only the segments that cover a byte range, with
//! `read_stored_segment` and a `PlainView` opened from segment 0, gives exactly those bytes of
//! the file, public or encrypted.

mod common;

use cess_client::{
	decode, encode, read_stored_segment, read_stored_segment_report, DataKey, Decryption,
	EncryptionSecret, Error, FileManifest, MemStore, PlainView,
};
use common::{corrupt, data, encode_mem, options};

const SEGMENT: u64 = 4096;
const FILE_LEN: usize = 5 * 4096 + 1234;

/// A tiny deterministic generator for the ranges.
struct Rng(u64);

impl Rng {
	fn below(&mut self, n: u64) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0 % n
	}
}

/// Bytes `start..end` of the file, decoding only the segments that cover them.
fn read_range(
	manifest: &FileManifest,
	store: &mut MemStore,
	view: &PlainView,
	start: u64,
	end: u64,
) -> Vec<u8> {
	let mut out = Vec::new();
	if start == end {
		return out;
	}
	for segment in view.segment_at(start)..=view.segment_at(end - 1) {
		let mut stored = read_stored_segment(manifest, store, segment).unwrap();
		assert_eq!(stored.len() as u64, manifest.layout().segment_len(segment));
		let plain = view.plaintext(segment, &mut stored).unwrap();
		let (offset, len) = view.chunk(segment);
		assert_eq!(plain.len() as u64, len);
		let from = start.max(offset) - offset;
		let to = end.min(offset + len) - offset;
		out.extend_from_slice(&plain[from as usize..to as usize]);
	}
	out
}

/// Checks many random ranges and every segment boundary of the file in `store`.
fn check_random_access(
	manifest: &FileManifest,
	store: &mut MemStore,
	decryption: Decryption<'_>,
	plain: &[u8],
) -> PlainView {
	let segment0 = read_stored_segment(manifest, store, 0).unwrap();
	let view = PlainView::open(manifest, decryption, &segment0).unwrap();
	assert_eq!(view.plaintext_size(), plain.len() as u64);
	assert_eq!(view.segment_count(), manifest.layout().segment_count());
	assert!(view.segment_count() >= 5, "the test wants several segments");

	// The chunks tile the plaintext, and segment_at finds each chunk's first and last byte.
	let mut next = 0;
	for segment in 0..view.segment_count() {
		let (offset, len) = view.chunk(segment);
		assert_eq!(offset, next);
		assert!(len > 0);
		assert_eq!(view.segment_at(offset), segment);
		assert_eq!(view.segment_at(offset + len - 1), segment);
		next = offset + len;
	}
	assert_eq!(next, plain.len() as u64);

	let mut rng = Rng(0x1234_5678_9abc_def1);
	let size = plain.len() as u64;
	for _ in 0..200 {
		let start = rng.below(size + 1);
		let end = start + rng.below(size - start + 1);
		let got = read_range(manifest, store, &view, start, end);
		assert!(got == plain[start as usize..end as usize], "range {start}..{end}");
	}
	// The whole file, and single bytes at both ends.
	assert!(read_range(manifest, store, &view, 0, size) == plain);
	assert_eq!(read_range(manifest, store, &view, 0, 1), plain[..1]);
	assert_eq!(read_range(manifest, store, &view, size - 1, size), plain[plain.len() - 1..]);
	view
}

#[test]
fn random_ranges_of_a_public_file() {
	let plain = data(FILE_LEN, 1);
	let (manifest, mut store) = encode_mem(&plain, None, &options(2, 2, SEGMENT)).unwrap();
	let view = check_random_access(&manifest, &mut store, Decryption::Public, &plain);
	assert!(!view.is_encrypted());
	assert!(view.data_key().is_none());
	// A public view is a plain slice of the stream.
	let last = view.segment_count() - 1;
	assert_eq!(view.chunk(last), (u64::from(last) * SEGMENT, manifest.layout().segment_len(last)));
}

#[test]
fn random_ranges_of_a_file_encrypted_with_a_key() {
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 2);
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &options(3, 2, SEGMENT)).unwrap();
	let view = check_random_access(&manifest, &mut store, Decryption::Key(&key), &plain);
	assert_eq!(view.data_key().unwrap().as_bytes(), key.as_bytes());
}

#[test]
fn random_ranges_of_an_owner_encrypted_file() {
	let owner = EncryptionSecret::from_account_seed(&[7; 32]).unwrap();
	let plain = data(FILE_LEN, 3);
	let mut store = MemStore::new();
	let manifest = encode(
		&plain[..],
		plain.len() as u64,
		cess_client::Encryption::Owner(&owner),
		&options(2, 1, SEGMENT),
		&mut store,
	)
	.unwrap();
	let owners = std::slice::from_ref(&owner);
	let view = check_random_access(&manifest, &mut store, Decryption::Owner(owners), &plain);
	// The view's key is the one owner_data_key recovers.
	let key = cess_client::owner_data_key(&manifest, &mut store, owners).unwrap();
	assert_eq!(view.data_key().unwrap().as_bytes(), key.as_bytes());

	// Another account's key does not open it; neither does the wrong mode.
	let segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
	let other = EncryptionSecret::from_account_seed(&[8; 32]).unwrap();
	assert!(matches!(
		PlainView::open(&manifest, Decryption::Owner(std::slice::from_ref(&other)), &segment0),
		Err(Error::WrongKey)
	));
	assert!(matches!(
		PlainView::open(&manifest, Decryption::Key(&DataKey::generate()), &segment0),
		Err(Error::WrongKey)
	));
	assert!(matches!(
		PlainView::open(&manifest, Decryption::Public, &segment0),
		Err(Error::EncryptionModeMismatch { actual: "encrypted", requested: "public" })
	));
}

#[test]
fn a_public_file_refuses_a_key() {
	let plain = data(FILE_LEN, 4);
	let (manifest, mut store) = encode_mem(&plain, None, &options(2, 2, SEGMENT)).unwrap();
	let segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
	assert!(matches!(
		PlainView::open(&manifest, Decryption::Key(&DataKey::generate()), &segment0),
		Err(Error::EncryptionModeMismatch { actual: "public", requested: "encrypted" })
	));
}

#[test]
fn altered_stored_bytes_fail_authentication() {
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 5);
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &options(2, 2, SEGMENT)).unwrap();
	let segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
	let view = PlainView::open(&manifest, Decryption::Key(&key), &segment0).unwrap();
	for segment in 0..view.segment_count() {
		let stored = read_stored_segment(&manifest, &mut store, segment).unwrap();
		for at in [0, stored.len() / 2, stored.len() - 1] {
			let mut altered = stored.clone();
			altered[at] ^= 0x01;
			assert!(
				view.plaintext(segment, &mut altered).is_err(),
				"segment {segment} byte {at} flipped"
			);
		}
		// Bytes of another segment of the same length do not pass for this one.
		if segment > 1 {
			let mut other = read_stored_segment(&manifest, &mut store, segment - 1).unwrap();
			if other.len() == stored.len() {
				assert!(matches!(
					view.plaintext(segment, &mut other),
					Err(Error::SegmentAuthenticationFailed { .. })
				));
			}
		}
	}
}

#[test]
fn wrong_lengths_and_segments_are_errors_not_panics() {
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 6);
	for key in [None, Some(&key)] {
		let (manifest, mut store) = encode_mem(&plain, key, &options(2, 2, SEGMENT)).unwrap();
		let decryption = key.map_or(Decryption::Public, Decryption::Key);
		let segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
		let view = PlainView::open(&manifest, decryption, &segment0).unwrap();
		let count = view.segment_count();
		let mut stored = read_stored_segment(&manifest, &mut store, 1).unwrap().to_vec();
		assert!(matches!(
			view.plaintext(1, &mut stored[1..]),
			Err(Error::SegmentLengthMismatch { segment: 1, .. })
		));
		stored.push(0);
		assert!(matches!(
			view.plaintext(1, &mut stored),
			Err(Error::SegmentLengthMismatch { segment: 1, .. })
		));
		assert!(matches!(view.plaintext(1, &mut []), Err(Error::SegmentLengthMismatch { .. })));
		assert!(matches!(view.plaintext(count, &mut stored), Err(Error::NoSuchSegment { .. })));
		assert!(matches!(
			read_stored_segment(&manifest, &mut store, count),
			Err(Error::NoSuchSegment { .. })
		));
		// Offsets past the end fall in the last segment.
		assert_eq!(view.segment_at(u64::MAX), count - 1);
	}
	// An encrypted view needs segment 0's header.
	let (manifest, _) = encode_mem(&plain, Some(&key), &options(2, 2, SEGMENT)).unwrap();
	assert!(PlainView::open(&manifest, Decryption::Key(&key), &[1, 2, 3]).is_err());
}

#[test]
fn lost_and_corrupted_fragments_are_reported() {
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 7);
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &options(2, 2, SEGMENT)).unwrap();
	let intact = read_stored_segment_report(&manifest, &mut store, 2).unwrap();
	assert!(!intact.reconstructed);
	assert_eq!(intact.fetched.requested, 2);
	corrupt(&mut store, 2, 0);
	store.remove(2, 1);
	let rebuilt = read_stored_segment_report(&manifest, &mut store, 2).unwrap();
	assert!(rebuilt.reconstructed);
	assert_eq!(rebuilt.fetched.corrupted, vec![(2, 0)]);
	assert_eq!(rebuilt.fetched.missing, 1);
	assert!(rebuilt.bytes == intact.bytes);
	store.remove(2, 2);
	assert!(matches!(
		read_stored_segment(&manifest, &mut store, 2),
		Err(Error::NotEnoughFragments { segment: 2, .. })
	));
}

#[test]
fn an_empty_file_is_one_segment_of_nothing() {
	let key = DataKey::generate();
	let (manifest, mut store) = encode_mem(&[], Some(&key), &options(2, 2, SEGMENT)).unwrap();
	let mut segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
	let view = PlainView::open(&manifest, Decryption::Key(&key), &segment0).unwrap();
	assert_eq!(view.plaintext_size(), 0);
	assert_eq!(view.segment_count(), 1);
	assert_eq!(view.chunk(0), (0, 0));
	assert_eq!(view.segment_at(0), 0);
	assert!(view.plaintext(0, &mut segment0).unwrap().is_empty());
	assert!(matches!(
		PlainView::open(&manifest, Decryption::Key(&DataKey::generate()), &segment0),
		Err(Error::WrongKey)
	));
}

#[test]
fn random_access_agrees_with_decode() {
	let key = DataKey::generate();
	let plain = data(FILE_LEN, 8);
	let (manifest, mut store) = encode_mem(&plain, Some(&key), &options(2, 2, SEGMENT)).unwrap();
	let mut whole = Vec::new();
	decode(&manifest, &mut store, Decryption::Key(&key), &mut whole).unwrap();
	let segment0 = read_stored_segment(&manifest, &mut store, 0).unwrap();
	let view = PlainView::open(&manifest, Decryption::Key(&key), &segment0).unwrap();
	// Segments in reverse order.
	let mut pieces = Vec::new();
	for segment in (0..view.segment_count()).rev() {
		let mut stored = read_stored_segment(&manifest, &mut store, segment).unwrap();
		pieces.push(view.plaintext(segment, &mut stored).unwrap().to_vec());
	}
	pieces.reverse();
	assert!(pieces.concat() == whole);
	assert!(whole == plain);
}

#[test]
fn views_are_shared_between_threads() {
	fn shareable<T: Send + Sync + Clone + 'static>() {}
	shareable::<PlainView>();
}
