//! Certificates, fingerprints, licensing policies, access records, disputes and evidence.

use crate::Config;
use cess_primitives::types::FileId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::fungible::Inspect},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::Perbill,
};
use scale_info::TypeInfo;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// Largest wrapped data key the chain stores (the client's scheme 1 takes 82 bytes; the rest
/// leaves room for threshold re-encryption capsules).
pub const MAX_WRAPPED_KEY_LEN: u32 = 256;

/// A data key wrapped to one account's X25519 encryption key (opaque to the chain; the first
/// two bytes are the client's format version and wrap scheme).
pub type WrappedKey = BoundedVec<u8, ConstU32<MAX_WRAPPED_KEY_LEN>>;

/// An account's X25519 encryption public key, to which granted data keys are wrapped.
pub type EncryptionKey = [u8; 32];

/// Sequential id of a dispute.
pub type DisputeId = u64;

pub use cess_primitives::fingerprint::Fingerprint;

/// An entry of the near-duplicate index: a certificate's file, hash and holder, so a lookup
/// needs no certificate reads.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct BucketEntry<T: Config> {
	/// The certified file.
	pub file: FileId,
	/// Its 64-bit similarity hash.
	pub hash: u64,
	/// Its holder.
	pub owner: T::AccountId,
}

/// An ownership certificate: who registered which content when.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Certificate<T: Config> {
	/// The rights holder.
	pub owner: T::AccountId,
	/// The registered fingerprint.
	pub fingerprint: Fingerprint,
	/// Block of registration (or of the verdict that issued it).
	pub registered_at: BlockNumberFor<T>,
	/// Since when the holder's claim to the content counts: the block of the upload (or
	/// accepted join) whose fingerprint commitment the registration opened, else the
	/// registration's block. The earlier claim wins a conflict.
	pub priority: BlockNumberFor<T>,
	/// Unix time of registration in milliseconds.
	pub timestamp_ms: u64,
	/// The file's data key wrapped to the holder's encryption key, from which the holder's
	/// client re-wraps it for grantees (and, later, a threshold re-encryption committee would).
	pub owner_key: WrappedKey,
}

/// Terms on which access is sold.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Terms<Balance, Shares> {
	/// Access costs nothing.
	Free,
	/// Each access costs `price`, paid to the rights holder at once.
	PerAccess(Balance),
	/// Each access costs `price`, paid into the file's revenue pool; the pool is split every
	/// `RevenuePeriod` blocks: each shareholder gets its share, the holder the rest.
	RevenueShare {
		/// Price of one access.
		price: Balance,
		/// Shareholders other than the holder and their parts (summing to at most 100 %).
		shares: Shares,
	},
}

/// A file's licensing policy.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Policy<Balance, Shares, List> {
	/// The price and where payments go.
	pub terms: Terms<Balance, Shares>,
	/// Requests wait for the holder's decision even when the offer meets the price.
	pub approval_required: bool,
	/// Accounts granted access at once and free of charge.
	pub whitelist: List,
	/// Accounts whose requests are refused.
	pub blacklist: List,
}

/// Revenue shareholders of a policy.
pub type SharesOf<T> = BoundedVec<
	(<T as polkadot_sdk::frame_system::Config>::AccountId, Perbill),
	<T as Config>::MaxShareholders,
>;
/// A white- or blacklist of a policy.
pub type ListOf<T> =
	BoundedVec<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::MaxListLen>;
/// The terms type of the runtime.
pub type TermsOf<T> = Terms<BalanceOf<T>, SharesOf<T>>;
/// The policy type of the runtime.
pub type PolicyOf<T> = Policy<BalanceOf<T>, SharesOf<T>, ListOf<T>>;

/// Where an access request stands.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum AccessState<Balance> {
	/// Waiting for the holder; `offer` is held in escrow by the pallet.
	Pending {
		/// The amount offered (escrowed).
		offer: Balance,
	},
	/// Granted; `paid` went to the holder or the revenue pool.
	Granted {
		/// What the grantee paid.
		paid: Balance,
	},
}

