//! Known-answer tests: fixed seeds → fixed keys, tags, Merkle roots, samples, proofs and
//! openings, checked into `tests/vectors/podr2_v1.json`.
//!
//! Regenerate (only when the format deliberately changes) with
//! `CESS_REGENERATE_VECTORS=1 cargo test --test known_answers`.

mod common;

use cess_primitives::layout::FileLayout;
use cess_primitives::merkle::{blake2_256, file_tree, fragment_hash, fragment_tree};
use cess_primitives::podr2::*;
use cess_primitives::types::{ErasureProfile, FragmentHash};
use common::det_bytes;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct CaseVectors {
	s: u32,
	tags: Vec<String>,
	samples: String,
	proof: String,
	opening_indices: Vec<u32>,
	opening_blake2_256: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Vectors {
	description: String,
	key_seed: String,
	secret_key_le: String,
	public_key: String,
	pop_account_id: String,
	pop: String,
	fragment_data_blake2_256: String,
	fragment_hashes: Vec<String>,
	file_id: String,
	fragment_proof: String,
	block_proof_3: String,
	name: String,
	challenge_seed: String,
	cases: Vec<CaseVectors>,
}

fn compute() -> Vectors {
	let key_seed = [0x5a; 32];
	let sk = SecretKey::from_seed(&key_seed);
	let pk = sk.public_key();
	let account = [0x11; 32];
	let pop = sk.prove_possession(&account);
	let profile = ErasureProfile::new(2, 1);
	// One segment of 3 fragments of 5 blocks each; column 1 is the one we tag.
	let frags: Vec<Vec<u8>> = (0..3u8).map(|c| det_bytes(&[b'v', c], 5 * 1984)).collect();
	let hashes: Vec<FragmentHash> = frags.iter().map(|f| fragment_hash(f)).collect();
	let ftree = file_tree(&hashes);
	let fid = ftree.root();
	let nm = name(&fid, 0, 1);
	let layout = FileLayout::new(2 * 5 * 1984, 32 << 20, profile).unwrap();
	let cseed = challenge_seed(&[0x77; 32], 3, &account);
	let mut cases = Vec::new();
	for s in [16u32, 64] {
		let params = Params::new(s).unwrap();
		let tags = Tagger::new(&sk, params).tag_fragment(&nm, &frags[1]);
		let samples = expand_challenge(&cseed, 8, 1, params, |_| Some((fid, 1, layout))).unwrap();
		let items: Vec<ChallengedBlock<'_>> = samples
			.iter()
			.map(|smp| {
				let bb = params.block_bytes();
				let start = smp.block as usize * bb;
				ChallengedBlock {
					sample: *smp,
					data: &frags[1][start..(start + bb).min(frags[1].len())],
					tag: tags[smp.block as usize],
				}
			})
			.collect();
		let proof = prove(&items, params).unwrap();
		let blocks = params.blocks_in(frags[1].len() as u64) as u32;
		let idx = opening_indices(&cseed, 3, blocks);
		let opening = build_opening(&frags[1], ftree.proof(1), &tags, &idx, params).unwrap();
		cases.push(CaseVectors {
			s,
			tags: tags.iter().map(|t| hex::encode(t.0)).collect(),
			samples: hex::encode(encode_samples(&samples)),
			proof: hex::encode(proof.to_bytes()),
			opening_indices: idx,
			opening_blake2_256: hex::encode(blake2_256(&opening.to_bytes())),
		});
	}
	Vectors {
        description: "cess-primitives PoDR2 v1 known answers. Fragments: column c of one segment = first 5*1984 bytes of the stream Blake2b-256([0x76, c] ++ le32(i)), i = 0,1,..; tagged column = 1; k=2, m=1".into(),
        key_seed: hex::encode(key_seed),
        secret_key_le: hex::encode(sk.to_bytes()),
        public_key: hex::encode(pk.to_bytes()),
        pop_account_id: hex::encode(account),
        pop: hex::encode(pop.to_bytes()),
        fragment_data_blake2_256: hex::encode(blake2_256(&frags[1])),
        fragment_hashes: hashes.iter().map(hex::encode).collect(),
        file_id: hex::encode(fid),
        fragment_proof: hex::encode(ftree.proof(1).to_bytes()),
        block_proof_3: hex::encode(fragment_tree(&frags[1]).proof(3).to_bytes()),
        name: hex::encode(nm),
        challenge_seed: hex::encode(cseed),
        cases,
    }
}

fn path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/podr2_v1.json")
}

#[test]
fn known_answers_match() {
	let got = compute();
	if std::env::var_os("CESS_REGENERATE_VECTORS").is_some() {
		std::fs::write(path(), serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
	}
	let want: Vectors = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
	assert_eq!(got, want);
}

/// The checked-in vectors verify with the public entry points alone (what the runtime does).
#[test]
fn known_answers_verify_from_bytes() {
	let v: Vectors = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
	let pk = hex::decode(&v.public_key).unwrap();
	assert!(verify_pop_bytes(
		&pk,
		&hex::decode(&v.pop_account_id).unwrap(),
		&hex::decode(&v.pop).unwrap()
	));
	for c in &v.cases {
		let samples = hex::decode(&c.samples).unwrap();
		let proof = hex::decode(&c.proof).unwrap();
		assert_eq!(proof.len(), 48 + 32 * c.s as usize);
		assert!(verify_proof_bytes(&pk, &samples, &proof, c.s));
		assert!(!verify_proof_bytes(&pk, &samples, &proof, if c.s == 16 { 64 } else { 16 }));
		let tags = tags_from_bytes(&hex::decode(c.tags.concat()).unwrap()).unwrap();
		assert_eq!(tags.len() as u64, Params::new(c.s).unwrap().blocks_in(5 * 1984));
	}
	// Merkle proofs verify against the recorded roots.
	let fid: [u8; 32] = hex::decode(&v.file_id).unwrap().try_into().unwrap();
	let fh: [u8; 32] = hex::decode(&v.fragment_hashes[1]).unwrap().try_into().unwrap();
	let fp =
		cess_primitives::merkle::MerkleProof::from_bytes(&hex::decode(&v.fragment_proof).unwrap())
			.unwrap();
	assert!(cess_primitives::merkle::verify_fragment(
		&fid,
		0,
		1,
		&ErasureProfile::new(2, 1),
		&fh,
		&fp
	));
}
