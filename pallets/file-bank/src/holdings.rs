//! Each miner's holdings, indexed per size class and kept as of the current audit round's start
//! ([`Versioned`]), what other pallets see of them, and the bounded background work of the hooks.
//!
//! Per miner: [`HoldingClasses`] (holdings per class) and [`Holdings`] (`(class, index) →
//! entry`, dense in `0..count` per class, swap-remove), both versioned; [`HoldingPosition`]
//! finds a column's slot. A change during round `r` keeps the value it replaces as the round's
//! snapshot, so the audit samples what was held when `r` started (PODR2.md, "Snapshot"). Slots
//! past a class's count keep their last snapshot until reused; there are at most as many as the
//! miner's largest number of holdings in that class.

use crate::{
	Config, Error, ExpiredOwners, HoldingClasses, HoldingEntry, HoldingPosition, HoldingSince,
	Holdings, LeavingMiners, OutstandingRestorals, Pallet, RestoralReason, Versioned, WeightInfo,
};
use alloc::vec::Vec;
use cess_primitives::{
	layout::FileLayout,
	possession::{challenge::class_of, Holding},
	traits::{AuditClock, StorageHoldings},
	types::{Column, FileId},
};
use polkadot_sdk::frame_support::pallet_prelude::*;
use polkadot_sdk::frame_system::{self, pallet_prelude::BlockNumberFor};

impl HoldingEntry {
	/// The holding the audit samples, with the chain's segment size.
	pub fn holding(&self, segment_size: u64) -> Option<Holding> {
		let layout = FileLayout::new(self.size, segment_size, self.profile).ok()?;
		Some(Holding { file_id: self.file_id, column: self.column, layout })
	}
}

/// Holdings of `class` in `counts` (0 if the class is not listed).
fn class_count(counts: &[(u8, u32)], class: u8) -> u32 {
	counts.iter().find(|(q, _)| *q == class).map_or(0, |(_, n)| *n)
}

impl<T: Config> Pallet<T> {
	/// The size class of a column of `file` (`None` for a layout the chain never accepts).
	pub(crate) fn class_of_entry(entry: &HoldingEntry) -> Option<u8> {
		class_of(entry.holding(T::SegmentSize::get())?.leaves())
	}

	/// Number of columns `miner` holds now.
	pub fn holding_count(miner: &T::AccountId) -> u32 {
		HoldingClasses::<T>::get(miner).now.iter().map(|(_, n)| *n).sum()
	}

	fn set_count(miner: &T::AccountId, round: u32, class: u8, count: u32) {
		HoldingClasses::<T>::mutate_exists(miner, |slot| {
			let mut v = slot.take().unwrap_or_default();
			let mut counts = v.now.clone();
			match counts.binary_search_by_key(&class, |(q, _)| *q) {
				Ok(i) if count == 0 => {
					counts.remove(i);
				},
				Ok(i) => counts[i].1 = count,
				Err(i) if count > 0 => {
					// At most MAX_CLASS distinct classes exist, so this always fits.
					let _ = counts.try_insert(i, (class, count));
				},
				Err(_) => {},
			}
			v.set(round, counts);
			*slot = v.into_stored(round, |counts| counts.is_empty());
		});
	}

	fn set_slot(
		miner: &T::AccountId,
		round: u32,
		class: u8,
		index: u32,
		entry: Option<HoldingEntry>,
	) {
		Holdings::<T>::mutate((miner, class, index), |slot| {
			let mut v = slot.take().unwrap_or_default();
			v.set(round, entry);
			*slot = v.into_stored(round, Option::is_none);
		});
	}

	/// Appends `(file_id, column)` of a file of `size` bytes and `profile` to `miner`'s holdings.
	pub(crate) fn push_holding(miner: &T::AccountId, entry: HoldingEntry) -> DispatchResult {
		let counts = HoldingClasses::<T>::get(miner).now;
		let total: u32 = counts.iter().map(|(_, n)| *n).sum();
		ensure!(total < T::MaxHoldingsPerMiner::get(), Error::<T>::TooManyHoldings);
		let class = Self::class_of_entry(&entry).ok_or(Error::<T>::BadFileSize)?;
		let round = T::Rounds::current_round();
		let count = class_count(&counts, class);
		Self::set_slot(miner, round, class, count, Some(entry));
		HoldingPosition::<T>::insert(entry.file_id, entry.column, (class, count));
		if total == 0 {
			HoldingSince::<T>::insert(miner, frame_system::Pallet::<T>::block_number());
		}
		Self::set_count(miner, round, class, count + 1);
		Ok(())
	}

