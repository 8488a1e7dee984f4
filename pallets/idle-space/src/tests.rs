//! Declaration, generation checks, space rounds, misses, conversion and their attackers.

use crate::{mock::*, Accounts, BatchState, Batches, Error, Event, HoldReason, Rejection};
use cess_primitives::{
	idle::{self, BatchTree, IdleBatch, LayerTree},
	traits::{CreditReason, VerifiedCapacity},
};
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec,
};

fn declare(who: u64, batch: IdleBatch) -> polkadot_sdk::sp_runtime::DispatchResult {
	IdleSpace::declare_batch(RuntimeOrigin::signed(who), batch)
}

fn check(
	who: u64,
	first: u64,
	proof: Vec<u8>,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	IdleSpace::submit_generation_proof(
		RuntimeOrigin::signed(who),
		first,
		BoundedVec::truncate_from(proof),
	)
}

fn space(
	who: u64,
	round: u32,
	proof: Vec<u8>,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	IdleSpace::submit_space_proof(
		RuntimeOrigin::signed(who),
		round,
		BoundedVec::truncate_from(proof),
	)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::BatchDeposit.into(), &who)
}

/// Declares `b` and passes its generation check in the next round.
fn verify(b: &Batch) {
	assert_ok!(declare(b.who, b.batch()));
	new_round(1);
	let samples = IdleSpace::generation_check(&b.who, b.first).expect("drawn");
	assert_ok!(check(b.who, b.first, b.prove_generation(&samples)));
}

/// Proves the current round's space challenge of `who` from `batches`, keeping the labels
/// `keep` allows; returns whether the proof passed.
fn prove_round(who: u64, batches: &[&Batch], keep: impl Fn(&idle::SpaceSample) -> bool) -> bool {
	let (round, samples, _) = IdleSpace::space_challenge(&who).expect("challenged");
	let proof = prove_space(batches, &samples, keep).unwrap_or_else(|| vec![0; 4]);
	assert_ok!(space(who, round, proof));
	matches!(
		System::events().last().map(|e| e.event.clone()),
		Some(RuntimeEvent::IdleSpace(Event::SpaceProofChecked { passed: true, .. }))
	)
}

#[test]
fn an_honest_batch_passes_its_check_and_200_space_rounds_and_earns_the_idle_share() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 4);
		assert_ok!(declare(1, b.batch()));
		System::assert_last_event(
			Event::BatchDeclared { miner: 1, batch: b.batch(), check_round: 1 }.into(),
		);
		assert_eq!(held(1), DEPOSIT);
		// The check is drawn from the next round's seed, not before.
		assert_eq!(IdleSpace::generation_check(&1, 0), None);
		assert_noop!(check(1, 0, vec![0; 4]), Error::<Test>::CheckNotDrawn);
		new_round(1);
		let samples = IdleSpace::generation_check(&1, 0).unwrap();
		assert_eq!(samples.len(), GEN_SAMPLES as usize);
		let post = check(1, 0, b.prove_generation(&samples)).unwrap();
		assert_eq!(post.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
		System::assert_last_event(
			Event::BatchVerified { miner: 1, first: 0, bytes: 4 * FILE }.into(),
		);
		assert_noop!(check(1, 0, vec![]), Error::<Test>::AlreadyVerified);
		// Not challenged in the round it was verified in; from the next one on, every round.
		assert_eq!(IdleSpace::space_challenge(&1), None);
		for _ in 0..200 {
			new_round(1);
			assert!(prove_round(1, &[&b], |_| true));
		}
		assert_eq!(Mock::idle_passes(), vec![(1, 4 * FILE); 200]);
		assert!(Mock::slashes().is_empty());
		assert_eq!(Accounts::<Test>::get(1).unwrap().failures, 0);
	});
}

