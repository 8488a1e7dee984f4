//! Weights for `pallet_audit`.
//!
//! Placeholder values until `scripts/bench-weights.sh` regenerates this file from the
//! benchmarks on the reference machine.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_audit`.
pub trait WeightInfo {
	fn submit_proof(c: u32, s: u32, ) -> Weight;
	fn round_idle() -> Weight;
	fn round_start() -> Weight;
	fn sweep_idle() -> Weight;
	fn sweep_miner() -> Weight;
	fn report_probe() -> Weight;
	fn authorize_report_probe() -> Weight;
}

/// Weights for `pallet_audit` on the reference hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit_proof(c: u32, s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(Weight::from_parts(70_000_000, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn round_idle() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn round_start() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn sweep_idle() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn sweep_miner() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn report_probe() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn authorize_report_probe() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn submit_proof(c: u32, s: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(Weight::from_parts(70_000_000, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn round_idle() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn round_start() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn sweep_idle() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn sweep_miner() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn report_probe() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn authorize_report_probe() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
	}
}
