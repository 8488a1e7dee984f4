//! Idle-space benchmarks, each beside raw BLAKE2b measured in the same run: generation of one
//! idle file at the default parameters on one thread and on two, the generation check (verify)
//! and a space round (prove from kept last layers, verify); proof sizes are printed, and so are
//! the expander's measured expansion, the dependency cone of one last-layer label and a sweep of
//! other parameters (`docs/idle-space.md`).
//!
//! `CESS_IDLE_LOG2` overrides `log2 N` (labels per layer) for quick runs.

use cess_primitives::idle::check::{generation_proof_len, Regenerate};
use cess_primitives::idle::graph::parents;
use cess_primitives::idle::hash::lower_root;
use cess_primitives::idle::space::space_proof_len;
use cess_primitives::idle::{
	file_seed, generate, generate_parallel, generation_challenge, generation_seed,
	prove_generation, prove_space, space_challenge, space_seed, verify_generation, verify_space,
	BatchTree, GeneratedFile, IdleBatch, IdleParams, LayerTree, SpaceOpening,
	DEFAULT_GENERATION_SAMPLES, DEFAULT_SPACE_SAMPLES,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::convert::Infallible;
use std::time::{Duration, Instant};

const MINER: [u8; 32] = [0x4d; 32];
const GENESIS: [u8; 32] = [0x47; 32];

fn params() -> IdleParams {
	let mut p = IdleParams::DEFAULT;
	if let Some(v) = std::env::var("CESS_IDLE_LOG2").ok().and_then(|v| v.parse().ok()) {
		p.layer_labels_log2 = v;
	}
	p
}

fn bench_generation(c: &mut Criterion) {
	let p = params();
	let mut data = vec![0u8; 32 << 20];
	ChaCha20Rng::seed_from_u64(1).fill_bytes(&mut data);
	let mut g = c.benchmark_group("idle_generation");
	g.sample_size(10).measurement_time(Duration::from_secs(20));
	g.throughput(Throughput::Bytes(data.len() as u64));
	g.bench_function("raw_blake2b_simd_32MiB", |b| {
		b.iter(|| blake2b_simd::Params::new().hash_length(32).hash(&data))
	});
	// The lanes: 256-byte inputs hashed four (AVX2) at a time.
	let hp = blake2b_simd::Params::new().hash_length(32).clone();
	g.bench_function("raw_blake2b_simd_many_256B_32MiB", |b| {
		b.iter(|| {
			for batch in data.chunks(256 * 64) {
				let mut jobs: Vec<_> = batch
					.chunks_exact(256)
					.map(|x| blake2b_simd::many::HashManyJob::new(&hp, x))
					.collect();
				blake2b_simd::many::hash_many(jobs.iter_mut());
			}
		})
	});
	// Generation throughput counts the bytes kept (the last layer).
	g.throughput(Throughput::Bytes(p.file_bytes()));
	let seed = file_seed(&MINER, 0, &GENESIS);
	g.bench_function("generate_1_thread", |b| b.iter(|| generate(&p, &seed).unwrap()));
	g.bench_function("generate_2_threads", |b| b.iter(|| generate_parallel(&p, &seed, 2).unwrap()));
	g.finish();
}

fn bench_proofs(c: &mut Criterion) {
	let p = params();
	let count = 4u32;
	let files: Vec<GeneratedFile> = (0..count)
		.map(|k| generate_parallel(&p, &file_seed(&MINER, u64::from(k), &GENESIS), 2).unwrap())
		.collect();
	let tree =
		BatchTree::new(&p, 0, &files.iter().map(GeneratedFile::commitment).collect::<Vec<_>>())
			.unwrap();
	let rec = tree.batch();
	let samples = generation_challenge(
		&p,
		&generation_seed(&[5; 32], &rec.root),
		count,
		DEFAULT_GENERATION_SAMPLES,
	);
	let t = Instant::now();
	let mut regen = Regenerate::new(&p, &MINER, &GENESIS, 0).with_threads(2);
	let proof = prove_generation(&p, &tree, &samples, |k, l| regen.layer_tree(k, l)).unwrap();
	println!(
		"generation check: {} samples over {count} files, proof {} bytes (proved in {:.1} s on 2 \
		 threads, regenerating the sampled files)",
		samples.len(),
		proof.len(),
		t.elapsed().as_secs_f64()
	);
	for big in [64u32, 512] {
		let s = generation_challenge(
			&p,
			&generation_seed(&[5; 32], &[1; 32]),
			big,
			DEFAULT_GENERATION_SAMPLES,
		);
		println!(
			"generation check, batch of {big} files: {} bytes",
			generation_proof_len(&p, big, &s).unwrap()
		);
	}
	let (mut worst, mut total) = (0, 0);
	for r in 0..20_000u32 {
		let mut randomness = [0u8; 32];
		randomness[..4].copy_from_slice(&r.to_le_bytes());
		let seed = generation_seed(&randomness, &[2; 32]);
		let s = generation_challenge(&p, &seed, 512, DEFAULT_GENERATION_SAMPLES);
		let len = generation_proof_len(&p, 512, &s).unwrap();
		worst = worst.max(len);
		total += len;
	}
	println!(
		"generation check, batch of 512 files, 20 000 draws: mean {} bytes, max {worst} bytes",
		total / 20_000
	);
	let mut g = c.benchmark_group("idle_proofs");
	g.sample_size(50).measurement_time(Duration::from_secs(5));
	g.bench_function("verify_generation", |b| {
		b.iter(|| verify_generation(&p, &MINER, &GENESIS, &rec, &samples, &proof).unwrap())
	});
	// A space round: the miner keeps the last layers; here their trees are in memory.
	let lasts: Vec<(LayerTree, [u8; 32])> = files
		.iter()
		.map(|f| (LayerTree::new(&f.last), lower_root(&f.roots[..f.roots.len() - 1])))
		.collect();
	let mut round = 0u32;
	let batches = [rec];
	let mut draw = || {
		round += 1;
		space_challenge(&p, &space_seed(&[3; 32], round, &MINER), &batches, DEFAULT_SPACE_SAMPLES)
	};
	let s = draw();
	let open = |x: &cess_primitives::idle::SpaceSample| {
		let (last, lower) = &lasts[x.file as usize];
		Ok::<_, Infallible>(SpaceOpening::from_trees(x, last, *lower, &tree).unwrap())
	};
	let space = prove_space(&p, &s, open).unwrap();
	println!("space round: {} samples, proof {} bytes", s.len(), space.len());
	let many = thousand_batches();
	let s_many = space_challenge(&p, &space_seed(&[3; 32], 1, &MINER), &many, 8);
	println!(
		"space round over 1000 batches of 512 files: {} bytes",
		space_proof_len(&p, &s_many).unwrap()
	);
	g.bench_function("space_prove_from_trees", |b| b.iter(|| prove_space(&p, &s, open).unwrap()));
	g.bench_function("verify_space", |b| b.iter(|| verify_space(&p, &s, &space).unwrap()));
	g.finish();
	expansion_and_cones(&p);
	sweep();
}

/// 1 000 full batches of 512 files with distinct roots.
fn thousand_batches() -> Vec<IdleBatch> {
	(0..1000u32)
		.map(|i| {
			let mut root = [0u8; 32];
			root[..4].copy_from_slice(&i.to_le_bytes());
			IdleBatch { root, first: u64::from(i) * 512, count: 512 }
		})
		.collect()
}

/// Generation-check and space-round sizes and cones of other parameters (`docs/idle-space.md`,
/// "Parameters and why"): mean and max over 2 000 draws for a 512-file batch, the worst of 500
/// rounds of 8 samples over 1 000 batches of 512 files.
fn sweep() {
	let many = thousand_batches();
	for (log2, layers, degree, samples) in [
		(20u8, 12u8, 6u8, 14u32),
		(20, 12, 6, 12),
		(20, 16, 6, 16),
		(20, 12, 8, 14),
		(20, 11, 14, 11),
		(20, 7, 32, 7),
		(16, 12, 6, 14),
		(22, 12, 6, 14),
	] {
		let p = IdleParams { layer_labels_log2: log2, layers, degree };
		let (mut worst, mut total) = (0, 0);
		for r in 0..2000u32 {
			let mut randomness = [0u8; 32];
			randomness[..4].copy_from_slice(&r.to_le_bytes());
			let s = generation_challenge(&p, &generation_seed(&randomness, &[9; 32]), 512, samples);
			let len = generation_proof_len(&p, 512, &s).unwrap();
			worst = worst.max(len);
			total += len;
		}
		let space = (0..500)
			.map(|r| {
				let s = space_challenge(&p, &space_seed(&[1; 32], r, &[2; 32]), &many, 8);
				space_proof_len(&p, &s).unwrap()
			})
			.max()
			.unwrap();
		println!(
			"sweep N=2^{log2} L={layers} d={degree} s={samples}: label blocks {}, check mean {} \
			 max {} bytes ({} per sample), space (8) max {space} bytes, cone {:.2} N",
			(44 + 32 * usize::from(degree)).div_ceil(128),
			total / 2000,
			worst,
			total / 2000 / samples as usize,
			cone(&p, 2)
		);
	}
}

/// The mean cone (labels of layers `L−1..=0`, as a multiple of N) of `trials` last-layer labels.
fn cone(p: &IdleParams, trials: u64) -> f64 {
	let n = p.labels() as usize;
	let mut mark = vec![0u32; n];
	let mut stamp = 0u32;
	let mut total = 0usize;
	for t in 0..trials {
		let mut frontier = vec![((t * 0x9e37_79b9_7f4a_7c15) % n as u64) as u32];
		for depth in 0..u32::from(p.layers) {
			stamp += 1;
			let mut next = Vec::new();
			for &x in &frontier {
				for q in parents(p, u32::from(p.layers) - depth, x) {
					if mark[q as usize] != stamp {
						mark[q as usize] = stamp;
						next.push(q);
					}
				}
			}
			total += next.len();
			frontier = next;
		}
	}
	total as f64 / trials as f64 / n as f64
}

/// Measured expansion of the layer graph and the dependency cone of last-layer labels.
fn expansion_and_cones(p: &IdleParams) {
	let n = p.labels() as usize;
	let mut rng = ChaCha20Rng::seed_from_u64(3);
	let mut mark = vec![0u32; n];
	let mut stamp = 0u32;
	for alpha in [0.001f64, 0.01, 0.05, 0.1, 0.25, 0.5] {
		stamp += 1;
		let k = ((n as f64) * alpha) as usize;
		let mut reached = 0usize;
		for _ in 0..k {
			let node = (rng.next_u64() % n as u64) as u32;
			for q in parents(p, 5, node) {
				if mark[q as usize] != stamp {
					mark[q as usize] = stamp;
					reached += 1;
				}
			}
		}
		println!(
			"expansion: {k} random labels of a layer have {reached} distinct parents ({:.3} N, \
			 {:.2}× the set)",
			reached as f64 / n as f64,
			reached as f64 / k.max(1) as f64
		);
	}
	// The cone of one last-layer label, layer by layer.
	let trials = 8;
	let mut per_layer = vec![0usize; usize::from(p.layers)];
	for _ in 0..trials {
		let mut frontier = vec![(rng.next_u64() % n as u64) as u32];
		for (depth, sum) in per_layer.iter_mut().enumerate() {
			let layer = u32::from(p.layers) - depth as u32;
			stamp += 1;
			let mut next = Vec::new();
			for &x in &frontier {
				for q in parents(p, layer, x) {
					if mark[q as usize] != stamp {
						mark[q as usize] = stamp;
						next.push(q);
					}
				}
			}
			*sum += next.len();
			frontier = next;
		}
	}
	let cone: Vec<f64> = per_layer.iter().map(|&c| c as f64 / trials as f64 / n as f64).collect();
	let total: f64 = cone.iter().sum();
	println!(
		"cone of one last-layer label, layers L-1 down to 0, as fractions of N: {:?}; total \
		 {total:.2} N of the file's {} N labels ({:.0} %)",
		cone.iter().map(|c| (c * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
		p.layers,
		100.0 * total / f64::from(p.layers)
	);
}

criterion_group!(benches, bench_generation, bench_proofs);
criterion_main!(benches);
