//! The upload path: plaintext in, fragments and a manifest out.

use std::io::{self, Read};

use cess_primitives::{
	layout::FileLayout,
	merkle,
	types::{Column, ErasureProfile, FragmentHash, DEFAULT_SEGMENT_SIZE},
};
use rand_core::{OsRng, RngCore};

use zeroize::Zeroizing;

use crate::{
	crypto::{
		aead::{key_check, SegmentCipher},
		DataKey, EncryptionSecret,
	},
	erasure::SegmentCodec,
	error::{Error, Result},
	format::{Cipher, StreamHeader, StreamLayout, HEADER_LEN, SALT_LEN, TAG_LEN},
	manifest::FileManifest,
	store::FragmentSink,
};

/// Whether and how a file is encrypted before it is segmented.
#[derive(Clone, Copy, Debug)]
pub enum Encryption<'a> {
	/// No encryption: the stored stream is the plaintext. Anyone holding `k` fragments of a
	/// segment can read it.
	Public,
	/// Encrypt with this data key (see [`DataKey::generate`]; wrap it with
	/// [`wrap_key`](crate::wrap_key) so the owner can get it back).
	Encrypted(&'a DataKey),
	/// Encrypt with the owner's per-file key ([`DataKey::for_owner`]) derived from the stream's
	/// random salt: the owner needs nothing but its account to decrypt later.
	Owner(&'a EncryptionSecret),
}

/// How a file is cut and coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
	/// The erasure profile of every segment.
	pub profile: ErasureProfile,
	/// Size of a full segment of the stored stream.
	pub segment_size: u64,
	/// Threads that hash the `k + m` fragments of a segment; `1` hashes on the calling thread.
	///
	/// Hashing is most of the upload's work (every fragment, parity included, is hashed; see
	/// BENCH.md), and the fragments of a segment are independent. Memory use does not change.
	pub hash_threads: usize,
}

impl Default for EncodeOptions {
	/// The default profile `k = 4, m = 8` ("3 copies"), 32 MiB segments, one thread.
	fn default() -> Self {
		EncodeOptions {
			profile: ErasureProfile::new(4, 8),
			segment_size: DEFAULT_SEGMENT_SIZE,
			hash_threads: 1,
		}
	}
}

/// The layout of the stream that [`encode`] will produce for a file of `plaintext_size` bytes,
/// without reading it: use it to quote storage ([`FileLayout::stored_bytes`]) before encrypting.
///
/// Public mode cannot store an empty file ([`Error::EmptyPublicFile`]); encrypted, an empty
/// file is one segment holding the header and a tag.
pub fn plan(plaintext_size: u64, encrypted: bool, options: &EncodeOptions) -> Result<FileLayout> {
	options.profile.validate()?;
	let size = if encrypted {
		StreamLayout::new(plaintext_size, options.segment_size)?.stream_size()
	} else if plaintext_size == 0 {
		return Err(Error::EmptyPublicFile);
	} else {
		plaintext_size
	};
	Ok(FileLayout::new(size, options.segment_size, options.profile)?)
}

/// Encodes a file: reads exactly `plaintext_size` bytes from `input`, encrypts them (unless
/// public), cuts the stream into segments, erasure-codes each segment and hands every fragment
/// to `sink`. Returns the manifest (layout, fragment hashes, `file_id`).
///
/// Memory use is bounded by one segment's fragments, whatever the file size. Fails with
/// [`Error::InputLengthMismatch`] if `input` ends early or goes on past `plaintext_size`; on any
/// error, fragments already handed to `sink` belong to no valid file and should be discarded.
pub fn encode<R: Read, S: FragmentSink + ?Sized>(
	input: R,
	plaintext_size: u64,
	encryption: Encryption<'_>,
	options: &EncodeOptions,
	sink: &mut S,
) -> Result<FileManifest> {
	encode_with_salt(input, plaintext_size, encryption, options, &random_salt(), sink)
}

/// A fresh random stream salt for [`encode_with_salt`].
pub fn random_salt() -> [u8; SALT_LEN] {
	let mut salt = [0u8; SALT_LEN];
	OsRng.fill_bytes(&mut salt);
	salt
}

