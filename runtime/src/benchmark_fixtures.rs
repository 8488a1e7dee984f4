//! Fixtures of the storage benchmarks that need BLS12-381 work the runtime cannot do itself:
//! the `sminer` registrant's PoDR² key with its proof of possession, and a `file-bank` restoral
//! opening proof for this runtime's segment size, `s` and `c_r`.
//!
//! `cargo test -p cess-runtime benchmark_fixtures` checks they match what the current code
//! computes; run it with `CESS_WRITE_FIXTURES=1` to rewrite them after a protocol change.

/// SCALE `(AccountId, [u8; 96], [u8; 48])`.
#[cfg(feature = "runtime-benchmarks")]
pub const SMINER_REGISTRANT: &[u8] = include_bytes!("../fixtures/sminer_registrant.scale");
/// SCALE `pallet_file_bank::RestoralFixture`.
#[cfg(feature = "runtime-benchmarks")]
pub const RESTORAL: &[u8] = include_bytes!("../fixtures/restoral.scale");

#[cfg(test)]
mod tests {
	use crate::{configs::SegmentSize, AccountId};
	use codec::Encode;
	use polkadot_sdk::frame_support::traits::Get;

	/// The benchmark registrant: a fixed account.
	fn registrant() -> Vec<u8> {
		let who = AccountId::from([0x11; 32]);
		let sk = cess_primitives::podr2::SecretKey::from_seed(&[0x22; 32]);
		(who.clone(), sk.public_key().to_bytes(), sk.prove_possession(&who.encode()).to_bytes())
			.encode()
	}

	fn restoral() -> Vec<u8> {
		let samples = <crate::Runtime as pallet_file_bank::Config>::RestoralSamples::get();
		let sectors = <crate::Runtime as pallet_file_bank::Config>::SectorsPerBlock::get();
		pallet_file_bank::fixture::restoral_fixture(SegmentSize::get(), sectors, samples).encode()
	}

	fn check(name: &str, bytes: Vec<u8>) {
		let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name);
		if std::env::var_os("CESS_WRITE_FIXTURES").is_some() {
			std::fs::create_dir_all(path.parent().unwrap()).unwrap();
			std::fs::write(&path, &bytes).unwrap();
		}
		let stored = std::fs::read(&path).unwrap_or_default();
		assert!(
			stored == bytes,
			"{} is stale: run `CESS_WRITE_FIXTURES=1 cargo test -p cess-runtime benchmark_fixtures`",
			path.display()
		);
	}

	#[test]
	fn benchmark_fixtures_are_current() {
		check("sminer_registrant.scale", registrant());
		check("restoral.scale", restoral());
	}
}
