//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{
	is_valid_bucket_name, is_valid_key, BalanceOf, BucketCount, Buckets, Config, FileRefs,
	HoldReason, ObjectCount, Objects, Pallet, ReleaseQueue, ReleaseQueueState,
};
use alloc::collections::{BTreeMap, BTreeSet};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::{ensure, traits::fungible::InspectHold, traits::Get},
	sp_runtime::{traits::Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Checks that:
	/// * every owner's bucket count is its number of buckets (no zero entries), at most
	///   `MaxBuckets`, and every bucket name follows the naming rules;
	/// * every object sits in an existing bucket under a valid key, every bucket's object
	///   count is its number of objects, every owner's object count the sum (no zero entries),
	///   at most `MaxObjects`;
	/// * every object has 1 to `MaxExtents` extents whose sizes add up to its size, and holds
	///   the deposit its key, content type and extents call for;
	/// * the release queue holds exactly the batches `head..tail`, none empty, and `next_file`
	///   is inside batch `head` (0 when the queue is empty);
	/// * every owner's reference count of a file is the number of times its objects' extents
	///   and the queue's files not handled yet name the file (no zero entries). So a queued
	///   file is still counted: its count reaches 0 only when the queue takes its last name,
	///   and a file named again meanwhile keeps a count above 0;
	/// * every owner's bucket and object holds are the sums of its buckets' and objects'
	///   deposits.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut buckets: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut bucket_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (owner, name, info) in Buckets::<T>::iter() {
			ensure!(is_valid_bucket_name(&name), "a bucket name breaks the naming rules");
			let objects = Objects::<T>::iter_key_prefix((&owner, &name)).count() as u32;
			ensure!(info.objects == objects, "a bucket's object count ≠ its objects");
			*buckets.entry(owner.clone()).or_default() += 1;
			let held = bucket_deposits.entry(owner).or_default();
			*held = held.saturating_add(info.deposit);
		}
		for (owner, count) in BucketCount::<T>::iter() {
			ensure!(count > 0, "a zero bucket count is stored");
			ensure!(count <= T::MaxBuckets::get(), "more than MaxBuckets buckets");
			ensure!(buckets.get(&owner) == Some(&count), "a bucket count ≠ the owner's buckets");
		}
		ensure!(
			BucketCount::<T>::iter().count() == buckets.len(),
			"an owner of buckets has no bucket count"
		);

		let mut objects: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut object_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut refs: BTreeMap<(T::AccountId, FileId), u32> = BTreeMap::new();
		for ((owner, bucket, key), entry) in Objects::<T>::iter() {
			ensure!(Buckets::<T>::contains_key(&owner, &bucket), "an object outside any bucket");
			ensure!(is_valid_key(&key), "an invalid object key is stored");
			ensure!(!entry.extents.is_empty(), "an object without extents");
			let total = entry.extents.iter().try_fold(0u64, |sum, e| sum.checked_add(e.size));
			ensure!(total == Some(entry.size), "an object's size ≠ its extents' sizes");
			let deposit = Self::object_deposit(
				(key.len() + entry.content_type.len()) as u32,
				entry.extents.len() as u32,
			);
			ensure!(entry.deposit == deposit, "an object's deposit ≠ what it calls for");
			*objects.entry(owner.clone()).or_default() += 1;
			for extent in entry.extents.iter() {
				*refs.entry((owner.clone(), extent.file_id)).or_default() += 1;
			}
			let held = object_deposits.entry(owner).or_default();
			*held = held.saturating_add(entry.deposit);
		}
		let state = ReleaseQueueState::<T>::get();
		ensure!(state.head <= state.tail, "the release queue's head is past its tail");
		let mut batches = 0u64;
		for (index, batch) in ReleaseQueue::<T>::iter() {
			ensure!(
				(state.head..state.tail).contains(&index),
				"a release batch outside head..tail"
			);
			ensure!(!batch.files.is_empty(), "an empty release batch");
			let done = if index == state.head { state.next_file as usize } else { 0 };
			ensure!(done < batch.files.len(), "the head batch is done but still queued");
			for file in &batch.files[done..] {
				*refs.entry((batch.owner.clone(), *file)).or_default() += 1;
			}
			batches += 1;
		}
		ensure!(batches == state.tail - state.head, "a release batch of head..tail is missing");
		ensure!(state.head < state.tail || state.next_file == 0, "an empty queue has a position");
		for (owner, count) in ObjectCount::<T>::iter() {
			ensure!(count > 0, "a zero object count is stored");
			ensure!(count <= T::MaxObjects::get(), "more than MaxObjects objects");
			ensure!(objects.get(&owner) == Some(&count), "an object count ≠ the owner's objects");
		}
		ensure!(
			ObjectCount::<T>::iter().count() == objects.len(),
			"an owner of objects has no object count"
		);
		for (owner, file, count) in FileRefs::<T>::iter() {
			ensure!(
				refs.get(&(owner, file)) == Some(&count),
				"a file's references ≠ the extents and queued files naming it"
			);
		}
		ensure!(FileRefs::<T>::iter().count() == refs.len(), "a named file has no references");

		let owners: BTreeSet<T::AccountId> =
			bucket_deposits.keys().chain(object_deposits.keys()).cloned().collect();
		for owner in owners {
			let bucket_held =
				T::Currency::balance_on_hold(&HoldReason::BucketDeposit.into(), &owner);
			let object_held =
				T::Currency::balance_on_hold(&HoldReason::ObjectDeposit.into(), &owner);
			ensure!(
				bucket_held == bucket_deposits.get(&owner).copied().unwrap_or_default(),
				"an owner's bucket hold ≠ its buckets' deposits"
			);
			ensure!(
				object_held == object_deposits.get(&owner).copied().unwrap_or_default(),
				"an owner's object hold ≠ its objects' deposits"
			);
		}
		Ok(())
	}
}
