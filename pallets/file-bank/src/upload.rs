//! Uploads: declaration and placement, transfer reports, missed deadlines, ownership and
//! deletion.

use crate::{
	lease::SCHEDULE_SPREAD, AllowedProfiles, BalanceOf, ColumnInfo, ColumnState, Config,
	DeadlineCursor, Error, Event, FileInfo, FileState, Files, HoldReason, OwnedFile, OwnedFiles,
	OwnershipOffers, Pallet, SpareMiners, TransferDeadlines, Unplaced, UploadDeposits, WeightInfo,
};
use alloc::vec::Vec;
use cess_primitives::{
	layout::FileLayout,
	traits::{acceptance_message, FileReferences, MinerRegistry},
	types::{Column, ErasureProfile, FileId},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		storage::with_storage_layer,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Verify, Zero},
};

/// Transfer-deadline buckets read per block at most (empty ones included).
pub(crate) const MAX_DEADLINE_BUCKETS: u32 = 16;

impl<T: Config> Pallet<T> {
	/// The layout of a declared file, if its size, segment count and profile are acceptable.
	pub(crate) fn check_declaration(
		size: u64,
		segments: u32,
		profile: ErasureProfile,
	) -> Result<FileLayout, DispatchError> {
		ensure!(size > 0 && size <= T::MaxFileSize::get(), Error::<T>::BadFileSize);
		ensure!(AllowedProfiles::<T>::get().contains(&profile), Error::<T>::ProfileNotAllowed);
		let layout = FileLayout::new(size, T::SegmentSize::get(), profile)
			.map_err(|_| Error::<T>::BadFileSize)?;
		ensure!(layout.segment_count() == segments, Error::<T>::SegmentCountMismatch);
		Ok(layout)
	}

	/// Declares a new upload of `file_id` (no file has this id).
	pub(crate) fn declare_upload(
		who: T::AccountId,
		file_id: FileId,
		layout: FileLayout,
		entry: OwnedFile<T>,
	) -> DispatchResult {
		let (size, segments, profile) = (layout.size, layout.segment_count(), layout.profile);
		Self::charge_lease(&who, layout.stored_bytes())?;
		Unplaced::<T>::try_mutate(|queue| queue.try_push(file_id))
			.map_err(|_| Error::<T>::ScheduleFull)?;
		let deposit = T::UploadDeposit::get();
		T::Currency::hold(&HoldReason::UploadDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientUploadDeposit)?;
		UploadDeposits::<T>::insert(file_id, deposit);
		let owners = BoundedVec::truncate_from(alloc::vec![who.clone()]);
		Files::<T>::insert(
			file_id,
			FileInfo {
				size,
				segments,
				profile,
				column_bytes: layout.column_bytes(),
				uploader: who.clone(),
				state: FileState::Placing,
				declared_at: frame_system::Pallet::<T>::block_number(),
				deadline: Zero::zero(),
				columns: BoundedVec::new(),
				owners,
			},
		);
		OwnedFiles::<T>::insert(&who, file_id, entry);
		Self::deposit_event(Event::UploadDeclared { file_id, owner: who });
		Ok(())
	}

	/// Places the uploads declared in the previous block, from this block's randomness (BABE's
	/// VRF output of the previous block: unknown to whoever signed a declaration in it).
	pub fn place_declared(n: BlockNumberFor<T>) -> Weight {
		let queue = Unplaced::<T>::take();
		let mut weight = T::DbWeight::get().reads_writes(1, 1);
		if queue.is_empty() {
			return weight;
		}
		let each = T::WeightInfo::place_upload(
			T::Miners::positive_count().min(T::PlacementCandidates::get()),
		);
		for file_id in queue {
			weight = weight.saturating_add(each);
			let Some(file) = Files::<T>::get(file_id) else { continue };
			if file.state != FileState::Placing {
				continue;
			}
			if with_storage_layer(|| Self::place(file_id, file.clone(), n)).is_err() {
				Self::fail_upload(file_id, file);
			}
		}
		weight
	}

