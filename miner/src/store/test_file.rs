//! A small random public file, encoded with the client pipeline, for store and server tests.

use cess_client::{encode, EncodeOptions, Encryption, FileManifest, MemStore};
use cess_primitives::types::{Column, ErasureProfile, SegmentIndex, LEAF_BYTES};

/// A file's manifest and every fragment.
pub struct TestFile {
	pub manifest: FileManifest,
	pub fragments: MemStore,
}

impl TestFile {
	/// `size` bytes of a seeded byte pattern in segments of `leaves_per_fragment` leaves per data
	/// fragment, with profile `k + m`.
	pub fn new(k: u8, m: u8, leaves_per_fragment: u64, size: u64) -> Self {
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
			segment_size: u64::from(k) * leaves_per_fragment * LEAF_BYTES as u64,
			hash_threads: 1,
		};
		let mut fragments = MemStore::new();
		let manifest =
			encode(&data[..], size, Encryption::Public, &options, &mut fragments).expect("encodes");
		Self { manifest, fragments }
	}

	/// Puts every fragment of `column` into `store`.
	pub fn put_column(&self, store: &super::FragmentStore, column: Column) {
		let layout = self.manifest.layout();
		for seg in 0..layout.segment_count() {
			let hash = self.manifest.fragment_hash(seg, column).expect("column in the profile");
			store.put_fragment(hash, self.fragment(seg, column)).expect("fragment");
		}
	}

	/// Fragment (`segment`, `column`).
	pub fn fragment(&self, segment: SegmentIndex, column: Column) -> &[u8] {
		self.fragments.fragment(segment, column).expect("every fragment is kept")
	}
}
