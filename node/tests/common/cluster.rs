//! A local storage network for end-to-end tests: `cess-miner run` processes beside a dev node,
//! and the `cess` CLI.

use super::{free_port, temp_dir, NODE_BIN};
use std::{
	fs::File,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

pub fn bin(name: &str) -> PathBuf {
	let bin = Path::new(NODE_BIN).with_file_name(name);
	assert!(
		bin.exists(),
		"{} is missing: run `cargo build --release --workspace --bins`",
		bin.display()
	);
	bin
}

/// A `cess-miner run` process, killed on drop.
pub struct Miner {
	pub account: &'static str,
	pub data_dir: PathBuf,
	pub p2p: u16,
	pub http: u16,
	pub rpc_url: String,
	pub child: Option<Child>,
}

impl Miner {
	pub fn cmd(&self) -> Command {
		let mut cmd = Command::new(bin("cess-miner"));
		cmd.args(["--rpc-url", &self.rpc_url, "--account", self.account, "--data-dir"])
			.arg(&self.data_dir);
		cmd
	}

	pub fn register(&self) {
		let out = self
			.cmd()
			// 1 000 TCESS above the requirement: a failed or missed round's slash must not
			// freeze the miner (tests then place new files on it).
			.args(["register", "--capacity", "8GiB", "--collateral", "5000", "--p2p-addr"])
			.arg(format!("/ip4/127.0.0.1/tcp/{}", self.p2p))
			.arg("--http-addr")
			.arg(format!("/ip4/127.0.0.1/tcp/{}/http", self.http))
			.output()
			.expect("run cess-miner register");
		assert!(
			out.status.success(),
			"register {}: {}",
			self.account,
			String::from_utf8_lossy(&out.stderr)
		);
	}

	/// Starts `cess-miner run` with a self-check every 10 s.
	pub fn start(&mut self) {
		self.start_checking_every(10);
	}

	/// Starts `cess-miner run` with a self-check at start and then every `secs` seconds.
	pub fn start_checking_every(&mut self, secs: u32) {
		self.start_with(secs, &[]);
	}

	/// Starts `cess-miner run` with a self-check every `secs` seconds and `extra` run flags.
	pub fn start_with(&mut self, secs: u32, extra: &[&str]) {
		let log = File::options()
			.create(true)
			.append(true)
			.open(self.data_dir.with_extension("log"))
			.expect("miner log");
		let child = self
			.cmd()
			.args(["--log", "info,cess_miner=debug", "run", "--p2p-listen"])
			.arg(format!("/ip4/127.0.0.1/tcp/{}", self.p2p))
			.arg("--http-listen")
			.arg(format!("127.0.0.1:{}", self.http))
			.args(["--self-check-interval", &secs.to_string(), "--gc-interval", "600"])
			.args(extra)
			.stdout(Stdio::from(log.try_clone().expect("log")))
			.stderr(Stdio::from(log))
			.spawn()
			.expect("start cess-miner run");
		self.child = Some(child);
	}

	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	pub fn signal(&self, signal: &str) {
		let pid = self.child.as_ref().expect("running").id().to_string();
		assert!(Command::new("kill").args([signal, &pid]).status().expect("kill").success());
	}

	pub fn credit(&self) -> u32 {
		let out = self.cmd().arg("status").output().expect("cess-miner status");
		let text = String::from_utf8_lossy(&out.stdout);
		text.lines()
			.find_map(|l| l.strip_prefix("credit")?.trim().parse().ok())
			.unwrap_or_else(|| panic!("no credit in status:\n{text}"))
	}

	/// `(passed, failed, missed)` audit rounds, from `cess-miner status`.
	pub fn audits(&self) -> (u32, u32, u32) {
		let out = self.cmd().arg("status").output().expect("cess-miner status");
		let text = String::from_utf8_lossy(&out.stdout);
		let line = text
			.lines()
			.find_map(|l| l.strip_prefix("audits"))
			.unwrap_or_else(|| panic!("no audits in status:\n{text}"));
		// `round 12 MISSED (10 passed, 1 failed, 1 missed)`
		let counts = line.rsplit_once('(').map_or("", |(_, c)| c);
		let count = |what: &str| {
			counts
				.split(',')
				.find_map(|c| {
					c.trim().trim_end_matches(')').strip_suffix(what)?.trim().parse().ok()
				})
				.unwrap_or_else(|| panic!("no `{what}` count in `{line}`"))
		};
		(count("passed"), count("failed"), count("missed"))
	}

	/// How many times the miner's log (over all its runs) says `what`.
	pub fn logged(&self, what: &str) -> usize {
		self.log().matches(what).count()
	}

	pub fn log(&self) -> String {
		std::fs::read_to_string(self.data_dir.with_extension("log")).unwrap_or_default()
	}
}

impl Drop for Miner {
	fn drop(&mut self) {
		if let Some(child) = &self.child {
			let _ = Command::new("kill").args(["-CONT", &child.id().to_string()]).status();
		}
		self.stop();
	}
}

/// Runs `cess --account //Alice <args>`; panics with its output on failure.
pub fn cess(rpc_url: &str, args: &[&str]) -> String {
	cess_as(rpc_url, "//Alice", args)
}

/// Runs `cess --account <account> <args>`: stdout on success, else panics with its output.
pub fn cess_as(rpc_url: &str, account: &str, args: &[&str]) -> String {
	let out = run_cess(rpc_url, account, args);
	let text = String::from_utf8_lossy(&out.stdout).into_owned();
	assert!(
		out.status.success(),
		"cess {args:?} as {account} failed:\n{text}\n{}",
		String::from_utf8_lossy(&out.stderr)
	);
	text
}

/// Runs `cess --account <account> <args>`, which must succeed: (stdout, stderr).
pub fn cess_with_stderr(rpc_url: &str, account: &str, args: &[&str]) -> (String, String) {
	let out = run_cess(rpc_url, account, args);
	let (stdout, stderr) = (
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	);
	assert!(out.status.success(), "cess {args:?} as {account} failed:\n{stdout}\n{stderr}");
	(stdout, stderr)
}

/// Runs `cess --account <account> <args>`, which must fail: its stderr.
pub fn cess_fails(rpc_url: &str, account: &str, args: &[&str]) -> String {
	let out = run_cess(rpc_url, account, args);
	assert!(!out.status.success(), "cess {args:?} as {account} succeeded");
	String::from_utf8_lossy(&out.stderr).into_owned()
}

fn run_cess(rpc_url: &str, account: &str, args: &[&str]) -> std::process::Output {
	Command::new(bin("cess"))
		.args(["--rpc-url", rpc_url, "--account", account, "--quiet"])
		.args(args)
		.output()
		.expect("run cess")
}

/// Four miners (//Bob, //Charlie, //Dave, //Eve) registered on `rpc_url` and running.
pub fn start_miners(rpc_url: &str) -> Vec<Miner> {
	start_miners_with(rpc_url, &[])
}

/// [`start_miners`] with `extra` run flags for every miner.
pub fn start_miners_with(rpc_url: &str, extra: &[&str]) -> Vec<Miner> {
	let mut miners: Vec<Miner> = ["//Bob", "//Charlie", "//Dave", "//Eve"]
		.into_iter()
		.map(|account| Miner {
			account,
			data_dir: temp_dir(&format!("miner{}", account.trim_start_matches('/'))),
			p2p: free_port(),
			http: free_port(),
			rpc_url: rpc_url.to_string(),
			child: None,
		})
		.collect();
	std::thread::scope(|s| {
		for miner in &miners {
			s.spawn(|| miner.register());
		}
	});
	for miner in &mut miners {
		miner.start_with(10, extra);
	}
	miners
}

pub fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
	let start = Instant::now();
	while !done() {
		assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
		std::thread::sleep(Duration::from_secs(3));
	}
	eprintln!("[{:>4} s] {what}", start.elapsed().as_secs());
}

/// Writes `len` pseudo-random bytes from `seed` to `path`.
pub fn random_file(path: &Path, len: usize, seed: u64) {
	let mut data = vec![0u8; len];
	let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ seed;
	for chunk in data.chunks_mut(8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
	}
	std::fs::write(path, data).expect("write the test file");
}
