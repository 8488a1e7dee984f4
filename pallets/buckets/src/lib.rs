//! # Buckets (`buckets`)
//!
//! The on-chain S3 namespace: per owner, named buckets and an index (bucket, object key) → the
//! object's files (extents) of `file-bank`, so every S3 gateway and `cess` CLI sees the same
//! namespace.
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
//! * **Objects.** `put_object` names a sequence of files the caller owns in `file-bank` (the
//!   object's [`Extent`]s: its bytes are their plaintexts, concatenated; a multipart upload's
//!   parts, or a large object stored in pieces) with a key (1–1024 bytes of UTF-8 without NUL)
//!   and S3's metadata (plaintext size, ETag, part count, content type; Last-Modified is the
//!   chain's time). Each entry holds `ObjectDepositBase` plus `ObjectDepositPerByte` per byte of
//!   key and content type and [`EXTENT_BYTES`] per extent; an owner has at most `MaxObjects`
//!   entries of at most `MaxExtents` extents. `copy_object` names the same files under another
//!   key (no new storage). The files stay in `file-bank`: this pallet only names them.
//! * **References.** [`FileRefs`] counts how many times an owner's objects name each file
//!   (every extent counts). While it is not 0, `file-bank` refuses to delete the file or hand it
//!   to another account ([`FileReferences`]). When an object is deleted or overwritten, its
//!   extents' names are dropped by the [release queue](#the-release-queue) in `on_idle`: a file
//!   whose last name goes is given up in `file-bank` ([`FileIndexTarget::release`]: the same as
//!   its `delete_file`, with the lease refund, and the file's removal from its miners if the
//!   owner was the last).
//!
//! ## Low Level / Implementation Details
//!
//! ### The release queue
//!
//! Deleting or overwriting an object moves its extent list to the back of [`ReleaseQueue`] as
//! one [`ReleaseBatch`] (one write, whatever the extent count), and returns its deposit at once.
//! `on_idle` takes the batches' files in order while the block's idle weight lasts: each file's
//! reference count drops by one, and a file whose count reaches 0 that the owner still owns is
//! released in `file-bank` ([`Event::FileReleased`]). A file named again meanwhile keeps its
//! count above 0 and stays; a file `file-bank` let go already (a dangling extent) is skipped.
//!
//! Why not in the call: a release is `file-bank`'s `delete_file` (≈ 24 ms of weight at worst),
//! and even dropping the names inline would make a call's weight depend on an extent count it
//! cannot know before dispatch (the replaced object's), up to `MaxExtents` reads and writes.
//! Until the queue reaches them, the files count as named, so `file-bank` keeps refusing their
//! `delete_file`.
//!
//! ### Release failures
//!
//! If `file-bank` refuses a release (it never should: the name is gone), whatever the release
//! changed is rolled back, the file stays the owner's and [`Event::FileReleaseFailed`] says so:
//! the owner can delete the file with `file-bank`'s `delete_file`, which no name blocks any
//! more. Only the owner's own ownership, lease and deposits are ever touched.
//!
//! ### Dangling entries
//!
//! `file-bank` can drop an owner's file on its own (its lease ran out and its files were
//! collected). The entries naming it stay: the runtime API reports them `available: false`,
//! and `delete_object` removes them (there is nothing to release then).
//!
//! ### Weights
//!
//! `put_object` and `copy_object` are linear in the extents they name (for `copy_object` the
//! caller states the source's extent count, `src_extents`, and is refunded down to the real
//! one); `delete_object` is declared at `MaxExtents` and refunded down to the object's. Each
//! includes moving a replaced object of `MaxExtents` extents to the queue. `on_idle` spends per
//! file [`WeightInfo::release_one`] plus `file-bank`'s [`FileIndexTarget::release_weight`], and
//! never more than it is given.
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
mod release;
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
		/// Held per object entry per byte of its key and content type, and per
		/// [`EXTENT_BYTES`] of each extent.
		#[pallet::constant]
		type ObjectDepositPerByte: Get<BalanceOf<Self>>;
		/// Most buckets of one owner.
		#[pallet::constant]
		type MaxBuckets: Get<u32>;
		/// Most object entries of one owner, over all its buckets (bounds a listing's work).
		#[pallet::constant]
		type MaxObjects: Get<u32>;
		/// Most extents (files) of one object.
		#[pallet::constant]
		type MaxExtents: Get<u32>;
		/// Weights of this pallet's calls and of its release queue.
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

	/// Object entries: `(owner, bucket, key)` → the object's extents and its S3 metadata.
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
		ObjectInfo<T>,
	>;

	/// Each owner's number of object entries, over all its buckets (absent: 0).
	#[pallet::storage]
	pub type ObjectCount<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// How many times an owner's objects name a file (absent: none): every extent naming it
	/// counts, in the owner's objects and in the batches of [`ReleaseQueue`] not handled yet.
	/// `file-bank` refuses to delete or hand over a file while its owner's entry here exists.
	// Identity: the file id is already a Blake2b-256 digest.
	#[pallet::storage]
	pub type FileRefs<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Identity, FileId, u32, ValueQuery>;

	/// The release queue: the extent lists of deleted and overwritten objects, whose names
	/// `on_idle` drops file by file (releasing a file in `file-bank` when its last name goes),
	/// oldest first; the batches `head..tail` of [`ReleaseQueueState`].
	///
	/// Not bounded by a constant, but by what the owners paid: a batch is the extent list of an
	/// object that was stored (and paid a deposit for those bytes) until the call that queued it,
	/// and every extent of it was named by a `put_object` or `copy_object` whose fee weighs more
	/// than handling the file here. `on_idle` drains the queue whenever blocks are not full.
	// Twox64Concat: the index is a counter, not chosen by a user.
	#[pallet::storage]
	pub type ReleaseQueue<T: Config> = StorageMap<_, Twox64Concat, u64, ReleaseBatch<T>>;

	/// Where [`ReleaseQueue`] stands.
	#[pallet::storage]
	pub type ReleaseQueueState<T: Config> = StorageValue<_, QueueState, ValueQuery>;

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
		/// A key was made to name an object (`put_object`).
		ObjectPut {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
			/// The key.
			key: ObjectKey,
			/// The object's plaintext size.
			size: u64,
			/// The number of its extents.
			extents: u32,
			/// Whether the key named an object before (its extents went to the release queue).
			replaced: bool,
		},
		/// A key was copied to another (`copy_object`): both name the same extents.
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
			/// The number of extents both keys name.
			extents: u32,
			/// Whether the destination key named an object before (its extents went to the
			/// release queue).
			replaced: bool,
		},
		/// A key was deleted and its deposit returned; its extents went to the release queue.
		ObjectDeleted {
			/// The owner.
			owner: T::AccountId,
			/// The bucket.
			bucket: BucketName,
			/// The key.
			key: ObjectKey,
			/// The number of extents it named.
			extents: u32,
		},
		/// No object of the owner names the file any more, and the owner gave it up in
		/// `file-bank` (as its `delete_file` does). Emitted by the release queue (`on_idle`).
		FileReleased {
			/// The former owner.
			owner: T::AccountId,
			/// The file.
			file_id: FileId,
		},
		/// No object of the owner names the file any more, but `file-bank` refused to release
		/// it: the owner still owns (and pays for) the file and can delete it with `file-bank`'s
		/// `delete_file`. Emitted by the release queue (`on_idle`).
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
		/// The caller does not own one of the extents' files in `file-bank` (a source object's
		/// file may have been dropped with an expired lease): upload the file (or join it)
		/// first.
		NotFileOwner,
		/// The caller has `MaxObjects` objects already: delete some first.
		TooManyObjects,
		/// The caller's free balance cannot cover the deposit (`BucketDeposit`, or
		/// `ObjectDepositBase` + `ObjectDepositPerByte` × (key + content type bytes + 40 per
		/// extent)): top it up.
		InsufficientDeposit,
		/// An object needs at least one extent (an empty object is an empty file).
		NoExtents,
		/// The extents' sizes add up to more than 2^64 − 1 bytes: an extent's size is wrong.
		SizeOverflow,
		/// The source object has more extents than `src_extents` states: read its extent count
		/// (`BucketsApi::object`) and pass it.
		BadExtentWitness,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Drops the names of queued files and releases those whose last name went, within
		/// `remaining_weight`.
		fn on_idle(_n: BlockNumberFor<T>, remaining_weight: Weight) -> Weight {
			Self::drain_release_queue(remaining_weight)
		}

		fn integrity_test() {
			assert!(T::MaxBuckets::get() >= 1, "MaxBuckets must be ≥ 1");
			assert!(T::MaxObjects::get() >= 1, "MaxObjects must be ≥ 1");
			assert!(T::MaxExtents::get() >= 1, "MaxExtents must be ≥ 1");
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

		/// Make `key` in the caller's `bucket` name the object made of `extents`, with its S3
		/// metadata.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the bucket's owner, who must own every extent's file in `file-bank`.
		///
		/// ## Details
		///
		/// The object's bytes are the extents' plaintexts in order; a file may appear more than
		/// once. Its size is the sum of the extents' sizes (there is no separate size argument
		/// to disagree with them). `etag` is the MD5 S3 clients expect, `parts` 0 for a single
		/// PUT or the part count of a multipart upload; Last-Modified is now. The entry holds
		/// `ObjectDepositBase` + `ObjectDepositPerByte` × (key + content type bytes +
		/// [`EXTENT_BYTES`] per extent).
		///
		/// An existing key is overwritten: its deposit is adjusted to the new entry's, and the
		/// old object's extents go to the release queue, which releases in `file-bank` each
		/// file no object of the caller names any more ([`Event::FileReleased`], in a later
		/// `on_idle`; see the crate docs).
		///
		/// ## Errors
		///
		/// [`Error::InvalidKey`], [`Error::NoExtents`], [`Error::SizeOverflow`],
		/// [`Error::NoSuchBucket`], [`Error::NotFileOwner`], [`Error::TooManyObjects`],
		/// [`Error::InsufficientDeposit`].
		///
		/// ## Events
		///
		/// [`Event::ObjectPut`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::put_object(extents.len() as u32))]
		pub fn put_object(
			origin: OriginFor<T>,
			bucket: BucketName,
			key: ObjectKey,
			extents: Extents<T>,
			etag: ETag,
			parts: u16,
			content_type: ContentType,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_key(&key), Error::<T>::InvalidKey);
			ensure!(!extents.is_empty(), Error::<T>::NoExtents);
			let size = extents
				.iter()
				.try_fold(0u64, |sum, extent| sum.checked_add(extent.size))
				.ok_or(Error::<T>::SizeOverflow)?;
			ensure!(Buckets::<T>::contains_key(&who, &bucket), Error::<T>::NoSuchBucket);
			Self::ensure_owns_all(&who, &extents)?;
			let count = extents.len() as u32;
			let entry = ObjectInfo {
				size,
				etag,
				parts,
				content_type,
				modified_ms: Self::now_ms(),
				deposit: Default::default(),
				extents,
			};
			let replaced = Self::store(&who, &bucket, &key, entry)?;
			Self::deposit_event(Event::ObjectPut {
				owner: who,
				bucket,
				key,
				size,
				extents: count,
				replaced,
			});
			Ok(())
		}

		/// Delete a key; its deposit is returned.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the bucket's owner.
		///
		/// ## Details
		///
		/// The object's extents go to the release queue: in a later `on_idle`, each file no
		/// object of the caller names any more is given up in `file-bank`
		/// ([`Event::FileReleased`]), unless `file-bank` dropped it already (a dangling entry,
		/// e.g. after the lease ran out). The weight is declared for `MaxExtents` extents and
		/// refunded down to the object's.
		///
		/// ## Errors
		///
		/// [`Error::NoSuchBucket`], [`Error::NoSuchKey`].
		///
		/// ## Events
		///
		/// [`Event::ObjectDeleted`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::delete_object(T::MaxExtents::get()))]
		pub fn delete_object(
			origin: OriginFor<T>,
			bucket: BucketName,
			key: ObjectKey,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let extents = Self::do_delete_object(&who, &bucket, &key)?;
			Self::deposit_event(Event::ObjectDeleted { owner: who, bucket, key, extents });
			Ok(Some(T::WeightInfo::delete_object(extents)).into())
		}

		/// Copy a key to another key of the caller's (in the same or another of its buckets):
		/// both name the same extents, no new storage is bought.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the owner of both buckets, who must still own every extent's file of the
		/// source in `file-bank`.
		///
		/// ## Details
		///
		/// The destination gets the source's extents and metadata, Last-Modified now, and holds
		/// its own deposit. An existing destination key is overwritten as by `put_object`.
		/// `src_extents` states the source's extent count (or more): the weight is declared
		/// for it and refunded down to the real count.
		///
		/// ## Errors
		///
		/// [`Error::InvalidKey`], [`Error::NoSuchBucket`], [`Error::NoSuchKey`],
		/// [`Error::BadExtentWitness`], [`Error::NotFileOwner`], [`Error::TooManyObjects`],
		/// [`Error::InsufficientDeposit`].
		///
		/// ## Events
		///
		/// [`Event::ObjectCopied`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::copy_object((*src_extents).min(T::MaxExtents::get())))]
		pub fn copy_object(
			origin: OriginFor<T>,
			src_bucket: BucketName,
			src_key: ObjectKey,
			dst_bucket: BucketName,
			dst_key: ObjectKey,
			src_extents: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(is_valid_key(&dst_key), Error::<T>::InvalidKey);
			ensure!(Buckets::<T>::contains_key(&who, &src_bucket), Error::<T>::NoSuchBucket);
			ensure!(Buckets::<T>::contains_key(&who, &dst_bucket), Error::<T>::NoSuchBucket);
			let source =
				Objects::<T>::get((&who, &src_bucket, &src_key)).ok_or(Error::<T>::NoSuchKey)?;
			let count = source.extents.len() as u32;
			ensure!(count <= src_extents, Error::<T>::BadExtentWitness);
			Self::ensure_owns_all(&who, &source.extents)?;
			let entry = ObjectInfo { modified_ms: Self::now_ms(), ..source };
			let replaced = Self::store(&who, &dst_bucket, &dst_key, entry)?;
			Self::deposit_event(Event::ObjectCopied {
				owner: who,
				src_bucket,
				src_key,
				dst_bucket,
				dst_key,
				extents: count,
				replaced,
			});
			Ok(Some(T::WeightInfo::copy_object(count)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The chain's time, Unix milliseconds.
		pub(crate) fn now_ms() -> u64 {
			T::UnixTime::now().as_millis() as u64
		}

		/// Fails with [`Error::NotFileOwner`] unless `who` owns every extent's file.
		fn ensure_owns_all(who: &T::AccountId, extents: &[Extent]) -> DispatchResult {
			for extent in extents {
				ensure!(T::Files::is_owner(&extent.file_id, who), Error::<T>::NotFileOwner);
			}
			Ok(())
		}
	}
}

impl<T: Config> FileReferences<T::AccountId> for Pallet<T> {
	fn references(owner: &T::AccountId, file: &cess_primitives::types::FileId) -> u32 {
		FileRefs::<T>::get(owner, file)
	}
}
