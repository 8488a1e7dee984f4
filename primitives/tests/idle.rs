//! Idle-space proofs end to end at small parameters: honest batches pass the generation check
//! and hundreds of space rounds; miners that skipped layers or faked labels fail the check at
//! the predicted rate; a miner that kept 90 % of its last layers fails space rounds at the
//! binomial rate; tampered proofs are rejected; arbitrary bytes never panic a verifier; the
//! default parameters meet the size targets over many draws.

use cess_primitives::idle::check::{generation_proof_len, Regenerate};
use cess_primitives::idle::commit::{BatchTree, IdleBatch, LayerTree};
use cess_primitives::idle::hash::{file_seed, lower_root};
use cess_primitives::idle::label::{layer0, next_layer};
use cess_primitives::idle::space::space_proof_len;
use cess_primitives::idle::{
	generate, generation_challenge, generation_seed, prove_generation, prove_space,
	space_challenge, space_challenge_live, space_seed, verify_generation, verify_space, GenSample,
	GeneratedFile, IdleError, IdleParams, Label, ProveError, SpaceOpening, SpaceSample,
	DEFAULT_GENERATION_SAMPLES, DEFAULT_SPACE_SAMPLES,
};
use proptest::prelude::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::collections::HashSet;
use std::convert::Infallible;

const P: IdleParams = IdleParams { layer_labels_log2: 8, layers: 6, degree: 6 };
const MINER: [u8; 32] = [0x4d; 32];
const GENESIS: [u8; 32] = [0x47; 32];

/// A batch as a miner holds it (all layers kept here, so tests can also cheat from them).
struct Batch {
	first: u64,
	/// Per file: the last layer's tree and the lower root.
	lasts: Vec<(LayerTree, [u8; 32])>,
	tree: BatchTree,
}

fn honest_batch(first: u64, count: u32) -> Batch {
	let files: Vec<GeneratedFile> = (0..count)
		.map(|k| generate(&P, &file_seed(&MINER, first + u64::from(k), &GENESIS)).unwrap())
		.collect();
	let commitments: Vec<_> = files.iter().map(GeneratedFile::commitment).collect();
	let tree = BatchTree::new(&P, first, &commitments).unwrap();
	let lasts = files
		.iter()
		.map(|f| (LayerTree::new(&f.last), lower_root(&f.roots[..f.roots.len() - 1])))
		.collect();
	Batch { first, lasts, tree }
}

/// All layers `0..=L` of a file, honestly.
fn all_layers(seed: &[u8; 32]) -> Vec<Vec<Label>> {
	let n = P.labels() as usize;
	let mut layers = vec![vec![[0u8; 32]; n]];
	layer0(&P, seed, &mut layers[0]).unwrap();
	for l in 1..=u32::from(P.layers) {
		let mut next = vec![[0u8; 32]; n];
		next_layer(&P, seed, l, &layers[l as usize - 1], &mut next).unwrap();
		layers.push(next);
	}
	layers
}

/// A batch whose files have the given (possibly dishonest) layers `1..=L`, committed as they
/// are.
struct Faked {
	/// Per file, the trees of layers `1..=L`.
	layers: Vec<Vec<LayerTree>>,
	tree: BatchTree,
}

fn faked(first: u64, layers: Vec<Vec<Vec<Label>>>) -> Faked {
	let layers: Vec<Vec<LayerTree>> =
		layers.iter().map(|f| f[1..].iter().map(|l| LayerTree::new(l)).collect()).collect();
	let commitments: Vec<_> = layers
		.iter()
		.map(|f| {
			let roots: Vec<_> = f.iter().map(LayerTree::root).collect();
			cess_primitives::idle::file_commitment(&roots)
		})
		.collect();
	let tree = BatchTree::new(&P, first, &commitments).unwrap();
	Faked { layers, tree }
}

fn prove_faked(f: &Faked, samples: &[GenSample]) -> Vec<u8> {
	prove_generation(&P, &f.tree, samples, |k, l| {
		Ok::<_, Infallible>(f.layers[k as usize][l as usize - 1].clone())
	})
	.unwrap()
}

