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
	/// Rounds missed in a row.
	pub consecutive_misses: u32,
	/// Rounds passed in total.
	pub passed: u32,
	/// Proofs failed in total.
	pub failed: u32,
	/// Rounds missed in total.
	pub missed: u32,
}
