//! Batched tag check (std): one pairing equation for all tags of a fragment.
//!
//! With random 128-bit `ρ_i`:
//! `e(Σ ρ_i σ_i, g2) = e(Σ ρ_i H(name ‖ i) + Σ_j (Σ_i ρ_i m_ij) u_j, v)`.
//! Every tag is first decompressed and checked to be in the prime-order subgroup (a check of the
//! combined point alone would miss small-order components). Hashing, decompression and the MSMs
//! run in parallel on the current rayon pool.

use super::curve;
use super::encoding::Tag;
use super::keys::PublicKey;
use super::params::{h_message, Params, DST_H};
use crate::types::{Hash256, SECTOR_BYTES};
use blst::{blst_fr, blst_p1, blst_p1_affine};
use rand_core::RngCore;
use rayon::prelude::*;

/// Why a batched tag check failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TagCheckError {
	/// The number of tags differs from the number of PoDR² blocks of the fragment.
	CountMismatch {
		/// Blocks in the fragment.
		expected: u64,
		/// Tags supplied.
		got: u64,
	},
	/// Tag `index` does not decode to a non-identity point of the G1 subgroup.
	InvalidTag {
		/// Position of the first bad tag.
		index: u64,
	},
	/// The pairing equation does not hold: some tag does not match the data.
	Mismatch,
}

impl core::fmt::Display for TagCheckError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::CountMismatch { expected, got } => {
				write!(f, "expected {expected} tags, got {got}")
			},
			Self::InvalidTag { index } => write!(f, "tag {index} is not a valid G1 point"),
			Self::Mismatch => f.write_str("tags do not match the fragment"),
		}
	}
}

impl std::error::Error for TagCheckError {}

/// Checks all `tags` of `fragment` (named `name`, tagged under `pk`) with one batched equation,
/// drawing the 128-bit coefficients from `rng`.
pub fn check_tags_batched<R: RngCore>(
	pk: &PublicKey,
	name: &Hash256,
	fragment: &[u8],
	tags: &[Tag],
	params: Params,
	rng: &mut R,
) -> Result<(), TagCheckError> {
	let n = params.blocks_in(fragment.len() as u64);
	if n != tags.len() as u64 {
		return Err(TagCheckError::CountMismatch { expected: n, got: tags.len() as u64 });
	}
	if n == 0 {
		return Ok(());
	}
	let mut rho = vec![0u8; tags.len() * 16];
	rng.fill_bytes(&mut rho);
	let blocks: Vec<(u64, &[u8])> = (0..n).map(|i| (i, block_slice(fragment, i, params))).collect();
	let points = check_points(pk, name, &blocks, tags, &rho, params)?;
	if points {
		Ok(())
	} else {
		Err(TagCheckError::Mismatch)
	}
}

/// The bytes of PoDR² block `i` of `fragment` (possibly short: the last block).
pub(crate) fn block_slice(fragment: &[u8], i: u64, params: Params) -> &[u8] {
	let bb = params.block_bytes();
	let start = (i as usize).saturating_mul(bb).min(fragment.len());
	let end = start.saturating_add(bb).min(fragment.len());
	&fragment[start..end]
}

/// Shared core of the batched check (also used by the opening-proof verifier): `blocks` are
/// `(index, bytes)` pairs (bytes zero-padded to `31·s`), `rho` 16 bytes per block.
pub(crate) fn check_points(
	pk: &PublicKey,
	name: &Hash256,
	blocks: &[(u64, &[u8])],
	tags: &[Tag],
	rho: &[u8],
	params: Params,
) -> Result<bool, TagCheckError> {
	debug_assert_eq!(blocks.len(), tags.len());
	debug_assert_eq!(rho.len(), 16 * blocks.len());
	let sigmas: Vec<blst_p1_affine> = tags
		.par_iter()
		.enumerate()
		.map(|(i, t)| {
			curve::g1_decompress_checked(&t.0)
				.map_err(|_| TagCheckError::InvalidTag { index: i as u64 })
		})
		.collect::<Result<_, _>>()?;
	let hs: Vec<blst_p1> =
		blocks.par_iter().map(|(i, _)| curve::hash_to_g1(&h_message(name, *i), DST_H)).collect();
	let hs = curve::batch_to_affine(&hs);
	let lhs = curve::msm_parallel(&sigmas, rho, 128);
	let h_sum = curve::msm_parallel(&hs, rho, 128);
	let mu = weighted_sector_sums(blocks, rho, params);
	let rhs = curve::add(&h_sum, &generator_msm(&mu, params));
	Ok(curve::pairing_eq(&lhs, &rhs, &pk.point))
}

/// `μ_j = Σ_i c_i m_ij mod r` over `(index, block bytes)` pairs with 16-byte coefficients, in
/// parallel; returns the `s` sums as canonical 32-byte little-endian scalars.
pub(crate) fn weighted_sector_sums(
	blocks: &[(u64, &[u8])],
	coeffs: &[u8],
	params: Params,
) -> Vec<[u8; 32]> {
	let s = params.sectors();
	let zero = || vec![blst_fr::default(); s];
	let sums = blocks
		.par_iter()
		.zip(coeffs.par_chunks(16))
		.fold(zero, |mut acc, ((_, block), c)| {
			let c = curve::fr_from_le(c);
			for (j, sector) in block.chunks(SECTOR_BYTES).take(s).enumerate() {
				curve::fr_mul_add(&mut acc[j], &c, &curve::fr_from_le(sector));
			}
			acc
		})
		.reduce(zero, |a, b| a.iter().zip(&b).map(|(x, y)| curve::fr_add(x, y)).collect());
	sums.iter().map(curve::fr_to_le).collect()
}

/// `Σ_j μ_j u_j` for canonical 32-byte scalars, with the cached small-window generator table.
pub(crate) fn generator_msm(mu: &[[u8; 32]], params: Params) -> blst_p1 {
	let table = super::tag::generator_table(params.sectors(), VERIFY_WINDOW);
	let flat: Vec<u8> = mu.iter().flatten().copied().collect();
	let mut sc = super::fast_msm::Scratch::default();
	table.msm_many(&flat, 32, 255, &mut sc)[0].to_p1()
}

/// Window of the generator table used for `Σ μ_j u_j` in checks and verification (`s · 512`
/// points: 3 MB and about 50 ms to build at `s = 64`, once per process).
pub(crate) const VERIFY_WINDOW: usize = 10;
