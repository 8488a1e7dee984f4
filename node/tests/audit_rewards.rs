//! PoDR² audits and storage rewards on a dev node: three miners store a real file (fragments and
//! their Merkle trees), the chain challenges them, Bob's real proof verifies in the runtime,
//! Charlie's tampered one fails and is penalised, and Bob claims his share of the reward era (part
//! paid, part vesting). The chain is driven by a stock @polkadot/api script; this harness keeps
//! each miner's fragment in a `cess-miner` fragment store and answers the challenges the script
//! prints with `cess-miner`'s prover.

mod common;

use cess_client::FileManifest;
use cess_miner::{prover::answer, store::FragmentStore};
use cess_primitives::{
	layout::FileLayout,
	merkle::{blake2_256_parts, file_id, fragment_hash},
	possession::Sample,
	types::{ErasureProfile, FileId, DEFAULT_SEGMENT_SIZE},
};
use codec::Decode;
use common::{
	crate_dir, dev_miners, ensure_polkadot_js, hex, miners_json, temp_dir, unhex, Node, NodeConfig,
};
use std::{
	io::{BufRead, BufReader, Write},
	process::{Command, Stdio},
	time::Duration,
};

/// Size of the stored file: one segment, fragments of 20 KiB.
const FILE_SIZE: u64 = 40_000;

/// A deterministic file of profile 2 + 1: its fragments in column order and its id.
fn stored_file() -> (FileLayout, Vec<Vec<u8>>, FileId) {
	let layout = FileLayout::new(FILE_SIZE, DEFAULT_SEGMENT_SIZE, ErasureProfile::new(2, 1))
		.expect("valid layout");
	let len = layout.fragment_len(0) as usize;
	let fragments: Vec<Vec<u8>> = (0..3u8)
		.map(|column| {
			(0..len.div_ceil(32))
				.flat_map(|i| {
					blake2_256_parts(&[b"audit-e2e", &[column], &(i as u32).to_le_bytes()])
				})
				.take(len)
				.collect()
		})
		.collect();
	let hashes: Vec<_> = fragments.iter().map(|f| fragment_hash(f)).collect();
	(layout, fragments, file_id(&hashes))
}

/// A miner's store holding column `column` of the file.
fn miner_store(layout: FileLayout, fragments: &[Vec<u8>], column: u16) -> FragmentStore {
	let hashes: Vec<_> = fragments.iter().map(|f| fragment_hash(f)).collect();
	let manifest = FileManifest::new(layout, false, hashes.clone()).expect("valid manifest");
	let store = FragmentStore::open(temp_dir(&format!("store-{column}")), 1 << 30).expect("store");
	store.put_fragment(&hashes[column as usize], &fragments[column as usize]).expect("fragment");
	store.commit(&manifest, &[column]).expect("commit");
	store
}

#[test]
fn real_proof_passes_tampered_proof_fails_and_rewards_vest() {
	let dir = crate_dir().join("tests/polkadot-js");
	ensure_polkadot_js(&dir);
	let miners = dev_miners();
	let (layout, fragments, file_id) = stored_file();
	let file = format!(
		r#"{{"id":"{}","size":{FILE_SIZE},"segments":{}}}"#,
		hex(&file_id),
		layout.segment_count()
	);

	let mut node = Node::start(NodeConfig::new("dev-audit", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let mut script = Command::new("node")
		.arg("audit_rewards.mjs")
		.arg(node.ws_url())
		.arg(miners_json(&miners))
		.arg(&file)
		.current_dir(&dir)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("`node` is needed for this test: install Node.js 18 or newer");
	let mut stdin = script.stdin.take().expect("piped stdin");
	let stdout = BufReader::new(script.stdout.take().expect("piped stdout"));

	// The script prints the placement, then each challenge; we answer with proofs.
	let mut placement: Vec<String> = Vec::new();
	let mut transcript = String::new();
	for line in stdout.lines() {
		let line = line.expect("script output");
		transcript.push_str(&line);
		transcript.push('\n');
		let words: Vec<&str> = line.split_whitespace().collect();
		match words.as_slice() {
			["placement", uris] => placement = uris.split(',').map(str::to_owned).collect(),
			["challenge", uri, _round, samples] => {
				let column = placement.iter().position(|u| u == uri).expect("miner in placement");
				let store = miner_store(layout, &fragments, column as u16);
				let samples = Vec::<Sample>::decode(&mut &unhex(samples)[..])
					.expect("the runtime API's samples decode");
				let mut proof = answer(&store, &samples).expect("the miner answers its challenge");
				if *uri == "//Charlie" {
					// Tamper with the first challenged leaf: the proof must fail.
					proof[2 + 5] ^= 1;
				}
				writeln!(stdin, "proof {uri} {}", hex(&proof)).expect("answer the script");
			},
			_ => {},
		}
	}
	let output = script.wait_with_output().expect("script ends");
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "audit script failed:\n{transcript}\n{stderr}");
	assert!(transcript.contains("audit-rewards e2e: ok"), "unexpected output:\n{transcript}");
}
