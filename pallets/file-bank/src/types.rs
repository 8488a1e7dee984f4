//! Stored records of the file market.

use crate::Config;
use cess_primitives::types::{ErasureProfile, Hash256, MAX_FRAGMENTS_PER_SEGMENT};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound,
		PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
};
use scale_info::TypeInfo;

/// The balance type of the payment currency.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// Bytes in a GiB: leases are sold in whole GiB.
pub const GIB: u64 = 1 << 30;

/// Upper bound on the allowed-profiles list.
pub type MaxProfiles = ConstU32<8>;
/// Upper bound on columns per file (`k + m`).
pub type MaxColumns = ConstU32<MAX_FRAGMENTS_PER_SEGMENT>;
/// A file or bucket name.
pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;

/// A space lease: `gib` GiB until `expires`, of which `used` bytes are taken by files.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Lease<BlockNumber> {
	/// Size in GiB.
	pub gib: u32,
	/// Bytes used by the owner's files (fragments, parity included).
	pub used: u64,
	/// Last block of the paid period; uploads stop after it, files are collected
	/// `GracePeriod` blocks later unless the lease is renewed.
	pub expires: BlockNumber,
	/// Number of files the owner holds under this lease.
	pub files: u32,
}

impl<BlockNumber> Lease<BlockNumber> {
	/// Lease size in bytes.
	pub fn size(&self) -> u64 {
		u64::from(self.gib).saturating_mul(GIB)
	}
	/// Bytes still free.
	pub fn free(&self) -> u64 {
		self.size().saturating_sub(self.used)
	}
}

/// Upload state of a file.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum FileState {
	/// Declared; some columns are not reported yet.
	Pending,
	/// Every column is held by its miner.
	Active,
	/// Declared in this block; its miners are drawn at the start of the next one, from
	/// randomness the declarer could not know (so it cannot grind file ids for a placement).
	Placing,
}

/// State of one column of a file.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ColumnState {
	/// Assigned to the miner, waiting for its transfer report; `attempts` miners have been
	/// assigned this column so far (including this one).
	Assigned {
		/// Assignments so far.
		attempts: u8,
	},
	/// Held by the miner (in its holdings index).
	Stored,
	/// Lost by the miner; a restoral order is open.
	Restoring,
}

/// One column of a file: the miner responsible for it and its state.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ColumnInfo<T: Config> {
	/// The assigned (or last) miner.
	pub miner: T::AccountId,
	/// The column's state.
	pub state: ColumnState,
}

/// A declared file.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct FileInfo<T: Config> {
	/// Size of the (encrypted) stream in bytes.
	pub size: u64,
	/// Number of segments.
	pub segments: u32,
	/// Erasure profile.
	pub profile: ErasureProfile,
	/// Bytes each column's miner stores.
	pub column_bytes: u64,
	/// The account that declared the upload; its signature accepts the miners' tags.
	pub uploader: T::AccountId,
	/// Upload state.
	pub state: FileState,
	/// Block of the declaration.
	pub declared_at: BlockNumberFor<T>,
	/// Transfer deadline of the columns still assigned.
	pub deadline: BlockNumberFor<T>,
	/// The `k + m` columns, in column order.
	pub columns: BoundedVec<ColumnInfo<T>, MaxColumns>,
	/// Owners (deduplicated uploads add owners), each billed for the stored bytes.
	pub owners: BoundedVec<T::AccountId, T::MaxFileOwners>,
}

impl<T: Config> FileInfo<T> {
	/// Bytes the file occupies on miners, and in each owner's lease.
	pub fn stored_bytes(&self) -> u64 {
		self.column_bytes.saturating_mul(u64::from(self.profile.total()))
	}
}

/// An owner's entry for one of its files.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct OwnedFile<T: Config> {
	/// The owner's name for the file.
	pub name: NameOf<T>,
	/// The owner's bucket (a label grouping files).
	pub bucket: NameOf<T>,
	/// Since when the owner is known to have had the content: the declaration's block for the
	/// uploader, the block its join proof was accepted for an owner that joined (kept through
	/// an ownership transfer). The earliest wins a data-rights dispute.
	pub since: BlockNumberFor<T>,
	/// The owner's commitment to the file's content fingerprint, made with the declaration
	/// ([`cess_primitives::fingerprint::fingerprint_commitment`]): a registration that opens it
	/// takes `since` as its priority.
	pub commitment: Option<Hash256>,
}

