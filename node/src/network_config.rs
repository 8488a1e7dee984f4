//! A real network's chain spec from an operator's config file (`cess-node network-spec`): its
//! validators' stash and session keys, endowments, root key (an account, a multisig of several,
//! or none), boot nodes and telemetry. Well-known development keys are refused.

use cess_runtime::{
	genesis_config_presets::{network_genesis, GenesisValidator, NetworkGenesis},
	AccountId, Balance, DOLLARS, EXISTENTIAL_DEPOSIT,
};
use polkadot_sdk::{
	sc_service::ChainType,
	sc_telemetry::TelemetryEndpoints,
	sp_core::{crypto::Ss58Codec, ed25519, sr25519, ByteArray, Pair as _},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	*,
};
use serde::Deserialize;
use std::{collections::BTreeSet, sync::OnceLock};

/// The config file: `docs/running-a-validator.md` describes every field;
/// `node/res/testnet.json` is an example.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfig {
	/// The chain's name, shown by wallets and telemetry.
	pub name: String,
	/// The chain's id: its database directory and network protocol name.
	pub id: String,
	/// `Live`, `Local` or `Development`.
	#[serde(default = "live")]
	pub chain_type: String,
	/// Multiaddresses of nodes every new node connects to first.
	#[serde(default)]
	pub boot_nodes: Vec<String>,
	/// Telemetry servers and the verbosity each receives.
	#[serde(default)]
	pub telemetry: Vec<Telemetry>,
	/// The root origin: an account, a multisig of accounts, or absent (no root).
	#[serde(default)]
	pub root: Option<Root>,
	/// Seats in the validator set (at least the genesis validators).
	pub validator_count: u32,
	/// Whether validators probe miners on private addresses (only for one-site networks).
	#[serde(default)]
	pub private_endpoints: bool,
	/// The genesis validators.
	pub validators: Vec<Validator>,
	/// Funded accounts.
	pub endowments: Vec<Endowment>,
}

fn live() -> String {
	"Live".into()
}

/// A telemetry server.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Telemetry {
	/// Its websocket URL.
	pub url: String,
	/// 0 (least) to 9.
	pub verbosity: u8,
}

/// Who holds the root origin.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Root {
	/// One account (SS58 or 0x-hex public key).
	Account(String),
	/// The multisig account of `signatories` with `threshold` approvals.
	Multisig {
		/// Approvals a call needs.
		threshold: u16,
		/// The members (SS58 or 0x-hex).
		signatories: Vec<String>,
	},
}

/// A genesis validator: its stash and session keys, each SS58 or 0x-hex.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validator {
	/// The stash account (it is also the controller), funded by `endowments`.
	pub stash: String,
	/// The sr25519 BABE key.
	pub babe: String,
	/// The ed25519 GRANDPA key.
	pub grandpa: String,
	/// The sr25519 retrievability-probe key.
	pub audit: String,
	/// What the stash bonds, in whole tokens (decimals allowed: "1000.5").
	pub bond: String,
}

/// A funded account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endowment {
	/// SS58 or 0x-hex.
	pub account: String,
	/// In whole tokens (decimals allowed).
	pub balance: String,
}

/// Parses `amount` tokens ("1000", "0.25") into the chain's smallest unit.
fn tokens(what: &str, amount: &str) -> Result<Balance, String> {
	let bad =
		|| format!("{what}: `{amount}` is not an amount of tokens such as \"1000\" or \"0.5\"");
	let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
	let decimals = cess_runtime::constants::currency::TOKEN_DECIMALS as usize;
	if whole.is_empty() || fraction.len() > decimals {
		return Err(bad());
	}
	let whole: Balance = whole.parse().map_err(|_| bad())?;
	let fraction: Balance = if fraction.is_empty() {
		0
	} else {
		format!("{fraction:0<decimals$}").parse().map_err(|_| bad())?
	};
	whole.checked_mul(DOLLARS).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)
}

