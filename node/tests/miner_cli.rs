//! `cess-miner`'s account commands against a dev node: register, status, collateral, endpoints,
//! exit and withdraw, plus the errors a miner operator meets first (node unreachable, no account, an
//! account without funds, registering again, a bad endpoint).

mod common;

use common::{temp_dir, Node, NodeConfig, NODE_BIN};
use std::{
	path::{Path, PathBuf},
	process::Command,
	time::Duration,
};

fn miner_bin() -> PathBuf {
	let bin = Path::new(NODE_BIN).with_file_name("cess-miner");
	assert!(
		bin.exists(),
		"{} is missing: build it with `cargo build --release -p cess-miner`",
		bin.display()
	);
	bin
}

struct Miner {
	rpc_url: String,
	account: String,
	data_dir: PathBuf,
}

impl Miner {
	/// Runs `cess-miner <args>`; returns (success, stdout, stderr).
	fn run(&self, args: &[&str]) -> (bool, String, String) {
		let out = Command::new(miner_bin())
			.args(["--rpc-url", &self.rpc_url, "--account", &self.account, "--data-dir"])
			.arg(&self.data_dir)
			.args(args)
			.output()
			.expect("run cess-miner");
		let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
		(out.status.success(), text(&out.stdout), text(&out.stderr))
	}

	fn ok(&self, args: &[&str]) -> String {
		let (ok, stdout, stderr) = self.run(args);
		assert!(ok, "cess-miner {args:?} failed:\n{stdout}\n{stderr}");
		stdout
	}

	fn fails(&self, args: &[&str]) -> String {
		let (ok, stdout, stderr) = self.run(args);
		assert!(!ok, "cess-miner {args:?} should fail:\n{stdout}");
		stderr
	}
}

const ENDPOINTS: [&str; 4] =
	["--p2p-addr", "/ip4/127.0.0.1/tcp/15001", "--http-addr", "/ip4/127.0.0.1/tcp/15002/http"];

#[test]
fn miner_registers_reports_status_and_exits() {
	let mut node = Node::start(NodeConfig::new("miner-cli", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let miner = Miner {
		rpc_url: node.ws_url(),
		account: "//Dave".into(),
		data_dir: temp_dir("miner-dave"),
	};

	let status = miner.ok(&["status"]);
	assert!(status.contains("not registered"), "{status}");
	// The first status created the keys; the peer id stays the same from then on.
	let peer_line = status.lines().find(|l| l.starts_with("peer id")).expect("peer id").to_string();

	let mut register = vec!["register", "--capacity", "100GiB"];
	register.extend(ENDPOINTS);
	let out = miner.ok(&register);
	assert!(out.contains("100.0 GiB of capacity and 4000 TCESS of collateral"), "{out}");

	let status = miner.ok(&["status"]);
	for expected in [
		"positive (takes new data)",
		"100.0 GiB declared, 0 B used",
		"4000 TCESS on hold (4000 TCESS required)",
		"/ip4/127.0.0.1/tcp/15002/http",
		&peer_line,
		"rewards      0 TCESS claimable",
	] {
		assert!(status.contains(expected), "missing `{expected}` in\n{status}");
	}
	assert!(!status.contains("WARNING"), "{status}");

	// Registering again with the same identity and endpoints is a no-op (a service may run
	// `register && run` on every start); with other endpoints it points to `update-endpoint`.
	assert!(miner.ok(&register).contains("nothing to do"));
	let moved = ["register", "--capacity", "100GiB", "--p2p-addr", "/ip4/127.0.0.1/tcp/15901"]
		.into_iter()
		.chain(["--http-addr", "/ip4/127.0.0.1/tcp/15902/http"])
		.collect::<Vec<_>>();
	assert!(miner.fails(&moved).contains("cess-miner update-endpoint"));

	miner.ok(&["increase-collateral", "250.5"]);
	assert!(miner.ok(&["status"]).contains("4250.5 TCESS on hold"));

	let out = miner.ok(&[
		"update-endpoint",
		"--p2p-addr",
		"/ip4/127.0.0.1/tcp/16001",
		"--http-addr",
		"/dns/miner.example/tcp/443/http",
	]);
	assert!(out.contains("endpoints updated"));
	let status = miner.ok(&["status"]);
	assert!(status.contains("/dns/miner.example/tcp/443/http"), "{status}");

	let err = miner.fails(&[
		"update-endpoint",
		"--p2p-addr",
		"/ip4/127.0.0.1/tcp/1",
		"--http-addr",
		"/ip4/127.0.0.1/tcp/2",
	]);
	assert!(err.contains("must end in /tcp/<port>/http"), "{err}");

	assert!(miner.ok(&["exit"]).contains("exit requested"));
	assert!(miner.ok(&["status"]).contains("exiting since block"));
	// It holds no columns, so nothing waits for restoral: the collateral comes back at once.
	assert!(miner.ok(&["withdraw"]).contains("collateral released"));
	assert!(miner.ok(&["status"]).contains("not registered"));
	assert!(miner.fails(&["withdraw"]).contains("is not registered as a miner"));
	node.stop();
}

#[test]
fn miner_errors_say_what_to_do() {
	let mut node = Node::start(NodeConfig::new("miner-errors", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));

	let unreachable = Miner {
		rpc_url: "ws://127.0.0.1:9".into(),
		account: "//Dave".into(),
		data_dir: temp_dir("miner-unreachable"),
	};
	let err = unreachable.fails(&["status"]);
	assert!(err.contains("cannot reach a CESS node at ws://127.0.0.1:9"), "{err}");
	assert!(err.contains("--rpc-url"), "{err}");

	let out = Command::new(miner_bin())
		.args(["--rpc-url", &node.ws_url(), "status"])
		.env_remove("CESS_MINER_ACCOUNT")
		.output()
		.unwrap();
	assert!(String::from_utf8_lossy(&out.stderr).contains("no miner account"));

	let bad_account = Miner {
		rpc_url: node.ws_url(),
		account: "not a valid phrase at all".into(),
		data_dir: temp_dir("miner-bad-account"),
	};
	assert!(bad_account.fails(&["status"]).contains("cannot read the account secret"));

	let broke = Miner {
		rpc_url: node.ws_url(),
		account: "//NobodyFundedMe".into(),
		data_dir: temp_dir("miner-broke"),
	};
	let mut register = vec!["register", "--capacity", "1GiB"];
	register.extend(ENDPOINTS);
	let err = broke.fails(&register);
	assert!(err.contains("fund it"), "{err}");
	assert!(broke.fails(&["exit"]).contains("is not registered as a miner"));
	let err = broke.fails(&[
		"register",
		"--capacity",
		"lots",
		"--p2p-addr",
		"/ip4/1.2.3.4/tcp/1",
		"--http-addr",
		"/ip4/1.2.3.4/tcp/2/http",
	]);
	assert!(err.contains("is not a size"), "{err}");
}