#[test]
fn declarations_are_checked_before_anything_is_held() {
	build_and_execute(|| {
		Mock::miner(1, 10 * FILE, 2 * FILE);
		let b = Batch::honest(1, 0, 4);
		// Not a miner, or not positive.
		assert_noop!(declare(2, b.batch()), Error::<Test>::NotPositive);
		Mock::set_positive(1, false);
		assert_noop!(declare(1, b.batch()), Error::<Test>::NotPositive);
		Mock::set_positive(1, true);
		// Malformed shapes.
		assert_noop!(
			declare(1, IdleBatch { count: 0, ..b.batch() }),
			Error::<Test>::MalformedBatch
		);
		assert_noop!(
			declare(1, IdleBatch { count: 513, ..b.batch() }),
			Error::<Test>::MalformedBatch
		);
		// Files must start at the next index.
		assert_noop!(
			declare(1, IdleBatch { first: 1, ..b.batch() }),
			Error::<Test>::WrongFirstFile
		);
		// 4 files + 2 held fit 10; 4 more + 4 + 2 do not.
		assert_ok!(declare(1, b.batch()));
		let c = Batch::honest(1, 4, 5);
		assert_noop!(declare(1, c.batch()), Error::<Test>::InsufficientCapacity);
		// No balance for the deposit.
		Mock::miner(3, 1 << 20, 0);
		let poor = Batch::honest(3, 0, 1);
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		Balances::set_balance(&3, 1);
		assert_noop!(declare(3, poor.batch()), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn the_same_files_cannot_be_declared_twice() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 2);
		assert_ok!(declare(1, b.batch()));
		// The attacker re-declares the same files, or a batch overlapping them.
		assert_noop!(declare(1, b.batch()), Error::<Test>::WrongFirstFile);
		let overlap = Batch::honest(1, 1, 2);
		assert_noop!(declare(1, overlap.batch()), Error::<Test>::WrongFirstFile);
		// The next batch starts where the last ended.
		let next = Batch::honest(1, 2, 2);
		assert_ok!(declare(1, next.batch()));
		// Only `MaxPendingBatches` await their check at once.
		let third = Batch::honest(1, 4, 1);
		assert_noop!(declare(1, third.batch()), Error::<Test>::TooManyPending);
	});
}

#[test]
fn a_batch_with_skipped_layers_fails_its_check_and_loses_its_deposit() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		// The cheater computes layer 1 honestly and fills layers 2..=4 with junk (cheap), then
		// commits to them as if generated.
		let miner = IdleSpace::miner_id(&1);
		let genesis = IdleSpace::genesis();
		let n = P.labels() as usize;
		let files: Vec<Vec<LayerTree>> = (0..4u64)
			.map(|k| {
				let seed = idle::file_seed(&miner, k, &genesis);
				let mut l0 = vec![[0u8; 32]; n];
				idle::layer0(&P, &seed, &mut l0).unwrap();
				let mut l1 = vec![[0u8; 32]; n];
				idle::next_layer(&P, &seed, 1, &l0, &mut l1).unwrap();
				let mut layers = vec![LayerTree::new(&l1)];
				for l in 2..=4u8 {
					layers.push(LayerTree::new(&vec![[l; 32]; n]));
				}
				layers
			})
			.collect();
		let commitments: Vec<_> = files
			.iter()
			.map(|f| idle::file_commitment(&f.iter().map(LayerTree::root).collect::<Vec<_>>()))
			.collect();
		let tree = BatchTree::new(&P, 0, &commitments).unwrap();
		assert_ok!(declare(1, tree.batch()));
		new_round(1);
		let samples = IdleSpace::generation_check(&1, 0).unwrap();
		let proof = idle::prove_generation(&P, &tree, &samples, |k, l| {
			Ok::<_, ()>(files[k as usize][l as usize - 1].clone())
		})
		.unwrap();
		let issuance = Balances::total_issuance();
		let post = check(1, 0, proof).unwrap();
		assert_eq!(post.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::Yes);
		System::assert_last_event(
			Event::BatchRejected {
				miner: 1,
				first: 0,
				reason: Rejection::CheckFailed,
				deposit: DEPOSIT,
			}
			.into(),
		);
		assert_eq!(held(1), 0);
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT, "deposit slashed");
		assert!(Batches::<Test>::get(1).is_empty());
		assert_eq!(Mock::penalties(), vec![(1, -50, CreditReason::GenerationCheckFailed)]);
		// The indices are spent: the miner cannot re-declare them.
		assert_noop!(declare(1, tree.batch()), Error::<Test>::WrongFirstFile);
	});
}

#[test]
fn a_batch_copied_from_another_miner_fails_its_check() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		Mock::miner(2, 1 << 20, 0);
		let honest = Batch::honest(1, 0, 2);
		verify(&honest);
		// Miner 2 declares miner 1's batch: the seeds bind the files to miner 1.
		assert_ok!(declare(2, honest.batch()));
		new_round(1);
		let samples = IdleSpace::generation_check(&2, 0).unwrap();
		assert_ok!(check(2, 0, honest.prove_generation(&samples)));
		assert!(matches!(
			System::events().last().unwrap().event,
			RuntimeEvent::IdleSpace(Event::BatchRejected {
				miner: 2,
				reason: Rejection::CheckFailed,
				..
			})
		));
	});
}

