//! The pallets benchmarked by `cess-node benchmark pallet` (feature `runtime-benchmarks`).

pub use polkadot_sdk::{frame_benchmarking, frame_system_benchmarking, *};

pub type SystemBench = frame_system_benchmarking::Pallet<crate::Runtime>;

impl frame_system_benchmarking::Config for crate::Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_utility, crate::Utility]
	[pallet_sudo, crate::Sudo]
);