/// The 32 public-key bytes of an SS58 address or 0x-hex key.
fn public_bytes(what: &str, text: &str) -> Result<[u8; 32], String> {
	let bytes = match text.strip_prefix("0x") {
		Some(hex) => {
			let decoded = (0..hex.len())
				.step_by(2)
				.map(|i| hex.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
				.collect::<Option<Vec<u8>>>();
			decoded.ok_or_else(|| format!("{what}: `{text}` is not hex"))?
		},
		None => sr25519::Public::from_ss58check_with_version(text)
			.map_err(|e| format!("{what}: `{text}` is not an SS58 address ({e:?})"))?
			.0
			.to_raw_vec(),
	};
	let bytes: [u8; 32] =
		bytes.try_into().map_err(|_| format!("{what}: `{text}` is not a 32-byte public key"))?;
	if well_known_keys().contains(&bytes) {
		return Err(format!(
			"{what}: `{text}` is a well-known development key (//Alice, //Bob, …), which anyone \
			 can sign with. Generate keys with `cess-node key generate`."
		));
	}
	Ok(bytes)
}

/// The public keys of the development keyrings, with and without `//stash`.
fn well_known_keys() -> &'static BTreeSet<[u8; 32]> {
	static KEYS: OnceLock<BTreeSet<[u8; 32]>> = OnceLock::new();
	KEYS.get_or_init(|| {
		let sr = Sr25519Keyring::iter().map(|k| k.public().0);
		let ed = Ed25519Keyring::iter().map(|k| k.public().0);
		let stash = Sr25519Keyring::iter().map(|k| {
			sr25519::Pair::from_string(&format!("//{}//stash", k), None)
				.expect("valid uri")
				.public()
				.0
		});
		sr.chain(ed).chain(stash).collect()
	})
}

fn account(what: &str, text: &str) -> Result<AccountId, String> {
	public_bytes(what, text).map(AccountId::from)
}

impl NetworkConfig {
	/// Parses the config file's JSON.
	pub fn from_json(json: &[u8]) -> Result<Self, String> {
		serde_json::from_slice(json).map_err(|e| format!("the network config is invalid: {e}"))
	}

	/// The genesis this config describes, checked: funded stashes, no development keys.
	pub fn genesis(&self) -> Result<NetworkGenesis, String> {
		if self.validators.is_empty() {
			return Err("`validators` is empty: a network needs at least one".into());
		}
		let mut endowed = Vec::new();
		for (i, e) in self.endowments.iter().enumerate() {
			let who = account(&format!("endowments[{i}].account"), &e.account)?;
			let balance = tokens(&format!("endowments[{i}].balance"), &e.balance)?;
			if balance < EXISTENTIAL_DEPOSIT {
				return Err(format!("endowments[{i}].balance is below the existential deposit"));
			}
			if endowed.iter().any(|(w, _)| *w == who) {
				return Err(format!("endowments[{i}]: `{}` is endowed twice", e.account));
			}
			endowed.push((who, balance));
		}
		let mut validators = Vec::new();
		for (i, v) in self.validators.iter().enumerate() {
			let field = |name: &str| format!("validators[{i}].{name}");
			let stash = account(&field("stash"), &v.stash)?;
			let bond = tokens(&field("bond"), &v.bond)?;
			let funded = endowed.iter().find(|(w, _)| *w == stash).map(|(_, b)| *b).unwrap_or(0);
			if funded < bond.saturating_add(EXISTENTIAL_DEPOSIT) {
				return Err(format!(
					"{}: the stash is endowed with less than its bond plus the existential \
					 deposit; add it to `endowments` with at least that much",
					field("bond")
				));
			}
			let validator = GenesisValidator {
				stash,
				babe: sr25519::Public::from_raw(public_bytes(&field("babe"), &v.babe)?).into(),
				grandpa: ed25519::Public::from_raw(public_bytes(&field("grandpa"), &v.grandpa)?)
					.into(),
				audit: sr25519::Public::from_raw(public_bytes(&field("audit"), &v.audit)?).into(),
			};
			validators.push((validator, bond));
		}
		let root = match &self.root {
			None => None,
			Some(Root::Account(who)) => Some(account("root.account", who)?),
			Some(Root::Multisig { threshold, signatories }) => {
				let mut members = signatories
					.iter()
					.enumerate()
					.map(|(i, s)| account(&format!("root.multisig.signatories[{i}]"), s))
					.collect::<Result<Vec<_>, _>>()?;
				members.sort();
				members.dedup();
				if *threshold == 0 || *threshold as usize > members.len() {
					return Err(format!(
						"root.multisig.threshold {threshold} must be between 1 and the {} \
						 distinct signatories",
						members.len()
					));
				}
				Some(cess_runtime::Multisig::multi_account_id(&members, *threshold))
			},
		};
		Ok(NetworkGenesis {
			validators,
			endowed,
			root,
			validator_count: self.validator_count,
			private_endpoints: self.private_endpoints,
		})
	}

