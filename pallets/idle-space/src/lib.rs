//! # Idle space (`idle-space`)
//!
//! Miners prove spare capacity on chain, with no TEE: idle files built by stacked-expander
//! labelling ([`cess_primitives::idle`], `docs/idle-space.md`), committed in batches, checked
//! once for correct generation and sampled every audit round; verified capacity is what user
//! data is placed on, converting idle files to service space.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::IdleSpaceApi`] runtime API gives a miner its checks and challenges.
//!
//! ## Overview
//!
//! * **Declaration.** `declare_batch(batch)` records a batch's root, first file index and file
//!   count (44 bytes) and holds [`pallet::Config::BatchDeposit`]. File indices run on from the
//!   previous batch, so no idle file counts twice; idle, pending and held space together stay
//!   within the miner's declared capacity, which its collateral backs.
//! * **Generation check.** A batch declared in round `r` is checked with the seed of round
//!   `r + 1` (drawn after the commitment): `submit_generation_proof` is verified in the runtime
//!   and accepted until the end of round `r + CheckRounds`. A failing proof, or none, forfeits
//!   the batch and its deposit and costs credit.
//! * **Space rounds.** In every audit round, a miner with batches verified before the round
//!   answers `SpaceSamples` last-layer labels drawn over its live idle files
//!   (`submit_space_proof`, within the audit's proof window). A passed round scores the live
//!   idle bytes for rewards ([`cess_primitives::traits::ProofRewards::idle_round_passed`]); a
//!   failed or missed one costs credit and `SpaceFailSlash` of collateral, and
//!   `MaxConsecutiveFailures` in a row forfeit all of the miner's idle space and deposits.
//! * **Conversion.** `sminer` asks [`cess_primitives::traits::VerifiedCapacity`] before placing
//!   data: a miner can be assigned its converted space not holding data plus its live idle
//!   files, never its bare declaration (when [`pallet::Config::EnforceVerifiedCapacity`]
//!   holds). Assigned bytes come from converted space, then from the last verified batch's
//!   last live files, which the miner deletes once the round is over.
//!
//! ## Low Level / Implementation Details
//!
//! No hook walks an unbounded set: a round's misses are counted by a sweep of `SweepBatch`
//! miners per block over the miners with idle accounts; a miner's batches are one bounded
//! vector (`MaxBatches`), read once per proof.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod batches;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod capacity;
#[cfg(test)]
mod mock;
mod rounds;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::idle-space";

