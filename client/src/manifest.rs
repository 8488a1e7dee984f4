//! The file manifest: what a downloader needs besides the fragments.
//!
//! The manifest holds the [`FileLayout`], whether the stream is encrypted, every fragment hash in
//! (segment, column) order and the `file_id` they commit to. The chain holds the same facts (the
//! `file_id` and layout on chain are what make a manifest trustworthy); the binary form below lets
//! the CLI and tests keep them next to the fragments.
//!
//! Layout (integers little-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `"CESM"` |
//! | 4 | 1 | format version, `1` |
//! | 5 | 1 | flags: bit 0 = encrypted stream; other bits zero |
//! | 6 | 1 | `k` |
//! | 7 | 1 | `m` |
//! | 8 | 8 | stream size |
//! | 16 | 8 | segment size |
//! | 24 | 32 | `file_id` |
//! | 56 | 4 | fragment count `n` = segments · (k + m) |
//! | 60 | 32 · n | fragment hashes, (segment, column) order |

use cess_primitives::{
	layout::FileLayout,
	merkle,
	types::{Column, ErasureProfile, FileId, FragmentHash, SegmentIndex},
};

use crate::{
	error::{Error, Result, Structure},
	format::StreamLayout,
};

/// Magic bytes at the start of a manifest.
pub const MANIFEST_MAGIC: [u8; 4] = *b"CESM";
/// The manifest format version this client writes and reads.
pub const MANIFEST_VERSION: u8 = 1;
/// Length of the fixed part of a manifest, before the fragment hashes.
pub const MANIFEST_HEADER_LEN: usize = 60;

const FLAG_ENCRYPTED: u8 = 1;

/// Layout, fragment hashes and `file_id` of one stored file.
///
/// Its invariants hold for every value: the layout is valid, there is one hash per fragment,
/// `file_id` is their Merkle root, and an encrypted stream's size is one an encrypted stream can
/// have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileManifest {
	layout: FileLayout,
	encrypted: bool,
	file_id: FileId,
	fragment_hashes: Vec<FragmentHash>,
}

impl FileManifest {
	/// A manifest for `layout` from its fragment hashes in (segment, column) order; computes the
	/// `file_id`.
	pub fn new(
		layout: FileLayout,
		encrypted: bool,
		fragment_hashes: Vec<FragmentHash>,
	) -> Result<Self> {
		layout.validate()?;
		if fragment_hashes.len() as u64 != layout.fragment_count() {
			return Err(Error::malformed(
				Structure::Manifest,
				"fragment hash count does not match the layout",
			));
		}
		if encrypted {
			StreamLayout::from_stream_size(layout.size, layout.segment_size)?;
		}
		let file_id = merkle::file_id(&fragment_hashes);
		Ok(FileManifest { layout, encrypted, file_id, fragment_hashes })
	}

	/// The layout of the stored stream.
	pub fn layout(&self) -> &FileLayout {
		&self.layout
	}

	/// Whether the stream is encrypted (else it is the public plaintext).
	pub fn is_encrypted(&self) -> bool {
		self.encrypted
	}

	/// The file's `file_id`: the Merkle root over its fragment hashes.
	pub fn file_id(&self) -> &FileId {
		&self.file_id
	}

	/// Checks that this manifest describes the file the chain knows as `expected` (compare with
	/// the on-chain `file_id` before trusting a manifest from anywhere else).
	pub fn expect_file_id(&self, expected: &FileId) -> Result<()> {
		if &self.file_id != expected {
			return Err(Error::FileIdMismatch);
		}
		Ok(())
	}

	/// The size of the original file: the plaintext inside an encrypted stream, or the stream.
	pub fn plaintext_size(&self) -> u64 {
		if self.encrypted {
			StreamLayout::from_stream_size(self.layout.size, self.layout.segment_size)
				.map(|l| l.plaintext_size())
				.expect("checked when the manifest was built; qed")
		} else {
			self.layout.size
		}
	}

	/// All fragment hashes in (segment, column) order.
	pub fn fragment_hashes(&self) -> &[FragmentHash] {
		&self.fragment_hashes
	}

	/// The hash of fragment `(segment, column)`, if it exists.
	pub fn fragment_hash(&self, segment: SegmentIndex, column: Column) -> Option<&FragmentHash> {
		let index = merkle::fragment_index(segment, column, &self.layout.profile)?;
		self.fragment_hashes.get(index as usize)
	}