fn check_samples(batch: &IdleBatch, randomness: u64, samples: u32) -> Vec<GenSample> {
	let mut r = [0u8; 32];
	r[..8].copy_from_slice(&randomness.to_le_bytes());
	generation_challenge(&P, &generation_seed(&r, &batch.root), batch.count, samples)
}

fn prove_honest(b: &Batch, samples: &[GenSample]) -> Vec<u8> {
	let mut regen = Regenerate::new(&P, &MINER, &GENESIS, b.first);
	prove_generation(&P, &b.tree, samples, |k, l| regen.layer_tree(k, l)).unwrap()
}

/// The opening of a space sample from an honest batch.
fn open(b: &Batch, s: &SpaceSample) -> SpaceOpening {
	let (last, lower) = &b.lasts[s.file as usize];
	SpaceOpening::from_trees(s, last, *lower, &b.tree).unwrap()
}

fn round_samples(batches: &[IdleBatch], round: u32, c: u32) -> Vec<SpaceSample> {
	space_challenge(&P, &space_seed(&[9; 32], round, &MINER), batches, c)
}

#[test]
fn honest_batches_pass_the_generation_check_and_many_space_rounds() {
	let batches = [honest_batch(0, 5), honest_batch(5, 3)];
	let recorded: Vec<IdleBatch> = batches.iter().map(|b| b.tree.batch()).collect();
	for (b, rec) in batches.iter().zip(&recorded) {
		for (randomness, samples) in [(1, 1), (2, 6), (3, 12), (4, 40)] {
			let s = check_samples(rec, randomness, samples);
			// The first L samples cover every layer.
			if samples >= u32::from(P.layers) {
				let layers: HashSet<u32> = s.iter().map(|x| x.layer).collect();
				assert_eq!(layers.len(), usize::from(P.layers));
			}
			let proof = prove_honest(b, &s);
			assert_eq!(proof.len(), generation_proof_len(&P, rec.count, &s).unwrap());
			assert_eq!(verify_generation(&P, &MINER, &GENESIS, rec, &s, &proof), Ok(()));
			// Another miner, chain or first index: other seeds, the labels do not match.
			assert!(verify_generation(&P, &[0; 32], &GENESIS, rec, &s, &proof).is_err());
			assert!(verify_generation(&P, &MINER, &[0; 32], rec, &s, &proof).is_err());
			let moved = IdleBatch { first: rec.first + 1, ..*rec };
			assert!(verify_generation(&P, &MINER, &GENESIS, &moved, &s, &proof).is_err());
		}
	}
	for round in 0..250 {
		let s = round_samples(&recorded, round, DEFAULT_SPACE_SAMPLES);
		assert_eq!(s.len(), DEFAULT_SPACE_SAMPLES as usize);
		let proof = prove_space(&P, &s, |x| {
			let b = batches.iter().find(|b| b.tree.root() == x.batch.root).unwrap();
			Ok::<_, Infallible>(open(b, x))
		})
		.unwrap();
		assert_eq!(proof.len(), space_proof_len(&P, &s).unwrap());
		assert_eq!(verify_space(&P, &s, &proof), Ok(()), "round {round}");
		if round % 50 == 0 {
			let mut other = s.clone();
			other[0].node ^= 1;
			assert!(verify_space(&P, &other, &proof).is_err());
		}
	}
}

#[test]
fn converted_files_are_never_drawn_and_live_batches_draw_as_before() {
	let a = IdleBatch { root: [1; 32], first: 0, count: 8 };
	let b = IdleBatch { root: [2; 32], first: 8, count: 4 };
	let seed = space_seed(&[5; 32], 3, &MINER);
	// Every file live: the same draw as the plain challenge.
	assert_eq!(
		space_challenge_live(&P, &seed, &[(a, 8), (b, 4)], 64),
		space_challenge(&P, &seed, &[a, b], 64)
	);
	// Files 3.. of `a` and all of `b` converted: only files 0..3 of `a` are drawn, uniformly.
	let mut seen = HashSet::new();
	for round in 0..200 {
		let seed = space_seed(&[5; 32], round, &MINER);
		for s in space_challenge_live(&P, &seed, &[(a, 3), (b, 0)], 8) {
			assert_eq!(s.batch, a);
			assert!(s.file < 3, "converted file {} drawn", s.file);
			seen.insert(s.file);
		}
	}
	assert_eq!(seen.len(), 3);
	// Nothing live: no samples.
	assert!(space_challenge_live(&P, &seed, &[(a, 0), (b, 0)], 8).is_empty());
}