	/// Removes `(file_id, column)` from `miner`'s holdings by moving its class's last entry into
	/// its slot. No-op if it is not there. The round's snapshot keeps the removed entry.
	pub(crate) fn remove_holding(miner: &T::AccountId, file_id: FileId, column: Column) {
		let Some((class, pos)) = HoldingPosition::<T>::take(file_id, column) else { return };
		let counts = HoldingClasses::<T>::get(miner).now;
		let total: u32 = counts.iter().map(|(_, n)| *n).sum();
		let count = class_count(&counts, class);
		let Some(last) = count.checked_sub(1) else { return };
		let round = T::Rounds::current_round();
		if pos != last {
			if let Some(moved) = Holdings::<T>::get((miner, class, last)).and_then(|v| v.now) {
				Self::set_slot(miner, round, class, pos, Some(moved));
				HoldingPosition::<T>::insert(moved.file_id, moved.column, (class, pos));
			}
		}
		Self::set_slot(miner, round, class, last, None);
		Self::set_count(miner, round, class, last);
		if total == 1 {
			T::Rounds::holdings_emptying(miner);
			HoldingSince::<T>::remove(miner);
		}
	}

	/// One of `miner`'s current holdings (the last of its highest class), if any.
	pub(crate) fn last_holding(miner: &T::AccountId) -> Option<HoldingEntry> {
		let &(class, count) = HoldingClasses::<T>::get(miner).now.last()?;
		Holdings::<T>::get((miner, class, count.checked_sub(1)?))?.now
	}

	/// `miner`'s current holdings from the `start`-th on (classes ascending, then index), at most
	/// `limit` (≤ [`crate::runtime_api::MAX_PAGE`]) of them ([`crate::runtime_api::FileBankApi`]).
	pub fn holdings_page(miner: &T::AccountId, start: u32, limit: u32) -> Vec<(FileId, Column)> {
		let limit = limit.min(crate::runtime_api::MAX_PAGE);
		let mut out = Vec::new();
		let mut skip = start;
		for (class, count) in HoldingClasses::<T>::get(miner).now {
			if skip >= count {
				skip -= count;
				continue;
			}
			for i in skip..count {
				if out.len() as u32 >= limit {
					return out;
				}
				if let Some(e) = Holdings::<T>::get((miner, class, i)).and_then(|v| v.now) {
					out.push((e.file_id, e.column));
				}
			}
			skip = 0;
		}
		out
	}

	/// Makes `miner` hold column 0 of `count` stored files, each the deepest a chain of this
	/// segment size takes per segment (profile 1 + 31, fragments of a whole segment) with `64 + i`
	/// segments of all-zero data, so their ids are real roots and proofs verify; for other
	/// pallets' benchmarks. Returns the files' ids.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_hold(miner: &T::AccountId, count: u32) -> Vec<FileId> {
		use crate::{ColumnInfo, ColumnState, FileInfo, FileState, Files};
		use cess_primitives::{possession::uniform, types::ErasureProfile};
		let profile = ErasureProfile::new(1, 31);
		let now = frame_system::Pallet::<T>::block_number();
		let column = ColumnInfo::<T> { miner: miner.clone(), state: ColumnState::Stored };
		let fragment = uniform::zero_fragment_hash(T::SegmentSize::get());
		(0..count)
			.map(|i| {
				let segments = 64 + i;
				let size = T::SegmentSize::get().saturating_mul(segments.into());
				let layout = FileLayout::new(size, T::SegmentSize::get(), profile)
					.expect("whole segments of the chain's size make a valid layout");
				let (file_id, _) = uniform::uniform_file(fragment, segments * profile.total());
				let file = FileInfo::<T> {
					size,
					segments,
					profile,
					column_bytes: layout.column_bytes(),
					uploader: miner.clone(),
					state: FileState::Active,
					declared_at: now,
					deadline: now,
					columns: BoundedVec::truncate_from(alloc::vec![column.clone(); 32]),
					owners: BoundedVec::truncate_from(alloc::vec![miner.clone()]),
				};
				Files::<T>::insert(file_id, file);
				let entry = HoldingEntry { file_id, column: 0, size, profile };
				Self::push_holding(miner, entry).expect("benchmark holdings fit");
				file_id
			})
			.collect()
	}

	/// Spends up to `MaxHookWork` units, taking turns, on leaving miners' holdings (each becomes
	/// a restoral order) and on expired leases (one file collected per unit): one exiting miner
	/// with many holdings does not hold up the collection of expired leases, nor the reverse.
	pub(crate) fn background_work() -> Weight {
		let mut budget = T::MaxHookWork::get();
		let (mut orders, mut collected) = (0u32, 0u32);
		let (mut leaving, mut expired) = (true, true);
		while budget > 0 && (leaving || expired) {
			if leaving {
				leaving = Self::leaving_step();
				if leaving {
					orders += 1;
					budget -= 1;
				}
			}
			if expired && budget > 0 {
				match ExpiredOwners::<T>::iter_keys().next() {
					Some(owner) => {
						Self::collect_one(&owner);
						collected += 1;
						budget -= 1;
					},
					None => expired = false,
				}
			}
		}
		T::WeightInfo::background_base()
			.saturating_add(T::WeightInfo::leaving_holding().saturating_mul(orders.into()))
			.saturating_add(T::WeightInfo::collect_file().saturating_mul(collected.into()))
	}

	/// Turns one holding of a leaving miner into a restoral order (dropping the miners with
	/// none left); `false` when no leaving miner holds anything.
	fn leaving_step() -> bool {
		while let Some((miner, reason)) = LeavingMiners::<T>::iter().next() {
			let Some(entry) = Self::last_holding(&miner) else {
				LeavingMiners::<T>::remove(&miner);
				continue;
			};
			Self::open_order(entry.file_id, entry.column, reason);
			// An entry whose file is gone cannot become an order: drop it rather than loop.
			Self::remove_holding(&miner, entry.file_id, entry.column);
			return true;
		}
		false
	}
}

