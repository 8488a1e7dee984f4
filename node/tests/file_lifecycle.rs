//! The whole system with real processes: a dev node, four `cess-miner run` miners and the `cess`
//! CLI. A 64 MiB file is uploaded (fragments checked by the miners, acceptances signed) until Active and downloaded
//! byte-identical; every column's miner passes a round; a miner whose data is wiped reports the
//! loss and another miner restores its column; a corrupted fragment is found by the self-check,
//! reported (credit penalty) and restored; a miner that stops answering and one whose store is
//! emptied while it runs fail the same round and are penalised; the validator's off-chain worker
//! probes the miners over HTTP, crediting a reachable one and reporting the stopped one
//! unreachable (credit lost); with a miner stopped, an upload
//! moves its column to a spare miner at once and takes at most twice as long as a healthy one;
//! a tampered fragment and a bad acceptance pushed by a client are refused. A file stored under
//! a bucket name is listed, downloaded by name and released with its last name.

mod common;

use common::{
	cluster::{cess, cess_fails, cess_with_stderr, random_file, start_miners, wait_for, Miner},
	temp_dir, Node, NodeConfig,
};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

/// `(miner account, state, passed, missed)` of every column, from `cess info`.
fn columns(rpc_url: &str, file_id: &str) -> Vec<(String, String, u32, u32)> {
	cess(rpc_url, &["info", file_id])
		.lines()
		.filter(|l| l.starts_with("column"))
		.map(|l| {
			let words: Vec<&str> = l.split_whitespace().collect();
			let at = |w: &str| words.iter().position(|x| *x == w).expect("field");
			let number =
				|w: &str| words[at(w) - 1].trim_start_matches('(').parse::<u32>().expect("count");
			let miner = words[at("miner") + 1].to_string();
			(miner, words[2].to_string(), number("passed,"), number("missed)"))
		})
		.collect()
}

/// `(passed, failed)`: the probe credits in `account`'s recent credit history.
fn probe_credits(rpc: &str, account: &str) -> (usize, usize) {
	use cess_chain::{
		api::{self, runtime_types::cess_primitives::traits::CreditReason},
		AccountId,
	};
	let id: AccountId = account.parse().expect("an SS58 account");
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let client = cess_chain::connect(rpc).await.unwrap();
		let history = client
			.at_current_block()
			.await
			.unwrap()
			.storage()
			.fetch(api::storage().sminer().credit_history(), (id,))
			.await
			.unwrap()
			.decode()
			.unwrap();
		let count = |reason: fn(&CreditReason) -> bool| {
			history.0.iter().filter(|e| reason(&e.reason)).count()
		};
		(
			count(|r| matches!(r, CreditReason::ProbePassed)),
			count(|r| matches!(r, CreditReason::ProbeFailed)),
		)
	})
}

/// Uploads `path`: (file id, seconds to Active, whether a column moved to a spare miner).
fn timed_upload(rpc: &str, path: &Path) -> (String, f64, bool) {
	let started = Instant::now();
	let (out, err) = cess_with_stderr(rpc, "//Alice", &["upload", path.to_str().unwrap()]);
	(out.trim().to_string(), started.elapsed().as_secs_f64(), err.contains("moved it to a spare"))
}

/// With one miner stopped, an upload whose placement drew it moves the column to a spare miner
/// at once: at most twice the time of a healthy upload of the same size, measured just before.
fn uploads_do_not_wait_for_a_dead_miner(rpc: &str, dir: &Path, dead: &mut Miner) {
	let healthy_file = dir.join("healthy.bin");
	random_file(&healthy_file, 16 << 20, 1);
	let (_, healthy, _) = timed_upload(rpc, &healthy_file);
	dead.stop();
	// Four miners, three columns and one spare: the stopped miner is placed with chance 3/4.
	let mut moved = None;
	for attempt in 0..6 {
		let file = dir.join(format!("dead-{attempt}.bin"));
		random_file(&file, 16 << 20, 100 + attempt);
		let (id, secs, spare) = timed_upload(rpc, &file);
		eprintln!(
			"16 MiB with a miner stopped: {secs:.1} s (healthy {healthy:.1} s), spare: {spare}"
		);
		if spare {
			moved = Some((id, secs));
			break;
		}
	}
	let (id, secs) = moved.expect("the stopped miner was placed in one of six uploads");
	assert!(secs <= 2.0 * healthy, "{secs:.1} s with a dead miner > 2 × {healthy:.1} s healthy");
	let placed = columns(rpc, &id);
	assert!(placed.iter().all(|c| c.1 == "stored"), "{placed:?}");
	dead.start();
}

