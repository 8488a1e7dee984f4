//! The miner record and its state machine.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound,
		PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
};
use scale_info::TypeInfo;

/// The balance type of the collateral currency.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// A libp2p peer id (multihash bytes).
pub type PeerIdOf<T> = BoundedVec<u8, <T as Config>::MaxPeerIdLen>;
/// One multiaddr (binary form).
pub type MultiaddrOf<T> = BoundedVec<u8, <T as Config>::MaxMultiaddrLen>;
/// The miner's listen addresses.
pub type MultiaddrsOf<T> = BoundedVec<MultiaddrOf<T>, <T as Config>::MaxMultiaddrs>;

/// Bytes in a tebibyte: collateral is required per started TiB of declared capacity.
pub const TIB: u64 = 1 << 40;

/// Where a miner is in its life cycle.
///
/// `Positive` miners take new data. `Frozen` miners (collateral below the requirement after a
/// slash) keep and prove what they hold but take nothing new until they top up. `Exiting`
/// miners asked to leave: their columns go to restoral, and they withdraw once every column is
/// restored or the cooling period has passed. `Offline` miners were forced out by the audit; they
/// withdraw what is left after the cooling period. After the withdrawal the record is removed:
/// the miner has exited.
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
pub enum MinerState<BlockNumber> {
	/// Takes new data.
	Positive,
	/// Collateral below the requirement: no new data until it is topped up.
	Frozen,
	/// Asked to exit at `since`.
	Exiting {
		/// Block of the exit request.
		since: BlockNumber,
	},
	/// Forced out by the audit at `since`.
	Offline {
		/// Block of the forced exit.
		since: BlockNumber,
	},
}

/// A registered storage miner.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct MinerInfo<T: Config> {
	/// Account that receives the miner's rewards.
	pub beneficiary: T::AccountId,
	/// libp2p peer id clients and miners dial.
	pub peer_id: PeerIdOf<T>,
	/// libp2p listen addresses.
	pub multiaddrs: MultiaddrsOf<T>,
	/// Declared capacity in bytes.
	pub declared: u64,
	/// Bytes of fragments the miner holds (reported).
	pub used: u64,
	/// Bytes reserved for assigned or claimed fragments not yet reported.
	pub locked: u64,
	/// Collateral on hold.
	pub collateral: BalanceOf<T>,
	/// Credit score, 0–1000.
	pub credit: u32,
	/// Life-cycle state.
	pub state: MinerState<BlockNumberFor<T>>,
	/// Block of registration.
	pub registered_at: BlockNumberFor<T>,
}

impl<T: Config> MinerInfo<T> {
	/// Declared capacity not used or locked.
	pub fn free(&self) -> u64 {
		self.declared.saturating_sub(self.used).saturating_sub(self.locked)
	}
}

/// One entry of a miner's credit history.
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
pub struct CreditEntry<BlockNumber> {
	/// When the credit changed.
	pub at: BlockNumber,
	/// The change as applied (after clamping).
	pub delta: i32,
	/// Why.
	pub reason: cess_primitives::traits::CreditReason,
}
