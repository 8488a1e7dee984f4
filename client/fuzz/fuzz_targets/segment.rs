//! Segment framing from untrusted bytes: a downloaded segment (its header too, for segment 0)
//! is parsed and opened with a fixed key. Errors, never panics; nothing forged authenticates.
#![no_main]

use cess_client::{
	crypto::aead::{key_check, SegmentCipher},
	format::{Cipher, StreamHeader},
	DataKey,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let Some((&index, rest)) = data.split_first() else { return };
	let key = DataKey::from_bytes([7; 32]);
	let mut segment = rest.to_vec();

	// As segment 0 of whatever stream its own header describes.
	if let Ok(header) = StreamHeader::decode(&segment) {
		if let Ok(cipher) = SegmentCipher::new(&key, &header) {
			let opened = cipher.open_segment(0, &mut segment);
			assert!(opened.is_err(), "a forged segment authenticated");
		}
	}

	// As segment `index` of a fixed stream.
	let salt = [1u8; 16];
	let header = StreamHeader {
		cipher: Cipher::Aes256Gcm,
		plaintext_size: 10_000,
		segment_size: 2_048,
		salt,
		key_check: key_check(&key, &salt),
	};
	let cipher = SegmentCipher::new(&key, &header).expect("valid header");
	let mut segment = rest.to_vec();
	assert!(cipher.open_segment(u32::from(index), &mut segment).is_err());
});
