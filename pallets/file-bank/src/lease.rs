//! Space leases: purchase, expansion, renewal, usage accounting and expiry.

use crate::{
	BalanceOf, Config, Error, Event, ExpiredOwners, Lease, LeaseExpiries, Leases, OwnedFiles,
	Pallet, ReleaseChanges, ReleaseRate, UnitPrice, Unreleased, WeightInfo,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{AccountIdConversion, SaturatedConversion, Saturating, Zero},
};

/// Buckets tried after the preferred one when scheduling into a full block.
pub(crate) const SCHEDULE_SPREAD: u32 = 10;

impl<T: Config> Pallet<T> {
	/// The pallet account that collects lease payments.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Price of `gib` GiB for `days` days.
	pub fn quote(gib: u32, days: u32) -> BalanceOf<T> {
		UnitPrice::<T>::get().saturating_mul(gib.into()).saturating_mul(days.into())
	}

	fn days_to_blocks(days: u32) -> BlockNumberFor<T> {
		T::BlocksPerDay::get().saturating_mul(days.into())
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	fn pay(who: &T::AccountId, cost: BalanceOf<T>) -> DispatchResult {
		if cost.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(who, &Self::account_id(), cost, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// The caller's lease if it can take new data (exists, not expired, not collected).
	pub(crate) fn active_lease(
		who: &T::AccountId,
	) -> Result<Lease<BlockNumberFor<T>>, DispatchError> {
		let lease = Leases::<T>::get(who).ok_or(Error::<T>::NoLease)?;
		ensure!(!ExpiredOwners::<T>::contains_key(who), Error::<T>::LeaseCollecting);
		ensure!(Self::now() <= lease.expires, Error::<T>::LeaseExpired);
		Ok(lease)
	}

	/// The day index of block `n`.
	fn day_of(n: BlockNumberFor<T>) -> u32 {
		(n / T::BlocksPerDay::get().max(1u32.into())).saturated_into()
	}

	/// Schedules `cost`, paid at block `from` for `days` days, for release in equal daily parts
	/// at the `days` day boundaries after `from` (the rounding remainder is earned at once).
	fn stream_payment(cost: BalanceOf<T>, from: BlockNumberFor<T>, days: u32) {
		let per_day = cost / BalanceOf::<T>::from(days.max(1));
		if per_day.is_zero() {
			return;
		}
		let first = Self::day_of(from).saturating_add(1);
		ReleaseChanges::<T>::mutate(first, |c| c.0 = c.0.saturating_add(per_day));
		ReleaseChanges::<T>::mutate(first.saturating_add(days), |c| {
			c.1 = c.1.saturating_add(per_day)
		});
		Unreleased::<T>::mutate(|u| *u = u.saturating_add(per_day.saturating_mul(days.into())));
	}

	/// At a day boundary, releases the day's part of every running lease payment.
	pub(crate) fn release_revenue(n: BlockNumberFor<T>) -> Weight {
		if !(n % T::BlocksPerDay::get().max(1u32.into())).is_zero() {
			return Weight::zero();
		}
		let (started, ended) = ReleaseChanges::<T>::take(Self::day_of(n));
		let rate = ReleaseRate::<T>::get().saturating_add(started).saturating_sub(ended);
		ReleaseRate::<T>::put(rate);
		Unreleased::<T>::mutate(|u| *u = u.saturating_sub(rate));
		T::DbWeight::get().reads_writes(3, 3)
	}

	pub(crate) fn do_buy_space(who: T::AccountId, gib: u32, days: u32) -> DispatchResult {
		ensure!(!Leases::<T>::contains_key(&who), Error::<T>::LeaseExists);
		ensure!(gib > 0 && gib <= T::MaxLeaseGib::get(), Error::<T>::BadLeaseSize);
		ensure!(
			days >= T::MinLeaseDays::get() && days <= T::MaxLeaseDays::get(),
			Error::<T>::BadLeaseDuration
		);
		let expires = Self::now().saturating_add(Self::days_to_blocks(days));
		let cost = Self::quote(gib, days);
		Self::schedule_expiry(&who, expires)?;
		Self::pay(&who, cost)?;
		Self::stream_payment(cost, Self::now(), days);
		Leases::<T>::insert(&who, Lease { gib, used: 0, expires, files: 0 });
		Self::deposit_event(Event::SpaceBought { owner: who, gib, expires, cost });
		Ok(())
	}

	pub(crate) fn do_expand_space(who: T::AccountId, gib: u32) -> DispatchResult {
		let mut lease = Self::active_lease(&who)?;
		let total = lease.gib.checked_add(gib).ok_or(Error::<T>::BadLeaseSize)?;
		ensure!(gib > 0 && total <= T::MaxLeaseGib::get(), Error::<T>::BadLeaseSize);
		// Paid for every started day the lease still runs.
		let remaining: u64 = lease.expires.saturating_sub(Self::now()).saturated_into();
		let per_day: u64 = T::BlocksPerDay::get().saturated_into();
		let days: u32 = remaining.div_ceil(per_day.max(1)).saturated_into();
		let cost = Self::quote(gib, days.max(1));
		Self::pay(&who, cost)?;
		Self::stream_payment(cost, Self::now(), days.max(1));
		lease.gib = total;
		Leases::<T>::insert(&who, lease);
		Self::deposit_event(Event::SpaceExpanded { owner: who, gib: total, cost });
		Ok(())
	}

	pub(crate) fn do_renew_space(who: T::AccountId, days: u32) -> DispatchResult {
		let mut lease = Leases::<T>::get(&who).ok_or(Error::<T>::NoLease)?;
		ensure!(!ExpiredOwners::<T>::contains_key(&who), Error::<T>::LeaseCollecting);
		ensure!(days >= T::MinLeaseDays::get(), Error::<T>::BadLeaseDuration);
		let now = Self::now();
		let expires = lease.expires.max(now).saturating_add(Self::days_to_blocks(days));
		ensure!(
			expires <= now.saturating_add(Self::days_to_blocks(T::MaxLeaseDays::get())),
			Error::<T>::BadLeaseDuration
		);
		let cost = Self::quote(lease.gib, days);
		Self::schedule_expiry(&who, expires)?;
		Self::pay(&who, cost)?;
		// The added days follow the paid ones.
		Self::stream_payment(cost, lease.expires.max(now), days);
		lease.expires = expires;
		Leases::<T>::insert(&who, lease);
		Self::deposit_event(Event::SpaceRenewed { owner: who, expires, cost });
		Ok(())
	}

	/// Takes `bytes` of `who`'s active lease for one more file.
	pub(crate) fn charge_lease(who: &T::AccountId, bytes: u64) -> DispatchResult {
		let mut lease = Self::active_lease(who)?;
		ensure!(lease.free() >= bytes, Error::<T>::InsufficientLeaseSpace);
		lease.used = lease.used.saturating_add(bytes);
		lease.files = lease.files.saturating_add(1);
		Leases::<T>::insert(who, lease);
		Ok(())
	}

	/// Returns `bytes` of one file to `who`'s lease.
	pub(crate) fn release_lease(who: &T::AccountId, bytes: u64) {
		Leases::<T>::mutate_exists(who, |maybe| {
			if let Some(lease) = maybe {
				lease.used = lease.used.saturating_sub(bytes);
				lease.files = lease.files.saturating_sub(1);
			}
		});
	}

	/// Schedules a check of `who`'s lease after `expires` plus the grace period.
	fn schedule_expiry(who: &T::AccountId, expires: BlockNumberFor<T>) -> DispatchResult {
		let at = expires.saturating_add(T::GracePeriod::get());
		for offset in 0..=SCHEDULE_SPREAD {
			let pushed = LeaseExpiries::<T>::mutate(at.saturating_add(offset.into()), |bucket| {
				bucket.try_push(who.clone()).is_ok()
			});
			if pushed {
				return Ok(());
			}
		}
		Err(Error::<T>::ScheduleFull.into())
	}

	/// Moves the leases whose grace period ends at `n` (and were not renewed) to collection.
	pub(crate) fn process_expiries(n: BlockNumberFor<T>) -> Weight {
		let due = LeaseExpiries::<T>::take(n);
		let count = due.len() as u32;
		for who in due {
			let Some(lease) = Leases::<T>::get(&who) else { continue };
			if lease.expires.saturating_add(T::GracePeriod::get()) <= n {
				ExpiredOwners::<T>::insert(&who, ());
			}
		}
		T::WeightInfo::expire_leases(count)
	}

	/// Collects one file of an expired lease, or finishes the lease if it holds none.
	/// Returns whether there was work.
	pub(crate) fn collect_one(who: &T::AccountId) -> bool {
		if let Some(file_id) = OwnedFiles::<T>::iter_key_prefix(who).next() {
			Self::remove_owner(who, &file_id);
			return true;
		}
		Leases::<T>::remove(who);
		ExpiredOwners::<T>::remove(who);
		Self::deposit_event(Event::LeaseExpired { owner: who.clone() });
		false
	}
}
