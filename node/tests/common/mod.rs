//! A harness for end-to-end tests: real `cess-node` processes on free loopback ports with
//! temporary base paths, killed when dropped, whose log tail is printed when a test fails.

#![allow(dead_code)]

pub mod cluster;

use serde_json::{json, Value};
use std::{
	fs::File,
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicU32, Ordering},
	thread,
	time::{Duration, Instant},
};

/// The node binary cargo built for these tests.
pub const NODE_BIN: &str = env!("CARGO_BIN_EXE_cess-node");

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind loopback").port()
}

/// A fresh directory under the system temp dir, removed when the test process ends normally.
pub fn temp_dir(name: &str) -> PathBuf {
	static COUNTER: AtomicU32 = AtomicU32::new(0);
	let dir = std::env::temp_dir().join(format!(
		"cess-e2e-{}-{}-{}",
		std::process::id(),
		COUNTER.fetch_add(1, Ordering::SeqCst),
		name
	));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("create temp dir");
	dir
}

/// How to start a node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// A name for logs.
	pub name: String,
	/// `--chain`, or `None` for none (with `--dev`).
	pub chain: Option<String>,
	/// Extra arguments (`--alice`, `--validator`, `--bootnodes …`).
	pub args: Vec<String>,
	/// Where the database and keystore live; kept across restarts.
	pub base_path: PathBuf,
	/// The JSON-RPC port.
	pub rpc_port: u16,
	/// The p2p port.
	pub p2p_port: u16,
}

impl NodeConfig {
	/// A node of `chain` on free ports with its own temporary base path.
	pub fn new(name: &str, chain: Option<&str>, args: &[&str]) -> Self {
		Self {
			name: name.into(),
			chain: chain.map(Into::into),
			args: args.iter().map(|s| s.to_string()).collect(),
			base_path: temp_dir(name),
			rpc_port: free_port(),
			p2p_port: free_port(),
		}
	}
}

/// A running `cess-node`, killed on drop.
pub struct Node {
	pub config: NodeConfig,
	child: Option<Child>,
	log: PathBuf,
}

impl Node {
	/// Start the node and wait until its RPC answers.
	pub fn start(config: NodeConfig) -> Self {
		let log = config.base_path.join(format!("{}.log", config.name));
		let mut node = Self { config, child: None, log };
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		let config = &self.config;
		let log_file = File::options().create(true).append(true).open(&self.log).expect("open log");
		let child = Command::new(NODE_BIN)
			.args(config.chain.iter().flat_map(|chain| ["--chain", chain.as_str()]))
			.arg("--base-path")
			.arg(&config.base_path)
			.arg("--rpc-port")
			.arg(config.rpc_port.to_string())
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns", "--rpc-cors", "all"])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", config.p2p_port)])
			.args(&config.args)
			.stdout(Stdio::from(log_file.try_clone().expect("clone log")))
			.stderr(Stdio::from(log_file))
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {NODE_BIN}: {e}"));
		self.child = Some(child);
		// A node's first start compiles the runtime's wasm before it builds genesis and serves
		// RPC: with four lanes starting nodes at once on two cores that took over 60 s once.
		self.wait_until(Duration::from_secs(180), "RPC to answer", |n| {
			n.try_rpc("system_health", json!([])).is_ok()
		});
	}

	/// Stop the node (SIGKILL) and wait for it to exit, keeping its base path.
	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Start a stopped node again with the same configuration and data.
	pub fn restart(&mut self) {
		self.stop();
		self.spawn();
	}

	/// The node's WebSocket URL.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.config.rpc_port)
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let all: Vec<&str> = text.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// The whole log so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Call a JSON-RPC method over HTTP.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		rpc_call(self.config.rpc_port, method, params)
	}

	/// Call a JSON-RPC method, panicking (with the log tail) on error.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params)
			.unwrap_or_else(|e| panic!("{} {method}: {e}", self.config.name))
	}

	/// The node's libp2p peer id.
	pub fn peer_id(&self) -> String {
		self.rpc("system_localPeerId", json!([])).as_str().expect("peer id string").to_string()
	}

	/// The multiaddr other nodes use to reach this one.
	pub fn multiaddr(&self) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.config.p2p_port, self.peer_id())
	}

	/// The number of the best block.
	pub fn best_number(&self) -> u32 {
		header_number(&self.rpc("chain_getHeader", json!([])))
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> u32 {
		let hash = self.rpc("chain_getFinalizedHead", json!([]));
		header_number(&self.rpc("chain_getHeader", json!([hash])))
	}

	/// Poll `condition` every half second until it holds; panic after `timeout`.
	pub fn wait_until(
		&mut self,
		timeout: Duration,
		what: &str,
		mut condition: impl FnMut(&Self) -> bool,
	) {
		let start = Instant::now();
		loop {
			if let Some(child) = self.child.as_mut() {
				if let Ok(Some(status)) = child.try_wait() {
					panic!("{} exited with {status} while waiting for {what}", self.config.name);
				}
			}
			if condition(self) {
				return;
			}
			if start.elapsed() > timeout {
				panic!("{}: timed out after {timeout:?} waiting for {what}", self.config.name);
			}
			thread::sleep(Duration::from_millis(500));
		}
	}

	/// Wait until a block at or above `number` is finalized.
	pub fn wait_for_finalized(&mut self, number: u32, timeout: Duration) {
		self.wait_until(timeout, &format!("finalized block #{number}"), |n| {
			n.try_finalized_number().is_some_and(|f| f >= number)
		});
	}

	fn try_finalized_number(&self) -> Option<u32> {
		let hash = self.try_rpc("chain_getFinalizedHead", json!([])).ok()?;
		self.try_rpc("chain_getHeader", json!([hash])).ok().map(|h| header_number(&h))
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
		if thread::panicking() {
			eprintln!(
				"===== last lines of {} ({}) =====\n{}\n=====",
				self.config.name,
				self.log.display(),
				self.log_tail(60)
			);
		} else {
			let _ = std::fs::remove_dir_all(&self.config.base_path);
		}
	}
}