#[test]
fn a_miner_that_skipped_layers_fails_the_generation_check() {
	// Layer L computed straight from layer 0; layers 1..L-1 are copies of layer 0 (no work).
	let skipped: Vec<Vec<Vec<Label>>> = (0..4u64)
		.map(|k| {
			let seed = file_seed(&MINER, 100 + k, &GENESIS);
			let honest = all_layers(&seed);
			let mut layers = vec![honest[0].clone(); usize::from(P.layers)];
			let mut last = vec![[0u8; 32]; honest[0].len()];
			next_layer(&P, &seed, u32::from(P.layers), &honest[0], &mut last).unwrap();
			layers.push(last);
			layers
		})
		.collect();
	fails_every_check(&faked(100, skipped));
	// Random last layers (every lower layer honest): any sample of layer L catches it.
	let mut rng = ChaCha20Rng::seed_from_u64(7);
	let random_last: Vec<Vec<Vec<Label>>> = (0..4u64)
		.map(|k| {
			let mut layers = all_layers(&file_seed(&MINER, 200 + k, &GENESIS));
			for l in layers.last_mut().unwrap() {
				rng.fill_bytes(l);
			}
			layers
		})
		.collect();
	fails_every_check(&faked(200, random_last));
}

/// A faked batch fails the generation check for each of 20 draws.
fn fails_every_check(f: &Faked) {
	let rec = f.tree.batch();
	for randomness in 0..20 {
		let s = check_samples(&rec, randomness, DEFAULT_GENERATION_SAMPLES);
		let proof = prove_faked(f, &s);
		assert_eq!(
			verify_generation(&P, &MINER, &GENESIS, &rec, &s, &proof),
			Err(IdleError::InconsistentLabel)
		);
	}
}

/// Number of standard deviations allowed between an empirical rate and its prediction.
const SIGMAS: f64 = 4.5;

fn assert_rate(hits: usize, trials: usize, predicted: f64, what: &str) {
	let rate = hits as f64 / trials as f64;
	let sigma = (predicted * (1.0 - predicted) / trials as f64).sqrt();
	assert!(
		(rate - predicted).abs() <= SIGMAS * sigma,
		"{what}: empirical {rate:.4} against predicted {predicted:.4} (σ {sigma:.4}, {trials} trials)"
	);
}

#[test]
fn a_miner_that_faked_a_fraction_of_labels_is_caught_at_the_predicted_rate() {
	// In every layer 1..=L, exactly δ = 1/8 of the labels are random and the layer above is
	// computed from the committed (faked) labels: a sample detects iff its own label is fake.
	let n = P.labels() as usize;
	let mut rng = ChaCha20Rng::seed_from_u64(11);
	let files: Vec<Vec<Vec<Label>>> = (0..6u64)
		.map(|k| {
			let seed = file_seed(&MINER, 300 + k, &GENESIS);
			let mut layers = vec![vec![[0u8; 32]; n]];
			layer0(&P, &seed, &mut layers[0]).unwrap();
			for l in 1..=u32::from(P.layers) {
				let mut next = vec![[0u8; 32]; n];
				next_layer(&P, &seed, l, &layers[l as usize - 1], &mut next).unwrap();
				let mut idx: Vec<usize> = (0..n).collect();
				for i in 0..n / 8 {
					let j = i + (rng.next_u64() as usize) % (n - i);
					idx.swap(i, j);
					rng.fill_bytes(&mut next[idx[i]]);
				}
				layers.push(next);
			}
			layers
		})
		.collect();
	let f = faked(300, files);
	let rec = f.tree.batch();
	let (trials, samples) = (300usize, 6u32);
	let mut passed = 0;
	let mut expected = 0.0;
	for randomness in 0..trials as u64 {
		let s = check_samples(&rec, 1000 + randomness, samples);
		let distinct = s.iter().collect::<HashSet<_>>().len() as i32;
		expected += (7.0f64 / 8.0).powi(distinct);
		let proof = prove_faked(&f, &s);
		match verify_generation(&P, &MINER, &GENESIS, &rec, &s, &proof) {
			Ok(()) => passed += 1,
			// A fake sampled label is caught either way: its recomputation does not reach the
			// root, or it is also a parent of another sample and contradicts the supplied label.
			Err(IdleError::InconsistentLabel | IdleError::ParentConflict) => {},
			Err(e) => panic!("unexpected {e:?}"),
		}
	}
	assert_rate(passed, trials, expected / trials as f64, "faked 1/8 of labels, 6 samples");
}

