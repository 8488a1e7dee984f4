//! `docker/docker-compose.yml` without Docker: every service's command line, exactly as the
//! compose file writes it (same flags, keys and ports), runs against the built binaries, each
//! with its volume's `/data` in a temporary directory. The four validators finalize, the four
//! miners register and serve (a file is stored and read back), and a miner's command started
//! again (as `restart: on-failure` does) finds its registration and runs.

mod common;

use common::{cluster, crate_dir, rpc_call, temp_dir, NODE_BIN};
use serde_json::json;
use std::{
	fs::File,
	os::unix::process::CommandExt,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};

/// A compose service: its name, its `command` (one shell line) and its volume's name.
#[derive(Debug)]
struct Service {
	name: String,
	command: String,
	volume: String,
}

/// The services of the compose file, read with the few YAML forms it uses (a folded `command`
/// block and a one-line `volumes` list).
fn services() -> Vec<Service> {
	let text = std::fs::read_to_string(crate_dir().join("../docker/docker-compose.yml"))
		.expect("read docker/docker-compose.yml");
	let mut services: Vec<Service> = Vec::new();
	let (mut in_services, mut folding) = (false, false);
	for line in text.lines() {
		if !line.starts_with(' ') && !line.is_empty() {
			in_services = line == "services:";
			continue;
		}
		if !in_services || line.trim_start().starts_with('#') {
			continue;
		}
		let indent = line.len() - line.trim_start().len();
		let trimmed = line.trim();
		if folding && indent >= 6 {
			let command = &mut services.last_mut().expect("a service").command;
			if !command.is_empty() {
				command.push(' ');
			}
			command.push_str(trimmed);
			continue;
		}
		folding = false;
		if indent == 2 && trimmed.ends_with(':') {
			let name = trimmed.trim_end_matches(':').to_string();
			services.push(Service { name, command: String::new(), volume: String::new() });
		} else if trimmed == "command: >" {
			folding = true;
		} else if let Some(list) = trimmed.strip_prefix("volumes: [\"") {
			let volume = list.split(':').next().unwrap().to_string();
			services.last_mut().expect("a service").volume = volume;
		}
	}
	services
}

/// A service's process (its own process group), killed on drop; its output in `log`.
struct Running {
	child: Child,
	log: PathBuf,
}

impl Drop for Running {
	fn drop(&mut self) {
		// The whole process group: `sh` and what it started.
		let _ = Command::new("kill").args(["-9", "--", &format!("-{}", self.child.id())]).status();
		let _ = self.child.wait();
	}
}

/// Runs `service`'s command line under `sh -c`, with the built binaries first on `PATH` and
/// `/data` in `data`.
fn run(service: &Service, data: &Path) -> Running {
	let bin_dir = Path::new(NODE_BIN).parent().unwrap();
	let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
	let command = service.command.replace("/data", data.to_str().unwrap());
	let log = data.with_extension("log");
	let out = File::options().create(true).append(true).open(&log).unwrap();
	let child = Command::new("sh")
		.args(["-c", &command])
		.env("PATH", path)
		.stdout(Stdio::from(out.try_clone().unwrap()))
		.stderr(Stdio::from(out))
		.process_group(0)
		.spawn()
		.expect("run sh");
	Running { child, log }
}

fn log_of(running: &Running) -> String {
	String::from_utf8_lossy(&std::fs::read(&running.log).unwrap_or_default()).into_owned()
}

/// Whether `GET http://127.0.0.1:<port><path>` answers 200.
fn http_ok(port: u16, path: &str) -> bool {
	use std::io::{Read, Write};
	let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
	let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
	let mut response = String::new();
	stream.write_all(request.as_bytes()).is_ok()
		&& stream.read_to_string(&mut response).is_ok()
		&& (response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"))
}

/// Waits for `done`, printing `service`'s output if it does not come.
fn wait_for(what: &str, timeout: Duration, service: &Running, mut done: impl FnMut() -> bool) {
	let start = std::time::Instant::now();
	while !done() {
		assert!(
			start.elapsed() < timeout,
			"timed out after {timeout:?} waiting for {what}; the service's output:\n{}",
			log_of(service)
		);
		std::thread::sleep(Duration::from_secs(2));
	}
	eprintln!("[{:>4} s] {what}", start.elapsed().as_secs());
}

fn finalized(port: u16) -> u32 {
	let hash = rpc_call(port, "chain_getFinalizedHead", json!([])).unwrap_or_default();
	rpc_call(port, "chain_getHeader", json!([hash]))
		.ok()
		.and_then(|h| h["number"].as_str().and_then(|n| u32::from_str_radix(&n[2..], 16).ok()))
		.unwrap_or(0)
}

#[test]
fn the_compose_services_start_and_serve() {
	let services = services();
	let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
	assert_eq!(
		names,
		["alice", "bob", "charlie", "dave", "miner1", "miner2", "miner3", "miner4"],
		"the compose file's services"
	);
	let root = temp_dir("compose");
	let data = |s: &Service| {
		let dir = root.join(&s.volume);
		std::fs::create_dir_all(&dir).unwrap();
		dir
	};
	let (nodes, miners): (Vec<&Service>, Vec<&Service>) =
		services.iter().partition(|s| s.command.starts_with("exec cess-node"));

	let mut running: Vec<Running> = nodes.iter().map(|s| run(s, &data(s))).collect();
	wait_for("the compose validators to finalize", Duration::from_secs(240), &running[0], || {
		finalized(9944) >= 3
	});
	for (port, node) in (9945..).zip(&running[1..]) {
		wait_for("every validator's RPC", Duration::from_secs(60), node, || {
			rpc_call(port, "system_health", json!([])).is_ok()
		});
	}

	running.extend(miners.iter().map(|s| run(s, &data(s))));
	for (i, miner) in running[4..].iter().enumerate() {
		let port = 16012 + 10 * i as u16;
		wait_for("a compose miner to register and serve", Duration::from_secs(180), miner, || {
			http_ok(port, "/health")
		});
	}

	let rpc = "ws://127.0.0.1:9944";
	cluster::cess(rpc, &["buy-space", "--gib", "1", "--days", "1"]);
	let file = root.join("hello.txt");
	std::fs::write(&file, b"stored through the compose network's miners\n".repeat(1000)).unwrap();
	let id = cluster::cess(rpc, &["upload", file.to_str().unwrap()]).trim().to_string();
	let copy = root.join("hello.copy.txt");
	cluster::cess(rpc, &["download", &id, copy.to_str().unwrap()]);
	assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&copy).unwrap());

	// A restarted miner service registers again (a no-op) and runs.
	let miner1 = miners[0];
	running.remove(4);
	let again = run(miner1, &data(miner1));
	wait_for("miner1's service to start again", Duration::from_secs(120), &again, || {
		log_of(&again).contains("nothing to do")
	});
	wait_for("miner1 to serve again", Duration::from_secs(60), &again, || {
		http_ok(16012, "/health")
	});
}
