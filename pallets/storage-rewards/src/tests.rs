//! Era pools, proportional shares, vesting exact to the unit, expiry and the errors.

use crate::{mock::*, Carry, Error, Event, Expiring, Pools, Scores, Vesting};
use cess_primitives::traits::ProofRewards;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::{DispatchError, Perbill},
};

fn pass(who: u64) {
	<StorageRewards as ProofRewards<u64>>::round_passed(&who);
}

fn claim(who: u64, era: u32) -> polkadot_sdk::sp_runtime::DispatchResult {
	StorageRewards::claim_rewards(RuntimeOrigin::signed(who), era)
}

fn withdraw(who: u64) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	StorageRewards::withdraw_vested(RuntimeOrigin::signed(who))
}

fn immediate_of(amount: u64) -> u64 {
	Perbill::from_percent(20) * amount
}

#[test]
fn shares_are_proportional_to_bytes_rounds_and_credit() {
	build_and_execute(|| {
		miner(1, 100, 500, 11);
		miner(2, 300, 500, 12);
		miner(3, 100, 1000, 13);
		// Miner 1: one round; miner 2: three times the bytes, one round; miner 3: twice the
		// credit, two rounds.
		pass(1);
		pass(2);
		pass(3);
		pass(3);
		collect_fees(200_000);
		close_era(0);
		let pool = ISSUANCE + 200_000;
		System::assert_has_event(
			Event::EraClosed {
				era: 0,
				pool,
				issued: ISSUANCE,
				fees: 200_000,
				total_score: 50_000 + 150_000 + 2 * 100_000,
				cap: StorageRewards::storage_cap(400_000),
				carried: 0,
			}
			.into(),
		);
		assert_eq!(balance(FEES), 0, "fees moved into the pool");
		// Scores 1 : 3 : 4 of 8.
		for (who, beneficiary, parts) in [(1, 11, 1), (2, 12, 3), (3, 13, 4)] {
			assert_ok!(claim(who, 0));
			let amount = pool * parts / 8;
			let immediate = immediate_of(amount);
			System::assert_last_event(
				Event::RewardClaimed {
					miner: who,
					era: 0,
					beneficiary,
					amount,
					immediate,
					vesting: amount - immediate,
				}
				.into(),
			);
			assert_eq!(balance(beneficiary), immediate, "paid to the beneficiary");
			assert_eq!(balance(who), 0);
		}
		assert_eq!(Pools::<Test>::get(0).unwrap().paid, pool);
	});
}

#[test]
fn vesting_pays_exactly_the_share_to_the_unit() {
	build_and_execute(|| {
		// Three equal scores: 1 000 000 / 3 leaves a unit of dust.
		for who in 1..=3 {
			miner(who, 7, 3, 10 + who);
			pass(who);
		}
		close_era(0);
		for who in 1..=3 {
			assert_ok!(claim(who, 0));
		}
		let amount = ISSUANCE / 3;
		let immediate = immediate_of(amount);
		let vesting = amount - immediate;
		let start = System::block_number();
		assert_eq!(balance(11), immediate);
		// The unit of dust stays in the pot until the era expires.
		let pool = Pools::<Test>::get(0).unwrap();
		assert_eq!(pool.pool - pool.paid, ISSUANCE - 3 * amount);

		roll_to(start + 4);
		assert_ok!(withdraw(11));
		let first = vesting * 4 / VESTING;
		assert_eq!(balance(11), immediate + first);
		System::assert_last_event(Event::VestedWithdrawn { who: 11, amount: first }.into());
		assert_eq!(StorageRewards::vesting_of(&11), (0, vesting - first));
		assert_noop!(withdraw(11), Error::<Test>::NothingVested);

		roll_to(start + VESTING + 5);
		assert_ok!(withdraw(11));
		assert_eq!(balance(11), amount, "immediate + vested = the share, to the unit");
		assert!(Vesting::<Test>::get(11).is_empty(), "finished schedule removed");
		assert_noop!(withdraw(11), Error::<Test>::NothingVested);
	});
}

