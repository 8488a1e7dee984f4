//! The `FileBankApi` runtime API: files, leases, quotes, holdings and restoral orders.

use crate::{
	BalanceOf, ColumnState, Config, FileState, Files, Lease, Leases, Pallet, RestoralOrders,
	RestoralReason,
};
use alloc::vec::Vec;
use cess_primitives::{
	possession::Sample,
	types::{Column, ErasureProfile, FileId},
};
use codec::{Codec, Decode, Encode};
use polkadot_sdk::{frame_system::pallet_prelude::BlockNumberFor, sp_api};
use scale_info::TypeInfo;

/// Largest page of a listing query.
pub const MAX_PAGE: u32 = 1000;

/// A file as the API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct FileSummary<AccountId, BlockNumber> {
	/// Encrypted stream size, bytes.
	pub size: u64,
	/// Number of segments.
	pub segments: u32,
	/// Erasure profile.
	pub profile: ErasureProfile,
	/// Bytes each column's miner stores.
	pub column_bytes: u64,
	/// Bytes billed to each owner.
	pub stored_bytes: u64,
	/// Upload state.
	pub state: FileState,
	/// The account whose signature accepts the miners' reports.
	pub uploader: AccountId,
	/// Owners.
	pub owners: Vec<AccountId>,
	/// Transfer deadline (meaningful while pending).
	pub deadline: BlockNumber,
	/// `(miner, state)` of every column, in column order.
	pub columns: Vec<(AccountId, ColumnState)>,
}

/// An open restoral order as the API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OrderSummary<AccountId, BlockNumber> {
	/// The file.
	pub file_id: FileId,
	/// The lost column.
	pub column: Column,
	/// Bytes of the column.
	pub column_bytes: u64,
	/// The miner that lost it.
	pub lost_by: AccountId,
	/// Why.
	pub reason: RestoralReason,
	/// When it opened.
	pub opened_at: BlockNumber,
	/// `(restorer, deadline)` of a running or expired claim.
	pub claim: Option<(AccountId, BlockNumber)>,
	/// `(miner, last block)`: the last lapsed claimant, barred from claiming until then.
	pub barred: Option<(AccountId, BlockNumber)>,
}

sp_api::decl_runtime_apis! {
	/// File-market queries.
	pub trait FileBankApi<AccountId, Balance, BlockNumber> where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A file's state, columns and miners.
		fn file_info(file_id: FileId) -> Option<FileSummary<AccountId, BlockNumber>>;
		/// Price of `gib` GiB for `days` days at the current unit price.
		fn quote(gib: u32, days: u32) -> Balance;
		/// `owner`'s lease.
		fn lease(owner: AccountId) -> Option<Lease<BlockNumber>>;
		/// Up to `limit` (≤ 1000) of `miner`'s current holdings from the `start`-th on (size
		/// classes ascending).
		fn holdings(miner: AccountId, start: u32, limit: u32) -> Vec<(FileId, Column)>;
		/// Up to `limit` (≤ 1000) open restoral orders after `after` (from the first if `None`).
		fn restoral_orders(
			after: Option<(FileId, Column)>,
			limit: u32,
		) -> Vec<OrderSummary<AccountId, BlockNumber>>;
		/// The leaves a claimant must prove to complete its claim.
		fn restoral_challenge(file_id: FileId, column: Column) -> Option<Vec<Sample>>;
		/// The leaves `who` must prove to join `file_id` (after its request's block).
		fn join_challenge(file_id: FileId, who: AccountId) -> Option<Vec<Sample>>;
	}
}

impl<T: Config> Pallet<T> {
	/// [`FileBankApi::file_info`].
	pub fn file_summary(file_id: FileId) -> Option<FileSummary<T::AccountId, BlockNumberFor<T>>> {
		let f = Files::<T>::get(file_id)?;
		Some(FileSummary {
			size: f.size,
			segments: f.segments,
			profile: f.profile,
			column_bytes: f.column_bytes,
			stored_bytes: f.stored_bytes(),
			state: f.state,
			uploader: f.uploader.clone(),
			owners: f.owners.to_vec(),
			deadline: f.deadline,
			columns: f.columns.iter().map(|c| (c.miner.clone(), c.state)).collect(),
		})
	}

	/// [`FileBankApi::lease`].
	pub fn lease_of(owner: &T::AccountId) -> Option<Lease<BlockNumberFor<T>>> {
		Leases::<T>::get(owner)
	}

	/// [`FileBankApi::quote`].
	pub fn quote_price(gib: u32, days: u32) -> BalanceOf<T> {
		Self::quote(gib, days)
	}

	/// [`FileBankApi::restoral_orders`].
	pub fn orders_page(
		after: Option<(FileId, Column)>,
		limit: u32,
	) -> Vec<OrderSummary<T::AccountId, BlockNumberFor<T>>> {
		let iter = match after {
			Some(key) => RestoralOrders::<T>::iter_from(RestoralOrders::<T>::hashed_key_for(key)),
			None => RestoralOrders::<T>::iter(),
		};
		iter.take(limit.min(MAX_PAGE) as usize)
			.map(|((file_id, column), o)| OrderSummary {
				file_id,
				column,
				column_bytes: Files::<T>::get(file_id).map_or(0, |f| f.column_bytes),
				lost_by: o.lost_by,
				reason: o.reason,
				opened_at: o.opened_at,
				claim: o.claim.map(|c| (c.restorer, c.deadline)),
				barred: o.barred,
			})
			.collect()
	}
}
