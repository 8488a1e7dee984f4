//! Weights for `pallet_data_rights`.
//!
//! ESTIMATED, NOT YET MEASURED: the storage accesses are counted from the code (worst case:
//! full band buckets, full lists); the execution times are set from the measured weights of
//! calls of the same shape in `pallet_storage_rewards` and `pallet_file_bank` (≈ 0.1–0.25 ms of
//! wasm for a few reads, writes and a transfer), rounded up. Replace with measured values:
//! `scripts/bench-weights.sh pallet_data_rights` (the benchmarks are in `benchmarking.rs`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_data_rights`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn set_policy(l: u32, s: u32, ) -> Weight;
	fn request_access() -> Weight;
	fn grant_access() -> Weight;
	fn deny_access() -> Weight;
	fn revoke_access() -> Weight;
	fn cancel_request() -> Weight;
	fn transfer_ownership() -> Weight;
	fn resolve_dispute() -> Weight;
	fn split_idle() -> Weight;
	fn split_revenue(s: u32, ) -> Weight;
}

/// Weights for `pallet_data_rights` (estimated, see the module docs).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// FileBank::OwnedFiles r:1, Certificates r:1 w:1, FileDisputes r:1, Buckets r:72 w:4
	/// (68 probed buckets of up to MaxBucketLen entries of 72 bytes, no certificate reads),
	/// Timestamp r:1, EvidenceCount r:1 w:1, Evidence w:1.
	fn register() -> Weight {
		Weight::from_parts(3_000_000_000, 170_000)
			.saturating_add(T::DbWeight::get().reads(77_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Certificates r:1, Policies w:1, EvidenceCount r:1 w:1, Evidence w:1; the distinctness
	/// checks are quadratic in the list lengths.
	fn set_policy(l: u32, s: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 5_000)
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(l.into()))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Certificates r:1, Accesses r:1 w:1, Policies r:2, System::Account r:2 w:2,
	/// RevenuePools r:1 w:1, SplitSchedule r:64 w:1 (worst case), EvidenceCount r:1 w:1,
	/// Evidence w:4.
	fn request_access() -> Weight {
		Weight::from_parts(400_000_000, 30_000)
			.saturating_add(T::DbWeight::get().reads(73_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	/// Certificates r:1, Accesses r:1 w:1, Policies r:1, System::Account r:2 w:2,
	/// RevenuePools r:1 w:1, SplitSchedule r:64 w:1, EvidenceCount r:1 w:1, Evidence w:4.
	fn grant_access() -> Weight {
		Weight::from_parts(400_000_000, 30_000)
			.saturating_add(T::DbWeight::get().reads(71_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	/// Certificates r:1, Accesses r:1 w:1, System::Account r:2 w:2, EvidenceCount r:1 w:1,
	/// Evidence w:1.
	fn deny_access() -> Weight {
		Weight::from_parts(250_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Certificates r:1, Accesses r:1 w:1, EvidenceCount r:1 w:1, Evidence w:1.
	fn revoke_access() -> Weight {
		Weight::from_parts(150_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Accesses r:1 w:1, System::Account r:2 w:2, EvidenceCount r:1 w:1, Evidence w:1.
	fn cancel_request() -> Weight {
		Weight::from_parts(250_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Certificates r:1 w:1, Buckets r:4 w:4 (the holder in the index entries),
	/// EvidenceCount r:1 w:1, Evidence w:1.
	fn transfer_ownership() -> Weight {
		Weight::from_parts(250_000_000, 15_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Supersede: Disputes r:1 w:1, FileDisputes w:1, Certificates r:3 w:2, Policies r:1 w:1,
	/// RevenuePools r:1 w:1, Buckets r:12 w:8, Timestamp r:1, EvidenceCount r:2 w:2, Evidence w:5,
	/// plus a revenue split of up to MaxShareholders transfers.
	fn resolve_dispute() -> Weight {
		Weight::from_parts(1_500_000_000, 60_000)
			.saturating_add(T::DbWeight::get().reads(60_u64))
			.saturating_add(T::DbWeight::get().writes(50_u64))
	}
	/// SplitSchedule r:1 w:1.
	fn split_idle() -> Weight {
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// RevenuePools r:1 w:1, Certificates r:1, Policies r:1, System::Account r:1+s w:1+s,
	/// EvidenceCount r:1 w:1, Evidence w:1+s.
	fn split_revenue(s: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 8_000)
			.saturating_add(Weight::from_parts(150_000_000, 2_603).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads(1_u64).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64).saturating_mul(s.into()))
	}
}

impl WeightInfo for () {
	fn register() -> Weight { Weight::from_parts(3_000_000_000, 170_000) }
	fn set_policy(_l: u32, _s: u32, ) -> Weight { Weight::from_parts(150_000_000, 5_000) }
	fn request_access() -> Weight { Weight::from_parts(400_000_000, 30_000) }
	fn grant_access() -> Weight { Weight::from_parts(400_000_000, 30_000) }
	fn deny_access() -> Weight { Weight::from_parts(250_000_000, 8_000) }
	fn revoke_access() -> Weight { Weight::from_parts(150_000_000, 5_000) }
	fn cancel_request() -> Weight { Weight::from_parts(250_000_000, 8_000) }
	fn transfer_ownership() -> Weight { Weight::from_parts(150_000_000, 5_000) }
	fn resolve_dispute() -> Weight { Weight::from_parts(1_500_000_000, 60_000) }
	fn split_idle() -> Weight { Weight::from_parts(10_000_000, 2_000) }
	fn split_revenue(_s: u32, ) -> Weight { Weight::from_parts(200_000_000, 8_000) }
}
