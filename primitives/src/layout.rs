//! Where every byte of an uploaded (ciphertext) stream lands.
//!
//! The chain, the client and the miner all compute the same layout from `(size, segment_size,
//! profile)`:
//!
//! 1. The stream of `size` bytes is cut into `ceil(size / segment_size)` segments; every segment
//!    but the last holds exactly `segment_size` bytes.
//! 2. A segment of `len` bytes is zero-padded to `k · fragment_len`, where
//!    `fragment_len = ceil(ceil(len / k) / LEAF_BYTES) · LEAF_BYTES`. Small files are therefore
//!    *not* padded to a full segment, only up to `k` times the leaf size.
//! 3. Data fragment `c < k` is bytes `[c · fragment_len, (c + 1) · fragment_len)` of the padded
//!    segment; columns `k..k+m` hold the Reed–Solomon parity fragments of the same length.
//! 4. Each fragment is a whole number of [`LEAF_BYTES`]-byte leaves (its Merkle tree's).
//!
//! Rules enforced by [`FileLayout::new`]: `size > 0`; `LEAF_BYTES ≤ segment_size ≤
//! MAX_SEGMENT_SIZE` (no divisibility requirement: a segment is zero-padded up to `k` whole
//! fragments); the profile is valid; the
//! segment count fits in a `u32`.

use crate::types::{ErasureProfile, ProfileError, SegmentIndex, LEAF_BYTES};
#[cfg(feature = "codec")]
use codec::{Decode, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Largest accepted segment size (1 GiB), so leaf counts and fragment lengths stay in `u32`.
pub const MAX_SEGMENT_SIZE: u64 = 1 << 30;

/// Why a [`FileLayout`] is rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LayoutError {
	/// The stream is empty.
	EmptyFile,
	/// `segment_size` is below [`LEAF_BYTES`] or above [`MAX_SEGMENT_SIZE`].
	BadSegmentSize,
	/// The erasure profile is invalid.
	Profile(ProfileError),
	/// More than `u32::MAX` segments.
	TooManySegments,
}

impl core::fmt::Display for LayoutError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::EmptyFile => f.write_str("file size is zero"),
			Self::BadSegmentSize => f.write_str("segment size out of range"),
			Self::Profile(e) => write!(f, "invalid erasure profile: {e}"),
			Self::TooManySegments => f.write_str("too many segments"),
		}
	}
}

/// The layout of one file: its stream size, segment size and erasure profile.
///
/// Construct it with [`FileLayout::new`], which validates it. (The SCALE decoder does not
/// validate; call [`FileLayout::validate`] on decoded values from untrusted sources.)
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "codec", derive(Encode, Decode, MaxEncodedLen, TypeInfo))]
pub struct FileLayout {
	/// Bytes in the (ciphertext) stream.
	pub size: u64,
	/// Maximum bytes per segment.
	pub segment_size: u64,
	/// Erasure profile of every segment.
	pub profile: ErasureProfile,
}

impl FileLayout {
	/// A validated layout (rules in the [module docs](self)).
	pub fn new(size: u64, segment_size: u64, profile: ErasureProfile) -> Result<Self, LayoutError> {
		let layout = Self { size, segment_size, profile };
		layout.validate()?;
		Ok(layout)
	}

	/// Checks the rules of [`FileLayout::new`].
	pub fn validate(&self) -> Result<(), LayoutError> {
		if self.size == 0 {
			return Err(LayoutError::EmptyFile);
		}
		if self.segment_size < LEAF_BYTES as u64 || self.segment_size > MAX_SEGMENT_SIZE {
			return Err(LayoutError::BadSegmentSize);
		}
		self.profile.validate().map_err(LayoutError::Profile)?;
		if self.size.div_ceil(self.segment_size) > u64::from(u32::MAX) {
			return Err(LayoutError::TooManySegments);
		}
		Ok(())
	}

	/// Number of segments, `ceil(size / segment_size)`.
	pub fn segment_count(&self) -> u32 {
		if self.segment_size == 0 {
			return 0;
		}
		u32::try_from(self.size.div_ceil(self.segment_size)).unwrap_or(u32::MAX)
	}

	/// Offset of segment `seg` in the stream (`seg · segment_size`, saturating).
	pub fn segment_offset(&self, seg: SegmentIndex) -> u64 {
		u64::from(seg).saturating_mul(self.segment_size)
	}

	/// Stream bytes in segment `seg` (the last may be short; 0 if `seg` is out of range).
	pub fn segment_len(&self, seg: SegmentIndex) -> u64 {
		if seg >= self.segment_count() {
			return 0;
		}
		let start = self.segment_offset(seg);
		(self.size - start).min(self.segment_size)
	}

	/// Bytes of each fragment of segment `seg`: `ceil(segment_len / k)` rounded up to a multiple
	/// of [`LEAF_BYTES`] (0 if `seg` is out of range).
	pub fn fragment_len(&self, seg: SegmentIndex) -> u64 {
		let len = self.segment_len(seg);
		let k = u64::from(self.profile.k);
		if len == 0 || k == 0 {
			return 0;
		}
		len.div_ceil(k).div_ceil(LEAF_BYTES as u64) * LEAF_BYTES as u64
	}

	/// Number of [`LEAF_BYTES`]-byte leaves in each fragment of segment `seg`.
	pub fn leaves_in_fragment(&self, seg: SegmentIndex) -> u32 {
		// fragment_len ≤ MAX_SEGMENT_SIZE + LEAF_BYTES, so this fits in u32.
		(self.fragment_len(seg) / LEAF_BYTES as u64) as u32
	}