/// Buckets and names: a file stored under a name is listed one level at a time, downloads by
/// name, cannot be deleted by id while named, and goes with its last name (released by the
/// chain in a later block's spare time); the emptied bucket can be removed.
fn named_objects(rpc: &str, dir: &Path) {
	cess(rpc, &["bucket", "create", "photos"]);
	let original = dir.join("cat.bin");
	random_file(&original, 1 << 20, 7);
	let (id, err) = cess_with_stderr(
		rpc,
		"//Alice",
		&["upload", original.to_str().unwrap(), "--to", "photos/2026/cat.bin"],
	);
	let id = id.trim().to_string();
	assert!(err.contains("named it photos/2026/cat.bin"), "{err}");
	let top = cess(rpc, &["ls", "photos"]);
	assert!(top.contains("PRE") && top.contains("2026/") && !top.contains("cat.bin"), "{top}");
	let deep = cess(rpc, &["ls", "photos/2026/", "--recursive"]);
	assert!(deep.contains("2026/cat.bin") && deep.contains("1.0 MiB"), "{deep}");
	let copy = dir.join("cat.copy");
	cess(rpc, &["download", "photos/2026/cat.bin", copy.to_str().unwrap()]);
	assert!(std::fs::read(&copy).unwrap() == std::fs::read(&original).unwrap(), "download differs");
	let refused = cess_fails(rpc, "//Alice", &["delete", &id]);
	assert!(refused.contains("FileNamedByObjects"), "{refused}");
	assert!(cess_fails(rpc, "//Alice", &["bucket", "rm", "photos"]).contains("BucketNotEmpty"));
	cess(rpc, &["rm", "photos/2026/cat.bin"]);
	wait_for("the unnamed file to be released", Duration::from_secs(60), || {
		!cess(rpc, &["ls"]).contains(&id)
	});
	cess(rpc, &["bucket", "rm", "photos"]);
	assert!(cess(rpc, &["bucket", "ls"]).contains("no buckets"));
}

fn download_matches(rpc_url: &str, file_id: &str, original: &Path, dir: &Path) {
	let copy = dir.join("copy.bin");
	let _ = std::fs::remove_file(&copy);
	cess(rpc_url, &["download", file_id, copy.to_str().unwrap()]);
	assert!(std::fs::read(&copy).unwrap() == std::fs::read(original).unwrap(), "download differs");
}

