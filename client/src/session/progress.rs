//! How long operations report progress: the CLI draws bars, the gateway counts metrics.

/// Receives the progress of a long operation. Calls come from several tasks and threads.
pub trait Progress: Send + Sync {
	/// A phase starts (`"encode"`, `"push"`, …) with `total` units of work (bytes).
	fn phase(&self, name: &str, total: u64);
	/// `units` more of the current phase are done.
	fn advance(&self, units: u64);
	/// Something the user should read (a column moved to another miner, …).
	fn note(&self, message: &str);
}

/// Reports nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
	fn phase(&self, _: &str, _: u64) {}
	fn advance(&self, _: u64) {}
	fn note(&self, _: &str) {}
}