#[test]
fn a_miner_that_kept_90_percent_fails_space_rounds_at_the_binomial_rate() {
	let batches = [honest_batch(0, 4), honest_batch(4, 2)];
	let recorded: Vec<IdleBatch> = batches.iter().map(|b| b.tree.batch()).collect();
	// Drop exactly 10 % of every file's last layer.
	let n = P.labels() as usize;
	let mut rng = ChaCha20Rng::seed_from_u64(90);
	let mut lost: HashSet<([u8; 32], u32, u32)> = HashSet::new();
	for b in &batches {
		for k in 0..b.lasts.len() as u32 {
			let mut idx: Vec<u32> = (0..n as u32).collect();
			for i in 0..n / 10 {
				let j = i + (rng.next_u64() as usize) % (n - i);
				idx.swap(i, j);
				lost.insert((b.tree.root(), k, idx[i]));
			}
		}
	}
	let kept = 1.0 - (n / 10) as f64 / n as f64;
	let c = DEFAULT_SPACE_SAMPLES;
	let rounds = 1200;
	let mut failed = 0;
	for round in 0..rounds {
		let s = round_samples(&recorded, 10_000 + round, c);
		let proof = prove_space(&P, &s, |x| {
			if lost.contains(&(x.batch.root, x.file, x.node)) {
				return Err("label lost");
			}
			let b = batches.iter().find(|b| b.tree.root() == x.batch.root).unwrap();
			Ok(open(b, x))
		});
		match proof {
			Ok(p) => assert_eq!(verify_space(&P, &s, &p), Ok(())),
			Err(ProveError::Source(_)) => failed += 1,
			Err(e) => panic!("unexpected {e:?}"),
		}
	}
	// Samples are independent and uniform over the stored labels: a round passes with
	// probability kept^c exactly.
	assert_rate(failed as usize, rounds as usize, 1.0 - kept.powi(c as i32), "kept 90 %");
}

