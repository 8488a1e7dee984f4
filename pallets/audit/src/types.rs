//! Round and per-miner audit records.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::{
	pallet_prelude::*, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// A round: its number, first block and seed.
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
pub struct RoundInfo<BlockNumber> {
	/// Round number (1, 2, …).
	pub index: u32,
	/// First block of the round.
	pub start: BlockNumber,
	/// The round's seed (chain randomness at the start).
	pub seed: [u8; 32],
}

/// A round being swept for misses.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Sweep<T: Config> {
	/// The round.
	pub round: u32,
	/// Its first block: miners holding data only since later were not challenged.
	pub start: BlockNumberFor<T>,
	/// The last miner processed (the sweep continues after it).
	pub cursor: Option<T::AccountId>,
	/// Whether the miners holding data are done and the round's [`crate::EmptiedHolders`] are
	/// being checked.
	pub emptied: bool,
}

/// What happened to a miner in a round.
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
pub enum Outcome {
	/// The proof verified.
	Passed,
	/// The proof did not verify.
	Failed,
	/// No proof was submitted in the window.
	Missed,
}

/// A miner's audit record.
#[derive(
	Clone,
	Copy,
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
pub struct MinerAudit {
	/// The last round the miner submitted a proof in.
	pub last_submitted: Option<u32>,
	/// Rounds missed or failed in a row (a passed round resets it).
	pub consecutive_misses: u32,
	/// Rounds passed in total.
	pub passed: u32,
	/// Proofs failed in total.
	pub failed: u32,
	/// Rounds missed in total.
	pub missed: u32,
}

/// A validator's report of one retrievability probe (signed with its probe key).
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ProbeReport<AccountId> {
	/// The round the probe belongs to.
	pub round: u32,
	/// The probe slot in that round; `miner` must be one of the slot's targets
	/// ([`crate::Pallet::probe_targets`]).
	pub slot: u32,
	/// The reporter's index in the probe authorities.
	pub authority_index: u32,
	/// The probed miner.
	pub miner: AccountId,
	/// The probed file.
	pub file_id: cess_primitives::types::FileId,
	/// Its segment.
	pub segment: u32,
	/// The miner's column.
	pub column: u16,
	/// The leaf asked for.
	pub leaf: u32,
	/// Whether the miner served the leaf with a valid path to the file id.
	pub served: bool,
}

/// A miner's probe reports in one round.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ProbeRecord<T: Config> {
	/// The round.
	pub round: u32,
	/// Authorities that reported (each once).
	pub reported_by: BoundedVec<u32, T::MaxAuthorities>,
	/// Failure reports.
	pub failures: u32,
	/// Whether a validator fetched a block (credit earned once per round).
	pub passed: bool,
	/// Whether the failure quorum was reached (credit lost once per round).
	pub penalised: bool,
}

impl<T: Config> ProbeRecord<T> {
	/// An empty record of `round`.
	pub fn new(round: u32) -> Self {
		Self { round, reported_by: BoundedVec::new(), failures: 0, passed: false, penalised: false }
	}
}
