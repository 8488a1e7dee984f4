//! Restoral orders: opened on losses, exits and forced exits; claimed by a positive miner;
//! completed with a PoDR² proof of leaves of the rebuilt column sampled from the claim block's
//! hash, verified in the runtime.

use crate::{
	ColumnInfo, ColumnState, Config, Error, Event, Files, HoldReason, HoldingEntry,
	OutstandingBytes, OutstandingRestorals, Pallet, RestoralClaim, RestoralOrder, RestoralOrders,
	RestoralReason, LOSS_REPORTED_CREDIT, RESTORAL_CREDIT, RESTORAL_LAPSED_CREDIT,
};
use alloc::vec::Vec;
use cess_primitives::{
	merkle::blake2_256_parts,
	possession::{self, challenge::expand_one, Sample},
	traits::{AuditClock, CreditReason, MinerPenalties, MinerRegistry},
	types::{Column, FileId},
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system::{self},
	sp_runtime::traits::Saturating,
};

/// Domain prefix of the restoral challenge seed.
const RESTORAL_DOMAIN: &[u8] = b"cess/restoral-challenge";

/// The seed of a restoral challenge: the claim block's hash bound to the file and column. The
/// hash is unknown when the claim is submitted, so the sampled leaves cannot be chosen in advance.
pub fn restoral_seed(claim_block_hash: &[u8], file_id: &FileId, column: Column) -> [u8; 32] {
	blake2_256_parts(&[RESTORAL_DOMAIN, claim_block_hash, file_id, &column.to_le_bytes()])
}

impl<T: Config> Pallet<T> {
	/// Opens a restoral order for a stored column: the holder's capacity and holdings entry are
	/// released. No-op unless the column is stored.
	pub(crate) fn open_order(file_id: FileId, column: Column, reason: RestoralReason) {
		let Some(mut file) = Files::<T>::get(file_id) else { return };
		let Some(col) = file.columns.get_mut(column as usize) else { return };
		if col.state != ColumnState::Stored {
			return;
		}
		col.state = ColumnState::Restoring;
		let lost_by = col.miner.clone();
		let column_bytes = file.column_bytes;
		Self::remove_holding(&lost_by, file_id, column);
		T::Miners::release_space(&lost_by, file.column_bytes);
		Files::<T>::insert(file_id, file);
		RestoralOrders::<T>::insert(
			(file_id, column),
			RestoralOrder {
				lost_by: lost_by.clone(),
				reason,
				opened_at: frame_system::Pallet::<T>::block_number(),
				claim: None,
				barred: None,
			},
		);
		OutstandingRestorals::<T>::mutate(&lost_by, |n| *n = n.saturating_add(1));
		OutstandingBytes::<T>::mutate(&lost_by, |b| *b = b.saturating_add(column_bytes));
		Self::deposit_event(Event::RestoralOrderOpened { file_id, column, lost_by, reason });
	}

	/// Removes an order (file removed): the claimant's lock and deposit (it did nothing wrong)
	/// and the loser's count are released. No-op if there is no order.
	pub(crate) fn close_order(file_id: FileId, column: Column, column_bytes: u64) {
		let Some(order) = RestoralOrders::<T>::take((file_id, column)) else { return };
		if let Some(claim) = order.claim {
			T::Miners::unlock_space(&claim.restorer, column_bytes);
			Self::release_claim_deposit(&claim);
		}
		Self::decrement_outstanding(&order.lost_by, column_bytes);
	}

	fn release_claim_deposit(claim: &RestoralClaim<T>) {
		let reason = HoldReason::RestoralClaim.into();
		let _ =
			T::Currency::release(&reason, &claim.restorer, claim.deposit, Precision::BestEffort);
	}

