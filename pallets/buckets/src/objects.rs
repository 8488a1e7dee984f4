//! Buckets and object entries: deposits, counts, file references and releases.

use crate::{
	BalanceOf, BucketCount, BucketInfo, BucketName, Buckets, Config, Error, Event, FileRefs,
	HoldReason, ObjectCount, ObjectInfoOf, ObjectKey, Objects, Pallet,
};
use cess_primitives::{
	traits::{FileIndexTarget, FileOwnership},
	types::FileId,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		storage::{with_transaction, TransactionOutcome},
		traits::{fungible::MutateHold, tokens::Precision},
	},
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_bucket(who: T::AccountId, bucket: BucketName) -> DispatchResult {
		ensure!(!Buckets::<T>::contains_key(&who, &bucket), Error::<T>::BucketExists);
		let count = BucketCount::<T>::get(&who);
		ensure!(count < T::MaxBuckets::get(), Error::<T>::TooManyBuckets);
		let deposit = T::BucketDeposit::get();
		Self::hold(HoldReason::BucketDeposit, &who, deposit)?;
		BucketCount::<T>::insert(&who, count.saturating_add(1));
		let info = BucketInfo { created_ms: Self::now_ms(), objects: 0, deposit };
		Buckets::<T>::insert(&who, &bucket, info);
		Self::deposit_event(Event::BucketCreated { owner: who, bucket, deposit });
		Ok(())
	}

	pub(crate) fn do_delete_bucket(who: T::AccountId, bucket: BucketName) -> DispatchResult {
		let info = Buckets::<T>::get(&who, &bucket).ok_or(Error::<T>::NoSuchBucket)?;
		ensure!(info.objects == 0, Error::<T>::BucketNotEmpty);
		Buckets::<T>::remove(&who, &bucket);
		let count = BucketCount::<T>::get(&who).saturating_sub(1);
		if count == 0 {
			BucketCount::<T>::remove(&who);
		} else {
			BucketCount::<T>::insert(&who, count);
		}
		Self::release(HoldReason::BucketDeposit, &who, info.deposit);
		Self::deposit_event(Event::BucketDeleted { owner: who, bucket });
		Ok(())
	}

	/// The deposit of an entry whose key and content type have `bytes` bytes together.
	pub fn object_deposit(bytes: u32) -> BalanceOf<T> {
		T::ObjectDepositBase::get()
			.saturating_add(T::ObjectDepositPerByte::get().saturating_mul(bytes.into()))
	}

	/// Stores `entry` (its deposit is set here) under `key` of `who`'s `bucket`, replacing what
	/// was there. Returns the file the key named before, and whether a release of that file was
	/// attempted (it was the last key naming it).
	pub(crate) fn store(
		who: &T::AccountId,
		bucket: &BucketName,
		key: &ObjectKey,
		mut entry: ObjectInfoOf<T>,
	) -> Result<(Option<FileId>, bool), DispatchError> {
		let mut info = Buckets::<T>::get(who, bucket).ok_or(Error::<T>::NoSuchBucket)?;
		entry.deposit = Self::object_deposit((key.len() + entry.content_type.len()) as u32);
		let old = Objects::<T>::get((who, bucket, key));
		match &old {
			None => {
				let count = ObjectCount::<T>::get(who);
				ensure!(count < T::MaxObjects::get(), Error::<T>::TooManyObjects);
				Self::hold(HoldReason::ObjectDeposit, who, entry.deposit)?;
				ObjectCount::<T>::insert(who, count.saturating_add(1));
				info.objects = info.objects.saturating_add(1);
				Buckets::<T>::insert(who, bucket, info);
			},
			Some(old) if entry.deposit > old.deposit => {
				Self::hold(
					HoldReason::ObjectDeposit,
					who,
					entry.deposit.saturating_sub(old.deposit),
				)?;
			},
			Some(old) => {
				Self::release(
					HoldReason::ObjectDeposit,
					who,
					old.deposit.saturating_sub(entry.deposit),
				);
			},
		}
		// Count the new name before dropping the old one: re-putting a key with its own file
		// never releases the file.
		FileRefs::<T>::mutate(who, entry.file_id, |refs| *refs = refs.saturating_add(1));
		Objects::<T>::insert((who, bucket, key), entry);
		let Some(old) = old else { return Ok((None, false)) };
		let released = Self::drop_reference(who, &old.file_id)?;
		Ok((Some(old.file_id), released))
	}

	/// Deletes `key` of `who`'s `bucket`: returns the file it named and whether a release of
	/// that file was attempted.
	pub(crate) fn do_delete_object(
		who: &T::AccountId,
		bucket: &BucketName,
		key: &ObjectKey,
	) -> Result<(FileId, bool), DispatchError> {
		let mut info = Buckets::<T>::get(who, bucket).ok_or(Error::<T>::NoSuchBucket)?;
		let entry = Objects::<T>::take((who, bucket, key)).ok_or(Error::<T>::NoSuchKey)?;
		info.objects = info.objects.saturating_sub(1);
		Buckets::<T>::insert(who, bucket, info);
		let count = ObjectCount::<T>::get(who).saturating_sub(1);
		if count == 0 {
			ObjectCount::<T>::remove(who);
		} else {
			ObjectCount::<T>::insert(who, count);
		}
		Self::release(HoldReason::ObjectDeposit, who, entry.deposit);
		let released = Self::drop_reference(who, &entry.file_id)?;
		Ok((entry.file_id, released))
	}

	/// One key of `who` no longer names `file`. When it was the last, `who` gives the file up
	/// in `file-bank` if it still owns it; a refusal leaves the file owned and is reported by
	/// [`Event::FileReleaseFailed`] (whatever the release changed is rolled back). Returns
	/// whether a release was attempted.
	fn drop_reference(who: &T::AccountId, file: &FileId) -> Result<bool, DispatchError> {
		let refs = FileRefs::<T>::get(who, file).saturating_sub(1);
		if refs > 0 {
			FileRefs::<T>::insert(who, file, refs);
			return Ok(false);
		}
		FileRefs::<T>::remove(who, file);
		if !<T::Files as FileOwnership<T::AccountId>>::is_owner(file, who) {
			// A dangling entry: file-bank let the file go already.
			return Ok(false);
		}
		let outcome = with_transaction::<_, DispatchError, _>(|| {
			let result = <T::Files as FileIndexTarget<T::AccountId, Weight>>::release(file, who);
			if result.is_ok() {
				TransactionOutcome::Commit(Ok(result))
			} else {
				TransactionOutcome::Rollback(Ok(result))
			}
		})?;
		match outcome {
			Ok(()) => {
				Self::deposit_event(Event::FileReleased { owner: who.clone(), file_id: *file })
			},
			Err(reason) => {
				log::warn!(
					target: crate::LOG_TARGET,
					"file-bank refused to release a file no key names: {reason:?}"
				);
				Self::deposit_event(Event::FileReleaseFailed {
					owner: who.clone(),
					file_id: *file,
					reason,
				})
			},
		}
		Ok(true)
	}

	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientDeposit)?;
		Ok(())
	}

	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
	}
}
