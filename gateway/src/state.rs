//! The gateway's shared state: accounts by access key, the libp2p host, the segment cache, the
//! bounds on memory, disk and concurrency, and the multipart uploads.

use std::{
	collections::HashMap,
	path::PathBuf,
	sync::{Arc, Mutex},
	time::Duration,
};

use cess_client::net::Host;
use cess_primitives::types::FileId;
use tokio::sync::Semaphore;

use crate::{
	account::Account, cache::SegmentCache, metrics::Metrics, multipart::Uploads, read::OpenFile,
};

/// Files opened for reading, by account (its 32 bytes) and file.
pub type OpenFiles = HashMap<([u8; 32], FileId), Arc<OpenFile>>;

/// The gateway's limits and places.
#[derive(Clone, Debug)]
pub struct Config {
	/// Plaintext bytes per extent (one CESS file) of a stored body.
	pub extent_bytes: u64,
	/// Extents being stored at once (spooled, declared, pushed, awaited), across requests.
	pub uploads: usize,
	/// Encoding passes at once, across requests (each holds a segment's fragments in memory).
	pub encoders: usize,
	/// Decoded segments held for clients at once, across requests.
	pub read_segments: usize,
	/// Where bodies are spooled.
	pub scratch_dir: PathBuf,
	/// How long an extent may take to become Active.
	pub upload_timeout: Duration,
	/// How long a client may take to accept the next slice of a download.
	pub send_timeout: Duration,
	/// Multipart uploads open longer than this are aborted.
	pub abandon_after: Duration,
}

/// Everything the S3 operations share.
pub struct Gateway {
	/// Accounts by access key.
	pub accounts: HashMap<String, Arc<Account>>,
	/// The libp2p host that talks to miners.
	pub host: Host,
	pub cache: SegmentCache,
	pub metrics: Arc<Metrics>,
	pub config: Config,
	/// Files opened for reading, by account and file.
	pub(crate) files: Mutex<OpenFiles>,
	/// Extents on disk (spooling or being stored): uploads + 1.
	pub scratch_slots: Arc<Semaphore>,
	/// Encoding passes, shared with the uploads.
	pub encoders: Arc<Semaphore>,
	/// Decoded segments held for clients.
	pub segment_slots: Arc<Semaphore>,
	pub uploads: Uploads,
}

impl Gateway {
	/// The state for `accounts`, keeping the cache, scratch and uploads under `state_dir`.
	pub fn new(
		accounts: HashMap<String, Arc<Account>>,
		host: Host,
		state_dir: &std::path::Path,
		cache_bytes: u64,
		config: Config,
		metrics: Arc<Metrics>,
	) -> std::io::Result<Self> {
		std::fs::create_dir_all(&config.scratch_dir)?;
		// Spooled extents of requests that died with an earlier run.
		for entry in std::fs::read_dir(&config.scratch_dir)?.flatten() {
			let _ = std::fs::remove_file(entry.path());
		}
		Ok(Self {
			accounts,
			host,
			cache: SegmentCache::new(&state_dir.join("cache"), cache_bytes, metrics.clone())?,
			files: Mutex::new(HashMap::new()),
			scratch_slots: Arc::new(Semaphore::new(config.uploads + 1)),
			encoders: Arc::new(Semaphore::new(config.encoders.max(1))),
			segment_slots: Arc::new(Semaphore::new(config.read_segments.max(2))),
			uploads: Uploads::open(&state_dir.join("uploads"))?,
			metrics,
			config,
		})
	}
}
