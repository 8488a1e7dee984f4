//! The credit rule against the election data: what a low-credit validator can and cannot do.

use crate::{mock::*, Credits, Event, NextToScore, Pallet};
use polkadot_sdk::{
	frame_election_provider_support::{
		DataProviderBounds, ElectionDataProvider, NposSolver, SequentialPhragmen,
	},
	sp_runtime::Perbill,
};

fn targets() -> Vec<u64> {
	<Pallet<Test> as ElectionDataProvider>::electable_targets(DataProviderBounds::default(), 0)
		.unwrap()
}

fn credit(who: u64) -> u32 {
	Pallet::<Test>::credit(&who)
}

/// Four validators, 4 offline in `era` (no blocks, no probe reports).
fn era_with_4_offline(era: u32) {
	end_era(era, &[(1, 100, 5), (2, 100, 5), (3, 100, 5), (4, 0, 0)]);
}

#[test]
fn an_offline_validator_loses_its_seat_then_gets_another_chance() {
	new_test_ext().execute_with(|| {
		chain(|c| {
			c.candidates = vec![1, 2, 3, 4];
			c.seats = 4;
		});
		era_with_4_offline(0);
		assert_eq!((credit(1), credit(4)), (1000, 500));
		assert_eq!(targets(), vec![1, 2, 3, 4], "one bad era is not enough");
		era_with_4_offline(1);
		assert_eq!(credit(4), 250);
		assert_eq!(targets(), vec![1, 2, 3]);
		System::assert_last_event(
			Event::CandidatesSelected { candidates: 4, low_credit: 1, rotated_out: 0, handed: 3 }
				.into(),
		);
		// Out of the set, its credit recovers; chilling and validating again does not reset it.
		end_era(2, &[(1, 100, 5), (2, 100, 5), (3, 100, 5)]);
		assert_eq!(credit(4), 500);
		assert_eq!(targets(), vec![1, 2, 3, 4]);
		// Back at full credit, its entry is gone.
		end_era(3, &[(1, 100, 5), (2, 100, 5), (3, 100, 5)]);
		end_era(4, &[(1, 100, 5), (2, 100, 5), (3, 100, 5)]);
		assert_eq!(Credits::<Test>::get(4), None);
	});
}

#[test]
fn no_stake_elects_a_candidate_the_data_left_out() {
	new_test_ext().execute_with(|| {
		chain(|c| {
			c.candidates = vec![1, 2, 3, 4];
			c.seats = 3;
		});
		era_with_4_offline(0);
		era_with_4_offline(1);
		// Every voter backs 4 with everything it has; the solver still cannot pick 4, because
		// a solution can only name the targets it was handed.
		let voters =
			vec![(10, 1_000_000, vec![4]), (11, 1_000_000, vec![4, 1]), (12, 10, vec![2, 3])];
		let handed = targets();
		assert!(!handed.contains(&4));
		let solution =
			SequentialPhragmen::<u64, Perbill>::solve(3, handed.clone(), voters).unwrap();
		let winners: Vec<u64> = solution.winners.iter().map(|(w, _)| *w).collect();
		assert!(!winners.contains(&4), "{winners:?}");
		assert!(winners.iter().all(|w| handed.contains(w)));
	});
}

#[test]
fn an_offence_zeroes_the_eras_score() {
	new_test_ext().execute_with(|| {
		chain(|c| {
			c.offenders.insert((0, 2));
		});
		end_era(0, &[(1, 100, 5), (2, 100, 5)]);
		assert_eq!((credit(1), credit(2)), (1000, 500));
		System::assert_has_event(
			Event::CreditScored { validator: 2, era: 0, score: 0, credit: 500 }.into(),
		);
	});
}

#[test]
fn a_validator_that_skips_its_probes_loses_credit() {
	new_test_ext().execute_with(|| {
		end_era(0, &[(1, 100, 10), (2, 100, 1)]);
		assert_eq!(credit(2), 600);
		end_era(1, &[(1, 100, 10), (2, 100, 1)]);
		assert_eq!(credit(2), 400);
	});
}

#[test]
fn each_era_is_scored_once_when_the_next_begins() {
	new_test_ext().execute_with(|| {
		assert_eq!(NextToScore::<Test>::get(), Some(0));
		end_era(0, &[(1, 100, 0), (2, 0, 0)]);
		assert_eq!((credit(2), NextToScore::<Test>::get()), (500, Some(1)));
		// More blocks of era 1: nothing more is scored.
		next_block();
		next_block();
		assert_eq!(credit(2), 500);
	});
}

#[test]
fn the_rotation_draws_eligible_candidates_by_randomness_and_credit() {
	new_test_ext().execute_with(|| {
		chain(|c| {
			c.candidates = (1..=20).collect();
			c.seats = 8;
		});
		// 20 is low on credit: never handed.
		Credits::<Test>::insert(20, 100);
		let first = targets();
		// 8 seats and 25 % slack: 10 candidates.
		assert_eq!(first.len(), 10);
		assert!(!first.contains(&20));
		System::assert_last_event(
			Event::CandidatesSelected { candidates: 20, low_credit: 1, rotated_out: 9, handed: 10 }
				.into(),
		);
		assert_eq!(targets(), first, "the same randomness draws the same candidates");
		chain(|c| c.seed = [7; 32]);
		let second = targets();
		assert_eq!(second.len(), 10);
		assert_ne!(first, second, "new randomness rotates the candidates");
		// Over many draws, a candidate with half the credit is handed about half as often.
		let (mut full, mut half) = (0, 0);
		Credits::<Test>::insert(19, 500);
		for seed in 0..200u8 {
			chain(|c| c.seed = [seed; 32]);
			let handed = targets();
			full += handed.contains(&1) as u32;
			half += handed.contains(&19) as u32;
		}
		assert!(half * 3 < full * 2 && half > 0, "full {full}, half {half}");
	});
}

#[test]
fn with_too_few_eligible_the_best_credited_are_kept() {
	new_test_ext().execute_with(|| {
		chain(|c| {
			c.candidates = vec![1, 2, 3];
			c.seats = 3;
		});
		Credits::<Test>::insert(1, 100);
		Credits::<Test>::insert(2, 300);
		Credits::<Test>::insert(3, 200);
		// MinTargets is 2 in the mock.
		assert_eq!(targets(), vec![2, 3]);
	});
}
