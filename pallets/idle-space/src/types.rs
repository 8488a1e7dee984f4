//! Batch and miner records.

use crate::Config;
use cess_primitives::idle::IdleBatch;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::{
	pallet_prelude::*, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// The balance type of the deposit currency.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// Where a batch is in its life.
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
pub enum BatchState {
	/// Declared in round `declared_in`; its generation check is drawn from the seed of round
	/// `declared_in + 1` and must be proved by the end of round `declared_in + CheckRounds`.
	Pending {
		/// The round current at the declaration (0 before the first round).
		declared_in: u32,
	},
	/// Passed its generation check in round `in_round`; challenged in every later round.
	Verified {
		/// The round of the check.
		in_round: u32,
	},
}

/// One declared batch of idle files.
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
pub struct BatchRecord {
	/// Root, first file index and file count, as declared.
	pub batch: IdleBatch,
	/// Pending or verified.
	pub state: BatchState,
	/// Files `0..live` of the batch are idle; the others were converted to service space.
	pub live: u32,
	/// `live` at the start of round `changed_in`, the last round in which files were converted:
	/// that round's challenge draws from it (its samples do not move during the round, and the
	/// miner deletes converted files only once the round is over).
	pub live_at_start: u32,
	/// The last round in which files of this batch were converted.
	pub changed_in: u32,
}

impl BatchRecord {
	/// A batch declared in round `round`.
	pub fn pending(batch: IdleBatch, round: u32) -> Self {
		Self {
			batch,
			state: BatchState::Pending { declared_in: round },
			live: batch.count,
			live_at_start: batch.count,
			changed_in: 0,
		}
	}

	/// Whether the batch passed its check.
	pub fn is_verified(&self) -> bool {
		matches!(self.state, BatchState::Verified { .. })
	}

	/// The live files round `round`'s challenge draws from: none if the batch was not verified
	/// before the round began; otherwise `live` as of the round's start (for a batch converted
	/// in a later round, at most that).
	pub fn live_in(&self, round: u32) -> u32 {
		match self.state {
			BatchState::Verified { in_round } if in_round < round => {
				if self.changed_in >= round {
					self.live_at_start
				} else {
					self.live
				}
			},
			_ => 0,
		}
	}

	/// Converts up to `files` live files in round `round`; returns how many it converted.
	pub fn convert(&mut self, files: u32, round: u32) -> u32 {
		let taken = files.min(self.live);
		if taken > 0 {
			if self.changed_in != round {
				self.live_at_start = self.live;
				self.changed_in = round;
			}
			self.live -= taken;
		}
		taken
	}
}

/// A miner's idle-space account. `verified = idle + reserve + service` always holds (in bytes,
/// `idle` being the live files of verified batches).
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
pub struct IdleAccount {
	/// The first file index the next batch must start at (indices are never reused while the
	/// account exists, so no file counts twice).
	pub next_file: u64,
	/// Bytes of verified capacity: verified batches' files when they passed, less what was
	/// forfeited.
	pub verified: u64,
	/// Converted bytes not holding data (idle files deleted, data not yet assigned).
	pub reserve: u64,
	/// Converted bytes assigned to data.
	pub service: u64,
	/// The last round the miner submitted a space proof in.
	pub last_proved: Option<u32>,
	/// Bit `i` set: the miner submitted in round `last_proved − i` (the sweep of a round runs
	/// while the next is open, after the miner may have proved that one too).
	pub proved_mask: u8,
	/// Space rounds failed or missed in a row.
	pub failures: u32,
}

impl IdleAccount {
	/// Notes a proof submitted in `round` (the current one: later than any before).
	pub fn note_proved(&mut self, round: u32) {
		let shift = self.last_proved.map_or(8, |last| round.saturating_sub(last));
		self.proved_mask = if shift >= 8 { 1 } else { (self.proved_mask << shift) | 1 };
		self.last_proved = Some(round);
	}

	/// Whether the miner submitted a proof in `round` (known for the last 8 rounds it proved
	/// up to).
	pub fn proved(&self, round: u32) -> bool {
		match self.last_proved.and_then(|last| last.checked_sub(round)) {
			Some(back) if back < 8 => self.proved_mask & (1 << back) != 0,
			_ => false,
		}
	}
}

/// A round whose space proofs are being counted, after its window closed.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Sweep<T: Config> {
	/// The round.
	pub round: u32,
	/// The last miner processed (the sweep continues after it).
	pub cursor: Option<T::AccountId>,
}

/// Why a batch was dropped before it was verified.
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
pub enum Rejection {
	/// The generation proof did not verify.
	CheckFailed,
	/// No generation proof arrived by the end of its last round.
	CheckExpired,
}

/// A miner's idle space as the runtime API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Default)]
pub struct IdleSummary {
	/// The account (see [`IdleAccount`]).
	pub account: IdleAccount,
	/// Bytes of live idle files in verified batches.
	pub idle: u64,
	/// Bytes of pending batches.
	pub pending: u64,
	/// Verified batches.
	pub verified_batches: u32,
	/// Pending batches.
	pub pending_batches: u32,
}
