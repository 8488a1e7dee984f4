//! Genesis presets: the initial state of `development` and `local_testnet` chains.
//!
//! The node's chain specs only name a preset; everything in the genesis state is decided here.

use crate::{
	AccountId, AuditConfig, BabeConfig, Balance, BalancesConfig, FileBankConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, StakingConfig, SudoConfig,
	BABE_GENESIS_EPOCH_CONFIG, CENTS, DOLLARS,
};
use alloc::{vec, vec::Vec};
use pallet_audit::crypto::Public as ProbeId;
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	pallet_staking::StakerStatus,
	sp_consensus_babe::AuthorityId as BabeId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::Perbill,
};
use serde_json::Value;

/// What every endowed account holds at genesis.
pub const ENDOWMENT: Balance = 1_000_000 * DOLLARS;
/// What each genesis validator bonds.
pub const VALIDATOR_BOND: Balance = ENDOWMENT / 10;
/// Price of one GiB of storage for one day at genesis.
pub const STORAGE_UNIT_PRICE: Balance = 10 * CENTS;
/// Erasure profiles `(k, m)` allowed at genesis: 3 copies (4+8, the default), 3 copies for
/// small networks (2+4) and 1.5 copies (2+1).
pub const GENESIS_PROFILES: [(u8, u8); 3] = [(4, 8), (2, 4), (2, 1)];

/// A genesis validator: its stash account and session keys.
pub struct GenesisValidator {
	/// The stash (and controller) account.
	pub stash: AccountId,
	/// BABE block-production key.
	pub babe: BabeId,
	/// GRANDPA finality key.
	pub grandpa: GrandpaId,
	/// Retrievability-probe key.
	pub audit: ProbeId,
}

impl GenesisValidator {
	/// The validator that a well-known development key controls (`//Alice`, `//Bob`, …): its
	/// sr25519 key is the stash, BABE and probe key, its ed25519 key the GRANDPA key.
	fn from_keyring((sr, ed): (Sr25519Keyring, Ed25519Keyring)) -> Self {
		Self {
			stash: sr.to_account_id(),
			babe: sr.public().into(),
			grandpa: ed.public().into(),
			audit: sr.public().into(),
		}
	}
}

/// The genesis state of a chain with the given validators, funded accounts and sudo key;
/// `private_endpoints`: whether validators probe miners on loopback and private networks (only
/// on chains whose nodes all run on one machine or network).
pub fn testnet_genesis(
	validators: Vec<GenesisValidator>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	private_endpoints: bool,
) -> Value {
	let validator_count = validators.len() as u32;
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|v| {
					(
						v.stash.clone(),
						v.stash.clone(),
						SessionKeys {
							babe: v.babe.clone(),
							grandpa: v.grandpa.clone(),
							audit: v.audit.clone(),
						},
					)
				})
				.collect::<Vec<_>>(),
		},
		staking: StakingConfig {
			validator_count,
			minimum_validator_count: validator_count.min(1),
			invulnerables: validators.iter().map(|v| v.stash.clone()).collect::<Vec<_>>(),
			slash_reward_fraction: Perbill::from_percent(10),
			stakers: validators
				.iter()
				.map(|v| {
					(v.stash.clone(), v.stash.clone(), VALIDATOR_BOND, StakerStatus::Validator)
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		audit: AuditConfig { allow_private_endpoints: private_endpoints },
		file_bank: FileBankConfig {
			unit_price: STORAGE_UNIT_PRICE,
			profiles: GENESIS_PROFILES.to_vec(),
		},
	})
}

/// `development`: Alice validates alone; the well-known development accounts are funded.
fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![GenesisValidator::from_keyring((Sr25519Keyring::Alice, Ed25519Keyring::Alice))],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		true,
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate; the well-known accounts are funded.
///
/// Four validators, not three: GRANDPA finalizes with more than two thirds of the votes, so a
/// set of `3f + 1` tolerates `f` faults. Three validators would stall finality as soon as one
/// stops; four keep finalizing with one down.
fn local_config_genesis() -> Value {
	testnet_genesis(
		[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		]
		.into_iter()
		.map(GenesisValidator::from_keyring)
		.collect(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		true,
	)
}

/// The JSON of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work; qed")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
