//! # Buckets (`buckets`)
//!
//! The on-chain S3 namespace: per owner, named buckets and an index (bucket, object key) → file
//! id over the files of `file-bank`, so every S3 gateway and `cess` CLI sees the same namespace.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::BucketsApi`] runtime API lists buckets, heads an object and lists a bucket
//! with S3 ListObjectsV2 semantics ([`listing::list_page`]).
//!
//! ## Overview
//!
//! * **Buckets.** An account creates up to `MaxBuckets` buckets named by S3's rules
//!   ([`is_valid_bucket_name`]), each holding `BucketDeposit`; an empty bucket can be deleted
//!   and its deposit returns.
//! * **Objects.** `put_object` names a file the caller owns in `file-bank` with a key (1–1024
//!   bytes of UTF-8 without NUL) and S3's metadata (plaintext size, ETag, part count, content
//!   type; Last-Modified is the chain's time). Each entry holds `ObjectDepositBase` plus
//!   `ObjectDepositPerByte` per byte of key and content type; an owner has at most
//!   `MaxObjects` entries. `copy_object` names the same file under another key (no new
//!   storage). The files stay in `file-bank`: this pallet only names them.
//! * **References.** [`FileRefs`] counts how many of an owner's keys name each file. While it
//!   is not 0, `file-bank` refuses to delete the file or hand it to another account
//!   ([`FileReferences`]). When the last key naming a file is deleted or overwritten, the
//!   owner gives the file up in `file-bank` ([`FileIndexTarget::release`]: the same as its
//!   `delete_file`, with the lease refund, and the file's removal from its miners if the
//!   owner was the last).
//!
//! ## Low Level / Implementation Details
//!
//! ### Release failures
//!
//! Deleting or overwriting the last key of a file first removes the entry (and its reference),
//! then releases the file in its own storage layer. If `file-bank` refuses (it never should:
//! the reference is gone), the key operation still succeeds, the file stays the caller's and
//! [`Event::FileReleaseFailed`] says so: the caller can delete the file with `file-bank`'s
//! `delete_file`, which no reference blocks any more. Only the caller's own ownership, lease
//! and deposits are ever touched.
//!
//! ### Dangling entries
//!
//! `file-bank` can drop an owner's file on its own (its lease ran out and its files were
//! collected). The entries naming it stay: the runtime API reports them `available: false`,
//! and `delete_object` removes them (there is nothing to release then).
//!
//! ### Weights
//!
//! Each call's weight is its own work plus, when it may release a file, `file-bank`'s
//! [`FileIndexTarget::release_weight`]; the latter is refunded when nothing was released.
#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod listing;
#[cfg(test)]
mod mock;
mod objects;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
pub mod weights;

