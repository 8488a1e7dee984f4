//! The release queue: names of deleted and overwritten objects' extents are dropped in
//! `on_idle`, within its weight.

use super::*;
use crate::{Event, QueueState, ReleaseQueueState, WeightInfo};
use cess_primitives::traits::FileReferences;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{RuntimeDbWeight, Weight},
};

fn db() -> RuntimeDbWeight {
	<Test as polkadot_sdk::frame_system::Config>::DbWeight::get()
}

/// The weight of a file's step, and of a step that releases the file.
fn step() -> (Weight, Weight) {
	let step = <() as WeightInfo>::release_one();
	(step, step + RELEASE_WEIGHT)
}

/// What `on_idle` needs to take `files` files of one batch, each of them released.
fn weight_for(batches: u64, files: u64) -> Weight {
	let db = db();
	let (step, most) = step();
	db.reads(1) + step * batches + most * files + db.writes(1)
}

/// An object of `n` files of Alice's, deleted: one batch of `n` files in the queue.
fn queue_one_object(n: u8) {
	create(ALICE, "docs");
	let list: Vec<(FileId, u64)> = (1..=n).map(|i| (file(i), 1)).collect();
	for &(f, _) in &list {
		own(ALICE, f);
	}
	assert_ok!(put_object(ALICE, "docs", "a", &list, ""));
	assert_ok!(delete(ALICE, "docs", "a"));
}

#[test]
fn files_are_released_in_on_idle_as_far_as_its_weight_goes() {
	build_and_execute(|| {
		queue_one_object(5);
		assert!(released().is_empty());
		assert_eq!(ReleaseQueueState::<Test>::get(), QueueState { head: 0, tail: 1, next_file: 0 });
		// Too little for one file: nothing happens, the queue stays.
		let limit = weight_for(1, 1) - Weight::from_parts(1, 0);
		assert!(idle(limit).all_lte(limit));
		assert!(released().is_empty());
		assert_eq!(ReleaseQueueState::<Test>::get(), QueueState { head: 0, tail: 1, next_file: 0 });
		assert_eq!([1, 2, 3, 4, 5].map(|n| refs(ALICE, file(n))), [1; 5]);
		// Enough for two of five: exactly the first two, and never more than given.
		let limit = weight_for(1, 2) + RELEASE_WEIGHT / 2;
		let spent = idle(limit);
		assert_eq!(spent, weight_for(1, 2));
		assert_eq!(released(), vec![(file(1), ALICE), (file(2), ALICE)]);
		assert_eq!(ReleaseQueueState::<Test>::get(), QueueState { head: 0, tail: 1, next_file: 2 });
		assert_eq!([1, 2, 3, 4, 5].map(|n| refs(ALICE, file(n))), [0, 0, 1, 1, 1]);
		System::assert_last_event(Event::FileReleased { owner: ALICE, file_id: file(2) }.into());
		// Enough for the rest.
		assert_eq!(idle(Weight::MAX), weight_for(1, 3));
		assert_eq!(released().len(), 5);
		assert_eq!(ReleaseQueueState::<Test>::get(), QueueState { head: 1, tail: 1, next_file: 0 });
		assert_eq!(crate::ReleaseQueue::<Test>::iter().count(), 0);
	});
}

#[test]
fn each_deleted_object_is_a_batch() {
	build_and_execute(|| {
		create(ALICE, "docs");
		for n in 1..=4 {
			own(ALICE, file(n));
			assert_ok!(put(ALICE, "docs", &format!("k{n}"), file(n)));
		}
		for n in 1..=4 {
			assert_ok!(delete(ALICE, "docs", &format!("k{n}")));
		}
		assert_eq!(queued(), 4);
		// Two batches of one file each.
		assert_eq!(idle(weight_for(2, 2)), weight_for(2, 2));
		assert_eq!(released(), vec![(file(1), ALICE), (file(2), ALICE)]);
		assert_eq!(ReleaseQueueState::<Test>::get(), QueueState { head: 2, tail: 4, next_file: 0 });
		drain();
		assert_eq!(released().len(), 4);
	});
}

#[test]
fn a_file_named_again_before_the_queue_reaches_it_is_not_released() {
	build_and_execute(|| {
		create(ALICE, "docs");
		own(ALICE, file(1));
		assert_ok!(put(ALICE, "docs", "a", file(1)));
		assert_ok!(delete(ALICE, "docs", "a"));
		// Queued, so still counted: file-bank keeps refusing to delete it.
		assert_eq!(<Buckets as FileReferences<u64>>::references(&ALICE, &file(1)), 1);
		assert_ok!(put(ALICE, "docs", "b", file(1)));
		assert_eq!(refs(ALICE, file(1)), 2);
		// A step that releases nothing costs no release weight.
		let db = db();
		let (step, _) = step();
		assert_eq!(idle(Weight::MAX), db.reads(1) + step * 2 + db.writes(1));
		assert!(released().is_empty());
		assert!(is_owned(ALICE, file(1)));
		assert_eq!(refs(ALICE, file(1)), 1);
		assert_eq!(queued(), 0);
	});
}

#[test]
fn an_empty_queue_costs_a_read() {
	build_and_execute(|| {
		let db = db();
		assert_eq!(idle(Weight::MAX), db.reads(1));
		assert_eq!(idle(Weight::zero()), Weight::zero());
		queue_one_object(1);
		assert_eq!(idle(Weight::zero()), Weight::zero());
		assert_eq!(queued(), 1);
	});
}

#[test]
fn the_queue_drains_over_blocks_in_order() {
	build_and_execute(|| {
		queue_one_object(MAX_EXTENTS as u8);
		own(BOB, file(42));
		create(BOB, "bobs");
		assert_ok!(put(BOB, "bobs", "x", file(42)));
		assert_ok!(delete(BOB, "bobs", "x"));
		// One file a block.
		let mut blocks = 0;
		while queued() > 0 {
			assert!(idle(weight_for(1, 1)).all_lte(weight_for(1, 1)));
			blocks += 1;
		}
		assert_eq!(blocks, MAX_EXTENTS + 1);
		let mut expected: Vec<(FileId, u64)> =
			(1..=MAX_EXTENTS as u8).map(|n| (file(n), ALICE)).collect();
		expected.push((file(42), BOB));
		assert_eq!(released(), expected);
	});
}
