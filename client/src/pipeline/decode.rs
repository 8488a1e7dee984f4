//! The download path: fragments in, verified and decoded, plaintext out.

use std::io::Write;

use cess_primitives::layout::FileLayout;
use zeroize::Zeroizing;

use crate::{
	crypto::{aead::SegmentCipher, DataKey, EncryptionSecret},
	erasure::SegmentCodec,
	error::{Error, Result},
	format::StreamHeader,
	manifest::FileManifest,
	pipeline::fetch::{gather, FetchStats},
	store::FragmentSource,
};

/// How to turn the stored stream back into the file.
#[derive(Clone, Copy, Debug)]
pub enum Decryption<'a> {
	/// The file was stored public: the stream is the file.
	Public,
	/// The file was stored encrypted with this data key.
	Key(&'a DataKey),
	/// The file was stored with [`Encryption::Owner`](crate::Encryption::Owner) by an owner
	/// holding one of these keys (tried in order: [`AccountKeys::all`](crate::AccountKeys::all)).
	Owner(&'a [EncryptionSecret]),
}

impl Decryption<'_> {
	fn name(&self) -> &'static str {
		match self {
			Decryption::Public => "public",
			Decryption::Key(_) | Decryption::Owner(_) => "encrypted",
		}
	}
}

#[derive(Clone, Copy)]
enum KeySource<'a> {
	Key(&'a DataKey),
	Owner(&'a [EncryptionSecret]),
}

/// What a download needed: useful to spot columns that should be restored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodeReport {
	/// Segments decoded.
	pub segments: u32,
	/// Segments that needed Reed–Solomon reconstruction (a data fragment was missing or bad).
	pub segments_reconstructed: u32,
	/// Fragments requested, missing and corrupted.
	pub fetched: FetchStats,
	/// Plaintext bytes written.
	pub bytes_written: u64,
}

/// Decodes the file described by `manifest` from `source` into `output`.
///
/// Per segment, columns are requested in order (data first) until `k` fragments have matched
/// their hash in the manifest; missing, damaged and corrupted ones are skipped. Fails with
/// [`Error::NotEnoughFragments`] if a segment has fewer than `k` intact fragments, with
/// [`Error::WrongKey`] if `decryption` holds another file's key, and with
/// [`Error::EncryptionModeMismatch`] if the mode does not fit the manifest. Output written before
/// an error stays written: write to a temporary file and rename it on success.
pub fn decode<S: FragmentSource + ?Sized, W: Write>(
	manifest: &FileManifest,
	source: &mut S,
	decryption: Decryption<'_>,
	mut output: W,
) -> Result<DecodeReport> {
	let key = key_source(manifest, decryption)?;
	let layout = manifest.layout();
	let codec = SegmentCodec::new(layout.profile)?;
	let k = usize::from(layout.profile.k);
	let mut report = DecodeReport::default();
	// Holds plaintext at times: wiped when the call returns, whatever the outcome.
	let mut shards = Zeroizing::new(Vec::new());
	let mut present = vec![false; layout.profile.total() as usize];
	let mut cipher: Option<SegmentCipher> = None;

	for segment in 0..layout.segment_count() {
		let data = gather_segment(
			manifest,
			source,
			&codec,
			segment,
			&mut shards,
			&mut present,
			&mut report.fetched,
		)?;
		if !present[..k].iter().all(|p| *p) {
			report.segments_reconstructed += 1;
		}

		match key {
			None => output.write_all(data).map_err(|e| Error::io("writing the decoded file", e))?,
			Some(key) => {
				if segment == 0 {
					cipher = Some(open_stream(manifest, data, key)?.1);
				}
				let cipher =
					cipher.as_ref().expect("segment 0 is decoded first and sets the cipher; qed");
				let chunk = cipher.open_segment(segment, data)?;
				output.write_all(chunk).map_err(|e| Error::io("writing the decoded file", e))?;
			},
		}
		report.bytes_written += match &cipher {
			Some(cipher) => cipher.layout().chunk(segment).1,
			None => layout.segment_len(segment),
		};
		report.segments += 1;
	}
	output.flush().map_err(|e| Error::io("writing the decoded file", e))?;
	Ok(report)
}

/// The key that `decryption` names for `manifest`'s file (`None` for a public file), or
/// [`Error::EncryptionModeMismatch`] if the mode does not fit the file.
fn key_source<'a>(
	manifest: &FileManifest,
	decryption: Decryption<'a>,
) -> Result<Option<KeySource<'a>>> {
	match (decryption, manifest.is_encrypted()) {
		(Decryption::Public, false) => Ok(None),
		(Decryption::Key(key), true) => Ok(Some(KeySource::Key(key))),
		(Decryption::Owner(owner), true) => Ok(Some(KeySource::Owner(owner))),
		(requested, encrypted) => Err(Error::EncryptionModeMismatch {
			actual: if encrypted { "encrypted" } else { "public" },
			requested: requested.name(),
		}),
	}
}

