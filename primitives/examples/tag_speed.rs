//! Quick tagging throughput probe (one thread, then all threads):
//! `cargo run --release --example tag_speed -- [s] [w] [MiB] [blocks per batch]`.
use cess_primitives::podr2::{name, Params, SecretKey, Tagger};
use std::time::Instant;

/// Process CPU seconds (user + system) from /proc/self/stat (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
	let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
	let after = stat.rsplit(')').next().unwrap_or("");
	let f: Vec<&str> = after.split_whitespace().collect();
	let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0)
		+ f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
	ticks / 100.0
}

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let s: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(64);
	let params = Params::new(s).unwrap();
	let w: usize = args
		.get(2)
		.and_then(|a| a.parse().ok())
		.unwrap_or(cess_primitives::podr2::tag::default_window(s as usize));
	let mib: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2);
	let sk = SecretKey::from_seed(&[1; 32]);
	let t = Instant::now();
	let mut tagger = Tagger::with_window(&sk, params, w);
	if let Some(b) = args.get(4).and_then(|a| a.parse().ok()) {
		tagger.set_blocks_per_batch(b);
	}
	println!(
		"s={s} w={w} table {:.1} MB built in {:.2?}",
		tagger.table_bytes() as f64 / 1e6,
		t.elapsed()
	);
	let data: Vec<u8> =
		(0..mib << 20).map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[3]).collect();
	let nm = name(&[0; 32], 0, 0);
	let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
	for _ in 0..2 {
		let (t, c) = (Instant::now(), cpu_seconds());
		let tags = one.install(|| tagger.tag_fragment(&nm, &data));
		let (e, cpu) = (t.elapsed(), cpu_seconds() - c);
		println!(
			"1 thread : {} tags, {:.2} MB/s wall, {:.2} MB per CPU-second",
			tags.len(),
			data.len() as f64 / e.as_secs_f64() / 1e6,
			data.len() as f64 / cpu / 1e6
		);
	}
	// Textbook reference (x·(H_i + Pippenger(u, m_i)) per block) on the same thread, for a
	// machine-independent ratio.
	let n_ref = 200usize.min(data.len() / params.block_bytes());
	let (t, c) = (Instant::now(), cpu_seconds());
	for i in 0..n_ref {
		let b = &data[i * params.block_bytes()..][..params.block_bytes()];
		std::hint::black_box(cess_primitives::podr2::tag::tag_block_reference(
			&sk, &nm, i as u64, b, params,
		));
	}
	let (e, cpu) = (t.elapsed(), cpu_seconds() - c);
	let bytes = (n_ref * params.block_bytes()) as f64;
	println!(
		"textbook : {:.2} MB/s wall, {:.2} MB per CPU-second",
		bytes / e.as_secs_f64() / 1e6,
		bytes / cpu / 1e6
	);
	let t = Instant::now();
	let tags = tagger.tag_fragment(&nm, &data);
	let e = t.elapsed();
	println!(
		"all({}) : {} tags, {:.2} MB/s",
		rayon::current_num_threads(),
		tags.len(),
		data.len() as f64 / e.as_secs_f64() / 1e6
	);
}
