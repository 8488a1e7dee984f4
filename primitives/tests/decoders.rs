//! Every decoder of untrusted bytes returns a typed error (or `false`) on truncated, oversized or
//! random input and never panics.

use cess_primitives::merkle::{fragment_tree, MerkleProof};
use cess_primitives::podr2::*;
use cess_primitives::types::ErasureProfile;
use proptest::prelude::*;

fn valid_opening() -> (Vec<u8>, Vec<u8>) {
	let sk = SecretKey::from_seed(&[1; 32]);
	let params = Params::default();
	let frag = vec![7u8; 3 * 1984];
	let ft =
		cess_primitives::merkle::file_tree(&[cess_primitives::merkle::fragment_hash(&frag); 3]);
	let tags = Tagger::with_window(&sk, params, 4).tag_fragment(&name(&ft.root(), 0, 0), &frag);
	let op = build_opening(&frag, ft.proof(0), &tags, &[2, 0], params).unwrap();
	(op.to_bytes(), sk.public_key().to_bytes().to_vec())
}

#[test]
fn truncations_and_extensions_of_valid_encodings_are_rejected() {
	let (op, pk) = valid_opening();
	assert!(OpeningProof::from_bytes(&op).is_ok());
	for cut in 0..op.len() {
		assert!(OpeningProof::from_bytes(&op[..cut]).is_err());
	}
	let mut long = op.clone();
	long.push(0);
	assert!(OpeningProof::from_bytes(&long).is_err());
	for cut in 0..pk.len() {
		assert!(PublicKey::from_bytes(&pk[..cut]).is_err());
	}
	let pop = SecretKey::from_seed(&[1; 32]).prove_possession(b"x").to_bytes();
	for cut in 0..pop.len() {
		assert!(ProofOfPossession::from_bytes(&pop[..cut]).is_err());
	}
	let mut pop_long = pop.to_vec();
	pop_long.push(0);
	assert!(ProofOfPossession::from_bytes(&pop_long).is_err());
	let mp = fragment_tree(&[0u8; 1984 * 7]).proof(6).to_bytes();
	for cut in 0..mp.len() {
		assert!(MerkleProof::from_bytes(&mp[..cut]).is_err());
	}
}

#[test]
fn opening_bytes_verifier_survives_bit_flips() {
	let (op, pk) = valid_opening();
	let frag = vec![7u8; 3 * 1984];
	let fid =
		cess_primitives::merkle::file_tree(&[cess_primitives::merkle::fragment_hash(&frag); 3])
			.root();
	let profile = ErasureProfile::new(2, 1);
	assert!(verify_opening_bytes(&pk, &fid, 0, 0, &profile, &[2, 0], &op, 64));
	// Flip one bit at a spread of positions: must never verify, never panic.
	for pos in (0..op.len()).step_by(97) {
		let mut bad = op.clone();
		bad[pos] ^= 0x04;
		assert!(!verify_opening_bytes(&pk, &fid, 0, 0, &profile, &[2, 0], &bad, 64), "pos {pos}");
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

	#[test]
	fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000), s in 0u32..300) {
		let _ = MerkleProof::from_bytes(&bytes);
		let _ = OpeningProof::from_bytes(&bytes);
		let _ = decode_samples(&bytes);
		let _ = tags_from_bytes(&bytes);
		let _ = PublicKey::from_bytes(&bytes);
		let _ = ProofOfPossession::from_bytes(&bytes);
		let _ = SecretKey::from_bytes(&bytes);
		if let Ok(p) = Params::new(s) {
			let _ = Proof::from_bytes(&bytes, p);
		}
	}

	#[test]
	fn random_proofs_do_not_verify(sigma in proptest::collection::vec(any::<u8>(), 48), mu_seed in any::<u64>()) {
		let sk = SecretKey::from_seed(&[2; 32]);
		let pk = sk.public_key().to_bytes();
		let sample = Sample { file_id: [1; 32], segment: 0, column: 0, block: 0, coeff: [1; 16] };
		let mut proof = sigma.clone();
		let mut x = mu_seed | 1;
		for _ in 0..16 * 32 {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			proof.push((x as u8) & 0x3f);
		}
		prop_assert!(!verify_proof_bytes(&pk, &encode_samples(&[sample]), &proof, 16));
	}

	#[test]
	fn sample_lists_round_trip(n in 1usize..40, seed in any::<[u8; 32]>()) {
		let samples: Vec<Sample> = (0..n).map(|i| Sample {
			file_id: seed, segment: i as u32, column: (i % 7) as u16, block: (i * 31) as u32, coeff: [i as u8; 16],
		}).collect();
		let enc = encode_samples(&samples);
		prop_assert_eq!(decode_samples(&enc).unwrap(), samples);
	}
}
