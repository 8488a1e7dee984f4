//! The miner's idle files on disk (`docs/idle-space.md`).
//!
//! ```text
//! <root>/params                  the chain's idle parameters the files were made with
//! <root>/<first>/count           the batch's file count (the batch starts at file `first`)
//! <root>/<first>/<k>.roots       the roots of layers 1..=L of file k (L × 32 bytes)
//! <root>/<first>/<k>.last        layer L of file k (N × 32 bytes): what the space rounds sample
//! ```
//!
//! A file is complete once its `.last` exists: both are written to a temporary name, fsynced
//! and renamed, `.roots` first, so a crash leaves a file either complete or to be generated
//! again. Generation resumes at the first file without `.last`. A converted file loses its
//! `.last` (its `.roots` stay: the batch tree needs every file's commitment).

use std::{
	collections::{btree_map::Entry, BTreeMap},
	fs::{self, File},
	io::{self, Write},
	path::{Path, PathBuf},
};

use cess_primitives::{
	idle::{
		self, file_commitment, hash::lower_root, BatchTree, GeneratedFile, IdleParams, Label,
		LayerTree, SpaceOpening, SpaceSample,
	},
	types::Hash256,
};

/// Why an idle-file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum IdleStoreError {
	/// Reading or writing the idle directory failed.
	#[error("idle files in {path}: {source} (check the disk and the directory's permissions)")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The error.
		source: io::Error,
	},
	/// The files were made with other parameters than the chain's.
	#[error(
		"the idle files in {0} were made for another chain's parameters: move the directory away \
		 and let the miner generate new ones"
	)]
	OtherParams(PathBuf),
	/// A file of a batch is missing or damaged.
	#[error("idle file {file} of batch {first} is missing or damaged")]
	Missing {
		/// The batch.
		first: u64,
		/// The file within it.
		file: u32,
	},
	/// Generating a file failed (parameters out of range).
	#[error("generating an idle file failed: {0}")]
	Generate(idle::IdleError),
	/// The files on disk do not match the chain's challenge (a bug, or files damaged).
	#[error("cannot build the idle proof: {0}")]
	Prove(String),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> IdleStoreError + '_ {
	move |source| IdleStoreError::Io { path: path.to_path_buf(), source }
}

/// The idle files of one miner.
pub struct IdleStore {
	root: PathBuf,
	params: IdleParams,
	miner: [u8; 32],
	genesis: Hash256,
}

impl IdleStore {
	/// Opens (creating) the idle directory for `miner`'s files on the chain with `genesis` and
	/// the chain's `params`.
	pub fn open(
		root: PathBuf,
		params: IdleParams,
		miner: [u8; 32],
		genesis: Hash256,
	) -> Result<Self, IdleStoreError> {
		fs::create_dir_all(&root).map_err(io_err(&root))?;
		let tag = format!(
			"{} {} {} {}",
			params.layer_labels_log2,
			params.layers,
			params.degree,
			hex::encode(genesis)
		);
		let file = root.join("params");
		match fs::read_to_string(&file) {
			Ok(stored) if stored.trim() == tag => {},
			Ok(_) => return Err(IdleStoreError::OtherParams(root)),
			Err(e) if e.kind() == io::ErrorKind::NotFound => {
				fs::write(&file, &tag).map_err(io_err(&file))?;
			},
			Err(e) => return Err(io_err(&file)(e)),
		}
		Ok(Self { root, params, miner, genesis })
	}

	/// The parameters.
	pub fn params(&self) -> &IdleParams {
		&self.params
	}

	fn batch_dir(&self, first: u64) -> PathBuf {
		self.root.join(first.to_string())
	}

	fn file_path(&self, first: u64, k: u32, ext: &str) -> PathBuf {
		self.batch_dir(first).join(format!("{k}.{ext}"))
	}

	/// The batches on disk, `(first, count)`, ascending.
	pub fn batches(&self) -> Result<Vec<(u64, u32)>, IdleStoreError> {
		let mut out = Vec::new();
		for entry in fs::read_dir(&self.root).map_err(io_err(&self.root))? {
			let entry = entry.map_err(io_err(&self.root))?;
			let Some(first) = entry.file_name().to_str().and_then(|n| n.parse::<u64>().ok()) else {
				continue;
			};
			let count_file = entry.path().join("count");
			if let Some(count) =
				fs::read_to_string(&count_file).ok().and_then(|c| c.trim().parse().ok())
			{
				out.push((first, count));
			}
		}
		out.sort_unstable();
		Ok(out)
	}

	/// Starts a batch of `count` files from file index `first`.
	pub fn create_batch(&self, first: u64, count: u32) -> Result<(), IdleStoreError> {
		let dir = self.batch_dir(first);
		fs::create_dir_all(&dir).map_err(io_err(&dir))?;
		write_durably(&dir.join("count"), count.to_string().as_bytes())
	}

	/// Whether file `k` of the batch at `first` is complete.
	pub fn has_file(&self, first: u64, k: u32) -> bool {
		self.file_path(first, k, "last").exists()
	}

