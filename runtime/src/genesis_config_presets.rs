//! Genesis: the initial state of `development` and `local_testnet` chains (presets, with the
//! well-known development keys) and of any network an operator describes (`network_genesis`,
//! which the node's `network-spec` command fills from a config file).

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

/// The genesis of a network: what a preset or an operator's network config decides.
pub struct NetworkGenesis {
	/// The validators elected for the first eras, each bonding `bond` from its stash.
	pub validators: Vec<(GenesisValidator, Balance)>,
	/// Funded accounts and what each holds (validators' stashes must be among them).
	pub endowed: Vec<(AccountId, Balance)>,
	/// The root key (sudo), or none: then only a runtime upgrade can add one, and nothing can
	/// apply a runtime upgrade.
	pub root: Option<AccountId>,
	/// Seats in the validator set: more than the genesis validators, so new validators that bond
	/// are elected.
	pub validator_count: u32,
	/// Whether validators probe miners on loopback and private networks (only on chains whose
	/// nodes all run on one machine or network).
	pub private_endpoints: bool,
}

/// The most validators the presets' chains elect (the genesis validators and those who join).
pub const PRESET_VALIDATOR_SEATS: u32 = 32;

/// The genesis state of `network` as a JSON patch of the runtime's genesis config.
pub fn network_genesis(network: NetworkGenesis) -> Value {
	let NetworkGenesis { validators, endowed, root, validator_count, private_endpoints } = network;
	let genesis_validators = validators.len() as u32;
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|(v, _)| {
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
			validator_count: validator_count.max(genesis_validators),
			// An election with fewer winners than this keeps the current set.
			minimum_validator_count: genesis_validators.min(1),
			slash_reward_fraction: Perbill::from_percent(10),
			stakers: validators
				.iter()
				.map(|(v, bond)| (v.stash.clone(), v.stash.clone(), *bond, StakerStatus::Validator))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		audit: AuditConfig { allow_private_endpoints: private_endpoints },
		file_bank: FileBankConfig {
			unit_price: STORAGE_UNIT_PRICE,
			profiles: GENESIS_PROFILES.to_vec(),
		},
	})
}

/// A development chain's genesis: the given well-known validators, every well-known account
/// funded with `ENDOWMENT`, Alice as root.
fn development_network(validators: &[(Sr25519Keyring, Ed25519Keyring)]) -> Value {
	network_genesis(NetworkGenesis {
		validators: validators
			.iter()
			.map(|keys| (GenesisValidator::from_keyring(*keys), VALIDATOR_BOND))
			.collect(),
		endowed: Sr25519Keyring::well_known().map(|k| (k.to_account_id(), ENDOWMENT)).collect(),
		root: Some(Sr25519Keyring::Alice.to_account_id()),
		validator_count: PRESET_VALIDATOR_SEATS,
		private_endpoints: true,
	})
}

/// `development`: Alice validates alone; the well-known development accounts are funded.
fn development_config_genesis() -> Value {
	development_network(&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)])
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate; the well-known accounts are funded;
/// more validators may join (`PRESET_VALIDATOR_SEATS`).
///
/// Four validators, not three: GRANDPA finalizes with more than two thirds of the votes, so a
/// set of `3f + 1` tolerates `f` faults. Three validators would stall finality as soon as one
/// stops; four keep finalizing with one down.
fn local_config_genesis() -> Value {
	development_network(&[
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	])
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
