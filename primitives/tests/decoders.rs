//! Every decoder of untrusted bytes returns a typed error on truncated, oversized or random input
//! and never panics: PoDR² proofs (from miners, to the chain and to validators' probes), the
//! miners' stored upper levels, probe request paths.

use cess_primitives::layout::FileLayout;
use cess_primitives::possession::challenge::{expand_one, Holding, Sample};
use cess_primitives::possession::proof::verify;
use cess_primitives::possession::tree::UpperLevels;
use cess_primitives::probe::parse_probe_path;
use cess_primitives::types::ErasureProfile;
use proptest::prelude::*;

fn samples() -> Vec<Sample> {
	let layout = FileLayout::new(50_000, 8192, ErasureProfile::new(2, 1)).unwrap();
	expand_one(&[3; 32], 16, &Holding { file_id: [9; 32], column: 1, layout })
}

proptest! {
	#[test]
	fn random_proofs_never_panic_and_never_verify(bytes in proptest::collection::vec(any::<u8>(), 0..20_000)) {
		prop_assert!(verify(&samples(), &bytes).is_err());
	}

	#[test]
	fn random_upper_levels_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4_000)) {
		if let Ok(u) = UpperLevels::from_bytes(&bytes) {
			prop_assert_eq!(u.to_bytes(), bytes);
		}
	}

	#[test]
	fn random_paths_never_panic(path in "\\PC{0,120}") {
		let _ = parse_probe_path(&path);
	}

	#[test]
	fn random_samples_never_panic(
		leaf in any::<u32>(), segment in any::<u32>(), segments in any::<u32>(),
		width in any::<u16>(), column in any::<u16>(), fragment_len in any::<u32>(),
		proof in proptest::collection::vec(any::<u8>(), 0..3_000),
	) {
		let s = Sample { file_id: [1; 32], segment, column, leaf, segments, width, fragment_len };
		let _ = verify(&[s], &proof);
	}
}
