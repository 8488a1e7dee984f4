//! The miner's fragment store on disk.
//!
//! ```text
//! <root>/objects/<2 hex>/<64 hex>        fragment, named by its hash (content-addressed)
//! <root>/objects/<2 hex>/<64 hex>.upper  the upper levels of its Merkle tree (PoDR² paths)
//! <root>/files/<64 hex>                  holding record of a file (manifest + held columns)
//! <root>/tmp/                            files being written
//! ```
//!
//! Every file is written to `tmp/`, fsynced, renamed into place and its directory fsynced, so a
//! crash or kill at any point leaves either the old state or the new one, never a torn file. A
//! file's holding record is written only after all of its held fragments and their tree levels
//! are durable,
//! and the miner reports a column to the chain only after the record is: whatever the chain
//! believes this miner holds is on disk. Objects that no record references (an upload cut short,
//! a released column) are removed by [`FragmentStore::collect_garbage`].
//!
//! The store never holds more than its capacity (the space declared on chain): every write first
//! reserves its bytes.

mod holding;
mod probe;
#[cfg(test)]
pub(crate) mod test_file;
#[cfg(test)]
mod tests;

use std::{
	collections::{BTreeMap, BTreeSet},
	fs::{self, File},
	io::{self, Write},
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicU64, Ordering},
		Mutex, RwLock,
	},
	time::{Duration, SystemTime},
};

use cess_client::FileManifest;
use cess_primitives::{
	merkle::{FragmentTree, UpperLevels},
	types::{Column, FileId, FragmentHash, Hash256, SegmentIndex, LEAF_BYTES},
};

pub use holding::{Holding, HoldingError};

/// A 32-byte hash as lowercase hex.
pub fn hex32(bytes: &[u8; 32]) -> String {
	hex::encode(bytes)
}

/// Tree level from which a fragment's upper levels are kept: a PoDR² path then costs one read of
/// the 64 leaves (16 KiB) around the challenged one, and the levels take 0.2 % of the fragment.
pub const UPPER_FROM: u8 = 6;

/// The tree of a fragment, or `None` if its length is not a non-zero number of whole leaves.
pub fn fragment_tree(data: &[u8]) -> Option<FragmentTree> {
	(!data.is_empty() && data.len().is_multiple_of(LEAF_BYTES)).then(|| FragmentTree::new(data))
}

/// The hash of a fragment, or `None` if its length is not a non-zero number of whole leaves.
pub fn fragment_hash(data: &[u8]) -> Option<FragmentHash> {
	fragment_tree(data).map(|t| t.root())
}

/// What went wrong in the store, with what to do about it where there is something to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// A file system operation failed.
	#[error("cannot {action} {path}: {source} (check the disk and the permissions of the data directory)")]
	Io {
		/// What was being done.
		action: &'static str,
		/// On which path.
		path: PathBuf,
		/// The OS error.
		#[source]
		source: io::Error,
	},
	/// Received bytes are not the fragment they claim to be.
	#[error("fragment does not match its hash: expected {expected}, got {actual}")]
	HashMismatch {
		/// The hash the fragment should have.
		expected: String,
		/// The hash it has.
		actual: String,
	},
	/// The kept tree levels of a fragment are damaged or do not match it.
	#[error(
		"the tree levels kept for fragment {0} are damaged; the self-check will report it lost"
	)]
	BadUpperLevels(String),
	/// Storing this would exceed the declared capacity.
	#[error(
		"declared capacity exceeded: {needed} bytes needed, {free} of {capacity} free; declare more \
		 capacity (and collateral) on chain or start the miner with a larger --capacity"
	)]
	CapacityExceeded {
		/// Bytes the write needs.
		needed: u64,
		/// Bytes still free.
		free: u64,
		/// The declared capacity.
		capacity: u64,
	},
	/// No holding record for this file.
	#[error("file {0} is not stored on this miner")]
	UnknownFile(String),
	/// The file is known but this column is not held.
	#[error("column {column} of file {file} is not held by this miner")]
	ColumnNotHeld {
		/// The file.
		file: String,
		/// The column.
		column: Column,
	},
	/// The chain's challenge names something this miner cannot prove in that shape (a runtime
	/// newer than this miner).
	#[error("cannot answer the challenge: {0}; update cess-miner if this persists")]
	BadChallenge(String),
	/// A fragment a holding needs is not in the store.
	#[error("fragment {0} is not in the store; push it before committing the file")]
	MissingFragment(String),
	/// A holding record on disk does not decode.
	#[error("holding record {path} is corrupt: {source}; remove it and let the self-check report the loss")]
	BadHolding {
		/// The record.
		path: PathBuf,
		/// Why it does not decode.
		#[source]
		source: HoldingError,
	},
	/// A probe or read outside the file.
	#[error("segment {segment}, leaf {leaf} is outside the file")]
	OutOfRange {
		/// Requested segment.
		segment: SegmentIndex,
		/// Requested leaf.
		leaf: u32,
	},
}

