//! Joining an existing file: declaring a stored file's id is only a request, answered with a
//! PoDR² proof of leaves sampled over the whole file from the request block's hash, which
//! nobody knew when the request was signed. Knowing a file's id (from the chain or a pending
//! transaction) is thus not enough to own it: the joiner must hold the content.

use crate::{
	Config, Error, Event, FileInfo, FileState, Files, HoldReason, HoldingEntry, JoinRequest,
	JoinRequests, OwnedFile, OwnedFiles, Pallet,
};
use alloc::vec::Vec;
use cess_primitives::{
	merkle::blake2_256_parts,
	possession::{self, challenge::expand, Holding, Sample},
	types::{ErasureProfile, FileId},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	frame_system,
	sp_runtime::traits::Saturating,
};

/// Domain prefix of the join challenge seed.
const JOIN_DOMAIN: &[u8] = b"cess/join-challenge";

/// The seed of `who`'s join challenge on `file_id` (`who` SCALE-encoded): the request block's
/// hash bound to the file and the requester.
pub fn join_seed(request_block_hash: &[u8], file_id: &FileId, who: &[u8]) -> [u8; 32] {
	blake2_256_parts(&[JOIN_DOMAIN, request_block_hash, file_id, who])
}

impl<T: Config> Pallet<T> {
	/// Records `who`'s request to join the active file `file_id`, holding the deposit; a
	/// request whose window ran out is replaced (its deposit stays held).
	pub(crate) fn request_join(
		who: T::AccountId,
		file_id: FileId,
		file: FileInfo<T>,
		size: u64,
		profile: ErasureProfile,
		entry: OwnedFile<T>,
	) -> DispatchResult {
		ensure!(file.size == size && file.profile == profile, Error::<T>::FileMismatch);
		ensure!(!file.owners.contains(&who), Error::<T>::AlreadyOwner);
		ensure!(file.state == FileState::Active, Error::<T>::FileNotActive);
		ensure!((file.owners.len() as u32) < T::MaxFileOwners::get(), Error::<T>::TooManyOwners);
		ensure!(
			Self::active_lease(&who)?.free() >= file.stored_bytes(),
			Error::<T>::InsufficientLeaseSpace
		);
		let now = frame_system::Pallet::<T>::block_number();
		let deposit = match JoinRequests::<T>::get(file_id, &who) {
			Some(old) => {
				ensure!(now > old.deadline, Error::<T>::JoinPending);
				old.deposit
			},
			None => {
				let deposit = T::UploadDeposit::get();
				T::Currency::hold(&HoldReason::JoinRequest.into(), &who, deposit)
					.map_err(|_| Error::<T>::InsufficientJoinDeposit)?;
				deposit
			},
		};
		let deadline = now.saturating_add(T::JoinWindow::get());
		JoinRequests::<T>::insert(
			file_id,
			&who,
			JoinRequest { requested_at: now, deadline, deposit, entry },
		);
		Self::deposit_event(Event::JoinRequested { file_id, who, deadline });
		Ok(())
	}

	/// The leaves `who` must prove to join `file_id`, once the request block's hash is known
	/// (`None` before that, without a request, or if the file is gone).
	pub fn join_challenge(file_id: FileId, who: &T::AccountId) -> Option<Vec<Sample>> {
		let request = JoinRequests::<T>::get(file_id, who)?;
		if frame_system::Pallet::<T>::block_number() <= request.requested_at {
			return None;
		}
		let file = Files::<T>::get(file_id)?;
		let block_hash = frame_system::Pallet::<T>::block_hash(request.requested_at);
		let seed = join_seed(block_hash.as_ref(), &file_id, &who.encode());
		// Every column of the file is one holding of the same size class: the samples fall on
		// every stored byte with the same probability.
		let width = u16::try_from(file.profile.total()).ok()?;
		let columns: Vec<Holding> = (0..width)
			.map(|column| {
				HoldingEntry { file_id, column, size: file.size, profile: file.profile }
					.holding(T::SegmentSize::get())
			})
			.collect::<Option<_>>()?;
		let class = columns.first()?.class()?;
		let count = columns.len() as u32;
		let samples = expand(&seed, T::RestoralSamples::get(), &[(class, count)], |_, i| {
			columns.get(i as usize).copied()
		});
		(!samples.is_empty()).then_some(samples)
	}

	pub(crate) fn do_prove_join(
		who: T::AccountId,
		file_id: FileId,
		proof: &[u8],
	) -> DispatchResult {
		let request = JoinRequests::<T>::get(file_id, &who).ok_or(Error::<T>::NoJoinRequest)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > request.requested_at, Error::<T>::TooEarly);
		ensure!(now <= request.deadline, Error::<T>::JoinExpired);
		let mut file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let samples = Self::join_challenge(file_id, &who).ok_or(Error::<T>::UnknownFile)?;
		ensure!(possession::verify(&samples, proof).is_ok(), Error::<T>::BadJoinProof);
		ensure!(!file.owners.contains(&who), Error::<T>::AlreadyOwner);
		file.owners.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
		Self::charge_lease(&who, file.stored_bytes())?;
		Files::<T>::insert(file_id, file);
		JoinRequests::<T>::remove(file_id, &who);
		Self::release_join_deposit(&who, request.deposit);
		let entry = OwnedFile { since: now, ..request.entry };
		OwnedFiles::<T>::insert(&who, file_id, entry);
		Self::deposit_event(Event::OwnerAdded { file_id, owner: who });
		Ok(())
	}

	/// Withdraws `who`'s request to join `file_id`; `false` if it has none.
	pub(crate) fn withdraw_join(who: &T::AccountId, file_id: FileId) -> bool {
		let Some(request) = JoinRequests::<T>::take(file_id, who) else { return false };
		Self::release_join_deposit(who, request.deposit);
		Self::deposit_event(Event::JoinWithdrawn { file_id, who: who.clone() });
		true
	}

	fn release_join_deposit(who: &T::AccountId, deposit: crate::BalanceOf<T>) {
		let reason = HoldReason::JoinRequest.into();
		let _ = T::Currency::release(&reason, who, deposit, Precision::BestEffort);
	}
}
