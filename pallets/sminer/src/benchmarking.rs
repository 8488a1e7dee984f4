//! Benchmarks of every `sminer` call, each on its most expensive path.

use super::*;
use crate::Pallet as Sminer;
use alloc::vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::{Bounded, Saturating},
};

const SEED: u32 = 0;

fn max_endpoints<T: Config>() -> (PeerIdOf<T>, MultiaddrsOf<T>) {
	let peer = BoundedVec::truncate_from(vec![1u8; T::MaxPeerIdLen::get() as usize]);
	let addr: MultiaddrOf<T> =
		BoundedVec::truncate_from(vec![2u8; T::MaxMultiaddrLen::get() as usize]);
	let addrs = BoundedVec::truncate_from(vec![addr; T::MaxMultiaddrs::get() as usize]);
	(peer, addrs)
}

/// Funds the benchmark registrant and returns it with its required collateral.
fn funded_registrant<T: Config>() -> (T::AccountId, BalanceOf<T>) {
	let who: T::AccountId = account("registrant", 0, SEED);
	let collateral = Sminer::<T>::collateral_required(T::MinCapacity::get());
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	(who, collateral)
}

/// Registers the benchmark registrant with `MinCapacity` and the required collateral.
fn registered<T: Config>() -> T::AccountId {
	let (who, collateral) = funded_registrant::<T>();
	let (peer, addrs) = max_endpoints::<T>();
	Sminer::<T>::register(
		RawOrigin::Signed(who.clone()).into(),
		who.clone(),
		peer,
		addrs,
		T::MinCapacity::get(),
		collateral,
	)
	.expect("the benchmark registrant registers");
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		let (who, collateral) = funded_registrant::<T>();
		let (peer, addrs) = max_endpoints::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			who.clone(),
			peer,
			addrs,
			T::MinCapacity::get(),
			collateral,
		);
		assert!(Miners::<T>::contains_key(&who));
	}

	// Worst case: the top-up thaws a frozen miner (re-indexed).
	#[benchmark]
	fn increase_collateral() {
		let who = registered::<T>();
		let slashed = Sminer::<T>::do_slash(&who, 1u32.into());
		assert_eq!(Miners::<T>::get(&who).map(|i| i.state), Some(MinerState::Frozen));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), slashed);
		assert_eq!(Miners::<T>::get(&who).map(|i| i.state), Some(MinerState::Positive));
	}

	#[benchmark]
	fn increase_capacity() {
		let who = registered::<T>();
		let more = Sminer::<T>::collateral_required(T::MaxCapacity::get());
		Sminer::<T>::increase_collateral(RawOrigin::Signed(who.clone()).into(), more)
			.expect("funded");
		let extra = T::MaxCapacity::get() - T::MinCapacity::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), extra);
		assert_eq!(Miners::<T>::get(&who).map(|i| i.declared), Some(T::MaxCapacity::get()));
	}

	#[benchmark]
	fn update_endpoints() {
		let who = registered::<T>();
		let (peer, addrs) = max_endpoints::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), peer, addrs);
	}

	#[benchmark]
	fn update_beneficiary() {
		let who = registered::<T>();
		let beneficiary: T::AccountId = account("beneficiary", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), beneficiary.clone());
		assert_eq!(crate::ProposedBeneficiary::<T>::get(&who), Some(beneficiary));
	}

	#[benchmark]
	fn accept_beneficiary() {
		let who = registered::<T>();
		let beneficiary: T::AccountId = account("beneficiary", 0, SEED);
		crate::ProposedBeneficiary::<T>::insert(&who, &beneficiary);
		#[extrinsic_call]
		_(RawOrigin::Signed(beneficiary.clone()), who.clone());
		assert_eq!(Miners::<T>::get(&who).map(|i| i.beneficiary), Some(beneficiary));
	}

	#[benchmark]
	fn request_exit() {
		let who = registered::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Miners::<T>::get(&who).is_some_and(|i| Sminer::<T>::is_leaving(&i.state)));
	}

	// Worst case: data left unrestored after the cooling period, so collateral is slashed.
	#[benchmark]
	fn withdraw() {
		let who = registered::<T>();
		Miners::<T>::mutate(&who, |info| {
			if let Some(info) = info {
				info.used = info.declared;
			}
		});
		Sminer::<T>::request_exit(RawOrigin::Signed(who.clone()).into()).expect("registered");
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(
			now.saturating_add(T::ExitCoolingPeriod::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Miners::<T>::contains_key(&who));
	}

	impl_benchmark_test_suite!(Sminer, crate::mock::new_test_ext(), crate::mock::Test);
}
