//! A test runtime: System and ValidatorCredit over scripted staking data and era duties.

use crate::{self as pallet_validator_credit, EraDuties};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_election_provider_support::{
		data_provider, DataProviderBounds, ElectionDataProvider, PageIndex, VoterOf,
	},
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, Hooks, Randomness},
	},
	frame_system,
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Percent},
	sp_staking::EraIndex,
};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ValidatorCredit = pallet_validator_credit;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Scripted staking: candidates, seats, the active era and each era's validators and duties.
#[derive(Default)]
pub struct Chain {
	pub candidates: Vec<u64>,
	pub seats: u32,
	pub active_era: Option<EraIndex>,
	pub validators: BTreeMap<EraIndex, Vec<u64>>,
	pub points: BTreeMap<(EraIndex, u64), u32>,
	pub offenders: BTreeSet<(EraIndex, u64)>,
	pub seed: [u8; 32],
}

thread_local! {
	pub static CHAIN: RefCell<Chain> = RefCell::new(Chain::default());
}

pub fn chain<R>(f: impl FnOnce(&mut Chain) -> R) -> R {
	CHAIN.with(|c| f(&mut c.borrow_mut()))
}

pub struct MockStaking;
impl ElectionDataProvider for MockStaking {
	type AccountId = u64;
	type BlockNumber = u64;
	type MaxVotesPerVoter = ConstU32<16>;

	fn electable_targets(_: DataProviderBounds, _: PageIndex) -> data_provider::Result<Vec<u64>> {
		Ok(chain(|c| c.candidates.clone()))
	}
	fn electing_voters(
		_: DataProviderBounds,
		_: PageIndex,
	) -> data_provider::Result<Vec<VoterOf<Self>>> {
		Ok(Vec::new())
	}
	fn desired_targets() -> data_provider::Result<u32> {
		Ok(chain(|c| c.seats))
	}
	fn next_election_prediction(now: u64) -> u64 {
		now + 10
	}
}

pub struct MockDuties;
impl EraDuties<u64> for MockDuties {
	fn active_era() -> Option<EraIndex> {
		chain(|c| c.active_era)
	}
	fn validators(era: EraIndex) -> Vec<u64> {
		chain(|c| c.validators.get(&era).cloned().unwrap_or_default())
	}
	fn points(era: EraIndex, who: &u64) -> u32 {
		chain(|c| c.points.get(&(era, *who)).copied().unwrap_or(0))
	}
	fn offended(era: EraIndex, who: &u64) -> bool {
		chain(|c| c.offenders.contains(&(era, *who)))
	}
}

pub struct MockRandomness;
impl Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let seed = chain(|c| c.seed);
		(polkadot_sdk::sp_io::hashing::blake2_256(&[&seed[..], subject].concat()).into(), 0)
	}
}

parameter_types! {
	pub const Slack: Percent = Percent::from_percent(25);
}

impl pallet_validator_credit::Config for Test {
	type Staking = MockStaking;
	type Duties = MockDuties;
	type Randomness = MockRandomness;
	type InitialCredit = ConstU32<1000>;
	type MinCredit = ConstU32<500>;
	type Recovery = ConstU32<250>;
	type MinTargets = ConstU32<2>;
	type RotationSlack = Slack;
	type MaxValidators = ConstU32<64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchEra;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchEra;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for BenchEra {
	fn set_era(era: EraIndex, validators: &[u64]) {
		chain(|c| {
			c.validators.insert(era, validators.to_vec());
			for v in validators {
				c.points.insert((era, *v), 20);
			}
			c.active_era = Some(era + 1);
		});
	}
}

/// Ends `era`: it had `validators`, each with `(points, reports)`; `era + 1` becomes active
/// and the next block scores `era`.
pub fn end_era(era: EraIndex, duties: &[(u64, u32, u32)]) {
	chain(|c| {
		c.validators.insert(era, duties.iter().map(|d| d.0).collect());
		for (who, points, _) in duties {
			c.points.insert((era, *who), *points);
		}
		c.active_era = Some(era + 1);
	});
	for (who, _, reports) in duties {
		for _ in 0..*reports {
			crate::Pallet::<Test>::note_probe_report(who);
		}
	}
	next_block();
}

pub fn next_block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	ValidatorCredit::on_initialize(n);
}

pub fn new_test_ext() -> TestExternalities {
	CHAIN.with(|c| *c.borrow_mut() = Chain::default());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		chain(|c| c.active_era = Some(0));
		ValidatorCredit::on_initialize(1);
	});
	ext
}
