//! Unit tests: every call's success path and every error, plus the glue traits.

use crate::{mock::*, Error, Event, HoldReason, MinerState, Miners, PositiveCount, PositiveMiners};
use cess_primitives::traits::{CreditReason, MinerPenalties, MinerRegistry, SpaceError};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec},
	frame_system,
};

fn peer() -> crate::PeerIdOf<Test> {
	BoundedVec::truncate_from(b"12D3KooWpeer".to_vec())
}

fn addrs() -> crate::MultiaddrsOf<Test> {
	BoundedVec::truncate_from(vec![BoundedVec::truncate_from(b"/ip4/127.0.0.1/tcp/4001".to_vec())])
}

fn register(who: u64, capacity: u64, collateral: u64) -> polkadot_sdk::sp_runtime::DispatchResult {
	Sminer::register(RuntimeOrigin::signed(who), who + 100, peer(), addrs(), capacity, collateral)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Collateral.into(), &who)
}

fn roll_to(n: u64) {
	frame_system::Pallet::<Test>::set_block_number(n);
}

#[test]
fn register_holds_collateral_and_indexes_the_miner() {
	build_and_execute(|| {
		assert_ok!(register(1, 2 * GIB, PER_TIB));
		let info = Miners::<Test>::get(1).unwrap();
		// Account 101 is proposed; the miner is paid until it accepts.
		assert_eq!(info.beneficiary, 1);
		assert_eq!(crate::ProposedBeneficiary::<Test>::get(1), Some(101));
		assert_eq!(info.declared, 2 * GIB);
		assert_eq!(info.credit, 500);
		assert_eq!(info.state, MinerState::Positive);
		assert_eq!(held(1), PER_TIB);
		assert_eq!(PositiveCount::<Test>::get(), 1);
		assert_eq!(PositiveMiners::<Test>::get(0), Some(1));
		System::assert_has_event(
			Event::Registered { miner: 1, capacity: 2 * GIB, collateral: PER_TIB }.into(),
		);
		System::assert_last_event(Event::BeneficiaryProposed { miner: 1, beneficiary: 101 }.into());
	});
}