/// One account's access to one file.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Access<T: Config> {
	/// Pending or granted.
	pub state: AccessState<BalanceOf<T>>,
	/// The requester's encryption key the data key is to be wrapped to.
	pub encryption_key: EncryptionKey,
	/// Block of the request.
	pub requested_at: BlockNumberFor<T>,
	/// The data key wrapped to `encryption_key`, once the holder delivered it.
	pub key: Option<WrappedKey>,
}

/// How a dispute was decided.
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
pub enum Verdict {
	/// The claim is dismissed; the existing certificate stands.
	Dismiss,
	/// Both works stand: the claimant gets its certificate too.
	Coexist,
	/// The existing certificate is withdrawn and the claimant gets its certificate.
	Supersede,
}

/// A registration that came too close to an existing certificate.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Dispute<T: Config> {
	/// Who claimed.
	pub claimant: T::AccountId,
	/// The file the claimant registered.
	pub file: FileId,
	/// The claimant's fingerprint.
	pub fingerprint: Fingerprint,
	/// The claimant's wrapped owner key (kept for the certificate a verdict may issue).
	pub owner_key: WrappedKey,
	/// The closest existing certificate.
	pub conflicts_with: FileId,
	/// Hamming distance to it (0 for equal content hashes).
	pub distance: u32,
	/// Block the dispute was opened at.
	pub opened_at: BlockNumberFor<T>,
	/// The claimant's priority (see [`Certificate::priority`]).
	pub priority: BlockNumberFor<T>,
}

/// What an evidence record attests.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum Action {
	/// A certificate was issued to `actor`.
	Registered,
	/// `actor`'s registration came too close to this file's certificate and opened a dispute.
	DisputeOpened(DisputeId),
	/// The dispute was decided.
	DisputeResolved(DisputeId, Verdict),
	/// The holder changed the policy.
	PolicyChanged,
	/// `actor` requested access that the policy grants at once, offering `amount`. (Requests
	/// that wait are not logged: a stranger's request-and-cancel spam must not push the
	/// holder's records out of the ring; their grant or denial is.)
	Requested,
	/// `actor` (the holder, or the policy) granted `counterpart` access.
	Granted,
	/// The holder delivered the wrapped key to `counterpart`.
	KeyDelivered,
	/// The holder denied `counterpart`'s request; the offer was refunded.
	Denied,
	/// The holder revoked `counterpart`'s access.
	Revoked,
	/// `actor` paid `amount` to `counterpart` (the holder, or the pallet's pool account).
	Paid,
	/// The revenue pool paid `amount` to `counterpart`.
	RevenuePaid,
	/// The holder `actor` transferred the certificate to `counterpart`.
	Transferred,
	/// A verdict withdrew the certificate.
	Withdrawn,
}

/// One entry of a file's evidence log.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EvidenceRecord<AccountId, Balance, BlockNumber> {
	/// Position in the file's log (0, 1, …).
	pub seq: u32,
	/// Block it happened in.
	pub block: BlockNumber,
	/// What happened.
	pub action: Action,
	/// Who did it.
	pub actor: AccountId,
	/// Who it concerned, if someone else.
	pub counterpart: Option<AccountId>,
	/// Money moved, if any.
	pub amount: Balance,
}

/// The evidence record type of the runtime.
pub type EvidenceOf<T> = EvidenceRecord<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

/// A page of a file's evidence log, as returned by the runtime API.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EvidencePage<AccountId, Balance, BlockNumber> {
	/// Records ever written for the file (the next `seq`).
	pub total: u32,
	/// The oldest `seq` still kept (older records were overwritten; their events remain).
	pub first_kept: u32,
	/// The requested records, in order.
	pub records: alloc::vec::Vec<EvidenceRecord<AccountId, Balance, BlockNumber>>,
}
