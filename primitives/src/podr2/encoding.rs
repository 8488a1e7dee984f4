//! Byte encodings (no_std) of PoDR² objects: tags, proofs and opening proofs.
//!
//! * Points: ZCash compressed encoding as produced by blst — G1 48 bytes, G2 96 bytes; the
//!   top byte carries the flags (`0x80` compressed, `0x40` infinity, `0x20` sign of y).
//! * Scalars: `μ_j` are 32-byte little-endian `Fr` elements and must be canonical (`< r`).
//! * **Proof**: `σ (48) ‖ μ_1 (32) ‖ … ‖ μ_s (32)`, exactly `48 + 32·s` bytes.
//! * **Tags**: the concatenation of 48-byte compressed G1 points, one per PoDR² block.
//! * **Opening proof** (see [`super::opening`]):
//!   `fragment_hash (32) ‖ fragment_proof ‖ le16(n) ‖ n × entry`, entry =
//!   `le32(block) ‖ tag (48) ‖ u8(l) ‖ l × (leaf bytes (1984) ‖ leaf_proof)`, Merkle proofs in the
//!   [`MerkleProof::to_bytes`] format.
//!
//! The decoders here check structure only (lengths, counts, scalar canonicity, point flag bits);
//! whether a point is on the curve and in the subgroup is checked by the std verifiers, which
//! reject with the same [`DecodeError`] type.

use super::opening::{OpenedLeaf, OpeningEntry, OpeningProof};
use super::params::{Params, G1_BYTES, SCALAR_BYTES};
use crate::decode::{DecodeError, Reader};
use crate::merkle::MerkleProof;
use crate::types::BLOCK_BYTES;
use alloc::vec::Vec;

/// Little-endian bytes of the BLS12-381 scalar field modulus `r`.
pub const FR_MODULUS_LE: [u8; 32] = [
	0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0x02, 0xa4, 0xbd, 0x53,
	0x05, 0xd8, 0xa1, 0x09, 0x08, 0xd8, 0x39, 0x33, 0x48, 0x7d, 0x9d, 0x29, 0x53, 0xa7, 0xed, 0x73,
];

/// Largest number of opened blocks an opening proof may carry.
pub const MAX_OPENED_BLOCKS: usize = 256;
/// Largest number of Merkle leaves one opened PoDR² block may span.
pub const MAX_LEAVES_PER_BLOCK: usize = 6;

/// Whether `le` (little-endian) is a canonical `Fr` element, i.e. `< r`.
pub fn is_canonical_scalar(le: &[u8; 32]) -> bool {
	for i in (0..32).rev() {
		if le[i] != FR_MODULUS_LE[i] {
			return le[i] < FR_MODULUS_LE[i];
		}
	}
	false
}

/// Structural check of a compressed G1 point's flag bits: compressed, not infinity.
fn g1_flags_ok(p: &[u8; 48]) -> bool {
	p[0] & 0x80 != 0 && p[0] & 0x40 == 0
}

/// A PoDR² tag: a 48-byte compressed G1 point `σ_i`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Tag(pub [u8; G1_BYTES]);

/// Concatenates tags (48 bytes each).
pub fn tags_to_bytes(tags: &[Tag]) -> Vec<u8> {
	tags.iter().flat_map(|t| t.0).collect()
}

/// Splits concatenated tags, checking the length and each point's flag bits (curve and subgroup
/// membership are checked by [`super::check_tags_batched`]).
pub fn tags_from_bytes(bytes: &[u8]) -> Result<Vec<Tag>, DecodeError> {
	if !bytes.len().is_multiple_of(G1_BYTES) {
		return Err(DecodeError::BadLength);
	}
	bytes
		.chunks_exact(G1_BYTES)
		.map(|c| {
			let t: [u8; 48] = c.try_into().expect("48 bytes");
			if g1_flags_ok(&t) {
				Ok(Tag(t))
			} else {
				Err(DecodeError::InvalidPoint)
			}
		})
		.collect()
}

/// A PoDR² proof: `σ = Σ ν_i σ_i` and `μ_j = Σ ν_i m_ij` for `j = 1..=s`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Proof {
	/// `σ`, compressed G1.
	pub sigma: [u8; G1_BYTES],
	/// `μ_1..μ_s`, 32-byte little-endian canonical scalars.
	pub mu: Vec<[u8; SCALAR_BYTES]>,
}

