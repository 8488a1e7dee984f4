//! Block production (BABE), finality (GRANDPA), sessions and offence reporting.

use crate::{
	AccountId, Babe, Historical, Offences, Runtime, RuntimeEvent, Session, SessionKeys, Staking,
	EPOCH_DURATION_IN_SLOTS, MILLI_SECS_PER_BLOCK,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::KeyOwnerProofSystem},
	pallet_session::{self, historical as pallet_session_historical},
	sp_consensus_babe, sp_consensus_grandpa,
	sp_core::crypto::KeyTypeId,
	sp_runtime::traits::OpaqueKeys,
	*,
};

use super::staking::MaxNominators;

parameter_types! {
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	pub const ExpectedBlockTime: u64 = MILLI_SECS_PER_BLOCK;
	/// Equivocation reports are valid for a whole bonding period.
	pub const ReportLongevity: u64 =
		super::staking::BondingDuration::get() as u64
			* super::staking::SessionsPerEra::get() as u64
			* EpochDuration::get();
	pub const MaxAuthorities: u32 = 100;
	pub const MaxSetIdSessionEntries: u32 = super::staking::BondingDuration::get()
		* super::staking::SessionsPerEra::get();
}

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	// Epochs change with sessions, which staking drives.
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type KeyOwnerProof =
		<Historical as KeyOwnerProofSystem<(KeyTypeId, sp_consensus_babe::AuthorityId)>>::Proof;
	type EquivocationReportSystem =
		pallet_babe::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof =
		<Historical as KeyOwnerProofSystem<(KeyTypeId, sp_consensus_grandpa::AuthorityId)>>::Proof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = Staking;
}

/// Validators are disabled for the rest of the era when they commit an offence, up to a third
/// of the set (more would halt GRANDPA).
const DISABLING_LIMIT_FACTOR: usize = 3;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = pallet_session_historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy =
		pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy<DISABLING_LIMIT_FACTOR>;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = crate::Balances;
	type KeyDeposit = ();
}

impl pallet_session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session_historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}
