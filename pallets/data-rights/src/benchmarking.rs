//! Benchmarks of `pallet_data_rights`, each in its worst case.

use crate::*;
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::{fungible::Mutate, Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::{
		traits::{Bounded, One, Saturating, Zero},
		Perbill,
	},
};

fn big<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::max_value() / 1_000_000u32.into()
}

fn price<T: Config>() -> BalanceOf<T> {
	big::<T>() / 1_000u32.into()
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	assert_ok!(T::Currency::mint_into(&who, big::<T>()));
	who
}

fn file(n: u32) -> FileId {
	let mut id = [0xfe; 32];
	id[..4].copy_from_slice(&n.to_le_bytes());
	id
}

fn key() -> WrappedKey {
	BoundedVec::truncate_from(alloc::vec![1u8; MAX_WRAPPED_KEY_LEN as usize])
}

/// A certified file `n` held by `owner`.
fn certified<T: Config>(owner: &T::AccountId, n: u32, fingerprint: Fingerprint) -> FileId {
	let id = file(n);
	T::BenchmarkHelper::own_file(owner, id, None);
	assert_ok!(Pallet::<T>::register(
		RawOrigin::Signed(owner.clone()).into(),
		id,
		fingerprint,
		key(),
		None
	));
	id
}

fn lists<T: Config>(n: u32) -> ListOf<T> {
	BoundedVec::truncate_from((0..n).map(|i| account("listed", i, 0)).collect())
}

fn shares<T: Config>(n: u32) -> SharesOf<T> {
	let part = Perbill::from_rational(1u32, n.max(1) + 1);
	BoundedVec::truncate_from((0..n).map(|i| (funded::<T>("shareholder", i), part)).collect())
}

/// The worst policy: revenue share with the most shareholders and the longest lists.
fn revenue_policy<T: Config>() -> PolicyOf<T> {
	Policy {
		terms: Terms::RevenueShare {
			price: price::<T>(),
			shares: shares::<T>(T::MaxShareholders::get()),
		},
		approval_required: false,
		whitelist: lists::<T>(T::MaxListLen::get()),
		blacklist: lists::<T>(T::MaxListLen::get()),
	}
}

const HASH: u64 = 0x5a5a_a5a5_0ff0_f00f;

/// A funded owner holding the certificate of file 0, licensed under `policy`.
fn licensed<T: Config>(policy: PolicyOf<T>) -> (T::AccountId, FileId) {
	let owner = funded::<T>("owner", 0);
	let id = certified::<T>(&owner, 0, Fingerprint::SimHash(HASH));
	assert_ok!(Pallet::<T>::set_policy(RawOrigin::Signed(owner.clone()).into(), id, policy));
	(owner, id)
}

/// A funded requester's request for file `id`, offering `offer`; returns the requester.
fn request<T: Config>(id: FileId, offer: BalanceOf<T>) -> T::AccountId {
	let who = funded::<T>("requester", 0);
	assert_ok!(Pallet::<T>::request_access(
		RawOrigin::Signed(who.clone()).into(),
		id,
		offer,
		[7u8; 32]
	));
	who
}