#[test]
fn register_rejects_bad_input_without_changing_state() {
	build_and_execute(|| {
		assert_noop!(register(1, GIB - 1, PER_TIB), Error::<Test>::CapacityTooSmall);
		assert_noop!(register(1, (4 << 40) + 1, 10 * PER_TIB), Error::<Test>::CapacityTooLarge);
		// 1 TiB + 1 byte needs two TiB of collateral.
		assert_noop!(register(1, (1 << 40) + 1, PER_TIB), Error::<Test>::InsufficientCollateral);
		assert_noop!(register(1, GIB, START_BALANCE + 1), Error::<Test>::InsufficientBalance);
		assert_noop!(
			Sminer::register(RuntimeOrigin::signed(1), 1, BoundedVec::new(), addrs(), GIB, PER_TIB),
			Error::<Test>::EmptyPeerId
		);
		assert_noop!(
			Sminer::register(RuntimeOrigin::signed(1), 1, peer(), BoundedVec::new(), GIB, PER_TIB),
			Error::<Test>::BadMultiaddrs
		);
		assert_noop!(
			Sminer::register(RuntimeOrigin::none(), 1, peer(), addrs(), GIB, PER_TIB),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(register(1, GIB, PER_TIB));
		assert_noop!(register(1, GIB, PER_TIB), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn registry_is_bounded() {
	build_and_execute(|| {
		for who in 1..=8 {
			assert_ok!(register(who, GIB, PER_TIB));
		}
		assert_noop!(register(9, GIB, PER_TIB), Error::<Test>::TooManyMiners);
	});
}

#[test]
fn capacity_needs_collateral_first() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		assert_noop!(
			Sminer::increase_capacity(RuntimeOrigin::signed(1), 1 << 40),
			Error::<Test>::InsufficientCollateral
		);
		assert_noop!(
			Sminer::increase_capacity(RuntimeOrigin::signed(1), 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Sminer::increase_capacity(RuntimeOrigin::signed(1), u64::MAX),
			Error::<Test>::CapacityTooLarge
		);
		assert_noop!(
			Sminer::increase_capacity(RuntimeOrigin::signed(2), GIB),
			Error::<Test>::NotRegistered
		);
		assert_ok!(Sminer::increase_collateral(RuntimeOrigin::signed(1), PER_TIB));
		System::assert_last_event(
			Event::CollateralIncreased { miner: 1, amount: PER_TIB, total: 2 * PER_TIB }.into(),
		);
		assert_ok!(Sminer::increase_capacity(RuntimeOrigin::signed(1), 1 << 40));
		System::assert_last_event(
			Event::CapacityIncreased { miner: 1, capacity: GIB + (1 << 40) }.into(),
		);
		assert_eq!(held(1), 2 * PER_TIB);
	});
}

#[test]
fn increase_collateral_errors() {
	build_and_execute(|| {
		assert_noop!(
			Sminer::increase_collateral(RuntimeOrigin::signed(1), 5),
			Error::<Test>::NotRegistered
		);
		assert_ok!(register(1, GIB, PER_TIB));
		assert_noop!(
			Sminer::increase_collateral(RuntimeOrigin::signed(1), 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Sminer::increase_collateral(RuntimeOrigin::signed(1), START_BALANCE),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn endpoints_and_beneficiary_update() {
	build_and_execute(|| {
		assert_noop!(
			Sminer::update_endpoints(RuntimeOrigin::signed(1), peer(), addrs()),
			Error::<Test>::NotRegistered
		);
		assert_noop!(
			Sminer::update_beneficiary(RuntimeOrigin::signed(1), 7),
			Error::<Test>::NotRegistered
		);
		assert_ok!(register(1, GIB, PER_TIB));
		let new_peer: crate::PeerIdOf<Test> = BoundedVec::truncate_from(b"12D3KooWnew".to_vec());
		let bad_addrs: crate::MultiaddrsOf<Test> =
			BoundedVec::truncate_from(vec![BoundedVec::new()]);
		assert_noop!(
			Sminer::update_endpoints(RuntimeOrigin::signed(1), new_peer.clone(), bad_addrs),
			Error::<Test>::BadMultiaddrs
		);
		assert_ok!(Sminer::update_endpoints(RuntimeOrigin::signed(1), new_peer.clone(), addrs()));
		System::assert_last_event(Event::EndpointsUpdated { miner: 1 }.into());
		assert_eq!(Miners::<Test>::get(1).unwrap().peer_id, new_peer);
		assert_ok!(Sminer::update_beneficiary(RuntimeOrigin::signed(1), 7));
		System::assert_last_event(Event::BeneficiaryProposed { miner: 1, beneficiary: 7 }.into());
		assert_noop!(
			Sminer::accept_beneficiary(RuntimeOrigin::signed(8), 1),
			Error::<Test>::NotProposed
		);
		assert_ok!(Sminer::accept_beneficiary(RuntimeOrigin::signed(7), 1));
		System::assert_last_event(Event::BeneficiaryUpdated { miner: 1, beneficiary: 7 }.into());
		assert_eq!(Miners::<Test>::get(1).unwrap().beneficiary, 7);
		assert_eq!(crate::ProposedBeneficiary::<Test>::get(1), None);
		// Back to itself: at once.
		assert_ok!(Sminer::update_beneficiary(RuntimeOrigin::signed(1), 1));
		assert_eq!(Miners::<Test>::get(1).unwrap().beneficiary, 1);
	});
}

/// The beneficiary-griefing attack: a miner names a stranger as its beneficiary and claims dust
/// every era, filling the stranger's vesting slots so its own rewards cannot vest. Naming is
/// only a proposal: the rewards stay the miner's until the stranger accepts, and a proposal that
/// is replaced or withdrawn cannot be accepted.
#[test]
fn beneficiary_griefing_needs_the_victims_consent() {
	use cess_primitives::traits::MinerStanding;
	build_and_execute(|| {
		assert_ok!(Sminer::register(RuntimeOrigin::signed(2), 9, peer(), addrs(), GIB, PER_TIB));
		assert_eq!(<Sminer as MinerStanding<u64>>::beneficiary(&2), Some(2));
		assert_ok!(Sminer::update_beneficiary(RuntimeOrigin::signed(2), 2));
		assert_noop!(
			Sminer::accept_beneficiary(RuntimeOrigin::signed(9), 2),
			Error::<Test>::NotProposed
		);
		assert_eq!(<Sminer as MinerStanding<u64>>::beneficiary(&2), Some(2));
	});
}

#[test]
fn space_is_never_over_committed() {
	build_and_execute(|| {
		assert_ok!(register(1, 10 * GIB, PER_TIB));
		assert_eq!(Sminer::lock_space(&1, 6 * GIB), Ok(()));
		assert_eq!(Sminer::lock_space(&1, 5 * GIB), Err(SpaceError::InsufficientSpace));
		Sminer::commit_space(&1, 6 * GIB);
		assert_eq!(Sminer::placement_info(&1).unwrap().free, 4 * GIB);
		assert_eq!(Sminer::lock_space(&1, 4 * GIB), Ok(()));
		assert_eq!(Sminer::lock_space(&1, 1), Err(SpaceError::InsufficientSpace));
		Sminer::unlock_space(&1, 4 * GIB);
		Sminer::release_space(&1, 6 * GIB);
		let info = Miners::<Test>::get(1).unwrap();
		assert_eq!((info.used, info.locked), (0, 0));
		assert_eq!(Sminer::lock_space(&2, 1), Err(SpaceError::UnknownMiner));
	});
}

#[test]
fn a_big_declaration_gets_no_more_data_than_verified_capacity() {
	build_and_execute(|| {
		// The attacker declares 10 GiB but proved only 3 GiB of idle space.
		assert_ok!(register(1, 10 * GIB, PER_TIB));
		MockCapacity::limit(1, 3 * GIB);
		assert_eq!(Sminer::placement_info(&1).unwrap().free, 3 * GIB);
		assert_eq!(Sminer::lock_space(&1, 4 * GIB), Err(SpaceError::InsufficientSpace));
		assert_eq!(Sminer::lock_space(&1, 3 * GIB), Ok(()));
		assert_eq!(Sminer::placement_info(&1).unwrap().free, 0);
		// Placed data converts verified capacity; what leaves returns to it.
		Sminer::commit_space(&1, 2 * GIB);
		Sminer::unlock_space(&1, GIB);
		Sminer::release_space(&1, 5 * GIB);
		assert_eq!(
			MockCapacity::log(),
			vec![(1, 3 * GIB as i64), (1, -(GIB as i64)), (1, -2 * GIB as i64)],
			"only what was locked or used goes back"
		);
		assert_eq!(Sminer::placement_info(&1).unwrap().free, 3 * GIB);
		// The declaration still caps it: verified capacity beyond it is not assignable.
		MockCapacity::limit(1, 20 * GIB);
		assert_eq!(Sminer::placement_info(&1).unwrap().free, 10 * GIB);
	});
}

#[test]
fn slash_below_requirement_freezes_and_top_up_thaws() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		assert_ok!(register(2, GIB, PER_TIB));
		assert_eq!(Sminer::slash(&1, 10), 10);
		assert_eq!(held(1), PER_TIB - 10);
		let info = Miners::<Test>::get(1).unwrap();
		assert_eq!(info.state, MinerState::Frozen);
		assert!(!Sminer::is_positive(&1));
		assert_eq!(PositiveCount::<Test>::get(), 1);
		assert_eq!(PositiveMiners::<Test>::get(0), Some(2));
		assert_eq!(Sminer::lock_space(&1, 1), Err(SpaceError::NotPositive));
		// Slashing never takes more than the collateral.
		assert_eq!(Sminer::slash(&2, 10 * PER_TIB), PER_TIB);
		assert_eq!(held(2), 0);
		// Top-up that still falls short keeps the miner frozen.
		assert_ok!(Sminer::increase_collateral(RuntimeOrigin::signed(1), 5));
		assert_eq!(Miners::<Test>::get(1).unwrap().state, MinerState::Frozen);
		assert_ok!(Sminer::increase_collateral(RuntimeOrigin::signed(1), 5));
		System::assert_last_event(Event::Thawed { miner: 1 }.into());
		assert!(Sminer::is_positive(&1));
	});
}

#[test]
fn credit_is_clamped_and_history_bounded() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		Sminer::adjust_credit(&1, 700, CreditReason::RoundPassed);
		assert_eq!(Miners::<Test>::get(1).unwrap().credit, 1000);
		Sminer::adjust_credit(&1, -2000, CreditReason::ProofFailed);
		assert_eq!(Miners::<Test>::get(1).unwrap().credit, 0);
		System::assert_last_event(
			Event::CreditChanged { miner: 1, credit: 0, reason: CreditReason::ProofFailed }.into(),
		);
		for _ in 0..5 {
			Sminer::adjust_credit(&1, 10, CreditReason::ProbePassed);
		}
		let history = Sminer::credit_history_of(&1);
		assert_eq!(history.len(), 4);
		assert!(history.iter().all(|e| e.delta == 10 && e.reason == CreditReason::ProbePassed));
		// The first entries recorded the clamped deltas.
		Sminer::adjust_credit(&9, 10, CreditReason::ProbePassed); // unknown miner: ignored
		assert!(Sminer::credit_history_of(&9).is_empty());
	});
}

#[test]
fn exit_waits_for_restoral_or_cooling() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::NotLeaving);
		MockHoldings::set(1, 3, 0);
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::ExitRequested { miner: 1 }.into());
		assert_eq!(MockHoldings::leaving(), vec![1]);
		assert!(!Sminer::is_positive(&1));
		assert_eq!(PositiveCount::<Test>::get(), 0);
		assert_noop!(Sminer::request_exit(RuntimeOrigin::signed(1)), Error::<Test>::Leaving);
		assert_noop!(
			Sminer::increase_collateral(RuntimeOrigin::signed(1), 1),
			Error::<Test>::Leaving
		);
		assert_noop!(
			Sminer::increase_capacity(RuntimeOrigin::signed(1), 1),
			Error::<Test>::Leaving
		);
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::ExitNotReady);
		// Holdings turned into orders, orders still open.
		MockHoldings::set(1, 0, 2);
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::ExitNotReady);
		// All restored.
		MockHoldings::set(1, 0, 0);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::Exited { miner: 1, collateral: PER_TIB }.into());
		assert_eq!(held(1), 0);
		assert!(Miners::<Test>::get(1).is_none());
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::NotRegistered);
		assert_noop!(Sminer::request_exit(RuntimeOrigin::signed(1)), Error::<Test>::NotRegistered);
	});
}

