//! Deterministic challenge expansion (no_std), shared by the runtime and the miner.
//!
//! Each round the chain derives a seed per challenged miner with [`challenge_seed`]. Both sides
//! expand it with [`expand_challenge`] into `c` [`Sample`]s. Sample `i` is drawn from
//! `D_i = Blake2b-512("cess/podr2/challenge" ‖ seed ‖ le32(i))`:
//!
//! * holding index  = `⌊le64(D_i[0..8])  · holdings_count / 2^64⌋`
//! * segment        = `⌊le64(D_i[8..16]) · segment_count  / 2^64⌋`
//! * PoDR² block    = `⌊le64(D_i[16..24]) · blocks        / 2^64⌋` (blocks of `31·s` bytes in
//!   that segment's fragment)
//! * coefficient ν  = `D_i[24..40]` (128-bit little-endian)
//!
//! The multiply-shift maps are uniform up to a bias below `n / 2^64 ≤ 2^-32`. Samples are drawn
//! with replacement (a repeated block simply adds its coefficients).

use super::params::{Params, COEFF_BYTES};
use crate::decode::{DecodeError, Reader};
use crate::layout::FileLayout;
use crate::merkle::blake2_256_parts;
use crate::types::{Column, FileId, SegmentIndex};
use alloc::vec::Vec;
use blake2::digest::consts::U64;
use blake2::{Blake2b, Digest};
#[cfg(feature = "codec")]
use codec::{Decode, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Prefix of the seed derivation.
pub const SEED_DOMAIN: &[u8] = b"cess/podr2/seed";
/// Prefix of the per-sample expansion.
pub const CHALLENGE_DOMAIN: &[u8] = b"cess/podr2/challenge";
/// Largest number of samples a challenge may have (and a sample list decoder accepts).
pub const MAX_SAMPLES: u32 = 4096;
/// Bytes of one encoded [`Sample`].
pub const SAMPLE_BYTES: usize = 32 + 4 + 2 + 4 + COEFF_BYTES;

/// One challenged block: which fragment, which PoDR² block in it, and its coefficient `ν`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[cfg_attr(feature = "codec", derive(Encode, Decode, MaxEncodedLen, TypeInfo))]
pub struct Sample {
	/// The file.
	pub file_id: FileId,
	/// The segment within the file.
	pub segment: SegmentIndex,
	/// The column (fragment index within the segment).
	pub column: Column,
	/// The PoDR² block index within the fragment (blocks of `31·s` bytes).
	pub block: u32,
	/// The 128-bit coefficient `ν`, little-endian.
	pub coeff: [u8; 16],
}

impl Sample {
	/// The fragment name this sample refers to.
	pub fn name(&self) -> crate::types::Hash256 {
		super::params::name(&self.file_id, self.segment, self.column)
	}

	/// Appends the fixed 58-byte encoding:
	/// `file_id ‖ le32(segment) ‖ le16(column) ‖ le32(block) ‖ coeff`.
	pub fn write(&self, out: &mut Vec<u8>) {
		out.extend_from_slice(&self.file_id);
		out.extend_from_slice(&self.segment.to_le_bytes());
		out.extend_from_slice(&self.column.to_le_bytes());
		out.extend_from_slice(&self.block.to_le_bytes());
		out.extend_from_slice(&self.coeff);
	}

	fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
		Ok(Self {
			file_id: r.array()?,
			segment: r.u32()?,
			column: r.u16()?,
			block: r.u32()?,
			coeff: r.array()?,
		})
	}
}

/// Encodes a sample list as `le32(count) ‖ count × 58 bytes` (the format of
/// [`super::verify_proof_bytes`]).
pub fn encode_samples(samples: &[Sample]) -> Vec<u8> {
	let mut out = Vec::with_capacity(4 + samples.len() * SAMPLE_BYTES);
	out.extend_from_slice(&(samples.len() as u32).to_le_bytes());
	for s in samples {
		s.write(&mut out);
	}
	out
}

/// Decodes [`encode_samples`] output: at least one and at most [`MAX_SAMPLES`] samples, no
/// trailing bytes.
pub fn decode_samples(bytes: &[u8]) -> Result<Vec<Sample>, DecodeError> {
	let mut r = Reader::new(bytes);
	let n = r.u32()?;
	if n == 0 || n > MAX_SAMPLES {
		return Err(DecodeError::BadLength);
	}
	if r.remaining() != n as usize * SAMPLE_BYTES {
		return Err(if r.remaining() < n as usize * SAMPLE_BYTES {
			DecodeError::Truncated
		} else {
			DecodeError::TrailingBytes
		});
	}
	let samples = (0..n).map(|_| Sample::read(&mut r)).collect::<Result<Vec<_>, _>>()?;
	r.finish()?;
	Ok(samples)
}

/// Why a challenge could not be expanded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChallengeError {
	/// The miner holds nothing.
	NoHoldings,
	/// `c` is zero or above [`MAX_SAMPLES`].
	BadSampleCount,
	/// The holdings lookup had no entry for this index.
	MissingHolding(u32),
	/// The holding's layout is invalid or its column is outside the profile.
	BadHolding(u32),
}

/// The per-miner, per-round seed:
/// `Blake2b-256("cess/podr2/seed" ‖ randomness ‖ le64(round) ‖ le32(len(miner)) ‖ miner)`,
/// where `miner` is the miner's account id bytes.
pub fn challenge_seed(randomness: &[u8; 32], round: u64, miner: &[u8]) -> [u8; 32] {
	blake2_256_parts(&[
		SEED_DOMAIN,
		randomness,
		&round.to_le_bytes(),
		&(miner.len() as u32).to_le_bytes(),
		miner,
	])
}