impl Proof {
	/// `σ ‖ μ_1 ‖ … ‖ μ_s` (`48 + 32·s` bytes).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(G1_BYTES + SCALAR_BYTES * self.mu.len());
		out.extend_from_slice(&self.sigma);
		for m in &self.mu {
			out.extend_from_slice(m);
		}
		out
	}

	/// Decodes a proof for parameters `params`: exactly `48 + 32·s` bytes, canonical `μ_j`, σ with
	/// valid flag bits.
	pub fn from_bytes(bytes: &[u8], params: Params) -> Result<Self, DecodeError> {
		if bytes.len() < params.proof_len() {
			return Err(DecodeError::Truncated);
		}
		if bytes.len() > params.proof_len() {
			return Err(DecodeError::TrailingBytes);
		}
		let mut r = Reader::new(bytes);
		let sigma: [u8; 48] = r.array()?;
		if !g1_flags_ok(&sigma) {
			return Err(DecodeError::InvalidPoint);
		}
		let mut mu = Vec::with_capacity(params.sectors());
		for _ in 0..params.s() {
			let m: [u8; 32] = r.array()?;
			if !is_canonical_scalar(&m) {
				return Err(DecodeError::NonCanonicalScalar);
			}
			mu.push(m);
		}
		r.finish()?;
		Ok(Self { sigma, mu })
	}
}

impl OpeningProof {
	/// The canonical byte encoding (see the [module docs](self)).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::new();
		out.extend_from_slice(&self.fragment_hash);
		self.fragment_proof.write(&mut out);
		out.extend_from_slice(&(self.entries.len() as u16).to_le_bytes());
		for e in &self.entries {
			out.extend_from_slice(&e.block.to_le_bytes());
			out.extend_from_slice(&e.tag.0);
			out.push(e.leaves.len() as u8);
			for l in &e.leaves {
				out.extend_from_slice(&l.data);
				l.proof.write(&mut out);
			}
		}
		out
	}

	/// Decodes [`Self::to_bytes`] output, enforcing [`MAX_OPENED_BLOCKS`],
	/// [`MAX_LEAVES_PER_BLOCK`], whole leaves, well-formed Merkle proofs, tag flag bits and no
	/// trailing bytes.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		let mut r = Reader::new(bytes);
		let fragment_hash = r.array()?;
		let fragment_proof = MerkleProof::read(&mut r)?;
		let n = usize::from(r.u16()?);
		if n == 0 || n > MAX_OPENED_BLOCKS {
			return Err(DecodeError::BadLength);
		}
		let mut entries = Vec::with_capacity(n);
		for _ in 0..n {
			let block = r.u32()?;
			let tag: [u8; 48] = r.array()?;
			if !g1_flags_ok(&tag) {
				return Err(DecodeError::InvalidPoint);
			}
			let l = usize::from(r.u8()?);
			if l == 0 || l > MAX_LEAVES_PER_BLOCK {
				return Err(DecodeError::BadLength);
			}
			let mut leaves = Vec::with_capacity(l);
			for _ in 0..l {
				let data = r.take(BLOCK_BYTES)?.to_vec();
				let proof = MerkleProof::read(&mut r)?;
				leaves.push(OpenedLeaf { data, proof });
			}
			entries.push(OpeningEntry { block, tag: Tag(tag), leaves });
		}
		r.finish()?;
		Ok(Self { fragment_hash, fragment_proof, entries })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn scalar_canonicity() {
		assert!(is_canonical_scalar(&[0; 32]));
		let mut r = FR_MODULUS_LE;
		assert!(!is_canonical_scalar(&r));
		r[0] -= 1;
		assert!(is_canonical_scalar(&r));
		assert!(!is_canonical_scalar(&[0xff; 32]));
		let mut big = [0u8; 32];
		big[31] = 0x74;
		assert!(!is_canonical_scalar(&big));
		// Every 31-byte sector is canonical.
		let mut sector = [0xffu8; 32];
		sector[31] = 0;
		assert!(is_canonical_scalar(&sector));
	}

	#[test]
	fn proof_decoder_rejects_bad_input() {
		let p = Params::new(4).unwrap();
		let mut good = vec![0u8; p.proof_len()];
		good[0] = 0x80;
		assert!(Proof::from_bytes(&good, p).is_ok());
		assert_eq!(Proof::from_bytes(&good[..good.len() - 1], p), Err(DecodeError::Truncated));
		let mut long = good.clone();
		long.push(0);
		assert_eq!(Proof::from_bytes(&long, p), Err(DecodeError::TrailingBytes));
		let mut inf = good.clone();
		inf[0] = 0xc0;
		assert_eq!(Proof::from_bytes(&inf, p), Err(DecodeError::InvalidPoint));
		let mut noncanon = good.clone();
		noncanon[48..80].copy_from_slice(&FR_MODULUS_LE);
		assert_eq!(Proof::from_bytes(&noncanon, p), Err(DecodeError::NonCanonicalScalar));
		let decoded = Proof::from_bytes(&good, p).unwrap();
		assert_eq!(decoded.to_bytes(), good);
	}

	#[test]
	fn tag_decoder() {
		let mut b = vec![0u8; 96];
		b[0] = 0x80;
		b[48] = 0xa0;
		assert_eq!(tags_from_bytes(&b).unwrap().len(), 2);
		assert_eq!(tags_to_bytes(&tags_from_bytes(&b).unwrap()), b);
		assert_eq!(tags_from_bytes(&b[..95]), Err(DecodeError::BadLength));
		b[48] = 0;
		assert_eq!(tags_from_bytes(&b), Err(DecodeError::InvalidPoint));
	}
}