#[test]
fn tampered_proofs_are_rejected() {
	let b = honest_batch(40, 3);
	let rec = b.tree.batch();
	let s = check_samples(&rec, 77, 2 * u32::from(P.layers));
	let proof = prove_honest(&b, &s);
	assert_eq!(verify_generation(&P, &MINER, &GENESIS, &rec, &s, &proof), Ok(()));
	for i in (0..proof.len()).step_by(11) {
		let mut bad = proof.clone();
		bad[i] ^= 1 << (i % 8);
		assert!(verify_generation(&P, &MINER, &GENESIS, &rec, &s, &bad).is_err(), "byte {i}");
	}
	for cut in [0, 1, 2, 3, 40, proof.len() - 1] {
		assert!(verify_generation(&P, &MINER, &GENESIS, &rec, &s, &proof[..cut]).is_err());
	}
	let mut long = proof.clone();
	long.push(0);
	assert_eq!(
		verify_generation(&P, &MINER, &GENESIS, &rec, &s, &long),
		Err(IdleError::Decode(cess_primitives::decode::DecodeError::TrailingBytes))
	);
	// Other samples, other parameters, another root.
	let mut other = s.clone();
	other[0].node ^= 1;
	assert!(verify_generation(&P, &MINER, &GENESIS, &rec, &other, &proof).is_err());
	let wider = IdleParams { degree: 7, ..P };
	assert!(verify_generation(&wider, &MINER, &GENESIS, &rec, &s, &proof).is_err());
	let mut root = rec;
	root.root[0] ^= 1;
	assert_eq!(
		verify_generation(&P, &MINER, &GENESIS, &root, &s, &proof),
		Err(IdleError::RootMismatch)
	);
	assert_eq!(
		verify_generation(&P, &MINER, &GENESIS, &rec, &[], &proof),
		Err(IdleError::NoSamples)
	);
	let out_of_range = [GenSample { file: 3, layer: 1, node: 0 }];
	assert_eq!(
		verify_generation(&P, &MINER, &GENESIS, &rec, &out_of_range, &proof),
		Err(IdleError::BadSample)
	);
	// A tampered label in the source is refused by the prover (it no longer matches the root).
	let mut regen = Regenerate::new(&P, &MINER, &GENESIS, b.first);
	let bad = prove_generation(&P, &b.tree, &s, |k, l| {
		let mut layer = regen.layer(k, l).unwrap();
		layer[3][0] ^= 1;
		Ok::<_, Infallible>(LayerTree::new(&layer))
	});
	assert!(matches!(bad, Err(ProveError::BadSource)));

	// Space proofs.
	let recorded = [rec];
	let s = round_samples(&recorded, 5, 12);
	let proof = prove_space(&P, &s, |x| Ok::<_, Infallible>(open(&b, x))).unwrap();
	assert_eq!(verify_space(&P, &s, &proof), Ok(()));
	for i in 0..proof.len() {
		let mut bad = proof.clone();
		bad[i] ^= 0x10;
		assert!(verify_space(&P, &s, &bad).is_err(), "byte {i}");
	}
	for cut in 0..proof.len() {
		assert!(verify_space(&P, &s, &proof[..cut]).is_err());
	}
	// A wrong path or label from the source is refused by the verifier.
	let bad = prove_space(&P, &s, |x| {
		let mut o = open(&b, x);
		o.path[2][1] ^= 1;
		Ok::<_, Infallible>(o)
	})
	.unwrap();
	assert!(verify_space(&P, &s, &bad).is_err());
	let bad = prove_space(&P, &s, |x| {
		let mut o = open(&b, x);
		o.label[0] ^= 1;
		Ok::<_, Infallible>(o)
	})
	.unwrap();
	assert_eq!(verify_space(&P, &s, &bad), Err(IdleError::RootMismatch));
	// Two shapes for one root.
	let mut mixed = s.clone();
	mixed[0].batch.count += 1;
	assert_eq!(verify_space(&P, &mixed, &proof), Err(IdleError::BadSample));
}

#[test]
fn default_parameters_meet_the_size_targets_over_many_draws() {
	let p = IdleParams::DEFAULT;
	let mut worst_gen = 0;
	let mut sum_gen = 0;
	for count in [1u32, 64, 512] {
		for r in 0..250u64 {
			let mut randomness = [0u8; 32];
			randomness[..8].copy_from_slice(&r.to_le_bytes());
			let seed = generation_seed(&randomness, &[count as u8; 32]);
			let s = generation_challenge(&p, &seed, count, DEFAULT_GENERATION_SAMPLES);
			let len = generation_proof_len(&p, count, &s).unwrap();
			worst_gen = worst_gen.max(len);
			sum_gen += len;
		}
	}
	assert!(worst_gen <= 64 * 1024, "generation proof {worst_gen} bytes");
	// Space rounds over many batches of a large miner (no shared batch paths) and over one.
	let many: Vec<IdleBatch> = (0..1000u64)
		.map(|i| IdleBatch { root: [i as u8; 32], first: i * 512, count: 512 })
		.collect();
	let many: Vec<IdleBatch> = many
		.into_iter()
		.enumerate()
		.map(|(i, mut b)| {
			b.root[1] = (i >> 8) as u8;
			b
		})
		.collect();
	let mut worst_space = 0;
	for round in 0..500 {
		for batches in [&many[..], &many[..1]] {
			let s = space_challenge(
				&p,
				&space_seed(&[1; 32], round, &MINER),
				batches,
				DEFAULT_SPACE_SAMPLES,
			);
			worst_space = worst_space.max(space_proof_len(&p, &s).unwrap());
		}
	}
	assert!(worst_space <= 8 * 1024, "space proof {worst_space} bytes");
	println!("default parameters: generation proof ≤ {worst_gen} B (mean {} B), space proof ≤ {worst_space} B", sum_gen / 750);
}

