//! The `StorageRewardsApi` runtime API: claimable shares and vesting balances.

use crate::{BalanceOf, Config, CurrentEra, EraIndex, Pallet, Pools, Scores, Vesting};
use alloc::vec::Vec;
use codec::Codec;
use polkadot_sdk::{
	frame_support::traits::Get, frame_system, sp_api, sp_runtime::traits::Saturating,
};

sp_api::decl_runtime_apis! {
	/// Storage reward queries.
	pub trait StorageRewardsApi<AccountId, Balance> where AccountId: Codec, Balance: Codec {
		/// `miner`'s unclaimed shares of the closed eras it can still claim, oldest first.
		fn claimable(miner: AccountId) -> Vec<(EraIndex, Balance)>;
		/// `who`'s vesting: (withdrawable now, still vesting).
		fn vesting(who: AccountId) -> (Balance, Balance);
	}
}

impl<T: Config> Pallet<T> {
	/// [`StorageRewardsApi::claimable`].
	pub fn claimable_of(miner: &T::AccountId) -> Vec<(EraIndex, BalanceOf<T>)> {
		let current = CurrentEra::<T>::get();
		let first = current.saturating_sub(T::ClaimDepth::get());
		(first..current)
			.filter_map(|era| {
				let pool = Pools::<T>::get(era)?;
				let score = Scores::<T>::get(era, miner)?;
				Some((era, Self::share_of(pool.pool, score, pool.total_score)))
			})
			.collect()
	}

	/// [`StorageRewardsApi::vesting`].
	pub fn vesting_of(who: &T::AccountId) -> (BalanceOf<T>, BalanceOf<T>) {
		let now = frame_system::Pallet::<T>::block_number();
		Vesting::<T>::get(who).iter().fold(Default::default(), |(free, locked), s| {
			let vested = Self::vested_at(s, now);
			(
				free.saturating_add(vested.saturating_sub(s.released)),
				locked.saturating_add(s.total.saturating_sub(vested)),
			)
		})
	}
}
