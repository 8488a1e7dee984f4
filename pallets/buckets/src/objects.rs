//! Buckets and object entries: deposits, counts and file references.

use crate::{
	BalanceOf, BucketCount, BucketInfo, BucketName, Buckets, Config, Error, Event, FileRefs,
	HoldReason, ObjectCount, ObjectInfo, ObjectKey, Objects, Pallet, EXTENT_BYTES,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
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

	/// The deposit of an entry whose key and content type have `bytes` bytes together, with
	/// `extents` extents.
	pub fn object_deposit(bytes: u32, extents: u32) -> BalanceOf<T> {
		let bytes = bytes.saturating_add(extents.saturating_mul(EXTENT_BYTES));
		T::ObjectDepositBase::get()
			.saturating_add(T::ObjectDepositPerByte::get().saturating_mul(bytes.into()))
	}

	/// Stores `entry` (its deposit is set here) under `key` of `who`'s `bucket`, replacing what
	/// was there: every extent of `entry` counts as a name of its file, and a replaced entry's
	/// extents go to the release queue. Returns whether an entry was replaced.
	pub(crate) fn store(
		who: &T::AccountId,
		bucket: &BucketName,
		key: &ObjectKey,
		mut entry: ObjectInfo<T>,
	) -> Result<bool, DispatchError> {
		let mut info = Buckets::<T>::get(who, bucket).ok_or(Error::<T>::NoSuchBucket)?;
		entry.deposit = Self::object_deposit(
			(key.len() + entry.content_type.len()) as u32,
			entry.extents.len() as u32,
		);
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
		// The new names count at once; the old ones go through the queue, so re-putting a key
		// with its own files never releases them.
		for extent in entry.extents.iter() {
			FileRefs::<T>::mutate(who, extent.file_id, |refs| *refs = refs.saturating_add(1));
		}
		Objects::<T>::insert((who, bucket, key), entry);
		let Some(old) = old else { return Ok(false) };
		Self::queue_release(who, &old.extents);
		Ok(true)
	}

	/// Deletes `key` of `who`'s `bucket` and queues its extents for release: returns their
	/// number.
	pub(crate) fn do_delete_object(
		who: &T::AccountId,
		bucket: &BucketName,
		key: &ObjectKey,
	) -> Result<u32, DispatchError> {
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
		Self::queue_release(who, &entry.extents);
		Ok(entry.extents.len() as u32)
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
