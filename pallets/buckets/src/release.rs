//! The release queue: the names of deleted and overwritten objects' extents are dropped in
//! `on_idle`, and a file whose last name goes is released in `file-bank`.

use crate::{
	Config, Event, Extent, FileRefs, Pallet, ReleaseBatch, ReleaseQueue, ReleaseQueueState,
	WeightInfo,
};
use alloc::vec::Vec;
use cess_primitives::{
	traits::{FileIndexTarget, FileOwnership, ReleaseError},
	types::FileId,
};
use polkadot_sdk::frame_support::{
	pallet_prelude::*,
	storage::{with_transaction, TransactionOutcome},
	weights::WeightMeter,
};

/// What dropping one name of a file did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dropped {
	/// Other names of the owner's still name the file.
	StillNamed,
	/// It was the last name, and `file-bank` had let the file go already.
	Dangling,
	/// It was the last name, and the owner gave the file up in `file-bank`.
	Released,
	/// It was the last name, and `file-bank` refused the release.
	Refused,
}

impl<T: Config> Pallet<T> {
	/// Queues the names of `extents` (of an object of `who`'s that is gone) for dropping.
	pub(crate) fn queue_release(who: &T::AccountId, extents: &[Extent]) {
		if extents.is_empty() {
			return;
		}
		// The extents are at most `MaxExtents`: nothing is truncated.
		let files =
			BoundedVec::truncate_from(extents.iter().map(|e| e.file_id).collect::<Vec<_>>());
		ReleaseQueueState::<T>::mutate(|state| {
			ReleaseQueue::<T>::insert(state.tail, ReleaseBatch { owner: who.clone(), files });
			state.tail = state.tail.saturating_add(1);
		});
	}

	/// Drops queued names, oldest first, while `limit` lasts; returns the weight spent, never
	/// more than `limit`.
	///
	/// A file is taken only if the rest of `limit` covers [`WeightInfo::release_one`] plus
	/// `file-bank`'s release weight (it may be the last name), and the queue's state write;
	/// opening a batch costs one more [`WeightInfo::release_one`] (measured with a batch of
	/// `MaxExtents` files). A file that was not released costs only its
	/// [`WeightInfo::release_one`].
	pub(crate) fn drain_release_queue(limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		let mut meter = WeightMeter::with_limit(limit);
		if meter.try_consume(db.reads(1)).is_err() {
			return Weight::zero();
		}
		let mut state = ReleaseQueueState::<T>::get();
		if state.head == state.tail {
			return meter.consumed();
		}
		let step = T::WeightInfo::release_one();
		let file_at_most = step.saturating_add(T::Files::release_weight());
		// What the next file may cost, with the state's write reserved.
		let next_file = file_at_most.saturating_add(db.writes(1));
		let start = state;
		while state.head < state.tail {
			if !meter.can_consume(step.saturating_add(next_file)) {
				break;
			}
			meter.consume(step);
			let Some(batch) = ReleaseQueue::<T>::get(state.head) else {
				log::error!(target: crate::LOG_TARGET, "release batch {} is missing", state.head);
				state.head = state.head.saturating_add(1);
				state.next_file = 0;
				continue;
			};
			while let Some(file) = batch.files.get(state.next_file as usize) {
				if !meter.can_consume(next_file) {
					break;
				}
				let dropped = Self::drop_name(&batch.owner, file);
				meter.consume(match dropped {
					Dropped::Released | Dropped::Refused => file_at_most,
					Dropped::StillNamed | Dropped::Dangling => step,
				});
				state.next_file = state.next_file.saturating_add(1);
			}
			if (state.next_file as usize) < batch.files.len() {
				break;
			}
			ReleaseQueue::<T>::remove(state.head);
			state.head = state.head.saturating_add(1);
			state.next_file = 0;
		}
		if state != start {
			meter.consume(db.writes(1));
			ReleaseQueueState::<T>::put(state);
		}
		meter.consumed()
	}

	/// Drops one of `owner`'s names of `file`. At the last, `owner` gives the file up in
	/// `file-bank` if it still owns it; a refusal leaves the file owned and is reported by
	/// [`Event::FileReleaseFailed`] (whatever the release changed is rolled back).
	pub(crate) fn drop_name(owner: &T::AccountId, file: &FileId) -> Dropped {
		let refs = FileRefs::<T>::get(owner, file).saturating_sub(1);
		if refs > 0 {
			FileRefs::<T>::insert(owner, file, refs);
			return Dropped::StillNamed;
		}
		FileRefs::<T>::remove(owner, file);
		if !<T::Files as FileOwnership<T::AccountId>>::is_owner(file, owner) {
			return Dropped::Dangling;
		}
		let outcome = with_transaction::<_, DispatchError, _>(|| {
			let result = <T::Files as FileIndexTarget<T::AccountId, Weight>>::release(file, owner);
			if result.is_ok() {
				TransactionOutcome::Commit(Ok(result))
			} else {
				TransactionOutcome::Rollback(Ok(result))
			}
		});
		let reason = match outcome {
			Ok(Ok(())) => {
				Self::deposit_event(Event::FileReleased { owner: owner.clone(), file_id: *file });
				return Dropped::Released;
			},
			Ok(Err(reason)) => reason,
			// Only past the nesting limit of storage layers, which a hook does not reach.
			Err(_) => ReleaseError::Referenced,
		};
		log::warn!(
			target: crate::LOG_TARGET,
			"file-bank refused to release a file no object names: {reason:?}"
		);
		Self::deposit_event(Event::FileReleaseFailed {
			owner: owner.clone(),
			file_id: *file,
			reason,
		});
		Dropped::Refused
	}
}
