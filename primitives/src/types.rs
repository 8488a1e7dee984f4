//! Identifiers and protocol constants, defined once for the whole project.

#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// A Blake2b-256 digest (equal to Substrate's `BlakeTwo256` output).
pub type Hash256 = [u8; 32];
/// A file's identity: the Merkle root over all its fragment hashes
/// (see [`crate::merkle::file_id`]).
pub type FileId = Hash256;
/// A fragment's identity: the Merkle root over its leaves
/// (see [`crate::merkle::fragment_hash`]).
pub type FragmentHash = Hash256;
/// Index of a segment within a file (0-based).
pub type SegmentIndex = u32;
/// Index of a fragment within a segment (0-based, `< k + m`); data columns first, then parity.
pub type Column = u16;

/// Bytes per leaf of a fragment's Merkle tree: fragments are a whole number of leaves, and
/// PoDR² samples, probes and restoral checks are leaves.
pub const LEAF_BYTES: usize = 256;
/// Default segment size: the ciphertext stream is cut into segments of at most this many bytes.
pub const DEFAULT_SEGMENT_SIZE: u64 = 32 * 1024 * 1024;
/// Upper bound on `k + m`, the number of fragments per segment.
pub const MAX_FRAGMENTS_PER_SEGMENT: u32 = 32;

/// Why an [`ErasureProfile`] is rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProfileError {
	/// `k` is zero: there must be at least one data fragment.
	NoDataFragments,
	/// `m` is zero: without parity a lost fragment can never be restored.
	NoParityFragments,
	/// `k + m` exceeds [`MAX_FRAGMENTS_PER_SEGMENT`].
	TooManyFragments,
}

impl core::fmt::Display for ProfileError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NoDataFragments => f.write_str("erasure profile has k = 0"),
			Self::NoParityFragments => f.write_str("erasure profile has m = 0"),
			Self::TooManyFragments => f.write_str("erasure profile has k + m > 32"),
		}
	}
}

/// Reed–Solomon erasure profile: every segment becomes `k` data and `m` parity fragments, any `k`
/// of which rebuild it.
///
/// Valid profiles have `k ≥ 1`, `m ≥ 1` and `k + m ≤ MAX_FRAGMENTS_PER_SEGMENT` (which profiles
/// a chain actually allows is a runtime parameter on top of this).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)
)]
pub struct ErasureProfile {
	/// Number of data fragments per segment.
	pub k: u8,
	/// Number of parity fragments per segment.
	pub m: u8,
}

impl ErasureProfile {
	/// A profile with `k` data and `m` parity fragments (not validated; see [`Self::validate`]).
	pub const fn new(k: u8, m: u8) -> Self {
		Self { k, m }
	}

	/// Checks the structural validity rules (`k ≥ 1`, `m ≥ 1`, `k + m ≤ 32`).
	pub fn validate(&self) -> Result<(), ProfileError> {
		if self.k == 0 {
			return Err(ProfileError::NoDataFragments);
		}
		if self.m == 0 {
			return Err(ProfileError::NoParityFragments);
		}
		if self.total() > MAX_FRAGMENTS_PER_SEGMENT {
			return Err(ProfileError::TooManyFragments);
		}
		Ok(())
	}

	/// Fragments per segment, `k + m`.
	pub fn total(&self) -> u32 {
		u32::from(self.k) + u32::from(self.m)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn constants() {
		assert_eq!(LEAF_BYTES, 256);
		assert_eq!(DEFAULT_SEGMENT_SIZE, 33_554_432);
	}

	#[test]
	fn profile_rules() {
		assert_eq!(ErasureProfile::new(4, 8).validate(), Ok(()));
		assert_eq!(ErasureProfile::new(4, 8).total(), 12);
		assert_eq!(ErasureProfile::new(1, 1).validate(), Ok(()));
		assert_eq!(ErasureProfile::new(16, 16).validate(), Ok(()));
		assert_eq!(ErasureProfile::new(0, 3).validate(), Err(ProfileError::NoDataFragments));
		assert_eq!(ErasureProfile::new(3, 0).validate(), Err(ProfileError::NoParityFragments));
		assert_eq!(ErasureProfile::new(16, 17).validate(), Err(ProfileError::TooManyFragments));
		assert_eq!(ErasureProfile::new(255, 255).total(), 510);
		assert_eq!(ErasureProfile::new(255, 255).validate(), Err(ProfileError::TooManyFragments));
	}

	#[cfg(feature = "codec")]
	#[test]
	fn profile_codec() {
		let p = ErasureProfile::new(4, 8);
		let bytes = p.encode();
		assert_eq!(bytes, vec![4, 8]);
		assert_eq!(ErasureProfile::decode(&mut &bytes[..]).unwrap(), p);
		assert_eq!(ErasureProfile::max_encoded_len(), 2);
	}
}
