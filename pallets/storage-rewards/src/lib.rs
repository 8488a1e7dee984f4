//! # Storage rewards (`storage-rewards`)
//!
//! Per-era rewards of storage miners, funded by issuance and by the storage fees `file-bank`
//! collects, earned by passing PoDR² audits, and paid partly at once and partly vested.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::StorageRewardsApi`] runtime API gives a miner's claimable eras and a
//! beneficiary's vesting.
//!
//! ## Overview
//!
//! * **Scores.** Every round a miner passes (`audit` calls
//!   [`cess_primitives::traits::ProofRewards::round_passed`]) adds `stored bytes × credit` to its
//!   score of the current era. An era's score is therefore *proven bytes × rounds passed × a
//!   credit factor* (`credit / 1000`, from 0 to 1).
//! * **Pools.** Every `EraLength` blocks the era closes. Its pool is what earlier eras left (an
//!   era nobody scored in, expired claims, rounding dust, funds above a cap), the fees the file
//!   market has earned (its account's balance but `Unreleased`, the prepaid leases not yet
//!   due), and issuance minted up to `EraIssuance`, all **capped at the lease price of the
//!   proven storage**: `StoragePrice` per GiB-day × proven GiB-days × credit / 1000 (each round
//!   a miner passes proves its stored bytes for `1 / RoundsPerDay` of a day). Nothing is minted
//!   beyond the cap and funds above it wait for a later era, so a GiB-day of storage never earns
//!   more than a GiB-day of lease costs: uploading junk to one's own miners cannot pay
//!   (`docs/economics.md`). A miner's share is `⌊pool × score / total score⌋`.
//! * **Claims.** `claim_rewards(era)` by the miner pays `ImmediateShare` of its share to its
//!   beneficiary and vests the rest linearly over `VestingPeriod` blocks (at most
//!   `MaxSchedules` schedules per beneficiary); `withdraw_vested` pays what has vested so far.
//!   Shares not claimed within `ClaimDepth` eras return to the next pool.
//!
//! Validator rewards stay with `pallet-staking`.
//!
//! ## Low Level / Implementation Details
//!
//! Nothing iterates the miners: totals are kept as scores arrive, claims are lazy, and the scores
//! of an expired era are cleared `CleanupBatch` entries per block.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod era;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
mod vesting;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::storage-rewards";

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::traits::MinerStanding;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::fungible, PalletId},
		frame_system::pallet_prelude::*,
		sp_runtime::{traits::Saturating, Perbill},
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency rewards are minted and paid in.
		type Currency: fungible::Mutate<Self::AccountId>;
		/// Stored bytes, credit and beneficiary of miners.
		type Miners: MinerStanding<Self::AccountId>;
		/// The pallet's account (the reward pot) is derived from this id.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// The account the file market collects storage fees in; emptied into each era's pool.
		type FeeAccount: Get<Self::AccountId>;
		/// Blocks per reward era.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;
		/// Minted into each era's pool at most (less when the pool's cap is lower); may follow
		/// the total issuance.
		type EraIssuance: Get<BalanceOf<Self>>;
		/// Fees in `FeeAccount` that are not yet earned (prepaid leases, released day by day);
		/// they stay out of the pools.
		type Unreleased: Get<BalanceOf<Self>>;
		/// The lease price of one GiB for one day: what a GiB-day of proven storage earns at most.
		type StoragePrice: Get<BalanceOf<Self>>;
		/// Audit rounds per day: a passed round proves its bytes for `1 / RoundsPerDay` of a day.
		#[pallet::constant]
		type RoundsPerDay: Get<u32>;
		/// What a byte of proven idle space scores in a round, relative to a byte of proven
		/// user data (`docs/economics.md`).
		#[pallet::constant]
		type IdleShare: Get<Perbill>;
		/// Part of a claim paid at once; the rest vests.
		#[pallet::constant]
		type ImmediateShare: Get<Perbill>;
		/// Blocks over which the vested part is released linearly.
		#[pallet::constant]
		type VestingPeriod: Get<BlockNumberFor<Self>>;
		/// Vesting schedules a beneficiary can have at once.
		#[pallet::constant]
		type MaxSchedules: Get<u32>;
		/// Eras after which an unclaimed share returns to the pool.
		#[pallet::constant]
		type ClaimDepth: Get<u32>;
		/// Score entries of expired eras cleared per block.
		#[pallet::constant]
		type CleanupBatch: Get<u32>;
		/// Weights.
		type WeightInfo: WeightInfo;
	}

	/// The era being scored (0, 1, …).
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

	/// First block of the current era.
	#[pallet::storage]
	pub type EraStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Total score of the current era so far.
	#[pallet::storage]
	pub type EraScore<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// Each miner's score per era (removed when claimed or when the era expires).
	#[pallet::storage]
	pub type Scores<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EraIndex, Twox64Concat, T::AccountId, u128, OptionQuery>;

	/// The pools of closed eras that can still be claimed.
	#[pallet::storage]
	pub type Pools<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, EraPool<BalanceOf<T>>, OptionQuery>;

	/// Funds in the pot that belong to no era yet; they join the next pool.
	#[pallet::storage]
	pub type Carry<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Expired eras whose remaining score entries are being cleared, oldest first.
	#[pallet::storage]
	pub type Expiring<T: Config> = StorageValue<_, BoundedVec<EraIndex, ConstU32<8>>, ValueQuery>;

	/// Each beneficiary's vesting schedules.
	#[pallet::storage]
	pub type Vesting<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<VestingSchedule<BalanceOf<T>, BlockNumberFor<T>>, T::MaxSchedules>,
		ValueQuery,
	>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An era closed and its pool was fixed.
		EraClosed {
			/// The era.
			era: EraIndex,
			/// Its pool (issuance + fees + carried funds).
			pool: BalanceOf<T>,
			/// Minted for it.
			issued: BalanceOf<T>,
			/// Storage fees moved in.
			fees: BalanceOf<T>,
			/// Total score; zero carries the pool to the next era.
			total_score: u128,
			/// The lease price of the era's proven storage, which the pool may not exceed.
			cap: BalanceOf<T>,
			/// Funds left for later eras (above the cap, or nobody scored).
			carried: BalanceOf<T>,
		},
		/// A miner claimed its share of an era.
		RewardClaimed {
			/// The miner.
			miner: T::AccountId,
			/// The era.
			era: EraIndex,
			/// Who was paid.
			beneficiary: T::AccountId,
			/// The whole share.
			amount: BalanceOf<T>,
			/// Paid at once.
			immediate: BalanceOf<T>,
			/// Put on a vesting schedule.
			vesting: BalanceOf<T>,
		},
		/// Vested funds were paid out.
		VestedWithdrawn {
			/// The beneficiary.
			who: T::AccountId,
			/// The amount.
			amount: BalanceOf<T>,
		},
		/// An era's unclaimed funds returned to the pool.
		EraExpired {
			/// The era.
			era: EraIndex,
			/// The unclaimed amount.
			unclaimed: BalanceOf<T>,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The era has not closed yet: claim it after it ends.
		EraNotClosed,
		/// The era is older than `ClaimDepth` eras: its unclaimed funds went to a later pool.
		EraExpired,
		/// The caller has no score in that era, or already claimed it.
		NothingToClaim,
		/// The beneficiary has `MaxSchedules` vesting schedules: withdraw finished ones first.
		TooManySchedules,
		/// Nothing has vested since the last withdrawal.
		NothingVested,
		/// The payment could not be made (e.g. below the existential deposit for a new
		/// account): nothing was changed.
		PayoutFailed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let closing = n >= EraStart::<T>::get().saturating_add(T::EraLength::get());
			let mut weight = if closing { Self::close_era(n) } else { T::WeightInfo::era_idle() };
			weight = weight.saturating_add(Self::cleanup_step());
			weight
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(!T::EraLength::get().is_zero(), "EraLength must be > 0");
			assert!(!T::VestingPeriod::get().is_zero(), "VestingPeriod must be > 0");
			assert!(T::MaxSchedules::get() >= 1, "MaxSchedules must be ≥ 1");
			assert!(T::ClaimDepth::get() >= 1, "ClaimDepth must be ≥ 1");
			assert!(T::CleanupBatch::get() >= 1, "CleanupBatch must be ≥ 1");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Claim the caller's share of a closed era.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a miner with a score in `era`.
		///
		/// ## Details
		///
		/// Pays `ImmediateShare` of the share to the miner's beneficiary (the miner itself if it
		/// has left) and puts the rest on a linear vesting schedule for the beneficiary.
		///
		/// ## Events
		///
		/// [`Event::RewardClaimed`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>, era: EraIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, era)
		}

		/// Pay out what the caller's vesting schedules have released so far.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a beneficiary with vesting schedules.
		///
		/// ## Details
		///
		/// Finished schedules are removed.
		///
		/// ## Events
		///
		/// [`Event::VestedWithdrawn`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_vested(T::MaxSchedules::get()))]
		pub fn withdraw_vested(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let schedules = Self::do_withdraw_vested(who)?;
			Ok(Some(T::WeightInfo::withdraw_vested(schedules)).into())
		}
	}
}
