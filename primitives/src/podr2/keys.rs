//! Miner keys: BLS secret `x ∈ Fr`, public key `v = g2^x` (96-byte compressed G2) and the proof of
//! possession `x · hash_to_G1(account_id)` under [`DST_POP`] (48-byte compressed G1).

use super::curve;
use super::params::{DST_POP, G1_BYTES, G2_BYTES};
use crate::decode::DecodeError;
use blst::{
	blst_keygen, blst_p1, blst_p2, blst_p2_affine, blst_p2_to_affine, blst_scalar,
	blst_sign_pk_in_g2, blst_sk_check, blst_sk_to_pk_in_g2,
};

/// Domain string passed as `info` to the IETF BLS KeyGen when deriving a key from a seed.
pub const KEYGEN_INFO: &[u8] = b"cess/podr2/keygen";

/// A miner's PoDR² secret key `x` (never zero). Zeroized on drop.
#[derive(Clone)]
pub struct SecretKey {
	pub(crate) scalar: blst_scalar,
}

impl core::fmt::Debug for SecretKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("SecretKey(<redacted>)")
	}
}

impl SecretKey {
	/// Derives a key from 32 bytes of seed material with the IETF BLS `KeyGen` (HKDF-SHA256,
	/// `info` = [`KEYGEN_INFO`]). The same seed always gives the same key.
	pub fn from_seed(seed: &[u8; 32]) -> Self {
		let mut scalar = blst_scalar::default();
		// SAFETY: seed and info are live slices with their lengths.
		unsafe {
			blst_keygen(
				&mut scalar,
				seed.as_ptr(),
				seed.len(),
				KEYGEN_INFO.as_ptr(),
				KEYGEN_INFO.len(),
			)
		};
		Self { scalar }
	}

	/// The 32-byte little-endian encoding of `x`.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.scalar.b
	}

	/// Parses a 32-byte little-endian secret: must be canonical and non-zero.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		let b: [u8; 32] = bytes.try_into().map_err(|_| DecodeError::BadLength)?;
		let scalar = blst_scalar { b };
		// SAFETY: valid scalar value.
		if unsafe { blst_sk_check(&scalar) } {
			Ok(Self { scalar })
		} else {
			Err(DecodeError::NonCanonicalScalar)
		}
	}

	/// The public key `v = g2^x`.
	pub fn public_key(&self) -> PublicKey {
		let mut p = blst_p2::default();
		let mut a = blst_p2_affine::default();
		// SAFETY: valid blst values.
		unsafe {
			blst_sk_to_pk_in_g2(&mut p, &self.scalar);
			blst_p2_to_affine(&mut a, &p);
		}
		PublicKey { point: a }
	}

	/// `x · P` for a G1 point.
	pub(crate) fn mul(&self, p: &blst_p1) -> blst_p1 {
		curve::mult(p, &self.scalar.b, 255)
	}

	/// The proof of possession over the miner's account id bytes:
	/// `x · hash_to_G1(account_id)` under [`DST_POP`].
	pub fn prove_possession(&self, account_id: &[u8]) -> ProofOfPossession {
		let h = curve::hash_to_g1(account_id, DST_POP);
		let mut sig = blst_p1::default();
		// SAFETY: valid blst values.
		unsafe { blst_sign_pk_in_g2(&mut sig, &h, &self.scalar) };
		ProofOfPossession(curve::compress(&sig))
	}
}

/// A miner's PoDR² public key `v = g2^x`, validated (in G2, not infinity).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PublicKey {
	pub(crate) point: blst_p2_affine,
}

impl PublicKey {
	/// The 96-byte compressed encoding.
	pub fn to_bytes(&self) -> [u8; G2_BYTES] {
		curve::g2_compress_affine(&self.point)
	}

