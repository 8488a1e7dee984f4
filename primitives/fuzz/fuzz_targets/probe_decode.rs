//! Multiaddrs (from the chain, registered by miners) and probe request paths (what a miner's HTTP
//! server is asked) on arbitrary input: never panic; parsed endpoints are plain
//! `http://host:port` strings; parsed paths re-encode to the same path. (Probe answers are PoDR²
//! proofs: `possession_verify` covers them.)
#![no_main]
use cess_primitives::probe::{http_endpoint, parse_probe_path, probe_path};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(endpoint) = http_endpoint(data) {
        assert!(endpoint.starts_with("http://"));
        assert!(!endpoint.contains('/') || endpoint.matches('/').count() == 2);
    }
    if let Ok(path) = core::str::from_utf8(data) {
        if let Some((file_id, segment, column, leaf)) = parse_probe_path(path) {
            // Decimal numbers may carry leading zeros; the canonical path must parse the same.
            let canonical = probe_path(&file_id, segment, column, leaf);
            assert_eq!(parse_probe_path(&canonical), Some((file_id, segment, column, leaf)));
        }
    }
});
