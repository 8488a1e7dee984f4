//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{
	ColumnState, Config, FileState, Files, HoldingCount, HoldingPosition, HoldingSince, Holdings,
	Leases, OutstandingRestorals, OwnedFiles, Pallet, RestoralOrders,
};
use alloc::collections::BTreeMap;
use polkadot_sdk::{frame_support::ensure, sp_runtime::TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks that:
	/// * every lease's usage is the sum of its owner's files and within its size;
	/// * owners and owned-file entries match;
	/// * every holdings index is dense, points at stored columns of that miner, and every stored
	///   column is indexed exactly once;
	/// * restoring columns and open orders match one to one, and the per-miner outstanding counts
	///   equal the orders;
	/// * active files have every column stored.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut lease_use: BTreeMap<T::AccountId, (u64, u32)> = BTreeMap::new();
		let mut stored_columns = 0u64;
		for (file_id, file) in Files::<T>::iter() {
			ensure!(file.columns.len() as u32 == file.profile.total(), "column count ≠ k + m");
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
						ensure!(
							Holdings::<T>::get(&col.miner, pos) == Some((file_id, column)),
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
		for (owner, file_id, _) in OwnedFiles::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("entry for a missing file")?;
			ensure!(file.owners.contains(&owner), "entry of a non-owner");
		}
		for (owner, lease) in Leases::<T>::iter() {
			let (used, files) = lease_use.remove(&owner).unwrap_or_default();
			ensure!(lease.used == used, "lease usage ≠ its files");
			ensure!(lease.files == files, "lease file count ≠ its files");
			ensure!(lease.used <= lease.size(), "lease over-used");
		}
		ensure!(lease_use.is_empty(), "files owned without a lease");
		let mut indexed = 0u64;
		for (miner, count) in HoldingCount::<T>::iter() {
			ensure!(count > 0, "zero holding count stored");
			for i in 0..count {
				let (file_id, column) = Holdings::<T>::get(&miner, i).ok_or("hole in holdings")?;
				let file = Files::<T>::get(file_id).ok_or("holding of a missing file")?;
				let col = file.columns.get(column as usize).ok_or("holding of a bad column")?;
				ensure!(col.miner == miner && col.state == ColumnState::Stored, "stale holding");
				ensure!(HoldingPosition::<T>::get(file_id, column) == Some(i), "position differs");
			}
			ensure!(!Holdings::<T>::contains_key(&miner, count), "entry past the holdings count");
			ensure!(HoldingSince::<T>::contains_key(&miner), "miner with data but no start block");
			indexed += u64::from(count);
		}
		ensure!(indexed == stored_columns, "holdings count ≠ stored columns");
		for miner in HoldingSince::<T>::iter_keys() {
			ensure!(HoldingCount::<T>::contains_key(&miner), "start block of a miner without data");
		}
		let mut outstanding: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for ((file_id, column), order) in RestoralOrders::<T>::iter() {
			let file = Files::<T>::get(file_id).ok_or("order for a missing file")?;
			let col = file.columns.get(column as usize).ok_or("order for a bad column")?;
			ensure!(col.state == ColumnState::Restoring, "order for a column not restoring");
			*outstanding.entry(order.lost_by).or_default() += 1;
		}
		for (miner, n) in OutstandingRestorals::<T>::iter() {
			ensure!(outstanding.remove(&miner) == Some(n), "outstanding count ≠ orders");
		}
		ensure!(outstanding.is_empty(), "orders missing from the outstanding counts");
		Ok(())
	}
}
