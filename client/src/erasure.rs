//! Reed–Solomon coding of one segment into `k + m` fragments (GF(2^8), `reed-solomon-erasure`
//! with its SIMD backend).
//!
//! The coder works on one contiguous buffer of `(k + m) · fragment_len` bytes, one fragment per
//! `fragment_len` slice in column order. The segment's bytes *are* the data fragments (column
//! `c < k` is bytes `[c · fragment_len, (c + 1) · fragment_len)` of the zero-padded segment, as
//! [`FileLayout`](cess_primitives::layout::FileLayout) defines), so the pipeline reads a segment
//! straight into the buffer and only the parity is computed.

use cess_primitives::types::{ErasureProfile, SegmentIndex};
use reed_solomon_erasure::galois_8::ReedSolomon;

use crate::error::{Error, Result};

/// Bytes of each fragment coded at a time: `(k + m)` stripes of this size fit in a core's L2.
const STRIPE: usize = 16 * 1024;

/// Encodes and reconstructs the fragments of segments under one erasure profile.
pub struct SegmentCodec {
	profile: ErasureProfile,
	rs: ReedSolomon,
}

impl SegmentCodec {
	/// A codec for `profile` (validated: `k ≥ 1`, `m ≥ 1`, `k + m ≤ 32`).
	pub fn new(profile: ErasureProfile) -> Result<Self> {
		profile.validate()?;
		let rs = ReedSolomon::new(usize::from(profile.k), usize::from(profile.m))
			.map_err(|e| Error::Erasure(format!("{e:?}")))?;
		Ok(SegmentCodec { profile, rs })
	}

	/// The profile this codec implements.
	pub fn profile(&self) -> ErasureProfile {
		self.profile
	}

	/// Size of the working buffer for fragments of `fragment_len` bytes.
	pub fn buffer_len(&self, fragment_len: usize) -> usize {
		self.profile.total() as usize * fragment_len
	}

	/// Computes the `m` parity fragments from the `k` data fragments in `shards`.
	///
	/// `shards` holds `(k + m) · fragment_len` bytes: the zero-padded segment followed by room
	/// for the parity, which is overwritten.
	pub fn encode(&self, shards: &mut [u8], fragment_len: usize) -> Result<()> {
		self.check_buffer(shards, fragment_len)?;
		let (data, parity) = shards.split_at_mut(usize::from(self.profile.k) * fragment_len);
		let data: Vec<&[u8]> = data.chunks_exact(fragment_len).collect();
		let mut parity: Vec<&mut [u8]> = parity.chunks_exact_mut(fragment_len).collect();
		// Code the fragments stripe by stripe so the stripes of all k + m fragments stay in
		// cache while every parity row is computed.
		for start in (0..fragment_len).step_by(STRIPE) {
			let end = (start + STRIPE).min(fragment_len);
			let data_stripes: Vec<&[u8]> = data.iter().map(|d| &d[start..end]).collect();
			let mut parity_stripes: Vec<&mut [u8]> =
				parity.iter_mut().map(|p| &mut p[start..end]).collect();
			self.rs
				.encode_sep(&data_stripes, &mut parity_stripes)
				.map_err(|e| Error::Erasure(format!("{e:?}")))?;
		}
		Ok(())
	}

	/// Rebuilds the missing data fragments in `shards` from any `k` present fragments.
	///
	/// `present[c]` says whether column `c` of `shards` holds a verified fragment. Parity columns
	/// are not rebuilt. Fails with [`Error::NotEnoughFragments`] (for `segment`) if fewer than `k`
	/// are present.
	pub fn reconstruct_data(
		&self,
		segment: SegmentIndex,
		shards: &mut [u8],
		fragment_len: usize,
		present: &[bool],
	) -> Result<()> {
		self.reconstruct_inner(segment, shards, fragment_len, present, true)
	}

	/// Rebuilds every missing fragment, data and parity, from any `k` present fragments (what a
	/// restorer needs to recreate a lost column). Same contract as
	/// [`reconstruct_data`](Self::reconstruct_data).
	pub fn reconstruct(
		&self,
		segment: SegmentIndex,
		shards: &mut [u8],
		fragment_len: usize,
		present: &[bool],
	) -> Result<()> {
		self.reconstruct_inner(segment, shards, fragment_len, present, false)
	}

