//! Unit tests, split by feature, with shared helpers.

mod buckets;
mod listing;
mod naming;
mod objects;
mod runtime_api;

use crate::{mock::*, BucketName, ContentType, ObjectKey};
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

/// The deposit of an entry with key `k` and content type `ct`.
pub fn deposit_of(k: &str, ct: &str) -> u64 {
	OBJECT_BASE + OBJECT_PER_BYTE * (k.len() + ct.len()) as u64
}

pub fn create(who: u64, bucket: &str) {
	assert_ok!(Buckets::create_bucket(RuntimeOrigin::signed(who), name(bucket)));
}

/// Puts `file` under `k` of `who`'s `bucket` with content type `text/plain`.
pub fn put(who: u64, bucket: &str, k: &str, file: FileId) -> DispatchResult {
	put_typed(who, bucket, k, file, "text/plain")
}

pub fn put_typed(who: u64, bucket: &str, k: &str, file: FileId, ct: &str) -> DispatchResult {
	Buckets::put_object(
		RuntimeOrigin::signed(who),
		name(bucket),
		key(k),
		file,
		1234,
		[0xab; 16],
		0,
		ctype(ct),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

pub fn delete(who: u64, bucket: &str, k: &str) -> DispatchResult {
	Buckets::delete_object(RuntimeOrigin::signed(who), name(bucket), key(k))
		.map(|_| ())
		.map_err(|e| e.error)
}

pub fn copy(who: u64, sb: &str, sk: &str, db: &str, dk: &str) -> DispatchResult {
	Buckets::copy_object(RuntimeOrigin::signed(who), name(sb), key(sk), name(db), key(dk))
		.map(|_| ())
		.map_err(|e| e.error)
}

/// How many of `who`'s keys name `file`.
pub fn refs(who: u64, file: FileId) -> u32 {
	crate::FileRefs::<Test>::get(who, file)
}
