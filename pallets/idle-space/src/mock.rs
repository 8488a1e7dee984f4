//! A test runtime: System, Balances and IdleSpace, with scripted miners and audit rounds, and
//! honest (and dishonest) idle batches generated for real at small parameters.

use crate as pallet_idle_space;
use cess_primitives::{
	idle::{
		self, hash::lower_root, BatchTree, GenSample, GeneratedFile, IdleBatch, IdleParams,
		LayerTree, Regenerate, SpaceOpening, SpaceSample,
	},
	traits::{
		AuditRounds, CreditReason, MinerCapacity, MinerPenalties, MinerRegistry, PlacementInfo,
		ProofRewards, RoundStart, SpaceError,
	},
};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, Hooks},
	},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type IdleSpace = pallet_idle_space;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The mock's idle files: 64 labels (2 KiB kept per file), 4 layers, degree 6.
pub const P: IdleParams = IdleParams { layer_labels_log2: 6, layers: 4, degree: 6 };
/// Bytes per idle file.
pub const FILE: u64 = 64 * 32;
/// Deposit per batch.
pub const DEPOSIT: u64 = 100;
/// Collateral slashed per failed space round.
pub const SPACE_SLASH: u64 = 13;
/// The audit's proof window.
pub const WINDOW: u64 = 5;
/// Failed rounds in a row that forfeit the idle space.
pub const MAX_FAILURES: u32 = 3;
/// Generation-check samples (every layer once, the last twice more).
pub const GEN_SAMPLES: u32 = 6;

parameter_types! {
	pub const Params: IdleParams = P;
	pub static Enforce: bool = true;
	pub const BatchDeposit: u64 = DEPOSIT;
	pub const SpaceFailSlash: u64 = SPACE_SLASH;
}

thread_local! {
	/// Per miner: (positive, declared, used + locked).
	pub static MINERS: RefCell<BTreeMap<u64, (bool, u64, u64)>> = const { RefCell::new(BTreeMap::new()) };
	pub static ROUND: RefCell<Option<RoundStart<u64>>> = const { RefCell::new(None) };
	pub static PENALTIES: RefCell<Vec<(u64, i32, CreditReason)>> = const { RefCell::new(Vec::new()) };
	pub static SLASHES: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
	pub static IDLE_PASSES: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Scripted miners, penalties, rewards and rounds.
pub struct Mock;

impl Mock {
	/// Registers `who` as a positive miner with `declared` bytes and `held` bytes of data.
	pub fn miner(who: u64, declared: u64, held: u64) {
		MINERS.with(|m| m.borrow_mut().insert(who, (true, declared, held)));
	}
	/// Makes `who` positive or not.
	pub fn set_positive(who: u64, positive: bool) {
		MINERS.with(|m| m.borrow_mut().get_mut(&who).expect("registered").0 = positive);
	}
	pub fn penalties() -> Vec<(u64, i32, CreditReason)> {
		PENALTIES.with(|p| p.borrow().clone())
	}
	pub fn slashes() -> Vec<(u64, u64)> {
		SLASHES.with(|s| s.borrow().clone())
	}
	pub fn idle_passes() -> Vec<(u64, u64)> {
		IDLE_PASSES.with(|s| s.borrow().clone())
	}
}

impl MinerRegistry<u64> for Mock {
	fn positive_count() -> u32 {
		0
	}
	fn positive_at(_: u32) -> Option<u64> {
		None
	}
	fn placement_info(_: &u64) -> Option<PlacementInfo> {
		None
	}
	fn is_positive(who: &u64) -> bool {
		MINERS.with(|m| m.borrow().get(who).is_some_and(|v| v.0))
	}
	fn lock_space(_: &u64, _: u64) -> Result<(), SpaceError> {
		Ok(())
	}
	fn unlock_space(_: &u64, _: u64) {}
	fn commit_space(_: &u64, _: u64) {}
	fn release_space(_: &u64, _: u64) {}
}

impl MinerCapacity<u64> for Mock {
	fn capacity(who: &u64) -> Option<(u64, u64)> {
		MINERS.with(|m| m.borrow().get(who).map(|v| (v.1, v.2)))
	}
}

impl MinerPenalties<u64, u64> for Mock {
	fn adjust_credit(who: &u64, delta: i32, reason: CreditReason) {
		PENALTIES.with(|p| p.borrow_mut().push((*who, delta, reason)));
	}
	fn slash(who: &u64, amount: u64) -> u64 {
		SLASHES.with(|s| s.borrow_mut().push((*who, amount)));
		amount
	}
	fn force_out(_: &u64) {}
}

impl ProofRewards<u64> for Mock {
	fn round_passed(_: &u64) {}
	fn idle_round_passed(who: &u64, idle_bytes: u64) {
		IDLE_PASSES.with(|s| s.borrow_mut().push((*who, idle_bytes)));
	}
}

impl AuditRounds<u64> for Mock {
	fn current() -> Option<RoundStart<u64>> {
		ROUND.with(|r| *r.borrow())
	}
	fn proof_window() -> u64 {
		WINDOW
	}
}

impl pallet_idle_space::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ();
	type Miners = Mock;
	type Penalties = Mock;
	type Rewards = Mock;
	type Rounds = Mock;
	type Params = Params;
	type EnforceVerifiedCapacity = Enforce;
	type BatchDeposit = BatchDeposit;
	type MaxBatches = ConstU32<8>;
	type MaxPendingBatches = ConstU32<2>;
	type CheckRounds = ConstU32<2>;
	type GenerationSamples = ConstU32<GEN_SAMPLES>;
	type SpaceSamples = ConstU32<8>;
	type MaxGenerationProofLen = ConstU32<{ 64 * 1024 }>;
	type MaxSpaceProofLen = ConstU32<{ 16 * 1024 }>;
	type SpaceFailSlash = SpaceFailSlash;
	type MaxConsecutiveFailures = ConstU32<MAX_FAILURES>;
	type SweepBatch = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// Benchmark set-up on the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for BenchHelper {
	fn miner(who: &u64, capacity: u64) {
		Mock::miner(*who, capacity, 0);
	}
	fn start_round() {
		set_round();
	}
}

