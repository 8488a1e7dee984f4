//! Sample-list and Merkle-proof decoding on arbitrary input: never panics; round-trips.
#![no_main]
use cess_primitives::merkle::{verify_block, MerkleProof};
use cess_primitives::podr2::{decode_samples, encode_samples};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = decode_samples(data) {
        assert_eq!(encode_samples(&s), data);
    }
    if let Ok(p) = MerkleProof::from_bytes(data) {
        assert_eq!(p.to_bytes(), data);
        let _ = verify_block(&[0; 32], p.index, &[0u8; 1984], &p);
    }
});
