//! Proof submission: the challenge expanded on chain from the miner's holdings snapshot, the
//! proof verified in the runtime (PoDR² v2, plain BLAKE2b in wasm).

use crate::{
	Audits, Config, CurrentRound, EmptiedHolders, Error, Event, MinerAudit, Outcome, Pallet, Sweeps,
};
use alloc::vec::Vec;
use cess_primitives::{
	possession::{self, challenge_seed, expand, Sample},
	traits::{
		AuditClock, AuditRounds, CreditReason, MinerPenalties, ProofRewards, RoundStart,
		StorageHoldings,
	},
	types::{Column, FileId},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{dispatch::Pays, pallet_prelude::*},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::Saturating,
};

/// Credit earned for a passed round.
pub const PASS_CREDIT: i32 = 2;
/// Credit lost for a failed proof.
pub const FAIL_CREDIT: i32 = -50;

impl<T: Config> Pallet<T> {
	/// `miner`'s samples for the current round, with the round number (`None` if it is not
	/// challenged: no round yet, or it held nothing at the round's start).
	pub fn current_challenge(miner: &T::AccountId) -> Option<(u32, Vec<Sample>)> {
		Self::challenge_with(miner, T::ChallengeSamples::get())
	}

	/// [`Self::current_challenge`] with `c` samples.
	pub(crate) fn challenge_with(miner: &T::AccountId, c: u32) -> Option<(u32, Vec<Sample>)> {
		let round = CurrentRound::<T>::get()?;
		let since = T::Holdings::holding_since(miner);
		let classes = T::Holdings::snapshot_classes(miner, round.index);
		if classes.is_empty() || since.is_some_and(|s| s >= round.start) {
			return None;
		}
		let seed = challenge_seed(&round.seed, round.index, &miner.encode());
		let samples = expand(&seed, c, &classes, |class, index| {
			T::Holdings::snapshot_holding(miner, round.index, class, index)
		});
		(!samples.is_empty()).then_some((round.index, samples))
	}

	/// Checks and records `who`'s proof of `round` for a challenge of `c` samples (the runtime's
	/// constant; the benchmarks vary it).
	pub(crate) fn do_submit_proof(
		who: T::AccountId,
		round: u32,
		proof: &[u8],
		c: u32,
	) -> DispatchResultWithPostInfo {
		let current = CurrentRound::<T>::get().ok_or(Error::<T>::NoRound)?;
		ensure!(round == current.index, Error::<T>::WrongRound);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now <= current.start.saturating_add(T::ProofWindow::get()),
			Error::<T>::WindowClosed
		);
		let mut audit = Audits::<T>::get(&who);
		ensure!(audit.last_submitted != Some(round), Error::<T>::AlreadySubmitted);
		let (_, samples) = Self::challenge_with(&who, c).ok_or(Error::<T>::NotChallenged)?;
		let passed = possession::verify(&samples, proof).is_ok();
		if passed {
			audit.last_submitted = Some(round);
			audit.consecutive_misses = 0;
			audit.passed = audit.passed.saturating_add(1);
			Audits::<T>::insert(&who, audit);
			T::Penalties::adjust_credit(&who, PASS_CREDIT, CreditReason::RoundPassed);
			T::Rewards::round_passed(&who);
			Self::record(&who, round, Outcome::Passed);
			Self::deposit_event(Event::ProofChecked { miner: who, round, passed });
		} else {
			Self::fail_round(&who, round, audit);
		}
		Ok(if passed { Pays::No.into() } else { Pays::Yes.into() })
	}

	/// Records a failed `round` for `who` (whose record was `audit`): credit, slash, history,
	/// event, and a forced exit after too many bad rounds in a row.
	fn fail_round(who: &T::AccountId, round: u32, mut audit: MinerAudit) {
		audit.last_submitted = Some(round);
		audit.failed = audit.failed.saturating_add(1);
		audit.consecutive_misses = audit.consecutive_misses.saturating_add(1);
		Audits::<T>::insert(who, audit);
		T::Penalties::adjust_credit(who, FAIL_CREDIT, CreditReason::ProofFailed);
		T::Penalties::slash(who, T::FailSlash::get());
		Self::record(who, round, Outcome::Failed);
		Self::deposit_event(Event::ProofChecked { miner: who.clone(), round, passed: false });
		Self::maybe_force_out(who, audit.consecutive_misses);
	}
}

impl<T: Config> AuditRounds<BlockNumberFor<T>> for Pallet<T> {
	fn current() -> Option<RoundStart<BlockNumberFor<T>>> {
		CurrentRound::<T>::get().map(|r| RoundStart {
			index: r.index,
			start: r.start,
			seed: r.seed,
		})
	}

	fn proof_window() -> BlockNumberFor<T> {
		T::ProofWindow::get()
	}
}

impl<T: Config> AuditClock<T::AccountId> for Pallet<T> {
	fn current_round() -> u32 {
		CurrentRound::<T>::get().map_or(0, |r| r.index)
	}

	fn loss_reported(miner: &T::AccountId, file_id: &FileId, column: Column) -> bool {
		let audit = Audits::<T>::get(miner);
		let Some((round, samples)) = Self::current_challenge(miner) else { return false };
		if audit.last_submitted.is_some_and(|r| r >= round)
			|| !samples.iter().any(|s| s.file_id == *file_id && s.column == column)
		{
			return false;
		}
		Self::fail_round(miner, round, audit);
		true
	}

	fn holdings_emptying(miner: &T::AccountId) {
		let Some(since) = T::Holdings::holding_since(miner) else { return };
		let current = CurrentRound::<T>::get().map(|r| (r.index, r.start));
		let pending = Sweeps::<T>::get().into_iter().map(|s| (s.round, s.start));
		let audit = Audits::<T>::get(miner);
		for (round, start) in pending.chain(current) {
			if since < start && !Self::outcome_known(miner, &audit, round) {
				EmptiedHolders::<T>::insert(round, miner, ());
			}
		}
	}
}
