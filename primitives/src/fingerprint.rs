//! Content fingerprints: what the data-rights pallet registers for a file and compares to find
//! near-duplicates, and what the client computes from the plaintext (`cess_client::fingerprint`).

#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// A file's content fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)
)]
pub enum Fingerprint {
	/// 64-bit SimHash of a text's word shingles.
	SimHash(u64),
	/// 64-bit DCT perceptual hash (pHash) of an image.
	PerceptualHash(u64),
	/// Blake2b-256 of the exact bytes, for everything else (exact duplicates only).
	ContentHash([u8; 32]),
}

impl Fingerprint {
	/// A human-readable name of the kind: "text SimHash", "image pHash" or "content hash".
	pub fn kind_name(&self) -> &'static str {
		match self {
			Fingerprint::SimHash(_) => "text SimHash",
			Fingerprint::PerceptualHash(_) => "image pHash",
			Fingerprint::ContentHash(_) => "content hash",
		}
	}

	/// The Hamming distance to `other` if both are similarity hashes of the same kind. Content
	/// hashes have no notion of closeness: `Some(0)` if equal, `None` otherwise. `None` across
	/// kinds.
	pub fn distance(&self, other: &Fingerprint) -> Option<u32> {
		match (self, other) {
			(Fingerprint::SimHash(a), Fingerprint::SimHash(b))
			| (Fingerprint::PerceptualHash(a), Fingerprint::PerceptualHash(b)) => Some((a ^ b).count_ones()),
			(Fingerprint::ContentHash(a), Fingerprint::ContentHash(b)) => (a == b).then_some(0),
			_ => None,
		}
	}
}

/// Domain prefix of [`fingerprint_commitment`].
pub const COMMITMENT_DOMAIN: &[u8] = b"cess/fingerprint-commitment/v1";

/// What an uploader commits to when it declares `file_id`, before anyone else can see the
/// fingerprint: `H(COMMITMENT_DOMAIN ‖ kind ‖ value ‖ file_id ‖ salt)` (kind 0 SimHash, 1 pHash,
/// 2 content hash; values little-endian or raw). Registering the fingerprint later with the same
/// `salt` opens it, and the registration then counts from the declaration's block: a copier who
/// read the fingerprint from a pending registration cannot have committed to it earlier. The
/// salt keeps a short similarity hash from being found by trying all values.
pub fn fingerprint_commitment(
	fingerprint: &Fingerprint,
	file_id: &crate::types::FileId,
	salt: &crate::types::Hash256,
) -> crate::types::Hash256 {
	let (kind, value): (u8, alloc::vec::Vec<u8>) = match fingerprint {
		Fingerprint::SimHash(h) => (0, h.to_le_bytes().to_vec()),
		Fingerprint::PerceptualHash(h) => (1, h.to_le_bytes().to_vec()),
		Fingerprint::ContentHash(h) => (2, h.to_vec()),
	};
	crate::merkle::blake2_256_parts(&[COMMITMENT_DOMAIN, &[kind], &value, file_id, salt])
}

#[cfg(test)]
mod tests {
	use super::Fingerprint::*;

	#[test]
	fn a_commitment_binds_kind_value_file_and_salt() {
		use super::fingerprint_commitment as c;
		let base = c(&SimHash(7), &[1; 32], &[2; 32]);
		assert_eq!(base, c(&SimHash(7), &[1; 32], &[2; 32]));
		assert_ne!(base, c(&PerceptualHash(7), &[1; 32], &[2; 32]));
		assert_ne!(base, c(&SimHash(8), &[1; 32], &[2; 32]));
		assert_ne!(base, c(&SimHash(7), &[3; 32], &[2; 32]));
		assert_ne!(base, c(&SimHash(7), &[1; 32], &[3; 32]));
	}

	#[test]
	fn distance_compares_only_the_same_kind() {
		assert_eq!(SimHash(0b1011).distance(&SimHash(0b0001)), Some(2));
		assert_eq!(PerceptualHash(u64::MAX).distance(&PerceptualHash(0)), Some(64));
		assert_eq!(SimHash(7).distance(&PerceptualHash(7)), None);
		assert_eq!(ContentHash([1; 32]).distance(&ContentHash([1; 32])), Some(0));
		assert_eq!(ContentHash([1; 32]).distance(&ContentHash([2; 32])), None);
		assert_eq!(ContentHash([0; 32]).distance(&SimHash(0)), None);
	}
}
