//! The header of an encrypted stream, from untrusted bytes: errors, never panics; what parses
//! re-encodes to the same bytes and describes a valid layout.
#![no_main]

use cess_client::format::{StreamHeader, HEADER_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(header) = StreamHeader::decode(data) {
		assert_eq!(&header.to_bytes()[..], &data[..HEADER_LEN]);
		let layout = header.layout();
		assert!(layout.stream_size() >= layout.plaintext_size());
		let _ = layout.segment_len(layout.last_segment());
	}
});