proptest! {
	#[test]
	fn arbitrary_generation_proofs_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..12_000)) {
		let rec = IdleBatch { root: [1; 32], first: 0, count: 3 };
		let s = generation_challenge(&P, &[2; 32], 3, 8);
		prop_assert!(verify_generation(&P, &MINER, &GENESIS, &rec, &s, &bytes).is_err());
	}

	#[test]
	fn arbitrary_space_proofs_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..6_000)) {
		let rec = [IdleBatch { root: [1; 32], first: 0, count: 3 }];
		let s = space_challenge(&P, &[2; 32], &rec, 8);
		prop_assert!(verify_space(&P, &s, &bytes).is_err());
	}

	#[test]
	fn arbitrary_samples_and_params_never_panic(
		file in any::<u32>(), layer in any::<u32>(), node in any::<u32>(), count in any::<u32>(),
		first in any::<u64>(), log2 in any::<u8>(), layers in any::<u8>(), degree in any::<u8>(),
		proof in proptest::collection::vec(any::<u8>(), 0..2_000),
	) {
		let p = IdleParams { layer_labels_log2: log2, layers, degree };
		let rec = IdleBatch { root: [1; 32], first, count };
		let _ = verify_generation(&p, &MINER, &GENESIS, &rec, &[GenSample { file, layer, node }], &proof);
		let _ = verify_space(&p, &[SpaceSample { batch: rec, file, node }], &proof);
		let _ = generation_proof_len(&p, count, &[GenSample { file, layer, node }]);
	}
}

// ---- Known answers -------------------------------------------------------------------------

mod known_answers {
	//! A small-parameter batch's layer roots, commitments and batch root, and the bytes of one
	//! generation proof and one space proof, checked into `tests/vectors/idle.json`. Regenerate
	//! (only when the format deliberately changes) with
	//! `CESS_REGENERATE_VECTORS=1 cargo test --test idle known_answers`.

	use super::*;
	use serde::{Deserialize, Serialize};
	use std::path::PathBuf;

	const KP: IdleParams = IdleParams { layer_labels_log2: 6, layers: 3, degree: 4 };

	#[derive(Serialize, Deserialize, PartialEq, Debug)]
	struct FileVectors {
		index: u64,
		seed: String,
		layer0_label_0: String,
		layer_roots: Vec<String>,
		commitment: String,
	}

	#[derive(Serialize, Deserialize, PartialEq, Debug)]
	struct Vectors {
		description: String,
		layer_labels_log2: u8,
		layers: u8,
		degree: u8,
		parents_of_layer_2_node_5: Vec<u32>,
		miner: String,
		genesis: String,
		first: u64,
		files: Vec<FileVectors>,
		batch_root: String,
		check_randomness: String,
		check_seed: String,
		check_samples: Vec<(u32, u32, u32)>,
		check_proof: String,
		space_randomness: String,
		space_round: u32,
		space_seed: String,
		space_samples: Vec<(u32, u32)>,
		space_proof: String,
	}

