//! The near-duplicate index: each 64-bit similarity hash is cut into [`BANDS`] 16-bit bands; a
//! bucket per `(kind, band, value)` lists the certificates with that band value, with their hash
//! and holder. Two hashes at Hamming distance `d ≤ 2·BANDS − 1` cannot differ in two or more
//! bits in every band, so some band differs in at most one bit: probing each band's value and
//! its 16 one-bit neighbours ([`PROBES`] buckets) finds them (pigeonhole). Content hashes are
//! indexed exactly.

use crate::{
	BucketEntry, Buckets, Certificates, Config, ContentIndex, Error, Fingerprint, Pallet, BANDS,
};
use cess_primitives::types::FileId;
use polkadot_sdk::frame_support::pallet_prelude::*;

/// A bucket key: `(kind, band, band value)`.
pub(crate) type BucketKey = (u8, u8, u16);

/// The kind byte and hash of a similarity fingerprint, `None` for a content hash.
fn similarity(fingerprint: &Fingerprint) -> Option<(u8, u64)> {
	match fingerprint {
		Fingerprint::SimHash(h) => Some((0, *h)),
		Fingerprint::PerceptualHash(h) => Some((1, *h)),
		Fingerprint::ContentHash(_) => None,
	}
}

/// The buckets a similarity hash is stored in (one per band), or `None` for a content hash.
pub(crate) fn band_keys(fingerprint: &Fingerprint) -> Option<[BucketKey; BANDS as usize]> {
	let (kind, hash) = similarity(fingerprint)?;
	Some(core::array::from_fn(|band| (kind, band as u8, (hash >> (16 * band)) as u16)))
}

/// The buckets a lookup probes: each stored bucket and its 16 one-bit neighbours.
fn probe_keys(fingerprint: &Fingerprint) -> Option<impl Iterator<Item = BucketKey>> {
	let keys = band_keys(fingerprint)?;
	Some(keys.into_iter().flat_map(|(kind, band, value)| {
		core::iter::once(value)
			.chain((0..16).map(move |bit| value ^ (1 << bit)))
			.map(move |v| (kind, band, v))
	}))
}

impl<T: Config> Pallet<T> {
	/// Certificates within `DuplicateDistance` of `fingerprint`, closest first, with their
	/// holders and distances. Reads at most [`PROBES`](crate::PROBES) buckets and no
	/// certificate (one for a content hash).
	pub fn near_duplicates(
		fingerprint: &Fingerprint,
	) -> alloc::vec::Vec<(FileId, T::AccountId, u32)> {
		let mut found: alloc::vec::Vec<(FileId, T::AccountId, u32)> = alloc::vec::Vec::new();
		match (similarity(fingerprint), probe_keys(fingerprint)) {
			(Some((_, hash)), Some(keys)) => {
				let limit = T::DuplicateDistance::get();
				for key in keys {
					for entry in Buckets::<T>::get(key) {
						let d = (entry.hash ^ hash).count_ones();
						if d < limit && !found.iter().any(|(f, _, _)| *f == entry.file) {
							found.push((entry.file, entry.owner, d));
						}
					}
				}
			},
			_ => {
				if let Fingerprint::ContentHash(hash) = fingerprint {
					if let Some(file) = ContentIndex::<T>::get(hash) {
						if let Some(cert) = Certificates::<T>::get(file) {
							found.push((file, cert.owner, 0));
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

	/// Adds `file` held by `owner` under `fingerprint` (checked with
	/// [`Self::ensure_indexable`] first).
	pub(crate) fn index_insert(
		file: FileId,
		fingerprint: &Fingerprint,
		owner: &T::AccountId,
	) -> DispatchResult {
		match (similarity(fingerprint), band_keys(fingerprint)) {
			(Some((_, hash)), Some(keys)) => {
				for key in keys {
					let entry = BucketEntry::<T> { file, hash, owner: owner.clone() };
					Buckets::<T>::try_mutate(key, |bucket| bucket.try_push(entry))
						.map_err(|_| Error::<T>::BucketFull)?;
				}
			},
			_ => {
				if let Fingerprint::ContentHash(hash) = fingerprint {
					// The first certificate of a content stays the one found.
					if !ContentIndex::<T>::contains_key(hash) {
						ContentIndex::<T>::insert(hash, file);
					}
				}
			},
		}
		Ok(())
	}

	/// Records `owner` as the holder of `file` in its index entries.
	pub(crate) fn index_set_owner(file: FileId, fingerprint: &Fingerprint, owner: &T::AccountId) {
		for key in band_keys(fingerprint).into_iter().flatten() {
			Buckets::<T>::mutate(key, |bucket| {
				bucket.iter_mut().filter(|e| e.file == file).for_each(|e| e.owner = owner.clone())
			});
		}
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
							b.retain(|e| e.file != file);
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
