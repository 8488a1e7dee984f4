//! Verified capacity behind placement, and the conversion of idle files to service space.

use crate::{Accounts, BatchState, Batches, Config, Event, HoldReason, Pallet, WeightInfo};
use cess_primitives::traits::VerifiedCapacity;
use polkadot_sdk::frame_support::traits::{fungible::MutateHold, tokens::Precision, Get};

impl<T: Config> Pallet<T> {
	/// Bytes of new data `who` can take: converted space not holding data plus live idle files
	/// of verified batches.
	pub fn assignable_bytes(who: &T::AccountId) -> u64 {
		let Some(account) = Accounts::<T>::get(who) else { return 0 };
		Self::live_idle_bytes(&Batches::<T>::get(who)).saturating_add(account.reserve)
	}
}

impl<T: Config> VerifiedCapacity<T::AccountId> for Pallet<T> {
	fn assignable(who: &T::AccountId) -> Option<u64> {
		T::EnforceVerifiedCapacity::get().then(|| Self::assignable_bytes(who))
	}

	fn assign(who: &T::AccountId, bytes: u64) {
		let Some(mut account) = Accounts::<T>::get(who) else { return };
		let fb = Self::file_bytes().max(1);
		let short = bytes.saturating_sub(account.reserve);
		let round = Self::round_index();
		let mut converted = 0u32;
		if short > 0 {
			// Convert whole files from the end: the last verified batch's last live files.
			let mut files = u32::try_from(short.div_ceil(fb)).unwrap_or(u32::MAX);
			let mut batches = Batches::<T>::get(who);
			for record in batches.iter_mut().rev().filter(|b| b.is_verified()) {
				if files == 0 {
					break;
				}
				let taken = record.convert(files, round);
				files -= taken;
				converted += taken;
			}
			if converted > 0 {
				Batches::<T>::insert(who, batches);
			}
		}
		let converted_bytes = u64::from(converted).saturating_mul(fb);
		account.reserve = account.reserve.saturating_add(converted_bytes);
		let taken = bytes.min(account.reserve);
		account.reserve -= taken;
		account.service = account.service.saturating_add(taken);
		Accounts::<T>::insert(who, account);
		if converted > 0 {
			Self::deposit_event(Event::IdleConverted {
				miner: who.clone(),
				files: converted,
				bytes: converted_bytes,
				round,
			});
		}
	}

	fn unassign(who: &T::AccountId, bytes: u64) {
		Accounts::<T>::mutate(who, |maybe| {
			if let Some(account) = maybe {
				let back = bytes.min(account.service);
				account.service -= back;
				account.reserve = account.reserve.saturating_add(back);
			}
		});
	}

	fn removal_weight() -> (u64, u64) {
		// Like a swept miner's worst case: the batch vector read, deposits slashed and
		// released, the records removed.
		let w = T::WeightInfo::sweep_miner();
		(w.ref_time(), w.proof_size())
	}

	fn miner_removed(who: &T::AccountId) {
		// A batch whose check is drawn and not proved goes with its deposit: leaving does not
		// dodge a check the miner could not pass.
		let round = Self::round_index();
		let dodged = Batches::<T>::take(who)
			.iter()
			.filter(
				|b| matches!(b.state, BatchState::Pending { declared_in } if round > declared_in),
			)
			.count() as u32;
		Self::forfeit_deposits(who, dodged);
		Accounts::<T>::remove(who);
		if let Err(e) =
			T::Currency::release_all(&HoldReason::BatchDeposit.into(), who, Precision::BestEffort)
		{
			log::error!(target: crate::LOG_TARGET, "batch deposits not released: {e:?}");
		}
	}
}