	/// Parses and validates a 96-byte compressed G2 point (on curve, in the subgroup, not
	/// infinity).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		Ok(Self { point: curve::g2_decompress_checked(bytes)? })
	}

	/// Checks a proof of possession over `account_id`: `e(pop, g2) = e(hash_to_G1(account_id), v)`.
	pub fn verify_possession(&self, account_id: &[u8], pop: &ProofOfPossession) -> bool {
		let Ok(sig) = curve::g1_decompress_checked(&pop.0) else {
			return false;
		};
		let h = curve::hash_to_g1(account_id, DST_POP);
		curve::pairing_eq(&curve::from_affine(&sig), &h, &self.point)
	}
}

/// A proof of possession: 48-byte compressed G1 signature over the miner's account id.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ProofOfPossession(pub [u8; G1_BYTES]);

impl ProofOfPossession {
	/// The 48-byte compressed encoding.
	pub fn to_bytes(&self) -> [u8; G1_BYTES] {
		self.0
	}

	/// Parses a 48-byte compressed G1 point, validating it (on curve, subgroup, not infinity).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
		let b: [u8; G1_BYTES] = bytes.try_into().map_err(|_| DecodeError::BadLength)?;
		curve::g1_decompress_checked(&b)?;
		Ok(Self(b))
	}
}

/// Byte-slice entry point for the runtime host function: parses `pk` (96 B) and `pop` (48 B) and
/// checks the proof of possession over `account_id`. Never panics; malformed input gives `false`.
pub fn verify_pop_bytes(pk: &[u8], account_id: &[u8], pop: &[u8]) -> bool {
	match (PublicKey::from_bytes(pk), ProofOfPossession::from_bytes(pop)) {
		(Ok(pk), Ok(pop)) => pk.verify_possession(account_id, &pop),
		_ => false,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keygen_is_deterministic_and_roundtrips() {
		let a = SecretKey::from_seed(&[1; 32]);
		let b = SecretKey::from_seed(&[1; 32]);
		let c = SecretKey::from_seed(&[2; 32]);
		assert_eq!(a.to_bytes(), b.to_bytes());
		assert_ne!(a.to_bytes(), c.to_bytes());
		let pk = a.public_key();
		assert_eq!(PublicKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
		assert_eq!(SecretKey::from_bytes(&a.to_bytes()).unwrap().public_key(), pk);
		assert!(SecretKey::from_bytes(&[0; 32]).is_err());
		assert!(SecretKey::from_bytes(&[0xff; 32]).is_err());
		assert!(SecretKey::from_bytes(&[1; 31]).is_err());
	}

	#[test]
	fn pop_verifies_only_for_its_account_and_key() {
		let sk = SecretKey::from_seed(&[3; 32]);
		let pk = sk.public_key();
		let pop = sk.prove_possession(b"alice");
		assert!(pk.verify_possession(b"alice", &pop));
		assert!(!pk.verify_possession(b"bob", &pop));
		let other = SecretKey::from_seed(&[4; 32]).public_key();
		assert!(!other.verify_possession(b"alice", &pop));
		assert!(verify_pop_bytes(&pk.to_bytes(), b"alice", &pop.to_bytes()));
		assert!(!verify_pop_bytes(&pk.to_bytes()[..95], b"alice", &pop.to_bytes()));
		assert!(!verify_pop_bytes(&pk.to_bytes(), b"alice", &[0u8; 48]));
	}

	#[test]
	fn pk_decoder_rejects_garbage() {
		let pk = SecretKey::from_seed(&[5; 32]).public_key().to_bytes();
		assert_eq!(PublicKey::from_bytes(&pk[..95]), Err(DecodeError::Truncated));
		let mut long = pk.to_vec();
		long.push(0);
		assert_eq!(PublicKey::from_bytes(&long), Err(DecodeError::TrailingBytes));
		// Infinity is rejected.
		let mut inf = [0u8; 96];
		inf[0] = 0xc0;
		assert_eq!(PublicKey::from_bytes(&inf), Err(DecodeError::InvalidPoint));
		// Random bytes essentially never decode.
		let mut bad = pk;
		bad[5] ^= 0x55;
		assert!(
			PublicKey::from_bytes(&bad).is_err()
				|| PublicKey::from_bytes(&bad).unwrap().to_bytes() == bad
		);
	}
}
