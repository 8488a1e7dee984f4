//! # Validator credit (R²S)
//!
//! Validators earn credit for the duties the chain can see, and the validator election only
//! considers creditworthy candidates.
//!
//! * **Scoring.** When an era ends, each of its validators gets an era score out of
//!   [`FULL_CREDIT`]: the lower of its block-authoring ratio (its reward points against an even
//!   share of the era's, half a share counting as full) and its probe ratio (retrievability
//!   reports it filed against the busiest validator's, half counting as full; full when nobody
//!   had a miner to probe), and 0 if it committed an offence in the era. Its credit becomes the
//!   mean of its old credit and the era score. A validator out of the set regains `Recovery` a
//!   era, up to `InitialCredit`. Credit stays with the stash: chilling and validating again does
//!   not reset it.
//! * **The election** (the `ElectionDataProvider` this pallet implements over staking's, read by
//!   the election provider that [`CreditAwareElection`] wraps):
//!   candidates below `MinCredit` are not handed to the solver, so no solution can elect them
//!   (the solver cannot name a target the data left out; should a submitted-solution phase ever
//!   be added, its snapshot comes from this same data). If fewer than `MinTargets` candidates
//!   remain, the best-credited are kept up to that, so a network never runs out of validators.
//! * **Rotation.** When more candidates are eligible than `seats × (1 + RotationSlack)`, the
//!   solver is handed that many, drawn by VRF randomness (BABE's, from one epoch ago) weighted
//!   by credit; the solver then elects the seats among them by stake. So among eligible
//!   candidates, stake alone does not keep a seat forever.
//!
//! The scores use on-chain data only: staking's reward points (20 per block authored) and its
//! slash records, and the probe reports `pallet-audit` counts through [`Pallet::note_probe_report`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod election;
pub use election::CreditAwareElection;
mod score;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use score::{era_score, next_credit, EraDuty, FULL_CREDIT};
pub use weights::WeightInfo;

use alloc::vec::Vec;
use polkadot_sdk::sp_staking::EraIndex;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::validator-credit";

/// What the chain saw validators do in an era (staking's records, in the runtime).
pub trait EraDuties<AccountId> {
	/// The active era, if staking has started.
	fn active_era() -> Option<EraIndex>;
	/// The validators of `era`.
	fn validators(era: EraIndex) -> Vec<AccountId>;
	/// `who`'s reward points in `era` (BABE authors get 20 per block).
	fn points(era: EraIndex, who: &AccountId) -> u32;
	/// Whether `who` was found committing an offence in `era`.
	fn offended(era: EraIndex, who: &AccountId) -> bool;
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `validators` the validators of `era`, each with some reward points, and `era + 1`
	/// the active era.
	fn set_era(era: EraIndex, validators: &[AccountId]);
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_election_provider_support::ElectionDataProvider,
		frame_support::{pallet_prelude::*, traits::Randomness},
		frame_system::pallet_prelude::*,
		sp_runtime::Percent,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Staking's election data, which this pallet filters and rotates.
		type Staking: ElectionDataProvider<
			AccountId = Self::AccountId,
			BlockNumber = BlockNumberFor<Self>,
		>;
		/// What validators did in each era.
		type Duties: EraDuties<Self::AccountId>;
		/// Randomness no candidate can choose: BABE's VRF output of one epoch ago.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Credit of a validator with no record (out of [`FULL_CREDIT`]).
		#[pallet::constant]
		type InitialCredit: Get<u32>;
		/// Candidates below this credit are not electable.
		#[pallet::constant]
		type MinCredit: Get<u32>;
		/// Credit a validator out of the set regains per era (up to `InitialCredit`).
		#[pallet::constant]
		type Recovery: Get<u32>;
		/// The fewest candidates the solver is handed (if that many exist).
		#[pallet::constant]
		type MinTargets: Get<u32>;
		/// Candidates handed to the solver beyond the seats when rotating.
		#[pallet::constant]
		type RotationSlack: Get<Percent>;
		/// The most validators an era has (bounds the per-era work).
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Weights of this pallet's work.
		type WeightInfo: WeightInfo;
		/// Makes an era's validators for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Credit of validators whose credit differs from `InitialCredit` (absent: `InitialCredit`).
	/// Only validators of some era get an entry, and it is removed once back at the initial
	/// credit, so there are at most a few eras' validators here.
	#[pallet::storage]
	pub type Credits<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, OptionQuery>;

