//! The errors of the client data path.
//!
//! Every variant says what went wrong and, where the caller can do something about it, what to
//! do. Decoders of untrusted bytes (file header, manifest, wrapped key) return
//! [`Error::Malformed`] or one of the version errors; they never panic.

use std::{io, path::PathBuf};

use cess_primitives::{
	layout::LayoutError,
	types::{Column, ProfileError, SegmentIndex},
};

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which untrusted structure a decoding error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
	/// The header at the start of an encrypted stream (see the crate README, "Encrypted stream").
	FileHeader,
	/// An encrypted segment: header (segment 0 only), ciphertext and tag.
	Segment,
	/// A wrapped data key (see the crate README, "Wrapped key").
	WrappedKey,
	/// A file manifest (see the crate README, "Manifest").
	Manifest,
}

impl core::fmt::Display for Structure {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Structure::FileHeader => "encrypted file header",
			Structure::Segment => "encrypted segment",
			Structure::WrappedKey => "wrapped key",
			Structure::Manifest => "file manifest",
		})
	}
}

/// Everything that can go wrong on the client data path.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// Bytes that should hold a structure of this crate do not parse.
	#[error("malformed {what}: {reason}; the bytes are truncated, corrupted or not of this kind")]
	Malformed {
		/// The structure being decoded.
		what: Structure,
		/// What exactly is wrong with it.
		reason: &'static str,
	},

	/// A structure carries a format version this client does not implement.
	#[error("{what} has format version {version}, this client reads version {supported}; upgrade the client")]
	UnsupportedVersion {
		/// The structure being decoded.
		what: Structure,
		/// The version byte found.
		version: u8,
		/// The version this client implements.
		supported: u8,
	},

	/// An encrypted stream names a cipher this client does not implement.
	#[error("encrypted file uses cipher id {0}, which this client does not implement; upgrade the client")]
	UnsupportedCipher(u8),

	/// A wrapped key uses a key-wrapping scheme this client does not implement.
	#[error(
		"wrapped key uses scheme id {0}, which this client does not implement; upgrade the client"
	)]
	UnsupportedWrapScheme(u8),

	/// The secret given cannot open this wrapped key.
	#[error("the wrapped key cannot be opened with this secret: it was wrapped to another account's key, or it was modified")]
	KeyUnwrapFailed,

	/// A public key is a low-order point, so a key agreement with it would be predictable.
	#[error("the recipient's X25519 public key is invalid (low-order point); ask the recipient for its real encryption key")]
	InvalidPublicKey,

	/// The account seed cannot be used to derive an encryption key.
	#[error("account secret seed has {0} bytes; expected 32 to 64 bytes of secret seed")]
	InvalidSeedLength(usize),

	/// The data key does not belong to this file.
	#[error("the data key does not match this file (key check failed); unwrap the key stored for this file with the owner's or grantee's secret")]
	WrongKey,

	/// A segment failed AEAD authentication although its fragments matched their hashes.
	#[error("segment {segment} failed authentication: the file was encrypted with another key or the stream was altered before encoding")]
	SegmentAuthenticationFailed {
		/// The segment that failed.
		segment: SegmentIndex,
	},

	/// The decryption mode does not fit the file (public file with a key, or the reverse).
	#[error("the file is {actual} but was decoded as {requested}; decode it with the mode recorded in its manifest")]
	EncryptionModeMismatch {
		/// How the file is stored ("public" or "encrypted").
		actual: &'static str,
		/// How it was asked to be decoded.
		requested: &'static str,
	},

	/// The file header disagrees with the manifest it is decoded under.
	#[error("the encrypted file header does not match the manifest ({0}); the manifest belongs to another file")]
	HeaderMismatch(&'static str),

	/// Fewer than `k` intact fragments of a segment could be found.
	#[error("segment {segment}: only {valid} intact fragments found, {needed} needed ({missing} missing, {corrupted} failed their hash); fetch more columns or start a restoral")]
	NotEnoughFragments {
		/// The segment that cannot be rebuilt.
		segment: SegmentIndex,
		/// Fragments that matched their hash.
		valid: u32,
		/// Fragments needed (`k`).
		needed: u32,
		/// Fragments the source did not have.
		missing: u32,
		/// Fragments whose hash did not match the manifest.
		corrupted: u32,
	},

	/// A segment index is past the end of the file.
	#[error("segment {segment} does not exist: the file has {count} segments")]
	NoSuchSegment {
		/// The segment asked for.
		segment: SegmentIndex,
		/// Segments of the file.
		count: u32,
	},

	/// Stored segment bytes of the wrong length were handed in for a segment.
	#[error("segment {segment}: got {actual} stored bytes, the file's layout says {expected}; pass exactly the bytes `read_stored_segment` returned for this segment")]
	SegmentLengthMismatch {
		/// The segment.
		segment: SegmentIndex,
		/// Its stored length in the file's layout.
		expected: u64,
		/// The length handed in.
		actual: u64,
	},

	/// A column index is outside the file's profile.
	#[error("column {column} does not exist: the file has {total} columns (k + m)")]
	NoSuchColumn {
		/// The column asked for.
		column: Column,
		/// Columns of the file.
		total: u32,
	},

	/// A rebuilt fragment does not match its hash although every input matched its own.
	#[error("segment {segment} column {column}: the rebuilt fragment does not match its hash; the uploaded parity is inconsistent with the data, report the file")]
	RebuildMismatch {
		/// Segment of the fragment.
		segment: SegmentIndex,
		/// Column of the fragment.
		column: Column,
	},

	/// The manifest's `file_id` is not the Merkle root of its fragment hashes, or not the
	/// `file_id` expected.
	#[error("manifest file_id does not match its fragment hashes or the expected file_id; the manifest is corrupted or belongs to another file")]
	FileIdMismatch,

	/// The input produced fewer or more bytes than the length it was declared with.
	#[error("input length mismatch: declared {declared} bytes, read {read}{more}; the file changed while it was being encoded", more = if *.longer { " and more" } else { "" })]
	InputLengthMismatch {
		/// Bytes promised by the caller.
		declared: u64,
		/// Bytes actually read before the mismatch was seen.
		read: u64,
		/// True if the input kept going past the declared length.
		longer: bool,
	},

	/// Public mode has nothing to store for an empty file.
	#[error("an empty file cannot be stored in public mode (it would have no fragments); store it encrypted or not at all")]
	EmptyPublicFile,

	/// The file is too large for the segment size (segment indices are 32-bit).
	#[error("file too large: {size} bytes need more than u32::MAX segments of {segment_size} bytes; use a larger segment size")]
	FileTooLarge {
		/// Stream size in bytes.
		size: u64,
		/// Segment size in bytes.
		segment_size: u64,
	},

	/// The segment size is outside what the encrypted format supports.
	#[error("segment size {size} is outside the supported range {min}..={max} bytes")]
	InvalidSegmentSize {
		/// The segment size asked for.
		size: u64,
		/// Smallest supported size.
		min: u64,
		/// Largest supported size.
		max: u64,
	},

	/// The erasure profile was rejected.
	#[error("invalid erasure profile: {0}; pick 1 ≤ k, 1 ≤ m, k + m ≤ 32 among the profiles the chain allows")]
	Profile(ProfileError),

	/// The file layout was rejected.
	#[error("invalid file layout: {0}")]
	Layout(LayoutError),

	/// Reed–Solomon coding failed (an internal invariant was broken).
	#[error("erasure coding failed: {0}")]
	Erasure(String),

	/// Reading the input, writing the output, or a fragment store failed.
	#[error("I/O error while {context}: {source}")]
	Io {
		/// What was being done.
		context: String,
		/// The underlying error.
		#[source]
		source: io::Error,
	},

	/// An image could not be decoded for its perceptual hash.
	#[error("cannot compute the image fingerprint: {0}; repair or re-export the image, or register the file by its content hash (`fingerprint::content_hash`) instead")]
	Image(String),

	/// A fragment store path could not be used.
	#[error("fragment store at {path}: {reason}")]
	Store {
		/// The path involved.
		path: PathBuf,
		/// What is wrong with it.
		reason: String,
	},
}

impl Error {
	/// A [`Error::Malformed`] for `what`.
	pub(crate) fn malformed(what: Structure, reason: &'static str) -> Self {
		Error::Malformed { what, reason }
	}

	/// An [`Error::Io`] with a description of what was being done.
	pub fn io(context: impl Into<String>, source: io::Error) -> Self {
		Error::Io { context: context.into(), source }
	}
}

impl From<LayoutError> for Error {
	fn from(e: LayoutError) -> Self {
		match e {
			LayoutError::Profile(p) => Error::Profile(p),
			other => Error::Layout(other),
		}
	}
}

impl From<ProfileError> for Error {
	fn from(e: ProfileError) -> Self {
		Error::Profile(e)
	}
}
