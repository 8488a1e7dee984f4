//! Benchmarks of `pallet_buckets`, each in its worst case of this pallet's own work: the
//! longest names, objects of `e` extents of distinct files, a replaced entry of `MaxExtents`
//! extents (moved to the release queue), and a release step that gives a file up (`file-bank`'s
//! own `delete_file` weight is added by `T::Files::release_weight()` on top).

use crate::*;
use alloc::vec::Vec;
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::{
			fungible::{Mutate, MutateHold},
			Get, Hooks,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system::{pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::traits::{Bounded, Zero},
};

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let amount = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	assert_ok!(T::Currency::mint_into(&who, amount));
	who
}

/// File `n` of set `set` (distinct sets keep the files of different objects apart).
fn file(set: u8, n: u32) -> FileId {
	let mut id = [0xbc; 32];
	id[0] = set;
	id[1..5].copy_from_slice(&n.to_le_bytes());
	id
}

/// `e` extents of files `0..e` of `set`, each of 1 MiB.
fn extents<T: Config>(set: u8, e: u32) -> Extents<T> {
	BoundedVec::truncate_from(
		(0..e).map(|n| Extent { file_id: file(set, n), size: 1 << 20 }).collect::<Vec<_>>(),
	)
}

/// Makes `who` own every extent's file.
fn own_all<T: Config>(who: &T::AccountId, extents: &Extents<T>) {
	for extent in extents.iter() {
		T::BenchmarkHelper::own_file(who, extent.file_id);
	}
}

/// The longest valid bucket name, ending in `n`.
fn bucket_name(n: u8) -> BucketName {
	let mut name = alloc::vec![b'b'; MAX_BUCKET_NAME_LEN as usize];
	*name.last_mut().unwrap() = b'0' + n;
	BoundedVec::truncate_from(name)
}

/// The longest valid key, ending in `n`.
fn key(n: u8) -> ObjectKey {
	let mut key = alloc::vec![b'k'; MAX_KEY_LEN as usize];
	*key.last_mut().unwrap() = b'0' + n;
	BoundedVec::truncate_from(key)
}

fn content_type() -> ContentType {
	BoundedVec::truncate_from(alloc::vec![b't'; MAX_CONTENT_TYPE_LEN as usize])
}

fn bucket<T: Config>(who: &T::AccountId, n: u8) -> BucketName {
	let name = bucket_name(n);
	assert_ok!(Pallet::<T>::create_bucket(RawOrigin::Signed(who.clone()).into(), name.clone()));
	name
}

/// Stores under `key` of `who`'s `bucket` an entry of the given extents (as `put_object` would,
/// with a short content type, without checking who owns the files), holding its deposit.
fn stored<T: Config>(who: &T::AccountId, bucket: &BucketName, key: &ObjectKey, ext: Extents<T>) {
	let deposit = Pallet::<T>::object_deposit(key.len() as u32, ext.len() as u32);
	assert_ok!(T::Currency::hold(&HoldReason::ObjectDeposit.into(), who, deposit));
	for extent in ext.iter() {
		FileRefs::<T>::mutate(who, extent.file_id, |refs| *refs += 1);
	}
	let entry = ObjectInfo::<T> {
		size: ext.iter().map(|e| e.size).sum(),
		etag: [0; 16],
		parts: 0,
		content_type: Default::default(),
		modified_ms: 0,
		deposit,
		extents: ext,
	};
	Objects::<T>::insert((who, bucket, key), entry);
	ObjectCount::<T>::mutate(who, |n| *n += 1);
	Buckets::<T>::mutate(who, bucket, |info| {
		if let Some(info) = info {
			info.objects += 1
		}
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_bucket() {
		let who = funded::<T>();
		let name = bucket_name(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), name.clone());

		assert!(Buckets::<T>::contains_key(&who, &name));
	}

	#[benchmark]
	fn delete_bucket() {
		let who = funded::<T>();
		let name = bucket::<T>(&who, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), name.clone());

		assert!(!Buckets::<T>::contains_key(&who, &name));
	}

	/// Puts `e` extents of owned files, with the longest content type, over a key of
	/// `MaxExtents` extents (which go to the queue).
	#[benchmark]
	fn put_object(e: Linear<1, { T::MaxExtents::get() }>) {
		let who = funded::<T>();
		let name = bucket::<T>(&who, 0);
		let key = key(0);
		stored::<T>(&who, &name, &key, extents::<T>(1, T::MaxExtents::get()));
		let new = extents::<T>(2, e);
		own_all::<T>(&who, &new);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			name.clone(),
			key.clone(),
			new,
			[0xee; 16],
			u16::MAX,
			content_type(),
		);

		let entry = Objects::<T>::get((&who, &name, &key)).expect("put");
		assert_eq!(entry.extents.len() as u32, e);
		assert_eq!(FileRefs::<T>::get(&who, file(2, 0)), 1);
		assert_eq!(ReleaseQueueState::<T>::get().tail, 1);
	}

	/// Deletes an object of `e` extents (they go to the queue).
	#[benchmark]
	fn delete_object(e: Linear<1, { T::MaxExtents::get() }>) {
		let who = funded::<T>();
		let name = bucket::<T>(&who, 0);
		let key = key(0);
		stored::<T>(&who, &name, &key, extents::<T>(1, e));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), name.clone(), key.clone());

		assert!(!Objects::<T>::contains_key((&who, &name, &key)));
		assert_eq!(ReleaseQueue::<T>::get(0).map(|b| b.files.len() as u32), Some(e));
	}

	/// Copies an object of `e` extents of owned files into another bucket, over a key of
	/// `MaxExtents` extents.
	#[benchmark]
	fn copy_object(e: Linear<1, { T::MaxExtents::get() }>) {
		let who = funded::<T>();
		let src = bucket::<T>(&who, 0);
		let dst = bucket::<T>(&who, 1);
		let source = extents::<T>(2, e);
		own_all::<T>(&who, &source);
		stored::<T>(&who, &src, &key(0), source);
		stored::<T>(&who, &dst, &key(1), extents::<T>(1, T::MaxExtents::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), src, key(0), dst.clone(), key(1), e);

		let entry = Objects::<T>::get((&who, &dst, &key(1))).expect("copied");
		assert_eq!(entry.extents.len() as u32, e);
		assert_eq!(FileRefs::<T>::get(&who, file(2, 0)), 2);
	}

	/// `on_idle` takes the last file of a batch of `MaxExtents` files: the file's last name,
	/// of a file its owner still owns, which it releases; the batch is removed.
	#[benchmark]
	fn release_one() {
		let who = funded::<T>();
		let max = T::MaxExtents::get();
		let files = extents::<T>(1, max);
		let last = file(1, max - 1);
		T::BenchmarkHelper::own_file(&who, last);
		FileRefs::<T>::insert(&who, last, 1);
		Pallet::<T>::queue_release(&who, &files);
		ReleaseQueueState::<T>::mutate(|state| state.next_file = max - 1);

		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::zero(), Weight::MAX);
		}

		assert!(!FileRefs::<T>::contains_key(&who, last));
		assert!(ReleaseQueue::<T>::get(0).is_none());
		assert!(!<T::Files as cess_primitives::traits::FileOwnership<T::AccountId>>::is_owner(
			&last, &who
		));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
