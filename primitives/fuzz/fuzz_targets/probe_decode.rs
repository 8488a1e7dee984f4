//! Probe responses (from miners) and multiaddrs (from the chain, registered by miners) on
//! arbitrary input: never panic; decoded responses round-trip; parsed endpoints are plain
//! `http://host:port` strings.
#![no_main]
use cess_primitives::probe::{http_endpoint, ProbeResponse};
use cess_primitives::types::ErasureProfile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = ProbeResponse::from_bytes(data) {
        assert_eq!(r.to_bytes(), data);
        let profile = ErasureProfile::new(2, 1);
        let (seg, col) = (
            r.fragment_proof.index / 3,
            (r.fragment_proof.index % 3) as u16,
        );
        let _ = r.verify(&[0; 32], &profile, seg, col, r.block_proof.index);
    }
    if let Some(endpoint) = http_endpoint(data) {
        assert!(endpoint.starts_with("http://"));
        assert!(!endpoint.contains('/') || endpoint.matches('/').count() == 2);
    }
});
