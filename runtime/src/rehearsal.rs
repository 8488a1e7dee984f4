//! The upgrade rehearsal (feature `next-spec`): the next spec version of this runtime carries a
//! versioned storage migration, which `node/tests/upgrade.rs` applies to a running network with
//! `system.setCode`. It re-encodes every `validatorCredit.credits` entry and moves the pallet's
//! storage version from 0 to 1, so a test can see that it ran exactly once.

use crate::Runtime;
use polkadot_sdk::frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::{constants::RocksDbWeight, Weight},
};

/// Reads and rewrites every credit entry.
pub struct ReencodeCredits;

impl UncheckedOnRuntimeUpgrade for ReencodeCredits {
	fn on_runtime_upgrade() -> Weight {
		let mut entries = 0u64;
		pallet_validator_credit::Credits::<Runtime>::translate::<u32, _>(|_, credit| {
			entries += 1;
			Some(credit)
		});
		log::info!(target: "runtime::rehearsal", "re-encoded {entries} credit entries");
		RocksDbWeight::get().reads_writes(entries, entries)
	}
}

/// The rehearsal's migration: `ReencodeCredits` once, from storage version 0 to 1.
pub type Migration = VersionedMigration<
	0,
	1,
	ReencodeCredits,
	pallet_validator_credit::Pallet<Runtime>,
	RocksDbWeight,
>;
