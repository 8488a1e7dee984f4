#![doc = include_str!("../README.md")]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

pub mod crypto;
pub mod erasure;
pub mod error;
pub mod fingerprint;
pub mod format;
pub mod manifest;
pub mod net;
pub mod pipeline;
#[cfg(feature = "chain")]
pub mod session;
pub mod store;

pub use crypto::{
	rewrap, unwrap_key, wrap_key, AccountKeys, DataKey, EncryptionPublicKey, EncryptionSecret,
	WrapScheme, WrappedKey,
};
pub use error::{Error, Result};
pub use manifest::FileManifest;
pub use pipeline::{
	decode, encode, encode_with_salt, owner_data_key, plan, random_salt, read_stored_segment,
	read_stored_segment_report, rebuild_column, DecodeReport, Decryption, EncodeOptions,
	Encryption, FetchStats, PlainView, StoredSegment,
};
pub use store::{DirStore, Discard, Fetch, FragmentSink, FragmentSource, MemStore};
