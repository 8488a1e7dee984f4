//! The `BucketsApi` runtime API: an owner's buckets, one object, and S3 ListObjectsV2 pages.

// The API's client side adds the block hash to `list_objects`' six arguments.
#![allow(clippy::too_many_arguments)]

use crate::{
	listing::{list_page, MAX_PAGE},
	BalanceOf, BucketInfo, BucketInfoOf, BucketName, Buckets, Config, ETag, Extent, ObjectHead,
	ObjectInfo, ObjectKey, Objects, Pallet,
};
use alloc::vec::Vec;
use cess_primitives::traits::FileOwnership;
use codec::{Codec, Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{sp_api, sp_io};
use scale_info::TypeInfo;

/// An object as the API reports it: what an S3 HEAD returns, and the files to read.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ObjectSummary {
	/// The files holding the object's bytes, in order: byte `i` of the object is in the first
	/// extent whose sizes, summed up to and including it, exceed `i`.
	pub extents: Vec<Extent>,
	/// Plaintext size in bytes (the sum of the extents' sizes).
	pub size: u64,
	/// The entity tag (MD5).
	pub etag: ETag,
	/// 0 for a single PUT, else the number of parts of the multipart upload.
	pub parts: u16,
	/// The content type.
	pub content_type: Vec<u8>,
	/// Last-Modified, Unix milliseconds.
	pub modified_ms: u64,
	/// Whether the owner still owns every extent's file in `file-bank` (false: the entry
	/// dangles, e.g. the owner's lease ran out and its files were collected; only deletion is
	/// left to do).
	pub available: bool,
}

/// An object as a listing reports it: what S3's ListObjectsV2 returns, without the extents
/// (read them with [`BucketsApi::object`]).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ObjectListing {
	/// Plaintext size in bytes.
	pub size: u64,
	/// The entity tag (MD5).
	pub etag: ETag,
	/// 0 for a single PUT, else the number of parts of the multipart upload.
	pub parts: u16,
	/// Last-Modified, Unix milliseconds.
	pub modified_ms: u64,
	/// The number of extents.
	pub extents: u32,
}

/// A page of a bucket listing.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Default)]
pub struct ObjectPage {
	/// The objects listed, ascending by key.
	pub objects: Vec<(Vec<u8>, ObjectListing)>,
	/// The common prefixes listed, ascending.
	pub common_prefixes: Vec<Vec<u8>>,
	/// Set when the listing is truncated: the last key or common prefix listed, to pass as
	/// `start_after` for the next page.
	pub next_start_after: Option<Vec<u8>>,
}

sp_api::decl_runtime_apis! {
	/// S3 namespace queries.
	pub trait BucketsApi<AccountId, Balance> where
		AccountId: Codec,
		Balance: Codec,
	{
		/// `owner`'s buckets, ascending by name.
		fn buckets(owner: AccountId) -> Vec<(Vec<u8>, BucketInfo<Balance>)>;
		/// The object at `key` of `owner`'s `bucket`, with its extents.
		fn object(owner: AccountId, bucket: Vec<u8>, key: Vec<u8>) -> Option<ObjectSummary>;
		/// A page of `owner`'s `bucket` with S3 ListObjectsV2 semantics in byte order: keys
		/// starting with `prefix`, strictly after `start_after`, rolled into common prefixes
		/// at the first `delimiter` after `prefix`, at most `max_keys` (≤ 1000) entries
		/// (see `pallet_buckets::listing::list_page`). `None` if there is no such bucket.
		/// The entries leave out the extents; `object` has them.
		fn list_objects(
			owner: AccountId,
			bucket: Vec<u8>,
			prefix: Vec<u8>,
			delimiter: Option<Vec<u8>>,
			start_after: Option<Vec<u8>>,
			max_keys: u32,
		) -> Option<ObjectPage>;
	}
}

impl<T: Config> Pallet<T> {
	/// [`BucketsApi::buckets`].
	pub fn buckets_of(owner: &T::AccountId) -> Vec<(Vec<u8>, BucketInfoOf<T>)> {
		let mut buckets: Vec<_> = Buckets::<T>::iter_prefix(owner)
			.map(|(name, info)| (name.into_inner(), info))
			.collect();
		buckets.sort_by(|a, b| a.0.cmp(&b.0));
		buckets
	}

	/// [`BucketsApi::object`].
	pub fn object_summary(
		owner: &T::AccountId,
		bucket: &[u8],
		key: &[u8],
	) -> Option<ObjectSummary> {
		let bucket = BucketName::try_from(bucket.to_vec()).ok()?;
		let key = ObjectKey::try_from(key.to_vec()).ok()?;
		Objects::<T>::get((owner, &bucket, &key)).map(|entry| Self::summary(owner, entry))
	}

	/// [`BucketsApi::list_objects`]: collects the bucket's keys under `prefix` after
	/// `start_after` (at most `MaxObjects`), sorts them and pages through them with
	/// [`list_page`]; only the listed objects' leading fields are read (not their extents).
	pub fn list_objects(
		owner: &T::AccountId,
		bucket: &[u8],
		prefix: &[u8],
		delimiter: Option<&[u8]>,
		start_after: Option<&[u8]>,
		max_keys: u32,
	) -> Option<ObjectPage> {
		let bucket = BucketName::try_from(bucket.to_vec()).ok()?;
		if !Buckets::<T>::contains_key(owner, &bucket) {
			return None;
		}
		let mut keys: Vec<ObjectKey> = Objects::<T>::iter_key_prefix((owner, &bucket))
			.filter(|key| {
				key.starts_with(prefix) && start_after.is_none_or(|after| key.as_slice() > after)
			})
			.collect();
		keys.sort();
		let page = list_page(&keys, prefix, delimiter, start_after, max_keys.min(MAX_PAGE));
		let objects = page
			.keys
			.into_iter()
			.filter_map(|key| {
				let bounded = ObjectKey::try_from(key.clone()).ok()?;
				let head = Self::object_head(owner, &bucket, &bounded)?;
				Some((
					key,
					ObjectListing {
						size: head.size,
						etag: head.etag,
						parts: head.parts,
						modified_ms: head.modified_ms,
						extents: head.extents.0,
					},
				))
			})
			.collect();
		Some(ObjectPage {
			objects,
			common_prefixes: page.common_prefixes,
			next_start_after: page.next_start_after,
		})
	}

	/// The leading fields of an entry and its extent count, read from storage without the
	/// extent list (a stored [`ObjectInfo`](crate::ObjectInfo) begins with an [`ObjectHead`]).
	pub(crate) fn object_head(
		owner: &T::AccountId,
		bucket: &BucketName,
		key: &ObjectKey,
	) -> Option<ObjectHead<BalanceOf<T>>> {
		let storage_key = Objects::<T>::hashed_key_for((owner, bucket, key));
		let mut buffer = alloc::vec![0u8; ObjectHead::<BalanceOf<T>>::max_encoded_len()];
		let len = sp_io::storage::read(&storage_key, &mut buffer, 0)? as usize;
		buffer.truncate(len);
		ObjectHead::decode(&mut &buffer[..]).ok()
	}

	fn summary(owner: &T::AccountId, entry: ObjectInfo<T>) -> ObjectSummary {
		ObjectSummary {
			available: entry.extents.iter().all(|extent| {
				<T::Files as FileOwnership<T::AccountId>>::is_owner(&extent.file_id, owner)
			}),
			extents: entry.extents.into_inner(),
			size: entry.size,
			etag: entry.etag,
			parts: entry.parts,
			content_type: entry.content_type.into_inner(),
			modified_ms: entry.modified_ms,
		}
	}
}
