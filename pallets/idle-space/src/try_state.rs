//! The pallet's invariants (checked by `try-runtime` and after every test).

use crate::{Accounts, Batches, Config, HoldReason, Pallet, SeenRound, Sweeps};
use polkadot_sdk::{
	frame_support::{ensure, traits::fungible::InspectHold, traits::Get},
	sp_runtime::{traits::Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Per miner: verified capacity is exactly its live idle files, its converted space not
	/// holding data and its assigned service space (conversion moves bytes, never makes or
	/// loses them); batches are in file order, disjoint, below the next file index, within the
	/// bounds; one deposit is held per batch. Sweeps are of past rounds, oldest first.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let deposit = T::BatchDeposit::get();
		for (who, account) in Accounts::<T>::iter() {
			let batches = Batches::<T>::get(&who);
			ensure!(
				account.verified
					== Self::live_idle_bytes(&batches)
						.saturating_add(account.reserve)
						.saturating_add(account.service),
				TryRuntimeError::Other("verified capacity ≠ idle + converted + service")
			);
			ensure!(
				batches.iter().all(|b| b.live <= b.batch.count && b.live <= b.live_at_start),
				TryRuntimeError::Other(
					"a batch has more live files than it started the round with"
				)
			);
			ensure!(
				batches.windows(2).all(|w| {
					w[0].batch.first.saturating_add(u64::from(w[0].batch.count)) <= w[1].batch.first
				}),
				TryRuntimeError::Other("batches overlap or are out of order")
			);
			ensure!(
				batches.last().is_none_or(|b| {
					b.batch.first.saturating_add(u64::from(b.batch.count)) <= account.next_file
				}),
				TryRuntimeError::Other("a batch lies past the next file index")
			);
			let pending = batches.iter().filter(|b| !b.is_verified()).count() as u32;
			ensure!(
				pending <= T::MaxPendingBatches::get(),
				TryRuntimeError::Other("too many pending batches")
			);
			let held = T::Currency::balance_on_hold(&HoldReason::BatchDeposit.into(), &who);
			ensure!(
				held == deposit.saturating_mul((batches.len() as u32).into()),
				TryRuntimeError::Other("held deposits ≠ one per batch")
			);
		}
		ensure!(
			Batches::<T>::iter_keys().all(|who| Accounts::<T>::contains_key(&who)),
			TryRuntimeError::Other("batches without an account")
		);
		let seen = SeenRound::<T>::get();
		let sweeps = Sweeps::<T>::get();
		ensure!(
			sweeps.iter().all(|s| s.round < seen),
			TryRuntimeError::Other("a sweep names the current or a future round")
		);
		ensure!(
			sweeps.windows(2).all(|w| w[0].round < w[1].round),
			TryRuntimeError::Other("sweeps are not oldest first")
		);
		Ok(())
	}
}
