//! Probe responses (from miners), multiaddrs (from the chain, registered by miners) and probe
//! request paths (what a miner's HTTP server is asked) on arbitrary input: never panic; decoded
//! responses round-trip; parsed endpoints are plain `http://host:port` strings; parsed paths
//! re-encode to the same path.
#![no_main]
use cess_primitives::probe::{http_endpoint, parse_probe_path, probe_path, ProbeResponse};
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
    if let Ok(path) = core::str::from_utf8(data) {
        if let Some((file_id, segment, column, block)) = parse_probe_path(path) {
            // Decimal numbers may carry leading zeros; the canonical path must parse the same.
            let canonical = probe_path(&file_id, segment, column, block);
            assert_eq!(parse_probe_path(&canonical), Some((file_id, segment, column, block)));
        }
    }
});
