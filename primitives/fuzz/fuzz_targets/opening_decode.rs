//! Opening-proof decoding (and byte-level verification) on arbitrary input: never panics;
//! decoded proofs round-trip.
#![no_main]
use cess_primitives::podr2::{verify_opening_bytes, OpeningProof, SecretKey};
use cess_primitives::types::ErasureProfile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(op) = OpeningProof::from_bytes(data) {
        assert_eq!(op.to_bytes(), data);
        let indices: Vec<u32> = op.entries.iter().map(|e| e.block).collect();
        // A valid key, so the Merkle, tag and pairing checks are reached.
        let pk = SecretKey::from_seed(&[1; 32]).public_key().to_bytes();
        let profile = ErasureProfile::new(2, 1);
        let (seg, col) = (
            op.fragment_proof.index / 3,
            (op.fragment_proof.index % 3) as u16,
        );
        for s in [16, 64] {
            let _ = verify_opening_bytes(&pk, &[0; 32], seg, col, &profile, &indices, data, s);
        }
    }
});
