//! End-to-end PoDR² behaviour: tagging, batched checks, challenge → prove → verify, replay and
//! tampering, restoral openings.

mod common;

use cess_primitives::merkle::{file_tree, fragment_hash, fragment_tree};
use cess_primitives::podr2::tag::tag_block_reference;
use cess_primitives::podr2::*;
use cess_primitives::types::{ErasureProfile, FragmentHash};
use common::{det_bytes, Holding};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn setup(s: u32) -> (SecretKey, PublicKey, Params, Tagger) {
	let sk = SecretKey::from_seed(&[42; 32]);
	let pk = sk.public_key();
	let params = Params::new(s).unwrap();
	let tagger = Tagger::with_window(&sk, params, 6);
	(sk, pk, params, tagger)
}

#[test]
fn fast_tags_equal_reference_tags() {
	for s in [1u32, 16, 64, 100, 256] {
		let (sk, _, params, _) = setup(s);
		let frag = det_bytes(b"ref", 5 * 1984 + 1000);
		let nm = name(&[1; 32], 0, 0);
		for w in [3usize, 9] {
			let tags = Tagger::with_window(&sk, params, w).tag_fragment(&nm, &frag);
			assert_eq!(tags.len() as u64, params.blocks_in(frag.len() as u64));
			for (i, t) in tags.iter().enumerate() {
				let bb = params.block_bytes();
				let block = &frag[(i * bb).min(frag.len())..((i + 1) * bb).min(frag.len())];
				assert_eq!(
					*t,
					tag_block_reference(&sk, &nm, i as u64, block, params),
					"s={s} w={w} block {i}"
				);
			}
		}
	}
}

#[test]
fn tags_do_not_depend_on_batching_or_threads() {
	let (sk, _, params, _) = setup(16);
	let nm = name(&[4; 32], 3, 2);
	let frag = det_bytes(b"batching", 37 * 496 + 100);
	let reference = Tagger::with_window(&sk, params, 5).tag_fragment(&nm, &frag);
	for blocks in [1usize, 2, 7, 64, 300] {
		let mut t = Tagger::with_window(&sk, params, 5);
		t.set_blocks_per_batch(blocks);
		assert_eq!(t.tag_fragment(&nm, &frag), reference, "batch of {blocks}");
		assert_eq!(t.tag_blocks_single_thread(&nm, 0, &frag), reference);
		let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
		assert_eq!(one.install(|| t.tag_fragment(&nm, &frag)), reference);
	}
	// Tagging a suffix with the right first index gives the suffix of the tags.
	let t = Tagger::with_window(&sk, params, 5);
	assert_eq!(t.tag_blocks_single_thread(&nm, 5, &frag[5 * 496..]), reference[5..].to_vec());
	assert_eq!(tag_fragment(&sk, &nm, &frag, params), reference);
	assert!(t.tag_fragment(&nm, &[]).is_empty());
}

#[test]
fn tags_of_degenerate_data_are_correct() {
	// All-zero and all-0xff blocks and repeated blocks exercise the exceptional additions.
	let (sk, _, params, tagger) = setup(64);
	let nm = name(&[2; 32], 1, 1);
	let mut frag = vec![0u8; 1984 * 2];
	frag.extend(vec![0xffu8; 1984 * 2]);
	let tags = tagger.tag_fragment(&nm, &frag);
	for (i, t) in tags.iter().enumerate() {
		assert_eq!(
			*t,
			tag_block_reference(&sk, &nm, i as u64, &frag[i * 1984..(i + 1) * 1984], params)
		);
	}
}