	fn reconstruct_inner(
		&self,
		segment: SegmentIndex,
		shards: &mut [u8],
		fragment_len: usize,
		present: &[bool],
		data_only: bool,
	) -> Result<()> {
		self.check_buffer(shards, fragment_len)?;
		let k = usize::from(self.profile.k);
		let total = self.profile.total() as usize;
		if present.len() != total {
			return Err(Error::Erasure(format!(
				"{} presence flags for {total} fragments",
				present.len()
			)));
		}
		let valid = present.iter().filter(|p| **p).count();
		if valid < k {
			return Err(Error::NotEnoughFragments {
				segment,
				valid: valid as u32,
				needed: k as u32,
				missing: (total - valid) as u32,
				corrupted: 0,
			});
		}
		let wanted = if data_only { &present[..k] } else { present };
		if wanted.iter().all(|p| *p) {
			return Ok(());
		}
		let mut fragments: Vec<&mut [u8]> = shards.chunks_exact_mut(fragment_len).collect();
		for start in (0..fragment_len).step_by(STRIPE) {
			let end = (start + STRIPE).min(fragment_len);
			let mut slots: Vec<(&mut [u8], bool)> = fragments
				.iter_mut()
				.zip(present.iter().copied())
				.map(|(f, p)| (&mut f[start..end], p))
				.collect();
			let result = if data_only {
				self.rs.reconstruct_data(&mut slots)
			} else {
				self.rs.reconstruct(&mut slots)
			};
			result.map_err(|e| Error::Erasure(format!("{e:?}")))?;
		}
		Ok(())
	}

	fn check_buffer(&self, shards: &[u8], fragment_len: usize) -> Result<()> {
		if fragment_len == 0 || shards.len() != self.buffer_len(fragment_len) {
			return Err(Error::Erasure(format!(
				"working buffer of {} bytes for fragments of {fragment_len} bytes, expected {}",
				shards.len(),
				self.buffer_len(fragment_len)
			)));
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn pattern(len: usize, seed: u8) -> Vec<u8> {
		(0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
	}

	#[test]
	fn any_k_fragments_rebuild_the_data() {
		for (k, m) in [(1u8, 1u8), (2, 4), (4, 8), (8, 4), (3, 2)] {
			let codec = SegmentCodec::new(ErasureProfile::new(k, m)).unwrap();
			let flen = 64;
			let total = usize::from(k + m);
			let mut shards = vec![0u8; codec.buffer_len(flen)];
			let data = pattern(usize::from(k) * flen, k);
			shards[..data.len()].copy_from_slice(&data);
			codec.encode(&mut shards, flen).unwrap();
			let encoded = shards.clone();
			// Drop every window of m consecutive columns (cyclically), keep the rest.
			for start in 0..total {
				let mut present = vec![true; total];
				let mut damaged = encoded.clone();
				for d in 0..usize::from(m) {
					let c = (start + d) % total;
					present[c] = false;
					damaged[c * flen..(c + 1) * flen].fill(0xee);
				}
				codec.reconstruct_data(7, &mut damaged, flen, &present).unwrap();
				assert_eq!(&damaged[..data.len()], &data[..], "k={k} m={m} start={start}");
			}
		}
	}

	#[test]
	fn reconstruct_rebuilds_parity_too() {
		let codec = SegmentCodec::new(ErasureProfile::new(3, 3)).unwrap();
		let flen = 40_000; // several stripes, the last one partial
		let mut shards = vec![0u8; codec.buffer_len(flen)];
		shards[..3 * flen].copy_from_slice(&pattern(3 * flen, 9));
		codec.encode(&mut shards, flen).unwrap();
		let encoded = shards.clone();
		let present = [false, true, true, false, true, false];
		for (c, p) in present.iter().enumerate() {
			if !p {
				shards[c * flen..(c + 1) * flen].fill(0x55);
			}
		}
		codec.reconstruct(0, &mut shards, flen, &present).unwrap();
		assert!(shards == encoded);
	}

	#[test]
	fn too_few_fragments_is_an_error() {
		let codec = SegmentCodec::new(ErasureProfile::new(2, 1)).unwrap();
		let mut shards = vec![0u8; codec.buffer_len(8)];
		let err = codec.reconstruct_data(3, &mut shards, 8, &[true, false, false]).unwrap_err();
		assert!(matches!(
			err,
			Error::NotEnoughFragments { segment: 3, valid: 1, needed: 2, missing: 2, .. }
		));
	}

	#[test]
	fn invalid_profiles_and_buffers_are_rejected() {
		assert!(matches!(SegmentCodec::new(ErasureProfile::new(0, 1)), Err(Error::Profile(_))));
		assert!(matches!(SegmentCodec::new(ErasureProfile::new(1, 0)), Err(Error::Profile(_))));
		assert!(matches!(SegmentCodec::new(ErasureProfile::new(30, 3)), Err(Error::Profile(_))));
		let codec = SegmentCodec::new(ErasureProfile::new(2, 2)).unwrap();
		assert!(codec.encode(&mut [0u8; 10], 4).is_err());
		assert!(codec.encode(&mut [], 0).is_err());
	}
}
