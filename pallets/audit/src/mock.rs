//! A test runtime: System and Audit, with scripted miners whose holdings carry real fragment
//! bytes and their file's tree, so proofs are genuine.

use crate as pallet_audit;
use cess_primitives::{
	layout::FileLayout,
	merkle::{fragment_hash, FileTree},
	possession::{prove, Holding, SamplePath},
	traits::{
		CreditReason, MinerEndpoints, MinerPenalties, MinerRegistry, PlacementInfo, ProofRewards,
		SpaceError, StorageHoldings,
	},
	types::{Column, ErasureProfile, FileId, LEAF_BYTES},
};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ConstU64, Randomness},
	},
	frame_system,
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::testing::UintAuthorityId,
	sp_runtime::BuildStorage,
};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
/// The mock's extrinsic (probe reports travel as authorized transactions with no extension).
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

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
	pub type Audit = pallet_audit;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = ();
	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() {}
}

/// Blocks per round in the mock.
pub const ROUND: u64 = 10;
/// Proof window in the mock.
pub const WINDOW: u64 = 5;
/// Blocks between probe slots in the mock.
pub const PROBE_INTERVAL: u64 = 2;
/// Slash per consecutive miss.
pub const MISS_SLASH: u64 = 7;
/// Slash per failed proof.
pub const FAIL_SLASH: u64 = 11;

/// Chain randomness stand-in: different for every block.
pub struct TestRandomness;
impl Randomness<Option<H256>, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (Option<H256>, u64) {
		let n = frame_system::Pallet::<Test>::block_number();
		let h = cess_primitives::merkle::blake2_256_parts(&[subject, &n.to_le_bytes(), b"mock"]);
		(Some(H256(h)), n)
	}
}

/// Segment size of the mock's files.
pub const SEGMENT: u64 = 62 * LEAF_BYTES as u64;

/// One stored column with its bytes and its file's tree.
#[derive(Clone)]
pub struct Held {
	pub file_id: FileId,
	pub column: Column,
	pub layout: FileLayout,
	/// `fragments[seg]`: the column's fragment of each segment.
	pub fragments: Vec<Vec<u8>>,
	/// The file tree (over every column's fragment hashes).
	pub tree: Option<FileTree>,
}

impl Held {
	fn holding(&self) -> Holding {
		Holding { file_id: self.file_id, column: self.column, layout: self.layout }
	}
}

/// A scripted miner.
#[derive(Clone, Default)]
pub struct MockMiner {
	pub holdings: Vec<Held>,
	pub since: Option<u64>,
	pub forced_out: bool,
}

thread_local! {
	pub static MINERS: RefCell<BTreeMap<u64, MockMiner>> = const { RefCell::new(BTreeMap::new()) };
	pub static PENALTIES: RefCell<Vec<(u64, i32, CreditReason)>> = const { RefCell::new(Vec::new()) };
	pub static SLASHES: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
	pub static PASSES: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	/// Registered multiaddrs per miner.
	pub static ADDRS: RefCell<BTreeMap<u64, Vec<Vec<u8>>>> = const { RefCell::new(BTreeMap::new()) };
}

/// Every fragment of a `size`-byte file (profile 2 + 1, [`SEGMENT`]-byte segments) made from
/// `file_seed`: `[segment][column]`.
pub fn file_fragments(file_seed: u8, size: u64) -> (FileLayout, Vec<Vec<Vec<u8>>>) {
	let layout = FileLayout::new(size, SEGMENT, ErasureProfile::new(2, 1)).unwrap();
	let fragments = (0..layout.segment_count())
		.map(|seg| {
			(0..3u32)
				.map(|col| {
					let len = layout.fragment_len(seg) as usize;
					(0..len)
						.map(|i| {
							(i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1]
								^ file_seed ^ (seg * 3 + col) as u8
						})
						.collect()
				})
				.collect()
		})
		.collect();
	(layout, fragments)
}

/// Gives `who` column `column` of the file made of `fragments`, holding data since `since`;
/// returns the file id.
pub fn give_fragments(
	who: u64,
	layout: FileLayout,
	fragments: &[Vec<Vec<u8>>],
	column: Column,
	since: u64,
) -> FileId {
	let hashes: Vec<_> = fragments.iter().flatten().map(|f| fragment_hash(f)).collect();
	let tree = FileTree::new(&hashes);
	let file_id = tree.root();
	let own = fragments.iter().map(|cols| cols[usize::from(column)].clone()).collect();
	MINERS.with(|m| {
		let mut m = m.borrow_mut();
		let miner = m.entry(who).or_default();
		miner.holdings.push(Held { file_id, column, layout, fragments: own, tree: Some(tree) });
		miner.since.get_or_insert(since);
	});
	file_id
}

