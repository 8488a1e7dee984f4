//! The `DataRightsApi` runtime API: a file's evidence log and the certificates near a
//! fingerprint.

use crate::{EvidencePage, Fingerprint};
use alloc::vec::Vec;
use cess_primitives::types::FileId;
use codec::Codec;
use polkadot_sdk::sp_api;

sp_api::decl_runtime_apis! {
	/// Data-rights queries.
	pub trait DataRightsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` records of `file`'s evidence log starting at `start` (a `seq`), with
		/// the log's length and its oldest kept record.
		fn evidence(file: FileId, start: u32, limit: u32) -> EvidencePage<AccountId, Balance, BlockNumber>;
		/// Certificates within the near-duplicate distance of `fingerprint`, closest first:
		/// file, holder and Hamming distance.
		fn near_duplicates(fingerprint: Fingerprint) -> Vec<(FileId, AccountId, u32)>;
	}
}
