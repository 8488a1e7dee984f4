//! A small random public file, encoded with the client pipeline, for store and server tests.

use cess_client::{encode, EncodeOptions, Encryption, FileManifest, MemStore};
use cess_primitives::types::{Column, ErasureProfile, SegmentIndex, BLOCK_BYTES};

/// A file's manifest and every fragment.
pub struct TestFile {
	pub manifest: FileManifest,
	pub fragments: MemStore,
}

impl TestFile {
	/// `size` bytes of a seeded byte pattern in segments of `blocks_per_fragment` blocks per data
	/// fragment, with profile `k + m`.
	pub fn new(k: u8, m: u8, blocks_per_fragment: u64, size: u64) -> Self {
		let mut x = size ^ 0x9e37_79b9_7f4a_7c15;
		let data: Vec<u8> = (0..size)
			.map(|_| {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				x as u8
			})
			.collect();
		let options = EncodeOptions {
			profile: ErasureProfile::new(k, m),
			segment_size: u64::from(k) * blocks_per_fragment * BLOCK_BYTES as u64,
			hash_threads: 1,
		};
		let mut fragments = MemStore::new();
		let manifest =
			encode(&data[..], size, Encryption::Public, &options, &mut fragments).expect("encodes");
		Self { manifest, fragments }
	}

	/// Fragment (`segment`, `column`).
	pub fn fragment(&self, segment: SegmentIndex, column: Column) -> &[u8] {
		self.fragments.fragment(segment, column).expect("every fragment is kept")
	}
}