/// Gives `who` column 1 of a `size`-byte file made from `file_seed`, holding data since block
/// `since`.
pub fn give(who: u64, file_seed: u8, size: u64, since: u64) -> FileId {
	let (layout, fragments) = file_fragments(file_seed, size);
	give_fragments(who, layout, &fragments, 1, since)
}

/// Overwrites every `every`-th leaf of `who`'s data.
pub fn corrupt(who: u64, every: usize) {
	MINERS.with(|m| {
		for held in m.borrow_mut().get_mut(&who).unwrap().holdings.iter_mut() {
			for frag in held.fragments.iter_mut() {
				for (i, leaf) in frag.chunks_mut(LEAF_BYTES).enumerate() {
					if i % every == 0 {
						leaf.iter_mut().for_each(|b| *b = !*b);
					}
				}
			}
		}
	});
}

/// `who`'s proof for its current challenge, from the bytes it holds.
pub fn proof_of(who: u64) -> (u32, Vec<u8>) {
	let (round, samples) = Audit::current_challenge(&who).expect("challenged");
	let miner = MINERS.with(|m| m.borrow().get(&who).cloned().unwrap());
	let proof = prove(&samples, |s| {
		let held = miner.holdings.iter().find(|h| h.file_id == s.file_id).ok_or("not held")?;
		let tree = held.tree.as_ref().ok_or("no tree")?;
		SamplePath::from_fragment(s, &held.fragments[s.segment as usize], tree).ok_or("bad sample")
	})
	.unwrap();
	(round, proof)
}

/// `who`'s holdings per size class, in the order they were given.
fn classes_of(who: &u64) -> BTreeMap<u8, Vec<Holding>> {
	let mut out: BTreeMap<u8, Vec<Holding>> = BTreeMap::new();
	MINERS.with(|m| {
		for h in m.borrow().get(who).map(|x| x.holdings.clone()).unwrap_or_default() {
			out.entry(h.holding().class().unwrap()).or_default().push(h.holding());
		}
	});
	out
}

pub struct MockMiners;

impl MinerRegistry<u64> for MockMiners {
	fn positive_count() -> u32 {
		MINERS.with(|m| m.borrow().values().filter(|x| !x.forced_out).count() as u32)
	}
	fn positive_at(index: u32) -> Option<u64> {
		MINERS.with(|m| {
			m.borrow().iter().filter(|(_, x)| !x.forced_out).nth(index as usize).map(|(k, _)| *k)
		})
	}
	fn placement_info(_: &u64) -> Option<PlacementInfo> {
		None
	}
	fn is_positive(who: &u64) -> bool {
		MINERS.with(|m| m.borrow().get(who).is_some_and(|x| !x.forced_out))
	}
	fn lock_space(_: &u64, _: u64) -> Result<(), SpaceError> {
		Err(SpaceError::UnknownMiner)
	}
	fn unlock_space(_: &u64, _: u64) {}
	fn commit_space(_: &u64, _: u64) {}
	fn release_space(_: &u64, _: u64) {}
}

impl MinerEndpoints<u64> for MockMiners {
	fn multiaddrs(who: &u64) -> Vec<Vec<u8>> {
		ADDRS.with(|a| a.borrow().get(who).cloned().unwrap_or_default())
	}
}

impl ProofRewards<u64> for MockMiners {
	fn round_passed(who: &u64) {
		PASSES.with(|p| p.borrow_mut().push(*who));
	}
	fn idle_round_passed(_: &u64, _: u64) {}
}

impl MinerPenalties<u64, u64> for MockMiners {
	fn adjust_credit(who: &u64, delta: i32, reason: CreditReason) {
		PENALTIES.with(|p| p.borrow_mut().push((*who, delta, reason)));
	}
	fn slash(who: &u64, amount: u64) -> u64 {
		SLASHES.with(|s| s.borrow_mut().push((*who, amount)));
		amount
	}
	fn force_out(who: &u64) {
		MINERS.with(|m| m.borrow_mut().get_mut(who).map(|x| x.forced_out = true));
	}
}

