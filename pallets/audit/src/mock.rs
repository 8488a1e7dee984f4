//! A test runtime: System and Audit, with scripted miners whose holdings carry real fragment
//! bytes and PoDR² tags, so proofs are genuine.

use crate as pallet_audit;
use cess_primitives::{
	layout::FileLayout,
	podr2::{name, prove, tag_fragment, ChallengedBlock, Params, SecretKey, Tag},
	traits::{
		CreditReason, MinerEndpoints, MinerPenalties, MinerRegistry, PlacementInfo, Podr2PublicKey,
		ProofRewards, SpaceError, StorageHoldings,
	},
	types::{Column, ErasureProfile, FileId},
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

/// One stored column with its bytes and tags.
#[derive(Clone)]
pub struct Held {
	pub file_id: FileId,
	pub column: Column,
	pub layout: FileLayout,
	/// `fragments[seg]`.
	pub fragments: Vec<Vec<u8>>,
	/// `tags[seg]`.
	pub tags: Vec<Vec<Tag>>,
}

/// A scripted miner.
#[derive(Clone, Default)]
pub struct MockMiner {
	pub holdings: Vec<Held>,
	pub version: u32,
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

/// The PoDR² key of miner `who`.
pub fn secret(who: u64) -> SecretKey {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	SecretKey::from_seed(&seed)
}

/// Gives `who` a column of a `size`-byte file (profile 2 + 1, 16 KiB segments), tagged with its
/// key, holding data since block `since`.
pub fn give(who: u64, file_seed: u8, size: u64, since: u64) {
	let layout = FileLayout::new(size, 16 * 1984, ErasureProfile::new(2, 1)).unwrap();
	let file_id = [file_seed; 32];
	let column = 1;
	let params = Params::default();
	let mut fragments = Vec::new();
	let mut tags = Vec::new();
	for seg in 0..layout.segment_count() {
		let len = layout.fragment_len(seg) as usize;
		let data: Vec<u8> = (0..len).map(|i| (i as u8) ^ file_seed ^ seg as u8).collect();
		tags.push(tag_fragment(&secret(who), &name(&file_id, seg, column), &data, params));
		fragments.push(data);
	}
	MINERS.with(|m| {
		let mut m = m.borrow_mut();
		let miner = m.entry(who).or_default();
		miner.holdings.push(Held { file_id, column, layout, fragments, tags });
		miner.version += 1;
		miner.since.get_or_insert(since);
	});
}

/// Overwrites every `every`-th PoDR² block of `who`'s data (its tags stay those of the
/// original bytes).
pub fn corrupt(who: u64, every: usize) {
	MINERS.with(|m| {
		for held in m.borrow_mut().get_mut(&who).unwrap().holdings.iter_mut() {
			for frag in held.fragments.iter_mut() {
				for (i, block) in frag.chunks_mut(1984).enumerate() {
					if i % every == 0 {
						block.iter_mut().for_each(|b| *b = !*b);
					}
				}
			}
		}
	});
}

/// `who`'s proof for its current challenge, from the bytes it holds.
pub fn proof_of(who: u64) -> (u32, u32, Vec<u8>) {
	let (round, version, samples) = Audit::current_challenge(&who).expect("challenged");
	let params = Params::default();
	let bb = params.block_bytes();
	let miner = MINERS.with(|m| m.borrow().get(&who).cloned().unwrap());
	let blocks: Vec<ChallengedBlock<'_>> = samples
		.iter()
		.map(|s| {
			let held = miner.holdings.iter().find(|h| h.file_id == s.file_id).unwrap();
			let frag = &held.fragments[s.segment as usize];
			ChallengedBlock {
				sample: *s,
				data: &frag[s.block as usize * bb..][..bb],
				tag: held.tags[s.segment as usize][s.block as usize],
			}
		})
		.collect();
	(round, version, prove(&blocks, params).unwrap().to_bytes())
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
	fn podr2_key(who: &u64) -> Option<Podr2PublicKey> {
		MINERS.with(|m| m.borrow().contains_key(who)).then(|| secret(*who).public_key().to_bytes())
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
	fn holding_at(who: &u64, index: u32) -> Option<(FileId, Column, FileLayout)> {
		MINERS.with(|m| {
			let m = m.borrow();
			let h = m.get(who)?.holdings.get(index as usize)?;
			Some((h.file_id, h.column, h.layout))
		})
	}
	fn holdings_version(who: &u64) -> u32 {
		MINERS.with(|m| m.borrow().get(who).map_or(0, |x| x.version))
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
}

impl pallet_audit::Config for Test {
	type Balance = u64;
	type Miners = MockMiners;
	type Penalties = MockMiners;
	type Rewards = MockMiners;
	type Holdings = MockMiners;
	type Randomness = TestRandomness;
	type RoundLength = ConstU64<ROUND>;
	type ProofWindow = ConstU64<WINDOW>;
	type ChallengeSamples = ConstU32<46>;
	type SectorsPerBlock = ConstU32<64>;
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
		let layout = FileLayout::new(100_000, 16 * 1984, ErasureProfile::new(2, 1)).unwrap();
		let now = frame_system::Pallet::<Test>::block_number();
		MINERS.with(|m| {
			let mut m = m.borrow_mut();
			// The benchmark harness wipes storage between runs but not this thread-local.
			let miner = m.entry(*who).or_default();
			*miner = MockMiner::default();
			for i in 0..holdings {
				let mut file_id = [0xbe; 32];
				file_id[..4].copy_from_slice(&i.to_le_bytes());
				let held = Held { file_id, column: 1, layout, fragments: vec![], tags: vec![] };
				miner.holdings.push(held);
			}
			miner.version += 1;
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