#[test]
fn an_unproved_check_expires_and_the_sweep_rejects_the_batch() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 2);
		assert_ok!(declare(1, b.batch()));
		new_round(1); // round 1 draws the check
		new_round(1); // round 2: last round it is accepted in
		let samples = IdleSpace::generation_check(&1, 0).unwrap();
		let proof = b.prove_generation(&samples);
		// Round 3 has begun but the pallet's hook has not run yet: too late all the same.
		ROUND.with(|r| r.borrow_mut().as_mut().unwrap().index += 1);
		assert_noop!(check(1, 0, proof), Error::<Test>::CheckExpired);
		// The hook sees round 3 and sweeps round 2: the batch is rejected.
		next_block();
		next_block();
		assert!(Batches::<Test>::get(1).is_empty());
		assert_eq!(held(1), 0);
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::IdleSpace(Event::BatchRejected { reason: Rejection::CheckExpired, .. })
		)));
		assert_eq!(Accounts::<Test>::get(1), None, "empty accounts are dropped");
	});
}

#[test]
fn a_miner_that_deleted_idle_files_fails_rounds_and_forfeits_its_idle_space() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 4);
		verify(&b);
		let issuance = Balances::total_issuance();
		// The miner deletes files 1..4 and keeps file 0: it fails every round that samples a
		// deleted file (8 samples: all but (1/4)^8 of rounds).
		let mut failures = 0;
		while failures < MAX_FAILURES {
			new_round(1);
			if !prove_round(1, &[&b], |s| s.file == 0) {
				failures += 1;
			}
		}
		assert_eq!(Mock::slashes(), vec![(1, SPACE_SLASH); MAX_FAILURES as usize]);
		assert_eq!(
			Mock::penalties().iter().filter(|p| p.2 == CreditReason::IdleRoundFailed).count(),
			MAX_FAILURES as usize
		);
		System::assert_has_event(
			Event::IdleForfeited { miner: 1, bytes: 4 * FILE, batches: 1, deposit: DEPOSIT }.into(),
		);
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT);
		assert_eq!(IdleSpace::space_challenge(&1), None);
		assert_eq!(IdleSpace::assignable_bytes(&1), 0);
	});
}

#[test]
fn a_missed_round_is_counted_by_the_sweep_and_a_proved_one_is_not() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		Mock::miner(2, 1 << 20, 0);
		let a = Batch::honest(1, 0, 2);
		let b = Batch::honest(2, 0, 2);
		verify(&a);
		assert_ok!(declare(2, b.batch()));
		new_round(1);
		let samples = IdleSpace::generation_check(&2, 0).unwrap();
		assert_ok!(check(2, 0, b.prove_generation(&samples)));
		assert!(prove_round(1, &[&a], |_| true));
		// Round r: miner 1 proves, miner 2 does not.
		new_round(1);
		let r = round();
		assert!(prove_round(1, &[&a], |_| true));
		// The next round opens, and miner 1 proves it at once, before the sweep of r reaches it.
		next_block();
		start_round();
		assert!(prove_round(1, &[&a], |_| true));
		next_block();
		next_block();
		assert_eq!(Mock::slashes(), vec![(2, SPACE_SLASH)]);
		System::assert_has_event(
			Event::SpaceRoundMissed { miner: 2, round: r, consecutive: 1 }.into(),
		);
		// A proof after the window is refused.
		for _ in 0..WINDOW {
			next_block();
		}
		let (round, samples, _) = IdleSpace::space_challenge(&2).unwrap();
		let proof = prove_space(&[&b], &samples, |_| true).unwrap();
		assert_noop!(space(2, round, proof), Error::<Test>::WindowClosed);
	});
}

#[test]
fn space_proofs_are_refused_outside_their_round_and_once_per_round() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 2);
		assert_noop!(space(1, 1, vec![]), Error::<Test>::NoRound);
		verify(&b);
		// Verified in this round: not challenged yet.
		assert_noop!(space(1, round(), vec![]), Error::<Test>::NotChallenged);
		new_round(1);
		assert_noop!(space(1, round() + 1, vec![]), Error::<Test>::WrongRound);
		assert!(prove_round(1, &[&b], |_| true));
		assert_noop!(space(1, round(), vec![]), Error::<Test>::AlreadySubmitted);
		assert_noop!(space(2, round(), vec![]), Error::<Test>::NotChallenged);
	});
}

