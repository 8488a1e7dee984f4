//! `cess-node --dev` end to end: it authors and finalizes blocks, and both Rust (subxt, typed
//! from the node's own metadata) and JavaScript (a stock @polkadot/api) clients can sign,
//! submit and read state.

mod common;

use common::{crate_dir, ensure_polkadot_js, Node, NodeConfig};
use std::{process::Command, time::Duration};
use subxt::{
	dynamic,
	ext::scale_decode::{self, DecodeAsType},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};

fn start_dev_node(name: &str) -> Node {
	let mut node = Node::start(NodeConfig::new(name, None, &["--dev"]));
	node.wait_for_finalized(2, Duration::from_secs(120));
	node
}

#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountInfo {
	data: AccountData,
}

#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct AccountData {
	free: u128,
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_node_finalizes_and_accepts_a_subxt_transfer() {
	let node = start_dev_node("dev-subxt");
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(node.ws_url())
		.await
		.expect("connect to the dev node");

	// A fresh account nobody has funded.
	let dest = Keypair::from_secret_key([7u8; 32]).expect("valid secret key");
	let dest_id: [u8; 32] = dest.public_key().0;
	let amount: u128 = 5 * 10u128.pow(18);

	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(dest.public_key().to_address::<()>(), amount),
	);
	let at = api.at_current_block().await.expect("current block");
	at.transactions()
		.sign_and_submit_then_watch_default(&transfer, &dev::alice())
		.await
		.expect("submit transfer")
		.wait_for_finalized_success()
		.await
		.expect("transfer finalized and successful");

	let account = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
	let at = api.at_current_block().await.expect("current block");
	let info = at
		.storage()
		.fetch(account, (dest_id,))
		.await
		.expect("read System.Account")
		.decode()
		.expect("decode AccountInfo");
	assert_eq!(info.data.free, amount, "the destination holds exactly what was sent");
	drop(node);
}

/// Install the pinned @polkadot/api next to the script if it is not there yet.
#[test]
fn stock_polkadot_js_reads_metadata_signs_and_reads_storage() {
	let dir = crate_dir().join("tests/polkadot-js");
	ensure_polkadot_js(&dir);

	let node = start_dev_node("dev-polkadot-js");
	let output = Command::new("node")
		.arg("transfer.mjs")
		.arg(node.ws_url())
		.current_dir(&dir)
		.output()
		.expect("`node` is needed for this test: install Node.js 18 or newer");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "polkadot-js script failed:\n{stdout}\n{stderr}");
	assert!(stdout.contains("polkadot-js e2e: ok"), "unexpected output:\n{stdout}");
}
