//! Launching a network: a chain spec built from an operator's config file runs on the keys in
//! that file and none of the well-known ones; `--chain testnet` starts; on the `local` network a
//! fifth validator joins from its own keys (through a staking proxy), is elected at the next
//! era, authors blocks and receives a staking payout, and a validator that never comes online
//! loses its credit and its seat (R²S) while blocks continue.

mod common;

use common::{node_key, polkadot_js, start_local_validators, temp_dir, Node, NodeConfig, NODE_BIN};
use serde_json::{json, Value};
use std::{path::Path, process::Command, time::Duration};

/// A fresh key pair of `scheme` from `cess-node key generate`: (secret seed, SS58 address).
fn generate_key(scheme: &str) -> (String, String) {
	let out = Command::new(NODE_BIN)
		.args(["key", "generate", "--scheme", scheme, "--output-type", "json"])
		.output()
		.expect("run cess-node key generate");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let key: Value = serde_json::from_slice(&out.stdout).expect("key JSON");
	(key["secretSeed"].as_str().unwrap().into(), key["ss58Address"].as_str().unwrap().into())
}

/// `cess-node key insert` of `seed` as `key_type` into the keystore under `base_path`.
fn insert_key(base_path: &Path, spec: &Path, scheme: &str, key_type: &str, seed: &str) {
	let status = Command::new(NODE_BIN)
		.args(["key", "insert", "--scheme", scheme, "--key-type", key_type, "--suri", seed])
		.arg("--base-path")
		.arg(base_path)
		.arg("--chain")
		.arg(spec)
		.status()
		.expect("run cess-node key insert");
	assert!(status.success(), "key insert {key_type}");
}

#[test]
fn a_network_from_a_config_file_runs_on_its_own_keys() {
	let dir = temp_dir("network-config");
	let validators: Vec<_> = (0..2)
		.map(|_| {
			let stash = generate_key("sr25519");
			let babe = generate_key("sr25519");
			let grandpa = generate_key("ed25519");
			let audit = generate_key("sr25519");
			(stash, babe, grandpa, audit)
		})
		.collect();
	let signatories: Vec<_> = (0..3).map(|_| generate_key("sr25519").1).collect();
	let config = json!({
		"name": "CESS Config Test",
		"id": "cess_config_test",
		"chainType": "Local",
		"root": { "multisig": { "threshold": 2, "signatories": signatories } },
		"validatorCount": 8,
		"privateEndpoints": true,
		"validators": validators.iter().map(|(stash, babe, grandpa, audit)| json!({
			"stash": stash.1, "babe": babe.1, "grandpa": grandpa.1, "audit": audit.1,
			"bond": "50000",
		})).collect::<Vec<_>>(),
		"endowments": validators.iter().map(|(stash, ..)| json!({
			"account": stash.1, "balance": "100000",
		})).collect::<Vec<_>>(),
	});
	let config_path = dir.join("network.json");
	std::fs::write(&config_path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();
	let spec = Command::new(NODE_BIN)
		.args(["network-spec", "--raw", "--config"])
		.arg(&config_path)
		.output()
		.expect("run cess-node network-spec");
	assert!(spec.status.success(), "{}", String::from_utf8_lossy(&spec.stderr));
	let spec_path = dir.join("spec.json");
	std::fs::write(&spec_path, &spec.stdout).unwrap();

	// A development key in the config is refused with a reason.
	let mut with_alice = config.clone();
	with_alice["endowments"][0]["account"] =
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into();
	std::fs::write(dir.join("alice.json"), serde_json::to_vec(&with_alice).unwrap()).unwrap();
	let refused = Command::new(NODE_BIN)
		.args(["network-spec", "--config"])
		.arg(dir.join("alice.json"))
		.output()
		.unwrap();
	assert!(!refused.status.success());
	assert!(String::from_utf8_lossy(&refused.stderr).contains("well-known development key"));

	let mut nodes: Vec<Node> = Vec::new();
	for (i, (_, babe, grandpa, audit)) in validators.iter().enumerate() {
		let spec = spec_path.to_str().unwrap();
		let mut config = NodeConfig::new(&format!("config-validator-{i}"), Some(spec), &[]);
		insert_key(&config.base_path, &spec_path, "sr25519", "babe", &babe.0);
		insert_key(&config.base_path, &spec_path, "ed25519", "gran", &grandpa.0);
		insert_key(&config.base_path, &spec_path, "sr25519", "cprb", &audit.0);
		config.args = vec!["--validator".into(), "--node-key".into(), node_key(101 + i)];
		if let Some(first) = nodes.first() {
			config.args.extend(["--bootnodes".into(), first.multiaddr()]);
		}
		nodes.push(Node::start(config));
	}
	nodes[0].wait_for_finalized(3, Duration::from_secs(180));
	polkadot_js("network_spec.mjs", &[&nodes[0].ws_url(), config_path.to_str().unwrap()]);
}

#[test]
fn the_testnet_chain_starts() {
	let node = Node::start(NodeConfig::new("testnet", Some("testnet"), &[]));
	assert_eq!(node.rpc("system_chain", json!([])), json!("CESS Testnet"));
	assert_eq!(node.rpc("system_chainType", json!([])), json!("Live"));
}

#[test]
fn a_fifth_validator_joins_and_an_offline_one_is_rotated_out() {
	// Dave's node never starts: three of the four genesis validators finalize.
	const VALIDATORS: [&str; 3] = ["alice", "bob", "charlie"];
	let mut nodes = start_local_validators("join-", &VALIDATORS, 111);
	// Eve's node has no development keys: her session keys are made by
	// `author_rotateKeysWithOwner`.
	let bootnode = nodes[0].multiaddr();
	let eve = Node::start(NodeConfig::new(
		"join-eve",
		Some("local"),
		&[
			"--validator",
			"--node-key",
			&node_key(121),
			"--bootnodes",
			&bootnode,
			"--rpc-methods",
			"unsafe",
		],
	));
	nodes[0].wait_for_finalized(2, Duration::from_secs(180));
	polkadot_js("validator_joins.mjs", &[&nodes[0].ws_url(), &eve.ws_url()]);
	polkadot_js("rotation.mjs", &[&nodes[0].ws_url()]);
	assert!(
		eve.log().contains("Pre-sealed block for proposal"),
		"Eve's node did not author:\n{}",
		eve.log_tail(50)
	);
}
