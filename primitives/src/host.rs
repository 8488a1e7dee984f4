//! The runtime interface through which the runtime checks PoDR² at native speed.
//!
//! The wasm side of these functions only passes bytes to the host; the node runs the native
//! side, which is the `std` code of [`crate::podr2`] (blst). The node registers
//! [`podr_verifier::HostFunctions`] in every executor (service and benchmark). Called natively (pallet
//! tests, the miner), the functions run the same code directly.

// The generated wasm and native functions of `verify_opening` take every argument separately.
#![allow(clippy::too_many_arguments)]

use sp_runtime_interface::{
	pass_by::{PassFatPointerAndDecode, PassFatPointerAndRead, PassPointerAndRead},
	runtime_interface,
};

/// PoDR² verification: proofs of a round, restoral openings, proofs of possession of miner keys.
#[runtime_interface]
pub trait PodrVerifier {
	/// Whether `proof` answers the challenge `samples` (as encoded by
	/// [`crate::podr2::encode_samples`]) for the miner key `public_key`, with `sectors` sectors
	/// per block. Malformed input is `false`.
	fn verify_proof(
		public_key: PassFatPointerAndRead<&[u8]>,
		samples: PassFatPointerAndRead<&[u8]>,
		proof: PassFatPointerAndRead<&[u8]>,
		sectors: u32,
	) -> bool {
		crate::podr2::verify_proof_bytes(public_key, samples, proof, sectors)
	}

	/// Whether `opening` proves, for the blocks `indices` of column `column` of segment
	/// `segment` of file `file_id` (erasure profile `k + m`), that the restorer holds the data
	/// committed to by `file_id` and tags under `public_key` that verify over it.
	fn verify_opening(
		public_key: PassFatPointerAndRead<&[u8]>,
		file_id: PassPointerAndRead<&[u8; 32], 32>,
		segment: u32,
		column: u16,
		k: u8,
		m: u8,
		indices: PassFatPointerAndDecode<alloc::vec::Vec<u32>>,
		opening: PassFatPointerAndRead<&[u8]>,
		sectors: u32,
	) -> bool {
		let profile = crate::types::ErasureProfile::new(k, m);
		crate::podr2::verify_opening_bytes(
			public_key, file_id, segment, column, &profile, &indices, opening, sectors,
		)
	}

	/// Whether `pop` is a valid proof of possession of `public_key` by `account_id`.
	fn verify_possession(
		public_key: PassFatPointerAndRead<&[u8]>,
		account_id: PassFatPointerAndRead<&[u8]>,
		pop: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		crate::podr2::verify_pop_bytes(public_key, account_id, pop)
	}
}

#[cfg(test)]
mod tests {
	use super::podr_verifier as podr2;
	use crate::podr2::SecretKey;

	#[test]
	fn possession_checks_through_the_host_interface() {
		let sk = SecretKey::from_seed(&[9u8; 32]);
		let pk = sk.public_key().to_bytes();
		let pop = sk.prove_possession(b"miner-account").to_bytes();
		assert!(podr2::verify_possession(&pk, b"miner-account", &pop));
		assert!(!podr2::verify_possession(&pk, b"another-account", &pop));
		assert!(!podr2::verify_possession(&pk[..10], b"miner-account", &pop));
	}

	#[test]
	fn garbage_proofs_and_openings_are_rejected_not_panicking() {
		let pk = SecretKey::from_seed(&[1u8; 32]).public_key().to_bytes();
		assert!(!podr2::verify_proof(&pk, &[0u8; 7], &[0u8; 2096], 64));
		assert!(!podr2::verify_proof(&[], &[], &[], 0));
		assert!(!podr2::verify_opening(&pk, &[0u8; 32], 0, 0, 2, 4, vec![0, 1], &[1, 2, 3], 64));
	}
}
