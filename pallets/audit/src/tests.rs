//! Audit rounds: honest proofs pass, lost data fails, misses escalate, bad submissions are
//! rejected with their own errors.

use crate::{mock::*, Audits, EmptiedHolders, Error, Event, Outcome, Sweeps};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	sp_runtime::DispatchError,
};

fn submit(
	who: u64,
	round: u32,
	proof: Vec<u8>,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	Audit::submit_proof(RuntimeOrigin::signed(who), round, BoundedVec::truncate_from(proof))
}

/// Round `r` (1-based) starts at block `2 + (r - 1) · ROUND`.
fn round_start(r: u64) -> u64 {
	2 + (r - 1) * ROUND
}

#[test]
fn honest_miner_passes_every_round() {
	build_and_execute(|| {
		give(1, 1, 100_000, 0);
		give(1, 2, 5_000, 0);
		for r in 1..=20u64 {
			roll_to(round_start(r) + 1);
			let (round, proof) = proof_of(1);
			assert_eq!(round as u64, r);
			assert_ok!(submit(1, round, proof));
			System::assert_last_event(Event::ProofChecked { miner: 1, round, passed: true }.into());
		}
		let audit = Audits::<Test>::get(1);
		assert_eq!((audit.passed, audit.failed, audit.missed), (20, 0, 0));
		assert!(slashes().is_empty());
		assert_eq!(passes(), vec![1; 20], "every pass is scored for rewards");
	});
}

#[test]
fn ten_percent_lost_fails_most_rounds() {
	build_and_execute(|| {
		give(1, 1, 400_000, 0);
		corrupt(1, 10);
		let rounds = 200u64;
		for r in 1..=rounds {
			roll_to(round_start(r) + 1);
			let (round, proof) = proof_of(1);
			assert_ok!(submit(1, round, proof));
		}
		let audit = Audits::<Test>::get(1);
		// P(no lost leaf among 16 samples) = 0.9^16 ≈ 18.5 %: fails ≈ 81.5 % of rounds.
		assert_eq!(audit.passed + audit.failed, rounds as u32);
		assert!(
			audit.failed as u64 >= rounds * 75 / 100,
			"failed only {} of {rounds}",
			audit.failed
		);
		assert_eq!(slashes().len() as u32, audit.failed);
		assert_eq!(passes().len() as u32, audit.passed, "only passes are scored");
		assert!(slashes().iter().all(|s| *s == (1, FAIL_SLASH)));
	});
}

#[test]
fn missed_rounds_escalate_to_forced_exit() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		give(2, 2, 50_000, 0);
		// Miner 2 proves every round; miner 1 never does.
		for r in 1..=4u64 {
			roll_to(round_start(r) + 1);
			let (round, proof) = proof_of(2);
			assert_ok!(submit(2, round, proof));
		}
		// Round 3's sweep runs when round 4 starts.
		roll_to(round_start(4) + 2);
		assert_eq!(slashes(), vec![(1, MISS_SLASH), (1, 2 * MISS_SLASH), (1, 3 * MISS_SLASH)]);
		assert!(forced_out(1));
		assert!(!forced_out(2));
		let (audit, history) = Audit::history_of(&1);
		assert_eq!(audit.consecutive_misses, 3);
		assert_eq!(history, vec![(1, Outcome::Missed), (2, Outcome::Missed), (3, Outcome::Missed)]);
	});
}

#[test]
fn miners_that_got_data_during_a_round_are_not_challenged_in_it() {
	build_and_execute(|| {
		roll_to(round_start(1) + 1);
		give(1, 1, 50_000, round_start(1) + 1);
		assert!(Audit::current_challenge(&1).is_none());
		assert_noop!(submit(1, 1, vec![0; 300]), Error::<Test>::NotChallenged);
		roll_to(round_start(2) + 2);
		assert!(slashes().is_empty(), "not challenged in round 1, so no miss");
		assert!(Audit::current_challenge(&1).is_some());
	});
}