	/// The chain spec of this network.
	pub fn chain_spec(&self) -> Result<crate::chain_spec::ChainSpec, String> {
		let genesis = network_genesis(self.genesis()?);
		let chain_type = match self.chain_type.as_str() {
			"Live" => ChainType::Live,
			"Local" => ChainType::Local,
			"Development" => ChainType::Development,
			other => return Err(format!("chainType `{other}`: use Live, Local or Development")),
		};
		let boot_nodes = self
			.boot_nodes
			.iter()
			.map(|a| {
				a.parse().map_err(|e| {
					format!("bootNodes: `{a}` is not a multiaddress with a peer id: {e}")
				})
			})
			.collect::<Result<Vec<_>, String>>()?;
		let telemetry = if self.telemetry.is_empty() {
			None
		} else {
			Some(
				TelemetryEndpoints::new(
					self.telemetry.iter().map(|t| (t.url.clone(), t.verbosity)).collect(),
				)
				.map_err(|e| format!("telemetry: {e}"))?,
			)
		};
		let mut builder =
			crate::chain_spec::ChainSpec::builder(crate::chain_spec::wasm_binary()?, None)
				.with_name(&self.name)
				.with_id(&self.id)
				.with_chain_type(chain_type)
				.with_protocol_id(&self.id)
				.with_genesis_config_patch(genesis)
				.with_properties(crate::chain_spec::properties())
				.with_boot_nodes(boot_nodes);
		if let Some(telemetry) = telemetry {
			builder = builder.with_telemetry_endpoints(telemetry);
		}
		Ok(builder.build())
	}
}

/// `cess-node network-spec`: writes the chain spec of a network config.
#[derive(Debug, clap::Parser)]
pub struct NetworkSpecCmd {
	/// The network config (JSON; see `node/res/testnet.json`).
	#[arg(long)]
	pub config: std::path::PathBuf,
	/// Write the raw spec (genesis as storage), the form every node of the network should use.
	#[arg(long)]
	pub raw: bool,
}

impl NetworkSpecCmd {
	/// Prints the spec to standard output.
	pub fn run(&self) -> Result<(), String> {
		let json = std::fs::read(&self.config)
			.map_err(|e| format!("cannot read {}: {e}", self.config.display()))?;
		let spec = NetworkConfig::from_json(&json)?.chain_spec()?;
		let out = sc_service::ChainSpec::as_json(&spec, self.raw)?;
		println!("{out}");
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const TESTNET: &[u8] = include_bytes!("../res/testnet.json");

	#[test]
	fn the_testnet_config_is_valid_and_has_no_development_keys() {
		let config = NetworkConfig::from_json(TESTNET).unwrap();
		let genesis = config.genesis().unwrap();
		assert_eq!(genesis.validators.len(), 4);
		assert!(genesis.root.is_some());
	}

	#[test]
	fn development_keys_are_refused() {
		let mut config = NetworkConfig::from_json(TESTNET).unwrap();
		config.endowments[0].account = Sr25519Keyring::Alice.to_account_id().to_ss58check();
		let Err(err) = config.genesis() else { panic!("accepted") };
		assert!(err.contains("well-known development key"), "{err}");
	}

	#[test]
	fn an_unfunded_stash_is_refused() {
		let mut config = NetworkConfig::from_json(TESTNET).unwrap();
		config.validators[0].bond = "1000000000000".into();
		let Err(err) = config.genesis() else { panic!("accepted") };
		assert!(err.contains("validators[0].bond"), "{err}");
	}

	#[test]
	fn amounts_parse_to_the_smallest_unit() {
		assert_eq!(tokens("x", "1").unwrap(), DOLLARS);
		assert_eq!(tokens("x", "0.25").unwrap(), DOLLARS / 4);
		assert!(tokens("x", "1.2.3").is_err());
		assert!(tokens("x", ".5").is_err());
		assert!(tokens("x", "-1").is_err());
	}
}
