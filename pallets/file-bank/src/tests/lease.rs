//! Leases: purchase, expansion, renewal, expiry and collection; price and profile settings.

use super::*;
use crate::{
	Error, Event, ExpiredOwners, Files, Lease, Leases, OwnedFiles, ReleaseChanges, ReleaseRate,
	UnitPrice, Unreleased,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_runtime::DispatchError,
};

#[test]
fn buy_space_charges_price_times_gib_times_days() {
	build_and_execute(|| {
		let pot = Balances::balance(&FileBank::account_id());
		buy(1, 10, 30);
		let cost = PRICE * 10 * 30;
		assert_eq!(Balances::balance(&1), START_BALANCE - cost);
		assert_eq!(Balances::balance(&FileBank::account_id()), pot + cost);
		let expires = 1 + 30 * DAY;
		assert_eq!(Leases::<Test>::get(1), Some(Lease { gib: 10, used: 0, expires, files: 0 }));
		System::assert_last_event(Event::SpaceBought { owner: 1, gib: 10, expires, cost }.into());
		assert_eq!(FileBank::quote_price(10, 30), cost);
	});
}

#[test]
fn buy_space_errors() {
	build_and_execute(|| {
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(1), 0, 5),
			Error::<Test>::BadLeaseSize
		);
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(1), 101, 5),
			Error::<Test>::BadLeaseSize
		);
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(1), 1, 0),
			Error::<Test>::BadLeaseDuration
		);
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(1), 1, 101),
			Error::<Test>::BadLeaseDuration
		);
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(42), 1, 5),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(FileBank::buy_space(RuntimeOrigin::none(), 1, 5), DispatchError::BadOrigin);
		buy(1, 1, 5);
		assert_noop!(
			FileBank::buy_space(RuntimeOrigin::signed(1), 1, 5),
			Error::<Test>::LeaseExists
		);
	});
}

#[test]
fn expand_pays_for_the_remaining_days() {
	build_and_execute(|| {
		assert_noop!(FileBank::expand_space(RuntimeOrigin::signed(1), 1), Error::<Test>::NoLease);
		buy(1, 2, 10);
		roll_to(1 + 5 * DAY + 1); // 4.9 days left: 5 started days
		let before = Balances::balance(&1);
		assert_ok!(FileBank::expand_space(RuntimeOrigin::signed(1), 3));
		assert_eq!(before - Balances::balance(&1), PRICE * 3 * 5);
		assert_eq!(Leases::<Test>::get(1).unwrap().gib, 5);
		assert_noop!(
			FileBank::expand_space(RuntimeOrigin::signed(1), 0),
			Error::<Test>::BadLeaseSize
		);
		assert_noop!(
			FileBank::expand_space(RuntimeOrigin::signed(1), 96),
			Error::<Test>::BadLeaseSize
		);
		roll_to(1 + 10 * DAY + 1);
		assert_noop!(
			FileBank::expand_space(RuntimeOrigin::signed(1), 1),
			Error::<Test>::LeaseExpired
		);
	});
}

#[test]
fn renew_extends_from_expiry_or_now() {
	build_and_execute(|| {
		assert_noop!(FileBank::renew_space(RuntimeOrigin::signed(1), 1), Error::<Test>::NoLease);
		buy(1, 2, 10);
		assert_ok!(FileBank::renew_space(RuntimeOrigin::signed(1), 5));
		assert_eq!(Leases::<Test>::get(1).unwrap().expires, 1 + 15 * DAY);
		System::assert_last_event(
			Event::SpaceRenewed { owner: 1, expires: 1 + 15 * DAY, cost: PRICE * 2 * 5 }.into(),
		);
		assert_noop!(
			FileBank::renew_space(RuntimeOrigin::signed(1), 0),
			Error::<Test>::BadLeaseDuration
		);
		assert_noop!(
			FileBank::renew_space(RuntimeOrigin::signed(1), 86),
			Error::<Test>::BadLeaseDuration
		);
		// Expired but within the grace period: renewal counts from now.
		roll_to(1 + 15 * DAY + 2);
		assert_ok!(FileBank::renew_space(RuntimeOrigin::signed(1), 1));
		assert_eq!(Leases::<Test>::get(1).unwrap().expires, 1 + 15 * DAY + 2 + DAY);
	});
}

