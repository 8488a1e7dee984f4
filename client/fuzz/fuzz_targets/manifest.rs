//! A file manifest from untrusted bytes: errors, never panics, never allocates more than the
//! input justifies; what parses re-encodes to the same bytes.
#![no_main]

use cess_client::FileManifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(manifest) = FileManifest::decode(data) {
		assert_eq!(manifest.to_bytes(), data);
		let _ = manifest.plaintext_size();
	}
});
