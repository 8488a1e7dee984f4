//! The segment cache: stored segments (as the erasure decoder rebuilds them, still encrypted for
//! an encrypted file) on local disk, shared by every request, evicted least recently used first
//! to stay under a size cap. A hit costs a file read and the decryption; a miss fetches `k`
//! fragments from miners once, however many requests wait for the segment meanwhile.
//!
//! The cache holds no plaintext of an encrypted file: its files are ciphertext that only the data
//! key opens (and authenticates) on the way out. It starts empty each run.

use std::{
	collections::{BTreeMap, HashMap},
	future::Future,
	io,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
};

use cess_primitives::types::FileId;

use crate::metrics::Metrics;

/// A segment of a file.
pub type SegmentKey = (FileId, u32);

#[derive(Default)]
struct Index {
	/// Cached segments: their length and last use.
	entries: HashMap<SegmentKey, (u64, u64)>,
	/// Last use → segment, oldest first.
	by_use: BTreeMap<u64, SegmentKey>,
	clock: u64,
	bytes: u64,
}

impl Index {
	fn touch(&mut self, key: &SegmentKey) -> bool {
		let Some((_, used)) = self.entries.get_mut(key) else { return false };
		self.by_use.remove(used);
		self.clock += 1;
		*used = self.clock;
		self.by_use.insert(self.clock, *key);
		true
	}

	fn remove(&mut self, key: &SegmentKey) {
		if let Some((len, used)) = self.entries.remove(key) {
			self.by_use.remove(&used);
			self.bytes -= len;
		}
	}
}

/// Stored segments on disk, least recently used evicted first.
pub struct SegmentCache {
	dir: PathBuf,
	capacity: u64,
	index: Mutex<Index>,
	/// One lock per segment being fetched, so concurrent misses fetch it once.
	fetching: Mutex<HashMap<SegmentKey, Arc<tokio::sync::Mutex<()>>>>,
	metrics: Arc<Metrics>,
}

impl SegmentCache {
	/// An empty cache of at most `capacity` bytes in `dir` (emptied first).
	pub fn new(dir: &Path, capacity: u64, metrics: Arc<Metrics>) -> io::Result<Self> {
		match std::fs::remove_dir_all(dir) {
			Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
			_ => {},
		}
		std::fs::create_dir_all(dir)?;
		metrics.cache_bytes.set(0);
		Ok(Self {
			dir: dir.into(),
			capacity,
			index: Mutex::new(Index::default()),
			fetching: Mutex::new(HashMap::new()),
			metrics,
		})
	}

	fn path(&self, (file, segment): &SegmentKey) -> PathBuf {
		self.dir.join(format!("{}-{segment}", hex::encode(file)))
	}

	/// Bytes held now.
	#[cfg(test)]
	pub fn bytes(&self) -> u64 {
		self.index.lock().expect("cache index poisoned").bytes
	}

	/// The segment `key`: from the cache, else from `fetch` (once, however many callers wait
	/// for it), kept for later.
	pub async fn get_or_fetch<E, Fut>(
		&self,
		key: SegmentKey,
		fetch: impl FnOnce() -> Fut,
	) -> Result<Vec<u8>, E>
	where
		Fut: Future<Output = Result<Vec<u8>, E>>,
	{
		if let Some(bytes) = self.get(&key).await {
			return Ok(bytes);
		}
		let lock = {
			let mut fetching = self.fetching.lock().expect("cache locks poisoned");
			fetching.entry(key).or_default().clone()
		};
		let result = async {
			let _fetching = lock.lock().await;
			// Fetched by the caller that held the lock before us?
			if let Some(bytes) = self.get(&key).await {
				return Ok(bytes);
			}
			let bytes = fetch().await?;
			self.metrics.cache_misses.inc();
			self.metrics.cache_miss_bytes.inc_by(bytes.len() as u64);
			if let Err(e) = self.put(key, &bytes).await {
				tracing::warn!(target: "cess-gateway::cache", error = %e, "cannot write the segment cache");
			}
			Ok(bytes)
		}
		.await;
		let mut fetching = self.fetching.lock().expect("cache locks poisoned");
		// Ours and the map's reference: nobody else waits, drop the lock.
		if Arc::strong_count(&lock) == 2 {
			fetching.remove(&key);
		}
		result
	}

	async fn get(&self, key: &SegmentKey) -> Option<Vec<u8>> {
		if !self.index.lock().expect("cache index poisoned").touch(key) {
			return None;
		}
		match tokio::fs::read(self.path(key)).await {
			Ok(bytes) => {
				self.metrics.cache_hits.inc();
				self.metrics.cache_hit_bytes.inc_by(bytes.len() as u64);
				Some(bytes)
			},
			// Evicted between the lookup and the read.
			Err(_) => {
				self.index.lock().expect("cache index poisoned").remove(key);
				None
			},
		}
	}

