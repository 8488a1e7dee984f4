//! The `AuditApi` runtime API: a miner's current challenge and its audit history.

use crate::{Audits, Config, History, MinerAudit, Outcome, Pallet};
use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use polkadot_sdk::sp_api;
use scale_info::TypeInfo;

/// A miner's challenge in the current round.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Challenge {
	/// The round (pass it to `submit_proof`).
	pub round: u32,
	/// The leaves to prove, drawn from the miner's holdings as of the round's start.
	pub samples: Vec<cess_primitives::possession::Sample>,
}

sp_api::decl_runtime_apis! {
	/// Audit queries.
	pub trait AuditApi<AccountId> where AccountId: Codec {
		/// `miner`'s challenge in the current round, if it is challenged.
		fn challenge(miner: AccountId) -> Option<Challenge>;
		/// `miner`'s totals and its latest round outcomes, oldest first.
		fn audit_history(miner: AccountId) -> (MinerAudit, Vec<(u32, Outcome)>);
	}
}

impl<T: Config> Pallet<T> {
	/// [`AuditApi::challenge`].
	pub fn challenge_of(miner: &T::AccountId) -> Option<Challenge> {
		let (round, samples) = Self::current_challenge(miner)?;
		Some(Challenge { round, samples })
	}

	/// [`AuditApi::audit_history`].
	pub fn history_of(miner: &T::AccountId) -> (MinerAudit, Vec<(u32, Outcome)>) {
		(Audits::<T>::get(miner), History::<T>::get(miner).into_inner())
	}
}