	/// Ends `claim`, which ran out on `order`: its lock is released, its deposit forfeited to the
	/// pallet account, its claimant loses credit and is barred from the order for a while.
	fn lapse(
		file_id: FileId,
		column: Column,
		order: &mut RestoralOrder<T>,
		claim: RestoralClaim<T>,
		column_bytes: u64,
	) {
		T::Miners::unlock_space(&claim.restorer, column_bytes);
		let forfeited = T::Currency::transfer_on_hold(
			&HoldReason::RestoralClaim.into(),
			&claim.restorer,
			&Self::account_id(),
			claim.deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default();
		T::Penalties::adjust_credit(
			&claim.restorer,
			RESTORAL_LAPSED_CREDIT,
			CreditReason::RestoralLapsed,
		);
		let barred_until = claim.deadline.saturating_add(T::RestoralBarPeriod::get());
		order.barred = Some((claim.restorer.clone(), barred_until));
		Self::deposit_event(Event::RestoralClaimLapsed {
			file_id,
			column,
			restorer: claim.restorer,
			forfeited,
			barred_until,
		});
	}

	fn decrement_outstanding(miner: &T::AccountId, column_bytes: u64) {
		OutstandingBytes::<T>::mutate_exists(miner, |b| {
			let left = b.unwrap_or(0).saturating_sub(column_bytes);
			*b = (left > 0).then_some(left);
		});
		OutstandingRestorals::<T>::mutate_exists(miner, |n| {
			let left = n.unwrap_or(0).saturating_sub(1);
			*n = (left > 0).then_some(left);
		});
	}

	pub(crate) fn do_report_loss(
		who: T::AccountId,
		file_id: FileId,
		column: Column,
	) -> DispatchResult {
		let file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let col = file.columns.get(column as usize).ok_or(Error::<T>::BadColumn)?;
		ensure!(col.miner == who, Error::<T>::NotColumnMiner);
		ensure!(col.state == ColumnState::Stored, Error::<T>::ColumnNotStored);
		// A column this round's challenge samples cannot be proven any more: the round fails.
		T::Rounds::loss_reported(&who, &file_id, column);
		Self::open_order(file_id, column, RestoralReason::SelfReported);
		T::Penalties::adjust_credit(&who, LOSS_REPORTED_CREDIT, CreditReason::LossReported);
		Ok(())
	}

	pub(crate) fn do_claim_restoral(
		who: T::AccountId,
		file_id: FileId,
		column: Column,
	) -> DispatchResult {
		let file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let mut order =
			RestoralOrders::<T>::get((file_id, column)).ok_or(Error::<T>::NoRestoralOrder)?;
		let now = frame_system::Pallet::<T>::block_number();
		let bar = T::RestoralBarPeriod::get();
		if let Some(claim) = &order.claim {
			ensure!(now > claim.deadline, Error::<T>::AlreadyClaimed);
			// Its own claim lapsed (not yet processed): the same bar applies.
			ensure!(
				claim.restorer != who || now > claim.deadline.saturating_add(bar),
				Error::<T>::ClaimBarred
			);
		}
		if let Some((barred, until)) = &order.barred {
			ensure!(*barred != who || now > *until, Error::<T>::ClaimBarred);
		}
		ensure!(T::Miners::is_positive(&who), Error::<T>::MinerNotPositive);
		ensure!(
			order.lost_by != who && !file.columns.iter().any(|c| c.miner == who),
			Error::<T>::HoldsColumnOfFile
		);
		let deposit = T::RestoralClaimDeposit::get();
		T::Currency::hold(&HoldReason::RestoralClaim.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientDeposit)?;
		T::Miners::lock_space(&who, file.column_bytes)
			.map_err(|_| Error::<T>::InsufficientMinerSpace)?;
		if let Some(expired) = order.claim.take() {
			Self::lapse(file_id, column, &mut order, expired, file.column_bytes);
		}
		let deadline = now.saturating_add(T::RestoralClaimPeriod::get());
		order.claim =
			Some(RestoralClaim { restorer: who.clone(), claimed_at: now, deadline, deposit });
		RestoralOrders::<T>::insert((file_id, column), order);
		Self::deposit_event(Event::RestoralClaimed { file_id, column, restorer: who, deadline });
		Ok(())
	}

	/// The leaves a claimant must prove, once the claim block's hash is known (`None` before
	/// that, or without a claim).
	pub fn restoral_challenge(file_id: FileId, column: Column) -> Option<Vec<Sample>> {
		let order = RestoralOrders::<T>::get((file_id, column))?;
		let claim = order.claim?;
		if frame_system::Pallet::<T>::block_number() <= claim.claimed_at {
			return None;
		}
		let file = Files::<T>::get(file_id)?;
		let entry = HoldingEntry { file_id, column, size: file.size, profile: file.profile };
		let holding = entry.holding(T::SegmentSize::get())?;
		let block_hash = frame_system::Pallet::<T>::block_hash(claim.claimed_at);
		let seed = restoral_seed(block_hash.as_ref(), &file_id, column);
		Some(expand_one(&seed, T::RestoralSamples::get(), &holding))
	}

	pub(crate) fn do_complete_restoral(
		who: T::AccountId,
		file_id: FileId,
		column: Column,
		proof: &[u8],
	) -> DispatchResult {
		let mut file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let column_bytes = file.column_bytes;
		let order =
			RestoralOrders::<T>::get((file_id, column)).ok_or(Error::<T>::NoRestoralOrder)?;
		let claim = order.claim.as_ref().ok_or(Error::<T>::NotClaimant)?;
		ensure!(claim.restorer == who, Error::<T>::NotClaimant);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > claim.claimed_at, Error::<T>::TooEarly);
		ensure!(now <= claim.deadline, Error::<T>::ClaimExpired);
		let samples =
			Self::restoral_challenge(file_id, column).ok_or(Error::<T>::NoRestoralOrder)?;
		ensure!(possession::verify(&samples, proof).is_ok(), Error::<T>::BadRestoralProof);
		let entry = HoldingEntry { file_id, column, size: file.size, profile: file.profile };
		Self::push_holding(&who, entry)?;
		T::Miners::commit_space(&who, file.column_bytes);
		file.columns[column as usize] =
			ColumnInfo { miner: who.clone(), state: ColumnState::Stored };
		// A pending upload whose other columns are all reported becomes active here.
		let activated = file.state == crate::FileState::Pending
			&& file.columns.iter().all(|c| c.state == ColumnState::Stored);
		if activated {
			file.state = crate::FileState::Active;
		}
		Files::<T>::insert(file_id, file);
		RestoralOrders::<T>::remove((file_id, column));
		Self::release_claim_deposit(claim);
		Self::decrement_outstanding(&order.lost_by, column_bytes);
		T::Penalties::adjust_credit(&who, RESTORAL_CREDIT, CreditReason::RestoralCompleted);
		Self::deposit_event(Event::RestoralCompleted { file_id, column, restorer: who });
		if activated {
			Self::deposit_event(Event::FileActive { file_id });
		}
		Ok(())
	}
}
