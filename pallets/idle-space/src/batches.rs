//! Batch declaration and the generation check.

use crate::{
	Accounts, BalanceOf, BatchRecord, BatchState, Batches, Config, Error, Event, HoldReason,
	Pallet, Rejection, RoundSeeds,
};
use alloc::vec::Vec;
use cess_primitives::{
	idle::{self, GenSample, IdleBatch},
	traits::{AuditRounds, CreditReason, MinerCapacity, MinerPenalties, MinerRegistry},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		dispatch::Pays,
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, MutateHold},
			tokens::Precision,
			OnUnbalanced,
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Zero},
};

/// Credit lost for a failed or missed generation check.
pub const CHECK_FAIL_CREDIT: i32 = -50;

impl<T: Config> Pallet<T> {
	/// The 32 bytes standing for `who` in its idle files' seeds.
	pub fn miner_id(who: &T::AccountId) -> [u8; 32] {
		who.using_encoded(idle::miner_id)
	}

	/// The genesis hash bound into idle files' seeds.
	pub fn genesis() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	/// Bytes a miner keeps per idle file.
	pub fn file_bytes() -> u64 {
		T::Params::get().file_bytes()
	}

	/// Bytes of the live files of the verified batches among `batches`.
	pub fn live_idle_bytes(batches: &[BatchRecord]) -> u64 {
		let files: u64 =
			batches.iter().filter(|b| b.is_verified()).map(|b| u64::from(b.live)).sum();
		files.saturating_mul(Self::file_bytes())
	}

	/// The current audit round's number (0 before the first).
	pub(crate) fn round_index() -> u32 {
		T::Rounds::current().map_or(0, |r| r.index)
	}

	pub(crate) fn do_declare(who: T::AccountId, batch: IdleBatch) -> DispatchResult {
		ensure!(T::Miners::is_positive(&who), Error::<T>::NotPositive);
		ensure!(batch.is_well_formed(), Error::<T>::MalformedBatch);
		let mut account = Accounts::<T>::get(&who).unwrap_or_default();
		ensure!(batch.first == account.next_file, Error::<T>::WrongFirstFile);
		let mut batches = Batches::<T>::get(&who);
		ensure!(batches.len() < T::MaxBatches::get() as usize, Error::<T>::TooManyBatches);
		let pending = batches.iter().filter(|b| !b.is_verified()).count();
		ensure!(pending < T::MaxPendingBatches::get() as usize, Error::<T>::TooManyPending);
		let (declared, held) = T::Miners::capacity(&who).ok_or(Error::<T>::NotPositive)?;
		let fb = Self::file_bytes();
		let idle: u64 = batches.iter().map(|b| u64::from(b.live)).sum::<u64>().saturating_mul(fb);
		let needed = idle
			.saturating_add(account.reserve)
			.saturating_add(held)
			.saturating_add(u64::from(batch.count).saturating_mul(fb));
		ensure!(needed <= declared, Error::<T>::InsufficientCapacity);
		T::Currency::hold(&HoldReason::BatchDeposit.into(), &who, T::BatchDeposit::get())
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let round = Self::round_index();
		batches
			.try_push(BatchRecord::pending(batch, round))
			.map_err(|_| Error::<T>::TooManyBatches)?;
		account.next_file = batch.first.saturating_add(u64::from(batch.count));
		Batches::<T>::insert(&who, batches);
		Accounts::<T>::insert(&who, account);
		Self::deposit_event(Event::BatchDeclared {
			miner: who,
			batch,
			check_round: round.saturating_add(1),
		});
		Ok(())
	}

	/// Stores `who`'s batches, removing the entry when none is left.
	pub(crate) fn put_batches(who: &T::AccountId, batches: BoundedVec<BatchRecord, T::MaxBatches>) {
		if batches.is_empty() {
			Batches::<T>::remove(who);
		} else {
			Batches::<T>::insert(who, batches);
		}
	}

