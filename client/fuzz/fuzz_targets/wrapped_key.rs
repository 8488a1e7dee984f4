//! A wrapped data key from untrusted bytes: errors, never panics; what parses re-encodes to the
//! same bytes, and forged keys do not open.
#![no_main]

use cess_client::{unwrap_key, EncryptionSecret, WrappedKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(wrapped) = WrappedKey::decode(data) {
		assert_eq!(wrapped.to_bytes(), data);
		let secret = EncryptionSecret::from_account_seed(&[9; 32]).expect("32-byte seed");
		assert!(unwrap_key(&wrapped, &secret).is_err(), "a forged wrapped key opened");
	}
});