/// A funded owner's certified file 0 (no policy) with a pending or granted request offering
/// `offer`: returns the owner, the file and the requester.
fn requested<T: Config>(offer: BalanceOf<T>) -> (T::AccountId, FileId, T::AccountId) {
	let owner = funded::<T>("owner", 0);
	let id = certified::<T>(&owner, 0, Fingerprint::SimHash(HASH));
	let who = request::<T>(id, offer);
	(owner, id, who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		// The caller opens the commitment of its upload, which predates the certificate a
		// later owner of the same file holds: that one is withdrawn, its revenue pool split
		// among the most shareholders. Every bucket the new hash probes (each band's value and
		// its one-bit neighbours) is one short of full with far-away entries, all of which are
		// compared; the new hash's own buckets then take it.
		let owner: T::AccountId = whitelisted_caller();
		let salt = [3u8; 32];
		let print = Fingerprint::SimHash(HASH);
		let committed =
			cess_primitives::fingerprint::fingerprint_commitment(&print, &file(0), &salt);
		T::BenchmarkHelper::own_file(&owner, file(0), Some(committed));
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(One::one()));
		let (_, id) = licensed::<T>(revenue_policy::<T>());
		request::<T>(id, price::<T>());
		let holder = Certificates::<T>::get(id).expect("certified").owner;
		// The later certificate's entries leave its buckets: the probed buckets are refilled.
		Pallet::<T>::index_remove(id, &print);
		let other: T::AccountId = account("other", 0, 0);
		let mut n = 0u64;
		for band in 0..BANDS {
			let shift = 16 * band;
			let value = (HASH >> shift) as u16;
			for probe in core::iter::once(value).chain((0..16).map(|b| value ^ (1 << b))) {
				let entries = (0..T::MaxBucketLen::get() - 1)
					.map(|_| {
						n += 1;
						// The probed band value; the other bands pseudo-random, far from HASH.
						let r = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
						let mask = 0xffffu64 << shift;
						let hash = (u64::from(probe) << shift) | (r & !mask);
						BucketEntry::<T> { file: file(n as u32), hash, owner: other.clone() }
					})
					.collect::<alloc::vec::Vec<_>>();
				Buckets::<T>::insert((0u8, band as u8, probe), BoundedVec::truncate_from(entries));
			}
		}
		Pallet::<T>::index_insert(id, &print, &holder).expect("room for the later certificate");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), id, print, key(), Some(salt));

		assert_eq!(Certificates::<T>::get(id).map(|c| c.owner), Some(owner));
	}

	#[benchmark]
	fn set_policy(
		l: Linear<0, { T::MaxListLen::get() }>,
		s: Linear<0, { T::MaxShareholders::get() }>,
	) {
		let owner: T::AccountId = whitelisted_caller();
		let id = certified::<T>(&owner, 0, Fingerprint::SimHash(HASH));
		let policy = Policy {
			terms: Terms::RevenueShare { price: price::<T>(), shares: shares::<T>(s) },
			approval_required: false,
			whitelist: lists::<T>(l),
			blacklist: lists::<T>(l),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, policy);

		assert!(Policies::<T>::contains_key(id));
	}

	#[benchmark]
	fn request_access() {
		// Paid at once into an empty revenue pool, whose split is scheduled.
		let (_, id) = licensed::<T>(revenue_policy::<T>());
		let who = funded::<T>("requester", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, price::<T>(), [7u8; 32]);

		assert_eq!(RevenuePools::<T>::get(id), price::<T>());
	}

	#[benchmark]
	fn grant_access() {
		// A pending offer paid from escrow into the revenue pool, with the key.
		let (owner, id, who) = requested::<T>(price::<T>());
		assert_ok!(Pallet::<T>::set_policy(
			RawOrigin::Signed(owner.clone()).into(),
			id,
			revenue_policy::<T>()
		));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, who.clone(), key());

		assert!(Accesses::<T>::get(id, &who).unwrap().key.is_some());
	}

	#[benchmark]
	fn deny_access() {
		let (owner, id, who) = requested::<T>(price::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, who.clone());

		assert!(!Accesses::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn revoke_access() {
		let (owner, id, who) = requested::<T>(Zero::zero());
		assert_ok!(Pallet::<T>::grant_access(
			RawOrigin::Signed(owner.clone()).into(),
			id,
			who.clone(),
			key()
		));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, who.clone());

		assert!(!Accesses::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn cancel_request() {
		let (_, id, who) = requested::<T>(price::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);

		assert!(!Accesses::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn transfer_ownership() {
		let owner = funded::<T>("owner", 0);
		let id = certified::<T>(&owner, 0, Fingerprint::SimHash(HASH));
		let to: T::AccountId = account("new-owner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, to.clone(), key());

		assert_eq!(Certificates::<T>::get(id).unwrap().owner, to);
	}

	#[benchmark]
	fn resolve_dispute() {
		// Supersede: the incumbent's revenue pool is split among the most shareholders, its
		// certificate withdrawn, the claimant's issued.
		let (_, incumbent) = licensed::<T>(revenue_policy::<T>());
		request::<T>(incumbent, price::<T>());
		let claimant = funded::<T>("claimant", 0);
		let claim = certified::<T>(&claimant, 1, Fingerprint::SimHash(HASH ^ 1));
		let dispute = FileDisputes::<T>::get(claim).expect("the claim is a near-duplicate");

		#[extrinsic_call]
		_(RawOrigin::Root, dispute, Verdict::Supersede);

		assert_eq!(Certificates::<T>::get(claim).unwrap().owner, claimant);
		assert!(!Certificates::<T>::contains_key(incumbent));
	}

	#[benchmark]
	fn split_idle() {
		let now: frame_system::pallet_prelude::BlockNumberFor<T> = One::one();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
	}

	#[benchmark]
	fn split_revenue(s: Linear<0, { T::MaxShareholders::get() }>) {
		let mut policy = revenue_policy::<T>();
		policy.terms = Terms::RevenueShare { price: price::<T>(), shares: shares::<T>(s) };
		let (_, id) = licensed::<T>(policy);
		request::<T>(id, price::<T>());
		let due = frame_system::Pallet::<T>::block_number().saturating_add(T::RevenuePeriod::get());

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		assert!(RevenuePools::<T>::get(id).is_zero());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