#[test]
fn bad_submissions_fail_with_their_own_error() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		assert_noop!(submit(1, 1, vec![0; 300]), Error::<Test>::NoRound);
		roll_to(round_start(1) + 1);
		let (round, proof) = proof_of(1);
		assert_noop!(submit(1, round + 1, proof.clone()), Error::<Test>::WrongRound);
		assert_noop!(submit(9, round, proof.clone()), Error::<Test>::NotChallenged);
		assert_noop!(
			Audit::submit_proof(RuntimeOrigin::none(), round, BoundedVec::new()),
			DispatchError::BadOrigin
		);
		give(2, 2, 50_000, 0);
		assert_ok!(submit(1, round, proof.clone()));
		assert_noop!(submit(1, round, proof.clone()), Error::<Test>::AlreadySubmitted);
		roll_to(round_start(1) + WINDOW + 1);
		let (_, p2) = proof_of(2);
		assert_noop!(submit(2, round, p2), Error::<Test>::WindowClosed);
	});
}

#[test]
fn garbage_proof_is_recorded_as_failed_and_slashed() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		roll_to(round_start(1) + 1);
		let (round, mut proof) = proof_of(1);
		proof[60] ^= 1;
		assert_ok!(submit(1, round, proof));
		System::assert_last_event(Event::ProofChecked { miner: 1, round, passed: false }.into());
		assert_eq!(slashes(), vec![(1, FAIL_SLASH)]);
	});
}

#[test]
fn another_miners_proof_fails() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		give(2, 1, 50_000, 0);
		roll_to(round_start(1) + 1);
		let (round, _) = proof_of(1);
		let (_, proof_2) = proof_of(2);
		assert_ok!(submit(1, round, proof_2));
		System::assert_last_event(Event::ProofChecked { miner: 1, round, passed: false }.into());
	});
}

#[test]
fn failing_every_round_forces_out() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		corrupt(1, 1);
		for r in 1..=3u64 {
			roll_to(round_start(r) + 1);
			assert!(!forced_out(1), "forced out before its third bad round");
			let (round, proof) = proof_of(1);
			assert_ok!(submit(1, round, proof));
		}
		assert!(forced_out(1));
		assert_eq!(Audits::<Test>::get(1).consecutive_misses, 3);
	});
}

#[test]
fn a_pass_resets_the_bad_round_count() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		// Round 1 missed, round 2 passed: the count starts again.
		roll_to(round_start(2) + 2);
		assert_eq!(Audits::<Test>::get(1).consecutive_misses, 1);
		let (round, proof) = proof_of(1);
		assert_ok!(submit(1, round, proof));
		assert_eq!(Audits::<Test>::get(1).consecutive_misses, 0);
	});
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn the_benchmark_proof_climbs_every_path_and_fails_last() {
	use crate::BenchmarkHelper;
	use cess_primitives::possession::{verify, VerifyError};
	build_and_execute(|| {
		MockMiners::challengeable_miner(&1, 20);
		roll_to(round_start(1) + 1);
		let (_, samples) = Audit::current_challenge(&1).unwrap();
		let proof = crate::benchmarking::failing_proof(&samples);
		assert_eq!(verify(&samples, &proof), Err(VerifyError::RootMismatch));
		// With its last leaf restored it verifies: only the last file's check fails.
		let mut honest = proof.clone();
		let leaves = usize::from(u16::from_le_bytes([proof[0], proof[1]]));
		honest[2 + (leaves - 1) * 256] ^= 1;
		assert_eq!(verify(&samples, &honest), Ok(()));
	});
}