	/// The samples of the generation check of `record`'s batch, once drawn.
	pub fn check_samples(record: &BatchRecord) -> Option<Vec<GenSample>> {
		let BatchState::Pending { declared_in } = record.state else { return None };
		let seed = RoundSeeds::<T>::get(declared_in.saturating_add(1))?;
		let seed = idle::generation_seed(&seed, &record.batch.root);
		Some(idle::generation_challenge(
			&T::Params::get(),
			&seed,
			record.batch.count,
			T::GenerationSamples::get(),
		))
	}

	/// The generation check `who` has to answer for its batch starting at `first` (`None` if
	/// there is no such pending batch or its check is not drawn yet).
	pub fn generation_check(who: &T::AccountId, first: u64) -> Option<Vec<GenSample>> {
		let batches = Batches::<T>::get(who);
		Self::check_samples(batches.iter().find(|b| b.batch.first == first)?)
	}

	pub(crate) fn do_check(
		who: T::AccountId,
		first: u64,
		proof: &[u8],
	) -> DispatchResultWithPostInfo {
		let mut batches = Batches::<T>::get(&who);
		let at =
			batches.iter().position(|b| b.batch.first == first).ok_or(Error::<T>::UnknownBatch)?;
		let record = batches[at];
		let BatchState::Pending { declared_in } = record.state else {
			return Err(Error::<T>::AlreadyVerified.into());
		};
		let round = Self::round_index();
		ensure!(round > declared_in, Error::<T>::CheckNotDrawn);
		ensure!(
			round <= declared_in.saturating_add(T::CheckRounds::get()),
			Error::<T>::CheckExpired
		);
		let samples = Self::check_samples(&record).ok_or(Error::<T>::CheckNotDrawn)?;
		let passed = idle::verify_generation(
			&T::Params::get(),
			&Self::miner_id(&who),
			&Self::genesis(),
			&record.batch,
			&samples,
			proof,
		)
		.is_ok();
		if passed {
			batches[at].state = BatchState::Verified { in_round: round };
			let bytes = u64::from(record.batch.count).saturating_mul(Self::file_bytes());
			Batches::<T>::insert(&who, batches);
			Accounts::<T>::mutate(&who, |a| {
				let a = a.get_or_insert_with(Default::default);
				a.verified = a.verified.saturating_add(bytes);
			});
			Self::deposit_event(Event::BatchVerified { miner: who, first, bytes });
			Ok(Pays::No.into())
		} else {
			batches.remove(at);
			Self::put_batches(&who, batches);
			Self::reject(&who, first, Rejection::CheckFailed);
			Ok(Pays::Yes.into())
		}
	}

	/// The consequences of a rejected batch (already removed from `who`'s batches): its
	/// deposit is forfeited and credit lost.
	pub(crate) fn reject(who: &T::AccountId, first: u64, reason: Rejection) {
		let deposit = Self::forfeit_deposits(who, 1);
		T::Penalties::adjust_credit(who, CHECK_FAIL_CREDIT, CreditReason::GenerationCheckFailed);
		Self::deposit_event(Event::BatchRejected { miner: who.clone(), first, reason, deposit });
	}

	/// Slashes `batches` batch deposits of `who` to `OnSlash`; returns the amount.
	pub(crate) fn forfeit_deposits(who: &T::AccountId, batches: u32) -> BalanceOf<T> {
		let amount = T::BatchDeposit::get().saturating_mul(batches.into());
		if amount.is_zero() {
			return amount;
		}
		let (credit, _missing) =
			<T::Currency as BalancedHold<_>>::slash(&HoldReason::BatchDeposit.into(), who, amount);
		let slashed = polkadot_sdk::frame_support::traits::Imbalance::peek(&credit);
		T::OnSlash::on_unbalanced(credit);
		slashed
	}

	/// Releases `batches` batch deposits of `who`.
	pub(crate) fn release_deposits(who: &T::AccountId, batches: u32) {
		let amount = T::BatchDeposit::get().saturating_mul(batches.into());
		if amount.is_zero() {
			return;
		}
		if let Err(e) = T::Currency::release(
			&HoldReason::BatchDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		) {
			log::error!(target: crate::LOG_TARGET, "batch deposit not released: {e:?}");
		}
	}
}