use cess_primitives::traits::{FileIndexTarget, FileReferences};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::buckets";

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an owner of the file `file` in the file market.
	fn own_file(who: &AccountId, file: cess_primitives::types::FileId);
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::{
		traits::{FileOwnership, ReleaseError},
		types::FileId,
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, UnixTime},
		},
		frame_system::pallet_prelude::*,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A reason for the pallet placing a hold on funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a bucket, returned when the bucket is deleted.
		#[codec(index = 0)]
		BucketDeposit,
		/// The deposit of an object entry, returned when the entry is deleted.
		#[codec(index = 1)]
		ObjectDeposit,
	}

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// The file market the keys name files of (`file-bank`).
		type Files: FileIndexTarget<Self::AccountId, Weight>;
		/// Wall-clock time for Last-Modified and bucket creation times.
		type UnixTime: UnixTime;
		/// Held per bucket.
		#[pallet::constant]
		type BucketDeposit: Get<BalanceOf<Self>>;
		/// Held per object entry.
		#[pallet::constant]
		type ObjectDepositBase: Get<BalanceOf<Self>>;
		/// Held per object entry per byte of its key and content type.
		#[pallet::constant]
		type ObjectDepositPerByte: Get<BalanceOf<Self>>;
		/// Most buckets of one owner.
		#[pallet::constant]
		type MaxBuckets: Get<u32>;
		/// Most object entries of one owner, over all its buckets (bounds a listing's work).
		#[pallet::constant]
		type MaxObjects: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Benchmark support.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Each owner's buckets.
	// Twox64Concat: owners are accounts (each bucket costs a deposit); Blake2_128Concat: names
	// are chosen by the user.
	#[pallet::storage]
	pub type Buckets<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		T::AccountId,
		Blake2_128Concat,
		BucketName,
		BucketInfoOf<T>,
	>;

	/// Each owner's number of buckets (absent: 0).
	#[pallet::storage]
	pub type BucketCount<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// Object entries: `(owner, bucket, key)` → the file and its S3 metadata.
	// Blake2_128Concat on bucket and key: chosen by the user. Iterating an owner's bucket yields
	// its keys in hash order; the runtime API sorts them.
	#[pallet::storage]
	pub type Objects<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, BucketName>,
			NMapKey<Blake2_128Concat, ObjectKey>,
		),
		ObjectInfoOf<T>,
	>;

	/// Each owner's number of object entries, over all its buckets (absent: 0).
	#[pallet::storage]
	pub type ObjectCount<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// How many of an owner's keys name a file (absent: none). `file-bank` refuses to delete
	/// or hand over a file while its owner's entry here exists.
	// Identity: the file id is already a Blake2b-256 digest.
	#[pallet::storage]
	pub type FileRefs<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Identity, FileId, u32, ValueQuery>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A bucket was created.
		BucketCreated {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// An empty bucket was deleted and its deposit returned.
		BucketDeleted {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
		},
		/// A key was made to name a file (`put_object`).
		ObjectPut {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
			/// The key.
			key: ObjectKey,
			/// The file the key names now.
			file_id: FileId,
			/// The file the key named before, if it existed.
			replaced: Option<FileId>,
		},
		/// A key was copied to another (`copy_object`): both name the same file.
		ObjectCopied {
			/// The owner.
			owner: T::AccountId,
			/// The source bucket.
			src_bucket: BucketName,
			/// The source key.
			src_key: ObjectKey,
			/// The destination bucket.
			dst_bucket: BucketName,
			/// The destination key.
			dst_key: ObjectKey,
			/// The file both keys name.
			file_id: FileId,
			/// The file the destination key named before, if it existed.
			replaced: Option<FileId>,
		},
		/// A key was deleted and its deposit returned.
		ObjectDeleted {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
			/// The key.
			key: ObjectKey,
			/// The file it named.
			file_id: FileId,
		},
		/// No key of the owner names the file any more, and the owner gave it up in
		/// `file-bank` (as its `delete_file` does).
		FileReleased {
			/// The former owner.
			owner: T::AccountId,
			/// The file.
			file_id: FileId,
		},
		/// No key of the owner names the file any more, but `file-bank` refused to release it:
		/// the owner still owns (and pays for) the file and can delete it with `file-bank`'s
		/// `delete_file`.
		FileReleaseFailed {
			/// The owner.
			owner: T::AccountId,
			/// The file.
			file_id: FileId,
			/// Why `file-bank` refused.
			reason: ReleaseError,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The bucket name breaks S3's rules: use 3–63 lowercase letters, digits, '.' and '-',
		/// starting and ending with a letter or digit, without "..", not shaped like an IPv4
		/// address (e.g. `my-photos.2026`).
		InvalidBucketName,
		/// The caller already has a bucket with this name: put objects into it, or pick
		/// another name.
		BucketExists,
		/// The caller has `MaxBuckets` buckets already: delete an empty one first.
		TooManyBuckets,
		/// The caller has no bucket with this name: create it with `create_bucket` (names are
		/// per account, so another account's bucket is not the caller's).
		NoSuchBucket,
		/// The bucket still has objects: delete them (`delete_object`) first.
		BucketNotEmpty,
		/// The key is empty, not UTF-8 or contains a NUL byte: use 1–1024 bytes of UTF-8
		/// without NUL.
		InvalidKey,
		/// The bucket has no object with this key: list the bucket to find the key.
		NoSuchKey,
		/// The caller does not own this file in `file-bank` (a source object's file may have
		/// been dropped with an expired lease): upload the file (or join it) first.
		NotFileOwner,
		/// The caller has `MaxObjects` objects already: delete some first.
		TooManyObjects,
		/// The caller's free balance cannot cover the deposit (`BucketDeposit`, or
		/// `ObjectDepositBase` + `ObjectDepositPerByte` × (key + content type bytes)): top it
		/// up.
		InsufficientDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxBuckets::get() >= 1, "MaxBuckets must be ≥ 1");
			assert!(T::MaxObjects::get() >= 1, "MaxObjects must be ≥ 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a bucket.
		///
		/// ## Dispatch Origin
		///
		/// Signed; the caller needs the free balance for `BucketDeposit`.
		///
		/// ## Details
		///
		/// `bucket` must follow S3's naming rules ([`is_valid_bucket_name`]). Names are per
		/// account: two accounts may have buckets of the same name. `BucketDeposit` is held
		/// until the bucket is deleted.
		///
		/// ## Errors
		///
		/// [`Error::InvalidBucketName`], [`Error::BucketExists`], [`Error::TooManyBuckets`],
		/// [`Error::InsufficientDeposit`].
		///
		/// ## Events
		///
		/// [`Event::BucketCreated`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_bucket())]
		pub fn create_bucket(origin: OriginFor<T>, bucket: BucketName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_bucket_name(&bucket), Error::<T>::InvalidBucketName);
			Self::do_create_bucket(who, bucket)
		}

		/// Delete an empty bucket; its deposit is returned.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the bucket's owner.
		///
		/// ## Errors
		///
		/// [`Error::NoSuchBucket`], [`Error::BucketNotEmpty`].
		///
		/// ## Events
		///
		/// [`Event::BucketDeleted`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::delete_bucket())]
		pub fn delete_bucket(origin: OriginFor<T>, bucket: BucketName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_bucket(who, bucket)
		}

		/// Make `key` in the caller's `bucket` name `file_id`, with its S3 metadata.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the bucket's owner, who must own `file_id` in `file-bank`.
		///
		/// ## Details
		///
		/// `size` is the plaintext size, `etag` the MD5 S3 clients expect, `parts` 0 for a
		/// single PUT or the part count of a multipart upload; Last-Modified is now. The entry
		/// holds `ObjectDepositBase` + `ObjectDepositPerByte` × (key + content type bytes).
		///
		/// An existing key is overwritten: its deposit is adjusted to the new entry's, and if
		/// no other key of the caller names its old file any more, the caller gives that file
		/// up in `file-bank` ([`Event::FileReleased`]; see the crate docs for a refused
		/// release).
		///
		/// ## Errors
		///
		/// [`Error::InvalidKey`], [`Error::NoSuchBucket`], [`Error::NotFileOwner`],
		/// [`Error::TooManyObjects`], [`Error::InsufficientDeposit`].
		///
		/// ## Events
		///
		/// [`Event::ObjectPut`], and [`Event::FileReleased`] or [`Event::FileReleaseFailed`]
		/// for a replaced file no key names any more.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::put_object().saturating_add(T::Files::release_weight()))]
		#[allow(clippy::too_many_arguments)]
		pub fn put_object(
			origin: OriginFor<T>,
			bucket: BucketName,
			key: ObjectKey,
			file_id: FileId,
			size: u64,
			etag: ETag,
			parts: u16,
			content_type: ContentType,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_key(&key), Error::<T>::InvalidKey);
			ensure!(Buckets::<T>::contains_key(&who, &bucket), Error::<T>::NoSuchBucket);
			ensure!(T::Files::is_owner(&file_id, &who), Error::<T>::NotFileOwner);
			let entry = ObjectInfo {
				file_id,
				size,
				etag,
				parts,
				content_type,
				modified_ms: Self::now_ms(),
				deposit: Default::default(),
			};
			let (replaced, released) = Self::store(&who, &bucket, &key, entry)?;
			Self::deposit_event(Event::ObjectPut { owner: who, bucket, key, file_id, replaced });
			Ok(Self::actual_weight(T::WeightInfo::put_object(), released))
		}

		/// Delete a key; its deposit is returned.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the bucket's owner.
		///
		/// ## Details
		///
		/// If no other key of the caller names the key's file, the caller gives the file up in
		/// `file-bank` ([`Event::FileReleased`]), unless `file-bank` dropped it already (a
		/// dangling entry, e.g. after the lease ran out).
		///
		/// ## Errors
		///
		/// [`Error::NoSuchBucket`], [`Error::NoSuchKey`].
		///
		/// ## Events
		///
		/// [`Event::ObjectDeleted`], and [`Event::FileReleased`] or
		/// [`Event::FileReleaseFailed`] for a file no key names any more.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::delete_object().saturating_add(T::Files::release_weight()))]
		pub fn delete_object(
			origin: OriginFor<T>,
			bucket: BucketName,
			key: ObjectKey,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (file_id, released) = Self::do_delete_object(&who, &bucket, &key)?;
			Self::deposit_event(Event::ObjectDeleted { owner: who, bucket, key, file_id });
			Ok(Self::actual_weight(T::WeightInfo::delete_object(), released))
		}

		/// Copy a key to another key of the caller's (in the same or another of its buckets):
		/// both name the same file, no new storage is bought.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the owner of both buckets, who must still own the source's file in
		/// `file-bank`.
		///
		/// ## Details
		///
		/// The destination gets the source's file and metadata, Last-Modified now, and holds
		/// its own deposit. An existing destination key is overwritten as by `put_object`.
		///
		/// ## Errors
		///
		/// [`Error::InvalidKey`], [`Error::NoSuchBucket`], [`Error::NoSuchKey`],
		/// [`Error::NotFileOwner`], [`Error::TooManyObjects`], [`Error::InsufficientDeposit`].
		///
		/// ## Events
		///
		/// [`Event::ObjectCopied`], and [`Event::FileReleased`] or
		/// [`Event::FileReleaseFailed`] for a replaced file no key names any more.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::copy_object().saturating_add(T::Files::release_weight()))]
		pub fn copy_object(
			origin: OriginFor<T>,
			src_bucket: BucketName,
			src_key: ObjectKey,
			dst_bucket: BucketName,
			dst_key: ObjectKey,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_key(&dst_key), Error::<T>::InvalidKey);
			ensure!(Buckets::<T>::contains_key(&who, &src_bucket), Error::<T>::NoSuchBucket);
			ensure!(Buckets::<T>::contains_key(&who, &dst_bucket), Error::<T>::NoSuchBucket);
			let source =
				Objects::<T>::get((&who, &src_bucket, &src_key)).ok_or(Error::<T>::NoSuchKey)?;
			let file_id = source.file_id;
			ensure!(T::Files::is_owner(&file_id, &who), Error::<T>::NotFileOwner);
			let entry = ObjectInfo { modified_ms: Self::now_ms(), ..source };
			let (replaced, released) = Self::store(&who, &dst_bucket, &dst_key, entry)?;
			Self::deposit_event(Event::ObjectCopied {
				owner: who,
				src_bucket,
				src_key,
				dst_bucket,
				dst_key,
				file_id,
				replaced,
			});
			Ok(Self::actual_weight(T::WeightInfo::copy_object(), released))
		}
	}

	impl<T: Config> Pallet<T> {
		/// The chain's time, Unix milliseconds.
		pub(crate) fn now_ms() -> u64 {
			T::UnixTime::now().as_millis() as u64
		}

		/// `own` if no release was attempted (its weight is refunded), else the declared
		/// weight.
		fn actual_weight(
			own: Weight,
			released: bool,
		) -> polkadot_sdk::frame_support::dispatch::PostDispatchInfo {
			if released {
				().into()
			} else {
				Some(own).into()
			}
		}
	}
}

impl<T: Config> FileReferences<T::AccountId> for Pallet<T> {
	fn references(owner: &T::AccountId, file: &cess_primitives::types::FileId) -> u32 {
		FileRefs::<T>::get(owner, file)
	}
}
