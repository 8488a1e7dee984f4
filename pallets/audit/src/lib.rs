//! # Audit (`audit`)
//!
//! PoDR² rounds on chain: every miner holding data is challenged once per round with leaves
//! sampled byte-fair from a snapshot of its holdings with BABE randomness, answers with one
//! multiproof of those leaves, and the runtime verifies it (plain BLAKE2b in wasm). Misses and failures cost credit and collateral; after
//! `MaxConsecutiveMisses` rounds in a row missed or failed, the miner is forced out and its
//! columns go to restoral.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::AuditApi`] runtime API gives a miner's current challenge and its history.
//!
//! ## Overview
//!
//! * A **round** starts every `RoundLength` blocks; its seed is the chain's randomness at the
//!   start. A miner's samples are `expand(challenge_seed(seed, round, miner), c, snapshot)` over
//!   its holdings **as of the round's start** (the file market keeps that snapshot: deletions,
//!   transfers, loss reports, restorals and new columns during the round change nothing that is
//!   challenged, so no third party can make an honest proof stale and no miner can re-roll its
//!   samples; miners keep deleted data until the round closes). The [`runtime_api::AuditApi`]
//!   hands the samples to the miner.
//! * `submit_proof(round, proof)` within `ProofWindow` blocks of the start. A proof that does
//!   not verify is recorded as failed (the call succeeds, the penalty applies); a passing proof
//!   pays no fee.
//! * After the window, the round is **swept** in bounded batches over the miners holding data:
//!   every miner challenged in the round (holding data since before its start) that did not
//!   submit has missed it.
//!
//! ## Low Level / Implementation Details
//!
//! No hook walks an unbounded set: sweeps process `SweepBatch` miners per block from a cursor
//! into the file market's list of miners with data; `RoundLength × SweepBatch` should exceed the
//! number of miners so every sweep ends within a round (up to four sweeps can queue).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
mod ocw;
mod probe;
#[cfg(test)]
mod probe_tests;
mod proof;
mod round;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
pub mod weights;

/// What the benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a positive miner holding `holdings` columns from the current block on, each of
	/// a file of all-zero data whose fragments all have one length (so a benchmark can prove
	/// them with [`cess_primitives::possession::uniform`]).
	fn challengeable_miner(who: &AccountId, holdings: u32);
}

/// The probe keys validators sign retrievability reports with (key type `cprb`, sr25519): a
/// session key.
pub mod crypto {
	use polkadot_sdk::sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::PROBE_KEY_TYPE);
}

/// Key type of the probe keys.
pub const PROBE_KEY_TYPE: polkadot_sdk::sp_core::crypto::KeyTypeId =
	polkadot_sdk::sp_core::crypto::KeyTypeId(*b"cprb");

