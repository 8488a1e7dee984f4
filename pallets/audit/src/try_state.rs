//! The pallet's invariants (checked by `try-runtime` and after every test).

use crate::{Audits, Config, CurrentRound, EmptiedHolders, History, Pallet, Sweeps};
use polkadot_sdk::{frame_support::ensure, sp_runtime::TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Sweeps are of past rounds, oldest first; no record names a round that has not started;
	/// histories are ordered and no longer than the counted outcomes; emptied holders wait for
	/// the current round or a queued sweep.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let current = CurrentRound::<T>::get().map_or(0, |r| r.index);
		let sweeps = Sweeps::<T>::get();
		ensure!(
			sweeps.iter().all(|s| s.round < current),
			TryRuntimeError::Other("a sweep names the current or a future round")
		);
		ensure!(
			sweeps.windows(2).all(|w| w[0].round < w[1].round),
			TryRuntimeError::Other("sweeps are not oldest first")
		);
		for (round, _) in EmptiedHolders::<T>::iter_keys() {
			ensure!(
				round == current || sweeps.iter().any(|s| s.round == round),
				TryRuntimeError::Other("an emptied holder no sweep will check")
			);
		}
		for (miner, audit) in Audits::<T>::iter() {
			ensure!(
				audit.last_submitted.is_none_or(|r| r <= current),
				TryRuntimeError::Other("a proof is recorded for a future round")
			);
			let history = History::<T>::get(&miner);
			let counted =
				u64::from(audit.passed) + u64::from(audit.failed) + u64::from(audit.missed);
			ensure!(
				history.len() as u64 <= counted,
				TryRuntimeError::Other("history longer than the counted outcomes")
			);
			ensure!(
				history.windows(2).all(|w| w[0].0 < w[1].0),
				TryRuntimeError::Other("history not in round order")
			);
		}
		Ok(())
	}
}
