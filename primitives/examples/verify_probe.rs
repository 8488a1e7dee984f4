//! Verification cost probe: `cargo run --release --example verify_probe -- [c]`.
use cess_primitives::layout::FileLayout;
use cess_primitives::podr2::*;
use cess_primitives::types::ErasureProfile;
use std::time::Instant;

fn main() {
	let c: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(46);
	let params = Params::default();
	let layout = FileLayout::new(4 << 20, 32 << 20, ErasureProfile::new(4, 8)).unwrap();
	let frag: Vec<u8> =
		(0..layout.fragment_len(0) as usize).map(|i| (i * 7 + i / 3) as u8).collect();
	let sk = SecretKey::from_seed(&[4; 32]);
	let fid = [5u8; 32];
	let tags = Tagger::with_window(&sk, params, 8).tag_fragment(&name(&fid, 0, 0), &frag);
	let samples = expand_challenge(&[1; 32], c, 1, params, |_| Some((fid, 0, layout))).unwrap();
	let items: Vec<ChallengedBlock<'_>> = samples
		.iter()
		.map(|s| {
			let st = s.block as usize * 1984;
			ChallengedBlock { sample: *s, data: &frag[st..st + 1984], tag: tags[s.block as usize] }
		})
		.collect();
	let proof = prove(&items, params).unwrap().to_bytes();
	let (pk, sb) = (sk.public_key().to_bytes(), encode_samples(&samples));
	assert!(verify_proof_bytes(&pk, &sb, &proof, 64));
	let n = 200;
	// Interleave verification with a hash_to_G1 calibration (PERF-LIMITS.md: 60 µs idle), so the
	// ratio is meaningful on a loaded machine.
	let (mut tv, mut th) = (0f64, 0f64);
	for round in 0..20u32 {
		let t = Instant::now();
		for _ in 0..10 {
			assert!(verify_proof_bytes(&pk, &sb, &proof, 64));
		}
		tv += t.elapsed().as_secs_f64() / 10.0;
		let t = Instant::now();
		for i in 0..100u32 {
			let mut p = blst::blst_p1::default();
			let m = (round * 100 + i).to_le_bytes();
			// SAFETY: plain FFI with live buffers.
			unsafe {
				blst::blst_hash_to_g1(&mut p, m.as_ptr(), 4, b"x".as_ptr(), 1, std::ptr::null(), 0)
			};
			std::hint::black_box(p);
		}
		th += t.elapsed().as_secs_f64() / 100.0;
	}
	let (v, h) = (tv / 20.0 * 1e3, th / 20.0 * 1e6);
	println!(
		"verify c={c}: {v:.2} ms; hash_to_G1 {h:.1} us; = {:.1} hashes; at 60 us/hash: {:.2} ms",
		v * 1e3 / h,
		v * 60.0 / h
	);
	let t = Instant::now();
	for _ in 0..n {
		let _ = PublicKey::from_bytes(&pk).unwrap();
	}
	println!("pk decode+subgroup: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
}
