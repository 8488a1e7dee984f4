//! Round starts and the bounded sweeps that count misses.

use crate::{
	Audits, Config, CurrentRound, EmptiedHolders, Event, History, MinerAudit, Outcome, Pallet,
	RoundInfo, Sweep, Sweeps, WeightInfo,
};
use alloc::vec::Vec;
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
				let sweep =
					Sweep { round: done.index, start: done.start, cursor: None, emptied: false };
				if s.try_push(sweep).is_err() {
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

	/// Processes up to `SweepBatch` miners of the oldest round being swept: first the miners
	/// holding data (those holding it since before the round's start were challenged), then the
	/// challenged miners whose holdings were emptied during the round.
	pub(crate) fn sweep_step(_n: BlockNumberFor<T>) -> Weight {
		let mut sweeps = Sweeps::<T>::get().into_inner();
		let Some(sweep) = sweeps.first_mut() else { return T::WeightInfo::sweep_idle() };
		let limit = T::SweepBatch::get();
		let current = CurrentRound::<T>::get().map_or(0, |r| r.index);
		let (processed, done) = if sweep.emptied {
			let batch: Vec<T::AccountId> = EmptiedHolders::<T>::drain_prefix(sweep.round)
				.take(limit as usize)
				.map(|(miner, ())| miner)
				.collect();
			for miner in &batch {
				Self::count_miss(miner, sweep.round);
				Self::forget_old_probes(miner, current);
			}
			(batch.len() as u32, (batch.len() as u32) < limit)
		} else {
			let batch = T::Holdings::miners_page(sweep.cursor.as_ref(), limit);
			for miner in &batch {
				Self::check_miss(miner, sweep.round, sweep.start);
				Self::forget_old_probes(miner, current);
			}
			if (batch.len() as u32) < limit {
				sweep.emptied = true;
				sweep.cursor = None;
			} else {
				sweep.cursor = batch.last().cloned();
			}
			(batch.len() as u32, false)
		};
		if done {
			sweeps.remove(0);
		}
		Sweeps::<T>::put(BoundedVec::truncate_from(sweeps));
		T::WeightInfo::sweep_miner().saturating_mul(processed.max(1).into())
	}

	/// Counts a miss of `round` if `miner`, holding data, was challenged in it (held data since
	/// before its `start`) and did not submit.
	fn check_miss(miner: &T::AccountId, round: u32, start: BlockNumberFor<T>) {
		let Some(since) = T::Holdings::holding_since(miner) else { return };
		if since < start {
			Self::count_miss(miner, round);
		}
	}

	/// Applies the consequences of a miss of `round`, in which `miner` was challenged, unless it
	/// submitted or the round's outcome is already recorded.
	fn count_miss(miner: &T::AccountId, round: u32) {
		let mut audit: MinerAudit = Audits::<T>::get(miner);
		if Self::outcome_known(miner, &audit, round) {
			return;
		}
		// A miss recorded after the miner proved a later round does not lengthen its streak.
		let streak = audit.last_submitted.is_none_or(|r| r < round);
		if streak {
			audit.consecutive_misses = audit.consecutive_misses.saturating_add(1);
		}
		audit.missed = audit.missed.saturating_add(1);
		Audits::<T>::insert(miner, audit);
		Self::record(miner, round, Outcome::Missed);
		T::Penalties::adjust_credit(miner, MISS_CREDIT, CreditReason::RoundMissed);
		let slash = T::MissSlash::get().saturating_mul(audit.consecutive_misses.max(1).into());
		T::Penalties::slash(miner, slash);
		Self::deposit_event(Event::RoundMissed {
			miner: miner.clone(),
			round,
			consecutive: audit.consecutive_misses,
		});
		if streak {
			Self::maybe_force_out(miner, audit.consecutive_misses);
		}
	}

	/// Whether `miner`'s outcome of `round` is settled: it submitted in that round, or an outcome
	/// is recorded for it.
	pub(crate) fn outcome_known(miner: &T::AccountId, audit: &MinerAudit, round: u32) -> bool {
		audit.last_submitted == Some(round)
			|| History::<T>::get(miner).iter().any(|(r, _)| *r == round)
	}

	/// Forces `miner` out once `bad_rounds` in a row reach `MaxConsecutiveMisses`.
	pub(crate) fn maybe_force_out(miner: &T::AccountId, bad_rounds: u32) {
		if bad_rounds >= T::MaxConsecutiveMisses::get() {
			T::Penalties::force_out(miner);
		}
	}

	/// Adds `(round, outcome)` to `miner`'s bounded history, in round order (a sweep may record
	/// a miss after the miner proved the next round), dropping the oldest when full.
	pub(crate) fn record(miner: &T::AccountId, round: u32, outcome: Outcome) {
		History::<T>::mutate(miner, |h| {
			if h.is_full() {
				h.remove(0);
			}
			let at = h.iter().position(|(r, _)| *r > round).unwrap_or(h.len());
			let _ = h.try_insert(at, (round, outcome));
		});
	}
}
