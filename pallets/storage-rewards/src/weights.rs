//! Weights for `pallet_storage_rewards`.
//!
//! Placeholder values until `scripts/bench-weights.sh` regenerates this file from the
//! benchmarks on the reference machine.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_storage_rewards`.
pub trait WeightInfo {
	fn claim_rewards() -> Weight;
	fn withdraw_vested(n: u32, ) -> Weight;
	fn era_idle() -> Weight;
	fn era_close() -> Weight;
	fn cleanup(n: u32, ) -> Weight;
}

/// Weights for `pallet_storage_rewards` on the reference hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn claim_rewards() -> Weight {
		Weight::from_parts(60_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn withdraw_vested(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn era_idle() -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn era_close() -> Weight {
		Weight::from_parts(80_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn cleanup(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
}

// For tests.
impl WeightInfo for () {
	fn claim_rewards() -> Weight {
		Weight::from_parts(60_000_000, 6000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn withdraw_vested(n: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 6000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn era_idle() -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
	}
	fn era_close() -> Weight {
		Weight::from_parts(80_000_000, 6000)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn cleanup(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
}
