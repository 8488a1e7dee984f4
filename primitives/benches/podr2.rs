//! PoDR² benchmarks: tagging (one core / all cores, s = 64 and 256, 8 MiB fragment), the batched
//! tag check of an 8 MiB fragment, and prove/verify for c = 46 and c = 460.
//!
//! `CESS_BENCH_MIB` overrides the fragment size (MiB) for quick runs.

use cess_primitives::layout::FileLayout;
use cess_primitives::podr2::*;
use cess_primitives::types::ErasureProfile;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::time::Duration;

fn fragment_mib() -> usize {
	std::env::var("CESS_BENCH_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(8)
}

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
	let mut v = vec![0u8; len];
	ChaCha20Rng::seed_from_u64(seed).fill_bytes(&mut v);
	v
}

fn one_thread() -> rayon::ThreadPool {
	rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap()
}

fn bench_tagging(c: &mut Criterion) {
	let data = random_bytes(fragment_mib() << 20, 1);
	let sk = SecretKey::from_seed(&[1; 32]);
	let nm = name(&[2; 32], 0, 0);
	let pool1 = one_thread();
	let mut g = c.benchmark_group("tag_8MiB");
	g.sample_size(10)
		.measurement_time(Duration::from_secs(20))
		.warm_up_time(Duration::from_secs(1));
	g.throughput(Throughput::Bytes(data.len() as u64));
	for s in [64u32, 256] {
		let params = Params::new(s).unwrap();
		let tagger = Tagger::new(&sk, params);
		g.bench_function(format!("s{s}/1core"), |b| {
			b.iter(|| pool1.install(|| tagger.tag_fragment(&nm, &data)))
		});
		g.bench_function(format!("s{s}/all_cores"), |b| b.iter(|| tagger.tag_fragment(&nm, &data)));
	}
	g.finish();

	// The textbook per-block tagger (blst Pippenger per block) on 1 MiB, as a machine-speed
	// reference: PERF-LIMITS.md measured it at 1.18 MB/s (s = 64) and 1.79 MB/s (s = 256) idle.
	let mut g = c.benchmark_group("tag_textbook_1MiB");
	g.sample_size(10)
		.measurement_time(Duration::from_secs(10))
		.warm_up_time(Duration::from_secs(1));
	let small = &data[..1 << 20];
	g.throughput(Throughput::Bytes(small.len() as u64));
	for s in [64u32, 256] {
		let params = Params::new(s).unwrap();
		g.bench_function(format!("s{s}/1core"), |b| {
			b.iter(|| {
				for (i, block) in small.chunks(params.block_bytes()).enumerate() {
					std::hint::black_box(tag::tag_block_reference(
						&sk, &nm, i as u64, block, params,
					));
				}
			})
		});
	}
	g.finish();
}

fn bench_batch_check(c: &mut Criterion) {
	let data = random_bytes(fragment_mib() << 20, 2);
	let sk = SecretKey::from_seed(&[1; 32]);
	let pk = sk.public_key();
	let params = Params::default();
	let nm = name(&[3; 32], 0, 0);
	let tags = Tagger::new(&sk, params).tag_fragment(&nm, &data);
	let pool1 = one_thread();
	let mut rng = ChaCha20Rng::seed_from_u64(9);
	let mut g = c.benchmark_group("batch_check_8MiB_s64");
	g.sample_size(10)
		.measurement_time(Duration::from_secs(10))
		.warm_up_time(Duration::from_secs(1));
	g.bench_function("all_cores", |b| {
		b.iter(|| assert_eq!(check_tags_batched(&pk, &nm, &data, &tags, params, &mut rng), Ok(())))
	});
	g.bench_function("1core", |b| {
		b.iter(|| {
			pool1.install(|| {
				assert_eq!(check_tags_batched(&pk, &nm, &data, &tags, params, &mut rng), Ok(()))
			})
		})
	});
	g.finish();
}

fn bench_prove_verify(c: &mut Criterion) {
	let mib = fragment_mib();
	let params = Params::default();
	let profile = ErasureProfile::new(4, 8);
	let layout = FileLayout::new((4 * mib as u64) << 20, 32 << 20, profile).unwrap();
	let frag = random_bytes(layout.fragment_len(0) as usize, 3);
	let sk = SecretKey::from_seed(&[4; 32]);
	let pk = sk.public_key();
	let fid = [5u8; 32];
	let tags = Tagger::new(&sk, params).tag_fragment(&name(&fid, 0, 0), &frag);
	let pool1 = one_thread();
	let mut g = c.benchmark_group("prove_verify_s64");
	g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
	for n in [46u32, 460] {
		let samples =
			expand_challenge(&[n as u8; 32], n, 1, params, |_| Some((fid, 0, layout))).unwrap();
		let items: Vec<ChallengedBlock<'_>> = samples
			.iter()
			.map(|s| {
				let st = s.block as usize * params.block_bytes();
				ChallengedBlock {
					sample: *s,
					data: &frag[st..(st + params.block_bytes()).min(frag.len())],
					tag: tags[s.block as usize],
				}
			})
			.collect();
		g.bench_function(format!("prove/c{n}/1core"), |b| {
			b.iter(|| pool1.install(|| prove(&items, params).unwrap()))
		});
		let proof = prove(&items, params).unwrap();
		let (pkb, sb, pb) = (pk.to_bytes(), encode_samples(&samples), proof.to_bytes());
		assert!(verify_proof_bytes(&pkb, &sb, &pb, 64));
		g.bench_function(format!("verify_bytes/c{n}"), |b| {
			b.iter_batched(
				|| (),
				|_| assert!(verify_proof_bytes(&pkb, &sb, &pb, 64)),
				BatchSize::SmallInput,
			)
		});
	}
	g.finish();
}

criterion_group!(benches, bench_tagging, bench_batch_check, bench_prove_verify);
criterion_main!(benches);
