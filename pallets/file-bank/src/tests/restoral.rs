//! Restoral orders: opening, claiming, completing with a real proof of the rebuilt column,
//! expiry, exits.

use super::*;
use crate::{
	ColumnState, Error, Event, Files, LeavingMiners, OutstandingRestorals, RestoralOrders,
	RestoralReason,
};
use cess_primitives::traits::{CreditReason, StorageHoldings};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

/// A stored (2, 1) file over 3 of 5 miners; returns it with its miners and the two spares.
fn stored_file() -> (TestFile, Vec<u64>, Vec<u64>) {
	add_miners(100, 5, GIB);
	buy(1, 1, 10);
	// 3 segments, so the challenge picks among several.
	let f = TestFile::new(40_000, 2, 1, 5);
	store(1, &f);
	let miners = miners_of(f.id);
	let spares = (100..105).filter(|m| !miners.contains(m)).collect();
	(f, miners, spares)
}

#[test]
fn self_reported_loss_opens_an_order() {
	build_and_execute(|| {
		let (f, miners, _) = stored_file();
		let loser = miners[1];
		let bytes = f.layout.column_bytes();
		assert_noop!(
			FileBank::report_loss(RuntimeOrigin::signed(loser), [0; 32], 1),
			Error::<Test>::UnknownFile
		);
		assert_noop!(
			FileBank::report_loss(RuntimeOrigin::signed(loser), f.id, 3),
			Error::<Test>::BadColumn
		);
		assert_noop!(
			FileBank::report_loss(RuntimeOrigin::signed(loser), f.id, 0),
			Error::<Test>::NotColumnMiner
		);
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(loser), f.id, 1));
		System::assert_last_event(
			Event::RestoralOrderOpened {
				file_id: f.id,
				column: 1,
				lost_by: loser,
				reason: RestoralReason::SelfReported,
			}
			.into(),
		);
		assert_eq!(Files::<Test>::get(f.id).unwrap().columns[1].state, ColumnState::Restoring);
		assert_eq!(FileBank::holding_count(&loser), 0);
		assert_eq!(MockMiners::get(loser).used, 0);
		assert_eq!(MockMiners::get(miners[0]).used, bytes);
		assert_eq!(OutstandingRestorals::<Test>::get(loser), 1);
		assert_eq!(FileBank::outstanding_restorals(&loser), 1);
		assert_eq!(
			credit_log(),
			vec![(loser, crate::LOSS_REPORTED_CREDIT, CreditReason::LossReported)]
		);
		// The audit is told, so that a challenged column's round fails.
		assert_eq!(audit_loss_reports(), vec![(loser, f.id, 1)]);
		assert_noop!(
			FileBank::report_loss(RuntimeOrigin::signed(loser), f.id, 1),
			Error::<Test>::ColumnNotStored
		);
		let orders = FileBank::orders_page(None, 10);
		assert_eq!(orders.len(), 1);
		assert_eq!((orders[0].file_id, orders[0].column, orders[0].lost_by), (f.id, 1, loser));
	});
}

#[test]
fn claim_rules() {
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		let claim = |who: u64| FileBank::claim_restoral(RuntimeOrigin::signed(who), f.id, 1);
		assert_noop!(claim(spares[0]), Error::<Test>::NoRestoralOrder);
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miners[1]), f.id, 1));
		assert_noop!(
			FileBank::claim_restoral(RuntimeOrigin::signed(spares[0]), [3; 32], 1),
			Error::<Test>::UnknownFile
		);
		// Holders of other columns, and the loser itself, cannot restore.
		assert_noop!(claim(miners[0]), Error::<Test>::HoldsColumnOfFile);
		assert_noop!(claim(miners[1]), Error::<Test>::HoldsColumnOfFile);
		MockMiners::set_positive(spares[0], false);
		assert_noop!(claim(spares[0]), Error::<Test>::MinerNotPositive);
		MockMiners::set_positive(spares[0], true);
		MockMiners::add(300, 100);
		assert_noop!(claim(300), Error::<Test>::InsufficientMinerSpace);
		assert_ok!(claim(spares[0]));
		System::assert_last_event(
			Event::RestoralClaimed {
				file_id: f.id,
				column: 1,
				restorer: spares[0],
				deadline: 1 + CLAIM,
			}
			.into(),
		);
		assert_eq!(MockMiners::get(spares[0]).locked, f.layout.column_bytes());
		assert_noop!(claim(spares[1]), Error::<Test>::AlreadyClaimed);
	});
}