#[test]
fn an_era_without_scores_carries_its_pool() {
	build_and_execute(|| {
		miner(1, 100, 500, 11);
		collect_fees(1_000);
		let before = polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get();
		close_era(0);
		assert!(Pools::<Test>::get(0).is_none());
		assert_eq!(Carry::<Test>::get(), 1_000, "the fees wait; nothing is minted for nothing");
		assert_eq!(polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get(), before);
		assert_noop!(claim(1, 0), Error::<Test>::NothingToClaim);
		pass(1);
		close_era(1);
		assert_eq!(Pools::<Test>::get(1).unwrap().pool, ISSUANCE + 1_000);
		assert_eq!(Carry::<Test>::get(), 0);
		assert_ok!(claim(1, 1));
		assert_eq!(balance(11), immediate_of(ISSUANCE + 1_000));
	});
}

#[test]
fn unclaimed_shares_expire_into_a_later_pool_and_scores_are_cleared() {
	build_and_execute(|| {
		for who in 1..=5 {
			miner(who, 10, 10, 10 + who);
			pass(who);
		}
		close_era(0);
		assert_ok!(claim(1, 0));
		close_era(1);
		// Still claimable while it is within ClaimDepth (2) eras.
		assert_ok!(claim(2, 0));
		close_era(2);
		System::assert_has_event(Event::EraExpired { era: 0, unclaimed: ISSUANCE * 3 / 5 }.into());
		assert_noop!(claim(3, 0), Error::<Test>::EraExpired);
		// Eras 1 and 2 had no score: nothing minted, the unclaimed shares wait.
		assert_eq!(Carry::<Test>::get(), ISSUANCE * 3 / 5);
		// Three score entries left, cleared two per block.
		// The three left score entries are cleared at most `CleanupBatch` a block.
		roll_to(System::block_number() + 2);
		assert_eq!(Scores::<Test>::iter_prefix(0).count(), 0);
		assert!(Expiring::<Test>::get().is_empty());
	});
}