	fn compute() -> Vectors {
		let (miner, genesis, first) = ([0x11; 32], [0x22; 32], 5u64);
		let seeds: Vec<[u8; 32]> = (0..3).map(|k| file_seed(&miner, first + k, &genesis)).collect();
		let files: Vec<GeneratedFile> = seeds.iter().map(|s| generate(&KP, s).unwrap()).collect();
		let commitments: Vec<_> = files.iter().map(GeneratedFile::commitment).collect();
		let tree = BatchTree::new(&KP, first, &commitments).unwrap();
		let batch = tree.batch();
		let check_randomness = [0x5a; 32];
		let check_seed = generation_seed(&check_randomness, &batch.root);
		let check_samples = generation_challenge(&KP, &check_seed, batch.count, 5);
		let mut regen = Regenerate::new(&KP, &miner, &genesis, first);
		let check_proof =
			prove_generation(&KP, &tree, &check_samples, |k, l| regen.layer_tree(k, l)).unwrap();
		assert_eq!(
			verify_generation(&KP, &miner, &genesis, &batch, &check_samples, &check_proof),
			Ok(())
		);
		let (space_randomness, space_round) = ([0x6b; 32], 3u32);
		let seed = space_seed(&space_randomness, space_round, &miner);
		let space_samples = space_challenge(&KP, &seed, &[batch], 4);
		let space_proof = prove_space(&KP, &space_samples, |s| {
			let f = &files[s.file as usize];
			let lower = lower_root(&f.roots[..f.roots.len() - 1]);
			Ok::<_, Infallible>(
				SpaceOpening::from_trees(s, &LayerTree::new(&f.last), lower, &tree).unwrap(),
			)
		})
		.unwrap();
		assert_eq!(verify_space(&KP, &space_samples, &space_proof), Ok(()));
		let mut l0 = vec![[0u8; 32]; KP.labels() as usize];
		Vectors {
			description: "cess-primitives idle-space known answers (README, 'Idle space'). Files \
			              first..first+3 of the miner; layer roots are those of layers 1..=L; \
			              check samples are (file, layer, node), space samples (file, node) of \
			              the one batch"
				.into(),
			layer_labels_log2: KP.layer_labels_log2,
			layers: KP.layers,
			degree: KP.degree,
			parents_of_layer_2_node_5: cess_primitives::idle::graph::parents(&KP, 2, 5).collect(),
			miner: hex::encode(miner),
			genesis: hex::encode(genesis),
			first,
			files: seeds
				.iter()
				.zip(&files)
				.enumerate()
				.map(|(k, (s, f))| {
					layer0(&KP, s, &mut l0).unwrap();
					FileVectors {
						index: first + k as u64,
						seed: hex::encode(s),
						layer0_label_0: hex::encode(l0[0]),
						layer_roots: f.roots.iter().map(hex::encode).collect(),
						commitment: hex::encode(f.commitment()),
					}
				})
				.collect(),
			batch_root: hex::encode(batch.root),
			check_randomness: hex::encode(check_randomness),
			check_seed: hex::encode(check_seed),
			check_samples: check_samples.iter().map(|s| (s.file, s.layer, s.node)).collect(),
			check_proof: hex::encode(check_proof),
			space_randomness: hex::encode(space_randomness),
			space_round,
			space_seed: hex::encode(seed),
			space_samples: space_samples.iter().map(|s| (s.file, s.node)).collect(),
			space_proof: hex::encode(space_proof),
		}
	}

	fn path() -> PathBuf {
		PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/vectors/idle.json")
	}

	#[test]
	fn known_answers_match() {
		let got = compute();
		if std::env::var_os("CESS_REGENERATE_VECTORS").is_some() {
			std::fs::write(path(), serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
		}
		let want: Vectors =
			serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
		assert_eq!(got, want);
	}

	/// The checked-in proofs verify from the recorded roots and samples alone (what the runtime
	/// does), and not against another sample.
	#[test]
	fn known_answers_verify_from_bytes() {
		let v: Vectors = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
		let h = |s: &str| -> [u8; 32] { hex::decode(s).unwrap().try_into().unwrap() };
		let batch =
			IdleBatch { root: h(&v.batch_root), first: v.first, count: v.files.len() as u32 };
		let mut check: Vec<GenSample> = v
			.check_samples
			.iter()
			.map(|&(file, layer, node)| GenSample { file, layer, node })
			.collect();
		let proof = hex::decode(&v.check_proof).unwrap();
		assert_eq!(
			verify_generation(&KP, &h(&v.miner), &h(&v.genesis), &batch, &check, &proof),
			Ok(())
		);
		check[0].node ^= 1;
		assert!(
			verify_generation(&KP, &h(&v.miner), &h(&v.genesis), &batch, &check, &proof).is_err()
		);
		let mut space: Vec<SpaceSample> =
			v.space_samples.iter().map(|&(file, node)| SpaceSample { batch, file, node }).collect();
		let proof = hex::decode(&v.space_proof).unwrap();
		assert_eq!(verify_space(&KP, &space, &proof), Ok(()));
		space[0].node ^= 1;
		assert!(verify_space(&KP, &space, &proof).is_err());
	}
}