/// One segment's stored bytes and what reading them took.
#[derive(Debug)]
pub struct StoredSegment {
	/// The segment's stored bytes: exactly `layout.segment_len(segment)` of them (for an
	/// encrypted file the stream header in segment 0, the ciphertext and the tag).
	pub bytes: Zeroizing<Vec<u8>>,
	/// Whether the segment was rebuilt from parity (a data fragment was missing or bad).
	pub reconstructed: bool,
	/// Fragments requested, missing and corrupted.
	pub fetched: FetchStats,
}

/// Gathers `k` intact fragments of `segment` from `source` (columns in order, data first, each
/// checked against its hash in `manifest`), rebuilds the segment and returns its stored bytes,
/// still encrypted for an encrypted file: exactly `layout.segment_len(segment)` bytes. Decrypt
/// them with [`PlainView::plaintext`].
///
/// Fails with [`Error::NoSuchSegment`] past the last segment and with
/// [`Error::NotEnoughFragments`] if fewer than `k` intact fragments can be found.
pub fn read_stored_segment<S: FragmentSource + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	segment: u32,
) -> Result<Zeroizing<Vec<u8>>> {
	Ok(read_stored_segment_report(manifest, source, segment)?.bytes)
}

/// [`read_stored_segment`], also telling whether the segment was rebuilt from parity and which
/// fragments were missing or corrupted.
pub fn read_stored_segment_report<S: FragmentSource + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	segment: u32,
) -> Result<StoredSegment> {
	let layout = manifest.layout();
	let count = layout.segment_count();
	if segment >= count {
		return Err(Error::NoSuchSegment { segment, count });
	}
	let codec = SegmentCodec::new(layout.profile)?;
	let k = usize::from(layout.profile.k);
	let mut shards = Zeroizing::new(Vec::new());
	let mut present = vec![false; layout.profile.total() as usize];
	let mut fetched = FetchStats::default();
	let data =
		gather_segment(manifest, source, &codec, segment, &mut shards, &mut present, &mut fetched)?;
	Ok(StoredSegment {
		bytes: Zeroizing::new(data.to_vec()),
		reconstructed: !present[..k].iter().all(|p| *p),
		fetched,
	})
}

/// A file's plaintext, segment by segment: where each segment's chunk lies in the plaintext and
/// how to turn its stored bytes into that chunk. For random access (a range read decodes only
/// the segments covering the range), with the stored bytes from [`read_stored_segment`].
///
/// Opening an encrypted file's view needs segment 0 (its stream header) and the key; the view
/// then decrypts any segment. Cheap to clone and shareable between threads.
#[derive(Clone)]
pub struct PlainView {
	/// The file's layout (public files: the stream is the plaintext).
	layout: FileLayout,
	/// The data key and the stream's cipher, for an encrypted file.
	cipher: Option<(DataKey, SegmentCipher)>,
}

impl core::fmt::Debug for PlainView {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("PlainView")
			.field("plaintext_size", &self.plaintext_size())
			.field("segment_count", &self.segment_count())
			.field("encrypted", &self.cipher.is_some())
			.finish()
	}
}

impl PlainView {
	/// The view of `manifest`'s file: `stored_segment0` (segment 0's stored bytes, from
	/// [`read_stored_segment`]) is read for an encrypted file's stream header and ignored for a
	/// public file.
	///
	/// Fails like [`decode`]: [`Error::EncryptionModeMismatch`] if `decryption` does not fit the
	/// file, [`Error::WrongKey`] if its key is not this file's, [`Error::HeaderMismatch`] or
	/// [`Error::Malformed`] if segment 0 does not start with this file's stream header.
	pub fn open(
		manifest: &FileManifest,
		decryption: Decryption<'_>,
		stored_segment0: &[u8],
	) -> Result<PlainView> {
		let layout = *manifest.layout();
		let cipher = match key_source(manifest, decryption)? {
			None => None,
			Some(key) => Some(open_stream(manifest, stored_segment0, key)?),
		};
		Ok(PlainView { layout, cipher })
	}

	/// Size of the plaintext (the original file).
	pub fn plaintext_size(&self) -> u64 {
		match &self.cipher {
			Some((_, cipher)) => cipher.layout().plaintext_size(),
			None => self.layout.size,
		}
	}

	/// Number of segments.
	pub fn segment_count(&self) -> u32 {
		self.layout.segment_count()
	}

	/// Whether the file is encrypted.
	pub fn is_encrypted(&self) -> bool {
		self.cipher.is_some()
	}

	/// The file's data key (encrypted files only): what an owner wraps for a grantee.
	pub fn data_key(&self) -> Option<&DataKey> {
		self.cipher.as_ref().map(|(key, _)| key)
	}

	/// Offset in the plaintext and length of the chunk that segment `segment` holds. Segments
	/// past the end give an empty chunk at the end of the plaintext.
	pub fn chunk(&self, segment: u32) -> (u64, u64) {
		match &self.cipher {
			Some((_, cipher)) => cipher.layout().chunk(segment),
			None => (
				self.layout.segment_offset(segment).min(self.layout.size),
				self.layout.segment_len(segment),
			),
		}
	}

