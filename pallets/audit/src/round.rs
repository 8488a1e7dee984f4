//! Round starts and the bounded sweeps that count misses.

use crate::{
	Audits, Config, CurrentRound, Event, History, MinerAudit, Outcome, Pallet, RoundInfo, Sweep,
	Sweeps, WeightInfo,
};
use cess_primitives::traits::{CreditReason, MinerPenalties, StorageHoldings};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Randomness},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::Saturating,
};

/// Credit lost for a missed round.
pub const MISS_CREDIT: i32 = -30;

impl<T: Config> Pallet<T> {
	/// Starts a round at `n` if the current one is over (or none started yet).
	pub(crate) fn maybe_start_round(n: BlockNumberFor<T>) -> Weight {
		let current = CurrentRound::<T>::get();
		if let Some(r) = current {
			if n < r.start.saturating_add(T::RoundLength::get()) {
				return T::WeightInfo::round_idle();
			}
		}
		Self::start_round(n, current);
		T::WeightInfo::round_start()
	}

	/// Starts the round after `current` (the first if `None`) at `n`, queueing `current`'s sweep.
	fn start_round(n: BlockNumberFor<T>, current: Option<RoundInfo<BlockNumberFor<T>>>) {
		let (random, _) = T::Randomness::random(b"cess/audit-round");
		let random = random.unwrap_or_else(frame_system::Pallet::<T>::parent_hash);
		let mut seed = [0u8; 32];
		seed.copy_from_slice(&random.as_ref()[..32]);
		let index = current.map_or(1, |r| r.index + 1);
		if let Some(done) = current {
			Sweeps::<T>::mutate(|s| {
				if s.try_push(Sweep { round: done.index, start: done.start, cursor: None }).is_err()
				{
					log::error!(target: crate::LOG_TARGET, "sweep queue full, round {} not swept", done.index);
				}
			});
		}
		CurrentRound::<T>::put(RoundInfo { index, start: n, seed });
		Self::deposit_event(Event::RoundStarted { round: index, seed });
	}

	/// Starts a new round at the current block, whatever the round length.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_start_round() {
		Self::start_round(frame_system::Pallet::<T>::block_number(), CurrentRound::<T>::get());
	}

	/// Processes up to `SweepBatch` miners of the oldest round being swept.
	pub(crate) fn sweep_step(_n: BlockNumberFor<T>) -> Weight {
		let mut sweeps = Sweeps::<T>::get();
		let Some(sweep) = sweeps.first().cloned() else { return T::WeightInfo::sweep_idle() };
		let batch = T::Holdings::miners_page(sweep.cursor.as_ref(), T::SweepBatch::get());
		let processed = batch.len() as u32;
		let current = CurrentRound::<T>::get().map_or(0, |r| r.index);
		for miner in &batch {
			Self::check_miss(miner, sweep.round, sweep.start);
			Self::forget_old_probes(miner, current);
		}
		if processed < T::SweepBatch::get() {
			sweeps.remove(0);
		} else if let Some(first) = sweeps.get_mut(0) {
			first.cursor = batch.last().cloned();
		}
		Sweeps::<T>::put(sweeps);
		T::WeightInfo::sweep_miner().saturating_mul(processed.max(1).into())
	}

	/// Applies the consequences of a miss if `miner` was challenged in `round` and did not
	/// submit.
	fn check_miss(miner: &T::AccountId, round: u32, start: BlockNumberFor<T>) {
		let Some(since) = T::Holdings::holding_since(miner) else { return };
		if since >= start {
			return;
		}
		let mut audit: MinerAudit = Audits::<T>::get(miner);
		if audit.last_submitted.is_some_and(|r| r >= round) {
			return;
		}
		audit.consecutive_misses = audit.consecutive_misses.saturating_add(1);
		audit.missed = audit.missed.saturating_add(1);
		Audits::<T>::insert(miner, audit);
		Self::record(miner, round, Outcome::Missed);
		T::Penalties::adjust_credit(miner, MISS_CREDIT, CreditReason::RoundMissed);
		let slash = T::MissSlash::get().saturating_mul(audit.consecutive_misses.into());
		T::Penalties::slash(miner, slash);
		Self::deposit_event(Event::RoundMissed {
			miner: miner.clone(),
			round,
			consecutive: audit.consecutive_misses,
		});
		Self::maybe_force_out(miner, audit.consecutive_misses);
	}

	/// Forces `miner` out once `bad_rounds` in a row reach `MaxConsecutiveMisses`.
	pub(crate) fn maybe_force_out(miner: &T::AccountId, bad_rounds: u32) {
		if bad_rounds >= T::MaxConsecutiveMisses::get() {
			T::Penalties::force_out(miner);
		}
	}

	/// Appends `(round, outcome)` to `miner`'s bounded history.
	pub(crate) fn record(miner: &T::AccountId, round: u32, outcome: Outcome) {
		History::<T>::mutate(miner, |h| {
			if h.is_full() {
				h.remove(0);
			}
			let _ = h.try_push((round, outcome));
		});
	}
}
