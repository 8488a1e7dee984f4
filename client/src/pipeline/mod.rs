//! The streaming upload and download paths, one segment in memory at a time.
//!
//! Upload ([`encode()`]): plaintext (`Read`) → encrypted stream (or the plaintext itself in public
//! mode) → segments → `k + m` fragments each → fragment hashes → `file_id`, with every fragment
//! handed to a [`FragmentSink`](crate::store::FragmentSink) as soon as it exists.
//!
//! Download ([`decode()`]): for each segment, fragments from a
//! [`FragmentSource`](crate::store::FragmentSource), data columns first, each checked against its
//! hash; missing and corrupted ones are skipped until `k` good ones are found; the segment is
//! rebuilt, decrypted and written out.
//!
//! Restoral ([`rebuild_column`]): for each segment, `k` intact fragments of the other columns
//! rebuild the lost column's fragment, which is checked against its hash and handed to a sink.
//!
//! Memory: one working buffer of `(k + m) · fragment_len` bytes (about `(k + m) / k` segments)
//! plus the fragment hashes (32 bytes per fragment), whatever the file size.

pub mod decode;
pub mod encode;
mod fetch;
pub mod restore;

pub use decode::{
	decode, owner_data_key, read_stored_segment, read_stored_segment_report, DecodeReport,
	Decryption, PlainView, StoredSegment,
};
pub use encode::{encode, encode_with_salt, plan, random_salt, EncodeOptions, Encryption};
pub use fetch::FetchStats;
pub use restore::rebuild_column;
