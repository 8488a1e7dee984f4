//! The download path: fragments in, verified and decoded, plaintext out.

use std::io::Write;

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
	let key = match (decryption, manifest.is_encrypted()) {
		(Decryption::Public, false) => None,
		(Decryption::Key(key), true) => Some(KeySource::Key(key)),
		(Decryption::Owner(owner), true) => Some(KeySource::Owner(owner)),
		(requested, encrypted) => {
			return Err(Error::EncryptionModeMismatch {
				actual: if encrypted { "encrypted" } else { "public" },
				requested: requested.name(),
			})
		},
	};
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
