//! Prometheus metrics of the gateway, served at `/metrics` on the metrics listener.

use prometheus::{Encoder, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};

/// Every metric the gateway exports.
pub struct Metrics {
	registry: Registry,
	/// S3 requests answered, by operation and outcome (`ok` or the S3 error code).
	pub requests: IntCounterVec,
	/// Segments served from the cache.
	pub cache_hits: IntCounter,
	/// Segments fetched from miners because the cache did not hold them.
	pub cache_misses: IntCounter,
	/// Stored bytes read from the cache.
	pub cache_hit_bytes: IntCounter,
	/// Stored bytes fetched from miners into the cache.
	pub cache_miss_bytes: IntCounter,
	/// Segments evicted to keep the cache under its size.
	pub cache_evictions: IntCounter,
	/// Bytes the cache holds on disk.
	pub cache_bytes: IntGauge,
	/// Object bytes sent to clients.
	pub sent_bytes: IntCounter,
	/// Object bytes received from clients and stored.
	pub stored_bytes: IntCounter,
	/// Extents (CESS files) being uploaded now.
	pub uploads_in_flight: IntGauge,
	/// Multipart uploads aborted because they were abandoned.
	pub abandoned_uploads: IntCounter,
}

impl Metrics {
	/// Creates and registers the metrics.
	pub fn new() -> Self {
		let registry = Registry::new_custom(Some("cess_gateway".into()), None)
			.expect("a valid prefix and no labels");
		let register = |metric: Box<dyn prometheus::core::Collector>| {
			registry.register(metric).expect("registered once");
		};
		let counter = |name: &str, help: &str| {
			let c = IntCounter::new(name, help).expect("valid metric");
			register(Box::new(c.clone()));
			c
		};
		let gauge = |name: &str, help: &str| {
			let g = IntGauge::new(name, help).expect("valid metric");
			register(Box::new(g.clone()));
			g
		};
		let requests = IntCounterVec::new(
			Opts::new("requests_total", "S3 requests answered"),
			&["op", "outcome"],
		)
		.expect("valid metric");
		register(Box::new(requests.clone()));
		Self {
			requests,
			cache_hits: counter("cache_hits_total", "Segments served from the segment cache"),
			cache_misses: counter("cache_misses_total", "Segments fetched from miners"),
			cache_hit_bytes: counter("cache_hit_bytes_total", "Stored bytes read from the cache"),
			cache_miss_bytes: counter(
				"cache_miss_bytes_total",
				"Stored bytes fetched from miners into the cache",
			),
			cache_evictions: counter("cache_evictions_total", "Segments evicted from the cache"),
			cache_bytes: gauge("cache_bytes", "Bytes the segment cache holds on disk"),
			sent_bytes: counter("sent_bytes_total", "Object bytes sent to clients"),
			stored_bytes: counter("stored_bytes_total", "Object bytes received and stored"),
			uploads_in_flight: gauge("uploads_in_flight", "Extents being uploaded to miners"),
			abandoned_uploads: counter(
				"abandoned_uploads_total",
				"Multipart uploads aborted by the sweeper",
			),
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
