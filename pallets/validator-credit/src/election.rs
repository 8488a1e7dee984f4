//! The election data: staking's, with low-credit candidates left out and, when there are many
//! more eligible candidates than seats, a credit-weighted random draw of them.

use crate::{Config, Event, Pallet};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_election_provider_support::{
		data_provider, BoundedSupportsOf, DataProviderBounds, ElectionDataProvider,
		ElectionProvider, PageIndex, VoterOf,
	},
	frame_support::{
		traits::{Get, Randomness},
		weights::Weight,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::traits::Hash,
};

impl<T: Config> Pallet<T> {
	/// The candidates handed to the solver out of `candidates` (staking's electable targets),
	/// with the number left out for low credit and by the rotation.
	pub fn select_candidates(
		candidates: Vec<T::AccountId>,
		seats: u32,
	) -> (Vec<T::AccountId>, u32, u32) {
		let min_credit = T::MinCredit::get();
		let total = candidates.len() as u32;
		let (mut eligible, mut low): (Vec<_>, Vec<_>) =
			candidates.into_iter().partition(|c| Self::credit(c) >= min_credit);
		// Never fewer than `MinTargets`: top up with the best-credited of the rest.
		let floor = T::MinTargets::get() as usize;
		if eligible.len() < floor {
			low.sort_by_key(|c| core::cmp::Reverse(Self::credit(c)));
			let missing = floor - eligible.len();
			eligible.extend(low.drain(..missing.min(low.len())));
		}
		let low_credit = total - eligible.len() as u32;
		let handed = seats.saturating_add(T::RotationSlack::get().mul_ceil(seats)) as usize;
		let mut rotated_out = 0;
		if eligible.len() > handed {
			// Credit-weighted draw: the smallest `hash(seed ‖ who) / credit` win.
			let seed = T::Randomness::random(b"cess/r2s/rotation").0;
			let key = |who: &T::AccountId| {
				let hash = T::Hashing::hash_of(&(seed, who));
				let draw = u64::from_le_bytes(hash.as_ref()[..8].try_into().unwrap_or([0; 8]));
				draw / (Self::credit(who).max(1) as u64)
			};
			eligible.sort_by_cached_key(|who| (key(who), who.encode()));
			rotated_out = (eligible.len() - handed) as u32;
			eligible.truncate(handed);
		}
		Self::deposit_event(Event::CandidatesSelected {
			candidates: total,
			low_credit,
			rotated_out,
			handed: eligible.len() as u32,
		});
		(eligible, low_credit, rotated_out)
	}
}

impl<T: Config> ElectionDataProvider for Pallet<T> {
	type AccountId = T::AccountId;
	type BlockNumber = BlockNumberFor<T>;
	type MaxVotesPerVoter = <T::Staking as ElectionDataProvider>::MaxVotesPerVoter;

	fn electable_targets(
		bounds: DataProviderBounds,
		page: PageIndex,
	) -> data_provider::Result<Vec<T::AccountId>> {
		let candidates = T::Staking::electable_targets(bounds, page)?;
		let seats = T::Staking::desired_targets()?;
		Ok(Self::select_candidates(candidates, seats).0)
	}

	fn electing_voters(
		bounds: DataProviderBounds,
		page: PageIndex,
	) -> data_provider::Result<Vec<VoterOf<Self>>> {
		// Votes for candidates left out of the targets are ignored by the solver.
		T::Staking::electing_voters(bounds, page)
	}

	fn desired_targets() -> data_provider::Result<u32> {
		T::Staking::desired_targets()
	}

	fn next_election_prediction(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		T::Staking::next_election_prediction(now)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn put_snapshot(
		voters: Vec<VoterOf<Self>>,
		targets: Vec<T::AccountId>,
		target_stake: Option<polkadot_sdk::frame_election_provider_support::VoteWeight>,
	) {
		T::Staking::put_snapshot(voters, targets, target_stake)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn fetch_page(page: PageIndex) {
		T::Staking::fetch_page(page)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn add_voter(
		voter: T::AccountId,
		weight: polkadot_sdk::frame_election_provider_support::VoteWeight,
		targets: polkadot_sdk::frame_support::BoundedVec<T::AccountId, Self::MaxVotesPerVoter>,
	) {
		T::Staking::add_voter(voter, weight, targets)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn add_target(target: T::AccountId) {
		T::Staking::add_target(target)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn clear() {
		T::Staking::clear()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_desired_targets(count: u32) {
		T::Staking::set_desired_targets(count)
	}
}

/// An election provider staking accepts, over `Inner`, which reads this pallet's data. Staking
/// requires its election provider to name staking as the data provider; this one does, while
/// the data `Inner` solves comes through [`Pallet`]'s filter and rotation.
pub struct CreditAwareElection<T, Inner>(core::marker::PhantomData<(T, Inner)>);

impl<T, Inner> ElectionProvider for CreditAwareElection<T, Inner>
where
	T: Config,
	Inner: ElectionProvider<
		AccountId = T::AccountId,
		BlockNumber = BlockNumberFor<T>,
		DataProvider = Pallet<T>,
	>,
{
	type AccountId = T::AccountId;
	type BlockNumber = BlockNumberFor<T>;
	type Error = Inner::Error;
	type MaxWinnersPerPage = Inner::MaxWinnersPerPage;
	type MaxBackersPerWinner = Inner::MaxBackersPerWinner;
	type MaxBackersPerWinnerFinal = Inner::MaxBackersPerWinnerFinal;
	type Pages = Inner::Pages;
	type DataProvider = T::Staking;

	fn elect(page: PageIndex) -> Result<BoundedSupportsOf<Self>, Self::Error> {
		Inner::elect(page)
	}

	fn duration() -> Self::BlockNumber {
		Inner::duration()
	}

	fn start() -> Result<(), Self::Error> {
		Inner::start()
	}

	fn status() -> Result<Option<Weight>, ()> {
		Inner::status()
	}

	#[cfg(any(feature = "runtime-benchmarks", feature = "std"))]
	fn asap() {
		Inner::asap()
	}
}
