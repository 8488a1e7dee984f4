//! The chain's parameters that bound the repair latency of a lost column.
//!
//! These are the production values of `runtime/src/configs/storage.rs` (a test reads that file
//! to keep them equal) and the restoral time measured in `docs/performance.md`.

/// An audit round (`RoundLength`), in hours.
pub const ROUND_LENGTH_HOURS: f64 = 1.0;
/// The part of a round in which its proof is accepted (`ProofWindow`), in hours.
pub const PROOF_WINDOW_HOURS: f64 = 0.5;
/// Rounds missed or failed in a row that force a miner out (`MaxConsecutiveMisses`).
pub const MAX_CONSECUTIVE_MISSES: u32 = 3;
/// Time a restoral claim has to complete before another miner may claim the order
/// (`RestoralClaimPeriod`), in hours.
pub const RESTORAL_CLAIM_PERIOD_HOURS: f64 = 1.0;
/// Restoral orders a block opens for a leaving miner's columns, at most (`MaxHookWork`, shared
/// with the other background work of `file-bank`).
pub const MAX_HOOK_WORK: u32 = 32;
/// Seconds per block on production chains.
pub const BLOCK_SECONDS: f64 = 6.0;
/// Measured restoral of one 128 MiB column from the loss report to the completed order
/// (`docs/performance.md`: 71 s from the claim, 93 s from the report), in seconds.
pub const MEASURED_RESTORAL_SECONDS: f64 = 93.0;

/// The longest a silently dead miner's columns wait before they become restoral orders, in
/// hours: it proved a round at the round's first block and died, misses the next
/// [`MAX_CONSECUTIVE_MISSES`] rounds, and the last of these is swept when the round after it
/// starts.
pub fn detection_bound_hours() -> f64 {
	(MAX_CONSECUTIVE_MISSES as f64 + 1.0) * ROUND_LENGTH_HOURS
}

/// The repair latency the chain's parameters give a lost column, in hours, as the tables use
/// it: the detection bound, one claim that lapses after [`RESTORAL_CLAIM_PERIOD_HOURS`], and
/// the measured restoral. A miner that exits or reports a loss skips the detection.
pub fn repair_bound_hours() -> f64 {
	detection_bound_hours() + RESTORAL_CLAIM_PERIOD_HOURS + MEASURED_RESTORAL_SECONDS / 3600.0
}

/// Hours for the orders of a leaving miner holding `columns` columns to open, at
/// [`MAX_HOOK_WORK`] a block.
pub fn order_opening_hours(columns: u64) -> f64 {
	columns.div_ceil(MAX_HOOK_WORK as u64) as f64 * BLOCK_SECONDS / 3600.0
}

#[cfg(test)]
mod tests {
	use super::*;

	fn runtime_file(relative: &str) -> String {
		// At run time: a test binary reused from a clone elsewhere must read this tree.
		let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
		let path = format!("{dir}/../../runtime/src/{relative}");
		std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
	}

	fn expect(text: &str, line: &str) {
		assert!(text.contains(line), "the runtime changed `{line}`: update chain.rs and the docs");
	}

	/// The production parameters: the block between the `not(feature = "fast-runtime")` and the
	/// `fast-runtime` cfg of `runtime/src/configs/storage.rs`, and the pallets' constants.
	#[test]
	fn parameters_match_the_runtime() {
		let storage = runtime_file("configs/storage.rs");
		let production = storage
			.split("#[cfg(not(feature = \"fast-runtime\"))]")
			.nth(1)
			.and_then(|rest| rest.split("#[cfg(feature = \"fast-runtime\")]").next())
			.expect("a production parameter block");
		expect(production, "pub const RoundLength: BlockNumber = crate::HOURS;");
		expect(production, "pub const ProofWindow: BlockNumber = 30 * crate::MINUTES;");
		expect(production, "pub const RestoralClaimPeriod: BlockNumber = crate::HOURS;");
		expect(&storage, "type MaxConsecutiveMisses = ConstU32<3>;");
		expect(&storage, "type MaxHookWork = ConstU32<32>;");
		expect(&runtime_file("constants.rs"), "pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;");
	}

	#[test]
	fn repair_bound_adds_up() {
		assert_eq!(detection_bound_hours(), 4.0);
		assert!((repair_bound_hours() - (5.0 + 93.0 / 3600.0)).abs() < 1e-12);
		assert_eq!(order_opening_hours(32), BLOCK_SECONDS / 3600.0);
	}
}
