//! Throughput of the upload and download pipelines, single-threaded, in bytes of file input.
//!
//! Run with `cargo bench --bench pipeline` (add `-- encode` etc. to filter). Results are kept in
//! `BENCH.md`.
//!
//! Time is the benchmark thread's **CPU time** (`/proc/thread-self/schedstat`), not wall time:
//! the pipeline is single-threaded, so bytes per CPU-second is the throughput per core, and it
//! stays meaningful on a machine shared with other work. Throughput is in MB/s (10^6 bytes) of
//! file input.

use std::{hint::black_box, time::Duration};

use cess_client::{
	crypto::aead::{key_check, SegmentCipher},
	decode, encode,
	erasure::SegmentCodec,
	format::{Cipher, StreamHeader},
	DataKey, Decryption, EncodeOptions, Encryption, Fetch, FragmentSink, FragmentSource, MemStore,
	Result,
};
use cess_primitives::{
	merkle,
	types::{Column, ErasureProfile, SegmentIndex, DEFAULT_SEGMENT_SIZE},
};
use criterion::{
	criterion_group, criterion_main,
	measurement::{Measurement, ValueFormatter, WallTime},
	BenchmarkId, Criterion, Throughput,
};

/// CPU time of the calling thread, in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
	std::fs::read_to_string("/proc/thread-self/schedstat")
		.ok()
		.and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
		.expect("/proc/thread-self/schedstat is readable (Linux)")
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpu {
	type Intermediate = u64;
	type Value = u64;

	fn start(&self) -> u64 {
		thread_cpu_ns()
	}
	fn end(&self, start: u64) -> u64 {
		thread_cpu_ns() - start
	}
	fn add(&self, a: &u64, b: &u64) -> u64 {
		a + b
	}
	fn zero(&self) -> u64 {
		0
	}
	fn to_f64(&self, value: &u64) -> f64 {
		*value as f64
	}
	fn formatter(&self) -> &dyn ValueFormatter {
		// Values are nanoseconds, exactly what the wall-time formatter expects.
		WALL.formatter()
	}
}

/// Two full default segments of encrypted stream.
const FILE_LEN: usize = 2 * DEFAULT_SEGMENT_SIZE as usize - 72 - 16;

/// A sink that only counts, so the benchmark measures the pipeline and not storage.
struct Discard(u64);

impl FragmentSink for Discard {
	fn put(&mut self, _: SegmentIndex, _: Column, data: &[u8]) -> Result<()> {
		self.0 += black_box(data).len() as u64;
		Ok(())
	}
}

/// A source that hides some columns, to force reconstruction.
struct Without<'a> {
	store: &'a mut MemStore,
	hidden: &'a [Column],
}

impl FragmentSource for Without<'_> {
	fn get(&mut self, segment: SegmentIndex, column: Column, out: &mut [u8]) -> Result<Fetch> {
		if self.hidden.contains(&column) {
			return Ok(Fetch::Missing);
		}
		self.store.get(segment, column, out)
	}
}

fn input() -> Vec<u8> {
	let mut x = 0x1234_5678_9abc_def1u64;
	(0..FILE_LEN)
		.map(|_| {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			x as u8
		})
		.collect()
}

fn pipeline(c: &mut Criterion<ThreadCpu>) {
	let plain = input();
	let key = DataKey::generate();
	let mut group = c.benchmark_group("pipeline");
	group
		.sample_size(10)
		.warm_up_time(Duration::from_secs(1))
		.measurement_time(Duration::from_secs(6));
	group.throughput(Throughput::BytesDecimal(FILE_LEN as u64));

	for (k, m) in [(4u8, 8u8), (2, 4), (8, 4)] {
		let options = EncodeOptions {
			profile: ErasureProfile::new(k, m),
			segment_size: DEFAULT_SEGMENT_SIZE,
			hash_threads: 1,
		};
		for (mode, encryption) in
			[("encrypted", Encryption::Encrypted(&key)), ("public", Encryption::Public)]
		{
			if mode == "public" && (k, m) != (4, 8) {
				continue;
			}
			group.bench_with_input(
				BenchmarkId::new(format!("encode/{mode}"), format!("{k}+{m}")),
				&(),
				|b, _| {
					b.iter(|| {
						let mut sink = Discard(0);
						encode(&plain[..], FILE_LEN as u64, encryption, &options, &mut sink)
							.unwrap()
					})
				},
			);
		}
	}

	let options = EncodeOptions::default();
	let mut store = MemStore::new();
	let manifest =
		encode(&plain[..], FILE_LEN as u64, Encryption::Encrypted(&key), &options, &mut store)
			.unwrap();
	let mut out = Vec::with_capacity(FILE_LEN);
	group.bench_function(BenchmarkId::new("decode/encrypted", "4+8 all present"), |b| {
		b.iter(|| {
			out.clear();
			decode(&manifest, &mut store, Decryption::Key(&key), &mut out).unwrap()
		})
	});
	group.bench_function(BenchmarkId::new("decode/encrypted", "4+8 data columns lost"), |b| {
		b.iter(|| {
			out.clear();
			let mut source = Without { store: &mut store, hidden: &[0, 1, 2, 3] };
			decode(&manifest, &mut source, Decryption::Key(&key), &mut out).unwrap()
		})
	});
	group.finish();
}

/// The building blocks, each on one 32 MiB segment, to see where the time goes.
fn blocks(c: &mut Criterion<ThreadCpu>) {
	let segment = DEFAULT_SEGMENT_SIZE as usize;
	let mut group = c.benchmark_group("blocks");
	group
		.sample_size(10)
		.warm_up_time(Duration::from_secs(1))
		.measurement_time(Duration::from_secs(3));
	group.throughput(Throughput::BytesDecimal(segment as u64));

	let key = DataKey::generate();
	let header = StreamHeader {
		cipher: Cipher::Aes256Gcm,
		plaintext_size: 10 * segment as u64,
		segment_size: DEFAULT_SEGMENT_SIZE,
		salt: [3; 16],
		key_check: key_check(&key, &[3; 16]),
	};
	let cipher = SegmentCipher::new(&key, &header).unwrap();
	let mut buf = vec![7u8; segment];
	group.bench_function("aes-256-gcm seal 32 MiB", |b| b.iter(|| cipher.seal(1, &mut buf)));

	let codec = SegmentCodec::new(ErasureProfile::new(4, 8)).unwrap();
	let fragment_len = (segment / 4).div_ceil(256) * 256;
	let mut shards = vec![9u8; codec.buffer_len(fragment_len)];
	group.bench_function("rs 4+8 encode 32 MiB", |b| {
		b.iter(|| codec.encode(&mut shards, fragment_len).unwrap())
	});

	group.bench_function("blake2b-256 of 32 MiB (one call)", |b| {
		b.iter(|| black_box(merkle::blake2_256(&shards[..segment])))
	});

	group.bench_function("fragment_hash x12 (4+8 of 32 MiB)", |b| {
		b.iter(|| {
			for fragment in shards.chunks_exact(fragment_len) {
				black_box(merkle::fragment_hash(fragment));
			}
		})
	});
	group.finish();
}

criterion_group! {
	name = benches;
	config = Criterion::default().with_measurement(ThreadCpu);
	targets = pipeline, blocks
}
criterion_main!(benches);
