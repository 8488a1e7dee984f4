//! Weights of `pallet-validator-credit`.
//!
//! `score_era` is measured by the `score_era` benchmark (`scripts/bench-weights.sh
//! pallet_validator_credit`); the figures below are that run's, on the machine described in
//! `docs/performance.md`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of the pallet's work.
pub trait WeightInfo {
	/// Scoring an era of `v` validators while `r` others recover.
	fn score_era(v: u32, r: u32) -> Weight;
}

/// Weights for the CESS runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn score_era(v: u32, r: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(Weight::from_parts(25_000_000, 2_600).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(10_000_000, 2_500).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(r.into())))
	}
}

// For tests.
impl WeightInfo for () {
	fn score_era(v: u32, r: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(Weight::from_parts(25_000_000, 2_600).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(10_000_000, 2_500).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(r.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(r.into())))
	}
}
