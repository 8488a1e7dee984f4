//! Failures are clean, typed and say what happened.

mod common;

use std::io::{self, Read};

use cess_client::{
	decode, encode, format::HEADER_LEN, unwrap_key, wrap_key, DataKey, Decryption, DirStore,
	Encryption, EncryptionSecret, Error, MemStore,
};
use common::{data, decode_mem, encode_mem, options};

const SEGMENT: u64 = 10_000;

#[test]
fn wrong_data_key_fails_with_wrong_key_and_writes_nothing() {
	let key = DataKey::generate();
	let (manifest, mut store) =
		encode_mem(&data(30_000, 1), Some(&key), &options(2, 2, SEGMENT)).unwrap();
	let mut out = Vec::new();
	let err =
		decode(&manifest, &mut store, Decryption::Key(&DataKey::generate()), &mut out).unwrap_err();
	assert!(matches!(err, Error::WrongKey), "{err}");
	assert!(err.to_string().contains("unwrap the key"));
	assert!(out.is_empty());
}

#[test]
fn wrong_account_cannot_unwrap_the_data_key() {
	let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
	let stranger = EncryptionSecret::from_account_seed(&[2; 32]).unwrap();
	let key = DataKey::generate();
	let wrapped = wrap_key(&key, &owner.public_key()).unwrap();
	assert!(matches!(unwrap_key(&wrapped, &stranger), Err(Error::KeyUnwrapFailed)));
	assert_eq!(unwrap_key(&wrapped, &owner).unwrap(), key);
}

#[test]
fn decryption_mode_must_match_the_manifest() {
	let key = DataKey::generate();
	let (public, mut public_store) =
		encode_mem(&data(100, 2), None, &options(1, 1, SEGMENT)).unwrap();
	let (secret, mut secret_store) =
		encode_mem(&data(100, 2), Some(&key), &options(1, 1, SEGMENT)).unwrap();
	assert!(matches!(
		decode_mem(&public, &mut public_store, Some(&key)),
		Err(Error::EncryptionModeMismatch { actual: "public", requested: "encrypted" })
	));
	assert!(matches!(
		decode_mem(&secret, &mut secret_store, None),
		Err(Error::EncryptionModeMismatch { actual: "encrypted", requested: "public" })
	));
}

#[test]
fn public_mode_stores_the_plaintext_itself() {
	let plain = data(5000, 3);
	let (manifest, store) = encode_mem(&plain, None, &options(1, 1, SEGMENT)).unwrap();
	assert!(!manifest.is_encrypted());
	// With k = 1 the single data fragment is the (zero-padded) plaintext.
	let fragment = store.fragment(0, 0).unwrap();
	assert_eq!(&fragment[..plain.len()], &plain[..]);
	assert!(fragment[plain.len()..].iter().all(|b| *b == 0));

	// Encrypted, nothing of the plaintext is visible and the header leads segment 0.
	let key = DataKey::generate();
	let (manifest, store) = encode_mem(&plain, Some(&key), &options(1, 1, SEGMENT)).unwrap();
	assert!(manifest.is_encrypted());
	let fragment = store.fragment(0, 0).unwrap();
	assert_eq!(&fragment[..4], b"CESF");
	assert!(fragment[HEADER_LEN..HEADER_LEN + 64] != plain[..64]);
}

#[test]
fn input_shorter_or_longer_than_declared_is_refused() {
	let plain = data(25_000, 4);
	let opts = options(2, 1, SEGMENT);
	for key in [None, Some(DataKey::generate())] {
		let enc = key.as_ref().map_or(Encryption::Public, Encryption::Encrypted);
		let err = encode(&plain[..], 30_000, enc, &opts, &mut MemStore::new()).unwrap_err();
		assert!(
			matches!(
				err,
				Error::InputLengthMismatch { declared: 30_000, read: 25_000, longer: false }
			),
			"{err}"
		);
		let err = encode(&plain[..], 20_000, enc, &opts, &mut MemStore::new()).unwrap_err();
		assert!(
			matches!(err, Error::InputLengthMismatch { declared: 20_000, longer: true, .. }),
			"{err}"
		);
	}
}

/// A reader that hands out data in odd-sized pieces and is interrupted now and then.
struct Choppy<'a> {
	data: &'a [u8],
	calls: usize,
}

impl Read for Choppy<'_> {
	fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
		self.calls += 1;
		if self.calls.is_multiple_of(5) {
			return Err(io::Error::new(io::ErrorKind::Interrupted, "try again"));
		}
		let n = buf.len().min(self.data.len()).min(777);
		buf[..n].copy_from_slice(&self.data[..n]);
		self.data = &self.data[n..];
		Ok(n)
	}
}

#[test]
fn short_reads_and_interruptions_are_handled() {
	let plain = data(40_000, 5);
	let key = DataKey::generate();
	let opts = options(3, 2, SEGMENT);
	let mut store = MemStore::new();
	let reader = Choppy { data: &plain, calls: 0 };
	let manifest =
		encode(reader, plain.len() as u64, Encryption::Encrypted(&key), &opts, &mut store).unwrap();
	let (out, _) = decode_mem(&manifest, &mut store, Some(&key)).unwrap();
	assert!(out == plain);
}

#[test]
fn reader_errors_are_reported_as_io_errors() {
	struct Broken;
	impl Read for Broken {
		fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
			Err(io::Error::other("disk on fire"))
		}
	}
	let err = encode(Broken, 10, Encryption::Public, &options(1, 1, SEGMENT), &mut MemStore::new())
		.unwrap_err();
	assert!(matches!(err, Error::Io { .. }));
	assert!(err.to_string().contains("disk on fire"));
}

#[test]
fn dir_store_round_trip_with_saved_manifest() {
	let dir = tempfile::tempdir().unwrap();
	let key = DataKey::generate();
	let plain = data(33_333, 6);
	let opts = options(2, 4, SEGMENT);
	let mut store = DirStore::create(dir.path()).unwrap();
	let manifest =
		encode(&plain[..], plain.len() as u64, Encryption::Encrypted(&key), &opts, &mut store)
			.unwrap();
	store.save_manifest(&manifest).unwrap();

	let mut reopened = DirStore::open(dir.path()).unwrap();
	let loaded = reopened.load_manifest().unwrap();
	assert_eq!(loaded, manifest);
	// Lose four columns entirely (four miners gone) and truncate one more fragment.
	for column in [0u16, 2, 3, 5] {
		std::fs::remove_dir_all(dir.path().join(format!("col-{column:02}"))).unwrap();
	}
	let mut out = Vec::new();
	let report = decode(&loaded, &mut reopened, Decryption::Key(&key), &mut out).unwrap();
	assert!(out == plain);
	// Columns 0, 2 and 3 are asked for; 1 and 4 are intact, so column 5 is never needed.
	assert_eq!(report.fetched.missing, 3 * u64::from(report.segments));
	assert_eq!(report.segments_reconstructed, report.segments);

	std::fs::write(reopened.fragment_path(1, 1), b"short").unwrap();
	let err = decode(&loaded, &mut reopened, Decryption::Key(&key), &mut Vec::new()).unwrap_err();
	assert!(matches!(
		err,
		Error::NotEnoughFragments { segment: 1, valid: 1, corrupted: 1, missing: 4, .. }
	));
}