/// Starts the next audit round at the current block and lets the pallet see it.
pub fn start_round() {
	set_round();
	IdleSpace::on_initialize(System::block_number());
}

/// Starts the next audit round at the current block (the pallet sees it at its next hook).
pub fn set_round() {
	let now = System::block_number();
	ROUND.with(|r| {
		let mut r = r.borrow_mut();
		let index = r.map_or(1, |x| x.index + 1);
		let seed = cess_primitives::merkle::blake2_256_parts(&[b"round", &index.to_le_bytes()]);
		*r = Some(RoundStart { index, start: now, seed });
	});
}

/// The current round's number.
pub fn round() -> u32 {
	ROUND.with(|r| r.borrow().map_or(0, |x| x.index))
}

/// Moves to the next block, running the pallet's hook.
pub fn next_block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	IdleSpace::on_initialize(n);
}

/// Starts a round, then runs `blocks` more blocks of it (sweeping the previous round).
pub fn new_round(blocks: u64) {
	next_block();
	start_round();
	for _ in 0..blocks {
		next_block();
	}
}

/// A batch as an honest miner holds it: per file the last layer's tree and lower root.
pub struct Batch {
	pub who: u64,
	pub first: u64,
	pub lasts: Vec<(LayerTree, [u8; 32])>,
	pub tree: BatchTree,
}

impl Batch {
	/// Generates `count` honest files of `who` from `first`.
	pub fn honest(who: u64, first: u64, count: u32) -> Self {
		let miner = IdleSpace::miner_id(&who);
		let genesis = IdleSpace::genesis();
		let files: Vec<GeneratedFile> = (0..count)
			.map(|k| {
				idle::generate(&P, &idle::file_seed(&miner, first + u64::from(k), &genesis))
					.unwrap()
			})
			.collect();
		let commitments: Vec<_> = files.iter().map(GeneratedFile::commitment).collect();
		let tree = BatchTree::new(&P, first, &commitments).unwrap();
		let lasts = files
			.iter()
			.map(|f| (LayerTree::new(&f.last), lower_root(&f.roots[..f.roots.len() - 1])))
			.collect();
		Batch { who, first, lasts, tree }
	}

	/// What the chain records.
	pub fn batch(&self) -> IdleBatch {
		self.tree.batch()
	}

	/// The honest generation proof of `samples`.
	pub fn prove_generation(&self, samples: &[GenSample]) -> Vec<u8> {
		let miner = IdleSpace::miner_id(&self.who);
		let mut regen = Regenerate::new(&P, &miner, &IdleSpace::genesis(), self.first);
		idle::prove_generation(&P, &self.tree, samples, |k, l| regen.layer_tree(k, l)).unwrap()
	}

	/// The opening of a space sample; `None` for a file in `deleted`.
	pub fn open(&self, s: &SpaceSample) -> SpaceOpening {
		let (last, lower) = &self.lasts[s.file as usize];
		SpaceOpening::from_trees(s, last, *lower, &self.tree).unwrap()
	}
}

/// The space proof of `samples` from `batches` (each sample opened from the batch it names);
/// `None` if `keep` refuses a sample (the miner no longer has that label).
pub fn prove_space(
	batches: &[&Batch],
	samples: &[SpaceSample],
	keep: impl Fn(&SpaceSample) -> bool,
) -> Option<Vec<u8>> {
	idle::prove_space(&P, samples, |s| {
		if !keep(s) {
			return Err("label deleted");
		}
		let b = batches.iter().find(|b| b.batch() == s.batch).ok_or("unknown batch")?;
		Ok(b.open(s))
	})
	.ok()
}

/// Externalities with funded accounts 1..=9 and block 1, and a clean mock.
pub fn new_test_ext() -> TestExternalities {
	MINERS.with(|m| m.borrow_mut().clear());
	ROUND.with(|r| *r.borrow_mut() = None);
	PENALTIES.with(|p| p.borrow_mut().clear());
	SLASHES.with(|s| s.borrow_mut().clear());
	IDLE_PASSES.with(|s| s.borrow_mut().clear());
	Enforce::set(true);
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|who| (who, 10_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in fresh externalities with a clean mock, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		IdleSpace::do_try_state().expect("invariants hold");
	});
}
