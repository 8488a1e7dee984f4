//! Idle space end to end on a dev node with four `cess-miner run --idle-space 8MiB` miners (the
//! dev chain's idle files are 512 KiB): every miner generates its files, declares the batch,
//! passes the generation check the chain draws a round later and then space rounds, and earns
//! the idle share of the era's rewards while it stores no data. A file uploaded to them
//! converts idle files of the miners holding its columns to service space; they delete those
//! files once the round is over and generate new ones to keep their idle space. A miner whose
//! idle files are deleted under it misses its space round and is penalised (credit, and its
//! failures counted).

mod common;

use cess_chain::{
	api::{self, runtime_types::pallet_idle_space::types::IdleSummary},
	AccountId,
};
use common::{
	cluster::{cess, random_file, start_miners_with, wait_for, Miner},
	temp_dir, Node, NodeConfig,
};
use std::{path::Path, time::Duration};

/// Idle space each miner keeps: 16 files of the dev chain's 512 KiB.
const IDLE: u64 = 8 << 20;

fn account(miner: &Miner) -> AccountId {
	cess_chain::account_of(&cess_chain::signer(miner.account).expect("a dev account"))
}

/// `miner`'s idle account as the chain reports it (`None` before its first batch).
fn idle(rpc: &str, miner: &Miner) -> Option<IdleSummary> {
	let who = account(miner);
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let client = cess_chain::connect(rpc).await.unwrap();
		let at = client.at_current_block().await.unwrap();
		at.runtime_apis()
			.call(api::runtime_apis().idle_space_api().idle_summary(who))
			.await
			.unwrap()
	})
}

/// `miner`'s claimable rewards, in units.
fn claimable(rpc: &str, miner: &Miner) -> u128 {
	let who = account(miner);
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let client = cess_chain::connect(rpc).await.unwrap();
		let at = client.at_current_block().await.unwrap();
		let eras = at
			.runtime_apis()
			.call(api::runtime_apis().storage_rewards_api().claimable(who))
			.await
			.unwrap();
		eras.iter().map(|(_, amount)| amount).sum()
	})
}

/// Idle files whose last layer is on `miner`'s disk.
fn files_on_disk(miner: &Miner) -> usize {
	fn walk(dir: &Path) -> usize {
		std::fs::read_dir(dir).map_or(0, |entries| {
			entries
				.flatten()
				.map(|e| {
					let path = e.path();
					if path.is_dir() {
						walk(&path)
					} else {
						usize::from(path.extension().is_some_and(|x| x == "last"))
					}
				})
				.sum()
		})
	}
	walk(&miner.data_dir.join("idle"))
}

#[test]
fn miners_prove_earn_and_convert_idle_space_and_are_penalised_when_it_is_gone() {
	let mut node = Node::start(NodeConfig::new("dev-idle", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(180));
	let rpc = node.ws_url();
	let miners = start_miners_with(&rpc, &["--idle-space", "8MiB", "--idle-threads", "1"]);

	// Generated, declared, checked a round later: every miner's idle space is verified.
	wait_for("every miner's idle space verified", Duration::from_secs(420), || {
		miners.iter().all(|m| idle(&rpc, m).is_some_and(|s| s.idle == IDLE))
	});
	for m in &miners {
		assert_eq!(files_on_disk(m), 16, "{}: 16 idle files on disk", m.account);
		assert!(m.logged("generation proof submitted") >= 1, "{}", m.log());
	}
	// Space rounds: every miner proves the next round, and it earns for it with no data stored.
	wait_for("every miner passed a space round", Duration::from_secs(300), || {
		miners.iter().all(|m| {
			idle(&rpc, m)
				.is_some_and(|s| s.account.last_proved.is_some() && s.account.failures == 0)
		})
	});

	// User data converts idle space: a 2 MiB file (2 + 1 columns of about 1 MiB).
	cess(&rpc, &["buy-space", "--gib", "1", "--days", "30"]);
	let file = temp_dir("idle-upload").join("data.bin");
	random_file(&file, 2 << 20, 7);
	let file_id = cess(&rpc, &["upload", file.to_str().unwrap()]).trim().to_string();
	assert!(cess(&rpc, &["info", &file_id]).contains("active"), "the upload is active");
	let holders: Vec<&Miner> =
		miners.iter().filter(|m| idle(&rpc, m).is_some_and(|s| s.account.service > 0)).collect();
	assert_eq!(holders.len(), 3, "the three miners holding a column converted idle files");
	for m in &holders {
		let s = idle(&rpc, m).unwrap();
		assert!(s.idle < IDLE, "{}: idle space converted", m.account);
		// The identity the pallet keeps: nothing made or lost by the conversion.
		assert_eq!(s.account.verified, s.idle + s.account.reserve + s.account.service);
	}
	// A miner whose idle files are deleted under it misses its next space round.
	let victim = miners
		.iter()
		.find(|m| holders.iter().all(|h| h.account != m.account))
		.expect("one miner holds no column");
	assert_eq!(files_on_disk(victim), 16);
	let credit = victim.credit();
	std::fs::remove_dir_all(victim.data_dir.join("idle")).unwrap();
	std::fs::create_dir_all(victim.data_dir.join("idle")).unwrap();

	// Once the round is over the holders delete the converted files, and generate new ones to
	// keep 8 MiB of idle space.
	wait_for("the converted files deleted and replaced", Duration::from_secs(420), || {
		holders.iter().all(|m| {
			m.logged("converted idle file deleted") >= 1
				&& idle(&rpc, m).is_some_and(|s| s.idle + s.pending == IDLE)
		})
	});
	wait_for("the miner without its idle files is penalised", Duration::from_secs(420), || {
		idle(&rpc, victim).is_none_or(|s| s.account.failures >= 1)
	});
	assert!(victim.credit() < credit, "{} lost credit", victim.account);
	assert!(victim.logged("cannot answer the space challenge") >= 1, "{}", victim.log());
	// The rounds it proved before earned it the idle share, though it never stored data.
	wait_for("the idle share is claimable", Duration::from_secs(600), || {
		claimable(&rpc, victim) > 0
	});
}