#[test]
fn exit_completes_after_cooling_period() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		MockHoldings::set(1, 5, 5);
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(1)));
		roll_to(1 + COOLING - 1);
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::ExitNotReady);
		roll_to(1 + COOLING);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(1)));
		// It may register again afterwards.
		assert_ok!(register(1, GIB, PER_TIB));
	});
}

/// The abandonment attack: a miner with data exits and waits out the cooling period without
/// its columns being restored, and got all its collateral back (abandoning 1 TiB cost only the
/// slashes of a few missed rounds). The collateral backing what is left is now slashed.
#[test]
fn abandoning_data_forfeits_the_collateral_backing_it() {
	use crate::types::TIB;
	build_and_execute(|| {
		assert_ok!(register(1, 4 * TIB, 4 * PER_TIB));
		// 1 TiB of columns turned into orders nobody completed, ½ TiB still held.
		Miners::<Test>::mutate(1, |info| info.as_mut().unwrap().used = TIB / 2);
		MockHoldings::set(1, 1, 1);
		MockHoldings::set_bytes(1, TIB);
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(1)));
		roll_to(1 + COOLING);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(1)));
		let slashed = PER_TIB * 3 / 2;
		System::assert_has_event(
			Event::UnrestoredDataSlashed { miner: 1, bytes: TIB + TIB / 2, amount: slashed }.into(),
		);
		System::assert_last_event(
			Event::Exited { miner: 1, collateral: 4 * PER_TIB - slashed }.into(),
		);
	});
}