#[test]
fn completion_with_a_valid_proof_moves_the_column() {
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		let (loser, restorer) = (miners[2], spares[0]);
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(loser), f.id, 2));
		assert_ok!(FileBank::claim_restoral(RuntimeOrigin::signed(restorer), f.id, 2));
		let complete = |who: u64, proof: Vec<u8>| {
			FileBank::complete_restoral(
				RuntimeOrigin::signed(who),
				f.id,
				2,
				BoundedVec::truncate_from(proof),
			)
		};
		// The sampled leaves depend on the claim block's hash: not known in the claim block.
		assert!(FileBank::restoral_challenge(f.id, 2).is_none());
		assert_noop!(complete(restorer, vec![0; 10]), Error::<Test>::TooEarly);
		roll_to(2);
		let proof = f.restoral_proof(2);
		assert_noop!(complete(spares[1], proof.clone()), Error::<Test>::NotClaimant);
		// A proof of another column, a flipped byte, made-up leaves and garbage all fail.
		let other_column = {
			let mut samples = FileBank::restoral_challenge(f.id, 2).unwrap();
			for s in &mut samples {
				s.column = 1;
			}
			cess_primitives::possession::prove(&samples, |s| {
				let fragment = &f.fragments[s.segment as usize][usize::from(s.column)];
				cess_primitives::possession::SamplePath::from_fragment(s, fragment, &f.tree)
					.ok_or(())
			})
			.unwrap()
		};
		assert_noop!(complete(restorer, other_column), Error::<Test>::BadRestoralProof);
		let mut tampered = proof.clone();
		let last = tampered.len() - 40;
		tampered[last] ^= 1;
		assert_noop!(complete(restorer, tampered), Error::<Test>::BadRestoralProof);
		let mut made_up = proof.clone();
		made_up[2..2 + 256].fill(0);
		assert_noop!(complete(restorer, made_up), Error::<Test>::BadRestoralProof);
		assert_noop!(complete(restorer, vec![7; 100]), Error::<Test>::BadRestoralProof);
		assert_ok!(complete(restorer, proof));
		System::assert_last_event(
			Event::RestoralCompleted { file_id: f.id, column: 2, restorer }.into(),
		);
		let file = Files::<Test>::get(f.id).unwrap();
		assert_eq!(file.columns[2].miner, restorer);
		assert_eq!(file.columns[2].state, ColumnState::Stored);
		assert_eq!(MockMiners::get(restorer).used, file.column_bytes);
		assert_eq!(MockMiners::get(restorer).locked, 0);
		assert_eq!(FileBank::holding_count(&restorer), 1);
		assert!(RestoralOrders::<Test>::get((f.id, 2)).is_none());
		assert_eq!(OutstandingRestorals::<Test>::get(loser), 0);
		assert!(credit_log().contains(&(
			restorer,
			crate::RESTORAL_CREDIT,
			CreditReason::RestoralCompleted
		)));
	});
}

#[test]
fn expired_claims_reopen() {
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miners[0]), f.id, 0));
		assert_ok!(FileBank::claim_restoral(RuntimeOrigin::signed(spares[0]), f.id, 0));
		roll_to(1 + CLAIM);
		assert_noop!(
			FileBank::claim_restoral(RuntimeOrigin::signed(spares[1]), f.id, 0),
			Error::<Test>::AlreadyClaimed
		);
		roll_to(2 + CLAIM);
		let proof = f.restoral_proof(0);
		assert_noop!(
			FileBank::complete_restoral(
				RuntimeOrigin::signed(spares[0]),
				f.id,
				0,
				BoundedVec::truncate_from(proof)
			),
			Error::<Test>::ClaimExpired
		);
		assert_ok!(FileBank::claim_restoral(RuntimeOrigin::signed(spares[1]), f.id, 0));
		assert_eq!(MockMiners::get(spares[0]).locked, 0);
		roll_to(3 + CLAIM);
		let proof = f.restoral_proof(0);
		assert_ok!(FileBank::complete_restoral(
			RuntimeOrigin::signed(spares[1]),
			f.id,
			0,
			BoundedVec::truncate_from(proof)
		));
	});
}

#[test]
fn leaving_miner_holdings_become_orders_in_batches() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		let files: Vec<TestFile> = (0..10).map(|i| TestFile::new(100, 2, 1, i)).collect();
		for f in &files {
			store(1, f);
		}
		assert_eq!(FileBank::holding_count(&100), 10);
		FileBank::miner_leaving(&100, true);
		assert_eq!(FileBank::outstanding_restorals(&100), 10);
		roll_to(2);
		// Eight units of work per block.
		assert_eq!(FileBank::holding_count(&100), 2);
		assert_eq!(RestoralOrders::<Test>::count(), 8);
		assert!(
			RestoralOrders::<Test>::iter_values().all(|o| o.reason == RestoralReason::ForcedExit)
		);
		roll_to(3);
		assert_eq!(FileBank::holding_count(&100), 0);
		assert_eq!(RestoralOrders::<Test>::count(), 10);
		assert_eq!(FileBank::outstanding_restorals(&100), 10);
		roll_to(4);
		assert!(!LeavingMiners::<Test>::contains_key(100));
	});
}

#[test]
fn removing_a_file_closes_its_orders_and_claims() {
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miners[0]), f.id, 0));
		assert_ok!(FileBank::claim_restoral(RuntimeOrigin::signed(spares[0]), f.id, 0));
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		assert_eq!(RestoralOrders::<Test>::count(), 0);
		assert_eq!(OutstandingRestorals::<Test>::get(miners[0]), 0);
		assert_eq!(MockMiners::get(spares[0]).locked, 0);
	});
}

