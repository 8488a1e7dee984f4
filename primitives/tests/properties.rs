//! Seeded property loops over random fragments, keys and challenges: an honest proof verifies;
//! altering a block, a coefficient, the key, or replaying for another seed fails.

mod common;

use cess_primitives::layout::FileLayout;
use cess_primitives::podr2::*;
use cess_primitives::types::ErasureProfile;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

#[test]
fn seeded_prove_verify_properties() {
	let mut rng = ChaCha20Rng::seed_from_u64(0xC355);
	for round in 0..6 {
		let s = [4u32, 16, 64][round % 3];
		let params = Params::new(s).unwrap();
		let mut key_seed = [0u8; 32];
		rng.fill_bytes(&mut key_seed);
		let sk = SecretKey::from_seed(&key_seed);
		let pk = sk.public_key();
		let tagger = Tagger::with_window(&sk, params, 5);
		let size = 1 + (rng.next_u32() % 60_000) as u64;
		let layout = FileLayout::new(size, 16 * 1984, ErasureProfile::new(2, 2)).unwrap();
		let mut fid = [0u8; 32];
		rng.fill_bytes(&mut fid);
		let col = (rng.next_u32() % 4) as u16;
		let frags: Vec<Vec<u8>> = (0..layout.segment_count())
			.map(|seg| {
				let mut f = vec![0u8; layout.fragment_len(seg) as usize];
				rng.fill_bytes(&mut f);
				f
			})
			.collect();
		let tags: Vec<Vec<Tag>> = frags
			.iter()
			.enumerate()
			.map(|(seg, f)| tagger.tag_fragment(&name(&fid, seg as u32, col), f))
			.collect();
		// The owner's acceptance check passes.
		for (seg, f) in frags.iter().enumerate() {
			assert_eq!(
				check_tags_batched(
					&pk,
					&name(&fid, seg as u32, col),
					f,
					&tags[seg],
					params,
					&mut rng
				),
				Ok(())
			);
		}
		let mut seed = [0u8; 32];
		rng.fill_bytes(&mut seed);
		let c = 1 + rng.next_u32() % 50;
		let samples = expand_challenge(&seed, c, 1, params, |_| Some((fid, col, layout))).unwrap();
		let make = |samples: &[Sample], flip: Option<usize>| {
			let owned: Vec<Vec<u8>> = samples
				.iter()
				.enumerate()
				.map(|(k, smp)| {
					let f = &frags[smp.segment as usize];
					let bb = params.block_bytes();
					let st = smp.block as usize * bb;
					let mut b = f[st..(st + bb).min(f.len())].to_vec();
					if flip == Some(k) {
						let at = b.len() / 2;
						b[at] ^= 0x80;
					}
					b
				})
				.collect();
			let items: Vec<ChallengedBlock<'_>> = samples
				.iter()
				.zip(&owned)
				.map(|(smp, b)| ChallengedBlock {
					sample: *smp,
					data: b,
					tag: tags[smp.segment as usize][smp.block as usize],
				})
				.collect();
			prove(&items, params).unwrap()
		};
		let proof = make(&samples, None);
		assert!(verify(&pk, &samples, &proof, params), "round {round}");
		let k = (rng.next_u32() % c) as usize;
		assert!(!verify(&pk, &samples, &make(&samples, Some(k)), params));
		let mut alt = samples.clone();
		alt[k].coeff[15] ^= 0x40;
		assert!(!verify(&pk, &alt, &proof, params));
		let wrong = SecretKey::from_seed(&[round as u8; 32]).public_key();
		assert!(!verify(&wrong, &samples, &proof, params));
		let mut seed2 = seed;
		seed2[0] ^= 1;
		let other = expand_challenge(&seed2, c, 1, params, |_| Some((fid, col, layout))).unwrap();
		assert!(!verify(&pk, &other, &proof, params));
	}
}
