//! Claims and linear vesting.

use crate::{
	BalanceOf, Config, EraIndex, Error, Event, Pallet, Pools, Scores, Vesting, VestingSchedule,
};
use cess_primitives::traits::MinerStanding;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero},
};

impl<T: Config> Pallet<T> {
	/// How much of `schedule` has vested at block `now` (all of it once `VestingPeriod` blocks
	/// have passed; rounded down before).
	pub fn vested_at(
		schedule: &VestingSchedule<BalanceOf<T>, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> BalanceOf<T> {
		let period = T::VestingPeriod::get();
		let elapsed = now.saturating_sub(schedule.start);
		if elapsed >= period {
			return schedule.total;
		}
		Self::share_of(
			schedule.total,
			elapsed.unique_saturated_into(),
			period.unique_saturated_into(),
		)
	}

	fn pay(to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(&Self::account_id(), to, amount, Preservation::Expendable)
			.map_err(|_| Error::<T>::PayoutFailed)?;
		Ok(())
	}

	pub(crate) fn do_claim(who: T::AccountId, era: EraIndex) -> DispatchResult {
		Self::claimable_era(era)?;
		let mut pool = Pools::<T>::get(era).ok_or(Error::<T>::NothingToClaim)?;
		let score = Scores::<T>::take(era, &who).ok_or(Error::<T>::NothingToClaim)?;
		let amount = Self::share_of(pool.pool, score, pool.total_score);
		let immediate = T::ImmediateShare::get() * amount;
		let vesting = amount.saturating_sub(immediate);
		let beneficiary = T::Miners::beneficiary(&who).unwrap_or_else(|| who.clone());
		if !vesting.is_zero() {
			let start = frame_system::Pallet::<T>::block_number();
			Vesting::<T>::try_mutate(&beneficiary, |s| {
				s.try_push(VestingSchedule { total: vesting, released: Zero::zero(), start })
			})
			.map_err(|_| Error::<T>::TooManySchedules)?;
		}
		Self::pay(&beneficiary, immediate)?;
		pool.paid = pool.paid.saturating_add(amount);
		Pools::<T>::insert(era, pool);
		Self::deposit_event(Event::RewardClaimed {
			miner: who,
			era,
			beneficiary,
			amount,
			immediate,
			vesting,
		});
		Ok(())
	}

	/// Pays `who` what has vested; returns the number of schedules it had.
	pub(crate) fn do_withdraw_vested(who: T::AccountId) -> Result<u32, DispatchError> {
		let mut schedules = Vesting::<T>::get(&who);
		let count = schedules.len() as u32;
		let now = frame_system::Pallet::<T>::block_number();
		let mut due = BalanceOf::<T>::zero();
		for s in schedules.iter_mut() {
			let vested = Self::vested_at(s, now);
			due = due.saturating_add(vested.saturating_sub(s.released));
			s.released = vested;
		}
		ensure!(!due.is_zero(), Error::<T>::NothingVested);
		schedules.retain(|s| s.released < s.total);
		Self::pay(&who, due)?;
		if schedules.is_empty() {
			Vesting::<T>::remove(&who);
		} else {
			Vesting::<T>::insert(&who, schedules);
		}
		Self::deposit_event(Event::VestedWithdrawn { who, amount: due });
		Ok(count)
	}
}
