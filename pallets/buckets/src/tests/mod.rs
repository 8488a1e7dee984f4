//! Unit tests, split by feature, with shared helpers.

mod buckets;
mod extents;
mod listing;
mod naming;
mod objects;
mod release;
mod runtime_api;

use crate::{mock::*, BucketName, ContentType, Extent, Extents, ObjectKey};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::{assert_ok, BoundedVec},
	sp_runtime::DispatchResult,
};

pub fn name(s: &str) -> BucketName {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

pub fn key(s: &str) -> ObjectKey {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

pub fn ctype(s: &str) -> ContentType {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// A file id.
pub fn file(n: u8) -> FileId {
	[n; 32]
}

/// The deposit of an entry with key `k` and content type `ct` and one extent.
pub fn deposit_of(k: &str, ct: &str) -> u64 {
	deposit_with(k, ct, 1)
}

/// The deposit of an entry with key `k`, content type `ct` and `extents` extents.
pub fn deposit_with(k: &str, ct: &str, extents: u32) -> u64 {
	OBJECT_BASE + OBJECT_PER_BYTE * ((k.len() + ct.len()) as u64 + 40 * extents as u64)
}

/// Extents of the given files and sizes.
pub fn extents(list: &[(FileId, u64)]) -> Extents<Test> {
	BoundedVec::truncate_from(
		list.iter().map(|&(file_id, size)| Extent { file_id, size }).collect::<Vec<_>>(),
	)
}

pub fn create(who: u64, bucket: &str) {
	assert_ok!(Buckets::create_bucket(RuntimeOrigin::signed(who), name(bucket)));
}

/// Puts `file` (1234 bytes) under `k` of `who`'s `bucket` with content type `text/plain`.
pub fn put(who: u64, bucket: &str, k: &str, file: FileId) -> DispatchResult {
	put_typed(who, bucket, k, file, "text/plain")
}

pub fn put_typed(who: u64, bucket: &str, k: &str, file: FileId, ct: &str) -> DispatchResult {
	put_object(who, bucket, k, &[(file, 1234)], ct)
}

/// Puts an object of the given extents under `k` of `who`'s `bucket`.
pub fn put_object(
	who: u64,
	bucket: &str,
	k: &str,
	list: &[(FileId, u64)],
	ct: &str,
) -> DispatchResult {
	Buckets::put_object(
		RuntimeOrigin::signed(who),
		name(bucket),
		key(k),
		extents(list),
		[0xab; 16],
		0,
		ctype(ct),
	)
}

pub fn delete(who: u64, bucket: &str, k: &str) -> DispatchResult {
	Buckets::delete_object(RuntimeOrigin::signed(who), name(bucket), key(k))
		.map(|_| ())
		.map_err(|e| e.error)
}

/// Copies with the most extents stated.
pub fn copy(who: u64, sb: &str, sk: &str, db: &str, dk: &str) -> DispatchResult {
	Buckets::copy_object(
		RuntimeOrigin::signed(who),
		name(sb),
		key(sk),
		name(db),
		key(dk),
		MAX_EXTENTS,
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// How many times `who`'s objects (and queued files) name `file`.
pub fn refs(who: u64, file: FileId) -> u32 {
	crate::FileRefs::<Test>::get(who, file)
}

/// Whether `who` owns `file` in the scripted file market.
pub fn is_owned(who: u64, f: FileId) -> bool {
	<MockFiles as cess_primitives::traits::FileOwnership<u64>>::is_owner(&f, &who)
}

/// The release queue's batches not fully handled.
pub fn queued() -> u64 {
	let state = crate::ReleaseQueueState::<Test>::get();
	state.tail - state.head
}