	/// Generates file `k` of the batch at `first` on `threads` threads and writes it.
	pub fn generate_file(&self, first: u64, k: u32, threads: usize) -> Result<(), IdleStoreError> {
		let seed = idle::file_seed(&self.miner, first + u64::from(k), &self.genesis);
		let file: GeneratedFile = idle::generate_parallel(&self.params, &seed, threads.max(1))
			.map_err(IdleStoreError::Generate)?;
		write_durably(&self.file_path(first, k, "roots"), file.roots.as_flattened())?;
		write_durably(&self.file_path(first, k, "last"), file.last.as_flattened())
	}

	/// Bytes of a file's `.roots` (one root per layer).
	fn roots_bytes(&self) -> u64 {
		32 * u64::from(self.params.layers)
	}

	fn roots(&self, first: u64, k: u32) -> Result<Vec<Hash256>, IdleStoreError> {
		let path = self.file_path(first, k, "roots");
		let bytes = fs::read(&path).map_err(|_| IdleStoreError::Missing { first, file: k })?;
		if bytes.len() as u64 != self.roots_bytes() {
			return Err(IdleStoreError::Missing { first, file: k });
		}
		Ok(bytes.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect())
	}

	/// The tree over the commitments of the batch's files (all must have their roots).
	pub fn batch_tree(&self, first: u64, count: u32) -> Result<BatchTree, IdleStoreError> {
		let commitments = (0..count)
			.map(|k| self.roots(first, k).map(|r| file_commitment(&r)))
			.collect::<Result<Vec<_>, _>>()?;
		BatchTree::new(&self.params, first, &commitments).map_err(IdleStoreError::Generate)
	}

	/// The tree of layer `L` of file `k`, read from disk.
	fn last_layer(&self, first: u64, k: u32) -> Result<LayerTree, IdleStoreError> {
		let bytes = fs::read(self.file_path(first, k, "last"))
			.map_err(|_| IdleStoreError::Missing { first, file: k })?;
		if bytes.len() as u64 != self.params.file_bytes() {
			return Err(IdleStoreError::Missing { first, file: k });
		}
		let labels: Vec<Label> =
			bytes.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect();
		Ok(LayerTree::new(&labels))
	}

	/// The space proof of `samples`, reading each sampled file once.
	pub fn prove_space(&self, samples: &[SpaceSample]) -> Result<Vec<u8>, IdleStoreError> {
		let mut trees: BTreeMap<u64, BatchTree> = BTreeMap::new();
		let mut lasts: BTreeMap<(u64, u32), (LayerTree, Hash256)> = BTreeMap::new();
		for s in samples {
			let first = s.batch.first;
			if let Entry::Vacant(e) = trees.entry(first) {
				e.insert(self.batch_tree(first, s.batch.count)?);
			}
			if let Entry::Vacant(e) = lasts.entry((first, s.file)) {
				let roots = self.roots(first, s.file)?;
				let lower = lower_root(&roots[..roots.len() - 1]);
				e.insert((self.last_layer(first, s.file)?, lower));
			}
		}
		idle::prove_space(&self.params, samples, |s| {
			let (last, lower) = &lasts[&(s.batch.first, s.file)];
			SpaceOpening::from_trees(s, last, *lower, &trees[&s.batch.first])
				.ok_or(IdleStoreError::Missing { first: s.batch.first, file: s.file })
		})
		.map_err(|e| match e {
			idle::ProveError::Source(e) => e,
			other => IdleStoreError::Prove(other.to_string()),
		})
	}

	/// The generation proof of `samples` for the batch at `first` of `count` files: the
	/// sampled files are regenerated from their seeds on `threads` threads.
	pub fn prove_generation(
		&self,
		first: u64,
		count: u32,
		samples: &[idle::GenSample],
		threads: usize,
	) -> Result<Vec<u8>, IdleStoreError> {
		let tree = self.batch_tree(first, count)?;
		let mut regen = idle::Regenerate::new(&self.params, &self.miner, &self.genesis, first)
			.with_threads(threads);
		idle::prove_generation(&self.params, &tree, samples, |k, l| regen.layer_tree(k, l)).map_err(
			|e| match e {
				idle::ProveError::Source(e) => IdleStoreError::Generate(e),
				other => IdleStoreError::Prove(other.to_string()),
			},
		)
	}

	/// Deletes the last layer of file `k` (converted to service space); true if it was there.
	pub fn delete_file(&self, first: u64, k: u32) -> Result<bool, IdleStoreError> {
		let path = self.file_path(first, k, "last");
		match fs::remove_file(&path) {
			Ok(()) => Ok(true),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
			Err(e) => Err(io_err(&path)(e)),
		}
	}

	/// Deletes a whole batch.
	pub fn delete_batch(&self, first: u64) -> Result<(), IdleStoreError> {
		let dir = self.batch_dir(first);
		match fs::remove_dir_all(&dir) {
			Ok(()) => Ok(()),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
			Err(e) => Err(io_err(&dir)(e)),
		}
	}

	/// How many more idle files fit on the disk holding them, keeping [`DISK_RESERVE`] free.
	pub fn files_that_fit(&self) -> Result<u64, IdleStoreError> {
		let free = fs2::available_space(&self.root).map_err(io_err(&self.root))?;
		Ok(files_that_fit(free, self.params.file_bytes() + self.roots_bytes()))
	}

