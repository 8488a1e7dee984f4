//! Public key, proof of possession, secret key and tag decoding on arbitrary input: never
//! panics; decoded keys round-trip.
#![no_main]
use cess_primitives::podr2::{
    tags_from_bytes, verify_pop_bytes, ProofOfPossession, PublicKey, SecretKey,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pk) = PublicKey::from_bytes(data) {
        assert_eq!(&pk.to_bytes()[..], data);
    }
    if let Ok(pop) = ProofOfPossession::from_bytes(data) {
        assert_eq!(&pop.to_bytes()[..], data);
    }
    if let Ok(sk) = SecretKey::from_bytes(data) {
        assert_eq!(&sk.to_bytes()[..], data);
    }
    let _ = tags_from_bytes(data);
    if data.len() >= 144 {
        let _ = verify_pop_bytes(&data[..96], b"account", &data[96..144]);
    }
});