#[test]
fn expired_lease_files_are_collected_after_grace_in_batches() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 1);
		// More files than one block's background work (8 units).
		let files: Vec<TestFile> = (0..10).map(|i| TestFile::new(100, 2, 1, i)).collect();
		for f in &files {
			store(1, f);
		}
		let expires = 1 + DAY;
		roll_to(expires + 1);
		assert_noop!(declare(1, &TestFile::new(100, 2, 1, 99)), Error::<Test>::LeaseExpired);
		roll_to(expires + GRACE - 1);
		assert!(Files::<Test>::contains_key(files[0].id));
		assert_eq!(OwnedFiles::<Test>::iter_prefix(1).count(), 10);
		// At `expires + GRACE` the owner goes to collection and 8 files are collected.
		roll_to(expires + GRACE);
		assert!(ExpiredOwners::<Test>::contains_key(1));
		assert_eq!(OwnedFiles::<Test>::iter_prefix(1).count(), 2);
		assert_noop!(
			FileBank::renew_space(RuntimeOrigin::signed(1), 1),
			Error::<Test>::LeaseCollecting
		);
		assert_noop!(declare(1, &TestFile::new(100, 2, 1, 99)), Error::<Test>::LeaseCollecting);
		roll_to(expires + GRACE + 1);
		assert!(files.iter().all(|f| !Files::<Test>::contains_key(f.id)));
		assert!(Leases::<Test>::get(1).is_none());
		assert!(!ExpiredOwners::<Test>::contains_key(1));
		System::assert_has_event(Event::LeaseExpired { owner: 1 }.into());
		assert_eq!(MockMiners::get(100).used, 0);
		// A new lease can be bought afterwards.
		buy(1, 1, 1);
	});
}

/// Collection does not wait for object keys (`buckets`) that name the files: they dangle.
#[test]
fn expired_lease_files_are_collected_even_when_named() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 1);
		let f = TestFile::new(100, 2, 1, 3);
		store(1, &f);
		MockReferences::set(1, f.id, 1);
		roll_to(1 + DAY + GRACE + 1);
		assert!(!Files::<Test>::contains_key(f.id));
		assert!(!OwnedFiles::<Test>::contains_key(1, f.id));
	});
}

#[test]
fn renewed_lease_is_not_collected() {
	build_and_execute(|| {
		buy(1, 1, 1);
		assert_ok!(FileBank::renew_space(RuntimeOrigin::signed(1), 3));
		roll_to(1 + DAY + GRACE + 2);
		assert!(Leases::<Test>::get(1).is_some());
		assert!(ExpiredOwners::<Test>::get(1).is_none());
	});
}

#[test]
fn price_and_profiles_need_the_price_origin() {
	build_and_execute(|| {
		assert_noop!(
			FileBank::set_unit_price(RuntimeOrigin::signed(1), 9),
			DispatchError::BadOrigin
		);
		assert_ok!(FileBank::set_unit_price(RuntimeOrigin::root(), 9));
		assert_eq!(UnitPrice::<Test>::get(), 9);
		System::assert_last_event(Event::PriceSet { price: 9 }.into());
		let profiles = BoundedVec::truncate_from(vec![ErasureProfile::new(4, 8)]);
		assert_noop!(
			FileBank::set_allowed_profiles(RuntimeOrigin::signed(1), profiles.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			FileBank::set_allowed_profiles(RuntimeOrigin::root(), BoundedVec::new()),
			Error::<Test>::BadProfiles
		);
		assert_noop!(
			FileBank::set_allowed_profiles(
				RuntimeOrigin::root(),
				BoundedVec::truncate_from(vec![ErasureProfile::new(3, 0)])
			),
			Error::<Test>::BadProfiles
		);
		assert_ok!(FileBank::set_allowed_profiles(RuntimeOrigin::root(), profiles.clone()));
		System::assert_last_event(Event::ProfilesSet { profiles }.into());
	});
}

/// Lease payments reach the reward pools pro rata over the lease's life: a 10-day lease is
/// released a tenth at each of the 10 day boundaries after its purchase (so a long lease bought
/// at once cannot swell one era's pool).
#[test]
fn lease_payments_are_released_day_by_day() {
	build_and_execute(|| {
		buy(1, 10, 10);
		let cost = PRICE * 10 * 10;
		assert_eq!(Unreleased::<Test>::get(), cost);
		roll_to(DAY - 1);
		assert_eq!(Unreleased::<Test>::get(), cost, "nothing before the first boundary");
		for day in 1..=10 {
			roll_to(day * DAY);
			assert_eq!(Unreleased::<Test>::get(), cost - day * cost / 10, "day {day}");
		}
		// Renewed for 5 days and expanded by 10 GiB: each is released over its own days.
		assert_ok!(FileBank::renew_space(RuntimeOrigin::signed(1), 5));
		assert_ok!(FileBank::expand_space(RuntimeOrigin::signed(1), 10));
		let renewal = PRICE * 10 * 5;
		// 51 blocks left: 6 started days.
		let expansion = PRICE * 10 * 6;
		assert_eq!(Unreleased::<Test>::get(), renewal + expansion);
		roll_to(15 * DAY);
		assert_eq!(Unreleased::<Test>::get(), expansion / 6);
		roll_to(16 * DAY);
		assert_eq!(Unreleased::<Test>::get(), 0);
		roll_to(17 * DAY);
		assert_eq!(ReleaseRate::<Test>::get(), 0, "every stream ended");
		assert_eq!(ReleaseChanges::<Test>::iter().count(), 0);
	});
}
