//! Proof submission: the challenge expanded on chain, the proof verified through the host
//! function.

use crate::{Audits, Config, CurrentRound, Error, Event, Outcome, Pallet};
use alloc::vec::Vec;
use cess_primitives::{
	host::podr_verifier,
	podr2::{challenge_seed, encode_samples, expand_challenge, Params, Sample},
	traits::{CreditReason, MinerPenalties, MinerRegistry, ProofRewards, StorageHoldings},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{dispatch::Pays, pallet_prelude::*},
	frame_system,
	sp_runtime::traits::Saturating,
};

/// Credit earned for a passed round.
pub const PASS_CREDIT: i32 = 2;
/// Credit lost for a failed proof.
pub const FAIL_CREDIT: i32 = -50;

impl<T: Config> Pallet<T> {
	/// `miner`'s samples for the current round, with the round number and the holdings version
	/// they were expanded against (`None` if it is not challenged).
	pub fn current_challenge(miner: &T::AccountId) -> Option<(u32, u32, Vec<Sample>)> {
		Self::challenge_with(miner, T::ChallengeSamples::get(), T::SectorsPerBlock::get())
	}

	/// [`Self::current_challenge`] with `c` samples over blocks of `s` sectors.
	pub(crate) fn challenge_with(
		miner: &T::AccountId,
		c: u32,
		s: u32,
	) -> Option<(u32, u32, Vec<Sample>)> {
		let round = CurrentRound::<T>::get()?;
		let since = T::Holdings::holding_since(miner)?;
		if since >= round.start {
			return None;
		}
		let count = T::Holdings::holding_count(miner);
		let params = Params::new(s).ok()?;
		let seed = challenge_seed(&round.seed, u64::from(round.index), &miner.encode());
		let samples =
			expand_challenge(&seed, c, count, params, |i| T::Holdings::holding_at(miner, i))
				.ok()?;
		Some((round.index, T::Holdings::holdings_version(miner), samples))
	}

	/// Checks and records `who`'s proof of `round` for a challenge of `c` samples over blocks of
	/// `s` sectors (the runtime's constants; the benchmarks vary them).
	pub(crate) fn do_submit_proof(
		who: T::AccountId,
		round: u32,
		holdings_version: u32,
		proof: &[u8],
		c: u32,
		s: u32,
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
		let key = T::Miners::podr2_key(&who).ok_or(Error::<T>::UnknownMiner)?;
		let params = Params::new(s).map_err(|_| Error::<T>::BadProofLength)?;
		ensure!(proof.len() == params.proof_len(), Error::<T>::BadProofLength);
		ensure!(
			T::Holdings::holdings_version(&who) == holdings_version,
			Error::<T>::StaleChallenge
		);
		let (_, _, samples) = Self::challenge_with(&who, c, s).ok_or(Error::<T>::NotChallenged)?;
		let passed = podr_verifier::verify_proof(&key, &encode_samples(&samples), proof, s);
		audit.last_submitted = Some(round);
		if passed {
			audit.consecutive_misses = 0;
			audit.passed = audit.passed.saturating_add(1);
			T::Penalties::adjust_credit(&who, PASS_CREDIT, CreditReason::RoundPassed);
			T::Rewards::round_passed(&who);
		} else {
			audit.failed = audit.failed.saturating_add(1);
			audit.consecutive_misses = audit.consecutive_misses.saturating_add(1);
			T::Penalties::adjust_credit(&who, FAIL_CREDIT, CreditReason::ProofFailed);
			T::Penalties::slash(&who, T::FailSlash::get());
		}
		Audits::<T>::insert(&who, audit);
		Self::record(&who, round, if passed { Outcome::Passed } else { Outcome::Failed });
		Self::deposit_event(Event::ProofChecked { miner: who.clone(), round, passed });
		if !passed {
			Self::maybe_force_out(&who, audit.consecutive_misses);
		}
		Ok(if passed { Pays::No.into() } else { Pays::Yes.into() })
	}
}
