//! Benchmarks of `pallet_idle_space`, each in its worst case, with proofs at the runtime's file
//! size built from sparse files (`cess_primitives::idle::sparse`): a declaration beside
//! `MaxBatches − 1` batches; a generation proof of a full batch climbed to the end and rejected
//! at the batch root (deposit slashed, credit lost); a passing space proof over `b` full
//! batches; a swept miner that missed its last allowed round, with expired checks, and
//! forfeits everything.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use cess_primitives::{
	idle::{
		self,
		hash::file_commitment_of,
		sparse::{answering_layers, SparseLayer},
		BatchTree, GenSample, IdleBatch, LayerView, SpaceOpening,
	},
	traits::AuditRounds,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::{fungible::Mutate, Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::{One, Saturating},
};

/// Files per batch in the benchmarks: the most a batch can have.
const FULL: u32 = idle::commit::MAX_BATCH_FILES;

/// A positive miner with room for every batch and funds for every deposit.
fn miner<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let capacity = u64::from(T::MaxBatches::get() + 1)
		.saturating_mul(u64::from(FULL))
		.saturating_mul(Pallet::<T>::file_bytes());
	T::BenchmarkHelper::miner(&who, capacity);
	let deposits = T::BatchDeposit::get().saturating_mul((T::MaxBatches::get() + 1).into());
	T::Currency::set_balance(&who, deposits.saturating_mul(4u32.into()));
	who
}

/// A batch shape of `FULL` files from `first` with a placeholder root.
fn shape(k: u64) -> IdleBatch {
	IdleBatch { root: [k as u8; 32], first: k * u64::from(FULL), count: FULL }
}

/// Gives `who` the records `records`, with their deposits held and the account to match.
fn give<T: Config>(who: &T::AccountId, records: Vec<BatchRecord>) {
	use polkadot_sdk::frame_support::traits::fungible::MutateHold;
	let deposit = T::BatchDeposit::get().saturating_mul((records.len() as u32).into());
	assert_ok!(T::Currency::hold(&HoldReason::BatchDeposit.into(), who, deposit));
	let verified = Pallet::<T>::live_idle_bytes(&records);
	let next_file = records.last().map_or(0, |r| r.batch.first + u64::from(r.batch.count));
	Accounts::<T>::insert(who, IdleAccount { next_file, verified, ..Default::default() });
	Batches::<T>::insert(who, BoundedVec::truncate_from(records));
}

/// A record of `batch` verified in the current round.
fn verified<T: Config>(batch: IdleBatch) -> BatchRecord {
	let mut r = BatchRecord::pending(batch, Pallet::<T>::round_index());
	r.state = BatchState::Verified { in_round: Pallet::<T>::round_index() };
	r
}

/// A record of `batch` declared in the current round (pending).
fn declared<T: Config>(batch: IdleBatch) -> BatchRecord {
	BatchRecord::pending(batch, Pallet::<T>::round_index())
}

