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

#[cfg(test)]
mod tests {
	use super::Fingerprint::*;

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
