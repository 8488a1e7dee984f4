//! Decoders of untrusted bytes return errors on truncated, oversized and random input and never
//! panic. (The fuzz targets under `fuzz/` explore the same decoders far more deeply.)

mod common;

use cess_client::{
	crypto::aead::{key_check, SegmentCipher},
	format::{Cipher, StreamHeader},
	unwrap_key, wrap_key, DataKey, EncryptionSecret, Error, FileManifest, WrappedKey,
};
use common::{data, encode_mem, options};

/// Random inputs of many lengths, plus valid encodings with random bytes overwritten.
fn inputs(valid: &[u8], seed: u64) -> Vec<Vec<u8>> {
	let mut out = Vec::new();
	for len in 0..=valid.len() + 40 {
		out.push(data(len, seed ^ len as u64));
		out.push(valid.iter().copied().chain(data(40, seed)).take(len).collect());
	}
	for i in 0..valid.len() {
		for v in [0u8, 1, 0x80, 0xff] {
			let mut b = valid.to_vec();
			b[i] = v;
			out.push(b);
		}
	}
	out
}

#[test]
fn stream_header_decoder_never_panics() {
	let key = DataKey::from_bytes([1; 32]);
	let salt = [2; 16];
	let header = StreamHeader {
		cipher: Cipher::Aes256Gcm,
		plaintext_size: 123_456,
		segment_size: 4096,
		salt,
		key_check: key_check(&key, &salt),
	};
	let valid = header.to_bytes();
	let mut accepted = 0;
	for input in inputs(&valid, 1) {
		if let Ok(h) = StreamHeader::decode(&input) {
			accepted += 1;
			assert_eq!(h.to_bytes()[..], input[..56]);
		}
	}
	assert!(accepted > 0, "the unmodified header must parse");
}

#[test]
fn segment_framing_never_panics_and_rejects_forgeries() {
	let key = DataKey::from_bytes([1; 32]);
	let (manifest, store) = encode_mem(&data(9000, 5), Some(&key), &options(1, 1, 4096)).unwrap();
	let segment0 = &store.fragment(0, 0).unwrap()[..manifest.layout().segment_len(0) as usize];
	let header = StreamHeader::decode(segment0).unwrap();
	let cipher = SegmentCipher::new(&key, &header).unwrap();
	assert!(cipher.open_segment(0, &mut segment0.to_vec()).is_ok());
	for (n, mut input) in inputs(segment0, 2).into_iter().enumerate() {
		if input == segment0 {
			continue;
		}
		let index = (n % 4) as u32;
		assert!(cipher.open_segment(index, &mut input).is_err());
	}
}

#[test]
fn wrapped_key_decoder_never_panics() {
	let owner = EncryptionSecret::from_account_seed(&[3; 32]).unwrap();
	let valid = wrap_key(&DataKey::generate(), &owner.public_key()).unwrap().to_bytes();
	for input in inputs(&valid, 3) {
		if let Ok(wrapped) = WrappedKey::decode(&input) {
			assert_eq!(wrapped.to_bytes(), input);
			if input != valid {
				assert!(matches!(unwrap_key(&wrapped, &owner), Err(Error::KeyUnwrapFailed)));
			}
		}
	}
}

#[test]
fn manifest_decoder_never_panics() {
	let (manifest, _) = encode_mem(&data(9000, 6), None, &options(2, 2, 4096)).unwrap();
	let valid = manifest.to_bytes();
	for input in inputs(&valid, 4) {
		if let Ok(m) = FileManifest::decode(&input) {
			assert_eq!(m.to_bytes(), input);
		}
	}
	// A huge declared count with a short body is refused before anything is allocated.
	let mut huge = valid[..60].to_vec();
	huge[56..60].copy_from_slice(&u32::MAX.to_le_bytes());
	assert!(matches!(FileManifest::decode(&huge), Err(Error::Malformed { .. })));
}