	/// The segment whose chunk holds plaintext byte `offset` (`offset < plaintext_size`); offsets
	/// at or past the end give the last segment, and 0 for an empty file.
	pub fn segment_at(&self, offset: u64) -> u32 {
		match &self.cipher {
			Some((_, cipher)) => cipher.layout().segment_at(offset),
			None => {
				let last = self.layout.segment_count().saturating_sub(1);
				(offset / self.layout.segment_size).min(u64::from(last)) as u32
			},
		}
	}

	/// Segment `segment`'s plaintext chunk from its stored bytes (as [`read_stored_segment`]
	/// returned them): decrypted and authenticated in place for an encrypted file, the bytes as
	/// they are for a public one.
	///
	/// Fails with [`Error::NoSuchSegment`] past the last segment, with
	/// [`Error::SegmentLengthMismatch`] if `stored` is not the segment's stored length and with
	/// [`Error::SegmentAuthenticationFailed`] if the bytes were altered.
	pub fn plaintext<'a>(&self, segment: u32, stored: &'a mut [u8]) -> Result<&'a [u8]> {
		let count = self.segment_count();
		if segment >= count {
			return Err(Error::NoSuchSegment { segment, count });
		}
		let expected = self.layout.segment_len(segment);
		if stored.len() as u64 != expected {
			return Err(Error::SegmentLengthMismatch {
				segment,
				expected,
				actual: stored.len() as u64,
			});
		}
		match &self.cipher {
			Some((_, cipher)) => Ok(cipher.open_segment(segment, stored)?),
			None => Ok(stored),
		}
	}
}

/// Fetches `segment`'s fragments from `source` into `shards` and rebuilds its data: returns the
/// segment's stored bytes (the first `segment_len` of `shards`); `present` tells which columns
/// came from the source.
fn gather_segment<'s, S: FragmentSource + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	codec: &SegmentCodec,
	segment: u32,
	shards: &'s mut Vec<u8>,
	present: &mut [bool],
	stats: &mut FetchStats,
) -> Result<&'s mut [u8]> {
	let layout = manifest.layout();
	let fragment_len = layout.fragment_len(segment) as usize;
	// Every slot is either filled by the source or rebuilt by the coder before it is read.
	shards.resize(codec.buffer_len(fragment_len), 0);
	gather(manifest, source, segment, None, shards, present, stats)?;
	codec.reconstruct_data(segment, shards, fragment_len, present)?;
	Ok(&mut shards[..layout.segment_len(segment) as usize])
}

/// Parses the stream header at the start of segment 0, checks it against the manifest and
/// opens the stream with the data key `key` names: returns that key and the cipher. Fails with
/// [`Error::WrongKey`] if the key is not this file's.
fn open_stream(
	manifest: &FileManifest,
	segment0: &[u8],
	key: KeySource<'_>,
) -> Result<(DataKey, SegmentCipher)> {
	let layout = manifest.layout();
	let header = StreamHeader::decode(segment0)?;
	if header.layout().stream_size() != layout.size {
		return Err(Error::HeaderMismatch("stream size"));
	}
	if header.segment_size != layout.segment_size {
		return Err(Error::HeaderMismatch("segment size"));
	}
	match key {
		KeySource::Key(key) => Ok((key.clone(), SegmentCipher::new(key, &header)?)),
		KeySource::Owner(owners) => {
			for owner in owners {
				let key = DataKey::for_owner(owner, &header.salt);
				match SegmentCipher::new(&key, &header) {
					Err(Error::WrongKey) => continue,
					opened => return Ok((key, opened?)),
				}
			}
			Err(Error::WrongKey)
		},
	}
}

/// The data key of a file `owner` stored with [`Encryption::Owner`](crate::Encryption::Owner),
/// recovered from segment 0 alone (its stream header holds the salt) and checked against the
/// header: what the owner needs to wrap the key for a grantee without downloading the file.
///
/// `owner` lists the owner's keys, tried in order ([`AccountKeys::all`](crate::AccountKeys::all)).
/// Fails with [`Error::WrongKey`] if the file was not stored with any of them, and with
/// [`Error::EncryptionModeMismatch`] for a public file.
pub fn owner_data_key<S: FragmentSource + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	owner: &[EncryptionSecret],
) -> Result<DataKey> {
	if !manifest.is_encrypted() {
		return Err(Error::EncryptionModeMismatch { actual: "public", requested: "encrypted" });
	}
	let codec = SegmentCodec::new(manifest.layout().profile)?;
	let mut shards = Zeroizing::new(Vec::new());
	let mut present = vec![false; manifest.layout().profile.total() as usize];
	let segment0 = gather_segment(
		manifest,
		source,
		&codec,
		0,
		&mut shards,
		&mut present,
		&mut FetchStats::default(),
	)?;
	Ok(open_stream(manifest, segment0, KeySource::Owner(owner))?.0)
}