/// Result of the store.
pub type Result<T> = std::result::Result<T, StoreError>;

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
	move |source| StoreError::Io { action, path: path.to_path_buf(), source }
}

/// A held fragment that is missing or damaged on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
	/// The file.
	pub file_id: FileId,
	/// The segment.
	pub segment: SegmentIndex,
	/// The column.
	pub column: Column,
	/// Missing, or a wrong hash.
	pub reason: LossReason,
}

/// Why a held fragment counts as lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossReason {
	/// The fragment file is gone or unreadable.
	Missing,
	/// Its content no longer hashes to its name.
	Corrupted,
}

/// The on-disk fragment store (see the module docs). Safe to share between threads.
pub struct FragmentStore {
	root: PathBuf,
	capacity: u64,
	used: Mutex<u64>,
	holdings: RwLock<BTreeMap<FileId, Holding>>,
	tmp_seq: AtomicU64,
}

impl FragmentStore {
	/// Opens (creating if needed) the store at `root` with `capacity` bytes. Discards files left
	/// half-written by a crash and counts what is stored.
	pub fn open(root: impl Into<PathBuf>, capacity: u64) -> Result<Self> {
		let root = root.into();
		for dir in ["objects", "files", "tmp"] {
			let path = root.join(dir);
			fs::create_dir_all(&path).map_err(io_err("create", &path))?;
		}
		let tmp = root.join("tmp");
		for entry in fs::read_dir(&tmp).map_err(io_err("list", &tmp))? {
			let path = entry.map_err(io_err("list", &tmp))?.path();
			fs::remove_file(&path).map_err(io_err("remove", &path))?;
		}
		let mut holdings = BTreeMap::new();
		let files = root.join("files");
		for entry in fs::read_dir(&files).map_err(io_err("list", &files))? {
			let path = entry.map_err(io_err("list", &files))?.path();
			let bytes = fs::read(&path).map_err(io_err("read", &path))?;
			let holding = Holding::from_bytes(&bytes)
				.map_err(|source| StoreError::BadHolding { path: path.clone(), source })?;
			holdings.insert(*holding.file_id(), holding);
		}
		let store = Self {
			root,
			capacity,
			used: Mutex::new(0),
			holdings: RwLock::new(holdings),
			tmp_seq: AtomicU64::new(0),
		};
		let used = store.objects()?.iter().map(|(_, len, _)| len).sum();
		*store.used.lock().expect("not poisoned") = used;
		Ok(store)
	}

	/// The declared capacity in bytes.
	pub fn capacity(&self) -> u64 {
		self.capacity
	}

	/// Bytes of fragments and their tree levels on disk.
	pub fn used(&self) -> u64 {
		*self.used.lock().expect("not poisoned")
	}

	fn object_path(&self, hash: &FragmentHash) -> PathBuf {
		let hex = hex32(hash);
		self.root.join("objects").join(&hex[..2]).join(hex)
	}

	fn upper_path(&self, hash: &FragmentHash) -> PathBuf {
		let mut path = self.object_path(hash);
		path.set_extension("upper");
		path
	}

	fn holding_path(&self, file_id: &FileId) -> PathBuf {
		self.root.join("files").join(hex32(file_id))
	}

