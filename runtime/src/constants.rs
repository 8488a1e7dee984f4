//! Time and currency constants of the chain.

/// Money: the chain's token is TCESS with 18 decimals.
pub mod currency {
	use crate::Balance;

	/// The number of decimals of the chain's token.
	pub const TOKEN_DECIMALS: u32 = 18;
	/// The token symbol shown by wallets.
	pub const TOKEN_SYMBOL: &str = "TCESS";
	/// The SS58 address prefix of the chain.
	pub const SS58_PREFIX: u16 = 11330;

	/// One whole token.
	pub const DOLLARS: Balance = 10u128.pow(TOKEN_DECIMALS);
	/// One hundredth of a token.
	pub const CENTS: Balance = DOLLARS / 100;
	/// One thousandth of a cent.
	pub const MILLICENTS: Balance = CENTS / 1_000;

	/// The minimum balance an account must keep to exist.
	pub const EXISTENTIAL_DEPOSIT: Balance = CENTS;

	/// A deposit for storing `items` items of `bytes` bytes in total.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		items as Balance * 20 * DOLLARS + (bytes as Balance) * 100 * MILLICENTS
	}
}

/// Time: slots, epochs (sessions) and eras.
///
/// Production chains run 6-second slots, hour-long epochs and 6-hour eras. The `fast-runtime`
/// feature shortens them for tests and local networks: 3-second slots, one-minute epochs and
/// two-minute eras.
pub mod time {
	use crate::BlockNumber;

	/// The expected average block time. BABE produces a block in most slots; this is the slot.
	#[cfg(not(feature = "fast-runtime"))]
	pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;
	#[cfg(feature = "fast-runtime")]
	pub const MILLI_SECS_PER_BLOCK: u64 = 3_000;

	/// The BABE slot duration. Changing it after genesis breaks block production.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;

	/// The length of a BABE epoch, which is also a session, in blocks. Fixed at genesis.
	#[cfg(not(feature = "fast-runtime"))]
	pub const EPOCH_DURATION_IN_BLOCKS: BlockNumber = HOURS;
	#[cfg(feature = "fast-runtime")]
	pub const EPOCH_DURATION_IN_BLOCKS: BlockNumber = MINUTES;
	/// The length of a BABE epoch in slots.
	pub const EPOCH_DURATION_IN_SLOTS: u64 = EPOCH_DURATION_IN_BLOCKS as u64;

	/// Sessions per staking era.
	#[cfg(not(feature = "fast-runtime"))]
	pub const SESSIONS_PER_ERA: u32 = 6;
	#[cfg(feature = "fast-runtime")]
	pub const SESSIONS_PER_ERA: u32 = 2;

	/// The probability of a slot having a primary BABE author: 1/4.
	pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);
}

/// Issuance and fees: the yearly bounds `docs/economics.md` states (a test reads both).
pub mod economics {
	use polkadot_sdk::sp_runtime::{Perbill, Percent};

	/// Most minted per year for validators, nominators and the treasury, as a share of the
	/// total issuance: the staking reward curve's maximum (see `configs::staking`). What the
	/// curve does not pay stakers (stake away from the ideal) goes to the treasury.
	pub const STAKING_MAX_INFLATION: Perbill = Perbill::from_percent(6);
	/// Least paid to stakers per year at any stake: the curve's minimum.
	pub const STAKING_MIN_INFLATION: Perbill = Perbill::from_parts(25_000_000);
	/// Most minted per year into storage reward pools, as a share of the total issuance; a
	/// pool mints only what the fees it earned leave short of its cap.
	pub const STORAGE_MAX_INFLATION: Perbill = Perbill::from_percent(4);
	/// Share of transaction fees (not tips) that goes to the treasury; the block author gets
	/// the rest and every tip.
	pub const FEES_TO_TREASURY: Percent = Percent::from_percent(80);
	/// Milliseconds in a (Julian) year, the year of the inflation rates.
	pub const MILLISECONDS_PER_YEAR: u64 = 1000 * 3600 * 24 * 36525 / 100;
}