	async fn put(&self, key: SegmentKey, bytes: &[u8]) -> io::Result<()> {
		let len = bytes.len() as u64;
		if len > self.capacity {
			return Ok(());
		}
		let path = self.path(&key);
		let partial = path.with_extension("partial");
		tokio::fs::write(&partial, bytes).await?;
		tokio::fs::rename(&partial, &path).await?;
		let evicted = {
			let mut index = self.index.lock().expect("cache index poisoned");
			index.remove(&key);
			index.clock += 1;
			let used = index.clock;
			index.entries.insert(key, (len, used));
			index.by_use.insert(used, key);
			index.bytes += len;
			let mut evicted = Vec::new();
			while index.bytes > self.capacity {
				let Some((_, oldest)) = index.by_use.pop_first() else { break };
				if let Some((len, _)) = index.entries.remove(&oldest) {
					index.bytes -= len;
				}
				evicted.push(oldest);
			}
			self.metrics.cache_bytes.set(index.bytes as i64);
			evicted
		};
		for key in evicted {
			self.metrics.cache_evictions.inc();
			let _ = tokio::fs::remove_file(self.path(&key)).await;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::sync::atomic::{AtomicUsize, Ordering};

	fn cache(dir: &Path, capacity: u64) -> SegmentCache {
		SegmentCache::new(&dir.join("cache"), capacity, Arc::new(Metrics::new())).unwrap()
	}

	async fn fetch(cache: &SegmentCache, key: SegmentKey, fetches: &AtomicUsize) -> Vec<u8> {
		cache
			.get_or_fetch(key, || async {
				fetches.fetch_add(1, Ordering::SeqCst);
				Ok::<_, ()>(vec![key.1 as u8; 100])
			})
			.await
			.unwrap()
	}

	#[tokio::test]
	async fn hits_are_served_from_disk_and_the_oldest_segment_goes_first() {
		let dir = tempfile::tempdir().unwrap();
		let cache = cache(dir.path(), 300);
		let fetches = AtomicUsize::new(0);
		for segment in 0..3 {
			fetch(&cache, ([1; 32], segment), &fetches).await;
		}
		assert_eq!(fetches.load(Ordering::SeqCst), 3);
		// Segment 0 is used again, so segment 1 is now the least recently used.
		assert_eq!(fetch(&cache, ([1; 32], 0), &fetches).await, vec![0; 100]);
		assert_eq!(fetches.load(Ordering::SeqCst), 3);
		fetch(&cache, ([1; 32], 3), &fetches).await;
		assert_eq!(cache.bytes(), 300);
		assert_eq!(cache.metrics.cache_evictions.get(), 1);
		fetch(&cache, ([1; 32], 0), &fetches).await;
		fetch(&cache, ([1; 32], 2), &fetches).await;
		assert_eq!(fetches.load(Ordering::SeqCst), 4, "0, 2 and 3 stayed");
		fetch(&cache, ([1; 32], 1), &fetches).await;
		assert_eq!(fetches.load(Ordering::SeqCst), 5, "1 was evicted");
		assert_eq!(cache.metrics.cache_hits.get(), 3);
		assert_eq!(cache.metrics.cache_misses.get(), 5);
		let files = std::fs::read_dir(dir.path().join("cache")).unwrap().count();
		assert_eq!(files, 3, "evicted segments leave the disk");
	}

	#[tokio::test]
	async fn concurrent_misses_fetch_once() {
		let dir = tempfile::tempdir().unwrap();
		let cache = Arc::new(cache(dir.path(), 1 << 20));
		let fetches = Arc::new(AtomicUsize::new(0));
		let tasks: Vec<_> = (0..8)
			.map(|_| {
				let (cache, fetches) = (cache.clone(), fetches.clone());
				tokio::spawn(async move {
					cache
						.get_or_fetch(([2; 32], 7), || async {
							fetches.fetch_add(1, Ordering::SeqCst);
							tokio::time::sleep(std::time::Duration::from_millis(50)).await;
							Ok::<_, ()>(vec![7; 10])
						})
						.await
						.unwrap()
				})
			})
			.collect();
		for task in tasks {
			assert_eq!(task.await.unwrap(), vec![7; 10]);
		}
		assert_eq!(fetches.load(Ordering::SeqCst), 1);
		assert!(cache.fetching.lock().unwrap().is_empty(), "no lock is left behind");
	}

	#[tokio::test]
	async fn a_failed_fetch_caches_nothing_and_a_segment_over_the_cap_is_not_kept() {
		let dir = tempfile::tempdir().unwrap();
		let cache = cache(dir.path(), 50);
		let failed = cache.get_or_fetch(([3; 32], 0), || async { Err::<Vec<u8>, _>("no miner") });
		assert_eq!(failed.await, Err("no miner"));
		let fetches = AtomicUsize::new(0);
		fetch(&cache, ([3; 32], 0), &fetches).await;
		fetch(&cache, ([3; 32], 0), &fetches).await;
		assert_eq!(fetches.load(Ordering::SeqCst), 2, "100 bytes do not fit a 50-byte cache");
		assert_eq!(cache.bytes(), 0);
	}
}