/// What the benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a positive miner with `capacity` bytes declared.
	fn miner(who: &AccountId, capacity: u64);
	/// Starts the next audit round at the current block.
	fn start_round();
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::{
		idle::{IdleBatch, IdleParams},
		traits::{AuditRounds, MinerCapacity, MinerPenalties, MinerRegistry, ProofRewards},
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, OnUnbalanced},
		},
		frame_system::pallet_prelude::*,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A reason for the pallet placing a hold on funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a declared idle batch.
		#[codec(index = 0)]
		BatchDeposit,
	}

	/// A slashed deposit, handed to [`Config::OnSlash`].
	pub type CreditOf<T> = fungible::Credit<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		<T as Config>::Currency,
	>;

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency deposits are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// What happens to forfeited deposits (e.g. the storage reward pool).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// The miner registry: who may declare, and its declared capacity.
		type Miners: MinerRegistry<Self::AccountId> + MinerCapacity<Self::AccountId>;
		/// Credit and collateral slashes for failed rounds and checks.
		type Penalties: MinerPenalties<Self::AccountId, BalanceOf<Self>>;
		/// Scores proven idle space for rewards.
		type Rewards: ProofRewards<Self::AccountId>;
		/// The audit rounds (space rounds are the audit's rounds).
		type Rounds: AuditRounds<BlockNumberFor<Self>>;
		/// The shape of every idle file (a chain constant: bound into every batch root).
		type Params: Get<IdleParams>;
		/// Whether placement is limited to verified capacity.
		type EnforceVerifiedCapacity: Get<bool>;
		/// Deposit held per declared batch; forfeited if the batch fails its check or the
		/// miner its space rounds. At least the idle reward a batch can expect before it is
		/// caught (`docs/idle-space.md`).
		#[pallet::constant]
		type BatchDeposit: Get<BalanceOf<Self>>;
		/// Most batches (pending and verified) per miner.
		#[pallet::constant]
		type MaxBatches: Get<u32>;
		/// Most batches awaiting their check per miner.
		#[pallet::constant]
		type MaxPendingBatches: Get<u32>;
		/// Rounds, from the one whose seed draws it, in which a generation check is accepted.
		#[pallet::constant]
		type CheckRounds: Get<u32>;
		/// Samples of a generation check.
		#[pallet::constant]
		type GenerationSamples: Get<u32>;
		/// Samples of a space round.
		#[pallet::constant]
		type SpaceSamples: Get<u32>;
		/// Largest generation proof accepted, in bytes.
		#[pallet::constant]
		type MaxGenerationProofLen: Get<u32>;
		/// Largest space proof accepted, in bytes.
		#[pallet::constant]
		type MaxSpaceProofLen: Get<u32>;
		/// Collateral slashed per failed or missed space round.
		#[pallet::constant]
		type SpaceFailSlash: Get<BalanceOf<Self>>;
		/// Space rounds failed or missed in a row that forfeit all of a miner's idle space.
		#[pallet::constant]
		type MaxConsecutiveFailures: Get<u32>;
		/// Miners swept per block.
		#[pallet::constant]
		type SweepBatch: Get<u32>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark set-up.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Each miner's idle-space account.
	#[pallet::storage]
	pub type Accounts<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, IdleAccount>;

	/// Each miner's batches, in declaration order (file indices ascending).
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<
		_,
		Twox64Concat,
		T::AccountId,
		BoundedVec<BatchRecord, T::MaxBatches>,
		ValueQuery,
	>;

	/// Seeds of the latest `CheckRounds` audit rounds (generation checks draw from them).
	#[pallet::storage]
	pub type RoundSeeds<T: Config> = StorageMap<_, Twox64Concat, u32, [u8; 32]>;

	/// The last audit round this pallet saw start.
	#[pallet::storage]
	pub type SeenRound<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Rounds whose window closed and whose misses are still being counted, oldest first.
	#[pallet::storage]
	pub type Sweeps<T: Config> = StorageValue<_, BoundedVec<Sweep<T>, ConstU32<4>>, ValueQuery>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A batch of idle files was declared; its generation check is drawn at the start of
		/// `check_round`.
		BatchDeclared {
			/// The miner.
			miner: T::AccountId,
			/// The batch.
			batch: IdleBatch,
			/// The round whose seed draws the check.
			check_round: u32,
		},
		/// A batch passed its generation check: its files count as verified idle space.
		BatchVerified {
			/// The miner.
			miner: T::AccountId,
			/// First file index of the batch.
			first: u64,
			/// Bytes of verified idle space added.
			bytes: u64,
		},
		/// A batch failed or missed its generation check: it and its deposit are forfeited.
		BatchRejected {
			/// The miner.
			miner: T::AccountId,
			/// First file index of the batch.
			first: u64,
			/// Why.
			reason: Rejection,
			/// Deposit forfeited.
			deposit: BalanceOf<T>,
		},
		/// A space proof was checked.
		SpaceProofChecked {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// Whether it verified.
			passed: bool,
			/// Bytes of idle space the round sampled.
			idle_bytes: u64,
		},
		/// A miner challenged in a round submitted no space proof.
		SpaceRoundMissed {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// Rounds failed or missed in a row now.
			consecutive: u32,
		},
		/// Too many failed space rounds: all of the miner's idle space and deposits are
		/// forfeited.
		IdleForfeited {
			/// The miner.
			miner: T::AccountId,
			/// Verified bytes lost (live idle files and converted space not holding data).
			bytes: u64,
			/// Batches dropped.
			batches: u32,
			/// Deposits forfeited.
			deposit: BalanceOf<T>,
		},
		/// Idle files were converted to service space for newly assigned data; the miner
		/// deletes them once round `round` is over.
		IdleConverted {
			/// The miner.
			miner: T::AccountId,
			/// Files converted.
			files: u32,
			/// Bytes converted.
			bytes: u64,
			/// The round.
			round: u32,
		},
		/// A fully converted batch left the records; its deposit was released.
		BatchRetired {
			/// The miner.
			miner: T::AccountId,
			/// First file index of the batch.
			first: u64,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a positive miner (register with `sminer`, or top up collateral).
		NotPositive,
		/// The batch has no files, more than 512, or file indices past `u64::MAX`.
		MalformedBatch,
		/// The batch must start at the miner's next file index (see the runtime API).
		WrongFirstFile,
		/// The miner has `MaxBatches` batches.
		TooManyBatches,
		/// The miner has `MaxPendingBatches` batches awaiting their check: prove those first.
		TooManyPending,
		/// Idle, pending and held space would exceed the declared capacity: declare more with
		/// `sminer.increase_capacity` (and collateral for it) first.
		InsufficientCapacity,
		/// The free balance cannot cover the batch deposit.
		InsufficientBalance,
		/// The miner has no batch starting at that file index.
		UnknownBatch,
		/// The batch already passed its check.
		AlreadyVerified,
		/// The batch's check is not drawn yet: wait for the next round.
		CheckNotDrawn,
		/// The batch's check window is over; the batch will be rejected.
		CheckExpired,
		/// No round has started yet.
		NoRound,
		/// The round is not the current one.
		WrongRound,
		/// The round's proof window has closed.
		WindowClosed,
		/// The caller already submitted a space proof in this round.
		AlreadySubmitted,
		/// The caller has no idle files challenged in this round (none verified before it).
		NotChallenged,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::note_round().saturating_add(Self::sweep_step())
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::Params::get().is_valid(), "idle parameters out of range");
			assert!(T::CheckRounds::get() >= 1, "CheckRounds must be ≥ 1");
			assert!(T::GenerationSamples::get() >= 1, "GenerationSamples must be ≥ 1");
			assert!(T::SpaceSamples::get() >= 1, "SpaceSamples must be ≥ 1");
			assert!(T::MaxConsecutiveFailures::get() >= 1, "MaxConsecutiveFailures must be ≥ 1");
			assert!(T::SweepBatch::get() >= 1, "SweepBatch must be ≥ 1");
			assert!(
				T::MaxPendingBatches::get() >= 1
					&& T::MaxPendingBatches::get() <= T::MaxBatches::get(),
				"MaxPendingBatches must lie in 1..=MaxBatches"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Declare a batch of idle files.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a positive miner.
		///
		/// ## Details
		///
		/// `batch` is `BatchTree::batch()` of the files `batch.first..batch.first + count`:
		/// `first` must be the miner's next file index, and the batch's bytes with the miner's
		/// idle, pending and held space must fit its declared capacity. `BatchDeposit` is put
		/// on hold. The check is drawn from the next round's seed.
		///
		/// ## Events
		///
		/// [`Event::BatchDeclared`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::declare_batch())]
		pub fn declare_batch(origin: OriginFor<T>, batch: IdleBatch) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare(who, batch)
		}

		/// Submit the generation proof of the batch starting at file `first`.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner that declared the batch.
		///
		/// ## Details
		///
		/// Accepted from the start of the round after the declaration's until the end of
		/// `CheckRounds` rounds. A proof that does not verify rejects the batch (the call
		/// succeeds: the deposit is forfeited and credit lost); a passing one pays no fee.
		///
		/// ## Events
		///
		/// [`Event::BatchVerified`] or [`Event::BatchRejected`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit_generation_proof())]
		pub fn submit_generation_proof(
			origin: OriginFor<T>,
			first: u64,
			proof: BoundedVec<u8, T::MaxGenerationProofLen>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_check(who, first, &proof)
		}

		/// Submit the space proof of `round`.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a miner with batches verified before `round`.
		///
		/// ## Details
		///
		/// Within the audit's proof window. A proof that does not verify counts as a failed
		/// round (the call succeeds, the penalty applies); a passing one pays no fee.
		///
		/// ## Events
		///
		/// [`Event::SpaceProofChecked`], and [`Event::IdleForfeited`] after too many failures.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_space_proof(T::MaxBatches::get()))]
		pub fn submit_space_proof(
			origin: OriginFor<T>,
			round: u32,
			proof: BoundedVec<u8, T::MaxSpaceProofLen>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_space_proof(who, round, &proof)
		}
	}
}
