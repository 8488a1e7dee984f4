//! Verification (std, blst; called by the runtime through a host function):
//! `e(σ, g2) = e(Σ ν_i H(name_i ‖ i) + Σ_j μ_j u_j, v)`.
//!
//! Single-threaded and deterministic. `σ` must be a non-identity point of the G1 subgroup, every
//! `μ_j` canonical, the public key a valid G2 subgroup point.

use super::batch_check::generator_msm;
use super::challenge::{decode_samples, Sample, MAX_SAMPLES};
use super::curve;
use super::encoding::{is_canonical_scalar, Proof};
use super::keys::PublicKey;
use super::params::{h_message, Params, DST_H};
use blst::blst_p1;

/// Verifies `proof` for `samples` under the miner key `pk`.
pub fn verify(pk: &PublicKey, samples: &[Sample], proof: &Proof, params: Params) -> bool {
	if samples.is_empty()
		|| samples.len() > MAX_SAMPLES as usize
		|| proof.mu.len() != params.sectors()
	{
		return false;
	}
	if !proof.mu.iter().all(is_canonical_scalar) {
		return false;
	}
	let Ok(sigma) = curve::g1_decompress_checked(&proof.sigma) else {
		return false;
	};
	let hs: Vec<blst_p1> = samples
		.iter()
		.map(|s| curve::hash_to_g1(&h_message(&s.name(), u64::from(s.block)), DST_H))
		.collect();
	let hs = curve::batch_to_affine(&hs);
	let coeffs: Vec<u8> = samples.iter().flat_map(|s| s.coeff).collect();
	let h_sum = curve::msm(&hs, &coeffs, 128);
	let rhs = curve::add(&h_sum, &generator_msm(&proof.mu, params));
	curve::pairing_eq(&curve::from_affine(&sigma), &rhs, &pk.point)
}

/// Byte-slice entry point for the runtime host function: `pk` is the 96-byte compressed key,
/// `samples_encoded` is [`super::encode_samples`] output, `proof` is [`Proof::to_bytes`] output
/// and `s` the sectors per block. Never panics; any malformed input gives `false`.
pub fn verify_proof_bytes(pk: &[u8], samples_encoded: &[u8], proof: &[u8], s: u32) -> bool {
	let Ok(params) = Params::new(s) else {
		return false;
	};
	let Ok(pk) = PublicKey::from_bytes(pk) else {
		return false;
	};
	let Ok(samples) = decode_samples(samples_encoded) else {
		return false;
	};
	let Ok(proof) = Proof::from_bytes(proof, params) else {
		return false;
	};
	verify(&pk, &samples, &proof, params)
}