/// [`encode`] with the stream salt given: the same input, encryption, options and salt produce
/// the same fragments and manifest every time. An upload that must know the `file_id` before
/// it can send anything (the chain assigns the miners to the declared id) encodes once into
/// [`Discard`](crate::Discard) for the manifest, then again with the same salt while pushing, so
/// no fragment is ever staged. Use a fresh [`random_salt`] per file: a reused salt with the same
/// owner key reuses the data key. Ignored for public files.
pub fn encode_with_salt<R: Read, S: FragmentSink + ?Sized>(
	mut input: R,
	plaintext_size: u64,
	encryption: Encryption<'_>,
	options: &EncodeOptions,
	salt: &[u8; SALT_LEN],
	sink: &mut S,
) -> Result<FileManifest> {
	let encrypted = !matches!(encryption, Encryption::Public);
	let layout = plan(plaintext_size, encrypted, options)?;
	let codec = SegmentCodec::new(layout.profile)?;
	let cipher = match encryption {
		Encryption::Public => None,
		Encryption::Encrypted(_) | Encryption::Owner(_) => {
			let salt = *salt;
			let derived;
			let key = match encryption {
				Encryption::Encrypted(key) => key,
				Encryption::Owner(owner) => {
					derived = DataKey::for_owner(owner, &salt);
					&derived
				},
				Encryption::Public => unreachable!("matched above; qed"),
			};
			let header = StreamHeader {
				cipher: Cipher::Aes256Gcm,
				plaintext_size,
				segment_size: options.segment_size,
				salt,
				key_check: key_check(key, &salt),
			};
			Some((SegmentCipher::new(key, &header)?, header))
		},
	};

	let total = layout.profile.total() as usize;
	// The declared size is not trusted with a large allocation before any byte was read.
	let mut hashes = Vec::with_capacity(layout.fragment_count().min(1 << 16) as usize);
	// Holds plaintext at times: wiped when the call returns, whatever the outcome.
	let mut shards = Zeroizing::new(Vec::new());
	let mut read = 0u64;
	for segment in 0..layout.segment_count() {
		let segment_len = layout.segment_len(segment) as usize;
		let fragment_len = layout.fragment_len(segment) as usize;
		// Only the padding after the segment must be zero: the segment is read over the data
		// part and the parity part is overwritten by the coder.
		shards.resize(codec.buffer_len(fragment_len), 0);
		shards[segment_len..usize::from(layout.profile.k) * fragment_len].fill(0);

		match &cipher {
			Some((cipher, header)) => {
				let offset = StreamLayout::chunk_offset(segment);
				let chunk_len = header.layout().chunk(segment).1 as usize;
				debug_assert_eq!(offset + chunk_len + TAG_LEN, segment_len);
				if segment == 0 {
					shards[..HEADER_LEN].copy_from_slice(&header.to_bytes());
				}
				let chunk = &mut shards[offset..offset + chunk_len];
				read_chunk(&mut input, chunk, &mut read, plaintext_size)?;
				let tag = cipher.seal(segment, chunk);
				shards[offset + chunk_len..segment_len].copy_from_slice(&tag);
			},
			None => read_chunk(&mut input, &mut shards[..segment_len], &mut read, plaintext_size)?,
		}

		codec.encode(&mut shards, fragment_len)?;
		hash_fragments(&shards, fragment_len, options.hash_threads, &mut hashes);
		for (column, fragment) in shards.chunks_exact(fragment_len).enumerate() {
			sink.put(segment, column as Column, fragment)?;
		}
		debug_assert_eq!(hashes.len(), (segment as usize + 1) * total);
	}

	let mut probe = [0u8; 1];
	if read_full(&mut input, &mut probe).map_err(|e| Error::io("reading the file to encode", e))?
		!= 0
	{
		return Err(Error::InputLengthMismatch { declared: plaintext_size, read, longer: true });
	}
	FileManifest::new(layout, encrypted, hashes)
}

/// Appends the hashes of the fragments in `shards`, in column order, using up to `threads`
/// threads.
fn hash_fragments(
	shards: &[u8],
	fragment_len: usize,
	threads: usize,
	hashes: &mut Vec<FragmentHash>,
) {
	let fragments: Vec<&[u8]> = shards.chunks_exact(fragment_len).collect();
	let threads = threads.clamp(1, fragments.len());
	if threads == 1 {
		hashes.extend(fragments.iter().map(|f| merkle::fragment_hash(f)));
		return;
	}
	let per_thread = fragments.len().div_ceil(threads);
	std::thread::scope(|scope| {
		let workers: Vec<_> = fragments
			.chunks(per_thread)
			.map(|group| {
				scope.spawn(move || {
					group.iter().map(|f| merkle::fragment_hash(f)).collect::<Vec<_>>()
				})
			})
			.collect();
		for worker in workers {
			match worker.join() {
				Ok(group) => hashes.extend(group),
				Err(panic) => std::panic::resume_unwind(panic),
			}
		}
	});
}

/// Fills `buf` from `input`, or fails with [`Error::InputLengthMismatch`] if it ends first.
fn read_chunk<R: Read>(input: &mut R, buf: &mut [u8], read: &mut u64, declared: u64) -> Result<()> {
	let n = read_full(input, buf).map_err(|e| Error::io("reading the file to encode", e))?;
	*read += n as u64;
	if n < buf.len() {
		return Err(Error::InputLengthMismatch { declared, read: *read, longer: false });
	}
	Ok(())
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(input: &mut R, buf: &mut [u8]) -> io::Result<usize> {
	let mut filled = 0;
	while filled < buf.len() {
		match input.read(&mut buf[filled..]) {
			Ok(0) => break,
			Ok(n) => filled += n,
			Err(e) if e.kind() == io::ErrorKind::Interrupted => {},
			Err(e) => return Err(e),
		}
	}
	Ok(filled)
}
