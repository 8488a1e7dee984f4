//! Scoring passed rounds, closing eras and clearing expired ones.

use crate::{
	BalanceOf, Carry, Config, CurrentEra, EraIndex, EraPool, EraScore, EraStart, Event, Expiring,
	Pallet, Pools, Scores, WeightInfo,
};
use cess_primitives::traits::{MinerStanding, ProofRewards, MAX_CREDIT};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Preservation},
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{AccountIdConversion, Saturating, UniqueSaturatedInto, Zero},
		Rounding,
	},
};

impl<T: Config> Pallet<T> {
	/// The reward pot: holds every pool, unclaimed share and vesting balance.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// `⌊pool × score / total⌋` (zero if `total` is zero): an era share, or the vested part of a
	/// schedule.
	pub fn share_of(pool: BalanceOf<T>, score: u128, total: u128) -> BalanceOf<T> {
		let pool: u128 = pool.unique_saturated_into();
		multiply_by_rational_with_rounding(pool, score, total, Rounding::Down)
			.unwrap_or(0)
			.unique_saturated_into()
	}

	/// Fixes the current era's pool and starts the next era at `n`.
	pub(crate) fn close_era(n: BlockNumberFor<T>) -> Weight {
		let era = CurrentEra::<T>::get();
		let pot = Self::account_id();
		let mut carry = Carry::<T>::take();

		// Shares of the era that leaves the claim window return to the pool.
		if let Some(old) = era.checked_sub(T::ClaimDepth::get()) {
			if let Some(expired) = Pools::<T>::take(old) {
				let unclaimed = expired.pool.saturating_sub(expired.paid);
				carry = carry.saturating_add(unclaimed);
				Expiring::<T>::mutate(|e| {
					if e.try_push(old).is_err() {
						log::warn!(target: crate::LOG_TARGET, "cleanup queue full; era {old}'s scores stay until a later era");
					}
				});
				Self::deposit_event(Event::EraExpired { era: old, unclaimed });
			}
		}

		let total_score = EraScore::<T>::take();
		let cap = Self::storage_cap(total_score);
		let fee_account = T::FeeAccount::get();
		let available = T::Currency::reducible_balance(
			&fee_account,
			Preservation::Expendable,
			Fortitude::Polite,
		)
		.saturating_sub(T::Unreleased::get());
		let fees = if available.is_zero() {
			available
		} else {
			T::Currency::transfer(&fee_account, &pot, available, Preservation::Expendable)
				.unwrap_or_else(|e| {
					log::error!(target: crate::LOG_TARGET, "era {era}: fees not moved: {e:?}");
					Zero::zero()
				})
		};

		// Mint only what the funds at hand leave of the cap.
		let funds = carry.saturating_add(fees);
		let to_mint = T::EraIssuance::get().min(cap.saturating_sub(funds));
		let issued = if to_mint.is_zero() {
			to_mint
		} else {
			T::Currency::mint_into(&pot, to_mint).unwrap_or_else(|e| {
				log::error!(target: crate::LOG_TARGET, "era {era}: issuance not minted: {e:?}");
				Zero::zero()
			})
		};
		let funds = funds.saturating_add(issued);
		let pool = funds.min(cap);
		let carried = funds.saturating_sub(pool);
		Carry::<T>::put(carried);
		if total_score != 0 {
			Pools::<T>::insert(era, EraPool { pool, total_score, paid: Zero::zero() });
		}
		CurrentEra::<T>::put(era.saturating_add(1));
		EraStart::<T>::put(n);
		Self::deposit_event(Event::EraClosed {
			era,
			pool,
			issued,
			fees,
			total_score,
			cap,
			carried,
		});
		T::WeightInfo::era_close()
	}

	/// Clears up to `CleanupBatch` score entries of the oldest expired era.
	pub(crate) fn cleanup_step() -> Weight {
		let mut expiring = Expiring::<T>::get();
		let Some(&era) = expiring.first() else { return Weight::zero() };
		let batch = T::CleanupBatch::get();
		let result = Scores::<T>::clear_prefix(era, batch, None);
		if result.maybe_cursor.is_none() {
			expiring.remove(0);
			Expiring::<T>::put(expiring);
		}
		T::WeightInfo::cleanup(result.backend)
	}

	/// The lease price of the storage behind `score` (Σ stored bytes × credit over passed
	/// rounds): `StoragePrice × score / (GiB × RoundsPerDay × MAX_CREDIT)`, rounded down.
	pub fn storage_cap(score: u128) -> BalanceOf<T> {
		let price: u128 = T::StoragePrice::get().unique_saturated_into();
		let per_day = u128::from(T::RoundsPerDay::get().max(1));
		let divisor = (1u128 << 30) * per_day * u128::from(MAX_CREDIT);
		multiply_by_rational_with_rounding(price, score, divisor, Rounding::Down)
			.unwrap_or(u128::MAX)
			.unique_saturated_into()
	}

	/// The score a passed round earns: stored bytes × credit.
	pub fn round_score(who: &T::AccountId) -> u128 {
		T::Miners::standing(who)
			.map_or(0, |s| u128::from(s.stored).saturating_mul(u128::from(s.credit)))
	}

	/// The era a claim of `era` is valid in, or why not.
	pub(crate) fn claimable_era(era: EraIndex) -> Result<(), crate::Error<T>> {
		let current = CurrentEra::<T>::get();
		ensure!(era < current, crate::Error::<T>::EraNotClosed);
		ensure!(era.saturating_add(T::ClaimDepth::get()) >= current, crate::Error::<T>::EraExpired);
		Ok(())
	}

	/// The score `idle_bytes` of idle space proven in a round earns: `IdleShare` of what as
	/// many stored bytes would, at the miner's credit.
	pub fn idle_round_score(who: &T::AccountId, idle_bytes: u64) -> u128 {
		let credit = T::Miners::standing(who).map_or(0, |s| s.credit);
		let bytes = u128::from(idle_bytes).saturating_mul(u128::from(credit));
		T::IdleShare::get().mul_floor(bytes)
	}

	/// Adds `score` to `who`'s score of the current era.
	fn add_score(who: &T::AccountId, score: u128) {
		if score == 0 {
			return;
		}
		let era = CurrentEra::<T>::get();
		Scores::<T>::mutate(era, who, |s| *s = Some(s.unwrap_or(0).saturating_add(score)));
		EraScore::<T>::mutate(|t| *t = t.saturating_add(score));
	}
}

impl<T: Config> ProofRewards<T::AccountId> for Pallet<T> {
	fn round_passed(who: &T::AccountId) {
		Self::add_score(who, Self::round_score(who));
	}

	fn idle_round_passed(who: &T::AccountId, idle_bytes: u64) {
		Self::add_score(who, Self::idle_round_score(who, idle_bytes));
	}
}
