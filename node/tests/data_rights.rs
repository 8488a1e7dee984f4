//! Data rights end to end with real processes: a dev node, four `cess-miner run` miners and the
//! `cess` CLI. Alice stores a text, registers it (SimHash certificate) and sells access; Ferdie
//! requests and pays, Alice's client delivers the re-wrapped key, and Ferdie downloads and
//! decrypts the text byte-identical; blacklisted Eve is refused; Ferdie then stores a reformatted
//! copy of the text, his registration opens a dispute, and root (sudo) resolves it; the evidence
//! log shows every step. (Users other than the miners' accounts act, so no user transaction
//! races a miner's proof for a nonce.)

mod common;

use common::{
	cluster::{cess, cess_as, cess_fails, cess_with_stderr, start_miners},
	temp_dir, Node, NodeConfig,
};
use std::{path::Path, time::Duration};

/// A deterministic English-like text of `words` words (lines of 12 words).
fn text(words: usize) -> String {
	const VOCABULARY: &[&str] = &[
		"storage",
		"miners",
		"prove",
		"every",
		"round",
		"that",
		"they",
		"still",
		"hold",
		"the",
		"fragments",
		"of",
		"files",
		"which",
		"owners",
		"encrypt",
		"before",
		"upload",
		"and",
		"chain",
		"verifies",
		"proofs",
		"pays",
		"rewards",
		"while",
		"clients",
		"download",
		"any",
		"segment",
		"from",
		"fastest",
		"peers",
		"restoring",
		"lost",
		"columns",
		"elsewhere",
		"licenses",
		"grant",
		"access",
		"keys",
		"wrapped",
		"for",
		"readers",
		"who",
		"paid",
	];
	let mut x = 0x2545_f491_4f6c_dd1du64;
	let mut out = String::new();
	for i in 0..words {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out.push_str(VOCABULARY[(x % VOCABULARY.len() as u64) as usize]);
		out.push(if i % 12 == 11 { '\n' } else { ' ' });
	}
	out
}

/// The SS58 address of a secret URI, from `cess account`.
fn address(rpc: &str, uri: &str) -> String {
	cess_as(rpc, uri, &["account"])
		.lines()
		.find_map(|l| l.strip_prefix("account").map(|a| a.trim().to_string()))
		.expect("cess account prints the address")
}

fn upload(rpc: &str, uri: &str, path: &Path) -> String {
	cess_as(rpc, uri, &["buy-space", "--gib", "1", "--days", "30"]);
	cess_as(rpc, uri, &["upload", path.to_str().unwrap()]).trim().to_string()
}

