//! A runtime upgrade with a storage migration on a running four-validator `local` network:
//! root applies `cess_runtime::next` (this runtime with the next spec version and the
//! rehearsal's migration), the migration runs once, blocks continue and polkadot.js follows the
//! new metadata.

mod common;

use common::{polkadot_js, start_local_validators, temp_dir};
use std::time::Duration;

#[test]
fn a_runtime_upgrade_with_a_migration_applies_while_blocks_continue() {
	let wasm = cess_runtime::next::WASM_BINARY.expect("the rehearsal runtime is built");
	let wasm_path = temp_dir("upgrade").join("cess_runtime_next.wasm");
	std::fs::write(&wasm_path, wasm).unwrap();

	let mut nodes = start_local_validators("upgrade-", &["alice", "bob", "charlie", "dave"], 201);
	nodes[0].wait_for_finalized(3, Duration::from_secs(180));

	polkadot_js("upgrade.mjs", &[&nodes[0].ws_url(), wasm_path.to_str().unwrap()]);
	// Every validator runs the new runtime.
	for node in &nodes {
		let version = node.rpc("state_getRuntimeVersion", serde_json::json!([]));
		assert_eq!(version["specVersion"], 102, "{}", node.config.name);
	}
}
