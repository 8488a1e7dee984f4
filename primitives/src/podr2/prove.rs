//! Proving (std): `σ = Σ ν_i σ_i` and `μ_j = Σ ν_i m_ij mod r` over the challenged blocks.

use super::batch_check::weighted_sector_sums;
use super::challenge::Sample;
use super::curve;
use super::encoding::{Proof, Tag};
use super::params::Params;
use blst::blst_p1_affine;

/// One challenged block as the miner answers it: the sample, the block bytes (`31·s` bytes, or
/// fewer for the fragment's last block, which is zero-padded) and the block's tag.
#[derive(Clone, Copy, Debug)]
pub struct ChallengedBlock<'a> {
	/// The sample (its coefficient is used).
	pub sample: Sample,
	/// The PoDR² block's bytes.
	pub data: &'a [u8],
	/// The tag stored for that block.
	pub tag: Tag,
}

/// Why a proof could not be made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProveError {
	/// No challenged blocks.
	Empty,
	/// Block `index` (position in the input) is longer than `31·s` bytes.
	BlockTooLong {
		/// Position in the input.
		index: usize,
	},
	/// Tag `index` (position in the input) does not decode to a curve point.
	InvalidTag {
		/// Position in the input.
		index: usize,
	},
}

impl core::fmt::Display for ProveError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Empty => f.write_str("no challenged blocks"),
			Self::BlockTooLong { index } => write!(f, "block {index} is longer than a PoDR² block"),
			Self::InvalidTag { index } => write!(f, "tag {index} does not decode"),
		}
	}
}

impl std::error::Error for ProveError {}

/// Builds the proof for the challenged blocks (in the order of the samples).
pub fn prove(blocks: &[ChallengedBlock<'_>], params: Params) -> Result<Proof, ProveError> {
	if blocks.is_empty() {
		return Err(ProveError::Empty);
	}
	let mut coeffs = Vec::with_capacity(blocks.len() * 16);
	let mut points: Vec<blst_p1_affine> = Vec::with_capacity(blocks.len());
	let mut data: Vec<(u64, &[u8])> = Vec::with_capacity(blocks.len());
	for (index, b) in blocks.iter().enumerate() {
		if b.data.len() > params.block_bytes() {
			return Err(ProveError::BlockTooLong { index });
		}
		// The miner's own tags: an on-curve check suffices (the verifier checks σ fully).
		points.push(
			curve::g1_decompress_on_curve(&b.tag.0)
				.map_err(|_| ProveError::InvalidTag { index })?,
		);
		coeffs.extend_from_slice(&b.sample.coeff);
		data.push((u64::from(b.sample.block), b.data));
	}
	let sigma = curve::compress(&curve::msm(&points, &coeffs, 128));
	let mu = weighted_sector_sums(&data, &coeffs, params);
	Ok(Proof { sigma, mu })
}
