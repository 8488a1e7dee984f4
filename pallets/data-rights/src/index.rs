//! The near-duplicate index: each 64-bit similarity hash is cut into [`BANDS`] 16-bit bands; a
//! bucket per `(kind, band, value)` lists the certificates with that band value. Two hashes at
//! Hamming distance `d < BANDS` differ in at most `d` bands, so they agree on at least one and
//! meet in its bucket (pigeonhole). Content hashes are indexed exactly.

use crate::{Buckets, Certificates, Config, ContentIndex, Error, Fingerprint, Pallet, BANDS};
use cess_primitives::types::FileId;
use polkadot_sdk::frame_support::pallet_prelude::*;

/// The bucket keys of a similarity hash, or `None` for a content hash.
pub(crate) fn band_keys(fingerprint: &Fingerprint) -> Option<[(u8, u8, u16); BANDS as usize]> {
	let (kind, hash) = match fingerprint {
		Fingerprint::SimHash(h) => (0u8, *h),
		Fingerprint::PerceptualHash(h) => (1u8, *h),
		Fingerprint::ContentHash(_) => return None,
	};
	Some(core::array::from_fn(|band| (kind, band as u8, (hash >> (16 * band)) as u16)))
}

impl<T: Config> Pallet<T> {
	/// Certificates within `DuplicateDistance` of `fingerprint`, closest first, with their
	/// holders and distances. Reads at most `BANDS × MaxBucketLen` certificates.
	pub fn near_duplicates(
		fingerprint: &Fingerprint,
	) -> alloc::vec::Vec<(FileId, T::AccountId, u32)> {
		let mut found = alloc::vec::Vec::new();
		match band_keys(fingerprint) {
			None => {
				if let Fingerprint::ContentHash(hash) = fingerprint {
					if let Some(file) = ContentIndex::<T>::get(hash) {
						if let Some(cert) = Certificates::<T>::get(file) {
							found.push((file, cert.owner, 0));
						}
					}
				}
			},
			Some(keys) => {
				let limit = T::DuplicateDistance::get();
				for key in keys {
					for file in Buckets::<T>::get(key) {
						if found.iter().any(|(f, _, _)| *f == file) {
							continue;
						}
						let Some(cert) = Certificates::<T>::get(file) else { continue };
						if let Some(d) = cert.fingerprint.distance(fingerprint) {
							if d < limit {
								found.push((file, cert.owner, d));
							}
						}
					}
				}
			},
		}
		found.sort_by_key(|(_, _, d)| *d);
		found
	}

	/// Fails with [`Error::BucketFull`] if `fingerprint` could not be indexed.
	pub(crate) fn ensure_indexable(fingerprint: &Fingerprint) -> DispatchResult {
		if let Some(keys) = band_keys(fingerprint) {
			for key in keys {
				ensure!(
					Buckets::<T>::decode_len(key).unwrap_or(0) < T::MaxBucketLen::get() as usize,
					Error::<T>::BucketFull
				);
			}
		}
		Ok(())
	}

	/// Adds `file` under `fingerprint` (checked with [`Self::ensure_indexable`] first).
	pub(crate) fn index_insert(file: FileId, fingerprint: &Fingerprint) -> DispatchResult {
		match band_keys(fingerprint) {
			None => {
				if let Fingerprint::ContentHash(hash) = fingerprint {
					// The first certificate of a content stays the one found.
					if !ContentIndex::<T>::contains_key(hash) {
						ContentIndex::<T>::insert(hash, file);
					}
				}
			},
			Some(keys) => {
				for key in keys {
					Buckets::<T>::try_mutate(key, |bucket| bucket.try_push(file))
						.map_err(|_| Error::<T>::BucketFull)?;
				}
			},
		}
		Ok(())
	}

	/// Removes `file` from the index.
	pub(crate) fn index_remove(file: FileId, fingerprint: &Fingerprint) {
		match band_keys(fingerprint) {
			None => {
				if let Fingerprint::ContentHash(hash) = fingerprint {
					if ContentIndex::<T>::get(hash) == Some(file) {
						ContentIndex::<T>::remove(hash);
					}
				}
			},
			Some(keys) => {
				for key in keys {
					Buckets::<T>::mutate_exists(key, |bucket| {
						if let Some(b) = bucket {
							b.retain(|f| *f != file);
							if b.is_empty() {
								*bucket = None;
							}
						}
					});
				}
			},
		}
	}
}
