//! Prometheus metrics of the miner, served at `/metrics`.

use prometheus::{Encoder, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};

/// Every metric the miner exports, registered in one registry.
pub struct Metrics {
	registry: Registry,
	/// Bytes of fragments and their kept tree levels on disk.
	pub store_used_bytes: IntGauge,
	/// The declared capacity.
	pub store_capacity_bytes: IntGauge,
	/// Held (file, column) pairs.
	pub held_columns: IntGauge,
	/// Probe requests by outcome (`served`, `not_found`, `bad_request`, `error`).
	pub probes: IntCounterVec,
	/// Fragments the self-check found missing or damaged, by reason.
	pub losses: IntCounterVec,
	/// Requests answered over libp2p, by kind and outcome (`ok`, `refused`).
	pub requests: IntCounterVec,
	/// Audit rounds, by outcome (`submitted`, `rejected`, `unanswerable`).
	pub proofs: IntCounterVec,
	/// Restoral orders, by outcome (`completed`, `failed`).
	pub restorals: IntCounterVec,
}

impl Metrics {
	/// Creates and registers the metrics.
	pub fn new() -> Self {
		let registry = Registry::new_custom(Some("cess_miner".into()), None)
			.expect("a valid prefix and no labels");
		let gauge = |name: &str, help: &str| {
			let g = IntGauge::new(name, help).expect("valid metric");
			registry.register(Box::new(g.clone())).expect("registered once");
			g
		};
		let counter = |name: &str, help: &str, label: &str| {
			let labels: Vec<&str> = label.split(',').collect();
			let c = IntCounterVec::new(Opts::new(name, help), &labels).expect("valid metric");
			registry.register(Box::new(c.clone())).expect("registered once");
			c
		};
		Self {
			store_used_bytes: gauge(
				"store_used_bytes",
				"Bytes of fragments and their tree levels stored",
			),
			store_capacity_bytes: gauge("store_capacity_bytes", "Declared storage capacity"),
			held_columns: gauge("held_columns", "File columns held"),
			probes: counter("probes_total", "Retrievability probes answered", "outcome"),
			losses: counter(
				"self_check_losses_total",
				"Fragments found lost by the self-check",
				"reason",
			),
			requests: counter("requests_total", "libp2p requests answered", "kind,outcome"),
			proofs: counter("proofs_total", "Audit rounds answered", "outcome"),
			restorals: counter("restorals_total", "Restoral orders worked on", "outcome"),
			registry,
		}
	}

	/// The text exposition of every metric.
	pub fn render(&self) -> String {
		let mut out = Vec::new();
		TextEncoder::new()
			.encode(&self.registry.gather(), &mut out)
			.expect("encoding into a Vec cannot fail");
		String::from_utf8(out).expect("the text format is UTF-8")
	}
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}