	/// Draws the miners of `file` (declared, `Placing`) and schedules its transfer deadline;
	/// changes nothing on error (run in a storage layer).
	fn place(file_id: FileId, mut file: FileInfo<T>, n: BlockNumberFor<T>) -> DispatchResult {
		let seed = Self::upload_seed(&file_id, &file.uploader);
		let (miners, spares) = Self::pick_miners_and_spares(
			seed,
			file.profile.total(),
			T::SpareMiners::get(),
			file.column_bytes,
			&[],
		)?;
		let deadline =
			Self::schedule_deadline(file_id, n.saturating_add(T::TransferDeadline::get()))?;
		// Last: nothing below fails, so the registry never holds a stray lock.
		for miner in &miners {
			T::Miners::lock_space(miner, file.column_bytes)
				.map_err(|_| Error::<T>::NotEnoughMiners)?;
		}
		file.columns = miners
			.iter()
			.map(|m| ColumnInfo { miner: m.clone(), state: ColumnState::Assigned { attempts: 1 } })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::BadColumn)?;
		file.state = FileState::Pending;
		file.deadline = deadline;
		Files::<T>::insert(file_id, file);
		if !spares.is_empty() {
			SpareMiners::<T>::insert(file_id, BoundedVec::truncate_from(spares));
		}
		Self::deposit_event(Event::UploadPlaced {
			file_id,
			miners: BoundedVec::truncate_from(miners),
			deadline,
		});
		Ok(())
	}

	/// Moves an unreported column of `file_id` to the first of its spare miners that still takes
	/// data and holds no other column of the file (the uploader's remedy for a miner it cannot
	/// reach: no waiting for the deadline, no blame on the miner).
	pub(crate) fn do_use_spare(
		who: T::AccountId,
		file_id: FileId,
		column: Column,
	) -> DispatchResult {
		let mut file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		ensure!(file.uploader == who, Error::<T>::NotUploader);
		ensure!(file.state == FileState::Pending, Error::<T>::FileNotPending);
		let col = file.columns.get(column as usize).ok_or(Error::<T>::BadColumn)?;
		let ColumnState::Assigned { attempts } = col.state else {
			return Err(Error::<T>::AlreadyReported.into());
		};
		let from = col.miner.clone();
		let mut spares = SpareMiners::<T>::get(file_id).unwrap_or_default();
		let mut to = None;
		while !spares.is_empty() {
			let candidate = spares.remove(0);
			let free = T::Miners::is_positive(&candidate)
				&& !file.columns.iter().any(|c| c.miner == candidate);
			if free && T::Miners::lock_space(&candidate, file.column_bytes).is_ok() {
				to = Some(candidate);
				break;
			}
		}
		let to = to.ok_or(Error::<T>::NoSpareMiner)?;
		T::Miners::unlock_space(&from, file.column_bytes);
		file.columns[column as usize] = ColumnInfo {
			miner: to.clone(),
			state: ColumnState::Assigned { attempts: attempts.saturating_add(1) },
		};
		let deadline = file.deadline;
		Files::<T>::insert(file_id, file);
		if spares.is_empty() {
			SpareMiners::<T>::remove(file_id);
		} else {
			SpareMiners::<T>::insert(file_id, spares);
		}
		Self::deposit_event(Event::ColumnReassigned { file_id, column, from, to, deadline });
		Ok(())
	}

	/// Puts `file_id` in the first deadline bucket from `at` with room; returns its block.
	pub(crate) fn schedule_deadline(
		file_id: FileId,
		at: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		for offset in 0..=SCHEDULE_SPREAD {
			let block = at.saturating_add(offset.into());
			if TransferDeadlines::<T>::mutate(block, |b| b.try_push(file_id).is_ok()) {
				return Ok(block);
			}
		}
		Err(Error::<T>::ScheduleFull.into())
	}

	pub(crate) fn do_transfer_report(
		who: T::AccountId,
		file_id: FileId,
		column: Column,
		acceptance: T::AcceptanceSignature,
	) -> DispatchResult {
		let mut file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let col = file.columns.get(column as usize).ok_or(Error::<T>::BadColumn)?;
		ensure!(col.miner == who, Error::<T>::NotColumnMiner);
		ensure!(matches!(col.state, ColumnState::Assigned { .. }), Error::<T>::AlreadyReported);
		ensure!(T::Miners::is_positive(&who), Error::<T>::MinerNotPositive);
		let message = acceptance_message(&file_id, column, &who.encode());
		ensure!(acceptance.verify(&message[..], &file.uploader), Error::<T>::BadAcceptance);
		Self::push_holding(
			&who,
			crate::HoldingEntry { file_id, column, size: file.size, profile: file.profile },
		)?;
		T::Miners::commit_space(&who, file.column_bytes);
		file.columns[column as usize].state = ColumnState::Stored;
		let active = file.columns.iter().all(|c| c.state == ColumnState::Stored);
		if active {
			file.state = FileState::Active;
			Self::release_upload_deposit(&file_id, &file.uploader);
			SpareMiners::<T>::remove(file_id);
		}
		Files::<T>::insert(file_id, file);
		Self::deposit_event(Event::ColumnReported { file_id, column, miner: who });
		if active {
			Self::deposit_event(Event::FileActive { file_id });
		}
		Ok(())
	}

	/// Handles the uploads whose transfer deadline has come, oldest bucket first, within
	/// `MaxHookWork` columns per block (an upload larger than the whole budget is handled alone).
	/// A file leaves its bucket only when handled, so a deadline the budget cannot reach this
	/// block is handled in a later one, never dropped. At most `MAX_DEADLINE_BUCKETS` buckets
	/// are read per block.
	pub(crate) fn process_deadlines(n: BlockNumberFor<T>) -> Weight {
		let full = T::MaxHookWork::get();
		let mut budget = full;
		let mut weight = T::WeightInfo::deadlines_base();
		let mut at = DeadlineCursor::<T>::get().unwrap_or(n);
		let mut buckets = 0;
		while at <= n && buckets < MAX_DEADLINE_BUCKETS {
			buckets += 1;
			let mut due = TransferDeadlines::<T>::get(at);
			let mut handled = 0;
			for file_id in due.iter() {
				let file = Files::<T>::get(file_id)
					.filter(|f| f.state == FileState::Pending && f.deadline == at);
				let missed = file.as_ref().map_or(0, |f| {
					f.columns
						.iter()
						.filter(|c| matches!(c.state, ColumnState::Assigned { .. }))
						.count() as u32
				});
				if missed > budget && budget < full {
					break;
				}
				budget = budget.saturating_sub(missed);
				handled += 1;
				if let Some(file) = file {
					let abandoned = !file.columns.iter().any(|c| c.state == ColumnState::Stored);
					weight = weight.saturating_add(if abandoned {
						T::WeightInfo::abandon_upload()
					} else {
						T::WeightInfo::reassign_column().saturating_mul(missed.into())
					});
					Self::handle_missed_deadline(*file_id, file);
				}
			}
			weight = weight.saturating_add(T::DbWeight::get().reads_writes(1, 1));
			if handled < due.len() {
				due.drain(..handled);
				TransferDeadlines::<T>::insert(at, due);
				break;
			}
			TransferDeadlines::<T>::remove(at);
			at = at.saturating_add(1u32.into());
		}
		DeadlineCursor::<T>::put(at);
		weight
	}

	/// A deadline passed with columns still assigned. None reported: the upload is abandoned
	/// (its deposit goes to the assigned miners). Otherwise the data evidently exists and each
	/// missing column moves to another miner, up to `MaxTransferAttempts` per column; the late
	/// miner, given no proven chance to take the data, is not penalised (an unreachable miner
	/// loses credit to the probes).
	fn handle_missed_deadline(file_id: FileId, mut file: FileInfo<T>) {
		if !file.columns.iter().any(|c| c.state == ColumnState::Stored) {
			Self::fail_upload(file_id, file);
			return;
		}
		// A backlogged bucket is handled late: the new miners get a full period from now.
		let n = frame_system::Pallet::<T>::block_number();
		// Each reassigned column draws from the previous column's seed, chained by its index.
		let mut seed = Self::placement_seed(&(b"reassign", file_id, n).encode());
		let new_deadline = n.saturating_add(T::TransferDeadline::get());
		let mut reassigned = Vec::new();
		let mut failed = false;
		for index in 0..file.columns.len() {
			let ColumnState::Assigned { attempts } = file.columns[index].state else { continue };
			let late = file.columns[index].miner.clone();
			T::Miners::unlock_space(&late, file.column_bytes);
			let exclude: Vec<T::AccountId> = file.columns.iter().map(|c| c.miner.clone()).collect();
			let replacement = if !failed && u32::from(attempts) < T::MaxTransferAttempts::get() {
				seed = cess_primitives::merkle::blake2_256_parts(&[&seed, &[index as u8]]);
				Self::pick_miners(seed, 1, file.column_bytes, &exclude)
					.ok()
					.and_then(|m| m.into_iter().next())
					.filter(|m| T::Miners::lock_space(m, file.column_bytes).is_ok())
			} else {
				None
			};
			match replacement {
				Some(to) => {
					file.columns[index] = ColumnInfo {
						miner: to.clone(),
						state: ColumnState::Assigned { attempts: attempts + 1 },
					};
					reassigned.push((index as Column, late, to));
				},
				None => {
					// The late miner's lock is released above: mark the column so that failing
					// the upload does not release it twice (no order exists for it).
					file.columns[index].state = ColumnState::Restoring;
					failed = true;
				},
			}
		}
		if failed {
			Self::fail_upload(file_id, file);
			return;
		}
		match Self::schedule_deadline(file_id, new_deadline) {
			Ok(at) => file.deadline = at,
			Err(_) => {
				// No room to schedule the next deadline: release the new assignments as well.
				Self::fail_upload(file_id, file);
				return;
			},
		}
		let deadline = file.deadline;
		Files::<T>::insert(file_id, file);
		for (column, from, to) in reassigned {
			Self::deposit_event(Event::ColumnReassigned { file_id, column, from, to, deadline });
		}
	}

	/// Removes an upload that cannot complete (pending, or not placeable): its deposit is
	/// settled, assigned columns are unlocked, reported ones released, every owner's lease
	/// reservation returned.
	fn fail_upload(file_id: FileId, file: FileInfo<T>) {
		Self::settle_upload_deposit(&file_id, &file);
		SpareMiners::<T>::remove(file_id);
		Self::release_columns(file_id, &file);
		for owner in &file.owners {
			OwnedFiles::<T>::remove(owner, file_id);
			Self::release_lease(owner, file.stored_bytes());
		}
		Files::<T>::remove(file_id);
		Self::deposit_event(Event::UploadFailed { file_id });
	}

	/// Ends the deposit of an upload that is removed before it was active: forfeited, shared
	/// equally, to the miners its columns are assigned to if none of them reported (the
	/// uploader delivered nothing while they kept room), else returned to the uploader.
	fn settle_upload_deposit(file_id: &FileId, file: &FileInfo<T>) {
		let Some(deposit) = UploadDeposits::<T>::get(file_id) else { return };
		let assigned: Vec<&T::AccountId> = file
			.columns
			.iter()
			.filter(|c| matches!(c.state, ColumnState::Assigned { .. }))
			.map(|c| &c.miner)
			.collect();
		let delivered = file.columns.iter().any(|c| c.state == ColumnState::Stored);
		if delivered || assigned.is_empty() {
			Self::release_upload_deposit(file_id, &file.uploader);
			return;
		}
		UploadDeposits::<T>::remove(file_id);
		let share = deposit / BalanceOf::<T>::from(assigned.len() as u32);
		let mut forfeited = BalanceOf::<T>::zero();
		for miner in assigned {
			forfeited = forfeited.saturating_add(
				T::Currency::transfer_on_hold(
					&HoldReason::UploadDeposit.into(),
					&file.uploader,
					miner,
					share,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Force,
				)
				.unwrap_or_default(),
			);
		}
		// The rounding remainder goes back.
		let _ = T::Currency::release(
			&HoldReason::UploadDeposit.into(),
			&file.uploader,
			deposit.saturating_sub(forfeited),
			Precision::BestEffort,
		);
		Self::deposit_event(Event::UploadAbandoned {
			file_id: *file_id,
			uploader: file.uploader.clone(),
			forfeited,
		});
	}

	/// Returns the deposit of `file_id` (active now, or failed through no fault of its
	/// uploader).
	fn release_upload_deposit(file_id: &FileId, uploader: &T::AccountId) {
		if let Some(deposit) = UploadDeposits::<T>::take(file_id) {
			let _ = T::Currency::release(
				&HoldReason::UploadDeposit.into(),
				uploader,
				deposit,
				Precision::BestEffort,
			);
		}
	}

	/// Returns every column's capacity to its miner and closes the file's restoral orders.
	fn release_columns(file_id: FileId, file: &FileInfo<T>) {
		for (index, col) in file.columns.iter().enumerate() {
			match col.state {
				ColumnState::Assigned { .. } => {
					T::Miners::unlock_space(&col.miner, file.column_bytes)
				},
				ColumnState::Stored => {
					Self::remove_holding(&col.miner, file_id, index as Column);
					T::Miners::release_space(&col.miner, file.column_bytes);
				},
				ColumnState::Restoring => {
					Self::close_order(file_id, index as Column, file.column_bytes);
				},
			}
		}
	}

	pub(crate) fn do_delete_file(who: T::AccountId, file_id: FileId) -> DispatchResult {
		if Self::withdraw_join(&who, file_id) {
			return Ok(());
		}
		ensure!(Files::<T>::contains_key(file_id), Error::<T>::UnknownFile);
		ensure!(OwnedFiles::<T>::contains_key(&who, file_id), Error::<T>::NotOwner);
		Self::ensure_unnamed(&who, &file_id)?;
		Self::remove_owner(&who, &file_id);
		Ok(())
	}

	/// Refuses while object keys of `owner` (in `buckets`) name `file_id`.
	pub(crate) fn ensure_unnamed(owner: &T::AccountId, file_id: &FileId) -> DispatchResult {
		ensure!(T::References::references(owner, file_id) == 0, Error::<T>::FileNamedByObjects);
		Ok(())
	}

	/// Removes `who`'s ownership of `file_id` (which it owns); the last owner removes the file.
	pub(crate) fn remove_owner(who: &T::AccountId, file_id: &FileId) {
		OwnedFiles::<T>::remove(who, file_id);
		OwnershipOffers::<T>::remove(file_id, who);
		let Some(mut file) = Files::<T>::get(file_id) else { return };
		Self::release_lease(who, file.stored_bytes());
		file.owners.retain(|o| o != who);
		Self::deposit_event(Event::OwnerRemoved { file_id: *file_id, owner: who.clone() });
		if !file.owners.is_empty() {
			Files::<T>::insert(file_id, file);
			return;
		}
		Self::settle_upload_deposit(file_id, &file);
		SpareMiners::<T>::remove(file_id);
		Self::release_columns(*file_id, &file);
		Files::<T>::remove(file_id);
		let miners =
			BoundedVec::truncate_from(file.columns.iter().map(|c| c.miner.clone()).collect());
		Self::deposit_event(Event::FileRemoved { file_id: *file_id, miners });
	}

	pub(crate) fn do_offer_ownership(
		who: T::AccountId,
		file_id: FileId,
		to: T::AccountId,
	) -> DispatchResult {
		ensure!(who != to, Error::<T>::SelfTransfer);
		let file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		ensure!(OwnedFiles::<T>::contains_key(&who, file_id), Error::<T>::NotOwner);
		Self::ensure_unnamed(&who, &file_id)?;
		ensure!(file.state == FileState::Active, Error::<T>::FileNotActive);
		ensure!(!file.owners.contains(&to), Error::<T>::AlreadyOwner);
		OwnershipOffers::<T>::insert(file_id, &who, &to);
		Self::deposit_event(Event::OwnershipOffered { file_id, from: who, to });
		Ok(())
	}

	pub(crate) fn do_accept_ownership(
		who: T::AccountId,
		file_id: FileId,
		from: T::AccountId,
	) -> DispatchResult {
		ensure!(
			OwnershipOffers::<T>::get(file_id, &from).as_ref() == Some(&who),
			Error::<T>::NoOwnershipOffer
		);
		let mut file = Files::<T>::get(file_id).ok_or(Error::<T>::UnknownFile)?;
		let entry = OwnedFiles::<T>::get(&from, file_id).ok_or(Error::<T>::NotOwner)?;
		Self::ensure_unnamed(&from, &file_id)?;
		ensure!(!file.owners.contains(&who), Error::<T>::AlreadyOwner);
		Self::charge_lease(&who, file.stored_bytes())?;
		Self::release_lease(&from, file.stored_bytes());
		for owner in file.owners.iter_mut() {
			if *owner == from {
				*owner = who.clone();
			}
		}
		if file.uploader == from {
			file.uploader = who.clone();
		}
		Files::<T>::insert(file_id, file);
		OwnershipOffers::<T>::remove(file_id, &from);
		OwnedFiles::<T>::remove(&from, file_id);
		OwnedFiles::<T>::insert(&who, file_id, entry);
		Self::deposit_event(Event::OwnershipTransferred { file_id, from, to: who });
		Ok(())
	}
}