	/// Reserves `len` bytes of capacity.
	fn reserve(&self, len: u64) -> Result<()> {
		let mut used = self.used.lock().expect("not poisoned");
		let free = self.capacity.saturating_sub(*used);
		if len > free {
			return Err(StoreError::CapacityExceeded {
				needed: len,
				free,
				capacity: self.capacity,
			});
		}
		*used += len;
		Ok(())
	}

	fn unreserve(&self, len: u64) {
		let mut used = self.used.lock().expect("not poisoned");
		*used = used.saturating_sub(len);
	}

	/// Writes `data` to `path` durably and atomically (temp file, fsync, rename, fsync dir).
	fn write_atomic(&self, path: &Path, data: &[u8]) -> Result<()> {
		let dir = path.parent().expect("store paths have a parent");
		fs::create_dir_all(dir).map_err(io_err("create", dir))?;
		let seq = self.tmp_seq.fetch_add(1, Ordering::Relaxed);
		let tmp = self.root.join("tmp").join(format!("{}-{seq}", std::process::id()));
		let write = || -> Result<()> {
			let mut file = File::create(&tmp).map_err(io_err("create", &tmp))?;
			file.write_all(data).map_err(io_err("write", &tmp))?;
			file.sync_all().map_err(io_err("fsync", &tmp))?;
			fs::rename(&tmp, path).map_err(io_err("rename into", path))?;
			File::open(dir).and_then(|d| d.sync_all()).map_err(io_err("fsync", dir))
		};
		write().inspect_err(|_| {
			let _ = fs::remove_file(&tmp);
		})
	}

	/// Stores a fragment under its hash after checking that it is `expected`, with the upper
	/// levels of its tree. Idempotent.
	pub fn put_fragment(&self, expected: &FragmentHash, data: &[u8]) -> Result<()> {
		let tree = fragment_tree(data);
		let actual = tree.as_ref().map(FragmentTree::root);
		let Some(tree) = tree.filter(|_| actual.as_ref() == Some(expected)) else {
			return Err(StoreError::HashMismatch {
				expected: hex32(expected),
				actual: actual
					.map_or_else(|| "a length that is not whole leaves".into(), |h| hex32(&h)),
			});
		};
		self.put_object(&self.object_path(expected), data)?;
		self.put_object(&self.upper_path(expected), &tree.upper_levels(UPPER_FROM).to_bytes())
	}

	/// Replaces the object at `path` with `data` even if it has the same length.
	fn rewrite(&self, path: &Path, data: &[u8]) -> Result<()> {
		let old = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
		self.reserve(data.len() as u64)?;
		match self.write_atomic(path, data) {
			Ok(()) => {
				self.unreserve(old);
				Ok(())
			},
			Err(e) => {
				self.unreserve(data.len() as u64);
				Err(e)
			},
		}
	}

	fn put_object(&self, path: &Path, data: &[u8]) -> Result<()> {
		if fs::metadata(path).is_ok_and(|m| m.len() == data.len() as u64) {
			return Ok(());
		}
		self.rewrite(path, data)
	}

	/// Whether fragment `hash` of `len` bytes and its tree levels are stored (a push can skip it).
	pub fn has_fragment(&self, hash: &FragmentHash, len: u64) -> bool {
		fs::metadata(self.object_path(hash)).is_ok_and(|m| m.len() == len)
			&& fs::metadata(self.upper_path(hash)).is_ok()
	}

	/// Records that this miner holds `columns` of the file of `manifest` (added to any columns
	/// already held). Every fragment of those columns and its tree levels must be in the store;
	/// after
	/// this returns, the columns survive a crash and may be reported to the chain.
	pub fn commit(&self, manifest: &FileManifest, columns: &[Column]) -> Result<()> {
		let mut holdings = self.holdings.write().expect("not poisoned");
		let mut holding = match holdings.get(manifest.file_id()) {
			Some(h) => h.clone(),
			None => Holding::new(manifest.clone(), Vec::new()).expect("no columns"),
		};
		for &column in columns {
			holding.add_column(column).map_err(|_| StoreError::ColumnNotHeld {
				file: hex32(manifest.file_id()),
				column,
			})?;
		}
		let layout = manifest.layout();
		for (seg, _col, hash) in holding.fragments() {
			if !self.has_fragment(hash, layout.fragment_len(seg)) {
				return Err(StoreError::MissingFragment(hex32(hash)));
			}
		}
		self.write_atomic(&self.holding_path(manifest.file_id()), &holding.to_bytes())?;
		holdings.insert(*manifest.file_id(), holding);
		Ok(())
	}

