//! Benchmarks: scoring an era.

use crate::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{Get, Hooks},
	frame_system::Pallet as System,
};

#[benchmarks]
mod benchmarks {
	use super::*;

	/// An era of `v` validators ends (each with probe reports) while `r` former validators
	/// recover.
	#[benchmark]
	fn score_era(
		v: Linear<1, { T::MaxValidators::get() }>,
		r: Linear<0, { T::MaxValidators::get() }>,
	) {
		let validators: Vec<T::AccountId> = (0..v).map(|i| account("validator", i, 0)).collect();
		for who in &validators {
			ProbeReports::<T>::insert(who, 3);
		}
		for i in 0..r {
			Credits::<T>::insert(account::<T::AccountId>("former", i, 0), 100);
		}
		T::BenchmarkHelper::set_era(1, &validators);
		NextToScore::<T>::put(1);
		let now = System::<T>::block_number();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(NextToScore::<T>::get(), Some(2));
		assert!(ProbeReports::<T>::iter().next().is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
