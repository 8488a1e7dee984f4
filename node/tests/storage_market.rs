//! The storage market on a dev node, driven by a stock @polkadot/api: miners register with their
//! peer ids and collateral, Alice leases space and declares an upload, the placement is read back through the
//! runtime API, and the miners' reports with Alice's signed acceptance make the file Active.

mod common;

use common::{crate_dir, dev_miners, ensure_polkadot_js, miners_json, Node, NodeConfig};
use std::{process::Command, time::Duration};

#[test]
fn polkadot_js_registers_miners_buys_space_and_declares_an_upload() {
	let dir = crate_dir().join("tests/polkadot-js");
	ensure_polkadot_js(&dir);
	let miners = miners_json(&dev_miners());

	let mut node = Node::start(NodeConfig::new("dev-storage-market", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let output = Command::new("node")
		.arg("storage_market.mjs")
		.arg(node.ws_url())
		.arg(&miners)
		.current_dir(&dir)
		.output()
		.expect("`node` is needed for this test: install Node.js 18 or newer");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "storage-market script failed:\n{stdout}\n{stderr}");
	assert!(stdout.contains("storage-market e2e: ok"), "unexpected output:\n{stdout}");
}
