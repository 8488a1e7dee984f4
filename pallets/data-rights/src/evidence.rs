//! The evidence log: a ring of `MaxEvidence` records per file, paged through the runtime API.

use crate::{
	Action, BalanceOf, Config, Evidence, EvidenceCount, EvidencePage, EvidenceRecord, Pallet,
};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	frame_system::{self, pallet_prelude::BlockNumberFor},
};

impl<T: Config> Pallet<T> {
	/// Appends a record to `file`'s log.
	pub(crate) fn log(
		file: FileId,
		action: Action,
		actor: &T::AccountId,
		counterpart: Option<&T::AccountId>,
		amount: BalanceOf<T>,
	) {
		let seq = EvidenceCount::<T>::get(file);
		let record = EvidenceRecord {
			seq,
			block: frame_system::Pallet::<T>::block_number(),
			action,
			actor: actor.clone(),
			counterpart: counterpart.cloned(),
			amount,
		};
		Evidence::<T>::insert(file, seq % T::MaxEvidence::get(), record);
		EvidenceCount::<T>::insert(file, seq.wrapping_add(1));
	}

	/// Up to `limit` (at most `MaxEvidence`) records of `file`'s log from `start` on.
	pub fn evidence_page(
		file: FileId,
		start: u32,
		limit: u32,
	) -> EvidencePage<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
		let max = T::MaxEvidence::get();
		let total = EvidenceCount::<T>::get(file);
		let first_kept = total.saturating_sub(max);
		let from = start.max(first_kept);
		let to = from.saturating_add(limit.min(max)).min(total);
		let records = (from..to).filter_map(|seq| Evidence::<T>::get(file, seq % max)).collect();
		EvidencePage { total, first_kept, records }
	}
}