	/// Stops holding `column` of `file_id` (its fragments go at the next garbage collection).
	/// Returns whether it was held.
	pub fn release(&self, file_id: &FileId, column: Column) -> Result<bool> {
		let mut holdings = self.holdings.write().expect("not poisoned");
		let Some(holding) = holdings.get_mut(file_id) else { return Ok(false) };
		if !holding.remove_column(column) {
			return Ok(false);
		}
		let path = self.holding_path(file_id);
		if holding.columns().is_empty() {
			holdings.remove(file_id);
			fs::remove_file(&path).map_err(io_err("remove", &path))?;
		} else {
			self.write_atomic(&path, &holding.to_bytes())?;
		}
		Ok(true)
	}

	/// The holding record of `file_id`.
	pub fn holding(&self, file_id: &FileId) -> Option<Holding> {
		self.holdings.read().expect("not poisoned").get(file_id).cloned()
	}

	/// Time since the holding record of `file_id` was last written (`None` if there is none).
	pub fn holding_age(&self, file_id: &FileId) -> Option<Duration> {
		let modified = fs::metadata(self.holding_path(file_id)).ok()?.modified().ok()?;
		Some(SystemTime::now().duration_since(modified).unwrap_or_default())
	}

	/// Every held (file, column).
	pub fn held_columns(&self) -> Vec<(FileId, Column)> {
		let holdings = self.holdings.read().expect("not poisoned");
		holdings.values().flat_map(|h| h.columns().iter().map(|c| (*h.file_id(), *c))).collect()
	}

	/// The hash of held fragment (`segment`, `column`) of `file_id`.
	pub fn held_fragment(
		&self,
		file_id: &FileId,
		segment: SegmentIndex,
		column: Column,
	) -> Result<FragmentHash> {
		let holdings = self.holdings.read().expect("not poisoned");
		let holding =
			holdings.get(file_id).ok_or_else(|| StoreError::UnknownFile(hex32(file_id)))?;
		if !holding.holds(column) {
			return Err(StoreError::ColumnNotHeld { file: hex32(file_id), column });
		}
		holding
			.manifest()
			.fragment_hash(segment, column)
			.copied()
			.ok_or(StoreError::OutOfRange { segment, leaf: 0 })
	}

	/// Reads a stored fragment.
	pub fn read_fragment(&self, hash: &FragmentHash) -> Result<Vec<u8>> {
		let path = self.object_path(hash);
		fs::read(&path).map_err(|e| match e.kind() {
			io::ErrorKind::NotFound => StoreError::MissingFragment(hex32(hash)),
			_ => StoreError::Io { action: "read", path, source: e },
		})
	}

	/// The kept upper levels of a stored fragment's tree.
	pub fn read_upper_levels(&self, hash: &FragmentHash) -> Result<UpperLevels> {
		let path = self.upper_path(hash);
		let bytes = fs::read(&path).map_err(|e| match e.kind() {
			io::ErrorKind::NotFound => StoreError::MissingFragment(hex32(hash)),
			_ => StoreError::Io { action: "read", path, source: e },
		})?;
		UpperLevels::from_bytes(&bytes)
			.ok()
			.filter(|u| &u.root() == hash)
			.ok_or_else(|| StoreError::BadUpperLevels(hex32(hash)))
	}

	/// Reads `len` bytes at `offset` of the object at `path` (fewer at its end).
	fn read_at(
		&self,
		path: &Path,
		hash: &FragmentHash,
		offset: u64,
		len: usize,
	) -> Result<Vec<u8>> {
		use std::io::{Read, Seek, SeekFrom};
		let mut file = File::open(path).map_err(|e| match e.kind() {
			io::ErrorKind::NotFound => StoreError::MissingFragment(hex32(hash)),
			_ => StoreError::Io { action: "open", path: path.to_path_buf(), source: e },
		})?;
		file.seek(SeekFrom::Start(offset)).map_err(io_err("seek", path))?;
		let mut out = Vec::with_capacity(len);
		file.take(len as u64).read_to_end(&mut out).map_err(io_err("read", path))?;
		Ok(out)
	}

