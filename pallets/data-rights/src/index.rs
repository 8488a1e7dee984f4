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

/// Where a fingerprint is indexed.
pub(crate) enum Indexed {
	/// A similarity hash: in one bucket per band, each entry carrying the whole hash.
	Bands { hash: u64, keys: [BucketKey; BANDS as usize] },
	/// A content hash: exactly, in [`ContentIndex`].
	Content([u8; 32]),
}

impl Indexed {
	pub(crate) fn of(fingerprint: &Fingerprint) -> Self {
		let (kind, hash) = match *fingerprint {
			Fingerprint::SimHash(h) => (0u8, h),
			Fingerprint::PerceptualHash(h) => (1u8, h),
			Fingerprint::ContentHash(hash) => return Indexed::Content(hash),
		};
		let keys = core::array::from_fn(|band| (kind, band as u8, (hash >> (16 * band)) as u16));
		Indexed::Bands { hash, keys }
	}
}

/// The buckets a lookup probes: each band's bucket and its 16 one-bit neighbours.
fn probe_keys(keys: [BucketKey; BANDS as usize]) -> impl Iterator<Item = BucketKey> {
	keys.into_iter().flat_map(|(kind, band, value)| {
		core::iter::once(value)
			.chain((0..16).map(move |bit| value ^ (1 << bit)))
			.map(move |v| (kind, band, v))
	})
}

impl<T: Config> Pallet<T> {
	/// Certificates within `DuplicateDistance` of `fingerprint`, closest first, with their
	/// holders and distances. Reads at most [`PROBES`](crate::PROBES) buckets and no
	/// certificate (one for a content hash).
	pub fn near_duplicates(
		fingerprint: &Fingerprint,
	) -> alloc::vec::Vec<(FileId, T::AccountId, u32)> {
		let mut found: alloc::vec::Vec<(FileId, T::AccountId, u32)> = alloc::vec::Vec::new();
		match Indexed::of(fingerprint) {
			Indexed::Bands { hash, keys } => {
				let limit = T::DuplicateDistance::get();
				for key in probe_keys(keys) {
					for entry in Buckets::<T>::get(key) {
						let d = (entry.hash ^ hash).count_ones();
						if d < limit && !found.iter().any(|(f, _, _)| *f == entry.file) {
							found.push((entry.file, entry.owner, d));
						}
					}
				}
			},
			Indexed::Content(hash) => {
				let holder = ContentIndex::<T>::get(hash)
					.and_then(|file| Some((file, Certificates::<T>::get(file)?.owner)));
				if let Some((file, owner)) = holder {
					found.push((file, owner, 0));
				}
			},
		}
		found.sort_by_key(|(_, _, d)| *d);
		found
	}

	/// Fails with [`Error::BucketFull`] if `fingerprint` could not be indexed.
	pub(crate) fn ensure_indexable(fingerprint: &Fingerprint) -> DispatchResult {
		if let Indexed::Bands { keys, .. } = Indexed::of(fingerprint) {
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
		match Indexed::of(fingerprint) {
			Indexed::Bands { hash, keys } => {
				for key in keys {
					let entry = BucketEntry::<T> { file, hash, owner: owner.clone() };
					Buckets::<T>::try_mutate(key, |bucket| bucket.try_push(entry))
						.map_err(|_| Error::<T>::BucketFull)?;
				}
			},
			// The first certificate of a content stays the one found.
			Indexed::Content(hash) => {
				if !ContentIndex::<T>::contains_key(hash) {
					ContentIndex::<T>::insert(hash, file);
				}
			},
		}
		Ok(())
	}

	/// Records `owner` as the holder of `file` in its index entries.
	pub(crate) fn index_set_owner(file: FileId, fingerprint: &Fingerprint, owner: &T::AccountId) {
		if let Indexed::Bands { keys, .. } = Indexed::of(fingerprint) {
			for key in keys {
				Buckets::<T>::mutate(key, |bucket| {
					bucket
						.iter_mut()
						.filter(|e| e.file == file)
						.for_each(|e| e.owner = owner.clone())
				});
			}
		}
	}

	/// Removes `file` from the index.
	pub(crate) fn index_remove(file: FileId, fingerprint: &Fingerprint) {
		match Indexed::of(fingerprint) {
			Indexed::Content(hash) => {
				if ContentIndex::<T>::get(hash) == Some(file) {
					ContentIndex::<T>::remove(hash);
				}
			},
			Indexed::Bands { keys, .. } => {
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
