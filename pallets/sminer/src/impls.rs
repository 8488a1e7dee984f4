//! The glue traits `sminer` provides to the other storage pallets.

use crate::{
	BalanceOf, Config, CreditEntry, CreditHistory, Event, MinerState, Miners, Pallet,
	PositiveCount, PositiveMiners,
};
use cess_primitives::traits::{
	CreditReason, MinerCapacity, MinerEndpoints, MinerPenalties, MinerRegistry, MinerStanding,
	PlacementInfo, SpaceError, Standing, StorageHoldings, VerifiedCapacity, MAX_CREDIT, MIN_CREDIT,
};
use polkadot_sdk::frame_system;

impl<T: Config> MinerEndpoints<T::AccountId> for Pallet<T> {
	fn multiaddrs(who: &T::AccountId) -> alloc::vec::Vec<alloc::vec::Vec<u8>> {
		Miners::<T>::get(who)
			.map(|i| i.multiaddrs.into_iter().map(|m| m.into_inner()).collect())
			.unwrap_or_default()
	}
}

impl<T: Config> MinerStanding<T::AccountId> for Pallet<T> {
	fn standing(who: &T::AccountId) -> Option<Standing> {
		Miners::<T>::get(who).map(|i| Standing { stored: i.used, credit: i.credit })
	}

	fn beneficiary(who: &T::AccountId) -> Option<T::AccountId> {
		Miners::<T>::get(who).map(|i| i.beneficiary)
	}
}

impl<T: Config> MinerRegistry<T::AccountId> for Pallet<T> {
	fn positive_count() -> u32 {
		PositiveCount::<T>::get()
	}

	fn positive_at(index: u32) -> Option<T::AccountId> {
		PositiveMiners::<T>::get(index)
	}

	fn placement_info(who: &T::AccountId) -> Option<PlacementInfo> {
		let info = Miners::<T>::get(who)?;
		(info.state == MinerState::Positive)
			.then(|| PlacementInfo { free: Self::assignable(who, &info), credit: info.credit })
	}

	fn is_positive(who: &T::AccountId) -> bool {
		Miners::<T>::get(who).is_some_and(|i| i.state == MinerState::Positive)
	}

	fn lock_space(who: &T::AccountId, bytes: u64) -> Result<(), SpaceError> {
		Miners::<T>::try_mutate(who, |maybe| {
			let info = maybe.as_mut().ok_or(SpaceError::UnknownMiner)?;
			if info.state != MinerState::Positive {
				return Err(SpaceError::NotPositive);
			}
			if Self::assignable(who, info) < bytes {
				return Err(SpaceError::InsufficientSpace);
			}
			info.locked = info.locked.saturating_add(bytes);
			T::Capacity::assign(who, bytes);
			Ok(())
		})
	}

	fn unlock_space(who: &T::AccountId, bytes: u64) {
		Miners::<T>::mutate_exists(who, |maybe| {
			if let Some(info) = maybe {
				let back = bytes.min(info.locked);
				info.locked -= back;
				T::Capacity::unassign(who, back);
			}
		})
	}

	fn commit_space(who: &T::AccountId, bytes: u64) {
		Miners::<T>::mutate_exists(who, |maybe| {
			if let Some(info) = maybe {
				let moved = bytes.min(info.locked);
				info.locked -= moved;
				info.used = info.used.saturating_add(moved);
			}
		})
	}

	fn release_space(who: &T::AccountId, bytes: u64) {
		Miners::<T>::mutate_exists(who, |maybe| {
			if let Some(info) = maybe {
				let back = bytes.min(info.used);
				info.used -= back;
				T::Capacity::unassign(who, back);
			}
		})
	}
}

impl<T: Config> Pallet<T> {
	/// Bytes of new data `who` (with record `info`) can take: its declared capacity not used
	/// or locked, and no more than its verified capacity allows.
	fn assignable(who: &T::AccountId, info: &crate::MinerInfo<T>) -> u64 {
		let free = info.free();
		T::Capacity::assignable(who).map_or(free, |verified| free.min(verified))
	}
}

impl<T: Config> MinerCapacity<T::AccountId> for Pallet<T> {
	fn capacity(who: &T::AccountId) -> Option<(u64, u64)> {
		Miners::<T>::get(who).map(|i| (i.declared, i.used.saturating_add(i.locked)))
	}
}

impl<T: Config> MinerPenalties<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn adjust_credit(who: &T::AccountId, delta: i32, reason: CreditReason) {
		let Some(mut info) = Miners::<T>::get(who) else { return };
		let before = info.credit as i64;
		let after = (before + delta as i64).clamp(MIN_CREDIT as i64, MAX_CREDIT as i64);
		info.credit = after as u32;
		Miners::<T>::insert(who, &info);
		let entry = CreditEntry {
			at: frame_system::Pallet::<T>::block_number(),
			delta: (after - before) as i32,
			reason,
		};
		CreditHistory::<T>::mutate(who, |history| {
			if history.is_full() {
				history.remove(0);
			}
			// Cannot fail: there is room after the removal above.
			let _ = history.try_push(entry);
		});
		Self::deposit_event(Event::CreditChanged {
			miner: who.clone(),
			credit: info.credit,
			reason,
		});
	}

	fn slash(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		Self::do_slash(who, amount)
	}

	fn force_out(who: &T::AccountId) {
		let Some(mut info) = Miners::<T>::get(who) else { return };
		if Self::is_leaving(&info.state) {
			return;
		}
		info.state = MinerState::Offline { since: frame_system::Pallet::<T>::block_number() };
		Miners::<T>::insert(who, info);
		Self::remove_positive(who);
		T::Holdings::miner_leaving(who, true);
		Self::deposit_event(Event::ForcedOut { miner: who.clone() });
	}
}
