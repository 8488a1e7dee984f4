//! Unit tests, split by feature, with shared helpers.

mod holdings;
mod lease;
mod restoral;
mod upload;

use crate::{mock::*, NameOf};
use cess_primitives::{
	layout::FileLayout,
	merkle::{fragment_hash, FileTree},
	possession::{prove, Sample, SamplePath},
	traits::acceptance_message,
	types::{Column, ErasureProfile, FileId},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_ok, BoundedVec},
	sp_runtime::{testing::TestSignature, DispatchResult},
};
use rand_core::{RngCore, SeedableRng};

/// A file with real fragment bytes, so its id, Merkle paths and proofs are genuine.
pub struct TestFile {
	pub id: FileId,
	pub size: u64,
	pub layout: FileLayout,
	/// `fragments[seg][col]`.
	pub fragments: Vec<Vec<Vec<u8>>>,
	pub tree: FileTree,
}

impl TestFile {
	/// A file of `size` random bytes with profile `(k, m)`.
	pub fn new(size: u64, k: u8, m: u8, seed: u64) -> Self {
		let profile = ErasureProfile::new(k, m);
		let layout = FileLayout::new(size, SEGMENT, profile).unwrap();
		let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
		let mut fragments = Vec::new();
		let mut hashes = Vec::new();
		for seg in 0..layout.segment_count() {
			let mut cols = Vec::new();
			for _ in 0..profile.total() {
				let mut f = vec![0u8; layout.fragment_len(seg) as usize];
				rng.fill_bytes(&mut f);
				hashes.push(fragment_hash(&f));
				cols.push(f);
			}
			fragments.push(cols);
		}
		let tree = FileTree::new(&hashes);
		Self { id: tree.root(), size, layout, fragments, tree }
	}

	pub fn profile(&self) -> ErasureProfile {
		self.layout.profile
	}

	pub fn segments(&self) -> u32 {
		self.layout.segment_count()
	}

	/// The proof of `who`'s join challenge, from the whole fragments.
	pub fn join_proof(&self, who: u64) -> Vec<u8> {
		let samples = FileBank::join_challenge(self.id, &who).expect("challenge available");
		self.prove(&samples)
	}

	/// The proof of `samples` from the whole fragments.
	pub fn prove(&self, samples: &[Sample]) -> Vec<u8> {
		prove(samples, |s| {
			let fragment = &self.fragments[s.segment as usize][usize::from(s.column)];
			SamplePath::from_fragment(s, fragment, &self.tree).ok_or("no such fragment")
		})
		.expect("whole fragments prove")
	}

	/// The proof of the chain's restoral challenge of `column`, from the whole fragments.
	pub fn restoral_proof(&self, column: Column) -> Vec<u8> {
		let samples = FileBank::restoral_challenge(self.id, column).expect("challenge available");
		assert_eq!(samples.len(), 4);
		self.prove(&samples)
	}
}

pub fn label(s: &str) -> NameOf<Test> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// Registers miners `first..first + n` with `declared` bytes each.
pub fn add_miners(first: u64, n: u64, declared: u64) {
	for who in first..first + n {
		MockMiners::add(who, declared);
	}
}

pub fn buy(who: u64, gib: u32, days: u32) {
	assert_ok!(FileBank::buy_space(RuntimeOrigin::signed(who), gib, days));
}

/// Declares `file` and places it as the next block's start would (without moving the block).
pub fn declare(who: u64, file: &TestFile) -> DispatchResult {
	declare_only(who, file)?;
	FileBank::place_declared(System::block_number());
	Ok(())
}

/// Declares `file`; it stays `Placing` until the next block.
pub fn declare_only(who: u64, file: &TestFile) -> DispatchResult {
	FileBank::upload_declaration(
		RuntimeOrigin::signed(who),
		file.id,
		file.size,
		file.segments(),
		file.profile(),
		label("photo.jpg"),
		label("album"),
		None,
	)
}

/// Asks to join the existing `file` for `who`, and answers the challenge in the next block.
pub fn join(who: u64, file: &TestFile) -> DispatchResult {
	declare_only(who, file)?;
	roll_to(System::block_number() + 1);
	prove_join(who, file, file.join_proof(who))
}

pub fn prove_join(who: u64, file: &TestFile, proof: Vec<u8>) -> DispatchResult {
	FileBank::prove_join(RuntimeOrigin::signed(who), file.id, BoundedVec::truncate_from(proof))
}

/// The miners of `file_id`'s columns.
pub fn miners_of(file_id: FileId) -> Vec<u64> {
	crate::Files::<Test>::get(file_id).unwrap().columns.iter().map(|c| c.miner).collect()
}

/// `owner`'s acceptance of `miner`'s column.
pub fn acceptance(owner: u64, file_id: FileId, column: Column, miner: u64) -> TestSignature {
	TestSignature(owner, acceptance_message(&file_id, column, &miner.encode()))
}

pub fn report(owner: u64, file_id: FileId, column: Column) -> DispatchResult {
	let miner = miners_of(file_id)[column as usize];
	FileBank::transfer_report(
		RuntimeOrigin::signed(miner),
		file_id,
		column,
		acceptance(owner, file_id, column, miner),
	)
}

/// What the upload deposits of `who` hold.
pub fn upload_deposit_held(who: u64) -> u64 {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::UploadDeposit.into(), &who)
}

/// What the join deposits of `who` hold.
pub fn join_deposit_held(who: u64) -> u64 {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::JoinRequest.into(), &who)
}

/// Declares and fully reports `file` for `owner`.
pub fn store(owner: u64, file: &TestFile) {
	assert_ok!(declare(owner, file));
	for c in 0..file.profile().total() as Column {
		assert_ok!(report(owner, file.id, c));
	}
}
