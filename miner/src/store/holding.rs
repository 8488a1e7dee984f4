//! What a miner keeps per file: the file's manifest (layout and every fragment hash, so any
//! fragment and its place in the file tree can be checked and proven) and the columns it holds.
//!
//! Layout of a holding record (integers little-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `"CESH"` |
//! | 4 | 1 | format version, `1` |
//! | 5 | 1 | column count `n` (≤ 32) |
//! | 6 | 2 · n | held columns (u16), strictly increasing, each `< k + m` |
//! | 6 + 2 · n | … | the file's manifest ([`FileManifest::to_bytes`]) |

use cess_client::manifest::FileManifest;
use cess_primitives::types::{
	Column, FileId, FragmentHash, SegmentIndex, MAX_FRAGMENTS_PER_SEGMENT,
};

/// Magic bytes at the start of a holding record.
pub const HOLDING_MAGIC: [u8; 4] = *b"CESH";
/// The holding record format version.
pub const HOLDING_VERSION: u8 = 1;

/// Why a holding record was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HoldingError {
	/// The record is truncated or does not start with the magic and version.
	#[error("not a holding record (bad magic, version or length)")]
	Header,
	/// A column is repeated, out of order or outside the file's profile.
	#[error("held columns must be distinct, increasing and below k + m")]
	Columns,
	/// The embedded manifest does not decode.
	#[error("bad manifest: {0}")]
	Manifest(String),
}

/// A file this miner stores some columns of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
	manifest: FileManifest,
	columns: Vec<Column>,
}

impl Holding {
	/// A holding of `columns` of the file described by `manifest`.
	pub fn new(manifest: FileManifest, mut columns: Vec<Column>) -> Result<Self, HoldingError> {
		columns.sort_unstable();
		columns.dedup();
		let total = manifest.layout().profile.total();
		if columns.iter().any(|c| u32::from(*c) >= total) {
			return Err(HoldingError::Columns);
		}
		Ok(Self { manifest, columns })
	}

	/// The file's manifest.
	pub fn manifest(&self) -> &FileManifest {
		&self.manifest
	}

	/// The file id.
	pub fn file_id(&self) -> &FileId {
		self.manifest.file_id()
	}

	/// The held columns, increasing.
	pub fn columns(&self) -> &[Column] {
		&self.columns
	}

	/// Whether `column` is held.
	pub fn holds(&self, column: Column) -> bool {
		self.columns.binary_search(&column).is_ok()
	}

	/// Adds `column`; it must be below `k + m`.
	pub(crate) fn add_column(&mut self, column: Column) -> Result<(), HoldingError> {
		if u32::from(column) >= self.manifest.layout().profile.total() {
			return Err(HoldingError::Columns);
		}
		if let Err(at) = self.columns.binary_search(&column) {
			self.columns.insert(at, column);
		}
		Ok(())
	}

	/// Drops `column`; returns whether it was held.
	pub(crate) fn remove_column(&mut self, column: Column) -> bool {
		match self.columns.binary_search(&column) {
			Ok(at) => {
				self.columns.remove(at);
				true
			},
			Err(_) => false,
		}
	}

	/// Every held fragment: (segment, column, hash).
	pub fn fragments(&self) -> impl Iterator<Item = (SegmentIndex, Column, &FragmentHash)> + '_ {
		let segments = self.manifest.layout().segment_count();
		(0..segments).flat_map(move |seg| {
			self.columns.iter().filter_map(move |&col| {
				self.manifest.fragment_hash(seg, col).map(|h| (seg, col, h))
			})
		})
	}

	/// The byte encoding (see the module docs).
	pub fn to_bytes(&self) -> Vec<u8> {
		let manifest = self.manifest.to_bytes();
		let mut out = Vec::with_capacity(6 + 2 * self.columns.len() + manifest.len());
		out.extend_from_slice(&HOLDING_MAGIC);
		out.push(HOLDING_VERSION);
		out.push(self.columns.len() as u8);
		for column in &self.columns {
			out.extend_from_slice(&column.to_le_bytes());
		}
		out.extend_from_slice(&manifest);
		out
	}

	/// Decodes [`Self::to_bytes`] output; rejects anything else with an error.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, HoldingError> {
		if bytes.len() < 6 || bytes[..4] != HOLDING_MAGIC || bytes[4] != HOLDING_VERSION {
			return Err(HoldingError::Header);
		}
		let n = bytes[5] as usize;
		if n > MAX_FRAGMENTS_PER_SEGMENT as usize {
			return Err(HoldingError::Columns);
		}
		let columns: Vec<Column> = bytes
			.get(6..6 + 2 * n)
			.ok_or(HoldingError::Header)?
			.chunks(2)
			.map(|c| Column::from_le_bytes([c[0], c[1]]))
			.collect();
		if columns.windows(2).any(|w| w[0] >= w[1]) {
			return Err(HoldingError::Columns);
		}
		let manifest = FileManifest::decode(&bytes[6 + 2 * n..])
			.map_err(|e| HoldingError::Manifest(e.to_string()))?;
		Self::new(manifest, columns)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::test_file::TestFile;

	#[test]
	fn round_trips_and_rejects_bad_records() {
		let file = TestFile::new(3, 2, 1, 40_000);
		let holding = Holding::new(file.manifest.clone(), vec![2, 0]).unwrap();
		assert_eq!(holding.columns(), &[0, 2]);
		let bytes = holding.to_bytes();
		assert_eq!(Holding::from_bytes(&bytes).unwrap(), holding);
		assert_eq!(
			holding.fragments().count(),
			2 * file.manifest.layout().segment_count() as usize
		);

		assert_eq!(Holding::from_bytes(&bytes[..5]), Err(HoldingError::Header));
		let mut bad = bytes.clone();
		bad[0] ^= 1;
		assert_eq!(Holding::from_bytes(&bad), Err(HoldingError::Header));
		let mut unordered = bytes.clone();
		unordered.swap(6, 8);
		assert_eq!(Holding::from_bytes(&unordered), Err(HoldingError::Columns));
		let mut outside = bytes.clone();
		outside[8] = 5;
		assert_eq!(Holding::from_bytes(&outside), Err(HoldingError::Columns));
		assert!(matches!(
			Holding::from_bytes(&bytes[..bytes.len() - 1]),
			Err(HoldingError::Manifest(_))
		));
		assert!(Holding::new(file.manifest.clone(), vec![5]).is_err());
	}
}
