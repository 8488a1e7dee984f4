//! A flood against one running `cess-miner` on loopback, bounded in time: 48 peers pushing
//! maximal (32 MiB) fragments on several streams each, 64 connections that never finish their
//! handshake, and 300 HTTP connections sending garbage, half-written headers or nothing. During
//! the flood the miner still answers a fetch and its HTTP health check; afterwards its peak
//! resident memory (`VmHWM`) is below [`RSS_BOUND_MIB`] (`docs/security.md`).

mod common;

use common::{cluster::Miner, free_port, temp_dir, Node, NodeConfig};
use std::{
	io::{Read, Write},
	net::TcpStream,
	time::{Duration, Instant},
};

/// The bound on the flooded miner's peak RSS: the network's budgets (128 MiB of requests being
/// read, 128 MiB of answers being sent, 4 queued and 8 handled requests of ≤ 33 MiB) plus the
/// miner's own ≈ 60 MiB, rounded up.
const RSS_BOUND_MIB: u64 = 768;

/// Peak resident memory of process `pid`, in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
	let kib: u64 = status
		.lines()
		.find_map(|l| l.strip_prefix("VmHWM:"))
		.and_then(|v| v.split_whitespace().next())
		.and_then(|v| v.parse().ok())
		.expect("VmHWM");
	kib / 1024
}

/// `GET /health` on the miner's HTTP port: whether it answered 200 within 10 s.
fn healthy(port: u16) -> bool {
	let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
	let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
	let request = "GET /health HTTP/1.1\r\nHost: miner\r\nConnection: close\r\n\r\n";
	if stream.write_all(request.as_bytes()).is_err() {
		return false;
	}
	let mut answer = String::new();
	let _ = stream.read_to_string(&mut answer);
	answer.starts_with("HTTP/1.1 200")
}

#[test]
fn a_flooded_miner_keeps_serving_within_its_memory_bound() {
	let mut node = Node::start(NodeConfig::new("flood", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let mut miner = Miner {
		account: "//Bob",
		data_dir: temp_dir("flood-miner"),
		p2p: free_port(),
		http: free_port(),
		rpc_url: node.ws_url(),
		child: None,
	};
	miner.register();
	miner.start();
	let started = Instant::now();
	while miner.logged("miner running") == 0 {
		assert!(
			started.elapsed() < Duration::from_secs(60),
			"miner did not start:\n{}",
			miner.log()
		);
		std::thread::sleep(Duration::from_millis(500));
	}
	let pid = miner.child.as_ref().expect("running").id();
	let before = peak_rss_mib(pid);

	let runtime = tokio::runtime::Runtime::new().unwrap();
	let (peer, addrs) = runtime.block_on(async {
		let client = cess_chain::connect(&node.ws_url()).await.unwrap();
		let account = cess_chain::account_of(&cess_chain::signer("//Bob").unwrap());
		let info = client
			.at_current_block()
			.await
			.unwrap()
			.storage()
			.fetch(cess_chain::api::storage().sminer().miners(), (account,))
			.await
			.unwrap()
			.decode()
			.unwrap();
		let multiaddrs = info.multiaddrs.0.iter().map(|a| &a.0[..]);
		cess_client::net::dial_info(&info.peer_id.0, multiaddrs).unwrap()
	});
	// An honest fetch is answered (a refusal: nothing is held) within `within`, retrying.
	let answers = |within: Duration| {
		let addrs = addrs.clone();
		async move {
			use cess_client::net::{libp2p::identity::Keypair, Host, Request, Response};
			let host = Host::start(Keypair::generate_ed25519(), &[], None).await.unwrap();
			let start = Instant::now();
			while start.elapsed() < within {
				let ask = Request::Get { file_id: [9; 32], segment: 0, column: 0 };
				if let Ok(Ok(Response::Refused { .. })) =
					tokio::time::timeout(within, host.request(peer, addrs.clone(), ask)).await
				{
					return true;
				}
				tokio::time::sleep(Duration::from_secs(2)).await;
			}
			false
		}
	};

	// 48 peers push maximal fragments, 3 at once each, twice over; an honest fetch meanwhile.
	let answered_in_flood = runtime.block_on(async {
		use cess_client::net::{libp2p::identity::Keypair, Host, Request};
		let mut flood = Vec::new();
		for p in 0..48u8 {
			let addrs = addrs.clone();
			flood.push(tokio::spawn(async move {
				let host = Host::start(Keypair::generate_ed25519(), &[], None).await.unwrap();
				let mut answered = 0u32;
				// Connect first (at most 32 handshakes are served at once), then flood.
				let hello = || Request::Get { file_id: [p; 32], segment: 0, column: 0 };
				for _ in 0..30 {
					if host.request(peer, addrs.clone(), hello()).await.is_ok() {
						break;
					}
					tokio::time::sleep(Duration::from_secs(1)).await;
				}
				for round in 0..2u8 {
					let sends = (0..3u8).map(|s| {
						let request = Request::Fragment {
							file_id: [p ^ round ^ s; 32],
							segment: 0,
							column: 0,
							data: vec![p; 32 << 20],
						};
						host.request(peer, addrs.clone(), request)
					});
					for result in futures::future::join_all(sends).await {
						match result {
							Ok(_) => answered += 1,
							Err(e) if p == 0 => eprintln!("flood: peer 0: {e}"),
							Err(_) => {},
						}
					}
				}
				answered
			}));
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
		let answered = answers(Duration::from_secs(120)).await;
		let mut frames = 0;
		for task in flood {
			frames += task.await.unwrap_or(0);
		}
		eprintln!("flood: {frames} of 288 maximal frames read and answered");
		answered
	});
	assert!(answered_in_flood, "the miner did not answer a fetch during the flood");

	// Garbage, half-written headers and silence on the HTTP port; stalled handshakes on the
	// libp2p port. They hold their slots until their timeouts; then the miner serves again.
	let mut idle = Vec::new();
	for i in 0..300 {
		if let Ok(mut s) = TcpStream::connect(("127.0.0.1", miner.http)) {
			let _ = match i % 3 {
				0 => s.write_all(&[0xde; 4096]),
				1 => s.write_all(b"GET /metrics HTTP/1.1\r\nX-Slow: "),
				_ => Ok(()),
			};
			idle.push(s);
		}
	}
	for _ in 0..64 {
		if let Ok(s) = TcpStream::connect(("127.0.0.1", miner.p2p)) {
			idle.push(s);
		}
	}
	let start = Instant::now();
	while !healthy(miner.http) {
		assert!(start.elapsed() < Duration::from_secs(60), "the HTTP port stays blocked");
		std::thread::sleep(Duration::from_secs(2));
	}
	assert!(
		runtime.block_on(answers(Duration::from_secs(60))),
		"stalled handshakes keep peers out"
	);
	drop(idle);
	let peak = peak_rss_mib(pid);
	eprintln!(
		"flood: peak RSS {peak} MiB (before {before} MiB, bound {RSS_BOUND_MIB} MiB) in {:.0} s",
		started.elapsed().as_secs_f64()
	);
	assert!(peak < RSS_BOUND_MIB, "peak RSS {peak} MiB ≥ {RSS_BOUND_MIB} MiB");
	assert!(miner.child.as_mut().unwrap().try_wait().unwrap().is_none(), "the miner died");
}
