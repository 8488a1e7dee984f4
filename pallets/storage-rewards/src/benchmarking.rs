//! Benchmarks of `pallet_storage_rewards`, each in its worst case.

use crate::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::{fungible::Mutate, Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::{Bounded, One, Saturating, Zero},
};

fn big<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::max_value() / 1_000_000u32.into()
}

/// Closes era 0 with a pool funded in the pot and `who` holding half of its score.
fn closed_era<T: Config>(who: &T::AccountId) {
	assert_ok!(T::Currency::mint_into(&Pallet::<T>::account_id(), big::<T>()));
	Scores::<T>::insert(0, who, 1u128);
	Pools::<T>::insert(0, EraPool { pool: big::<T>(), total_score: 2, paid: Zero::zero() });
	CurrentEra::<T>::put(1);
}

/// `n` schedules for `who`, started at block 1.
fn schedules<T: Config>(who: &T::AccountId, n: u32) {
	let schedule = VestingSchedule {
		total: big::<T>() / 1000u32.into(),
		released: Zero::zero(),
		start: One::one(),
	};
	let list = BoundedVec::truncate_from(alloc::vec![schedule; n as usize]);
	Vesting::<T>::insert(who, list);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim_rewards() {
		let miner: T::AccountId = whitelisted_caller();
		closed_era::<T>(&miner);
		schedules::<T>(&miner, T::MaxSchedules::get() - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(miner.clone()), 0);

		assert_eq!(Vesting::<T>::get(&miner).len() as u32, T::MaxSchedules::get());
	}

	#[benchmark]
	fn withdraw_vested(n: Linear<1, { T::MaxSchedules::get() }>) {
		let who: T::AccountId = whitelisted_caller();
		assert_ok!(T::Currency::mint_into(&Pallet::<T>::account_id(), big::<T>()));
		schedules::<T>(&who, n);
		let half = T::VestingPeriod::get() / 2u32.into();
		frame_system::Pallet::<T>::set_block_number(half.saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Vesting::<T>::get(&who).len() as u32, n);
	}

	#[benchmark]
	fn era_idle() {
		let now: frame_system::pallet_prelude::BlockNumberFor<T> = One::one();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentEra::<T>::get(), 0);
	}

	#[benchmark]
	fn era_close() {
		// Era `ClaimDepth` closes: era 0 expires with an unclaimed pool, fees wait, issuance
		// tops the pool up.
		let depth = T::ClaimDepth::get();
		let miner: T::AccountId = account("miner", 0, 0);
		closed_era::<T>(&miner);
		CurrentEra::<T>::put(depth);
		// A score whose cap exceeds the funds at hand: issuance is minted too.
		EraScore::<T>::put(u128::MAX / 4);
		Carry::<T>::put(BalanceOf::<T>::from(1_000u32));
		assert_ok!(T::Currency::mint_into(&T::FeeAccount::get(), big::<T>() / 1000u32.into()));
		let now = T::EraLength::get();

		#[block]
		{
			Pallet::<T>::close_era(now);
		}

		assert!(Pools::<T>::get(0).is_none());
		assert!(Pools::<T>::get(depth).is_some());
	}

	#[benchmark]
	fn cleanup(n: Linear<1, { T::CleanupBatch::get() }>) {
		for i in 0..n {
			Scores::<T>::insert(0, account::<T::AccountId>("miner", i, 0), 1u128);
		}
		Expiring::<T>::put(BoundedVec::truncate_from(alloc::vec![0]));

		#[block]
		{
			Pallet::<T>::cleanup_step();
		}

		assert_eq!(Scores::<T>::iter_prefix(0).count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