	/// Bytes of last layers on disk.
	pub fn bytes(&self) -> u64 {
		let Ok(batches) = self.batches() else { return 0 };
		batches
			.iter()
			.map(|&(first, count)| {
				(0..count).filter(|&k| self.has_file(first, k)).count() as u64
					* self.params.file_bytes()
			})
			.sum()
	}
}

/// Bytes the miner leaves free on the idle files' disk: data placed on the miner arrives before
/// the idle files it converts are deleted (after the round), and the miner's own records and
/// logs need room.
pub const DISK_RESERVE: u64 = 1 << 30;

/// Files of `per_file` bytes that fit in `free` bytes, keeping [`DISK_RESERVE`].
fn files_that_fit(free: u64, per_file: u64) -> u64 {
	free.saturating_sub(DISK_RESERVE) / per_file.max(1)
}

/// Writes `bytes` to `path` through a temporary file, fsynced and renamed.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), IdleStoreError> {
	let tmp = path.with_extension("tmp");
	let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
	f.write_all(bytes).map_err(io_err(&tmp))?;
	f.sync_all().map_err(io_err(&tmp))?;
	fs::rename(&tmp, path).map_err(io_err(path))?;
	if let Some(dir) = path.parent() {
		File::open(dir).and_then(|d| d.sync_all()).map_err(io_err(dir))?;
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use cess_primitives::idle::{space_challenge, space_seed, verify_space, GenSample};

	const P: IdleParams = IdleParams { layer_labels_log2: 6, layers: 4, degree: 6 };

	#[test]
	fn generated_files_answer_checks_and_rounds_and_resume_after_a_crash() {
		let dir = tempfile::tempdir().unwrap();
		let store = IdleStore::open(dir.path().join("idle"), P, [1; 32], [2; 32]).unwrap();
		store.create_batch(0, 3).unwrap();
		store.generate_file(0, 0, 1).unwrap();
		// A crash here: file 1's roots are written, its last layer not.
		let tmp = store.file_path(0, 1, "last").with_extension("tmp");
		fs::write(tmp, b"torn").unwrap();
		assert!(!store.has_file(0, 1));
		for k in 0..3 {
			if !store.has_file(0, k) {
				store.generate_file(0, k, 2).unwrap();
			}
		}
		assert_eq!(store.batches().unwrap(), vec![(0, 3)]);
		assert_eq!(store.bytes(), 3 * P.file_bytes());
		let batch = store.batch_tree(0, 3).unwrap().batch();
		// The generation check, regenerated from the seeds.
		let samples: Vec<GenSample> =
			(1..=4).map(|l| GenSample { file: l % 3, layer: l, node: 7 * l }).collect();
		let proof = store.prove_generation(0, 3, &samples, 1).unwrap();
		idle::verify_generation(&P, &[1; 32], &[2; 32], &batch, &samples, &proof).unwrap();
		// Space rounds from the disk.
		for round in 0..20 {
			let samples = space_challenge(&P, &space_seed(&[3; 32], round, &[1; 32]), &[batch], 8);
			let proof = store.prove_space(&samples).unwrap();
			verify_space(&P, &samples, &proof).unwrap();
		}
		// A converted file is gone: rounds that sample it cannot be answered.
		assert!(store.delete_file(0, 2).unwrap());
		let sample = SpaceSample { batch, file: 2, node: 0 };
		assert!(matches!(
			store.prove_space(&[sample]),
			Err(IdleStoreError::Missing { file: 2, .. })
		));
		store.delete_batch(0).unwrap();
		assert!(store.batches().unwrap().is_empty());
	}

	#[test]
	fn generation_keeps_the_disk_reserve_free() {
		let file = P.file_bytes();
		assert_eq!(files_that_fit(DISK_RESERVE - 1, file), 0);
		assert_eq!(files_that_fit(DISK_RESERVE + file - 1, file), 0);
		assert_eq!(files_that_fit(DISK_RESERVE + 3 * file, file), 3);
		// The store asks the file system it lives on.
		let dir = tempfile::tempdir().unwrap();
		let store = IdleStore::open(dir.path().join("idle"), P, [1; 32], [2; 32]).unwrap();
		// (Other tests write to the same disk meanwhile: the bound is the larger of the free
		// space measured before and after.)
		let before = fs2::available_space(dir.path()).unwrap();
		let fit = store.files_that_fit().unwrap();
		let free = before.max(fs2::available_space(dir.path()).unwrap());
		assert!(fit <= free.saturating_sub(DISK_RESERVE) / file);
	}

	#[test]
	fn files_of_other_parameters_are_refused() {
		let dir = tempfile::tempdir().unwrap();
		IdleStore::open(dir.path().join("idle"), P, [1; 32], [2; 32]).unwrap();
		let other = IdleParams { layers: 5, ..P };
		assert!(matches!(
			IdleStore::open(dir.path().join("idle"), other, [1; 32], [2; 32]),
			Err(IdleStoreError::OtherParams(_))
		));
	}
}