/// The credit-washing attack: a miner with a bad record exits, withdraws and registers again to
/// start over with `InitialCredit`. Its low credit survives; a good record is not carried over
/// (nor stored), and a fresh registration starts at `InitialCredit`.
#[test]
fn credit_washing_by_withdraw_and_reregister_keeps_the_low_credit() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		Sminer::adjust_credit(&1, -350, CreditReason::RoundMissed);
		assert_eq!(Miners::<Test>::get(1).unwrap().credit, 150);
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(1)));
		roll_to(1 + COOLING);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(1)));
		assert_eq!(crate::FormerCredit::<Test>::get(1), Some(150));
		assert_ok!(register(1, GIB, PER_TIB));
		assert_eq!(Miners::<Test>::get(1).unwrap().credit, 150, "the bad record survives");
		assert_eq!(crate::FormerCredit::<Test>::get(1), None);

		assert_ok!(register(2, GIB, PER_TIB));
		Sminer::adjust_credit(&2, 100, CreditReason::RoundPassed);
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(2)));
		roll_to(1 + 2 * COOLING);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(2)));
		assert_eq!(crate::FormerCredit::<Test>::get(2), None);
		assert_ok!(register(2, GIB, PER_TIB));
		assert_eq!(Miners::<Test>::get(2).unwrap().credit, 500);
	});
}