/// A request to become an owner of an existing file, answered with a proof of its content.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct JoinRequest<T: Config> {
	/// The block the request was made in: its hash draws the challenged leaves.
	pub requested_at: BlockNumberFor<T>,
	/// Last block to answer.
	pub deadline: BlockNumberFor<T>,
	/// The deposit held until the request is answered or withdrawn.
	pub deposit: BalanceOf<T>,
	/// The requester's name, bucket and fingerprint commitment for the file.
	pub entry: OwnedFile<T>,
}

/// Why a restoral order was opened.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum RestoralReason {
	/// The holder reported the loss itself.
	SelfReported,
	/// The holder is exiting.
	MinerExit,
	/// The holder was forced out by the audit.
	ForcedExit,
}

/// A claim on a restoral order.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct RestoralClaim<T: Config> {
	/// The miner restoring the column.
	pub restorer: T::AccountId,
	/// Block of the claim: its hash seeds the opened blocks.
	pub claimed_at: BlockNumberFor<T>,
	/// Last block at which the claim can be completed; afterwards it can be claimed again.
	pub deadline: BlockNumberFor<T>,
	/// The deposit held from the restorer.
	pub deposit: BalanceOf<T>,
}

/// An open restoral order for one column.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct RestoralOrder<T: Config> {
	/// The miner that lost the column.
	pub lost_by: T::AccountId,
	/// Why.
	pub reason: RestoralReason,
	/// Block the order opened.
	pub opened_at: BlockNumberFor<T>,
	/// The current claim, if any.
	pub claim: Option<RestoralClaim<T>>,
	/// The claimant of the last lapsed claim and the last block of its bar from this order.
	pub barred: Option<(T::AccountId, BlockNumberFor<T>)>,
}

/// A value kept as it is now and as it was at the start of the audit round that last changed it:
/// what lets the audit challenge a miner's holdings as of the round's start while they change.
///
/// Reading it for round `r` gives `before.1` if `before` is tagged `r` (it changed during `r`),
/// else `now` (it has not changed since `r` started). Writing during round `r` first saves the
/// current value as `before` unless `before` is already tagged `r`.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Versioned<V> {
	/// The current value.
	pub now: V,
	/// `(round, value at that round's start)`, set by the first change during `round`.
	pub before: Option<(u32, V)>,
}

impl<V: Clone> Versioned<V> {
	/// The value as of the start of round `round` (the current round).
	pub fn at(&self, round: u32) -> &V {
		match &self.before {
			Some((r, v)) if *r == round => v,
			_ => &self.now,
		}
	}

	/// Sets the current value during round `round`.
	pub fn set(&mut self, round: u32, value: V) {
		if !matches!(self.before, Some((r, _)) if r == round) {
			self.before = Some((round, self.now.clone()));
		}
		self.now = value;
	}

	/// Whether nothing but `now` needs keeping in round `round` (no snapshot of it pending).
	pub fn settled(&self, round: u32) -> bool {
		!matches!(self.before, Some((r, _)) if r == round)
	}

	/// What to store after a change during round `round`: nothing once the current value is
	/// empty (`is_empty`) and no snapshot of the round is pending.
	pub fn into_stored(self, round: u32, is_empty: impl Fn(&V) -> bool) -> Option<Self> {
		(!is_empty(&self.now) || !self.settled(round)).then_some(self)
	}
}

/// Holdings per size class of one miner: `(class, count)`, ascending by class, no zero counts.
pub type ClassCounts =
	BoundedVec<(u8, u32), ConstU32<{ cess_primitives::possession::challenge::MAX_CLASS as u32 }>>;

/// One column a miner holds, with what the audit needs to sample it (kept in the snapshot even
/// after the file is gone).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct HoldingEntry {
	/// The file.
	pub file_id: cess_primitives::types::FileId,
	/// The column held.
	pub column: cess_primitives::types::Column,
	/// The file's stream size.
	pub size: u64,
	/// The file's erasure profile.
	pub profile: ErasureProfile,
}
