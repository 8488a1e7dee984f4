//! Registration: a certificate, or a dispute when the content is too close to another
//! account's certificate; and the verdicts that close disputes.

use crate::{
	Action, Certificate, Certificates, Config, Dispute, DisputeId, Disputes, Error, Event,
	FileDisputes, Fingerprint, NextDisputeId, Pallet, Policies, Verdict, WrappedKey,
};
use cess_primitives::{
	fingerprint::fingerprint_commitment,
	traits::FileOwnership,
	types::{FileId, Hash256},
};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::UnixTime},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{traits::Zero, SaturatedConversion},
};

/// A registration on its way to a certificate.
struct Registration<T: Config> {
	claimant: T::AccountId,
	file: FileId,
	fingerprint: Fingerprint,
	owner_key: WrappedKey,
	priority: BlockNumberFor<T>,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		who: T::AccountId,
		file: FileId,
		fingerprint: Fingerprint,
		owner_key: WrappedKey,
		salt: Option<Hash256>,
	) -> DispatchResult {
		ensure!(!owner_key.is_empty(), Error::<T>::EmptyWrappedKey);
		let claim = T::Files::content_claim(&file, &who).ok_or(Error::<T>::NotFileOwner)?;
		let priority = match salt {
			None => frame_system::Pallet::<T>::block_number(),
			Some(salt) => {
				let opened =
					claim.commitment == Some(fingerprint_commitment(&fingerprint, &file, &salt));
				ensure!(opened, Error::<T>::BadCommitment);
				claim.since.saturated_into()
			},
		};
		ensure!(!FileDisputes::<T>::contains_key(file), Error::<T>::DisputePending);
		if let Some(cert) = Certificates::<T>::get(file) {
			// Another owner certified first, with a later claim to the content: it gives way.
			ensure!(cert.owner != who && priority < cert.priority, Error::<T>::AlreadyCertified);
			Self::withdraw(file)?;
		}
		Self::ensure_indexable(&fingerprint)?;
		// The closest certificate of another account; the caller's own versions are no conflict.
		let conflict = Self::near_duplicates(&fingerprint).into_iter().find(|(_, o, _)| *o != who);
		let registration = Registration { claimant: who, file, fingerprint, owner_key, priority };
		match conflict {
			None => Self::issue(registration),
			Some((conflicts_with, _, _))
				if Certificates::<T>::get(conflicts_with)
					.is_some_and(|c| priority < c.priority) =>
			{
				// The other certificate's claim came later: the earlier upload wins.
				Self::withdraw(conflicts_with)?;
				Self::issue(registration)
			},
			Some((conflicts_with, _, distance)) => {
				let id = NextDisputeId::<T>::get();
				NextDisputeId::<T>::put(id.wrapping_add(1));
				let Registration { claimant, file, fingerprint, owner_key, priority } =
					registration;
				let dispute = Dispute::<T> {
					claimant: claimant.clone(),
					file,
					fingerprint,
					owner_key,
					conflicts_with,
					distance,
					opened_at: frame_system::Pallet::<T>::block_number(),
					priority,
				};
				Disputes::<T>::insert(id, dispute);
				FileDisputes::<T>::insert(file, id);
				let action = Action::DisputeOpened(id);
				Self::log(file, action, &claimant, None, Zero::zero());
				Self::log(conflicts_with, action, &claimant, None, Zero::zero());
				Self::deposit_event(Event::DisputeOpened {
					dispute: id,
					file,
					claimant,
					conflicts_with,
					distance,
				});
				Ok(())
			},
		}
	}

	/// Issues a certificate (the caller checked the file has none).
	fn issue(registration: Registration<T>) -> DispatchResult {
		let Registration { claimant: owner, file, fingerprint, owner_key, priority } = registration;
		Self::index_insert(file, &fingerprint, &owner)?;
		let cert = Certificate::<T> {
			owner: owner.clone(),
			fingerprint,
			registered_at: frame_system::Pallet::<T>::block_number(),
			priority,
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
		let Dispute { claimant, file, fingerprint, owner_key, conflicts_with, priority, .. } =
			dispute;
		let registration = Registration { claimant, file, fingerprint, owner_key, priority };
		match verdict {
			Verdict::Dismiss => Ok(()),
			Verdict::Coexist => {
				Self::ensure_indexable(&registration.fingerprint)?;
				Self::issue(registration)
			},
			Verdict::Supersede => {
				Self::withdraw(conflicts_with)?;
				Self::ensure_indexable(&registration.fingerprint)?;
				Self::issue(registration)
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
