//! Where fragments go on upload and come from on download.
//!
//! The pipeline hands every fragment to a [`FragmentSink`] as soon as it is computed and asks a
//! [`FragmentSource`] for fragments one at a time, so neither side needs the whole file in
//! memory. [`DirStore`] keeps fragments in a directory (tests, the CLI, a local staging area
//! before fragments are pushed to miners); [`MemStore`] keeps them in memory (tests).

use std::{
	collections::BTreeMap,
	fs,
	io::{self, Read, Write},
	path::{Path, PathBuf},
};

use cess_primitives::types::{Column, SegmentIndex};

use crate::{
	error::{Error, Result},
	manifest::FileManifest,
};

/// Receives the fragments of a file as the encoder produces them.
pub trait FragmentSink {
	/// Stores fragment `column` of segment `segment`. Called once per fragment, segment by
	/// segment, columns in order.
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> Result<()>;
}

/// What a [`FragmentSource`] found for a requested fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
	/// The fragment was written into the buffer (its hash is checked by the caller).
	Found,
	/// The source does not have this fragment.
	Missing,
	/// The source has something under this name but it cannot be the fragment (for example it
	/// has the wrong length). Counted as corrupted.
	Damaged,
}

/// Provides the fragments of a file to the decoder.
pub trait FragmentSource {
	/// Fills `out` (exactly the fragment's length from the layout) with fragment `column` of
	/// segment `segment`, or says why it cannot.
	///
	/// Errors are for failures of the source itself (a broken disk, a lost connection) and abort
	/// the download; a fragment that is simply not there is [`Fetch::Missing`].
	fn get(&mut self, segment: SegmentIndex, column: Column, out: &mut [u8]) -> Result<Fetch>;
}

impl<T: FragmentSink + ?Sized> FragmentSink for &mut T {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> Result<()> {
		(**self).put(segment, column, data)
	}
}

impl<T: FragmentSource + ?Sized> FragmentSource for &mut T {
	fn get(&mut self, segment: SegmentIndex, column: Column, out: &mut [u8]) -> Result<Fetch> {
		(**self).get(segment, column, out)
	}
}

/// A sink that drops every fragment: encoding into it computes the manifest (and `file_id`)
/// alone, as the first pass of a streaming upload ([`encode_with_salt`](crate::encode_with_salt)).
#[derive(Clone, Copy, Debug, Default)]
pub struct Discard;

impl FragmentSink for Discard {
	fn put(&mut self, _: SegmentIndex, _: Column, _: &[u8]) -> Result<()> {
		Ok(())
	}
}

/// Fragments kept in memory, keyed by `(segment, column)`.
#[derive(Clone, Debug, Default)]
pub struct MemStore {
	fragments: BTreeMap<(SegmentIndex, Column), Vec<u8>>,
}

impl MemStore {
	/// An empty store.
	pub fn new() -> Self {
		Self::default()
	}

	/// Number of fragments held.
	pub fn len(&self) -> usize {
		self.fragments.len()
	}

	/// Whether the store holds no fragment.
	pub fn is_empty(&self) -> bool {
		self.fragments.is_empty()
	}

	/// The fragment `(segment, column)`, if held.
	pub fn fragment(&self, segment: SegmentIndex, column: Column) -> Option<&[u8]> {
		self.fragments.get(&(segment, column)).map(Vec::as_slice)
	}

	/// Mutable access to a held fragment (to simulate corruption).
	pub fn fragment_mut(&mut self, segment: SegmentIndex, column: Column) -> Option<&mut Vec<u8>> {
		self.fragments.get_mut(&(segment, column))
	}

	/// Drops a fragment (to simulate a lost miner); returns it if it was held.
	pub fn remove(&mut self, segment: SegmentIndex, column: Column) -> Option<Vec<u8>> {
		self.fragments.remove(&(segment, column))
	}
}

impl FragmentSink for MemStore {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> Result<()> {
		self.fragments.insert((segment, column), data.to_vec());
		Ok(())
	}
}

impl FragmentSource for MemStore {
	fn get(&mut self, segment: SegmentIndex, column: Column, out: &mut [u8]) -> Result<Fetch> {
		Ok(match self.fragments.get(&(segment, column)) {
			None => Fetch::Missing,
			Some(data) if data.len() != out.len() => Fetch::Damaged,
			Some(data) => {
				out.copy_from_slice(data);
				Fetch::Found
			},
		})
	}
}

/// File name of the manifest inside a [`DirStore`].
pub const MANIFEST_FILE: &str = "manifest.cessm";

