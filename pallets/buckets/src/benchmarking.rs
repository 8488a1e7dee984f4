//! Benchmarks of `pallet_buckets`, each in its worst case of this pallet's own work (the
//! longest names, a replaced entry whose last reference goes; the release in `file-bank` is
//! weighed by `file-bank`).

use crate::*;
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::fungible::{InspectHold, Mutate, MutateHold},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_runtime::traits::Bounded,
};

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let amount = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	assert_ok!(T::Currency::mint_into(&who, amount));
	who
}

fn file(n: u32) -> FileId {
	let mut id = [0xbc; 32];
	id[..4].copy_from_slice(&n.to_le_bytes());
	id
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

/// Makes `key` of `who`'s `bucket` the only name of `file`, which `who` does not own (the
/// file-bank dropped it), with a short content type (so a replacement holds more).
fn dangling<T: Config>(who: &T::AccountId, bucket: &BucketName, key: &ObjectKey, file: FileId) {
	let deposit = Pallet::<T>::object_deposit(key.len() as u32);
	assert_ok!(T::Currency::hold(&HoldReason::ObjectDeposit.into(), who, deposit));
	let entry = ObjectInfo {
		file_id: file,
		size: 1,
		etag: [0; 16],
		parts: 0,
		content_type: Default::default(),
		modified_ms: 0,
		deposit,
	};
	Objects::<T>::insert((who, bucket, key), entry);
	FileRefs::<T>::insert(who, file, 1);
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

	/// Overwrites a key whose old file loses its last name (dangling, so nothing is released).
	#[benchmark]
	fn put_object() {
		let who = funded::<T>();
		let name = bucket::<T>(&who, 0);
		let key = key(0);
		dangling::<T>(&who, &name, &key, file(1));
		T::BenchmarkHelper::own_file(&who, file(2));
		let held = T::Currency::balance_on_hold(&HoldReason::ObjectDeposit.into(), &who);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			name.clone(),
			key.clone(),
			file(2),
			u64::MAX,
			[0xee; 16],
			u16::MAX,
			content_type(),
		);

		assert_eq!(Objects::<T>::get((&who, &name, &key)).map(|o| o.file_id), Some(file(2)));
		assert!(T::Currency::balance_on_hold(&HoldReason::ObjectDeposit.into(), &who) > held);
		assert!(!FileRefs::<T>::contains_key(&who, file(1)));
	}

	/// Deletes the last name of a file (dangling, so nothing is released).
	#[benchmark]
	fn delete_object() {
		let who = funded::<T>();
		let name = bucket::<T>(&who, 0);
		let key = key(0);
		dangling::<T>(&who, &name, &key, file(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), name.clone(), key.clone());

		assert!(!Objects::<T>::contains_key((&who, &name, &key)));
		assert!(!FileRefs::<T>::contains_key(&who, file(1)));
	}

	/// Copies into another bucket over a key whose old file loses its last name.
	#[benchmark]
	fn copy_object() {
		let who = funded::<T>();
		let src = bucket::<T>(&who, 0);
		let dst = bucket::<T>(&who, 1);
		T::BenchmarkHelper::own_file(&who, file(2));
		assert_ok!(Pallet::<T>::put_object(
			RawOrigin::Signed(who.clone()).into(),
			src.clone(),
			key(0),
			file(2),
			u64::MAX,
			[0xee; 16],
			u16::MAX,
			content_type(),
		));
		dangling::<T>(&who, &dst, &key(1), file(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), src, key(0), dst.clone(), key(1));

		assert_eq!(Objects::<T>::get((&who, &dst, &key(1))).map(|o| o.file_id), Some(file(2)));
		assert_eq!(FileRefs::<T>::get(&who, file(2)), 2);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
