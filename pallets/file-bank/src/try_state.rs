//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{
	BalanceOf, ColumnState, Config, FileState, Files, HoldReason, HoldingClasses, HoldingPosition,
	HoldingSince, Holdings, JoinRequests, Leases, OutstandingBytes, OutstandingRestorals,
	OwnedFiles, OwnershipOffers, Pallet, ReleaseChanges, ReleaseRate, RestoralOrders, SpareMiners,
	TransferDeadlines, Unplaced, Unreleased, UploadDeposits,
};
use alloc::collections::BTreeMap;
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{Inspect, InspectHold},
			Get,
		},
	},
	sp_runtime::{
		traits::{Saturating, Zero},
		TryRuntimeError,
	},
};

impl<T: Config> Pallet<T> {
	/// Checks that:
	/// * every lease's usage is the sum of its owner's files and within its size;
	/// * owners and owned-file entries match;
	/// * every miner's holdings are dense per size class, in the right class, point at stored
	///   columns of that miner, and every stored column is held exactly once; the snapshot of the
	///   current round has the same shape (every slot below its class count filled);
	/// * restoring columns and open orders match one to one, and the per-miner outstanding counts
	///   equal the orders; every claimant's hold is the sum of its claims' deposits; ownership
	///   offers are made by owners of existing files;
	/// * active files have every column stored; files still to be placed have no columns and
	///   are queued; every pending file sits in the bucket of its deadline (none dropped);
	/// * upload deposits exist exactly for files not yet active, and each uploader's hold is
	///   their sum.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut lease_use: BTreeMap<T::AccountId, (u64, u32)> = BTreeMap::new();
		let mut stored_columns = 0u64;
		let unplaced = Unplaced::<T>::get();
		for (file_id, file) in Files::<T>::iter() {
			if file.state == FileState::Placing {
				ensure!(file.columns.is_empty(), "columns of a file not placed yet");
				ensure!(unplaced.contains(&file_id), "a placing file not queued for placement");
			} else {
				ensure!(file.columns.len() as u32 == file.profile.total(), "column count ≠ k + m");
			}
			for owner in &file.owners {
				ensure!(OwnedFiles::<T>::contains_key(owner, file_id), "owner without entry");
				let e = lease_use.entry(owner.clone()).or_default();
				e.0 += file.stored_bytes();
				e.1 += 1;
			}
			for (index, col) in file.columns.iter().enumerate() {
				let column = index as u16;
				match col.state {
					ColumnState::Stored => {
						stored_columns += 1;
						let pos = HoldingPosition::<T>::get(file_id, column)
							.ok_or("stored column not indexed")?;
						let entry =
							Holdings::<T>::get((&col.miner, pos.0, pos.1)).and_then(|v| v.now);
						ensure!(
							entry.is_some_and(|e| (e.file_id, e.column) == (file_id, column)),
							"holding position points elsewhere"
						);
					},
					ColumnState::Restoring => ensure!(
						RestoralOrders::<T>::contains_key((file_id, column)),
						"restoring column without an order"
					),
					ColumnState::Assigned { .. } => {
						ensure!(
							file.state == FileState::Pending,
							"assigned column in an active file"
						)
					},
				}
			}
		}
		for (owner, file_id, entry) in OwnedFiles::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("entry for a missing file")?;
			ensure!(file.owners.contains(&owner), "entry of a non-owner");
			ensure!(entry.since >= file.declared_at, "an owner's content claim predates the file");
		}
		for (owner, lease) in Leases::<T>::iter() {
			let (used, files) = lease_use.remove(&owner).unwrap_or_default();
			ensure!(lease.used == used, "lease usage ≠ its files");
			ensure!(lease.files == files, "lease file count ≠ its files");
			ensure!(lease.used <= lease.size(), "lease over-used");
		}
		ensure!(lease_use.is_empty(), "files owned without a lease");
		let mut indexed = 0u64;
		let round =
			<T::Rounds as cess_primitives::traits::AuditClock<T::AccountId>>::current_round();
		for (miner, classes) in HoldingClasses::<T>::iter() {
			for versioned_counts in [&classes.now, classes.at(round)] {
				ensure!(
					versioned_counts.windows(2).all(|w| w[0].0 < w[1].0),
					"classes not ascending"
				);
				ensure!(versioned_counts.iter().all(|(_, n)| *n > 0), "zero class count stored");
			}
			for &(class, count) in classes.now.iter() {
				for i in 0..count {
					let slot = Holdings::<T>::get((&miner, class, i)).ok_or("hole in holdings")?;
					let e = slot.now.ok_or("vacated slot below the count")?;
					ensure!(Self::class_of_entry(&e) == Some(class), "holding in the wrong class");
					let file = Files::<T>::get(e.file_id).ok_or("holding of a missing file")?;
					ensure!(
						(file.size, file.profile) == (e.size, e.profile),
						"holding shape differs"
					);
					let col =
						file.columns.get(e.column as usize).ok_or("holding of a bad column")?;
					ensure!(
						col.miner == miner && col.state == ColumnState::Stored,
						"stale holding"
					);
					ensure!(
						HoldingPosition::<T>::get(e.file_id, e.column) == Some((class, i)),
						"position differs"
					);
				}
				indexed += u64::from(count);
			}
			for &(class, count) in classes.at(round).iter() {
				for i in 0..count {
					let slot = Holdings::<T>::get((&miner, class, i)).ok_or("hole in snapshot")?;
					ensure!(slot.at(round).is_some(), "vacated slot in the snapshot");
				}
			}
			ensure!(
				classes.now.is_empty() != HoldingSince::<T>::contains_key(&miner),
				"start block ≠ having data"
			);
		}
		ensure!(indexed == stored_columns, "holdings count ≠ stored columns");
		for miner in HoldingSince::<T>::iter_keys() {
			ensure!(Self::holding_count(&miner) > 0, "start block of a miner without data");
		}
		let mut outstanding: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut outstanding_bytes: BTreeMap<T::AccountId, u64> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for ((file_id, column), order) in RestoralOrders::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("order for a missing file")?;
			let col = file.columns.get(column as usize).ok_or("order for a bad column")?;
			ensure!(col.state == ColumnState::Restoring, "order for a column not restoring");
			*outstanding.entry(order.lost_by.clone()).or_default() += 1;
			*outstanding_bytes.entry(order.lost_by).or_default() += file.column_bytes;
			if let Some(claim) = order.claim {
				let held = deposits.entry(claim.restorer).or_default();
				*held = held.saturating_add(claim.deposit);
			}
		}
		// Every claimant's hold is the sum of its claims' deposits.
		Self::ensure_holds(HoldReason::RestoralClaim, &deposits, "claim deposits ≠ the hold")?;
		let mut upload_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (file_id, deposit) in UploadDeposits::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("deposit of a missing upload")?;
			ensure!(file.state != FileState::Active, "deposit of an active file");
			let held = upload_deposits.entry(file.uploader).or_default();
			*held = held.saturating_add(deposit);
		}
		Self::ensure_holds(
			HoldReason::UploadDeposit,
			&upload_deposits,
			"upload deposits ≠ the hold",
		)?;
		// Every join request's deposit is held, and its window is the configured one.
		let mut join_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, who, request) in JoinRequests::<T>::iter() {
			ensure!(
				request.deadline == request.requested_at.saturating_add(T::JoinWindow::get()),
				"a join request's window is not JoinWindow"
			);
			let held = join_deposits.entry(who).or_default();
			*held = held.saturating_add(request.deposit);
		}
		Self::ensure_holds(HoldReason::JoinRequest, &join_deposits, "join deposits ≠ the hold")?;
		for (file_id, file) in Files::<T>::iter() {
			if file.state != FileState::Active {
				ensure!(UploadDeposits::<T>::contains_key(file_id), "upload without its deposit");
			}
			if file.state == FileState::Pending {
				ensure!(
					TransferDeadlines::<T>::get(file.deadline).contains(&file_id),
					"a pending upload outside its deadline bucket"
				);
			}
		}
		// Every daily release that started ends, and the account holds what is unreleased.
		let (started, ended) = ReleaseChanges::<T>::iter_values()
			.fold((ReleaseRate::<T>::get(), BalanceOf::<T>::zero()), |(s, e), (a, b)| {
				(s.saturating_add(a), e.saturating_add(b))
			});
		ensure!(started == ended, "a lease payment's release never ends");
		ensure!(
			T::Currency::balance(&Self::account_id()) >= Unreleased::<T>::get(),
			"the pallet account holds less than the unreleased lease payments"
		);
		for (file_id, spares) in SpareMiners::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("spares of a missing upload")?;
			ensure!(file.state == FileState::Pending, "spares of an upload not pending");
			ensure!(!spares.is_empty(), "an empty spare list is kept");
		}
		for (file_id, from, to) in OwnershipOffers::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("offer of a missing file")?;
			ensure!(file.owners.contains(&from), "offer by a non-owner");
			ensure!(from != to, "offer to the owner itself");
		}
		for (miner, bytes) in OutstandingBytes::<T>::iter() {
			ensure!(outstanding_bytes.remove(&miner) == Some(bytes), "outstanding bytes ≠ orders");
		}
		ensure!(outstanding_bytes.is_empty(), "orders missing from the outstanding bytes");
		for (miner, n) in OutstandingRestorals::<T>::iter() {
			ensure!(outstanding.remove(&miner) == Some(n), "outstanding count ≠ orders");
		}
		ensure!(outstanding.is_empty(), "orders missing from the outstanding counts");
		Ok(())
	}

	/// Checks that each account's hold for `reason` is the sum given for it.
	fn ensure_holds(
		reason: HoldReason,
		sums: &BTreeMap<T::AccountId, BalanceOf<T>>,
		error: &'static str,
	) -> Result<(), TryRuntimeError> {
		let reason: T::RuntimeHoldReason = reason.into();
		for (who, sum) in sums {
			ensure!(T::Currency::balance_on_hold(&reason, who) == *sum, error);
		}
		Ok(())
	}
}