	/// Zero padding appended to segment `seg` before it is split into `k` data fragments.
	pub fn segment_padding(&self, seg: SegmentIndex) -> u64 {
		self.fragment_len(seg) * u64::from(self.profile.k) - self.segment_len(seg)
	}

	/// Number of fragments of the file, `segment_count · (k + m)`: the leaves of the file tree.
	pub fn fragment_count(&self) -> u64 {
		u64::from(self.segment_count()) * u64::from(self.profile.total())
	}

	/// Sum over all segments of `fragment_len`: the bytes one column's miner stores.
	pub fn column_bytes(&self) -> u64 {
		let n = self.segment_count();
		if n == 0 {
			return 0;
		}
		// All segments but the last are full.
		u64::from(n - 1) * self.fragment_len(0) + self.fragment_len(n - 1)
	}

	/// `column_bytes · (k + m)`: the bytes the owner is billed for.
	pub fn stored_bytes(&self) -> u64 {
		self.column_bytes() * u64::from(self.profile.total())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::types::DEFAULT_SEGMENT_SIZE;

	const P48: ErasureProfile = ErasureProfile::new(4, 8);

	#[test]
	fn rejects_invalid() {
		assert_eq!(FileLayout::new(0, DEFAULT_SEGMENT_SIZE, P48), Err(LayoutError::EmptyFile));
		assert_eq!(FileLayout::new(1, 255, P48), Err(LayoutError::BadSegmentSize));
		assert_eq!(FileLayout::new(1, MAX_SEGMENT_SIZE + 1, P48), Err(LayoutError::BadSegmentSize));
		assert_eq!(
			FileLayout::new(1, DEFAULT_SEGMENT_SIZE, ErasureProfile::new(0, 1)),
			Err(LayoutError::Profile(ProfileError::NoDataFragments))
		);
		assert_eq!(FileLayout::new(u64::MAX, 256, P48), Err(LayoutError::TooManySegments));
		assert_eq!(
			FileLayout::new(u64::MAX, MAX_SEGMENT_SIZE, P48),
			Err(LayoutError::TooManySegments)
		);
		let max =
			FileLayout::new(u64::from(u32::MAX) * MAX_SEGMENT_SIZE, MAX_SEGMENT_SIZE, P48).unwrap();
		assert_eq!(max.segment_count(), u32::MAX);
	}

	#[test]
	fn full_segments() {
		// 100 MiB = 3 full segments + 4 MiB.
		let l = FileLayout::new(100 << 20, DEFAULT_SEGMENT_SIZE, P48).unwrap();
		assert_eq!(l.segment_count(), 4);
		assert_eq!(l.segment_len(0), 32 << 20);
		assert_eq!(l.segment_len(3), 4 << 20);
		assert_eq!(l.segment_len(4), 0);
		// 8 MiB fragments are exactly 32 768 leaves: no padding.
		assert_eq!(l.leaves_in_fragment(0), 32_768);
		assert_eq!(l.fragment_len(0), 8 << 20);
		assert_eq!(l.leaves_in_fragment(3), 4096);
		assert_eq!(l.column_bytes(), 3 * (8 << 20) + (1 << 20));
		assert_eq!(l.stored_bytes(), l.column_bytes() * 12);
		assert_eq!(l.fragment_count(), 48);
		assert_eq!(l.segment_padding(0), 0);
		assert_eq!(l.fragment_len(9), 0);
		assert_eq!(l.leaves_in_fragment(9), 0);
	}

	#[test]
	fn small_file_not_padded_to_segment() {
		let l = FileLayout::new(10, DEFAULT_SEGMENT_SIZE, P48).unwrap();
		assert_eq!(l.segment_count(), 1);
		assert_eq!(l.fragment_len(0), 256);
		assert_eq!(l.column_bytes(), 256);
		assert_eq!(l.stored_bytes(), 12 * 256);
		assert_eq!(l.segment_padding(0), 4 * 256 - 10);
		// Exactly k leaves.
		let l = FileLayout::new(4 * 256, DEFAULT_SEGMENT_SIZE, P48).unwrap();
		assert_eq!(l.leaves_in_fragment(0), 1);
		assert_eq!(l.segment_padding(0), 0);
		let l = FileLayout::new(4 * 256 + 1, DEFAULT_SEGMENT_SIZE, P48).unwrap();
		assert_eq!(l.leaves_in_fragment(0), 2);
	}

	#[test]
	fn invariants_over_many_sizes() {
		let profiles = [
			ErasureProfile::new(1, 1),
			ErasureProfile::new(2, 4),
			P48,
			ErasureProfile::new(10, 22),
		];
		let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
		for _ in 0..2000 {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			let size = 1 + x % (200 << 20);
			let seg_size = 256 + (x >> 20) % (40 << 20);
			let p = profiles[(x >> 60) as usize % profiles.len()];
			let l = FileLayout::new(size, seg_size, p).unwrap();
			let n = l.segment_count();
			let total: u64 = (0..n).map(|s| l.segment_len(s)).sum();
			assert_eq!(total, size);
			let col: u64 = (0..n).map(|s| l.fragment_len(s)).sum();
			assert_eq!(col, l.column_bytes());
			for s in [0, n - 1] {
				let fl = l.fragment_len(s);
				assert_eq!(fl % 256, 0);
				assert!(fl * u64::from(p.k) >= l.segment_len(s));
				// Padding is less than k leaves.
				assert!(l.segment_padding(s) < u64::from(p.k) * 256);
				assert_eq!(u64::from(l.leaves_in_fragment(s)) * 256, fl);
			}
		}
	}
}
