//! Plain BLAKE2b-256 helpers and the commitments every part of the stack checks data against.
//!
//! The trees themselves are PoDR² v2's ([`crate::possession::tree`]): a fragment's hash is the
//! root of its 256-byte-leaf tree, `file_id` the root over the fragment hashes in (segment,
//! column) order. Downloads, restorals, probes and audits all check against the same trees.

pub use crate::possession::tree::{
	check_fragment, file_id, fragment_hash, verify_fragment_path, FileTree, FragmentTree,
	UpperLevels,
};
use crate::types::{Column, ErasureProfile, Hash256, SegmentIndex};

/// BLAKE2b-256 of `data` (no key, no personalization; Substrate's `BlakeTwo256`).
pub fn blake2_256(data: &[u8]) -> Hash256 {
	blake2_256_parts(&[data])
}

/// BLAKE2b-256 over the concatenation of `parts`.
pub fn blake2_256_parts(parts: &[&[u8]]) -> Hash256 {
	let mut state = blake2b_simd::Params::new().hash_length(32).to_state();
	for p in parts {
		state.update(p);
	}
	let mut out = [0u8; 32];
	out.copy_from_slice(state.finalize().as_bytes());
	out
}

/// Index of fragment `(seg, col)` in the file tree, `seg · (k + m) + col`; `None` if `col ≥ k + m`,
/// the profile is invalid or the index overflows.
pub fn fragment_index(seg: SegmentIndex, col: Column, profile: &ErasureProfile) -> Option<u32> {
	profile.validate().ok()?;
	if u32::from(col) >= profile.total() {
		return None;
	}
	seg.checked_mul(profile.total())?.checked_add(u32::from(col))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn hex_of(h: &[u8]) -> alloc::string::String {
		use core::fmt::Write;
		let mut s = alloc::string::String::new();
		for b in h {
			write!(s, "{b:02x}").unwrap();
		}
		s
	}

	#[test]
	fn blake2_matches_known_answer() {
		// Blake2b-256("") and ("abc"), as Substrate's blake2_256.
		assert_eq!(
			hex_of(&blake2_256(b"")),
			"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
		);
		assert_eq!(
			hex_of(&blake2_256_parts(&[b"a", b"bc"])),
			"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
		);
	}

	#[test]
	fn fragment_indices() {
		let p = ErasureProfile::new(2, 1);
		assert_eq!(fragment_index(0, 0, &p), Some(0));
		assert_eq!(fragment_index(4, 2, &p), Some(14));
		assert_eq!(fragment_index(0, 3, &p), None);
		assert_eq!(fragment_index(u32::MAX, 0, &p), None);
		assert_eq!(fragment_index(0, 0, &ErasureProfile::new(0, 1)), None);
	}
}
