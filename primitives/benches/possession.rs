//! PoDR² v2 benchmarks on one core, each beside the building block it depends on, measured in the
//! same run: raw BLAKE2b (both crates) against the leaf tree of an 8 MiB fragment (≥ 60 %) and
//! the miner's check on receipt (≥ 300 MB/s); prove and verify at c = 16 over 8 MiB fragments
//! (from whole trees and from kept upper levels); challenge expansion.
//!
//! `CESS_BENCH_MIB` overrides the fragment size (MiB) for quick runs.

use blake2::{digest::consts::U32, Blake2b, Digest};
use cess_primitives::layout::FileLayout;
use cess_primitives::possession::challenge::{expand, Holding};
use cess_primitives::possession::proof::{prove, verify, SamplePath};
use cess_primitives::possession::tree::{check_fragment, FileTree, FragmentTree};
use cess_primitives::types::ErasureProfile;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::convert::Infallible;
use std::time::Duration;

fn fragment_mib() -> usize {
	std::env::var("CESS_BENCH_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(8)
}

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
	let mut v = vec![0u8; len];
	ChaCha20Rng::seed_from_u64(seed).fill_bytes(&mut v);
	v
}

fn bench_hashing(c: &mut Criterion) {
	let data = random_bytes(fragment_mib() << 20, 1);
	let mut g = c.benchmark_group("hash_8MiB");
	g.sample_size(20).measurement_time(Duration::from_secs(5));
	g.throughput(Throughput::Bytes(data.len() as u64));
	g.bench_function("raw_blake2", |b| b.iter(|| Blake2b::<U32>::digest(&data)));
	g.bench_function("raw_blake2b_simd", |b| {
		b.iter(|| blake2b_simd::Params::new().hash_length(32).hash(&data))
	});
	g.bench_function("leaf_tree", |b| b.iter(|| FragmentTree::new(&data).root()));
	let expected = FragmentTree::new(&data).root();
	g.bench_function("check_on_receipt", |b| b.iter(|| assert!(check_fragment(&data, &expected))));
	g.finish();
}

/// A file of 8 MiB fragments (64 MiB, 32 MiB segments, 4 + 8) held whole in memory.
struct Held {
	holding: Holding,
	data: Vec<Vec<Vec<u8>>>,
	trees: Vec<Vec<FragmentTree>>,
	file: FileTree,
}

fn held() -> Held {
	let mib = fragment_mib() as u64;
	let layout =
		FileLayout::new((8 * mib) << 20, (4 * mib) << 20, ErasureProfile::new(4, 8)).unwrap();
	let data: Vec<Vec<Vec<u8>>> = (0..layout.segment_count())
		.map(|s| {
			(0..12u64)
				.map(|c| random_bytes(layout.fragment_len(s) as usize, u64::from(s) * 100 + c))
				.collect()
		})
		.collect();
	let trees: Vec<Vec<FragmentTree>> =
		data.iter().map(|seg| seg.iter().map(|f| FragmentTree::new(f)).collect()).collect();
	let hashes: Vec<_> = trees.iter().flatten().map(FragmentTree::root).collect();
	let file = FileTree::new(&hashes);
	Held { holding: Holding { file_id: file.root(), column: 3, layout }, data, trees, file }
}

fn bench_prove_verify(c: &mut Criterion) {
	let h = held();
	let class = h.holding.class().unwrap();
	let uppers: Vec<Vec<_>> =
		h.trees.iter().map(|seg| seg.iter().map(|t| t.upper_levels(6)).collect()).collect();
	let mut g = c.benchmark_group("podr2_v2_c16");
	g.sample_size(50).measurement_time(Duration::from_secs(5));
	let mut round = 0u32;
	let mut challenge = || {
		round = round.wrapping_add(1);
		let seed =
			cess_primitives::possession::challenge::challenge_seed(&[1; 32], round, &[2; 32]);
		expand(&seed, 16, &[(class, 1)], |_, _| Some(h.holding))
	};
	g.bench_function("expand", |b| b.iter(&mut challenge));
	let samples = challenge();
	let path_from_tree = |s: &cess_primitives::possession::Sample| {
		let frag = &h.data[s.segment as usize][usize::from(s.column)];
		let mut leaf = [0u8; 256];
		let start = s.offset() as usize;
		leaf.copy_from_slice(&frag[start..start + 256]);
		Ok::<_, Infallible>(SamplePath {
			leaf,
			fragment_path: h.trees[s.segment as usize][usize::from(s.column)]
				.path(u64::from(s.leaf))
				.unwrap(),
			file_path: h.file.path(s.fragment_index() as u32).unwrap(),
		})
	};
	g.bench_function("prove_from_trees", |b| b.iter(|| prove(&samples, path_from_tree).unwrap()));
	// What a miner does: hash the 64 leaves (16 KiB) around each sample, read the rest of the
	// path from the kept upper levels (level 6).
	g.bench_function("prove_from_upper_levels", |b| {
		b.iter(|| {
			prove(&samples, |s| {
				let upper = &uppers[s.segment as usize][usize::from(s.column)];
				let r = upper.chunk_range(u64::from(s.leaf));
				let frag = &h.data[s.segment as usize][usize::from(s.column)];
				let (leaf, fragment_path) =
					upper.path(u64::from(s.leaf), &frag[r.start as usize..r.end as usize]).unwrap();
				Ok::<_, Infallible>(SamplePath {
					leaf,
					fragment_path,
					file_path: h.file.path(s.fragment_index() as u32).unwrap(),
				})
			})
			.unwrap()
		})
	});
	let proof = prove(&samples, path_from_tree).unwrap();
	println!("proof at c = 16: {} bytes", proof.len());
	g.bench_function("verify", |b| b.iter(|| verify(&samples, &proof).unwrap()));
	g.finish();
}

criterion_group!(benches, bench_hashing, bench_prove_verify);
criterion_main!(benches);