impl<T: Config> StorageHoldings<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn holding_count(who: &T::AccountId) -> u32 {
		Pallet::<T>::holding_count(who)
	}

	fn snapshot_classes(who: &T::AccountId, round: u32) -> Vec<(u8, u32)> {
		HoldingClasses::<T>::get(who).at(round).to_vec()
	}

	fn snapshot_holding(who: &T::AccountId, round: u32, class: u8, index: u32) -> Option<Holding> {
		let slot: Versioned<Option<HoldingEntry>> = Holdings::<T>::get((who, class, index))?;
		slot.at(round).as_ref()?.holding(T::SegmentSize::get())
	}

	fn holding_since(who: &T::AccountId) -> Option<BlockNumberFor<T>> {
		HoldingSince::<T>::get(who)
	}

	fn miners_page(after: Option<&T::AccountId>, limit: u32) -> Vec<T::AccountId> {
		let iter = match after {
			Some(who) => HoldingSince::<T>::iter_keys_from(HoldingSince::<T>::hashed_key_for(who)),
			None => HoldingSince::<T>::iter_keys(),
		};
		iter.take(limit as usize).collect()
	}

	fn miner_leaving(who: &T::AccountId, forced: bool) {
		let reason = if forced { RestoralReason::ForcedExit } else { RestoralReason::MinerExit };
		LeavingMiners::<T>::insert(who, reason);
	}

	fn outstanding_bytes(who: &T::AccountId) -> u64 {
		crate::OutstandingBytes::<T>::get(who)
	}

	fn outstanding_restorals(who: &T::AccountId) -> u32 {
		OutstandingRestorals::<T>::get(who).saturating_add(Self::holding_count(who))
	}
}

impl<T: Config> cess_primitives::traits::FileOwnership<T::AccountId> for Pallet<T> {
	fn is_owner(file: &FileId, who: &T::AccountId) -> bool {
		crate::OwnedFiles::<T>::contains_key(who, file)
	}

	fn content_claim(
		file: &FileId,
		who: &T::AccountId,
	) -> Option<cess_primitives::traits::ContentClaim> {
		use polkadot_sdk::sp_runtime::SaturatedConversion;
		crate::OwnedFiles::<T>::get(who, file).map(|entry| cess_primitives::traits::ContentClaim {
			since: entry.since.saturated_into(),
			commitment: entry.commitment,
		})
	}
}

impl<T: Config> cess_primitives::traits::FileIndexTarget<T::AccountId, Weight> for Pallet<T> {
	fn release(
		file: &FileId,
		who: &T::AccountId,
	) -> Result<(), cess_primitives::traits::ReleaseError> {
		use cess_primitives::traits::ReleaseError;
		if !crate::OwnedFiles::<T>::contains_key(who, file) {
			return Err(ReleaseError::NotOwner);
		}
		if Self::ensure_unnamed(who, file).is_err() {
			return Err(ReleaseError::Referenced);
		}
		Self::remove_owner(who, file);
		Ok(())
	}

	fn release_weight() -> Weight {
		T::WeightInfo::delete_file()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Makes `who` the uploader and owner of `file` (an unnamed entry of an active file with no
	/// columns, declared now with `commitment`), for other pallets' benchmarks.
	pub fn benchmark_own_file(
		who: &T::AccountId,
		file: FileId,
		commitment: Option<cess_primitives::types::Hash256>,
	) {
		let entry = crate::OwnedFile::<T> {
			name: Default::default(),
			bucket: Default::default(),
			since: frame_system::Pallet::<T>::block_number(),
			commitment,
		};
		crate::OwnedFiles::<T>::insert(who, file, entry);
		let info = crate::FileInfo::<T> {
			size: 1,
			segments: 1,
			profile: cess_primitives::types::ErasureProfile::new(1, 1),
			column_bytes: 0,
			uploader: who.clone(),
			state: crate::FileState::Active,
			declared_at: Default::default(),
			deadline: Default::default(),
			columns: Default::default(),
			owners: BoundedVec::truncate_from(alloc::vec![who.clone()]),
		};
		crate::Files::<T>::insert(file, info);
	}
}