	/// Leaf `index` of a stored fragment and its path to the fragment hash, reading only the
	/// kept upper levels and the `2^UPPER_FROM` leaves around it.
	pub fn read_leaf_path(
		&self,
		hash: &FragmentHash,
		index: u32,
	) -> Result<([u8; LEAF_BYTES], Vec<Hash256>)> {
		let upper = self.read_upper_levels(hash)?;
		let range = upper.chunk_range(u64::from(index));
		let len = (range.end - range.start) as usize;
		let chunk = self.read_at(&self.object_path(hash), hash, range.start, len)?;
		upper.path(u64::from(index), &chunk).ok_or_else(|| StoreError::HashMismatch {
			expected: hex32(hash),
			actual: format!("different bytes around leaf {index}"),
		})
	}

	/// Every object on disk: (path, length, modification time).
	fn objects(&self) -> Result<Vec<(PathBuf, u64, SystemTime)>> {
		let objects = self.root.join("objects");
		let mut out = Vec::new();
		for dir in fs::read_dir(&objects).map_err(io_err("list", &objects))? {
			let dir = dir.map_err(io_err("list", &objects))?.path();
			for entry in fs::read_dir(&dir).map_err(io_err("list", &dir))? {
				let entry = entry.map_err(io_err("list", &dir))?;
				let path = entry.path();
				let meta = entry.metadata().map_err(io_err("stat", &path))?;
				out.push((path, meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
			}
		}
		Ok(out)
	}

	/// Deletes objects that no holding references and that are older than `min_age` (younger
	/// ones may belong to an upload in progress). Returns the bytes freed.
	pub fn collect_garbage(&self, min_age: Duration) -> Result<u64> {
		let live: BTreeSet<PathBuf> = {
			let holdings = self.holdings.read().expect("not poisoned");
			holdings
				.values()
				.flat_map(|h| h.fragments().map(|(_, _, hash)| *hash).collect::<Vec<_>>())
				.flat_map(|hash| [self.object_path(&hash), self.upper_path(&hash)])
				.collect()
		};
		let now = SystemTime::now();
		let mut freed = 0;
		for (path, len, modified) in self.objects()? {
			// A modification time after `now` (clock steps) counts as young unless nothing is.
			let young =
				now.duration_since(modified).map(|age| age < min_age).unwrap_or(!min_age.is_zero());
			if live.contains(&path) || young {
				continue;
			}
			fs::remove_file(&path).map_err(io_err("remove", &path))?;
			self.unreserve(len);
			freed += len;
		}
		Ok(freed)
	}

	/// Re-hashes every held fragment; returns what is missing or damaged. Kept tree levels that
	/// are gone or damaged beside an intact fragment are rebuilt from it.
	pub fn self_check(&self) -> Result<Vec<Loss>> {
		let work: Vec<(FileId, SegmentIndex, Column, FragmentHash)> = {
			let holdings = self.holdings.read().expect("not poisoned");
			holdings
				.values()
				.flat_map(|h| {
					let id = *h.file_id();
					h.fragments()
						.map(move |(seg, col, hash)| (id, seg, col, *hash))
						.collect::<Vec<_>>()
				})
				.collect()
		};
		let mut losses = Vec::new();
		for (file_id, segment, column, hash) in work {
			let reason = match fs::read(self.object_path(&hash)) {
				Err(_) => Some(LossReason::Missing),
				Ok(data) => match fragment_tree(&data) {
					Some(tree) if tree.root() == hash => {
						let upper = tree.upper_levels(UPPER_FROM);
						if self.read_upper_levels(&hash).ok().as_ref() != Some(&upper) {
							tracing::warn!(fragment = %hex32(&hash), "rebuilding damaged tree levels");
							self.rewrite(&self.upper_path(&hash), &upper.to_bytes())?;
						}
						None
					},
					_ => Some(LossReason::Corrupted),
				},
			};
			if let Some(reason) = reason {
				losses.push(Loss { file_id, segment, column, reason });
			}
		}
		Ok(losses)
	}
}
