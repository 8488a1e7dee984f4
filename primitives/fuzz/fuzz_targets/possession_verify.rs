//! PoDR² v2 verification on arbitrary input: never panics. The input is used three ways: as a
//! proof of a fixed honest challenge, XORed into that challenge's honest proof (to reach the
//! climbs and root checks), and as the fields of made-up samples.
#![no_main]
use cess_primitives::layout::FileLayout;
use cess_primitives::possession::challenge::{expand, Holding, Sample};
use cess_primitives::possession::proof::{prove, verify, SamplePath};
use cess_primitives::possession::tree::{FileTree, FragmentTree};
use cess_primitives::types::ErasureProfile;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn honest() -> &'static (Vec<Sample>, Vec<u8>) {
    static CASE: OnceLock<(Vec<Sample>, Vec<u8>)> = OnceLock::new();
    CASE.get_or_init(|| {
        let layout = FileLayout::new(9_000, 4096, ErasureProfile::new(2, 1)).unwrap();
        let data: Vec<Vec<Vec<u8>>> = (0..layout.segment_count())
            .map(|s| {
                (0..3u8)
                    .map(|c| vec![s as u8 ^ c.wrapping_mul(31); layout.fragment_len(s) as usize])
                    .collect()
            })
            .collect();
        let trees: Vec<Vec<FragmentTree>> =
            data.iter().map(|seg| seg.iter().map(|f| FragmentTree::new(f)).collect()).collect();
        let hashes: Vec<_> = trees.iter().flatten().map(FragmentTree::root).collect();
        let file = FileTree::new(&hashes);
        let h = Holding { file_id: file.root(), column: 2, layout };
        let samples = expand(&[7; 32], 16, &[(h.class().unwrap(), 1)], |_, _| Some(h));
        let proof = prove(&samples, |s| {
            let frag = &data[s.segment as usize][usize::from(s.column)];
            let mut leaf = [0u8; 256];
            let start = s.offset() as usize;
            let end = (start + 256).min(frag.len());
            leaf[..end - start].copy_from_slice(&frag[start..end]);
            Ok::<_, ()>(SamplePath {
                leaf,
                fragment_path: trees[s.segment as usize][usize::from(s.column)]
                    .path(u64::from(s.leaf))
                    .unwrap(),
                file_path: file.path(s.fragment_index() as u32).unwrap(),
            })
        })
        .unwrap();
        assert_eq!(verify(&samples, &proof), Ok(()));
        (samples, proof)
    })
}

fuzz_target!(|data: &[u8]| {
    let (samples, proof) = honest();
    let _ = verify(samples, data);
    let mut mutated = proof.clone();
    for (i, b) in data.iter().enumerate() {
        let j = i % mutated.len();
        mutated[j] ^= b;
    }
    if data.iter().any(|b| *b != 0) {
        // A changed proof of an honest challenge never verifies (or it was a no-op XOR).
        assert!(mutated == *proof || verify(samples, &mutated).is_err());
    }
    // Made-up samples: fields straight from the input.
    let made_up: Vec<Sample> = data
        .chunks_exact(24)
        .take(8)
        .map(|c| Sample {
            file_id: [c[0]; 32],
            segment: u32::from_le_bytes(c[1..5].try_into().unwrap()),
            column: u16::from_le_bytes(c[5..7].try_into().unwrap()),
            leaf: u32::from_le_bytes(c[7..11].try_into().unwrap()),
            segments: u32::from_le_bytes(c[11..15].try_into().unwrap()),
            width: u16::from_le_bytes(c[15..17].try_into().unwrap()),
            fragment_len: u32::from_le_bytes(c[17..21].try_into().unwrap()),
        })
        .collect();
    let _ = verify(&made_up, data);
    let _ = verify(&made_up, proof);
});
