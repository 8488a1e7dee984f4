//! Helpers shared by the integration tests.
#![allow(dead_code)]

use cess_client::{
	decode, encode, DataKey, DecodeReport, Decryption, EncodeOptions, Encryption, FileManifest,
	MemStore, Result,
};
use cess_primitives::types::ErasureProfile;

/// Deterministic pseudo-random bytes (xorshift64*), different for every `seed`.
pub fn data(len: usize, seed: u64) -> Vec<u8> {
	let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
	(0..len)
		.map(|_| {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			(x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
		})
		.collect()
}

/// Options with a small segment size so small inputs span several segments.
pub fn options(k: u8, m: u8, segment_size: u64) -> EncodeOptions {
	EncodeOptions { profile: ErasureProfile::new(k, m), segment_size, hash_threads: 1 }
}

/// Encodes `plain` into a fresh [`MemStore`].
pub fn encode_mem(
	plain: &[u8],
	key: Option<&DataKey>,
	options: &EncodeOptions,
) -> Result<(FileManifest, MemStore)> {
	let mut store = MemStore::new();
	let encryption = key.map_or(Encryption::Public, Encryption::Encrypted);
	let manifest = encode(plain, plain.len() as u64, encryption, options, &mut store)?;
	Ok((manifest, store))
}

/// Decodes from `store` into a vector.
pub fn decode_mem(
	manifest: &FileManifest,
	store: &mut MemStore,
	key: Option<&DataKey>,
) -> Result<(Vec<u8>, DecodeReport)> {
	let decryption = key.map_or(Decryption::Public, Decryption::Key);
	let mut out = Vec::new();
	let report = decode(manifest, store, decryption, &mut out)?;
	Ok((out, report))
}

/// Flips one bit in the middle of a stored fragment.
pub fn corrupt(store: &mut MemStore, segment: u32, column: u16) {
	let fragment = store.fragment_mut(segment, column).expect("fragment is stored");
	let mid = fragment.len() / 2;
	fragment[mid] ^= 0x10;
}

/// Stores a fragment (to put a rebuilt one back).
pub fn put(store: &mut MemStore, segment: u32, column: u16, data: &[u8]) {
	use cess_client::FragmentSink;
	store.put(segment, column, data).expect("memory store accepts everything");
}
