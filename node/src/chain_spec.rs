//! Chain specifications. Every genesis value lives in the runtime's presets; a chain spec only
//! names one and adds the chain's identity and token properties.

use cess_runtime::{constants::currency, WASM_BINARY};
use polkadot_sdk::{sc_service::ChainType, *};

/// The chain specification of a CESS chain.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token symbol, decimals and address format wallets read from the chain spec.
pub(crate) fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), currency::SS58_PREFIX.into());
	properties
}

pub(crate) fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available: this node was built with SKIP_WASM_BUILD. \
		 Rebuild without it."
			.to_string()
	})
}

/// A chain spec of the runtime's genesis preset `preset`.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `dev`: one validator (Alice), for development.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"CESS Development",
		"cess_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"CESS Local Testnet",
		"cess_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `testnet`: the CESS public test network, from `node/res/testnet.json` (its validators' and
/// root signatories' public keys; their operators hold the secret keys).
pub fn testnet_chain_spec() -> Result<ChainSpec, String> {
	crate::network_config::NetworkConfig::from_json(include_bytes!("../res/testnet.json"))?
		.chain_spec()
}
