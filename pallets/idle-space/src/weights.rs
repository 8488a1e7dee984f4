//! Weights for `pallet_idle_space`.
//!
//! PROVISIONAL: these are conservative estimates from the pallet's storage accesses and the
//! native verify times (`docs/idle-space.md`, × 10 for wasm), not yet FRAME-benchmark output.
//! Regenerate with `scripts/bench-weights.sh pallet_idle_space` once the runtime includes the
//! pallet.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_idle_space`.
pub trait WeightInfo {
	fn declare_batch() -> Weight;
	fn submit_generation_proof() -> Weight;
	fn submit_space_proof(b: u32, ) -> Weight;
	fn round_idle() -> Weight;
	fn round_start() -> Weight;
	fn sweep_idle() -> Weight;
	fn sweep_miner() -> Weight;
}

/// Weights for `pallet_idle_space` (provisional, see the module docs).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn declare_batch() -> Weight {
		Weight::from_parts(120_000_000, 70_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn submit_generation_proof() -> Weight {
		Weight::from_parts(30_000_000_000, 70_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn submit_space_proof(b: u32, ) -> Weight {
		Weight::from_parts(3_000_000_000, 8_000)
			.saturating_add(Weight::from_parts(2_000_000, 64).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn round_idle() -> Weight {
		Weight::from_parts(6_000_000, 1_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn round_start() -> Weight {
		Weight::from_parts(25_000_000, 2_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn sweep_idle() -> Weight {
		Weight::from_parts(4_000_000, 1_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
	}
	fn sweep_miner() -> Weight {
		Weight::from_parts(150_000_000, 70_000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn declare_batch() -> Weight { Weight::from_parts(120_000_000, 70_000) }
	fn submit_generation_proof() -> Weight { Weight::from_parts(30_000_000_000, 70_000) }
	fn submit_space_proof(b: u32, ) -> Weight {
		Weight::from_parts(3_000_000_000, 8_000).saturating_add(Weight::from_parts(2_000_000, 64).saturating_mul(b.into()))
	}
	fn round_idle() -> Weight { Weight::from_parts(6_000_000, 1_600) }
	fn round_start() -> Weight { Weight::from_parts(25_000_000, 2_000) }
	fn sweep_idle() -> Weight { Weight::from_parts(4_000_000, 1_000) }
	fn sweep_miner() -> Weight { Weight::from_parts(150_000_000, 70_000) }
}