#[test]
fn conversion_moves_capacity_from_idle_to_service_and_keeps_the_round_stable() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let a = Batch::honest(1, 0, 2);
		let b = Batch::honest(1, 2, 3);
		verify(&a);
		verify(&b);
		assert_eq!(IdleSpace::assignable(&1), Some(5 * FILE));
		new_round(1);
		let (round, before, idle_bytes) = IdleSpace::space_challenge(&1).unwrap();
		assert_eq!(idle_bytes, 5 * FILE);
		// 1.5 files of data arrive: two files of the last batch are converted, half a file is
		// left in reserve.
		IdleSpace::assign(&1, FILE + FILE / 2);
		System::assert_last_event(
			Event::IdleConverted { miner: 1, files: 2, bytes: 2 * FILE, round }.into(),
		);
		let account = Accounts::<Test>::get(1).unwrap();
		assert_eq!((account.reserve, account.service), (FILE / 2, FILE + FILE / 2));
		assert_eq!(IdleSpace::assignable(&1), Some(3 * FILE + FILE / 2));
		// The round's challenge does not move: the miner deletes the files after the round.
		let (_, during, _) = IdleSpace::space_challenge(&1).unwrap();
		assert_eq!(before, during);
		assert!(prove_round(1, &[&a, &b], |_| true));
		// From the next round on, converted files are never drawn.
		for _ in 0..20 {
			new_round(1);
			let (_, samples, idle_bytes) = IdleSpace::space_challenge(&1).unwrap();
			assert_eq!(idle_bytes, 3 * FILE);
			assert!(samples.iter().all(|s| s.batch != b.batch() || s.file < 1));
			assert!(prove_round(1, &[&a, &b], |s| s.batch != b.batch() || s.file < 1));
		}
		// Data deleted: its space returns to the reserve, not to idle.
		IdleSpace::unassign(&1, FILE);
		let account = Accounts::<Test>::get(1).unwrap();
		assert_eq!((account.reserve, account.service), (FILE + FILE / 2, FILE / 2));
		// Converting the rest of `b` and all of `a`: `b` is retired after its last round and its
		// deposit released.
		IdleSpace::assign(&1, 4 * FILE);
		new_round(2);
		new_round(2);
		assert_eq!(Batches::<Test>::get(1).len(), 0);
		assert_eq!(held(1), 0);
		assert_eq!(IdleSpace::assignable(&1), Some(FILE / 2));
		assert_eq!(IdleSpace::space_challenge(&1), None);
	});
}

#[test]
fn without_enforcement_placement_is_not_limited() {
	build_and_execute(|| {
		Enforce::set(false);
		Mock::miner(1, 1 << 20, 0);
		assert_eq!(IdleSpace::assignable(&1), None);
		// Assigning to a miner with no idle account changes nothing.
		IdleSpace::assign(&1, FILE);
		assert_eq!(Accounts::<Test>::get(1), None);
	});
}

#[test]
fn a_leaving_miner_cannot_dodge_a_drawn_check() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let a = Batch::honest(1, 0, 2);
		verify(&a);
		let b = Batch::honest(1, 2, 2);
		assert_ok!(declare(1, b.batch()));
		new_round(1);
		assert!(IdleSpace::generation_check(&1, 2).is_some());
		let issuance = Balances::total_issuance();
		IdleSpace::miner_removed(&1);
		// `b`'s drawn check was not proved: its deposit goes; `a`'s is released.
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT);
		assert_eq!(held(1), 0);
		assert_eq!(Balances::free_balance(1), 10_000 - DEPOSIT);
		assert!(Batches::<Test>::get(1).is_empty());
		assert_eq!(Accounts::<Test>::get(1), None);
	});
}

#[test]
fn a_miner_that_takes_no_data_proves_its_idle_space_but_earns_nothing_for_it() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let b = Batch::honest(1, 0, 4);
		verify(&b);
		new_round(1);
		assert!(prove_round(1, &[&b], |_| true));
		assert_eq!(Mock::idle_passes(), vec![(1, 4 * FILE)]);
		// Leaving (or frozen): no data is placed on it, so its idle space earns no share; it is
		// still challenged and penalised for what it cannot prove.
		Mock::set_positive(1, false);
		new_round(1);
		assert!(prove_round(1, &[&b], |_| true));
		assert_eq!(Mock::idle_passes(), vec![(1, 4 * FILE)]);
		assert!(Mock::slashes().is_empty());
		new_round(1);
		assert!(!prove_round(1, &[&b], |_| false));
		assert_eq!(Mock::slashes(), vec![(1, SPACE_SLASH)]);
		// Back to positive: earning again.
		Mock::set_positive(1, true);
		new_round(1);
		assert!(prove_round(1, &[&b], |_| true));
		assert_eq!(Mock::idle_passes(), vec![(1, 4 * FILE); 2]);
	});
}

#[test]
fn batch_states_and_summary_follow_the_checks() {
	build_and_execute(|| {
		Mock::miner(1, 1 << 20, 0);
		let a = Batch::honest(1, 0, 2);
		verify(&a);
		let b = Batch::honest(1, 2, 3);
		assert_ok!(declare(1, b.batch()));
		let batches = Batches::<Test>::get(1);
		assert!(matches!(batches[0].state, BatchState::Verified { .. }));
		assert!(matches!(batches[1].state, BatchState::Pending { .. }));
		let summary = IdleSpace::summary(&1).unwrap();
		assert_eq!((summary.idle, summary.pending), (2 * FILE, 3 * FILE));
		assert_eq!((summary.verified_batches, summary.pending_batches), (1, 1));
		assert_eq!(summary.account.next_file, 5);
	});
}