	/// Retrievability-probe reports each validator filed in the current era.
	#[pallet::storage]
	pub type ProbeReports<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// The era scored when a later one becomes active (the active era when the pallet started).
	#[pallet::storage]
	pub type NextToScore<T: Config> = StorageValue<_, EraIndex, OptionQuery>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `validator`'s duties in `era` scored `score`; its credit is now `credit`.
		CreditScored { validator: T::AccountId, era: EraIndex, score: u32, credit: u32 },
		/// The election was handed `handed` of `candidates` candidates: `low_credit` were below
		/// the minimum credit and `rotated_out` were left out by the rotation.
		CandidatesSelected { candidates: u32, low_credit: u32, rotated_out: u32, handed: u32 },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let Some(active) = T::Duties::active_era() else {
				return T::DbWeight::get().reads(1);
			};
			match NextToScore::<T>::get() {
				None => {
					NextToScore::<T>::put(active);
					T::DbWeight::get().reads_writes(2, 1)
				},
				Some(era) if active > era => {
					NextToScore::<T>::put(active);
					let (validators, recovering) = Self::score_era(era);
					T::WeightInfo::score_era(validators, recovering)
				},
				Some(_) => T::DbWeight::get().reads(2),
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let initial = T::InitialCredit::get();
			for credit in Credits::<T>::iter_values() {
				ensure!(credit <= FULL_CREDIT, "a credit above the full credit");
				ensure!(credit != initial, "an entry at the initial credit was kept");
			}
			Ok(())
		}

		fn integrity_test() {
			assert!(T::InitialCredit::get() <= FULL_CREDIT);
			assert!(T::MinCredit::get() <= T::InitialCredit::get());
		}
	}

	impl<T: Config> Pallet<T> {
		/// `who`'s credit.
		pub fn credit(who: &T::AccountId) -> u32 {
			Credits::<T>::get(who).unwrap_or_else(T::InitialCredit::get)
		}

		/// Counts a retrievability-probe report by `validator` (called by `pallet-audit`).
		pub fn note_probe_report(validator: &T::AccountId) {
			ProbeReports::<T>::mutate(validator, |n| *n = n.saturating_add(1));
		}

		fn set_credit(who: &T::AccountId, credit: u32) {
			if credit == T::InitialCredit::get() {
				Credits::<T>::remove(who);
			} else {
				Credits::<T>::insert(who, credit);
			}
		}

		/// Scores `era`'s validators and lets the others recover: (validators scored,
		/// recovering validators).
		pub(crate) fn score_era(era: EraIndex) -> (u32, u32) {
			let max = T::MaxValidators::get() as usize;
			let mut validators = T::Duties::validators(era);
			validators.truncate(max);
			let duties: Vec<_> = validators
				.iter()
				.map(|v| EraDuty {
					points: T::Duties::points(era, v),
					reports: ProbeReports::<T>::get(v),
					offended: T::Duties::offended(era, v),
				})
				.collect();
			for (who, score) in validators.iter().zip(score::era_scores(&duties)) {
				let credit = next_credit(Self::credit(who), score);
				Self::set_credit(who, credit);
				Self::deposit_event(Event::CreditScored {
					validator: who.clone(),
					era,
					score,
					credit,
				});
			}
			let _ = ProbeReports::<T>::clear(T::MaxValidators::get().saturating_mul(2), None);
			// Validators out of the set recover (a bounded number per era).
			let recovering: Vec<_> = Credits::<T>::iter()
				.filter(|(who, _)| !validators.contains(who))
				.take(max)
				.collect();
			let initial = T::InitialCredit::get();
			for (who, credit) in &recovering {
				Self::set_credit(who, credit.saturating_add(T::Recovery::get()).min(initial));
			}
			log::debug!(target: LOG_TARGET, "scored era {era}: {} validators", validators.len());
			(validators.len() as u32, recovering.len() as u32)
		}
	}
}