#[test]
fn batched_check_accepts_honest_and_rejects_tampering() {
	let (_, pk, params, tagger) = setup(64);
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let nm = name(&[3; 32], 0, 2);
	let frag = det_bytes(b"check", 40 * 1984);
	let tags = tagger.tag_fragment(&nm, &frag);
	assert_eq!(check_tags_batched(&pk, &nm, &frag, &tags, params, &mut rng), Ok(()));

	let mut bad = frag.clone();
	bad[17 * 1984 + 5] ^= 1;
	assert_eq!(
		check_tags_batched(&pk, &nm, &bad, &tags, params, &mut rng),
		Err(TagCheckError::Mismatch)
	);

	let mut swapped = tags.clone();
	swapped.swap(3, 4);
	assert_eq!(
		check_tags_batched(&pk, &nm, &frag, &swapped, params, &mut rng),
		Err(TagCheckError::Mismatch)
	);

	let other_name = name(&[3; 32], 0, 1);
	assert_eq!(
		check_tags_batched(&pk, &other_name, &frag, &tags, params, &mut rng),
		Err(TagCheckError::Mismatch)
	);

	let wrong_pk = SecretKey::from_seed(&[7; 32]).public_key();
	assert_eq!(
		check_tags_batched(&wrong_pk, &nm, &frag, &tags, params, &mut rng),
		Err(TagCheckError::Mismatch)
	);

	assert_eq!(
		check_tags_batched(&pk, &nm, &frag, &tags[1..], params, &mut rng),
		Err(TagCheckError::CountMismatch { expected: 40, got: 39 })
	);

	let mut garbage = tags.clone();
	garbage[9] = Tag([0x80; 48]);
	assert_eq!(
		check_tags_batched(&pk, &nm, &frag, &garbage, params, &mut rng),
		Err(TagCheckError::InvalidTag { index: 9 })
	);

	// A point on the curve but outside the G1 subgroup is rejected per tag.
	let mut off_subgroup = tags;
	off_subgroup[0] = Tag(non_subgroup_g1_point());
	assert_eq!(
		check_tags_batched(&pk, &nm, &frag, &off_subgroup, params, &mut rng),
		Err(TagCheckError::InvalidTag { index: 0 })
	);
}

/// A compressed point on E(Fp) that is not in the r-order subgroup: the smallest x ≥ 0 whose
/// x³ + 4 is a square gives such a point with overwhelming probability (checked by blst).
fn non_subgroup_g1_point() -> [u8; 48] {
	for x in 0u8..=255 {
		let mut b = [0u8; 48];
		b[0] = 0x80;
		b[47] = x;
		let mut aff = blst::blst_p1_affine::default();
		// SAFETY: test-only FFI with a 48-byte buffer.
		let rc = unsafe { blst::blst_p1_uncompress(&mut aff, b.as_ptr()) };
		if rc == blst::BLST_ERROR::BLST_SUCCESS && !unsafe { blst::blst_p1_affine_in_g1(&aff) } {
			return b;
		}
	}
	panic!("no off-subgroup point found");
}

struct Miner {
	pk: PublicKey,
	params: Params,
	holdings: Vec<Holding>,
}

fn miner(s: u32) -> Miner {
	let (_, pk, params, tagger) = setup(s);
	let holdings = vec![
		Holding::new(b"file-a", 3 * 40_000, 40_000, 0, &tagger),
		Holding::new(b"file-b", 5_000, 1 << 20, 2, &tagger),
		Holding::new(b"file-c", 150_000, 64_000, 1, &tagger),
	];
	Miner { pk, params, holdings }
}

impl Miner {
	fn samples(&self, seed: &[u8; 32], c: u32) -> Vec<Sample> {
		expand_challenge(seed, c, self.holdings.len() as u32, self.params, |i| {
			self.holdings.get(i as usize).map(|h| (h.file_id, h.column, h.layout))
		})
		.unwrap()
	}

	fn prove(&self, samples: &[Sample], tamper: Option<usize>) -> Proof {
		let mut owned: Vec<Vec<u8>> = Vec::new();
		for (k, s) in samples.iter().enumerate() {
			let h = self.holdings.iter().find(|h| h.file_id == s.file_id).unwrap();
			let mut b = h.block(s.segment, s.block, self.params).to_vec();
			if tamper == Some(k) {
				b[0] ^= 0x01;
			}
			owned.push(b);
		}
		let items: Vec<ChallengedBlock<'_>> = samples
			.iter()
			.zip(&owned)
			.map(|(s, b)| {
				let h = self.holdings.iter().find(|h| h.file_id == s.file_id).unwrap();
				ChallengedBlock {
					sample: *s,
					data: b,
					tag: h.tags[s.segment as usize][s.block as usize],
				}
			})
			.collect();
		prove(&items, self.params).unwrap()
	}
}

