//! Revenue pools: payments under [`Terms::RevenueShare`] collect per file in the pallet's
//! account; `RevenuePeriod` blocks after a pool's first payment it is split among the
//! shareholders, the holder getting the rest.

use crate::{
	Action, BalanceOf, Certificates, Config, Error, Event, Pallet, Policies, RevenuePools,
	SplitSchedule, Terms, WeightInfo,
};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Zero},
};

/// Blocks after the period's end searched for a free split slot.
const SCHEDULE_SPREAD: u32 = 64;

impl<T: Config> Pallet<T> {
	/// Adds `amount` (already in the pallet's account) to `file`'s pool, scheduling its split
	/// when the pool was empty.
	pub(crate) fn add_to_pool(file: FileId, amount: BalanceOf<T>) -> DispatchResult {
		let pool = RevenuePools::<T>::get(file);
		if pool.is_zero() {
			let due =
				frame_system::Pallet::<T>::block_number().saturating_add(T::RevenuePeriod::get());
			let slot = (0..SCHEDULE_SPREAD)
				.map(|i| due.saturating_add(i.into()))
				.find(|b| {
					SplitSchedule::<T>::decode_len(b).unwrap_or(0)
						< T::MaxSplitsPerBlock::get() as usize
				})
				.ok_or(Error::<T>::SplitQueueFull)?;
			SplitSchedule::<T>::try_append(slot, file).map_err(|_| Error::<T>::SplitQueueFull)?;
		}
		RevenuePools::<T>::insert(file, pool.saturating_add(amount));
		Ok(())
	}

	/// The hook: splits the pools due at `n`.
	pub(crate) fn split_due(n: BlockNumberFor<T>) -> Weight {
		let due = SplitSchedule::<T>::take(n);
		let mut weight = T::WeightInfo::split_idle();
		for file in due {
			let shares = Self::split_pool(file);
			weight = weight.saturating_add(T::WeightInfo::split_revenue(shares));
		}
		weight
	}

	/// Pays out `file`'s pool now; returns the number of shareholders paid (for the weight).
	pub(crate) fn split_pool(file: FileId) -> u32 {
		let total = RevenuePools::<T>::take(file);
		if total.is_zero() {
			return 0;
		}
		let Some(cert) = Certificates::<T>::get(file) else {
			// Certificates are withdrawn only after their pool is split; nothing else removes them.
			log::error!(target: crate::LOG_TARGET, "revenue pool of uncertified file {file:?}");
			RevenuePools::<T>::insert(file, total);
			return 0;
		};
		let pallet = Self::account_id();
		let shares = match Policies::<T>::get(file).map(|p| p.terms) {
			Some(Terms::RevenueShare { shares, .. }) => shares.into_inner(),
			_ => alloc::vec::Vec::new(),
		};
		let count = shares.len() as u32;
		let mut left = total;
		for (holder, part) in shares {
			let amount = part.mul_floor(total).min(left);
			// A part below a new account's existential deposit stays with the holder.
			if !amount.is_zero()
				&& T::Currency::transfer(&pallet, &holder, amount, Preservation::Preserve).is_ok()
			{
				left = left.saturating_sub(amount);
				Self::log(file, Action::RevenuePaid, &pallet, Some(&holder), amount);
			}
		}
		if !left.is_zero() {
			match T::Currency::transfer(&pallet, &cert.owner, left, Preservation::Preserve) {
				Ok(_) => Self::log(file, Action::RevenuePaid, &pallet, Some(&cert.owner), left),
				Err(e) => {
					// Keep it for the next split rather than lose track of it.
					log::warn!(target: crate::LOG_TARGET, "revenue payout of {file:?} failed: {e:?}");
					RevenuePools::<T>::insert(file, left);
					let _ = SplitSchedule::<T>::try_append(
						frame_system::Pallet::<T>::block_number()
							.saturating_add(T::RevenuePeriod::get()),
						file,
					);
				},
			}
		}
		Self::deposit_event(Event::RevenueSplit { file, total });
		count
	}
}
