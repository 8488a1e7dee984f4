//! Chain specifications. Every genesis value lives in the runtime's presets; a chain spec only
//! names one and adds the chain's identity and token properties.

use cess_runtime::{constants::currency, WASM_BINARY};
use polkadot_sdk::{sc_service::ChainType, *};

/// The chain specification of a CESS chain.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token symbol, decimals and address format wallets read from the chain spec.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), currency::SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available: this node was built with SKIP_WASM_BUILD. \
		 Rebuild without it."
			.to_string()
	})
}

/// `dev`: one validator (Alice), for development.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("CESS Development")
		.with_id("cess_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("CESS Local Testnet")
		.with_id("cess_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
