//! The `IdleSpaceApi` runtime API: what a miner's idle-space worker needs from the chain.

use crate::{BatchRecord, Batches, Config, IdleSummary, Pallet};
use alloc::vec::Vec;
use cess_primitives::idle::{GenSample, SpaceSample};
use codec::{Codec, Decode, Encode};
use polkadot_sdk::sp_api;
use scale_info::TypeInfo;

/// A miner's space challenge in the current round.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SpaceChallenge {
	/// The round (pass it to `submit_space_proof`).
	pub round: u32,
	/// The last-layer labels to prove, drawn over the live idle files as of the round's start.
	pub samples: Vec<SpaceSample>,
	/// Bytes of idle space the round samples.
	pub idle_bytes: u64,
}

sp_api::decl_runtime_apis! {
	/// Idle-space queries.
	pub trait IdleSpaceApi<AccountId> where AccountId: Codec {
		/// The idle files' shape: `(log2 labels per layer, layers, degree)`.
		fn idle_params() -> (u8, u8, u8);
		/// `miner`'s account totals and batch counts (`None` if it has no idle account).
		fn idle_summary(miner: AccountId) -> Option<IdleSummary>;
		/// `miner`'s batches in declaration order.
		fn idle_batches(miner: AccountId) -> Vec<BatchRecord>;
		/// The samples of the generation check of `miner`'s batch starting at `first`, once
		/// drawn (the batch must be pending).
		fn generation_check(miner: AccountId, first: u64) -> Option<Vec<GenSample>>;
		/// `miner`'s space challenge in the current round, if it is challenged.
		fn space_challenge(miner: AccountId) -> Option<SpaceChallenge>;
	}
}

impl<T: Config> Pallet<T> {
	/// [`IdleSpaceApi::idle_params`].
	pub fn params_bytes() -> (u8, u8, u8) {
		let p = <T::Params as polkadot_sdk::frame_support::traits::Get<_>>::get();
		(p.layer_labels_log2, p.layers, p.degree)
	}

	/// [`IdleSpaceApi::idle_batches`].
	pub fn batches_of(miner: &T::AccountId) -> Vec<BatchRecord> {
		Batches::<T>::get(miner).into_inner()
	}

	/// [`IdleSpaceApi::space_challenge`].
	pub fn space_challenge_of(miner: &T::AccountId) -> Option<SpaceChallenge> {
		let (round, samples, idle_bytes) = Self::space_challenge(miner)?;
		Some(SpaceChallenge { round, samples, idle_bytes })
	}
}
