//! The `SminerApi` runtime API: miner records as wallets and tools want to read them.

use crate::{Config, CreditEntry, CreditHistory, MinerState, Miners, Pallet, PositiveCount};
use alloc::vec::Vec;
use cess_primitives::traits::StorageHoldings;
use codec::{Codec, Decode, Encode};
use polkadot_sdk::{frame_system::pallet_prelude::BlockNumberFor, sp_api};
use scale_info::TypeInfo;

/// A miner's record, with its derived figures.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MinerSummary<AccountId, Balance, BlockNumber> {
	/// Account that receives the miner's rewards.
	pub beneficiary: AccountId,
	/// libp2p peer id.
	pub peer_id: Vec<u8>,
	/// libp2p listen addresses (binary multiaddrs).
	pub multiaddrs: Vec<Vec<u8>>,
	/// Declared capacity, bytes.
	pub declared: u64,
	/// Bytes held.
	pub used: u64,
	/// Bytes reserved for pending assignments and claims.
	pub locked: u64,
	/// Bytes free for new data.
	pub free: u64,
	/// Collateral on hold.
	pub collateral: Balance,
	/// Collateral the declared capacity requires.
	pub collateral_required: Balance,
	/// Credit score, 0–1000.
	pub credit: u32,
	/// Life-cycle state.
	pub state: MinerState<BlockNumber>,
	/// Number of columns held (the length of the holdings index).
	pub holdings: u32,
	/// Lost columns still awaiting restoral.
	pub outstanding_restorals: u32,
}

sp_api::decl_runtime_apis! {
	/// Storage-miner queries.
	pub trait SminerApi<AccountId, Balance, BlockNumber> where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The record of `miner`, if registered.
		fn miner_info(miner: AccountId) -> Option<MinerSummary<AccountId, Balance, BlockNumber>>;
		/// The latest credit changes of `miner`, oldest first.
		fn credit_history(miner: AccountId) -> Vec<CreditEntry<BlockNumber>>;
		/// Number of registered miners and of positive ones.
		fn miner_counts() -> (u32, u32);
	}
}

impl<T: Config> Pallet<T> {
	/// [`SminerApi::miner_info`].
	pub fn miner_summary(
		who: &T::AccountId,
	) -> Option<MinerSummary<T::AccountId, crate::BalanceOf<T>, BlockNumberFor<T>>> {
		let info = Miners::<T>::get(who)?;
		Some(MinerSummary {
			beneficiary: info.beneficiary.clone(),
			peer_id: info.peer_id.to_vec(),
			multiaddrs: info.multiaddrs.iter().map(|a| a.to_vec()).collect(),
			declared: info.declared,
			used: info.used,
			locked: info.locked,
			free: info.free(),
			collateral: info.collateral,
			collateral_required: Self::collateral_required(info.declared),
			credit: info.credit,
			state: info.state,
			holdings: T::Holdings::holding_count(who),
			outstanding_restorals: T::Holdings::outstanding_restorals(who),
		})
	}

	/// [`SminerApi::credit_history`].
	pub fn credit_history_of(who: &T::AccountId) -> Vec<CreditEntry<BlockNumberFor<T>>> {
		CreditHistory::<T>::get(who).into_inner()
	}

	/// [`SminerApi::miner_counts`].
	pub fn miner_counts() -> (u32, u32) {
		(Miners::<T>::count(), PositiveCount::<T>::get())
	}
}