#[test]
fn files_are_stored_proven_restored_and_retrieved() {
	let mut node = Node::start(NodeConfig::new("lifecycle", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let rpc = node.ws_url();
	let dir = temp_dir("lifecycle-files");

	let mut miners = start_miners(&rpc);

	// Upload 64 MiB: encrypted, profile 2+1 (the most redundant one four miners can place).
	cess(&rpc, &["buy-space", "--gib", "2", "--days", "30"]);
	let original = dir.join("original.bin");
	random_file(&original, 64 << 20, 0);
	let started = Instant::now();
	let file_id = cess(&rpc, &["upload", original.to_str().unwrap()]).trim().to_string();
	eprintln!("uploaded 64 MiB to Active in {:.1} s", started.elapsed().as_secs_f64());
	assert!(cess(&rpc, &["ls"]).contains(&file_id));
	let placed = columns(&rpc, &file_id);
	assert_eq!(placed.len(), 3);
	assert!(placed.iter().all(|c| c.1 == "stored"), "{placed:?}");
	download_matches(&rpc, &file_id, &original, &dir);
	named_objects(&rpc, &dir);

	// Every column's miner passes a round.
	wait_for("every column's miner to pass a round", Duration::from_secs(420), || {
		columns(&rpc, &file_id).iter().all(|c| c.2 >= 1)
	});

	let account_of = |miner: &Miner, rpc: &str| {
		let out = miner.cmd().arg("status").output().unwrap();
		let _ = rpc;
		String::from_utf8_lossy(&out.stdout)
			.lines()
			.find_map(|l| l.strip_prefix("account").map(|a| a.trim().to_string()))
			.unwrap()
	};
	let accounts: Vec<String> = miners.iter().map(|m| account_of(m, &rpc)).collect();
	let index_of = |account: &str| accounts.iter().position(|a| a == account).expect("known miner");

	// Alice's off-chain worker probes the miners holding data over HTTP (one validator is the
	// quorum on a dev chain): a served probe is reported and credited.
	wait_for("a reachable miner's probe to be credited", Duration::from_secs(300), || {
		placed.iter().any(|c| probe_credits(&rpc, &c.0).0 >= 1)
	});

	// A miner loses its whole store: it reports the loss and the spare miner restores the column.
	let lost = index_of(&placed[0].0);
	let spare = (0..4).find(|i| placed.iter().all(|c| index_of(&c.0) != *i)).unwrap();
	miners[lost].stop();
	std::fs::remove_dir_all(miners[lost].data_dir.join("store")).unwrap();
	miners[lost].start();
	wait_for("column 0 to be restored by the spare miner", Duration::from_secs(300), || {
		let now = columns(&rpc, &file_id);
		now[0].1 == "stored" && now[0].0 == accounts[spare]
	});
	download_matches(&rpc, &file_id, &original, &dir);

	// A fragment rots on disk: the self-check reports it (credit penalty) and it is restored.
	let rotten = index_of(&placed[1].0);
	let credit_before = miners[rotten].credit();
	let objects = miners[rotten].data_dir.join("store/objects");
	// The largest object without an extension: a fragment of the 64 MiB file (`.upper` files
	// hold tree levels).
	let fragment = walk(&objects)
		.into_iter()
		.filter(|p| p.extension().is_none())
		.max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
		.expect("a fragment");
	let mut bytes = std::fs::read(&fragment).unwrap();
	bytes[1000] ^= 0xff;
	std::fs::write(&fragment, bytes).unwrap();
	wait_for("column 1 to be restored after the corruption", Duration::from_secs(300), || {
		let now = columns(&rpc, &file_id);
		now[1].1 == "stored" && now[1].0 != placed[1].0
	});
	assert!(
		miners[rotten].log().contains("loss reported to the chain"),
		"{}",
		miners[rotten].log()
	);
	assert!(miners[rotten].credit() < credit_before, "a reported loss costs credit");
	download_matches(&rpc, &file_id, &original, &dir);

	// In the same round, a miner stops answering and another one's store is emptied while it
	// runs: both fail the round and are penalised; the emptied one reports its loss at once.
	let now = columns(&rpc, &file_id);
	let silent = index_of(&now[2].0);
	let emptied = index_of(&now[0].0);
	// Only the round may find the emptied store: its periodic self-check is an hour away.
	miners[emptied].stop();
	let checks = miners[emptied].logged("self-check done");
	miners[emptied].start_checking_every(3600);
	wait_for("the restarted miner's first self-check", Duration::from_secs(60), || {
		miners[emptied].logged("self-check done") > checks
	});
	let credit_silent = miners[silent].credit();
	let credit_emptied = miners[emptied].credit();
	let failed_emptied = miners[emptied].audits().1;
	let reports = miners[emptied].logged("loss reported to the chain");
	let objects = miners[emptied].data_dir.join("store/objects");
	std::fs::remove_dir_all(&objects).unwrap();
	std::fs::create_dir(&objects).unwrap();
	let probes_failed = probe_credits(&rpc, &accounts[silent]).1;
	miners[silent].signal("-STOP");
	// The emptied miner cannot answer its challenge and reports the loss at once, which fails
	// the round (the chain does not wait for the window to close); the stopped miner does not
	// answer the validator's probes either and is reported unreachable.
	wait_for("the silent and the emptied miner to fail a round", Duration::from_secs(420), || {
		columns(&rpc, &file_id)[2].3 >= 1
			&& miners[emptied].audits().1 > failed_emptied
			&& probe_credits(&rpc, &accounts[silent]).1 > probes_failed
	});
	miners[silent].signal("-CONT");
	assert!(miners[silent].credit() < credit_silent, "a missed round costs credit");
	assert!(miners[emptied].credit() < credit_emptied, "a failed round costs credit");
	assert!(miners[emptied].logged("cannot answer the challenge") >= 1);
	assert!(miners[emptied].logged("loss reported to the chain") > reports);

	uploads_do_not_wait_for_a_dead_miner(&rpc, &dir, &mut miners[lost]);
	client_pushes_are_checked(&rpc);
	drop(node);
}

/// A client pushing a tampered fragment or a bad acceptance to a real miner is refused.
fn client_pushes_are_checked(rpc: &str) {
	use cess_chain::{
		api::{
			self,
			runtime_types::{
				bounded_collections::bounded_vec::BoundedVec,
				cess_primitives::types::ErasureProfile as ChainProfile,
			},
		},
		signer, submit, Wait,
	};
	use cess_client::{
		encode,
		net::{dial_info, libp2p::identity::Keypair, Host, Refusal, Request, Response},
		EncodeOptions, Encryption, MemStore,
	};
	use cess_primitives::{
		traits::acceptance_message,
		types::{ErasureProfile, DEFAULT_SEGMENT_SIZE},
	};

	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let client = cess_chain::connect(rpc).await.unwrap();
		let alice = signer("//Alice").unwrap();
		let data: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(7919) >> 3) as u8).collect();
		let options = EncodeOptions {
			profile: ErasureProfile::new(2, 1),
			segment_size: DEFAULT_SEGMENT_SIZE,
			hash_threads: 1,
		};
		let mut store = MemStore::new();
		let manifest =
			encode(&data[..], data.len() as u64, Encryption::Public, &options, &mut store).unwrap();
		let file_id = *manifest.file_id();
		let layout = manifest.layout();
		let declare = api::tx().file_bank().upload_declaration(
			file_id,
			layout.size,
			layout.segment_count(),
			ChainProfile { k: 2, m: 1 },
			BoundedVec(b"pushed-by-hand".to_vec()),
			BoundedVec(b"e2e".to_vec()),
			None,
		);
		submit(&client, &declare, &alice, Wait::Finalized).await.unwrap();

		// The miners are drawn at the start of the next block.
		let (at, file) = loop {
			let at = client.at_current_block().await.unwrap();
			let file = at
				.storage()
				.fetch(api::storage().file_bank().files(), (file_id,))
				.await
				.unwrap()
				.decode()
				.unwrap();
			if !file.columns.0.is_empty() {
				break (at, file);
			}
			tokio::time::sleep(std::time::Duration::from_secs(1)).await;
		};
		let miner = file.columns.0[0].miner;
		let info = at
			.storage()
			.fetch(api::storage().sminer().miners(), (miner,))
			.await
			.unwrap()
			.decode()
			.unwrap();
		let multiaddrs = info.multiaddrs.0.iter().map(|a| &a.0[..]);
		let (peer, addrs) = dial_info(&info.peer_id.0, multiaddrs).unwrap();
		let host = Host::start(Keypair::generate_ed25519(), &[], None).await.unwrap();
		let ask = |request| host.request(peer, addrs.clone(), request);

		let offer = Request::Offer { column: 0, manifest: manifest.to_bytes() };
		match ask(offer).await.unwrap() {
			Response::Need { segments } => assert_eq!(segments, vec![0]),
			other => panic!("offer: {other:?}"),
		}
		let fragment = store.fragment(0, 0).unwrap().to_vec();
		let mut tampered = fragment.clone();
		tampered[10] ^= 1;
		let push = |data| Request::Fragment { file_id, segment: 0, column: 0, data };
		match ask(push(tampered)).await.unwrap() {
			Response::Refused { refusal: Refusal::BadFragment, .. } => {},
			other => panic!("a tampered fragment must be refused: {other:?}"),
		}
		match ask(push(fragment)).await.unwrap() {
			Response::Stored => {},
			other => panic!("fragment: {other:?}"),
		}
		// Signed by Bob, not by the uploader.
		let bob = signer("//Bob").unwrap();
		let signature = bob.sign(&acceptance_message(&file_id, 0, &miner.0)).0;
		match ask(Request::Accept { file_id, column: 0, signature }).await.unwrap() {
			Response::Refused { refusal: Refusal::Rejected, reason } => {
				assert!(reason.contains("BadAcceptance"), "{reason}")
			},
			other => panic!("a bad acceptance must be refused: {other:?}"),
		}
	});
}

fn walk(dir: &Path) -> Vec<PathBuf> {
	let mut out = Vec::new();
	for entry in std::fs::read_dir(dir).unwrap().flatten() {
		let path = entry.path();
		if path.is_dir() {
			out.extend(walk(&path));
		} else {
			out.push(path);
		}
	}
	out
}
