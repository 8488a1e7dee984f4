//! The tables of `docs/durability.md`, generated from the exact model.

use std::fmt::Write;

use crate::{
	chain,
	model::{concentrated_share, max_repair_latency, Profile, Scenario, GENESIS_PROFILES},
	HOURS_PER_YEAR,
};

/// The line before the generated block in `docs/durability.md`.
pub const BEGIN: &str =
	"<!-- BEGIN cess-durability tables: `cargo run --release -p cess-durability` -->";
/// The line after the generated block.
pub const END: &str = "<!-- END cess-durability tables -->";

/// Monthly churn rates of the tables.
pub const CHURN: [f64; 5] = [0.02, 0.05, 0.10, 0.20, 0.30];

/// Shares of the placement weight held by one operator's (or one site's) miners in the
/// exposure table.
pub const OPERATOR_SHARES: [f64; 5] = [0.05, 0.10, 0.20, 0.33, 0.50];

/// The target annual loss probability per file.
pub const TARGET: f64 = 1e-11;

/// Mean repair latencies of the tables, in hours, with their column headings; the chain's
/// bound ([`chain::repair_bound_hours`]) second, no repair last.
pub fn latencies() -> Vec<(f64, String)> {
	let chain = chain::repair_bound_hours();
	vec![
		(1.0, "1 h".into()),
		(chain, format!("{} (chain)", duration(chain))),
		(24.0, "24 h".into()),
		(72.0, "72 h".into()),
		(168.0, "7 d".into()),
		(720.0, "30 d".into()),
		(f64::INFINITY, "no repair".into()),
	]
}

/// A probability with two significant digits.
pub fn probability(p: f64) -> String {
	if p == 0.0 {
		"0".into()
	} else {
		format!("{p:.1e}")
	}
}

/// A duration given in hours, in a readable unit.
pub fn duration(hours: f64) -> String {
	let seconds = hours * 3600.0;
	if hours.is_infinite() {
		"∞".into()
	} else if hours >= 48.0 {
		format!("{:.1} d", hours / 24.0)
	} else if hours >= 1.0 {
		format!("{hours:.2} h")
	} else if seconds >= 60.0 {
		format!("{:.1} min", seconds / 60.0)
	} else if seconds >= 1.0 {
		format!("{seconds:.1} s")
	} else if seconds >= 1e-3 {
		format!("{:.1} ms", seconds * 1e3)
	} else {
		format!("{:.1} µs", seconds * 1e6)
	}
}

fn percent(churn: f64) -> String {
	format!("{:.0} %", churn * 100.0)
}

fn describe(profile: Profile) -> String {
	let default = if profile == GENESIS_PROFILES[0] { ", the default" } else { "" };
	format!(
		"{profile}{default}: {} columns, lost when {} are lost at once",
		profile.columns(),
		profile.m + 1
	)
}

/// The generated block of `docs/durability.md`, markers included.
pub fn markdown() -> String {
	let mut out = String::new();
	let latencies = latencies();
	let _ = writeln!(out, "{BEGIN}");
	let _ = writeln!(out);
	let _ = writeln!(
		out,
		"Probability that a file is lost within a year (exponential repair latency of the given \
		 mean; monthly churn per miner)."
	);
	for profile in GENESIS_PROFILES {
		let _ = writeln!(out);
		let _ = writeln!(out, "**{}**", describe(profile));
		let _ = writeln!(out);
		let _ = write!(out, "| monthly churn |");
		for (_, heading) in &latencies {
			let _ = write!(out, " {heading} |");
		}
		let _ = writeln!(out);
		let _ = writeln!(out, "|---|{}", "---:|".repeat(latencies.len()));
		for churn in CHURN {
			let _ = write!(out, "| {} |", percent(churn));
			for &(repair_hours, _) in &latencies {
				let p = Scenario { profile, churn_per_month: churn, repair_hours }.annual_loss();
				let _ = write!(out, " {} |", probability(p));
			}
			let _ = writeln!(out);
		}
	}
	let _ = writeln!(out);
	let _ = writeln!(
		out,
		"Longest mean repair latency for a loss probability of at most {} per file-year:",
		probability(TARGET)
	);
	let _ = writeln!(out);
	let _ = write!(out, "| profile |");
	for churn in CHURN {
		let _ = write!(out, " {} churn |", percent(churn));
	}
	let _ = writeln!(out);
	let _ = writeln!(out, "|---|{}", "---:|".repeat(CHURN.len()));
	for profile in GENESIS_PROFILES {
		let _ = write!(out, "| {profile} |");
		for churn in CHURN {
			let cell = match max_repair_latency(profile, churn, TARGET, HOURS_PER_YEAR) {
				Some(hours) if hours.is_infinite() => "any (no repair needed)".into(),
				Some(hours) => duration(hours),
				None => "unreachable".into(),
			};
			let _ = write!(out, " {cell} |");
		}
		let _ = writeln!(out);
	}
	let _ = writeln!(out);
	let _ = writeln!(
		out,
		"Share of files with more than `m` columns on one operator's (or one site's) miners, \
		 when they carry the given share of the placement weight (free capacity × credit): \
		 what that operator leaving at once, or that site failing, loses whatever the repair \
		 latency."
	);
	let _ = writeln!(out);
	let _ = write!(out, "| profile |");
	for share in OPERATOR_SHARES {
		let _ = write!(out, " {} of the weight |", percent(share));
	}
	let _ = writeln!(out);
	let _ = writeln!(out, "|---|{}", "---:|".repeat(OPERATOR_SHARES.len()));
	for profile in GENESIS_PROFILES {
		let _ = write!(out, "| {profile} |");
		for share in OPERATOR_SHARES {
			let _ = write!(out, " {} |", probability(concentrated_share(profile, share)));
		}
		let _ = writeln!(out);
	}
	let _ = writeln!(out);
	let _ = writeln!(out, "{END}");
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn durations_read_well() {
		assert_eq!(duration(5.0 + 93.0 / 3600.0), "5.03 h");
		assert_eq!(duration(100.0), "4.2 d");
		assert_eq!(duration(0.5), "30.0 min");
		assert_eq!(duration(2.0 / 3600.0), "2.0 s");
		assert_eq!(duration(3e-8), "108.0 µs");
		assert_eq!(probability(1.234e-11), "1.2e-11");
	}

	/// `docs/durability.md` holds what the binary prints: regenerate it with
	/// `cargo run --release -p cess-durability` when this fails.
	#[test]
	fn the_document_holds_the_generated_tables() {
		// At run time: a test binary reused from a clone elsewhere must read this tree.
		let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
		let doc = std::fs::read_to_string(format!("{dir}/../../docs/durability.md"))
			.expect("docs/durability.md");
		let start = doc.find(BEGIN).expect("the begin marker in docs/durability.md");
		let end = doc.find(END).expect("the end marker in docs/durability.md") + END.len();
		let generated = markdown();
		assert_eq!(
			&doc[start..end],
			generated.trim_end(),
			"docs/durability.md is stale: run `cargo run --release -p cess-durability` and paste \
			 its output between the markers"
		);
	}
}