#[test]
fn forced_out_miner_withdraws_what_is_left() {
	build_and_execute(|| {
		assert_ok!(register(1, GIB, PER_TIB));
		assert_ok!(register(2, GIB, PER_TIB));
		Sminer::slash(&1, 300);
		Sminer::force_out(&1);
		System::assert_last_event(Event::ForcedOut { miner: 1 }.into());
		assert_eq!(MockHoldings::leaving(), vec![1]);
		assert!(matches!(Miners::<Test>::get(1).unwrap().state, MinerState::Offline { .. }));
		// A second forced exit is a no-op.
		Sminer::force_out(&1);
		assert_eq!(MockHoldings::leaving(), vec![1]);
		assert_eq!(PositiveMiners::<Test>::get(0), Some(2));
		MockHoldings::set(1, 0, 1);
		assert_noop!(Sminer::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::ExitNotReady);
		roll_to(1 + COOLING);
		assert_ok!(Sminer::withdraw(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::Exited { miner: 1, collateral: PER_TIB - 300 }.into());
		assert_eq!(Balances::free_balance(1), START_BALANCE - 300);
	});
}

#[test]
fn positive_index_stays_dense_under_churn() {
	build_and_execute(|| {
		for who in 1..=6 {
			assert_ok!(register(who, GIB, PER_TIB));
		}
		assert_ok!(Sminer::request_exit(RuntimeOrigin::signed(2)));
		Sminer::slash(&5, 1);
		Sminer::force_out(&1);
		assert_eq!(Sminer::positive_count(), 3);
		let mut seen: Vec<u64> =
			(0..3).map(|i| Sminer::positive_at(i).expect("dense index")).collect();
		seen.sort();
		assert_eq!(seen, vec![3, 4, 6]);
		assert_eq!(Sminer::positive_at(3), None);
		assert_eq!(Sminer::miner_counts(), (6, 3));
	});
}

#[test]
fn runtime_api_summary() {
	build_and_execute(|| {
		assert!(Sminer::miner_summary(&1).is_none());
		assert_ok!(register(1, 3 * GIB, PER_TIB));
		MockHoldings::set(1, 2, 1);
		assert_ok!(Sminer::lock_space(&1, GIB));
		let s = Sminer::miner_summary(&1).unwrap();
		assert_eq!((s.declared, s.locked, s.free), (3 * GIB, GIB, 2 * GIB));
		assert_eq!((s.collateral, s.collateral_required), (PER_TIB, PER_TIB));
		assert_eq!((s.holdings, s.outstanding_restorals), (2, 1));
	});
}
