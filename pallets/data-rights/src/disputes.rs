//! Registration: a certificate, or a dispute when the content is too close to another
//! account's certificate; and the verdicts that close disputes.

use crate::{
	Action, Certificate, Certificates, Config, Dispute, DisputeId, Disputes, Error, Event,
	FileDisputes, Fingerprint, NextDisputeId, Pallet, Policies, Verdict, WrappedKey,
};
use cess_primitives::{traits::FileOwnership, types::FileId};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::UnixTime},
	frame_system,
	sp_runtime::traits::Zero,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		who: T::AccountId,
		file: FileId,
		fingerprint: Fingerprint,
		owner_key: WrappedKey,
	) -> DispatchResult {
		ensure!(!owner_key.is_empty(), Error::<T>::EmptyWrappedKey);
		ensure!(T::Files::is_owner(&file, &who), Error::<T>::NotFileOwner);
		// A co-owner that joined by declaring the id again showed no knowledge of the content.
		ensure!(T::Files::is_uploader(&file, &who), Error::<T>::NotUploader);
		ensure!(!Certificates::<T>::contains_key(file), Error::<T>::AlreadyCertified);
		ensure!(!FileDisputes::<T>::contains_key(file), Error::<T>::DisputePending);
		Self::ensure_indexable(&fingerprint)?;
		// The closest certificate of another account; the caller's own versions are no conflict.
		let conflict = Self::near_duplicates(&fingerprint).into_iter().find(|(_, o, _)| *o != who);
		match conflict {
			None => Self::issue(who, file, fingerprint, owner_key),
			Some((conflicts_with, _, distance)) => {
				let id = NextDisputeId::<T>::get();
				NextDisputeId::<T>::put(id.wrapping_add(1));
				let dispute = Dispute::<T> {
					claimant: who.clone(),
					file,
					fingerprint,
					owner_key,
					conflicts_with,
					distance,
					opened_at: frame_system::Pallet::<T>::block_number(),
				};
				Disputes::<T>::insert(id, dispute);
				FileDisputes::<T>::insert(file, id);
				let action = Action::DisputeOpened(id);
				Self::log(file, action, &who, None, Zero::zero());
				Self::log(conflicts_with, action, &who, None, Zero::zero());
				Self::deposit_event(Event::DisputeOpened {
					dispute: id,
					file,
					claimant: who,
					conflicts_with,
					distance,
				});
				Ok(())
			},
		}
	}

	/// Issues a certificate (the caller checked the file has none).
	fn issue(
		owner: T::AccountId,
		file: FileId,
		fingerprint: Fingerprint,
		owner_key: WrappedKey,
	) -> DispatchResult {
		Self::index_insert(file, &fingerprint, &owner)?;
		let cert = Certificate::<T> {
			owner: owner.clone(),
			fingerprint,
			registered_at: frame_system::Pallet::<T>::block_number(),
			timestamp_ms: T::UnixTime::now().as_millis().try_into().unwrap_or(u64::MAX),
			owner_key,
		};
		Certificates::<T>::insert(file, cert);
		Self::log(file, Action::Registered, &owner, None, Zero::zero());
		Self::deposit_event(Event::CertificateIssued { file, owner, fingerprint });
		Ok(())
	}

	pub(crate) fn do_resolve(id: DisputeId, verdict: Verdict) -> DispatchResult {
		let dispute = Disputes::<T>::take(id).ok_or(Error::<T>::UnknownDispute)?;
		FileDisputes::<T>::remove(dispute.file);
		let action = Action::DisputeResolved(id, verdict);
		Self::log(dispute.file, action, &dispute.claimant, None, Zero::zero());
		Self::log(dispute.conflicts_with, action, &dispute.claimant, None, Zero::zero());
		Self::deposit_event(Event::DisputeResolved { dispute: id, verdict });
		let Dispute { claimant, file, fingerprint, owner_key, conflicts_with, .. } = dispute;
		match verdict {
			Verdict::Dismiss => Ok(()),
			Verdict::Coexist => {
				Self::ensure_indexable(&fingerprint)?;
				Self::issue(claimant, file, fingerprint, owner_key)
			},
			Verdict::Supersede => {
				Self::withdraw(conflicts_with)?;
				Self::ensure_indexable(&fingerprint)?;
				Self::issue(claimant, file, fingerprint, owner_key)
			},
		}
	}

	/// Withdraws `file`'s certificate: its revenue pool is paid out first, its policy goes.
	fn withdraw(file: FileId) -> DispatchResult {
		let Some(cert) = Certificates::<T>::get(file) else { return Ok(()) };
		Self::split_pool(file);
		Certificates::<T>::remove(file);
		Policies::<T>::remove(file);
		Self::index_remove(file, &cert.fingerprint);
		Self::log(file, Action::Withdrawn, &cert.owner, None, Zero::zero());
		Self::deposit_event(Event::CertificateWithdrawn { file, owner: cert.owner });
		Ok(())
	}
}
