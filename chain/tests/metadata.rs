//! The typed interface is generated from `metadata/cess.scale`; this test fails when the runtime's
//! metadata has changed since, and rewrites the file when run with `CESS_WRITE_METADATA=1`:
//!
//! ```sh
//! CESS_WRITE_METADATA=1 cargo test -p cess-chain --test metadata
//! ```
//!
//! Constant values (which `fast-runtime` changes) are not compared: the generated code checks
//! only their types.

use std::{fs, path::PathBuf};
use subxt::metadata::Metadata;

const VERSION: u32 = 16;

fn checked_in() -> PathBuf {
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("metadata/cess.scale")
}

#[test]
fn checked_in_metadata_matches_the_runtime() {
	let fresh: Vec<u8> = cess_runtime::Runtime::metadata_at_version(VERSION)
		.expect("the runtime serves metadata v16")
		.to_vec();
	if std::env::var_os("CESS_WRITE_METADATA").is_some() {
		fs::write(checked_in(), &fresh).expect("write metadata/cess.scale");
		return;
	}
	let stored = fs::read(checked_in()).expect("metadata/cess.scale is checked in");
	let hash = |bytes: &[u8]| Metadata::decode_from(bytes).expect("valid metadata").hasher().hash();
	assert!(
		hash(&stored) == hash(&fresh),
		"chain/metadata/cess.scale is out of date with the runtime: regenerate it with \
		 `CESS_WRITE_METADATA=1 cargo test -p cess-chain --test metadata` and commit it"
	);
}
