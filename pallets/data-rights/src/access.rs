//! Policies, access requests, grants, denials, revocations and ownership transfer, with the
//! payments they make.

use crate::{
	Access, AccessState, Accesses, Action, BalanceOf, Certificates, Config, EncryptionKey, Error,
	Event, Pallet, Policies, PolicyOf, Terms, WrappedKey,
};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, tokens::Preservation},
	},
	frame_system,
	sp_runtime::{traits::Zero, Perbill},
};

/// Where a payment comes from.
enum Payer<'a, AccountId> {
	/// Straight from the requester's account.
	Account(&'a AccountId),
	/// From the offer the requester escrowed in the pallet's account.
	Escrow(&'a AccountId),
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_policy(
		who: T::AccountId,
		file: FileId,
		policy: PolicyOf<T>,
	) -> DispatchResult {
		Self::ensure_holder(&who, &file)?;
		if let Terms::RevenueShare { shares, .. } = &policy.terms {
			let parts = shares.iter().map(|(_, p)| u64::from(p.deconstruct())).sum::<u64>();
			ensure!(
				parts <= u64::from(Perbill::one().deconstruct()),
				Error::<T>::SharesExceedWhole
			);
			ensure!(all_distinct(shares.iter().map(|(a, _)| a)), Error::<T>::DuplicateAccount);
		}
		ensure!(all_distinct(policy.whitelist.iter()), Error::<T>::DuplicateAccount);
		ensure!(all_distinct(policy.blacklist.iter()), Error::<T>::DuplicateAccount);
		Policies::<T>::insert(file, policy);
		Self::log(file, Action::PolicyChanged, &who, None, Zero::zero());
		Self::deposit_event(Event::PolicySet { file });
		Ok(())
	}

	pub(crate) fn do_request(
		who: T::AccountId,
		file: FileId,
		offer: BalanceOf<T>,
		encryption_key: EncryptionKey,
	) -> DispatchResult {
		let cert = Certificates::<T>::get(file).ok_or(Error::<T>::NoCertificate)?;
		ensure!(cert.owner != who, Error::<T>::OwnFile);
		if let Some(access) = Accesses::<T>::get(file, &who) {
			return Err(match access.state {
				AccessState::Pending { .. } => Error::<T>::AlreadyRequested,
				AccessState::Granted { .. } => Error::<T>::AlreadyGranted,
			}
			.into());
		}
		let policy = Policies::<T>::get(file);
		// What the policy grants at once: `Some(price)`, or `None` to wait for the holder.
		let immediate = match &policy {
			None => None,
			Some(p) => {
				ensure!(!p.blacklist.contains(&who), Error::<T>::Blacklisted);
				if p.whitelist.contains(&who) {
					Some(Zero::zero())
				} else if p.approval_required {
					None
				} else {
					match &p.terms {
						Terms::Free => Some(Zero::zero()),
						Terms::PerAccess(price) | Terms::RevenueShare { price, .. } => {
							(offer >= *price).then_some(*price)
						},
					}
				}
			},
		};
		let requested_at = frame_system::Pallet::<T>::block_number();
		match immediate {
			Some(price) => {
				Self::log(file, Action::Requested, &who, None, offer);
				Self::pay(file, Payer::Account(&who), &cert.owner, price)?;
				let access = Access::<T> {
					state: AccessState::Granted { paid: price },
					encryption_key,
					requested_at,
					key: None,
				};
				Accesses::<T>::insert(file, &who, access);
				Self::log(file, Action::Granted, &cert.owner, Some(&who), price);
				Self::deposit_event(Event::AccessGranted {
					file,
					who,
					paid: price,
					key_delivered: false,
				});
			},
			None => {
				if !offer.is_zero() {
					T::Currency::transfer(&who, &Self::account_id(), offer, Preservation::Preserve)
						.map_err(|_| Error::<T>::PaymentFailed)?;
				}
				let access = Access::<T> {
					state: AccessState::Pending { offer },
					encryption_key,
					requested_at,
					key: None,
				};
				Accesses::<T>::insert(file, &who, access);
				// Not logged: anyone may request and cancel, and the log is a ring the holder's
				// records must not be pushed out of. The grant or denial is logged.
				Self::deposit_event(Event::AccessRequested { file, who, offer });
			},
		}
		Ok(())
	}

	pub(crate) fn do_grant(
		who: T::AccountId,
		file: FileId,
		grantee: T::AccountId,
		key: WrappedKey,
	) -> DispatchResult {
		ensure!(!key.is_empty(), Error::<T>::EmptyWrappedKey);
		Self::ensure_holder(&who, &file)?;
		let mut access = Accesses::<T>::get(file, &grantee).ok_or(Error::<T>::NoAccess)?;
		access.key = Some(key);
		match access.state {
			AccessState::Pending { offer } => {
				Self::pay(file, Payer::Escrow(&grantee), &who, offer)?;
				access.state = AccessState::Granted { paid: offer };
				Self::log(file, Action::Granted, &who, Some(&grantee), offer);
				Self::log(file, Action::KeyDelivered, &who, Some(&grantee), Zero::zero());
				Self::deposit_event(Event::AccessGranted {
					file,
					who: grantee.clone(),
					paid: offer,
					key_delivered: true,
				});
			},
			AccessState::Granted { .. } => {
				Self::log(file, Action::KeyDelivered, &who, Some(&grantee), Zero::zero());
				Self::deposit_event(Event::KeyDelivered { file, who: grantee.clone() });
			},
		}
		Accesses::<T>::insert(file, &grantee, access);
		Ok(())
	}

	pub(crate) fn do_deny(
		who: T::AccountId,
		file: FileId,
		requester: T::AccountId,
	) -> DispatchResult {
		Self::ensure_holder(&who, &file)?;
		let refunded = Self::take_pending(file, &requester)?;
		Self::log(file, Action::Denied, &who, Some(&requester), refunded);
		Self::deposit_event(Event::AccessDenied { file, who: requester, refunded });
		Ok(())
	}

	pub(crate) fn do_cancel(who: T::AccountId, file: FileId) -> DispatchResult {
		let refunded = Self::take_pending(file, &who)?;
		Self::deposit_event(Event::RequestCancelled { file, who, refunded });
		Ok(())
	}

	pub(crate) fn do_revoke(
		who: T::AccountId,
		file: FileId,
		grantee: T::AccountId,
	) -> DispatchResult {
		Self::ensure_holder(&who, &file)?;
		let access = Accesses::<T>::get(file, &grantee).ok_or(Error::<T>::NoAccess)?;
		ensure!(matches!(access.state, AccessState::Granted { .. }), Error::<T>::NotGranted);
		Accesses::<T>::remove(file, &grantee);
		Self::log(file, Action::Revoked, &who, Some(&grantee), Zero::zero());
		Self::deposit_event(Event::AccessRevoked { file, who: grantee });
		Ok(())
	}

	pub(crate) fn do_transfer(
		who: T::AccountId,
		file: FileId,
		to: T::AccountId,
		owner_key: WrappedKey,
	) -> DispatchResult {
		ensure!(!owner_key.is_empty(), Error::<T>::EmptyWrappedKey);
		let mut cert = Self::ensure_holder(&who, &file)?;
		ensure!(to != who, Error::<T>::SameHolder);
		cert.owner = to.clone();
		cert.owner_key = owner_key;
		Self::index_set_owner(file, &cert.fingerprint, &to);
		Certificates::<T>::insert(file, cert);
		Self::log(file, Action::Transferred, &who, Some(&to), Zero::zero());
		Self::deposit_event(Event::OwnershipTransferred { file, from: who, to });
		Ok(())
	}

	/// Removes `requester`'s pending request and refunds its escrowed offer.
	fn take_pending(file: FileId, requester: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
		let access = Accesses::<T>::get(file, requester).ok_or(Error::<T>::NoAccess)?;
		let AccessState::Pending { offer } = access.state else {
			return Err(Error::<T>::NotPending.into());
		};
		if !offer.is_zero() {
			T::Currency::transfer(&Self::account_id(), requester, offer, Preservation::Preserve)
				.map_err(|_| Error::<T>::PaymentFailed)?;
		}
		Accesses::<T>::remove(file, requester);
		Ok(offer)
	}

	/// Pays `amount` for access to `file`: to the holder, or into the file's revenue pool when
	/// the policy shares revenue.
	fn pay(
		file: FileId,
		payer: Payer<'_, T::AccountId>,
		holder: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		let pooled =
			matches!(Policies::<T>::get(file).map(|p| p.terms), Some(Terms::RevenueShare { .. }));
		let pallet = Self::account_id();
		let (from, payer_account) = match payer {
			Payer::Account(a) => (a, a),
			Payer::Escrow(a) => (&pallet, a),
		};
		let to = if pooled { &pallet } else { holder };
		if from != to {
			T::Currency::transfer(from, to, amount, Preservation::Preserve)
				.map_err(|_| Error::<T>::PaymentFailed)?;
		}
		if pooled {
			Self::add_to_pool(file, amount)?;
		}
		Self::log(file, Action::Paid, payer_account, Some(to), amount);
		Ok(())
	}
}

/// Whether no item occurs twice (lists are bounded and small).
fn all_distinct<'a, A: PartialEq + 'a>(items: impl Iterator<Item = &'a A> + Clone) -> bool {
	items.clone().enumerate().all(|(i, a)| items.clone().skip(i + 1).all(|b| a != b))
}