impl StorageHoldings<u64, u64> for MockMiners {
	fn holding_count(who: &u64) -> u32 {
		MINERS.with(|m| m.borrow().get(who).map_or(0, |x| x.holdings.len() as u32))
	}
	fn snapshot_classes(who: &u64, _round: u32) -> Vec<(u8, u32)> {
		classes_of(who).iter().map(|(q, v)| (*q, v.len() as u32)).collect()
	}
	fn snapshot_holding(who: &u64, _round: u32, class: u8, index: u32) -> Option<Holding> {
		classes_of(who).get(&class)?.get(index as usize).copied()
	}
	fn holding_since(who: &u64) -> Option<u64> {
		MINERS.with(|m| m.borrow().get(who).and_then(|x| x.since))
	}
	fn miners_page(after: Option<&u64>, limit: u32) -> Vec<u64> {
		MINERS.with(|m| {
			m.borrow()
				.iter()
				.filter(|(k, v)| !v.holdings.is_empty() && after.is_none_or(|a| *k > a))
				.map(|(k, _)| *k)
				.take(limit as usize)
				.collect()
		})
	}
	fn miner_leaving(_: &u64, _: bool) {}
	fn outstanding_restorals(_: &u64) -> u32 {
		0
	}
	fn outstanding_bytes(_: &u64) -> u64 {
		0
	}
}

impl pallet_audit::Config for Test {
	type Balance = u64;
	type Miners = MockMiners;
	type Penalties = MockMiners;
	type ProbeDuty = ();
	type Rewards = MockMiners;
	type Holdings = MockMiners;
	type Randomness = TestRandomness;
	type RoundLength = ConstU64<ROUND>;
	type ProofWindow = ConstU64<WINDOW>;
	type ChallengeSamples = ConstU32<16>;
	type MaxProofLen = ConstU32<65536>;
	type MaxConsecutiveMisses = ConstU32<3>;
	type MissSlash = ConstU64<MISS_SLASH>;
	type FailSlash = ConstU64<FAIL_SLASH>;
	type SweepBatch = ConstU32<2>;
	type MaxHistory = ConstU32<8>;
	type AuthorityId = UintAuthorityId;
	type MaxAuthorities = ConstU32<16>;
	type Endpoints = MockMiners;
	type ProbeInterval = ConstU64<PROBE_INTERVAL>;
	type ProbesPerSlot = ConstU32<4>;
	type ProbePriority = ConstU64<{ u64::MAX / 2 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockMiners;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_audit::BenchmarkHelper<u64> for MockMiners {
	fn challengeable_miner(who: &u64, holdings: u32) {
		use cess_primitives::possession::uniform;
		let now = frame_system::Pallet::<Test>::block_number();
		MINERS.with(|m| {
			let mut m = m.borrow_mut();
			// The benchmark harness wipes storage between runs but not this thread-local.
			let miner = m.entry(*who).or_default();
			*miner = MockMiner::default();
			for i in 0..holdings {
				// Whole segments of zeros: every fragment alike, as the runtime's helper makes.
				let segments = 4 + i;
				let layout = FileLayout::new(
					SEGMENT * u64::from(segments),
					SEGMENT,
					ErasureProfile::new(2, 1),
				)
				.unwrap();
				let fragment = uniform::zero_fragment_hash(layout.fragment_len(0));
				let (file_id, _) = uniform::uniform_file(fragment, segments * 3);
				let held = Held { file_id, column: 1, layout, fragments: vec![], tree: None };
				miner.holdings.push(held);
			}
			miner.since.get_or_insert(now);
		});
	}
}

pub fn new_test_ext() -> TestExternalities {
	MINERS.with(|m| m.borrow_mut().clear());
	PENALTIES.with(|p| p.borrow_mut().clear());
	SLASHES.with(|s| s.borrow_mut().clear());
	PASSES.with(|p| p.borrow_mut().clear());
	ADDRS.with(|a| a.borrow_mut().clear());
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = TestExternalities::new(t);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Audit::do_try_state().expect("invariants hold");
	});
}

/// Runs blocks up to `n`.
pub fn roll_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

pub fn slashes() -> Vec<(u64, u64)> {
	SLASHES.with(|s| s.borrow().clone())
}

/// Miners reported to the rewards pallet as having passed, in order.
pub fn passes() -> Vec<u64> {
	PASSES.with(|p| p.borrow().clone())
}

pub fn forced_out(who: u64) -> bool {
	MINERS.with(|m| m.borrow().get(&who).is_some_and(|x| x.forced_out))
}
