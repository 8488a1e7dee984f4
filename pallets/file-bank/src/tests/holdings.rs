//! The holdings snapshot: a round's challenge is drawn from the holdings as of the round's start,
//! whatever deletions, loss reports and new columns happen during it.

use super::*;
use crate::{HoldingClasses, Holdings};
use cess_primitives::{
	possession::{challenge_seed, expand, prove, verify, Sample, SamplePath},
	traits::StorageHoldings,
};
use polkadot_sdk::frame_support::assert_ok;

/// `miner`'s challenge of `round` from the pallet's snapshot (what the audit pallet draws).
fn challenge(miner: u64, round: u32) -> Vec<Sample> {
	let classes = FileBank::snapshot_classes(&miner, round);
	let seed = challenge_seed(&[round as u8; 32], round, &miner.to_le_bytes());
	expand(&seed, 16, &classes, |q, i| FileBank::snapshot_holding(&miner, round, q, i))
}

/// The proof of `samples` from the files' whole fragments.
fn proof(files: &[&TestFile], samples: &[Sample]) -> Vec<u8> {
	prove(samples, |s| {
		let f = files.iter().find(|f| f.id == s.file_id).ok_or("unknown file")?;
		let fragment = &f.fragments[s.segment as usize][usize::from(s.column)];
		SamplePath::from_fragment(s, fragment, &f.tree).ok_or("bad sample")
	})
	.unwrap()
}

#[test]
fn changes_during_a_round_do_not_change_its_challenge() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		// Three miners, profile 2 + 1: every miner holds one column of every file.
		let files: Vec<TestFile> =
			(0..4).map(|i| TestFile::new(20_000 + i * 9_000, 2, 1, 40 + i)).collect();
		for f in &files {
			store(1, f);
		}
		let miner = miners_of(files[0].id)[0];
		let column_of = |f: &TestFile| miners_of(f.id).iter().position(|m| *m == miner).unwrap();
		MockRounds::set(5);
		let before = challenge(miner, 5);
		assert_eq!(before.len(), 16);
		let all: Vec<&TestFile> = files.iter().collect();
		assert_eq!(verify(&before, &proof(&all, &before)), Ok(()));

		// During round 5: the owner deletes file 1, the miner reports a loss of file 2, and it
		// receives a column of a new file.
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), files[1].id));
		let lost = column_of(&files[2]) as u16;
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miner), files[2].id, lost));
		let new = TestFile::new(70_000, 2, 1, 99);
		store(1, &new);
		assert_eq!(FileBank::holding_count(&miner), 3);

		// The challenge of round 5 is unchanged and the miner's honest proof still verifies.
		assert_eq!(challenge(miner, 5), before);
		assert_eq!(verify(&before, &proof(&all, &before)), Ok(()));

		// Round 6 samples what is held now: never the deleted or lost column, sometimes the new.
		MockRounds::set(6);
		let mut seen_new = false;
		for round in 6..40 {
			MockRounds::set(round);
			let samples = challenge(miner, round);
			assert_eq!(samples.len(), 16);
			assert!(samples.iter().all(|s| s.file_id != files[1].id && s.file_id != files[2].id));
			seen_new |= samples.iter().any(|s| s.file_id == new.id);
			let held: Vec<&TestFile> = vec![&files[0], &files[3], &new];
			assert_eq!(verify(&samples, &proof(&held, &samples)), Ok(()));
		}
		assert!(seen_new, "the new column is sampled in later rounds");
	});
}

#[test]
fn a_miner_that_held_nothing_at_the_start_is_not_challenged_and_state_is_cleaned_up() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		MockRounds::set(1);
		let f = TestFile::new(30_000, 2, 1, 7);
		store(1, &f);
		let miner = miners_of(f.id)[0];
		// Stored during round 1: not in round 1's snapshot.
		assert!(FileBank::snapshot_classes(&miner, 1).is_empty());
		assert!(challenge(miner, 1).is_empty());
		MockRounds::set(2);
		assert_eq!(challenge(miner, 2).len(), 16);
		// Deleted during round 2: still in round 2's snapshot, gone from round 3 on.
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		assert_eq!(challenge(miner, 2).len(), 16);
		MockRounds::set(3);
		assert!(challenge(miner, 3).is_empty());
		// Nothing current is left but the snapshot of round 2; a change in a later round drops
		// it (the emptied class record and slots go when nothing needs them).
		assert!(HoldingClasses::<Test>::get(miner).now.is_empty());
		let g = TestFile::new(30_000, 2, 1, 8);
		store(1, &g);
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), g.id));
		MockRounds::set(4);
		store(1, &TestFile::new(31_000, 2, 1, 9));
		assert_eq!(FileBank::holding_count(&miner), 1);
		assert_eq!(Holdings::<Test>::iter_prefix((miner,)).count(), 1);
	});
}