fn uniform(bytes: &[u8], n: u64) -> u64 {
	crate::sampling::uniform_below(crate::sampling::le_u64(bytes), n)
}

/// Expands `seed` into `c` samples over a miner's `holdings_count` holdings (rules in the
/// [module docs](self)). `lookup(i)` maps holding index `i` to `(file_id, column, layout)`.
pub fn expand_challenge<F>(
	seed: &[u8; 32],
	c: u32,
	holdings_count: u32,
	params: Params,
	mut lookup: F,
) -> Result<Vec<Sample>, ChallengeError>
where
	F: FnMut(u32) -> Option<(FileId, Column, FileLayout)>,
{
	if holdings_count == 0 {
		return Err(ChallengeError::NoHoldings);
	}
	if c == 0 || c > MAX_SAMPLES {
		return Err(ChallengeError::BadSampleCount);
	}
	let mut out = Vec::with_capacity(c as usize);
	for i in 0..c {
		let d: [u8; 64] = Blake2b::<U64>::new()
			.chain_update(CHALLENGE_DOMAIN)
			.chain_update(seed)
			.chain_update(i.to_le_bytes())
			.finalize()
			.into();
		let holding = uniform(&d[0..8], u64::from(holdings_count)) as u32;
		let (file_id, column, layout) =
			lookup(holding).ok_or(ChallengeError::MissingHolding(holding))?;
		if layout.validate().is_err() || u32::from(column) >= layout.profile.total() {
			return Err(ChallengeError::BadHolding(holding));
		}
		let segment = uniform(&d[8..16], u64::from(layout.segment_count())) as u32;
		let blocks = params.blocks_in(layout.fragment_len(segment));
		let block = uniform(&d[16..24], blocks) as u32;
		let mut coeff = [0u8; 16];
		coeff.copy_from_slice(&d[24..40]);
		out.push(Sample { file_id, segment, column, block, coeff });
	}
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::types::ErasureProfile;

	fn holdings() -> Vec<(FileId, Column, FileLayout)> {
		let p = ErasureProfile::new(2, 1);
		vec![
			([1; 32], 0, FileLayout::new(100 << 20, 32 << 20, p).unwrap()),
			([2; 32], 2, FileLayout::new(5000, 32 << 20, p).unwrap()),
			([3; 32], 1, FileLayout::new(70 << 20, 1 << 20, p).unwrap()),
		]
	}

	#[test]
	fn deterministic_and_in_range() {
		let h = holdings();
		let seed = challenge_seed(&[9; 32], 5, b"miner-a");
		let params = Params::default();
		let a = expand_challenge(&seed, 460, 3, params, |i| h.get(i as usize).copied()).unwrap();
		let b = expand_challenge(&seed, 460, 3, params, |i| h.get(i as usize).copied()).unwrap();
		assert_eq!(a, b);
		assert_eq!(a.len(), 460);
		let mut seen = [0u32; 3];
		for s in &a {
			let (idx, (_, col, layout)) =
				h.iter().enumerate().find(|(_, x)| x.0 == s.file_id).unwrap();
			seen[idx] += 1;
			assert_eq!(s.column, *col);
			assert!(s.segment < layout.segment_count());
			assert!(u64::from(s.block) < params.blocks_in(layout.fragment_len(s.segment)));
		}
		// Roughly uniform over holdings.
		assert!(seen.iter().all(|&n| n > 100), "{seen:?}");
		// Another seed gives other samples.
		let seed2 = challenge_seed(&[9; 32], 6, b"miner-a");
		let c = expand_challenge(&seed2, 460, 3, params, |i| h.get(i as usize).copied()).unwrap();
		assert_ne!(a, c);
	}

	#[test]
	fn seed_binds_inputs() {
		let s = challenge_seed(&[1; 32], 1, b"a");
		assert_ne!(s, challenge_seed(&[2; 32], 1, b"a"));
		assert_ne!(s, challenge_seed(&[1; 32], 2, b"a"));
		assert_ne!(s, challenge_seed(&[1; 32], 1, b"b"));
	}

	#[test]
	fn errors() {
		let h = holdings();
		let seed = [0; 32];
		let p = Params::default();
		assert_eq!(expand_challenge(&seed, 4, 0, p, |_| None), Err(ChallengeError::NoHoldings));
		assert_eq!(
			expand_challenge(&seed, 0, 3, p, |i| h.get(i as usize).copied()),
			Err(ChallengeError::BadSampleCount)
		);
		// Holding index 3 is missing from a 3-entry map claimed to have 4 entries.
		let r = expand_challenge(&seed, 400, 4, p, |i| h.get(i as usize).copied());
		assert_eq!(r, Err(ChallengeError::MissingHolding(3)));
		let bad = |_| Some(([0; 32], 5, h[0].2));
		assert!(matches!(
			expand_challenge(&seed, 1, 1, p, bad),
			Err(ChallengeError::BadHolding(0))
		));
	}

	#[test]
	fn sample_codec() {
		let h = holdings();
		let samples =
			expand_challenge(&[4; 32], 7, 3, Params::default(), |i| h.get(i as usize).copied())
				.unwrap();
		let bytes = encode_samples(&samples);
		assert_eq!(bytes.len(), 4 + 7 * SAMPLE_BYTES);
		assert_eq!(decode_samples(&bytes).unwrap(), samples);
		for cut in 0..bytes.len() {
			assert!(decode_samples(&bytes[..cut]).is_err());
		}
		let mut long = bytes.clone();
		long.push(1);
		assert_eq!(decode_samples(&long), Err(DecodeError::TrailingBytes));
		assert_eq!(decode_samples(&[0, 0, 0, 0]), Err(DecodeError::BadLength));
		assert_eq!(decode_samples(&[0xff, 0xff, 0xff, 0xff]), Err(DecodeError::BadLength));
	}
}
