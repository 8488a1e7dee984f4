//! The pallet's invariants (checked by `try-runtime` and after every test).

use crate::{BalanceOf, Carry, Config, CurrentEra, Pallet, Pools, Scores, Vesting};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible::Inspect, Get},
	},
	sp_runtime::{traits::Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// The pot holds at least everything it owes (unclaimed pools, carried funds, vesting);
	/// pools are in the claim window, never overpaid and have a score; the unclaimed scores of
	/// a pool do not add up to more than its total; schedules never release more than they
	/// hold.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let current = CurrentEra::<T>::get();
		let mut owed: BalanceOf<T> = Carry::<T>::get();
		for (era, pool) in Pools::<T>::iter() {
			ensure!(era < current, TryRuntimeError::Other("pool of an open era"));
			ensure!(
				era.saturating_add(T::ClaimDepth::get()) >= current,
				TryRuntimeError::Other("pool outside the claim window")
			);
			ensure!(pool.total_score > 0, TryRuntimeError::Other("pool without score"));
			ensure!(pool.paid <= pool.pool, TryRuntimeError::Other("pool overpaid"));
			let unclaimed: u128 = Scores::<T>::iter_prefix_values(era).sum();
			ensure!(unclaimed <= pool.total_score, TryRuntimeError::Other("scores exceed total"));
			owed = owed.saturating_add(pool.pool.saturating_sub(pool.paid));
		}
		for (_, schedules) in Vesting::<T>::iter() {
			for s in schedules.iter() {
				ensure!(s.released < s.total, TryRuntimeError::Other("finished schedule kept"));
				owed = owed.saturating_add(s.total.saturating_sub(s.released));
			}
		}
		ensure!(
			T::Currency::balance(&Self::account_id()) >= owed,
			TryRuntimeError::Other("reward pot holds less than it owes")
		);
		Ok(())
	}
}
