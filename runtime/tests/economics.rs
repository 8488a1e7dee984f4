//! The money rules against `docs/economics.md`: the numbers the page states are the runtime's,
//! and a year of issuance stays within the stated bound.

use cess_runtime::{
	configs::{era_issuance, RewardCurve, RewardEra},
	constants::{currency::*, economics::*, time::*},
	genesis_config_presets::{STORAGE_UNIT_PRICE, VALIDATOR_BOND},
	Balance, Runtime,
};
use polkadot_sdk::{
	pallet_staking::EraPayout,
	sp_runtime::{Perbill, Percent},
};
use std::collections::BTreeMap;

type StakingPayout = <Runtime as polkadot_sdk::pallet_staking::Config>::EraPayout;

/// `parts` of a billion as a percentage, without trailing zeros: "2.5 %".
fn percent(share: Perbill) -> String {
	let text = format!("{:.7}", share.deconstruct() as f64 / 10_000_000.0);
	format!("{} %", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A balance in whole tokens, without trailing zeros: "0.01 TCESS".
fn tokens(amount: Balance) -> String {
	let whole = amount / DOLLARS;
	let fraction = format!("{:018}", amount % DOLLARS);
	let fraction = fraction.trim_end_matches('0');
	if fraction.is_empty() {
		format!("{whole} {TOKEN_SYMBOL}")
	} else {
		format!("{whole}.{fraction} {TOKEN_SYMBOL}")
	}
}

/// What a year of the issuance rules mints, as shares of the starting supply: (to stakers, to
/// the treasury, into storage pools), with `staked` of the supply staked and every storage pool
/// minting its whole allowance (no lease fees at all: the worst case).
fn one_year(staked: Perbill) -> (f64, f64, f64) {
	let start: Balance = 100_000_000 * DOLLARS;
	let staking_era_ms =
		SESSIONS_PER_ERA as u64 * EPOCH_DURATION_IN_BLOCKS as u64 * MILLI_SECS_PER_BLOCK;
	let storage_era_ms = RewardEra::get() as u64 * MILLI_SECS_PER_BLOCK;
	let (mut total, mut stakers, mut treasury, mut storage) = (start, 0, 0, 0);
	let (mut next_staking, mut next_storage) = (staking_era_ms, storage_era_ms);
	while next_staking.min(next_storage) <= MILLISECONDS_PER_YEAR {
		if next_staking <= next_storage {
			let (paid, rest) =
				StakingPayout::era_payout(staked.mul_floor(total), total, staking_era_ms);
			stakers += paid;
			treasury += rest;
			total += paid + rest;
			next_staking += staking_era_ms;
		} else {
			let minted = era_issuance(total);
			storage += minted;
			total += minted;
			next_storage += storage_era_ms;
		}
	}
	let share = |x: Balance| x as f64 / start as f64;
	(share(stakers), share(treasury), share(storage))
}

/// The rows "| `NAME` (comment) | value |" of the page, by name.
fn documented() -> BTreeMap<String, String> {
	let page = std::fs::read_to_string(format!(
		"{}/../docs/economics.md",
		std::env::var("CARGO_MANIFEST_DIR").unwrap()
	))
	.expect("docs/economics.md is readable");
	page.lines()
		.filter_map(|line| {
			let cells: Vec<&str> = line.split('|').map(str::trim).collect();
			// "`Name` (what it is)" names `Name`.
			let first = cells.get(1)?;
			let name = match first.strip_prefix('`') {
				Some(quoted) => quoted.split('`').next()?,
				None => first,
			};
			Some((name.to_string(), cells.get(2)?.to_string()))
		})
		.collect()
}

#[test]
fn the_reward_curve_is_the_stated_staking_inflation() {
	let curve = RewardCurve::get();
	assert_eq!(curve.maximum, STAKING_MAX_INFLATION);
	assert_eq!(curve.points[0].1, STAKING_MIN_INFLATION);
}

#[test]
fn a_year_of_issuance_stays_within_the_stated_bound() {
	let bound = (STAKING_MAX_INFLATION + STORAGE_MAX_INFLATION).deconstruct() as f64 / 1e9;
	// Minting every era compounds: at most e^bound - 1 a year.
	let compounded = bound.exp_m1();
	for staked in [0, 20, 50, 80, 100].map(Perbill::from_percent) {
		let (stakers, treasury, storage) = one_year(staked);
		let staking = stakers + treasury;
		println!(
			"{staked:?} staked: stakers {:.3} %, treasury {:.3} %, storage {:.3} %",
			stakers * 100.0,
			treasury * 100.0,
			storage * 100.0
		);
		assert!(stakers + treasury + storage <= compounded + 1e-9);
		// Each part mints its rate of a supply that both grow: its share of the compounded
		// total.
		let staking_max = STAKING_MAX_INFLATION.deconstruct() as f64 / 1e9 / bound * compounded;
		assert!(staking <= staking_max + 1e-9 && staking >= staking_max * 0.99, "{staking}");
		// Both eras end together every 6 hours and staking is paid first, so the storage pool
		// mints on a supply that already holds that instant's staking issuance: its share can
		// exceed its continuous share by one era's staking growth, a factor of at most
		// 1 + STAKING_MAX_INFLATION × era / year (at 0 % staked, 0.04206862 against
		// 0.04206837, while staking falls short by more and the total stays within `compounded`).
		let storage_era =
			(RewardEra::get() as u64 * MILLI_SECS_PER_BLOCK) as f64 / MILLISECONDS_PER_YEAR as f64;
		let same_instant = 1.0 + STAKING_MAX_INFLATION.deconstruct() as f64 / 1e9 * storage_era;
		let storage_max = STORAGE_MAX_INFLATION.deconstruct() as f64 / 1e9 / bound * compounded;
		assert!(
			storage <= storage_max * same_instant + 1e-9 && storage >= storage_max * 0.99,
			"{storage}"
		);
		if staked == Perbill::from_percent(50) {
			// At the ideal stake, stakers get all of the staking issuance.
			assert!(treasury < 1e-6, "{treasury}");
		}
	}
	let doc = documented();
	assert_eq!(doc["yearly issuance, most"], format!("{:.2} %", compounded * 100.0));
}

#[test]
fn the_documented_numbers_are_the_runtimes() {
	let expected = BTreeMap::from([
		("STAKING_MAX_INFLATION", percent(STAKING_MAX_INFLATION)),
		("STAKING_MIN_INFLATION", percent(STAKING_MIN_INFLATION)),
		("STORAGE_MAX_INFLATION", percent(STORAGE_MAX_INFLATION)),
		("FEES_TO_TREASURY", format!("{} %", Percent::deconstruct(FEES_TO_TREASURY))),
		("EXISTENTIAL_DEPOSIT", tokens(EXISTENTIAL_DEPOSIT)),
		("UnitPrice", format!("{} per GiB-day", tokens(STORAGE_UNIT_PRICE))),
		("VALIDATOR_BOND", tokens(VALIDATOR_BOND)),
		("UploadDeposit", tokens(cess_runtime::configs::UploadDeposit::get())),
		("BucketDeposit", tokens(cess_runtime::configs::BucketDeposit::get())),
		("ObjectDepositBase", tokens(cess_runtime::configs::ObjectDepositBase::get())),
		("ObjectDepositPerByte", tokens(cess_runtime::configs::ObjectDepositPerByte::get())),
		("CollateralPerTiB", tokens(cess_runtime::configs::CollateralPerTiB::get())),
		(
			"TreasuryBurn",
			percent(Perbill::from_parts(cess_runtime::configs::Burn::get().deconstruct() * 1000)),
		),
	]);
	let doc = documented();
	for (name, value) in expected {
		assert_eq!(doc.get(name), Some(&value), "docs/economics.md's `{name}`");
	}
}