#[test]
fn reporting_a_challenged_column_lost_fails_the_round() {
	use cess_primitives::traits::AuditClock;
	build_and_execute(|| {
		let big = give(1, 1, 400_000, 0);
		let tiny = give(1, 2, 300, 0);
		roll_to(round_start(1) + 1);
		let (round, samples) = Audit::current_challenge(&1).expect("challenged");
		assert!(samples.iter().all(|s| s.file_id == big), "300 bytes of 400 300 are not drawn");
		// A column the challenge does not sample can be lost and the round still proven.
		assert!(!<Audit as AuditClock<u64>>::loss_reported(&1, &tiny, 1));
		assert_eq!(Audits::<Test>::get(1).failed, 0);
		// A sampled one cannot: the round fails at once, as a failed proof would.
		assert!(<Audit as AuditClock<u64>>::loss_reported(&1, &big, 1));
		System::assert_last_event(Event::ProofChecked { miner: 1, round, passed: false }.into());
		let audit = Audits::<Test>::get(1);
		assert_eq!((audit.passed, audit.failed, audit.missed), (0, 1, 0));
		assert_eq!(Audit::history_of(&1).1, vec![(round, Outcome::Failed)]);
		assert_eq!(slashes(), vec![(1, FAIL_SLASH)]);
		let (_, proof) = proof_of(1);
		assert_noop!(submit(1, round, proof), Error::<Test>::AlreadySubmitted);
		assert!(!<Audit as AuditClock<u64>>::loss_reported(&1, &big, 1), "failed once");

		// After a passed proof, a loss report changes nothing of the round.
		roll_to(round_start(2) + 1);
		let (round, proof) = proof_of(1);
		assert_ok!(submit(1, round, proof));
		assert!(!<Audit as AuditClock<u64>>::loss_reported(&1, &big, 1));
		let audit = Audits::<Test>::get(1);
		assert_eq!((audit.passed, audit.failed, audit.missed), (1, 1, 0));
	});
}

/// Empties `who`'s holdings as file-bank does (telling the audit clock first).
fn empty_holdings(who: u64) {
	use cess_primitives::traits::AuditClock;
	<Audit as AuditClock<u64>>::holdings_emptying(&who);
	MINERS.with(|m| {
		let mut m = m.borrow_mut();
		let miner = m.get_mut(&who).unwrap();
		miner.holdings.clear();
		miner.since = None;
	});
}

/// The attack: a miner challenged in a round that cannot prove it has its files deleted (or
/// restored away) before the round ends. On e4b750e the round's sweep no longer saw it and no
/// miss was counted; now the miss is counted against that round, once, refilled or not.
#[test]
fn emptying_a_challenged_miners_holdings_does_not_excuse_its_miss() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		give(2, 2, 50_000, 0);
		give(3, 3, 50_000, 0);
		roll_to(round_start(1) + 1);
		assert!(Audit::current_challenge(&1).is_some());
		// Miner 1 is emptied and stays empty; miner 2 is emptied and gets new data at once;
		// miner 3 proves, then is emptied.
		empty_holdings(1);
		empty_holdings(2);
		give(2, 4, 50_000, round_start(1) + 1);
		let (round, proof) = proof_of(3);
		assert_ok!(submit(3, round, proof));
		empty_holdings(3);
		empty_holdings(1);
		// Miner 2 proves round 2 before the sweep of round 1 reaches the emptied holders.
		roll_to(round_start(2));
		let (round, proof) = proof_of(2);
		assert_eq!(round, 2);
		assert_ok!(submit(2, round, proof));
		roll_to(round_start(2) + 4);
		assert_eq!(slashes(), vec![(1, MISS_SLASH), (2, MISS_SLASH)]);
		assert_eq!(Audit::history_of(&1).1, vec![(1, Outcome::Missed)]);
		assert_eq!(
			Audit::history_of(&2).1,
			vec![(1, Outcome::Missed), (2, Outcome::Passed)],
			"in round order"
		);
		assert_eq!(EmptiedHolders::<Test>::iter().count(), 0, "the sweep drained them");
		assert!(Sweeps::<Test>::get().is_empty());
		assert!(Audit::current_challenge(&1).is_none(), "round 2 challenges only held data");
	});
}