/// The squatting attack: claim an order, never complete it, claim it again when the claim
/// runs out, and so hold it forever. A lapsed claimant is barred from the order, its deposit
/// goes to the reward pot and it loses credit; anyone else may claim and complete at once.
#[test]
fn restoral_squatting_is_barred_and_forfeits_the_deposit() {
	use polkadot_sdk::frame_support::traits::fungible::{Inspect, InspectHold};
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		let (squatter, honest) = (spares[0], spares[1]);
		let claim = |who: u64| FileBank::claim_restoral(RuntimeOrigin::signed(who), f.id, 0);
		let held =
			|who: u64| Balances::balance_on_hold(&crate::HoldReason::RestoralClaim.into(), &who);
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miners[0]), f.id, 0));
		assert_ok!(claim(squatter));
		assert_eq!(held(squatter), CLAIM_DEPOSIT);
		// The claim runs out; the squatter tries to take the order again, now and until its bar
		// ends.
		roll_to(2 + CLAIM);
		assert_noop!(claim(squatter), Error::<Test>::ClaimBarred);
		roll_to(1 + CLAIM + BAR);
		assert_noop!(claim(squatter), Error::<Test>::ClaimBarred);
		// Anyone else takes it over at once: the lapse costs the squatter its deposit and credit.
		let pot = Balances::balance(&FileBank::account_id());
		assert_ok!(claim(honest));
		System::assert_has_event(
			Event::RestoralClaimLapsed {
				file_id: f.id,
				column: 0,
				restorer: squatter,
				forfeited: CLAIM_DEPOSIT,
				barred_until: 1 + CLAIM + BAR,
			}
			.into(),
		);
		assert_eq!(held(squatter), 0);
		assert_eq!(Balances::balance(&squatter), MINER_BALANCE - CLAIM_DEPOSIT);
		assert_eq!(Balances::balance(&FileBank::account_id()), pot + CLAIM_DEPOSIT);
		assert!(credit_log().contains(&(
			squatter,
			crate::RESTORAL_LAPSED_CREDIT,
			CreditReason::RestoralLapsed
		)));
		assert_eq!(MockMiners::get(squatter).locked, 0);
		// The honest claimant completes and gets its deposit back.
		roll_to(2 + CLAIM + BAR);
		assert_ok!(FileBank::complete_restoral(
			RuntimeOrigin::signed(honest),
			f.id,
			0,
			BoundedVec::truncate_from(f.restoral_proof(0))
		));
		assert_eq!(held(honest), 0);
		assert_eq!(Balances::balance(&honest), MINER_BALANCE);
	});
}

#[test]
fn a_claim_needs_its_deposit_and_a_removed_file_returns_it() {
	use polkadot_sdk::frame_support::traits::fungible::{InspectHold, Mutate};
	build_and_execute(|| {
		let (f, miners, spares) = stored_file();
		assert_ok!(FileBank::report_loss(RuntimeOrigin::signed(miners[1]), f.id, 1));
		Balances::set_balance(&spares[0], CLAIM_DEPOSIT / 2);
		assert_noop!(
			FileBank::claim_restoral(RuntimeOrigin::signed(spares[0]), f.id, 1),
			Error::<Test>::InsufficientDeposit
		);
		assert_ok!(FileBank::claim_restoral(RuntimeOrigin::signed(spares[1]), f.id, 1));
		// The owner deletes the file during the claim: the claimant did nothing wrong.
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		let reason = crate::HoldReason::RestoralClaim.into();
		assert_eq!(Balances::balance_on_hold(&reason, &spares[1]), 0);
		assert_eq!(MockMiners::get(spares[1]).locked, 0);
	});
}

/// The attack: a miner with many holdings exits just before a lease's grace period ends. On
/// e4b750e its holdings took the whole background budget (8 units a block) and the expired
/// lease's files were not collected until every holding had become an order.
#[test]
fn one_exiting_miner_does_not_starve_lease_collection() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 1);
		for i in 0..20 {
			store(1, &TestFile::new(100, 2, 1, i));
		}
		for i in 20..30 {
			store(2, &TestFile::new(100, 2, 1, i));
		}
		roll_to(1 + DAY + GRACE - 1);
		FileBank::miner_leaving(&100, true);
		roll_to(1 + DAY + GRACE);
		// Turns: 4 units each; 4 holdings became orders, 4 files of the expired lease went.
		assert_eq!(crate::OwnedFiles::<Test>::iter_prefix(2).count(), 6);
		// (Collection may close some of the new orders again.)
		assert!(FileBank::holding_count(&100) <= 30 - 4);
		// The lease is collected within two more blocks; then the exit gets the whole budget.
		roll_to(1 + DAY + GRACE + 2);
		assert!(!crate::ExpiredOwners::<Test>::contains_key(2));
		roll_to(1 + DAY + GRACE + 6);
		assert!(!crate::LeavingMiners::<Test>::contains_key(100));
		assert_eq!(FileBank::holding_count(&100), 0);
	});
}
