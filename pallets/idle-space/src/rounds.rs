//! Space rounds: the challenge over a miner's live idle files, proof checks, and the bounded
//! sweep that counts misses, expires unchecked batches and retires converted ones.

use crate::{
	Accounts, BatchState, Batches, Config, Error, Event, IdleAccount, Pallet, Rejection,
	RoundSeeds, SeenRound, Sweep, Sweeps, WeightInfo,
};
use alloc::vec::Vec;
use cess_primitives::{
	idle::{self, IdleBatch, SpaceSample},
	traits::{AuditRounds, CreditReason, MinerPenalties, MinerRegistry, ProofRewards},
};
use polkadot_sdk::{
	frame_support::{dispatch::Pays, pallet_prelude::*},
	frame_system,
	sp_runtime::traits::Saturating,
};

/// Credit lost for a failed or missed space round.
pub const SPACE_FAIL_CREDIT: i32 = -30;

impl<T: Config> Pallet<T> {
	/// Records the seed of a round that just started and queues the sweep of the one before.
	pub(crate) fn note_round() -> Weight {
		let Some(round) = T::Rounds::current() else { return T::WeightInfo::round_idle() };
		let seen = SeenRound::<T>::get();
		if round.index == seen {
			return T::WeightInfo::round_idle();
		}
		RoundSeeds::<T>::insert(round.index, round.seed);
		if let Some(old) = round.index.checked_sub(T::CheckRounds::get()) {
			RoundSeeds::<T>::remove(old);
		}
		SeenRound::<T>::put(round.index);
		if seen != 0 {
			Sweeps::<T>::mutate(|s| {
				if s.try_push(Sweep { round: seen, cursor: None }).is_err() {
					log::error!(target: crate::LOG_TARGET, "sweep queue full, round {seen} not swept");
				}
			});
		}
		T::WeightInfo::round_start()
	}

	/// `who`'s batches with the live files round `round` draws from (verified before it).
	fn challenged_batches(who: &T::AccountId, round: u32) -> Vec<(IdleBatch, u32)> {
		Batches::<T>::get(who)
			.iter()
			.map(|b| (b.batch, b.live_in(round)))
			.filter(|(_, live)| *live > 0)
			.collect()
	}

	/// `who`'s space samples for the current round and the idle bytes they stand for (`None`
	/// if it is not challenged: no round, or no batch verified before it).
	pub fn space_challenge(who: &T::AccountId) -> Option<(u32, Vec<SpaceSample>, u64)> {
		let round = T::Rounds::current()?;
		let batches = Self::challenged_batches(who, round.index);
		if batches.is_empty() {
			return None;
		}
		let files: u64 = batches.iter().map(|(_, live)| u64::from(*live)).sum();
		let seed = idle::space_seed(&round.seed, round.index, &Self::miner_id(who));
		let samples =
			idle::space_challenge_live(&T::Params::get(), &seed, &batches, T::SpaceSamples::get());
		Some((round.index, samples, files.saturating_mul(Self::file_bytes())))
	}