#[test]
fn owners_certify_license_and_share_files() {
	let mut node = Node::start(NodeConfig::new("rights", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let rpc = node.ws_url();
	let dir = temp_dir("rights-files");
	let _miners = start_miners(&rpc);
	let (ferdie, eve) = (address(&rpc, "//Ferdie"), address(&rpc, "//Eve"));

	// Alice stores a text and registers it: a SimHash certificate.
	let original = dir.join("essay.txt");
	std::fs::write(&original, text(20_000)).unwrap();
	let file = upload(&rpc, "//Alice", &original);
	let out = cess(&rpc, &["rights", "register", &file, "--path", original.to_str().unwrap()]);
	assert!(out.contains("certificate issued") && out.contains("text SimHash"), "{out}");
	let show = cess(&rpc, &["rights", "show", &file]);
	assert!(show.contains("text SimHash"), "{show}");
	// The upload committed to the fingerprint: the certificate counts from the upload's block.
	let block_of = |label: &str| -> u64 {
		let line = show.lines().find(|l| l.starts_with(label)).expect("a block line");
		line.split_whitespace().nth(if label == "claim" { 3 } else { 2 }).unwrap().parse().unwrap()
	};
	assert!(block_of("claim") < block_of("registered"), "{show}");

	// 5 TCESS per access, Eve blacklisted.
	cess(&rpc, &["policy", "set", &file, "--price", "5", "--blacklist", &eve]);
	assert!(cess(&rpc, &["rights", "show", &file]).contains("5 TCESS per access"));

	// Ferdie pays and is granted at once; the key follows from Alice's client.
	let out =
		cess_as(&rpc, "//Ferdie", &["access", "request", &file, "--offer", "6", "--wait", "0"]);
	assert!(out.contains("access granted (paid 5 TCESS)"), "{out}");
	let copy = dir.join("copy.txt");
	let err = cess_fails(&rpc, "//Ferdie", &["download", &file, copy.to_str().unwrap()]);
	assert!(err.contains("has not delivered the key yet"), "{err}");
	assert!(cess(&rpc, &["access", "list", &file]).contains("key NOT delivered"));
	let out = cess(&rpc, &["access", "grant", &file, &ferdie]);
	assert!(out.contains("key delivered"), "{out}");
	cess_as(&rpc, "//Ferdie", &["download", &file, copy.to_str().unwrap()]);
	assert!(
		std::fs::read(&copy).unwrap() == std::fs::read(&original).unwrap(),
		"shared download differs"
	);

	// Eve is refused, and has no key to download with.
	let err = cess_fails(&rpc, "//Eve", &["access", "request", &file, "--offer", "100"]);
	assert!(err.contains("Blacklisted"), "{err}");
	let err =
		cess_fails(&rpc, "//Eve", &["download", &file, dir.join("eve.txt").to_str().unwrap()]);
	assert!(err.contains("you have no access"), "{err}");

	// Ferdie stores a reformatted copy: his registration opens a dispute that root dismisses.
	let copied = dir.join("copied.txt");
	std::fs::write(
		&copied,
		text(20_000).replace(" the ", " the, ").to_uppercase().replace('\n', "  "),
	)
	.unwrap();
	let claim = upload(&rpc, "//Ferdie", &copied);
	let out = cess_as(
		&rpc,
		"//Ferdie",
		&["rights", "register", &claim, "--path", copied.to_str().unwrap()],
	);
	assert!(out.contains("registration disputed (dispute 0)"), "{out}");
	let show = cess(&rpc, &["rights", "show", &claim]);
	assert!(show.contains("no certificate") && show.contains("dispute      0"), "{show}");
	let err = cess_fails(&rpc, "//Ferdie", &["rights", "resolve", "0", "dismiss"]);
	assert!(err.contains("RequireSudo") || err.contains("sudo"), "{err}");
	cess(&rpc, &["rights", "resolve", "0", "dismiss"]);
	let show = cess(&rpc, &["rights", "show", &claim]);
	assert!(show.contains("no certificate") && !show.contains("dispute "), "{show}");

	// Eve uploads a public notice Alice stored before: knowing its id is not enough, her client
	// proves the content from its own encoding and she becomes an owner.
	let notice = dir.join("notice.txt");
	std::fs::write(&notice, text(3_000)).unwrap();
	cess(&rpc, &["upload", notice.to_str().unwrap(), "--public"]);
	cess_as(&rpc, "//Eve", &["buy-space", "--gib", "1", "--days", "30"]);
	let (out, err) =
		cess_with_stderr(&rpc, "//Eve", &["upload", notice.to_str().unwrap(), "--public"]);
	assert!(err.contains("proving it to become an owner"), "{err}");
	let shared = out.trim().to_string();
	let info = cess(&rpc, &["info", &shared]);
	assert!(info.contains(&eve), "Eve is an owner:\n{info}");

	// Every step is on record.
	let log = cess(&rpc, &["log", &file]);
	for step in [
		"registered",
		"policy changed",
		"requested",
		"paid",
		"granted",
		"key delivered",
		"dispute 0 opened",
		"dispute 0: Dismiss",
	] {
		assert!(log.contains(step), "`{step}` missing from the log:\n{log}");
	}
	assert!(log.contains("5 TCESS"), "{log}");
}