	/// The wire bytes (layout in the [module docs](self)).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(MANIFEST_HEADER_LEN + 32 * self.fragment_hashes.len());
		out.extend_from_slice(&MANIFEST_MAGIC);
		out.push(MANIFEST_VERSION);
		out.push(if self.encrypted { FLAG_ENCRYPTED } else { 0 });
		out.push(self.layout.profile.k);
		out.push(self.layout.profile.m);
		out.extend_from_slice(&self.layout.size.to_le_bytes());
		out.extend_from_slice(&self.layout.segment_size.to_le_bytes());
		out.extend_from_slice(&self.file_id);
		out.extend_from_slice(&(self.fragment_hashes.len() as u32).to_le_bytes());
		for h in &self.fragment_hashes {
			out.extend_from_slice(h);
		}
		out
	}

	/// Parses untrusted bytes; the whole input must be one manifest.
	///
	/// Checks every invariant, including that `file_id` is the root of the hashes
	/// ([`Error::FileIdMismatch`] otherwise).
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		let what = Structure::Manifest;
		let head: &[u8; MANIFEST_HEADER_LEN] = bytes
			.get(..MANIFEST_HEADER_LEN)
			.and_then(|b| b.try_into().ok())
			.ok_or(Error::malformed(what, "shorter than the 60-byte manifest header"))?;
		if head[0..4] != MANIFEST_MAGIC {
			return Err(Error::malformed(what, "wrong magic, not a CESS manifest"));
		}
		if head[4] != MANIFEST_VERSION {
			return Err(Error::UnsupportedVersion {
				what,
				version: head[4],
				supported: MANIFEST_VERSION,
			});
		}
		let flags = head[5];
		if flags & !FLAG_ENCRYPTED != 0 {
			return Err(Error::malformed(what, "unknown flag bits set"));
		}
		let profile = ErasureProfile::new(head[6], head[7]);
		let size = u64::from_le_bytes(head[8..16].try_into().expect("8 bytes"));
		let segment_size = u64::from_le_bytes(head[16..24].try_into().expect("8 bytes"));
		let file_id: FileId = head[24..56].try_into().expect("32 bytes");
		let count = u32::from_le_bytes(head[56..60].try_into().expect("4 bytes")) as usize;
		let body = &bytes[MANIFEST_HEADER_LEN..];
		if count.checked_mul(32) != Some(body.len()) {
			return Err(Error::malformed(
				what,
				"fragment hash count does not match the length of the input",
			));
		}
		let layout = FileLayout::new(size, segment_size, profile)?;
		if layout.fragment_count() != count as u64 {
			return Err(Error::malformed(what, "fragment hash count does not match the layout"));
		}
		let hashes: Vec<FragmentHash> =
			body.chunks_exact(32).map(|h| h.try_into().expect("32 bytes")).collect();
		let manifest = FileManifest::new(layout, flags & FLAG_ENCRYPTED != 0, hashes)?;
		if manifest.file_id != file_id {
			return Err(Error::FileIdMismatch);
		}
		Ok(manifest)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sample(encrypted: bool) -> FileManifest {
		let size = if encrypted { 5000 + 56 + 3 * 16 } else { 5000 };
		let layout = FileLayout::new(size, 2048, ErasureProfile::new(2, 1)).unwrap();
		let hashes = (0..layout.fragment_count()).map(|i| [i as u8; 32]).collect();
		FileManifest::new(layout, encrypted, hashes).unwrap()
	}

	#[test]
	fn round_trips() {
		for encrypted in [false, true] {
			let m = sample(encrypted);
			let bytes = m.to_bytes();
			assert_eq!(bytes.len(), MANIFEST_HEADER_LEN + 32 * 9);
			assert_eq!(FileManifest::decode(&bytes).unwrap(), m);
			assert_eq!(m.fragment_hash(1, 2), Some(&[5u8; 32]));
			assert_eq!(m.fragment_hash(1, 3), None);
			assert_eq!(m.fragment_hash(3, 0), None);
		}
		assert_eq!(sample(true).plaintext_size(), 5000);
		let m = sample(false);
		assert!(m.expect_file_id(m.file_id()).is_ok());
		assert!(matches!(m.expect_file_id(&[0; 32]), Err(Error::FileIdMismatch)));
		assert_eq!(sample(false).plaintext_size(), 5000);
	}

	#[test]
	fn rejects_bad_input() {
		let bytes = sample(true).to_bytes();
		for len in 0..bytes.len() {
			assert!(FileManifest::decode(&bytes[..len]).is_err(), "prefix {len} accepted");
		}
		let mut longer = bytes.clone();
		longer.extend_from_slice(&[0; 32]);
		assert!(FileManifest::decode(&longer).is_err());
		let mut b = bytes.clone();
		b[80] ^= 1; // a fragment hash
		assert!(matches!(FileManifest::decode(&b), Err(Error::FileIdMismatch)));
		let mut b = bytes.clone();
		b[4] = 9;
		assert!(matches!(FileManifest::decode(&b), Err(Error::UnsupportedVersion { .. })));
		let mut b = bytes.clone();
		b[5] = 2;
		assert!(matches!(FileManifest::decode(&b), Err(Error::Malformed { .. })));
		let mut b = bytes.clone();
		b[7] = 0; // m = 0
		assert!(matches!(FileManifest::decode(&b), Err(Error::Profile(_))));
		let mut b = bytes.clone();
		b[56..60].copy_from_slice(&u32::MAX.to_le_bytes());
		assert!(matches!(FileManifest::decode(&b), Err(Error::Malformed { .. })));
		// Not an encrypted stream size: the last segment (5 bytes) cannot hold a tag.
		let layout = FileLayout::new(2 * 2048 + 5, 2048, ErasureProfile::new(2, 1)).unwrap();
		let public = FileManifest::new(layout, false, vec![[0; 32]; 9]).unwrap();
		assert!(matches!(
			FileManifest::new(layout, true, vec![[0; 32]; 9]),
			Err(Error::Malformed { .. })
		));
		let mut b = public.to_bytes();
		b[5] = 1;
		assert!(matches!(FileManifest::decode(&b), Err(Error::Malformed { .. })));
	}
}