	pub(crate) fn do_space_proof(
		who: T::AccountId,
		round: u32,
		proof: &[u8],
	) -> DispatchResultWithPostInfo {
		let current = T::Rounds::current().ok_or(Error::<T>::NoRound)?;
		ensure!(round == current.index, Error::<T>::WrongRound);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now <= current.start.saturating_add(T::Rounds::proof_window()),
			Error::<T>::WindowClosed
		);
		let mut account = Accounts::<T>::get(&who).ok_or(Error::<T>::NotChallenged)?;
		ensure!(account.last_proved != Some(round), Error::<T>::AlreadySubmitted);
		let (_, samples, idle_bytes) =
			Self::space_challenge(&who).ok_or(Error::<T>::NotChallenged)?;
		let passed = idle::verify_space(&T::Params::get(), &samples, proof).is_ok();
		account.note_proved(round);
		if passed {
			account.failures = 0;
			Accounts::<T>::insert(&who, account);
			// Idle space earns as space data can be placed on: a leaving or frozen miner still
			// proves what it holds (and is penalised if it cannot) but earns nothing for it.
			if T::Miners::is_positive(&who) {
				T::Rewards::idle_round_passed(&who, idle_bytes);
			}
		} else {
			account.failures = account.failures.saturating_add(1);
			Accounts::<T>::insert(&who, account);
			Self::penalise_round(&who);
		}
		Self::deposit_event(Event::SpaceProofChecked {
			miner: who.clone(),
			round,
			passed,
			idle_bytes,
		});
		if !passed {
			Self::maybe_forfeit(&who, account.failures);
		}
		let batches = Batches::<T>::decode_len(&who).unwrap_or(0) as u32;
		let weight = T::WeightInfo::submit_space_proof(batches);
		Ok((Some(weight), if passed { Pays::No } else { Pays::Yes }).into())
	}

	/// Credit and collateral lost for a failed or missed space round.
	fn penalise_round(who: &T::AccountId) {
		T::Penalties::adjust_credit(who, SPACE_FAIL_CREDIT, CreditReason::IdleRoundFailed);
		T::Penalties::slash(who, T::SpaceFailSlash::get());
	}

	/// Forfeits all of `who`'s idle space once `failures` in a row reach the limit.
	fn maybe_forfeit(who: &T::AccountId, failures: u32) {
		if failures >= T::MaxConsecutiveFailures::get() {
			Self::forfeit_all(who);
		}
	}

	/// Drops every batch of `who` and its converted space not holding data; the deposits go to
	/// `OnSlash`. Data already assigned stays (PoDR² proves it).
	pub(crate) fn forfeit_all(who: &T::AccountId) {
		let batches = Batches::<T>::take(who);
		let Some(mut account) = Accounts::<T>::get(who) else { return };
		let bytes = Self::live_idle_bytes(&batches).saturating_add(account.reserve);
		account.verified = account.verified.saturating_sub(bytes);
		account.reserve = 0;
		account.failures = 0;
		Accounts::<T>::insert(who, account);
		let deposit = Self::forfeit_deposits(who, batches.len() as u32);
		Self::deposit_event(Event::IdleForfeited {
			miner: who.clone(),
			bytes,
			batches: batches.len() as u32,
			deposit,
		});
		Self::forget_if_empty(who);
	}

	/// Removes `who`'s account if nothing is left in it (no batch, no converted space).
	fn forget_if_empty(who: &T::AccountId) {
		let empty = Accounts::<T>::get(who)
			.is_some_and(|a| a.verified == 0 && a.reserve == 0 && a.service == 0);
		if empty && Batches::<T>::decode_len(who).unwrap_or(0) == 0 {
			Accounts::<T>::remove(who);
		}
	}

	/// Processes up to `SweepBatch` miners of the oldest round being swept.
	pub(crate) fn sweep_step() -> Weight {
		let mut sweeps = Sweeps::<T>::get().into_inner();
		let Some(sweep) = sweeps.first_mut() else { return T::WeightInfo::sweep_idle() };
		let limit: usize = T::SweepBatch::get() as usize;
		let current = Self::round_index();
		let iter = match &sweep.cursor {
			Some(after) => Accounts::<T>::iter_keys_from(Accounts::<T>::hashed_key_for(after)),
			None => Accounts::<T>::iter_keys(),
		};
		let batch: Vec<T::AccountId> = iter.take(limit).collect();
		for miner in &batch {
			Self::sweep_miner(miner, sweep.round, current);
		}
		if batch.len() < limit {
			sweeps.remove(0);
		} else {
			sweep.cursor = batch.last().cloned();
		}
		Sweeps::<T>::put(BoundedVec::truncate_from(sweeps));
		T::WeightInfo::sweep_miner().saturating_mul(batch.len().max(1) as u64)
	}

	/// One miner in the sweep of `round` (`current` is in force): counts a miss of `round`,
	/// rejects batches whose check ran out, retires fully converted batches.
	fn sweep_miner(who: &T::AccountId, round: u32, current: u32) {
		let Some(mut account) = Accounts::<T>::get(who) else { return };
		let mut batches = Batches::<T>::get(who);
		let challenged = batches.iter().any(|b| b.live_in(round) > 0);
		let proved = account.proved(round);
		let mut forfeit = false;
		if challenged && !proved {
			account.failures = account.failures.saturating_add(1);
			Accounts::<T>::insert(who, account);
			Self::penalise_round(who);
			Self::deposit_event(Event::SpaceRoundMissed {
				miner: who.clone(),
				round,
				consecutive: account.failures,
			});
			forfeit = account.failures >= T::MaxConsecutiveFailures::get();
		}
		let deadline = T::CheckRounds::get();
		let mut expired = Vec::new();
		let mut retired = Vec::new();
		batches.retain(|b| match b.state {
			BatchState::Pending { declared_in }
				if current > declared_in.saturating_add(deadline) =>
			{
				expired.push(b.batch.first);
				false
			},
			BatchState::Verified { .. } if b.live == 0 && b.changed_in < current => {
				retired.push(b.batch.first);
				false
			},
			_ => true,
		});
		if !expired.is_empty() || !retired.is_empty() {
			Self::put_batches(who, batches);
		}
		for first in expired {
			Self::reject(who, first, Rejection::CheckExpired);
		}
		if !retired.is_empty() {
			Self::release_deposits(who, retired.len() as u32);
			for first in retired {
				Self::deposit_event(Event::BatchRetired { miner: who.clone(), first });
			}
		}
		if forfeit {
			Self::forfeit_all(who);
		} else {
			Self::forget_if_empty(who);
		}
	}

	/// The account of `who` and its batches, for the runtime API.
	pub fn summary(who: &T::AccountId) -> Option<crate::IdleSummary> {
		let account: IdleAccount = Accounts::<T>::get(who)?;
		let batches = Batches::<T>::get(who);
		let fb = Self::file_bytes();
		let (verified, pending): (Vec<_>, Vec<_>) = batches.iter().partition(|b| b.is_verified());
		let files = |v: &[&crate::BatchRecord]| v.iter().map(|b| u64::from(b.live)).sum::<u64>();
		Some(crate::IdleSummary {
			account,
			idle: files(&verified).saturating_mul(fb),
			pending: files(&pending).saturating_mul(fb),
			verified_batches: verified.len() as u32,
			pending_batches: pending.len() as u32,
		})
	}
}