/// Starts a round and lets the pallet see it.
fn next_round<T: Config>() -> u32 {
	let n = frame_system::Pallet::<T>::block_number() + One::one();
	frame_system::Pallet::<T>::set_block_number(n);
	T::BenchmarkHelper::start_round();
	Pallet::<T>::on_initialize(n);
	T::Rounds::current().expect("a round started").index
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn declare_batch() {
		let who = miner::<T>("miner");
		let max = u64::from(T::MaxBatches::get());
		let pending = u64::from(T::MaxPendingBatches::get());
		let records =
			(0..max - 1)
				.map(|k| {
					if k + pending < max {
						verified::<T>(shape(k))
					} else {
						declared::<T>(shape(k))
					}
				})
				.collect();
		give::<T>(&who, records);
		let batch = shape(max - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), batch);

		assert_eq!(Batches::<T>::decode_len(&who), Some(max as usize));
	}

	#[benchmark]
	fn submit_generation_proof() {
		let who = miner::<T>("miner");
		let max = u64::from(T::MaxBatches::get());
		let records = (0..max)
			.map(|k| if k + 1 < max { verified::<T>(shape(k)) } else { declared::<T>(shape(k)) })
			.collect();
		give::<T>(&who, records);
		next_round::<T>();
		let target = shape(max - 1);
		let samples = Pallet::<T>::generation_check(&who, target.first).expect("drawn");
		// Files answering the samples (all other labels zero); their batch root is not the
		// declared one, so the verifier climbs everything and fails at the very end.
		let params = T::Params::get();
		let miner_id = Pallet::<T>::miner_id(&who);
		let genesis = Pallet::<T>::genesis();
		let mut files: BTreeMap<u32, Vec<SparseLayer>> = BTreeMap::new();
		for f in samples.iter().map(|s| s.file) {
			if files.contains_key(&f) {
				continue;
			}
			let run: Vec<GenSample> = samples.iter().filter(|s| s.file == f).copied().collect();
			let seed = idle::file_seed(&miner_id, target.first + u64::from(f), &genesis);
			files.insert(f, answering_layers(&params, &seed, &run));
		}
		let commitments: Vec<[u8; 32]> = (0..FULL)
			.map(|f| match files.get(&f) {
				Some(layers) => {
					idle::file_commitment(&layers.iter().map(LayerView::root).collect::<Vec<_>>())
				},
				None => [f as u8; 32],
			})
			.collect();
		let tree = BatchTree::new(&params, target.first, &commitments).expect("a full batch");
		let proof = idle::prove_generation(&params, &tree, &samples, |f, l| {
			Ok::<_, ()>(files[&f][l as usize - 1].clone())
		})
		.expect("sparse files prove");
		let proof = BoundedVec::truncate_from(proof);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), target.first, proof);

		assert_eq!(Batches::<T>::decode_len(&who), Some(max as usize - 1), "rejected");
	}

	#[benchmark]
	fn submit_space_proof(b: Linear<1, { T::MaxBatches::get() }>) {
		let who = miner::<T>("miner");
		let params = T::Params::get();
		let shapes: Vec<IdleBatch> = (0..u64::from(b)).map(shape).collect();
		give::<T>(&who, shapes.iter().map(|s| verified::<T>(*s)).collect());
		let round = next_round::<T>();
		// The draw does not depend on the roots: learn it from the placeholders, then build
		// sparse last layers answering it and record the real roots.
		let (_, drawn, _) = Pallet::<T>::space_challenge(&who).expect("challenged");
		let mut lasts: BTreeMap<(u64, u32), SparseLayer> = BTreeMap::new();
		for s in &drawn {
			let layer =
				lasts.entry((s.batch.first, s.file)).or_insert_with(|| SparseLayer::new(&params));
			layer.set(s.node, [s.node as u8 ^ 0x5a; 32]);
		}
		let lower = [0x10; 32];
		let mut trees = BTreeMap::new();
		let mut records = Batches::<T>::get(&who);
		for record in records.iter_mut() {
			let first = record.batch.first;
			if !drawn.iter().any(|s| s.batch.first == first) {
				continue;
			}
			let commitments: Vec<[u8; 32]> = (0..FULL)
				.map(|f| match lasts.get(&(first, f)) {
					Some(last) => file_commitment_of(&last.root(), &lower),
					None => [f as u8; 32],
				})
				.collect();
			let tree = BatchTree::new(&params, first, &commitments).expect("a full batch");
			record.batch = tree.batch();
			trees.insert(first, tree);
		}
		Batches::<T>::insert(&who, records);
		let (_, samples, _) = Pallet::<T>::space_challenge(&who).expect("challenged");
		let proof = idle::prove_space(&params, &samples, |s| {
			let last = &lasts[&(s.batch.first, s.file)];
			Ok::<_, ()>(SpaceOpening {
				label: last.get(s.node),
				path: last.path(s.node).ok_or(())?,
				lower_root: lower,
				batch_path: trees[&s.batch.first].path(s.file).ok_or(())?,
			})
		})
		.expect("sparse files prove");
		let proof = BoundedVec::truncate_from(proof);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), round, proof);

		assert_eq!(Accounts::<T>::get(&who).and_then(|a| a.last_proved), Some(round));
		assert_eq!(Accounts::<T>::get(&who).map(|a| a.failures), Some(0), "the proof passed");
	}

	#[benchmark]
	fn round_idle() {
		next_round::<T>();
		#[block]
		{
			Pallet::<T>::note_round();
		}
	}

	#[benchmark]
	fn round_start() {
		next_round::<T>();
		let n = frame_system::Pallet::<T>::block_number() + One::one();
		frame_system::Pallet::<T>::set_block_number(n);
		T::BenchmarkHelper::start_round();
		#[block]
		{
			Pallet::<T>::note_round();
		}
		assert_eq!(Sweeps::<T>::decode_len(), Some(1));
	}

	#[benchmark]
	fn sweep_idle() {
		#[block]
		{
			Pallet::<T>::sweep_step();
		}
	}

	#[benchmark]
	fn sweep_miner() {
		// A miner with verified batches challenged in the swept round and not proved, one
		// failure short of forfeiting, and `MaxPendingBatches` checks that ran out.
		let who = miner::<T>("miner");
		let max = u64::from(T::MaxBatches::get());
		let pending_count = u64::from(T::MaxPendingBatches::get());
		let records: Vec<BatchRecord> = (0..max)
			.map(|k| {
				if k + pending_count < max {
					verified::<T>(shape(k))
				} else {
					declared::<T>(shape(k))
				}
			})
			.collect();
		for _ in 0..=T::CheckRounds::get() {
			next_round::<T>();
		}
		give::<T>(&who, records);
		Accounts::<T>::mutate(&who, |a| {
			if let Some(a) = a {
				a.failures = T::MaxConsecutiveFailures::get().saturating_sub(1);
			}
		});
		// Only the sweep of the round before the current one is left to do.
		let swept = SeenRound::<T>::get().saturating_sub(1);
		Sweeps::<T>::put(BoundedVec::truncate_from(alloc::vec![Sweep::<T> {
			round: swept,
			cursor: None
		}]));
		#[block]
		{
			Pallet::<T>::sweep_step();
		}
		assert!(Batches::<T>::get(&who).is_empty(), "everything forfeited");
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
