//! R²S, credit-aware validator rotation: `pallet-validator-credit` scores validators from
//! staking's records and the probe reports `audit` counts, and sits between staking and the
//! election (`OnChainSeqPhragmen::DataProvider`), so the solver never sees a low-credit
//! candidate.

use crate::{AccountId, Runtime, ValidatorCredit};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	pallet_babe, pallet_session, pallet_staking,
	sp_runtime::Percent,
	sp_staking::EraIndex,
};

parameter_types! {
	/// Among more eligible candidates than this share above the seats, a VRF draw picks which
	/// the solver sees.
	pub const RotationSlack: Percent = Percent::from_percent(25);
}

/// Staking's records of each era, for the credit scores.
pub struct StakingDuties;
impl pallet_validator_credit::EraDuties<AccountId> for StakingDuties {
	fn active_era() -> Option<EraIndex> {
		pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index)
	}

	fn validators(era: EraIndex) -> Vec<AccountId> {
		pallet_staking::ErasStakersOverview::<Runtime>::iter_key_prefix(era).collect()
	}

	fn points(era: EraIndex, who: &AccountId) -> u32 {
		pallet_staking::ErasRewardPoints::<Runtime>::get(era)
			.individual
			.get(who)
			.copied()
			.unwrap_or(0)
	}

	fn offended(era: EraIndex, who: &AccountId) -> bool {
		pallet_staking::ValidatorSlashInEra::<Runtime>::contains_key(era, who)
	}
}

/// Counts an accepted probe report for the validator at its authority index (audit's
/// authorities are the session's validators, in order).
pub struct CountProbeReport;
impl cess_primitives::traits::ProbeDuty for CountProbeReport {
	fn reported(authority_index: u32) {
		if let Some(validator) =
			pallet_session::Validators::<Runtime>::get().get(authority_index as usize)
		{
			ValidatorCredit::note_probe_report(validator);
		}
	}
}

impl pallet_validator_credit::Config for Runtime {
	type Staking = crate::Staking;
	type Duties = StakingDuties;
	type Randomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	type InitialCredit = ConstU32<1000>;
	type MinCredit = ConstU32<500>;
	type Recovery = ConstU32<250>;
	// A GRANDPA set of 3f + 1 tolerates f faults: keep at least four candidates.
	type MinTargets = ConstU32<4>;
	type RotationSlack = RotationSlack;
	type MaxValidators = super::consensus::MaxAuthorities;
	type WeightInfo = pallet_validator_credit::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkEras;
}

/// Eras made directly in staking's storage for the `score_era` benchmark.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkEras;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_credit::BenchmarkHelper<AccountId> for BenchmarkEras {
	fn set_era(era: EraIndex, validators: &[AccountId]) {
		let mut points = pallet_staking::EraRewardPoints::<AccountId>::default();
		for who in validators {
			pallet_staking::ErasStakersOverview::<Runtime>::insert(
				era,
				who,
				polkadot_sdk::sp_staking::PagedExposureMetadata::default(),
			);
			points.individual.insert(who.clone(), 20);
			points.total += 20;
		}
		pallet_staking::ErasRewardPoints::<Runtime>::insert(era, points);
		pallet_staking::ActiveEra::<Runtime>::put(pallet_staking::ActiveEraInfo {
			index: era + 1,
			start: None,
		});
	}
}