#[test]
fn honest_proof_verifies_and_tampering_fails() {
	for s in [16u32, 64] {
		let m = miner(s);
		let seed = challenge_seed(&[5; 32], 9, b"miner-1");
		let samples = m.samples(&seed, 46);
		let proof = m.prove(&samples, None);
		assert_eq!(proof.to_bytes().len(), 48 + 32 * s as usize);
		assert!(verify(&m.pk, &samples, &proof, m.params));
		assert!(verify_proof_bytes(
			&m.pk.to_bytes(),
			&encode_samples(&samples),
			&proof.to_bytes(),
			s
		));

		// Altered block.
		let bad = m.prove(&samples, Some(7));
		assert!(!verify(&m.pk, &samples, &bad, m.params));

		// Altered coefficient.
		let mut other = samples.clone();
		other[3].coeff[0] ^= 1;
		assert!(!verify(&m.pk, &other, &proof, m.params));

		// Altered block index in a sample.
		let mut moved = samples.clone();
		moved[0].block ^= 1;
		assert!(!verify(&m.pk, &moved, &proof, m.params));

		// Wrong key.
		let wrong = SecretKey::from_seed(&[8; 32]).public_key();
		assert!(!verify(&wrong, &samples, &proof, m.params));

		// Replays for another round, miner or randomness fail.
		for seed2 in [
			challenge_seed(&[5; 32], 10, b"miner-1"),
			challenge_seed(&[5; 32], 9, b"miner-2"),
			challenge_seed(&[6; 32], 9, b"miner-1"),
		] {
			let samples2 = m.samples(&seed2, 46);
			assert!(!verify(&m.pk, &samples2, &proof, m.params));
			assert!(verify(&m.pk, &samples2, &m.prove(&samples2, None), m.params));
		}

		// Malformed bytes give false, never a panic.
		let pb = proof.to_bytes();
		assert!(!verify_proof_bytes(
			&m.pk.to_bytes(),
			&encode_samples(&samples),
			&pb[..pb.len() - 1],
			s
		));
		assert!(!verify_proof_bytes(&m.pk.to_bytes(), &encode_samples(&samples), &pb, s + 1));
		assert!(!verify_proof_bytes(&m.pk.to_bytes()[1..], &encode_samples(&samples), &pb, s));
		assert!(!verify_proof_bytes(&m.pk.to_bytes(), &[], &pb, s));
		assert!(!verify_proof_bytes(&m.pk.to_bytes(), &encode_samples(&samples), &pb, 0));
		let mut flipped = pb.clone();
		flipped[60] ^= 0x10;
		assert!(!verify_proof_bytes(&m.pk.to_bytes(), &encode_samples(&samples), &flipped, s));
	}
}

#[test]
fn proof_with_many_samples_verifies() {
	let m = miner(64);
	let samples = m.samples(&[1; 32], 460);
	let proof = m.prove(&samples, None);
	assert!(verify(&m.pk, &samples, &proof, m.params));
	let mut bad_tag_proof = proof.clone();
	bad_tag_proof.sigma = m.prove(&samples[..459], None).sigma;
	assert!(!verify(&m.pk, &samples, &bad_tag_proof, m.params));
}

fn opening_fixture(
	s: u32,
) -> (
	PublicKey,
	Params,
	[u8; 32],
	ErasureProfile,
	Vec<u8>,
	Vec<Tag>,
	cess_primitives::merkle::MerkleProof,
) {
	let (_, pk, params, tagger) = setup(s);
	let profile = ErasureProfile::new(2, 1);
	// A file of 2 segments × 3 columns; column 1 of segment 1 is the restored fragment.
	let frags: Vec<Vec<u8>> = (0..6u8).map(|i| det_bytes(&[b'f', i], 9 * 1984)).collect();
	let hashes: Vec<FragmentHash> = frags.iter().map(|f| fragment_hash(f)).collect();
	let tree = file_tree(&hashes);
	let fid = tree.root();
	let frag = frags[4].clone();
	let tags = tagger.tag_fragment(&name(&fid, 1, 1), &frag);
	(pk, params, fid, profile, frag, tags, tree.proof(4))
}

