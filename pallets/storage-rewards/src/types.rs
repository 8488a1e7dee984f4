//! Era pools and vesting schedules.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::traits::fungible::Inspect;
use scale_info::TypeInfo;

/// Index of a reward era.
pub type EraIndex = u32;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;

/// A closed era's pool.
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
pub struct EraPool<Balance> {
	/// Funds split among the era's scores.
	pub pool: Balance,
	/// Sum of the era's scores (never zero for a stored pool).
	pub total_score: u128,
	/// Paid (or vested) so far.
	pub paid: Balance,
}

/// A linear vesting schedule.
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
pub struct VestingSchedule<Balance, BlockNumber> {
	/// The amount that vests.
	pub total: Balance,
	/// Paid out so far.
	pub released: Balance,
	/// The block vesting starts at; all of `total` has vested `VestingPeriod` blocks later.
	pub start: BlockNumber,
}