#[test]
fn claims_and_withdrawals_fail_with_their_own_error() {
	build_and_execute(|| {
		for who in 1..=4 {
			miner(who, 10, 10, 50);
			pass(who);
		}
		miner(6, 10, 10, 60);
		assert_noop!(claim(1, 0), Error::<Test>::EraNotClosed);
		close_era(0);
		assert_noop!(claim(6, 0), Error::<Test>::NothingToClaim);
		assert_noop!(claim(9, 0), Error::<Test>::NothingToClaim);
		assert_noop!(
			StorageRewards::claim_rewards(RuntimeOrigin::none(), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(withdraw(60), Error::<Test>::NothingVested);
		// All four miners pay beneficiary 50, which holds at most three schedules.
		for who in 1..=3 {
			assert_ok!(claim(who, 0));
		}
		assert_noop!(claim(1, 0), Error::<Test>::NothingToClaim);
		assert_noop!(claim(4, 0), Error::<Test>::TooManySchedules);
		roll_to(System::block_number() + VESTING);
		assert_ok!(withdraw(50));
		assert_ok!(claim(4, 0));
	});
}

#[test]
fn unknown_or_empty_miners_score_nothing() {
	build_and_execute(|| {
		miner(1, 0, 500, 11);
		pass(1);
		pass(2);
		assert_eq!(crate::EraScore::<Test>::get(), 0);
		assert!(Scores::<Test>::iter().next().is_none());
	});
}

#[test]
fn claimable_lists_open_shares() {
	build_and_execute(|| {
		miner(1, 10, 10, 11);
		miner(2, 30, 10, 12);
		pass(1);
		pass(2);
		close_era(0);
		pass(1);
		close_era(1);
		assert_eq!(StorageRewards::claimable_of(&1), vec![(0, ISSUANCE / 4), (1, ISSUANCE)]);
		assert_ok!(claim(1, 0));
		assert_eq!(StorageRewards::claimable_of(&1), vec![(1, ISSUANCE)]);
	});
}

/// A GiB.
const GIB: u64 = 1 << 30;

/// The attack: a dealer leases 1 GiB for a day (1 000 units at 1 000 per GiB-day), uploads junk
/// to its own miner and proves it every round of the day. On e4b750e the era paid it the whole
/// issuance (1 000 000) plus its own fee back; now the pool is capped at the lease price of the
/// proven storage, so the dealer gets back at most what it paid, and less below full credit.
#[test]
fn self_dealing_junk_uploads_do_not_pay() {
	build_and_execute(|| {
		StoragePrice::set(&1_000);
		for (credit, expected) in [(1000, 1_000), (500, 500)] {
			let era = crate::CurrentEra::<Test>::get();
			let dealer = 10 + u64::from(credit);
			miner(dealer, GIB, credit, dealer);
			collect_fees(1_000);
			let minted = polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get();
			for _ in 0..24 {
				pass(dealer);
			}
			close_era(era);
			assert_ok!(claim(dealer, era));
			let paid = Pools::<Test>::get(era).unwrap().paid;
			assert_eq!(paid, expected, "a GiB-day earns at most its lease price × credit");
			assert!(paid <= 1_000, "never more than the lease cost");
			assert_eq!(
				polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get(),
				minted,
				"nothing minted"
			);
			miner(dealer, 0, credit, dealer);
		}
		// What the cap left over waits in the pot for an era that can use it.
		assert_eq!(Carry::<Test>::get(), 500);
	});
}

#[test]
fn issuance_tops_the_pool_up_to_the_cap_only() {
	build_and_execute(|| {
		StoragePrice::set(&1_000);
		miner(1, 100 * GIB, 1000, 1);
		collect_fees(30_000);
		let before = polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get();
		for _ in 0..24 {
			pass(1);
		}
		close_era(0);
		// 100 GiB-days at 1 000: 100 000; fees pay 30 000, issuance the other 70 000.
		let pool = Pools::<Test>::get(0).unwrap();
		assert_eq!(pool.pool, 100_000);
		assert_eq!(polkadot_sdk::pallet_balances::TotalIssuance::<Test>::get(), before + 70_000);
		// Prepaid fees not yet earned stay in the fee account.
		Unreleased::set(&5_000);
		collect_fees(8_000);
		pass(1);
		close_era(1);
		System::assert_has_event(
			Event::EraClosed {
				era: 1,
				pool: 100_000 / 24,
				issued: 100_000 / 24 - 3_000,
				fees: 3_000,
				total_score: 100 * u128::from(GIB) * 1000,
				cap: 100_000 / 24,
				carried: 0,
			}
			.into(),
		);
		assert_eq!(balance(FEES), 5_000);
	});
}

#[test]
fn idle_space_scores_its_share_of_what_stored_bytes_score() {
	build_and_execute(|| {
		// Miner 1 stores 100 bytes; miner 2 stores nothing but proves 1 000 idle bytes; both at
		// credit 500.
		miner(1, 100, 500, 11);
		miner(2, 0, 500, 12);
		pass(1);
		<StorageRewards as ProofRewards<u64>>::idle_round_passed(&2, 1_000);
		// IdleShare is 10 %: 1 000 idle bytes score as 100 stored ones.
		assert_eq!(Scores::<Test>::get(0, 1), Some(50_000));
		assert_eq!(Scores::<Test>::get(0, 2), Some(50_000));
		assert_eq!(crate::EraScore::<Test>::get(), 100_000);
		// Nothing proven, or an unknown miner: no score.
		<StorageRewards as ProofRewards<u64>>::idle_round_passed(&2, 0);
		<StorageRewards as ProofRewards<u64>>::idle_round_passed(&9, 1_000);
		assert_eq!(crate::EraScore::<Test>::get(), 100_000);
	});
}