/// Domain of the probe-target draws.
pub const PROBE_DOMAIN: &[u8] = b"cess/audit/probe-targets";

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::audit";

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::traits::{
		MinerEndpoints, MinerPenalties, MinerRegistry, ProofRewards, StorageHoldings,
	};
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::Randomness, WeakBoundedVec},
		frame_system::{
			ensure_authorized, offchain::CreateAuthorizedTransaction, pallet_prelude::*,
		},
		sp_runtime::{traits::MaybeSerializeDeserialize, RuntimeAppPublic},
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config + CreateAuthorizedTransaction<Call<Self>>
	{
		/// The balance type slashes are counted in.
		type Balance: Parameter
			+ MaxEncodedLen
			+ Copy
			+ Default
			+ From<u32>
			+ polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned;
		/// The positive miners (probe targets are drawn among them).
		type Miners: MinerRegistry<Self::AccountId>;
		/// Credit, slashing and forced exit.
		type Penalties: MinerPenalties<Self::AccountId, Self::Balance>;
		/// Counts each accepted probe report towards its validator's credit.
		type ProbeDuty: cess_primitives::traits::ProbeDuty;
		/// Scores passed rounds for rewards.
		type Rewards: ProofRewards<Self::AccountId>;
		/// What each miner holds.
		type Holdings: StorageHoldings<Self::AccountId, BlockNumberFor<Self>>;
		/// Round seeds (BABE's parent-block randomness in the runtime).
		type Randomness: Randomness<Option<Self::Hash>, BlockNumberFor<Self>>;
		/// Blocks per round.
		#[pallet::constant]
		type RoundLength: Get<BlockNumberFor<Self>>;
		/// Blocks after a round's start during which proofs are accepted.
		#[pallet::constant]
		type ProofWindow: Get<BlockNumberFor<Self>>;
		/// Challenged leaves per proof (`c`).
		#[pallet::constant]
		type ChallengeSamples: Get<u32>;
		/// Largest proof accepted, in bytes.
		#[pallet::constant]
		type MaxProofLen: Get<u32>;
		/// Rounds missed or failed in a row that force a miner out.
		#[pallet::constant]
		type MaxConsecutiveMisses: Get<u32>;
		/// Slash of a missed round, multiplied by the consecutive misses.
		#[pallet::constant]
		type MissSlash: Get<Self::Balance>;
		/// Slash of a failed proof.
		#[pallet::constant]
		type FailSlash: Get<Self::Balance>;
		/// Miners swept per block.
		#[pallet::constant]
		type SweepBatch: Get<u32>;
		/// Rounds kept in each miner's history.
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// Validators' probe keys (a session key; [`crypto::Public`] in the runtime).
		type AuthorityId: Member
			+ Parameter
			+ RuntimeAppPublic
			+ Ord
			+ MaybeSerializeDeserialize
			+ MaxEncodedLen;
		/// Most validators (probe authorities) kept.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;
		/// Miners' network addresses (their HTTP probe endpoints among them).
		type Endpoints: MinerEndpoints<Self::AccountId>;
		/// Blocks between probe slots (0 disables probes).
		#[pallet::constant]
		type ProbeInterval: Get<BlockNumberFor<Self>>;
		/// Miners every validator probes per slot.
		#[pallet::constant]
		type ProbesPerSlot: Get<u32>;
		/// Pool priority of probe reports.
		#[pallet::constant]
		type ProbePriority: Get<TransactionPriority>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark set-up.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The current round.
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageValue<_, RoundInfo<BlockNumberFor<T>>, OptionQuery>;

	/// Rounds whose window closed and whose misses are still being counted, oldest first.
	#[pallet::storage]
	pub type Sweeps<T: Config> = StorageValue<_, BoundedVec<Sweep<T>, ConstU32<4>>, ValueQuery>;

	/// Miners challenged in a round (not swept yet) whose holdings were emptied before they
	/// proved it: the round's sweep checks them after the miners still holding data.
	#[pallet::storage]
	pub type EmptiedHolders<T: Config> =
		StorageDoubleMap<_, Twox64Concat, u32, Twox64Concat, T::AccountId, ()>;

	/// Each miner's audit record.
	#[pallet::storage]
	pub type Audits<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, MinerAudit, ValueQuery>;

	/// Each miner's latest round outcomes, oldest first.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Twox64Concat,
		T::AccountId,
		BoundedVec<(u32, Outcome), T::MaxHistory>,
		ValueQuery,
	>;

	/// The validators' probe keys of the current session, by authority index.
	#[pallet::storage]
	pub type Authorities<T: Config> =
		StorageValue<_, WeakBoundedVec<T::AuthorityId, T::MaxAuthorities>, ValueQuery>;

	/// Each probed miner's reports in the current round (dropped when it is swept later).
	#[pallet::storage]
	pub type Probes<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, ProbeRecord<T>, OptionQuery>;

	/// Whether validators probe loopback and private-network endpoints (development chains only:
	/// elsewhere a miner could point validators' off-chain workers at their own machines).
	#[pallet::storage]
	pub type PrivateEndpointsAllowed<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Sets [`PrivateEndpointsAllowed`]: `true` for development and local test chains.
		pub allow_private_endpoints: bool,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			PrivateEndpointsAllowed::<T>::put(self.allow_private_endpoints);
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A round started.
		RoundStarted {
			/// Round number.
			round: u32,
			/// Its seed.
			seed: [u8; 32],
		},
		/// A proof was verified.
		ProofChecked {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// Whether it verified.
			passed: bool,
		},
		/// A miner submitted no proof in a round it was challenged in.
		RoundMissed {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// Consecutive misses now.
			consecutive: u32,
		},
		/// A validator reported a retrievability probe.
		ProbeReported {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// The reporting validator's authority index.
			authority_index: u32,
			/// Whether the miner served the block.
			served: bool,
		},
		/// More than a third of the validators could not fetch from a miner this round.
		MinerUnreachable {
			/// The miner.
			miner: T::AccountId,
			/// The round.
			round: u32,
			/// Failure reports so far.
			reports: u32,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The round is not the current one.
		WrongRound,
		/// The round's proof window has closed.
		WindowClosed,
		/// The caller is not challenged in this round (no data held since before its start).
		NotChallenged,
		/// The caller already submitted a proof in this round.
		AlreadySubmitted,
		/// No round has started yet.
		NoRound,
		/// This validator already reported a probe of this miner in this round.
		AlreadyReported,
		/// The reported miner is not a target of the report's probe slot (or the slot has not
		/// begun).
		NotAProbeTarget,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::maybe_start_round(n).saturating_add(Self::sweep_step(n))
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			Self::run_probes(n);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::ProofWindow::get() <= T::RoundLength::get(), "window longer than a round");
			assert!(T::ChallengeSamples::get() >= 1, "ChallengeSamples must be ≥ 1");
			assert!(T::MaxConsecutiveMisses::get() >= 1, "MaxConsecutiveMisses must be ≥ 1");
			assert!(T::SweepBatch::get() >= 1, "SweepBatch must be ≥ 1");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submit the PoDR² proof of `round`.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a miner challenged in `round`.
		///
		/// ## Details
		///
		/// The chain expands the miner's challenge over its holdings snapshot and verifies
		/// `proof` in the runtime. A failing proof is recorded and penalised (the call itself
		/// succeeds); a passing one pays no fee.
		///
		/// ## Events
		///
		/// [`Event::ProofChecked`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_proof(T::ChallengeSamples::get()))]
		pub fn submit_proof(
			origin: OriginFor<T>,
			round: u32,
			proof: BoundedVec<u8, T::MaxProofLen>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_submit_proof(who, round, &proof, T::ChallengeSamples::get())
		}

		/// Report a retrievability probe (sent by validators' off-chain workers).
		///
		/// ## Dispatch Origin
		///
		/// Authorized: `report` is signed by the probe key of the authority it names, for the
		/// current round, and that authority has not reported this miner in this round.
		///
		/// ## Details
		///
		/// A served block earns the miner credit once per round; when more than a third of
		/// the validators report a failure, the miner loses credit once per round.
		///
		/// ## Events
		///
		/// [`Event::ProbeReported`], and [`Event::MinerUnreachable`] at the quorum.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::report_probe())]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_report_probe())]
		#[pallet::authorize(|_source, report, signature| {
			Pallet::<T>::authorize_probe_report(report, signature)
		})]
		pub fn report_probe(
			origin: OriginFor<T>,
			report: ProbeReport<T::AccountId>,
			// Checked in `authorize`.
			_signature: <T::AuthorityId as RuntimeAppPublic>::Signature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			Self::do_report_probe(report)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Replaces the probe authorities (keys beyond `MaxAuthorities` are dropped, with a warning).
	fn set_authorities(keys: alloc::vec::Vec<T::AuthorityId>) {
		use polkadot_sdk::frame_support::traits::Get;
		if keys.len() > T::MaxAuthorities::get() as usize {
			log::warn!(target: LOG_TARGET, "{} probe keys, keeping the first {}", keys.len(), T::MaxAuthorities::get());
		}
		Authorities::<T>::put(polkadot_sdk::frame_support::WeakBoundedVec::force_from(keys, None));
	}
}

impl<T: Config> polkadot_sdk::sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = T::AuthorityId;
}

impl<T: Config> polkadot_sdk::frame_support::traits::OneSessionHandler<T::AccountId> for Pallet<T> {
	type Key = T::AuthorityId;

	fn on_genesis_session<'a, I>(validators: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, T::AuthorityId)>,
	{
		Self::set_authorities(validators.map(|(_, key)| key).collect());
	}

	fn on_new_session<'a, I>(_changed: bool, validators: I, _queued: I)
	where
		I: 'a + Iterator<Item = (&'a T::AccountId, T::AuthorityId)>,
	{
		Self::set_authorities(validators.map(|(_, key)| key).collect());
	}

	fn on_disabled(_validator_index: u32) {}
}
