//! The per-miner holdings index (`count` + `index → (file, column)`, swap-remove), what other
//! pallets see of it, and the bounded background work of the hooks.

use crate::{
	Config, Error, ExpiredOwners, Files, HoldingCount, HoldingPosition, HoldingSince, Holdings,
	HoldingsVersion, LeavingMiners, OutstandingRestorals, Pallet, RestoralReason, WeightInfo,
};
use alloc::vec::Vec;
use cess_primitives::{
	layout::FileLayout,
	traits::StorageHoldings,
	types::{Column, FileId},
};
use polkadot_sdk::frame_support::pallet_prelude::*;
use polkadot_sdk::frame_system::{self, pallet_prelude::BlockNumberFor};

impl<T: Config> Pallet<T> {
	/// Appends `(file_id, column)` to `miner`'s holdings index.
	pub(crate) fn push_holding(
		miner: &T::AccountId,
		file_id: FileId,
		column: Column,
	) -> DispatchResult {
		let count = HoldingCount::<T>::get(miner);
		ensure!(count < T::MaxHoldingsPerMiner::get(), Error::<T>::TooManyHoldings);
		Holdings::<T>::insert(miner, count, (file_id, column));
		HoldingPosition::<T>::insert(file_id, column, count);
		HoldingCount::<T>::insert(miner, count + 1);
		if count == 0 {
			HoldingSince::<T>::insert(miner, frame_system::Pallet::<T>::block_number());
		}
		HoldingsVersion::<T>::mutate(miner, |v| *v = v.wrapping_add(1));
		Ok(())
	}

	/// Removes `(file_id, column)` from `miner`'s holdings index by moving the last entry into
	/// its slot. No-op if it is not there.
	pub(crate) fn remove_holding(miner: &T::AccountId, file_id: FileId, column: Column) {
		let Some(pos) = HoldingPosition::<T>::take(file_id, column) else { return };
		let count = HoldingCount::<T>::get(miner);
		let Some(last) = count.checked_sub(1) else { return };
		if pos != last {
			if let Some(moved) = Holdings::<T>::get(miner, last) {
				Holdings::<T>::insert(miner, pos, moved);
				HoldingPosition::<T>::insert(moved.0, moved.1, pos);
			}
		}
		Holdings::<T>::remove(miner, last);
		if last == 0 {
			HoldingCount::<T>::remove(miner);
			HoldingSince::<T>::remove(miner);
		} else {
			HoldingCount::<T>::insert(miner, last);
		}
		HoldingsVersion::<T>::mutate(miner, |v| *v = v.wrapping_add(1));
	}

	/// Makes `miner` hold column 0 of `count` stored files of four segments each (profile
	/// 2 + 1, `miner` holding every column), for other pallets' benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_hold(miner: &T::AccountId, count: u32) {
		use crate::{ColumnInfo, ColumnState, FileInfo, FileState};
		use cess_primitives::types::ErasureProfile;
		use codec::Encode;
		let profile = ErasureProfile::new(2, 1);
		let size = T::SegmentSize::get().saturating_mul(4);
		let layout = FileLayout::new(size, T::SegmentSize::get(), profile)
			.expect("four segments of the chain's size make a valid layout");
		let now = frame_system::Pallet::<T>::block_number();
		let column = ColumnInfo::<T> { miner: miner.clone(), state: ColumnState::Stored };
		for i in 0..count {
			let file_id = cess_primitives::merkle::blake2_256_parts(&[
				b"cess/benchmark-hold",
				&miner.encode(),
				&i.to_le_bytes(),
			]);
			let file = FileInfo::<T> {
				size,
				segments: layout.segment_count(),
				profile,
				column_bytes: layout.column_bytes(),
				uploader: miner.clone(),
				state: FileState::Active,
				declared_at: now,
				deadline: now,
				columns: BoundedVec::truncate_from(alloc::vec![column.clone(); 3]),
				owners: BoundedVec::truncate_from(alloc::vec![miner.clone()]),
			};
			Files::<T>::insert(file_id, file);
			Self::push_holding(miner, file_id, 0).expect("benchmark holdings fit");
		}
	}

	/// Spends up to `MaxHookWork` units on leaving miners' holdings (each becomes a restoral
	/// order) and then on expired leases (one file collected per unit).
	pub(crate) fn background_work() -> Weight {
		let mut budget = T::MaxHookWork::get();
		let mut orders = 0u32;
		let mut collected = 0u32;
		while budget > 0 {
			let Some((miner, reason)) = LeavingMiners::<T>::iter().next() else { break };
			let count = HoldingCount::<T>::get(&miner);
			if count == 0 {
				LeavingMiners::<T>::remove(&miner);
				continue;
			}
			if let Some((file_id, column)) = Holdings::<T>::get(&miner, count - 1) {
				Self::open_order(file_id, column, reason);
			} else {
				// An index hole cannot happen; drop the slot rather than loop forever.
				Holdings::<T>::remove(&miner, count - 1);
				HoldingCount::<T>::insert(&miner, count - 1);
			}
			orders += 1;
			budget -= 1;
		}
		while budget > 0 {
			let Some(owner) = ExpiredOwners::<T>::iter_keys().next() else { break };
			Self::collect_one(&owner);
			collected += 1;
			budget -= 1;
		}
		T::WeightInfo::background_base()
			.saturating_add(T::WeightInfo::leaving_holding().saturating_mul(orders.into()))
			.saturating_add(T::WeightInfo::collect_file().saturating_mul(collected.into()))
	}
}

impl<T: Config> StorageHoldings<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn holding_count(who: &T::AccountId) -> u32 {
		HoldingCount::<T>::get(who)
	}

	fn holding_at(who: &T::AccountId, index: u32) -> Option<(FileId, Column, FileLayout)> {
		let (file_id, column) = Holdings::<T>::get(who, index)?;
		let file = Files::<T>::get(file_id)?;
		let layout = FileLayout::new(file.size, T::SegmentSize::get(), file.profile).ok()?;
		Some((file_id, column, layout))
	}

	fn holdings_version(who: &T::AccountId) -> u32 {
		HoldingsVersion::<T>::get(who)
	}

	fn holding_since(who: &T::AccountId) -> Option<BlockNumberFor<T>> {
		HoldingSince::<T>::get(who)
	}

	fn miners_page(after: Option<&T::AccountId>, limit: u32) -> Vec<T::AccountId> {
		let iter = match after {
			Some(who) => HoldingCount::<T>::iter_keys_from(HoldingCount::<T>::hashed_key_for(who)),
			None => HoldingCount::<T>::iter_keys(),
		};
		iter.take(limit as usize).collect()
	}

	fn miner_leaving(who: &T::AccountId, forced: bool) {
		let reason = if forced { RestoralReason::ForcedExit } else { RestoralReason::MinerExit };
		LeavingMiners::<T>::insert(who, reason);
	}

	fn outstanding_restorals(who: &T::AccountId) -> u32 {
		OutstandingRestorals::<T>::get(who).saturating_add(HoldingCount::<T>::get(who))
	}
}

impl<T: Config> cess_primitives::traits::FileOwnership<T::AccountId> for Pallet<T> {
	fn is_owner(file: &FileId, who: &T::AccountId) -> bool {
		crate::OwnedFiles::<T>::contains_key(who, file)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Makes `who` an owner of `file` (an unnamed entry), for other pallets' benchmarks.
	pub fn benchmark_own_file(who: &T::AccountId, file: FileId) {
		let entry = crate::OwnedFile::<T> { name: Default::default(), bucket: Default::default() };
		crate::OwnedFiles::<T>::insert(who, file, entry);
	}
}
