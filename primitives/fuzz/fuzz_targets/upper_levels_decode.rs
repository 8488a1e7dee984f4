//! The miner's stored upper levels on arbitrary input: decoding never panics, a decoded value
//! re-encodes to the same bytes, and asking it for paths with made-up chunks never panics.
#![no_main]
use cess_primitives::possession::tree::UpperLevels;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(upper) = UpperLevels::from_bytes(data) {
        assert_eq!(upper.to_bytes(), data);
        let _ = upper.root();
        for index in [0u64, 1, 17, upper.len() / 256, u64::MAX] {
            let r = upper.chunk_range(index);
            let len = (r.end - r.start).min(1 << 16) as usize;
            let _ = upper.path(index, &data[..len.min(data.len())]);
            let _ = upper.path(index, &vec![0u8; len]);
        }
    }
});