#[test]
fn opening_proof_verifies_and_rejects_substitution() {
	for s in [16u32, 64, 100, 256] {
		let (pk, params, fid, profile, frag, tags, fproof) = opening_fixture(s);
		let blocks = params.blocks_in(frag.len() as u64) as u32;
		let idx = opening_indices(&[9; 32], 4, blocks);
		let op = build_opening(&frag, fproof.clone(), &tags, &idx, params).unwrap();
		assert_eq!(op.fragment_hash, fragment_tree(&frag).root());
		assert!(verify_opening(&pk, &fid, 1, 1, &profile, &idx, &op, params), "s={s}");
		assert!(verify_opening_bytes(
			&pk.to_bytes(),
			&fid,
			1,
			1,
			&profile,
			&idx,
			&op.to_bytes(),
			s
		));
		assert_eq!(OpeningProof::from_bytes(&op.to_bytes()).unwrap(), op);

		// Other column / segment / indices / key.
		assert!(!verify_opening(&pk, &fid, 1, 2, &profile, &idx, &op, params));
		assert!(!verify_opening(&pk, &fid, 0, 1, &profile, &idx, &op, params));
		let mut idx2 = idx.clone();
		idx2[0] = (idx2[0] + 1) % blocks;
		assert!(!verify_opening(&pk, &fid, 1, 1, &profile, &idx2, &op, params));
		let wrong = SecretKey::from_seed(&[1; 32]).public_key();
		assert!(!verify_opening(&wrong, &fid, 1, 1, &profile, &idx, &op, params));

		// Tampered leaf bytes or tag.
		let mut t1 = op.clone();
		t1.entries[1].leaves[0].data[3] ^= 1;
		assert!(!verify_opening(&pk, &fid, 1, 1, &profile, &idx, &t1, params));
		let mut t2 = op.clone();
		t2.entries[0].tag = tags[(idx[0] as usize + 1) % tags.len()];
		assert!(!verify_opening(&pk, &fid, 1, 1, &profile, &idx, &t2, params));

		// Tags made for other data (a substituted fragment) fail even with valid paths.
		let (_, _, _, _, _, _, _) = opening_fixture(s);
		let sk = SecretKey::from_seed(&[42; 32]);
		let fake = det_bytes(b"fake", frag.len());
		let fake_tags = Tagger::with_window(&sk, params, 6).tag_fragment(&name(&fid, 1, 1), &fake);
		let mut t3 = op.clone();
		for (e, &i) in t3.entries.iter_mut().zip(&idx) {
			e.tag = fake_tags[i as usize];
		}
		assert!(!verify_opening(&pk, &fid, 1, 1, &profile, &idx, &t3, params));

		// Out-of-range index cannot be built.
		assert_eq!(
			build_opening(&frag, fproof, &tags, &[blocks], params),
			Err(OpeningError::IndexOutOfRange(blocks))
		);
	}
}

#[test]
fn proof_of_possession_and_keys() {
	let sk = SecretKey::from_seed(&[11; 32]);
	let pop = sk.prove_possession(&[0xaa; 32]);
	assert!(verify_pop_bytes(&sk.public_key().to_bytes(), &[0xaa; 32], &pop.to_bytes()));
	assert!(!verify_pop_bytes(&sk.public_key().to_bytes(), &[0xab; 32], &pop.to_bytes()));
}

/// The v1 hole (issue 16, kept as evidence until v1 is removed): the miner holds the tagging key,
/// so it tags all-zero blocks under the sampled names and proves over them without the data.
/// The proof verifies. PoDR² v2 (`possession`) has no key that helps a prover.
#[test]
fn v1_key_holder_proves_without_the_data() {
	let (sk, pk, params, _) = setup(64);
	let layout = cess_primitives::layout::FileLayout::new(
		2 * 40 * 1984,
		32 << 20,
		ErasureProfile::new(2, 1),
	)
	.unwrap();
	let seed = challenge_seed(&[9; 32], 1, &[0x11; 32]);
	// The miner threw its fragment away: all it uses is public (samples) and its own key.
	let samples = expand_challenge(&seed, 16, 1, params, |_| Some(([8; 32], 0, layout))).unwrap();
	let zeros = vec![0u8; params.block_bytes()];
	let blocks: Vec<ChallengedBlock> = samples
		.iter()
		.map(|s| ChallengedBlock {
			sample: *s,
			data: &zeros,
			tag: tag_block_reference(&sk, &s.name(), u64::from(s.block), &zeros, params),
		})
		.collect();
	let proof = prove(&blocks, params).unwrap();
	assert!(verify_proof_bytes(&pk.to_bytes(), &encode_samples(&samples), &proof.to_bytes(), 64));
}
