//! PoDR² parameters, domain-separation tags and fragment names.

use crate::merkle::blake2_256_parts;
use crate::types::{
	Column, FileId, Hash256, SegmentIndex, DEFAULT_SECTORS_PER_BLOCK, SECTOR_BYTES,
};

/// RFC 9380 DST of the public generators `u_j = hash_to_G1(le32(j))`, `j = 1..=s`.
pub const DST_U: &[u8] = b"CESS-PODR2-V1-U";
/// RFC 9380 DST of the per-block points `H(name ‖ le64(i))`.
pub const DST_H: &[u8] = b"CESS-PODR2-V1-H";
/// RFC 9380 DST of the proof-of-possession signature `x · hash_to_G1(account_id)`.
pub const DST_POP: &[u8] = b"CESS-PODR2-V1-POP";
/// Prefix of the fragment-name hash.
pub const NAME_DOMAIN: &[u8] = b"cess/podr2/name";
/// Smallest supported `s`.
pub const MIN_SECTORS_PER_BLOCK: u32 = 1;
/// Largest supported `s` (proofs of 48 + 32·256 = 8 240 bytes).
pub const MAX_SECTORS_PER_BLOCK: u32 = 256;
/// Bytes of a compressed G1 point (tag, σ, proof of possession).
pub const G1_BYTES: usize = 48;
/// Bytes of a compressed G2 point (public key).
pub const G2_BYTES: usize = 96;
/// Bytes of one encoded `μ_j` (32-byte little-endian `Fr`).
pub const SCALAR_BYTES: usize = 32;
/// Bytes of a challenge coefficient `ν` (128-bit little-endian).
pub const COEFF_BYTES: usize = 16;

/// Why [`Params::new`] rejected `s`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BadSectorCount(pub u32);

/// PoDR² parameters: the number of sectors per block `s` (a chain constant, default 64).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Params {
	s: u32,
}

impl Default for Params {
	fn default() -> Self {
		Self { s: DEFAULT_SECTORS_PER_BLOCK as u32 }
	}
}

impl Params {
	/// Parameters with `s` sectors per block, `MIN_SECTORS_PER_BLOCK ≤ s ≤ MAX_SECTORS_PER_BLOCK`.
	pub const fn new(s: u32) -> Result<Self, BadSectorCount> {
		if s < MIN_SECTORS_PER_BLOCK || s > MAX_SECTORS_PER_BLOCK {
			return Err(BadSectorCount(s));
		}
		Ok(Self { s })
	}

	/// Sectors per block.
	pub const fn s(&self) -> u32 {
		self.s
	}

	/// Sectors per block as `usize`.
	pub const fn sectors(&self) -> usize {
		self.s as usize
	}

	/// Bytes per PoDR² block, `31 · s`.
	pub const fn block_bytes(&self) -> usize {
		SECTOR_BYTES * self.s as usize
	}

	/// Bytes of an encoded proof, `48 + 32 · s`.
	pub const fn proof_len(&self) -> usize {
		G1_BYTES + SCALAR_BYTES * self.s as usize
	}

	/// Number of PoDR² blocks (= tags) of a fragment of `fragment_len` bytes (last block
	/// zero-padded).
	pub const fn blocks_in(&self, fragment_len: u64) -> u64 {
		fragment_len.div_ceil(self.block_bytes() as u64)
	}
}

/// A fragment's PoDR² name: `Blake2b-256("cess/podr2/name" ‖ file_id ‖ le32(seg) ‖ le16(col))`.
pub fn name(file_id: &FileId, seg: SegmentIndex, col: Column) -> Hash256 {
	blake2_256_parts(&[NAME_DOMAIN, file_id, &seg.to_le_bytes(), &col.to_le_bytes()])
}

/// The message hashed to `H(name ‖ i)`: `name ‖ le64(i)`.
pub fn h_message(name: &Hash256, index: u64) -> [u8; 40] {
	let mut m = [0u8; 40];
	m[..32].copy_from_slice(name);
	m[32..].copy_from_slice(&index.to_le_bytes());
	m
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn params_bounds() {
		assert_eq!(Params::default().s(), 64);
		assert_eq!(Params::default().block_bytes(), 1984);
		assert_eq!(Params::default().proof_len(), 2096);
		assert_eq!(Params::new(256).unwrap().proof_len(), 8240);
		assert_eq!(Params::new(0), Err(BadSectorCount(0)));
		assert_eq!(Params::new(257), Err(BadSectorCount(257)));
		assert_eq!(Params::default().blocks_in(8 << 20), 4229);
		assert_eq!(Params::default().blocks_in(1984), 1);
		assert_eq!(Params::new(256).unwrap().blocks_in(4229 * 1984), 1058);
	}

	#[test]
	fn name_binds_all_fields() {
		let f = [7u8; 32];
		let n = name(&f, 1, 2);
		assert_ne!(n, name(&f, 2, 1));
		assert_ne!(n, name(&f, 1, 3));
		assert_ne!(n, name(&[8u8; 32], 1, 2));
		let mut pre = Vec::new();
		pre.extend_from_slice(b"cess/podr2/name");
		pre.extend_from_slice(&f);
		pre.extend_from_slice(&[1, 0, 0, 0, 2, 0]);
		assert_eq!(n, crate::merkle::blake2_256(&pre));
	}
}
