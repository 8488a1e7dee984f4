//! A miner-protocol frame from untrusted bytes (what a miner or client reads off a libp2p
//! stream): errors, never panics; what parses re-encodes to the same frame.
#![no_main]

use cess_client::net::{
	message::{from_frame, to_frame},
	Request, Response,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(request) = from_frame::<Request>(data) {
		assert_eq!(to_frame(&request), data);
		let _ = request.protocol();
	}
	if let Ok(response) = from_frame::<Response>(data) {
		assert_eq!(to_frame(&response), data);
	}
});
