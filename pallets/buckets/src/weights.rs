//! Weights for `pallet_buckets`.
//!
//! **PLACEHOLDER WEIGHTS — NOT MEASURED.** Written by hand before the first benchmark run:
//! execution times are guesses (generously rounded up from comparable calls of `file-bank`),
//! and the database reads and writes are counted from the code. Replace this file with the
//! generated one: `scripts/bench-weights.sh pallet_buckets`.
//!
//! The weights cover this pallet's own work only; a call that may release a file adds
//! `file-bank`'s `release_weight()` (its `delete_file` weight) on top.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed for `pallet_buckets`.
pub trait WeightInfo {
	fn create_bucket() -> Weight;
	fn delete_bucket() -> Weight;
	fn put_object() -> Weight;
	fn delete_object() -> Weight;
	fn copy_object() -> Weight;
}

/// Weights for `pallet_buckets` (PLACEHOLDERS until measured).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Buckets::Buckets` (r:1 w:1), `Buckets::BucketCount` (r:1 w:1),
	/// `Timestamp::Now` (r:1 w:0), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn create_bucket() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Buckets::Buckets` (r:1 w:1), `Buckets::BucketCount` (r:1 w:1),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn delete_bucket() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Buckets::Buckets` (r:2 w:1), `FileBank::OwnedFiles` (r:2 w:0),
	/// `Timestamp::Now` (r:1 w:0), `Buckets::Objects` (r:1 w:1), `Buckets::ObjectCount`
	/// (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `Buckets::FileRefs` (r:2 w:2)
	fn put_object() -> Weight {
		Weight::from_parts(100_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(11_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Storage: `Buckets::Buckets` (r:1 w:1), `Buckets::Objects` (r:1 w:1),
	/// `Buckets::ObjectCount` (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account`
	/// (r:1 w:1), `Buckets::FileRefs` (r:1 w:1), `FileBank::OwnedFiles` (r:1 w:0)
	fn delete_object() -> Weight {
		Weight::from_parts(90_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `Buckets::Buckets` (r:3 w:1), `Buckets::Objects` (r:2 w:1),
	/// `FileBank::OwnedFiles` (r:2 w:0), `Timestamp::Now` (r:1 w:0), `Buckets::ObjectCount`
	/// (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `Buckets::FileRefs` (r:2 w:2)
	fn copy_object() -> Weight {
		Weight::from_parts(110_000_000, 16_000)
			.saturating_add(T::DbWeight::get().reads(13_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
}

// For tests (mock runtimes).
impl WeightInfo for () {
	fn create_bucket() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn delete_bucket() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn put_object() -> Weight {
		Weight::from_parts(100_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(11_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn delete_object() -> Weight {
		Weight::from_parts(90_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn copy_object() -> Weight {
		Weight::from_parts(110_000_000, 16_000)
			.saturating_add(RocksDbWeight::get().reads(13_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
}