/// Fragments kept as files under a directory: `col-CC/seg-SSSSSSSS.frag`, one sub-directory per
/// column (what one miner holds), plus an optional [`MANIFEST_FILE`].
#[derive(Clone, Debug)]
pub struct DirStore {
	root: PathBuf,
}

impl DirStore {
	/// Creates the directory (and parents) if needed and uses it as a store.
	pub fn create(root: impl Into<PathBuf>) -> Result<Self> {
		let root = root.into();
		fs::create_dir_all(&root)
			.map_err(|e| Error::io(format!("creating fragment store {}", root.display()), e))?;
		Ok(DirStore { root })
	}

	/// Uses an existing directory as a store.
	pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
		let root = root.into();
		if !root.is_dir() {
			return Err(Error::Store { path: root, reason: "is not a directory".into() });
		}
		Ok(DirStore { root })
	}

	/// The store's directory.
	pub fn root(&self) -> &Path {
		&self.root
	}

	/// Path of the file that holds fragment `(segment, column)`.
	pub fn fragment_path(&self, segment: SegmentIndex, column: Column) -> PathBuf {
		self.root.join(format!("col-{column:02}")).join(format!("seg-{segment:08}.frag"))
	}

	/// Writes `manifest` to [`MANIFEST_FILE`].
	pub fn save_manifest(&self, manifest: &FileManifest) -> Result<()> {
		write_atomically(&self.root.join(MANIFEST_FILE), &manifest.to_bytes())
	}

	/// Reads and validates [`MANIFEST_FILE`].
	pub fn load_manifest(&self) -> Result<FileManifest> {
		let path = self.root.join(MANIFEST_FILE);
		let bytes =
			fs::read(&path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
		FileManifest::decode(&bytes)
	}
}

fn write_atomically(path: &Path, data: &[u8]) -> Result<()> {
	let tmp = path.with_extension("tmp");
	let context = || format!("writing {}", path.display());
	let mut file = fs::File::create(&tmp).map_err(|e| Error::io(context(), e))?;
	file.write_all(data).map_err(|e| Error::io(context(), e))?;
	drop(file);
	fs::rename(&tmp, path).map_err(|e| Error::io(context(), e))
}

impl FragmentSink for DirStore {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> Result<()> {
		let path = self.fragment_path(segment, column);
		let dir = path.parent().expect("fragment paths have a column directory; qed");
		fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
		write_atomically(&path, data)
	}
}

impl FragmentSource for DirStore {
	fn get(&mut self, segment: SegmentIndex, column: Column, out: &mut [u8]) -> Result<Fetch> {
		let path = self.fragment_path(segment, column);
		let context = || format!("reading {}", path.display());
		let mut file = match fs::File::open(&path) {
			Ok(file) => file,
			Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Fetch::Missing),
			Err(e) => return Err(Error::io(context(), e)),
		};
		let len = file.metadata().map_err(|e| Error::io(context(), e))?.len();
		if len != out.len() as u64 {
			return Ok(Fetch::Damaged);
		}
		match file.read_exact(out) {
			Ok(()) => Ok(Fetch::Found),
			// Shrunk between the length check and the read.
			Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(Fetch::Damaged),
			Err(e) => Err(Error::io(context(), e)),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dir_store_round_trip_and_missing() {
		let dir = tempfile::tempdir().unwrap();
		let mut store = DirStore::create(dir.path().join("s")).unwrap();
		store.put(0, 3, b"abc").unwrap();
		store.put(1, 3, b"def").unwrap();
		let mut out = [0u8; 3];
		assert_eq!(store.get(0, 3, &mut out).unwrap(), Fetch::Found);
		assert_eq!(&out, b"abc");
		assert_eq!(store.get(1, 3, &mut out).unwrap(), Fetch::Found);
		assert_eq!(&out, b"def");
		assert_eq!(store.get(0, 4, &mut out).unwrap(), Fetch::Missing);
		assert_eq!(store.get(0, 3, &mut [0u8; 4]).unwrap(), Fetch::Damaged);
		assert!(store.fragment_path(1, 3).ends_with("col-03/seg-00000001.frag"));
		assert!(DirStore::open(dir.path().join("nope")).is_err());
	}

	#[test]
	fn mem_store_reports_wrong_lengths_as_damaged() {
		let mut store = MemStore::new();
		store.put(2, 1, &[1, 2, 3]).unwrap();
		assert_eq!(store.get(2, 1, &mut [0; 2]).unwrap(), Fetch::Damaged);
		assert_eq!(store.get(2, 0, &mut [0; 3]).unwrap(), Fetch::Missing);
		assert_eq!(store.remove(2, 1), Some(vec![1, 2, 3]));
		assert!(store.is_empty());
	}
}
