//! Proof decoding and byte-level verification on arbitrary input: must never panic, and a
//! successfully decoded proof must re-encode to the same bytes.
#![no_main]
use cess_primitives::podr2::{
    encode_samples, verify_proof_bytes, Params, Proof, Sample, SecretKey,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = u32::from(data.first().copied().unwrap_or(0) % 70);
    let body = data.get(1..).unwrap_or(&[]);
    if let Ok(params) = Params::new(s) {
        if let Ok(p) = Proof::from_bytes(body, params) {
            assert_eq!(p.to_bytes(), body);
        }
    }
    // Split the input into (samples, proof) and run the host-function entry point.
    let sample = Sample {
        file_id: [3; 32],
        segment: 0,
        column: 0,
        block: 0,
        coeff: [1; 16],
    };
    // A valid key, so the curve checks and the pairing path are reached.
    let pk = SecretKey::from_seed(&[1; 32]).public_key().to_bytes();
    let _ = verify_proof_bytes(&pk, &encode_samples(&[sample]), body, s);
});
