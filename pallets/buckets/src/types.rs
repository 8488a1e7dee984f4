//! Stored records of the namespace, and the naming rules of buckets and keys.

use crate::Config;
use cess_primitives::types::FileId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::{
	pallet_prelude::*, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// The balance type of the deposit currency.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// Shortest bucket name, in bytes (S3's limit).
pub const MIN_BUCKET_NAME_LEN: u32 = 3;
/// Longest bucket name, in bytes (S3's limit).
pub const MAX_BUCKET_NAME_LEN: u32 = 63;
/// Longest object key, in bytes (S3's limit).
pub const MAX_KEY_LEN: u32 = 1024;
/// Longest content type (a MIME type such as `image/jpeg`), in bytes.
pub const MAX_CONTENT_TYPE_LEN: u32 = 128;

/// A bucket name (checked by [`is_valid_bucket_name`] before it is stored).
pub type BucketName = BoundedVec<u8, ConstU32<MAX_BUCKET_NAME_LEN>>;
/// An object key (checked by [`is_valid_key`] before it is stored).
pub type ObjectKey = BoundedVec<u8, ConstU32<MAX_KEY_LEN>>;
/// An object's content type, as the uploader states it.
pub type ContentType = BoundedVec<u8, ConstU32<MAX_CONTENT_TYPE_LEN>>;
/// An object's entity tag: the MD5 of its plaintext (of a single PUT), or S3's MD5 of the
/// parts' MD5s (of a multipart upload).
pub type ETag = [u8; 16];

/// A bucket.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct BucketInfo<Balance> {
	/// Creation time, Unix milliseconds.
	pub created_ms: u64,
	/// Objects in the bucket.
	pub objects: u32,
	/// The deposit held for the bucket (returned when it is deleted).
	pub deposit: Balance,
}

/// Bytes of an [`Extent`] as stored (a file id and a size): what an object's deposit holds per
/// extent.
pub const EXTENT_BYTES: u32 = 40;

/// One piece of an object: a file of `file-bank` and how many plaintext bytes of the object it
/// holds. An object's bytes are its extents' plaintexts, concatenated in order.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Extent {
	/// The file holding the extent's bytes.
	pub file_id: FileId,
	/// The extent's plaintext bytes.
	pub size: u64,
}

/// An object's extents, in order.
pub type Extents<T> = BoundedVec<Extent, <T as Config>::MaxExtents>;

/// One object: a key naming a sequence of files of `file-bank` (its extents), with the metadata
/// S3 clients expect.
///
/// The extents come last, so that the fields before them can be read without decoding the
/// extent list (`ObjectHead`, for listings).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ObjectInfo<T: Config> {
	/// Plaintext size in bytes: the sum of the extents' sizes.
	pub size: u64,
	/// The entity tag.
	pub etag: ETag,
	/// 0 for a single PUT, else the number of parts of the multipart upload.
	pub parts: u16,
	/// The content type.
	pub content_type: ContentType,
	/// Last-Modified: when the key was last put or copied to, Unix milliseconds.
	pub modified_ms: u64,
	/// The deposit held for the entry (returned when it is deleted).
	pub deposit: BalanceOf<T>,
	/// The files holding the object's bytes, in order (at least one). Its owner owns each in
	/// `file-bank` unless the file-bank let one go on its own (e.g. when the lease ran out).
	pub extents: Extents<T>,
}

/// The leading fields of a stored [`ObjectInfo`] and its extent count: a prefix of its encoding,
/// decoded without the extent list (for listings).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, Debug)]
pub(crate) struct ObjectHead<Balance> {
	pub size: u64,
	pub etag: ETag,
	pub parts: u16,
	#[allow(dead_code)]
	pub content_type: ContentType,
	pub modified_ms: u64,
	#[allow(dead_code)]
	pub deposit: Balance,
	/// The length prefix of the extent list.
	pub extents: codec::Compact<u32>,
}

/// The files of a deleted or overwritten object (its extents, in order) whose names the release
/// queue still has to drop ([`crate::ReleaseQueue`]).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ReleaseBatch<T: Config> {
	/// The object's owner.
	pub owner: T::AccountId,
	/// The files, one per extent (a file twice if the object named it twice).
	pub files: BoundedVec<FileId, T::MaxExtents>,
}

/// Where the release queue stands: batches `head..tail` wait, and the first `next_file` files of
/// batch `head` are done.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct QueueState {
	/// The oldest waiting batch.
	pub head: u64,
	/// The index the next batch gets.
	pub tail: u64,
	/// Files of batch `head` already handled.
	pub next_file: u32,
}

/// [`BucketInfo`] of a runtime.
pub type BucketInfoOf<T> = BucketInfo<BalanceOf<T>>;

/// Whether `name` follows S3's bucket naming rules: 3–63 bytes of lowercase letters, digits,
/// `.` and `-`, starting and ending with a letter or digit, without `..`, and not shaped like
/// an IPv4 address (four dot-separated groups of 1–3 digits).
pub fn is_valid_bucket_name(name: &[u8]) -> bool {
	let len = name.len() as u32;
	if !(MIN_BUCKET_NAME_LEN..=MAX_BUCKET_NAME_LEN).contains(&len) {
		return false;
	}
	let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
	if !name.iter().all(|c| alnum(c) || *c == b'.' || *c == b'-') {
		return false;
	}
	if !name.first().is_some_and(alnum) || !name.last().is_some_and(alnum) {
		return false;
	}
	if name.windows(2).any(|w| w == b"..") {
		return false;
	}
	let groups: alloc::vec::Vec<&[u8]> = name.split(|c| *c == b'.').collect();
	let ip_shaped = groups.len() == 4
		&& groups.iter().all(|g| (1..=3).contains(&g.len()) && g.iter().all(u8::is_ascii_digit));
	!ip_shaped
}

/// Whether `key` is an acceptable object key: 1–1024 bytes of UTF-8 without NUL.
pub fn is_valid_key(key: &[u8]) -> bool {
	!key.is_empty()
		&& key.len() as u32 <= MAX_KEY_LEN
		&& !key.contains(&0)
		&& core::str::from_utf8(key).is_ok()
}