fn header_number(header: &Value) -> u32 {
	let hex = header["number"].as_str().expect("header number");
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).expect("hex block number")
}

/// A minimal JSON-RPC-over-HTTP call, enough for polling a node from tests.
pub fn rpc_call(port: u16, method: &str, params: Value) -> Result<Value, String> {
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
	stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
	write!(
		stream,
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
	.map_err(|e| e.to_string())?;
	let mut response = String::new();
	stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
	let json_start = response.find("\r\n\r\n").ok_or("malformed HTTP response")? + 4;
	let reply: Value = serde_json::from_str(&response[json_start..]).map_err(|e| e.to_string())?;
	match reply.get("error") {
		Some(error) => Err(error.to_string()),
		None => Ok(reply["result"].clone()),
	}
}

/// The directory of this crate, for test fixtures.
pub fn crate_dir() -> &'static Path {
	Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Installs the pinned @polkadot/api packages of `dir` (`npm ci`) unless they are there.
pub fn ensure_polkadot_js(dir: &Path) {
	if dir.join("node_modules/@polkadot/api").is_dir() {
		return;
	}
	let status = Command::new("npm")
		.args(["ci", "--no-audit", "--no-fund"])
		.current_dir(dir)
		.status()
		.expect("`npm` is needed for this test: install Node.js 18 or newer");
	assert!(status.success(), "`npm ci` failed in {}", dir.display());
}

/// A fixed libp2p node key (validators refuse to start without one); `index` tells nodes apart.
pub fn node_key(index: usize) -> String {
	format!("{index:064x}")
}

/// The `local` chain's development validators `names` (`alice` runs with `--alice`, …) on
/// loopback, logged as `<prefix><name>`, with node keys `first_key`, `first_key + 1`, …; the
/// first is the others' boot node.
pub fn start_local_validators(prefix: &str, names: &[&str], first_key: usize) -> Vec<Node> {
	let mut nodes: Vec<Node> = Vec::new();
	for (i, name) in names.iter().enumerate() {
		let mut args = vec![
			format!("--{name}"),
			"--validator".into(),
			"--node-key".into(),
			node_key(first_key + i),
		];
		if let Some(first) = nodes.first() {
			args.extend(["--bootnodes".into(), first.multiaddr()]);
		}
		let args: Vec<&str> = args.iter().map(String::as_str).collect();
		nodes.push(Node::start(NodeConfig::new(&format!("{prefix}{name}"), Some("local"), &args)));
	}
	nodes
}

/// Runs the polkadot.js script `tests/polkadot-js/<script>` with `args` (installing the pinned
/// packages first): its standard output, or a panic with all its output if it fails.
pub fn polkadot_js(script: &str, args: &[&str]) -> String {
	let dir = crate_dir().join("tests/polkadot-js");
	ensure_polkadot_js(&dir);
	let output = Command::new("node")
		.arg(script)
		.args(args)
		.current_dir(&dir)
		.output()
		.expect("`node` is needed for this test: install Node.js 18 or newer");
	let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
	println!("{stdout}");
	assert!(
		output.status.success(),
		"{script} failed:\n{stdout}{}",
		String::from_utf8_lossy(&output.stderr)
	);
	stdout
}

/// `0x`-prefixed lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + 2 * bytes.len());
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

/// Bytes of `0x`-prefixed hex.
pub fn unhex(s: &str) -> Vec<u8> {
	let s = s.trim().trim_start_matches("0x");
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// The dev miners of the end-to-end scripts: Bob, Charlie and Dave.
pub fn dev_miners() -> Vec<&'static str> {
	vec!["//Bob", "//Charlie", "//Dave"]
}

/// The JSON the scripts take for miners: `[{"uri"}]`.
pub fn miners_json(miners: &[&str]) -> String {
	let entries: Vec<String> = miners.iter().map(|uri| format!(r#"{{"uri":"{uri}"}}"#)).collect();
	format!("[{}]", entries.join(","))
}
