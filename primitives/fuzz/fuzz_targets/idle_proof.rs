//! Idle-space verification (generation check and space round) on arbitrary input: never panics.
//! The input is used three ways: as a proof of a fixed honest challenge, XORed into that
//! challenge's honest proof (to reach the climbs and root checks), and as the fields of made-up
//! samples and parameters.
#![no_main]
use cess_primitives::idle::check::Regenerate;
use cess_primitives::idle::hash::lower_root;
use cess_primitives::idle::{
    file_seed, generate, generation_challenge, prove_generation, prove_space, space_challenge,
    verify_generation, verify_space, BatchTree, GenSample, IdleBatch, IdleParams, LayerTree,
    SpaceOpening, SpaceSample,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const P: IdleParams = IdleParams { layer_labels_log2: 6, layers: 4, degree: 5 };
const MINER: [u8; 32] = [1; 32];
const GENESIS: [u8; 32] = [2; 32];

struct Case {
    batch: IdleBatch,
    gen_samples: Vec<GenSample>,
    gen_proof: Vec<u8>,
    space_samples: Vec<SpaceSample>,
    space_proof: Vec<u8>,
}

fn honest() -> &'static Case {
    static CASE: OnceLock<Case> = OnceLock::new();
    CASE.get_or_init(|| {
        let files: Vec<_> = (0..3u64)
            .map(|k| generate(&P, &file_seed(&MINER, 10 + k, &GENESIS)).unwrap())
            .collect();
        let commitments: Vec<_> = files.iter().map(|f| f.commitment()).collect();
        let tree = BatchTree::new(&P, 10, &commitments).unwrap();
        let batch = tree.batch();
        let gen_samples = generation_challenge(&P, &[7; 32], 3, 8);
        let mut regen = Regenerate::new(&P, &MINER, &GENESIS, 10);
        let gen_proof =
            prove_generation(&P, &tree, &gen_samples, |k, l| regen.layer_tree(k, l)).unwrap();
        assert_eq!(verify_generation(&P, &MINER, &GENESIS, &batch, &gen_samples, &gen_proof), Ok(()));
        let space_samples = space_challenge(&P, &[8; 32], &[batch], 8);
        let space_proof = prove_space(&P, &space_samples, |s| {
            let f = &files[s.file as usize];
            let lower = lower_root(&f.roots[..f.roots.len() - 1]);
            Ok::<_, ()>(
                SpaceOpening::from_trees(s, &LayerTree::new(&f.last), lower, &tree).unwrap(),
            )
        })
        .unwrap();
        assert_eq!(verify_space(&P, &space_samples, &space_proof), Ok(()));
        Case { batch, gen_samples, gen_proof, space_samples, space_proof }
    })
}

fn xor(proof: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = proof.to_vec();
    for (i, b) in data.iter().enumerate() {
        let j = i % out.len();
        out[j] ^= b;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let c = honest();
    let _ = verify_generation(&P, &MINER, &GENESIS, &c.batch, &c.gen_samples, data);
    let _ = verify_space(&P, &c.space_samples, data);
    if data.iter().any(|b| *b != 0) {
        // A changed proof of an honest challenge never verifies (or it was a no-op XOR).
        let g = xor(&c.gen_proof, data);
        assert!(
            g == c.gen_proof
                || verify_generation(&P, &MINER, &GENESIS, &c.batch, &c.gen_samples, &g).is_err()
        );
        let s = xor(&c.space_proof, data);
        assert!(s == c.space_proof || verify_space(&P, &c.space_samples, &s).is_err());
    }
    // Made-up parameters and samples: fields straight from the input.
    if data.len() >= 3 {
        let p = IdleParams { layer_labels_log2: data[0] % 12, layers: data[1] % 8, degree: data[2] % 40 };
        let made_up: Vec<GenSample> = data[3..]
            .chunks_exact(12)
            .take(8)
            .map(|x| GenSample {
                file: u32::from_le_bytes(x[0..4].try_into().unwrap()) % 8,
                layer: u32::from_le_bytes(x[4..8].try_into().unwrap()) % 10,
                node: u32::from_le_bytes(x[8..12].try_into().unwrap()),
            })
            .collect();
        let _ = verify_generation(&p, &MINER, &GENESIS, &c.batch, &made_up, data);
        let _ = verify_generation(&p, &MINER, &GENESIS, &c.batch, &made_up, &c.gen_proof);
        let spaced: Vec<SpaceSample> = made_up
            .iter()
            .map(|g| SpaceSample { batch: c.batch, file: g.file, node: g.node })
            .collect();
        let _ = verify_space(&p, &spaced, data);
        let _ = verify_space(&p, &spaced, &c.space_proof);
    }
});
