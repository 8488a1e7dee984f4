//! Benchmarks of `pallet_audit`, each in its worst case: a submitted proof of `c` samples over
//! deep trees that is climbed to the end and fails at its last file (credit, slash, forced exit);
//! a swept miner that missed its last allowed round and is forced out.

use crate::*;
use alloc::vec::Vec;
use cess_primitives::possession::{prove, uniform, Sample, SamplePath};
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		assert_ok,
		traits::{Authorize, Get},
		BoundedVec, WeakBoundedVec,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::{traits::One, transaction_validity::TransactionSource, RuntimeAppPublic},
};

/// Most samples the `submit_proof` benchmark measures: four times the runtime's `c = 16`.
pub const MAX_BENCH_SAMPLES: u32 = 64;

/// A proof of `samples` over the all-zero files of [`BenchmarkHelper::challengeable_miner`],
/// with its last leaf changed: the verifier climbs every path and fails at the last file.
pub fn failing_proof(samples: &[Sample]) -> Vec<u8> {
	let mut proof = prove(samples, |s| {
		let fragment = uniform::zero_fragment(u64::from(s.fragment_len));
		let hash = uniform::zero_fragment_hash(u64::from(s.fragment_len));
		let (_, file) = uniform::uniform_file(hash, s.fragment_count() as u32);
		Ok::<_, ()>(SamplePath {
			leaf: [0; cess_primitives::types::LEAF_BYTES],
			fragment_path: fragment.path(u64::from(s.leaf)).ok_or(())?,
			file_path: file.path(s.fragment_index()).ok_or(())?,
		})
	})
	.expect("zero files prove");
	let leaves = usize::from(u16::from_le_bytes([proof[0], proof[1]]));
	proof[2 + (leaves - 1) * cess_primitives::types::LEAF_BYTES] ^= 1;
	proof
}

/// Starts round `index` one block after now (so data held now is challenged in it).
fn start_round<T: Config>(index: u32) -> BlockNumberFor<T> {
	let start = frame_system::Pallet::<T>::block_number() + One::one();
	frame_system::Pallet::<T>::set_block_number(start);
	CurrentRound::<T>::put(RoundInfo { index, start, seed: [7; 32] });
	start
}

/// A full authority set (one key repeated) in round 1, and a probe record of `miner` one failure
/// short of the quorum with every other authority reported: the report of the last authority is
/// the most expensive one (largest record, penalty, two events). The miner is the only positive
/// one, so slot 0 targets it.
fn probe_worst_case<T: Config>(
	miner: &T::AccountId,
) -> (ProbeReport<T::AccountId>, <T::AuthorityId as RuntimeAppPublic>::Signature) {
	// A registered miner with data, so the penalty lands on a real record (credit, history).
	T::BenchmarkHelper::challengeable_miner(miner, 1);
	let n = T::MaxAuthorities::get();
	let key = T::AuthorityId::generate_pair(None);
	Authorities::<T>::put(WeakBoundedVec::force_from(alloc::vec![key.clone(); n as usize], None));
	start_round::<T>(1);
	let mut record = ProbeRecord::<T>::new(1);
	record.reported_by = BoundedVec::truncate_from((0..n - 1).collect::<Vec<_>>());
	record.failures = Pallet::<T>::probe_quorum(n) - 1;
	Probes::<T>::insert(miner, record);
	let report = ProbeReport {
		round: 1,
		slot: 0,
		authority_index: n - 1,
		miner: miner.clone(),
		file_id: [1; 32],
		segment: 0,
		column: 0,
		leaf: 0,
		served: false,
	};
	let signature = key.sign(&report.encode()).expect("the benchmark key signs");
	(report, signature)
}

#[benchmarks(where <T as frame_system::Config>::RuntimeCall: From<Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_proof(c: Linear<1, MAX_BENCH_SAMPLES>) {
		let miner: T::AccountId = account("miner", 0, 0);
		T::BenchmarkHelper::challengeable_miner(&miner, c);
		Audits::<T>::insert(
			&miner,
			MinerAudit {
				consecutive_misses: T::MaxConsecutiveMisses::get().saturating_sub(1),
				..Default::default()
			},
		);
		start_round::<T>(1);
		let (_, samples) = Pallet::<T>::challenge_with(&miner, c).expect("challenged");
		let proof = failing_proof(&samples);

		#[block]
		{
			assert_ok!(Pallet::<T>::do_submit_proof(miner.clone(), 1, &proof, c));
		}

		assert_eq!(Audits::<T>::get(&miner).failed, 1);
	}

	#[benchmark]
	fn round_idle() {
		let start = start_round::<T>(1);

		#[block]
		{
			Pallet::<T>::maybe_start_round(start);
		}

		assert_eq!(CurrentRound::<T>::get().map(|r| r.index), Some(1));
	}

	#[benchmark]
	fn round_start() {
		let start = start_round::<T>(1);
		let next = start + T::RoundLength::get();

		#[block]
		{
			Pallet::<T>::maybe_start_round(next);
		}

		assert_eq!(CurrentRound::<T>::get().map(|r| r.index), Some(2));
		assert_eq!(Sweeps::<T>::get().len(), 1);
	}

	#[benchmark]
	fn sweep_idle() {
		#[block]
		{
			Pallet::<T>::sweep_step(One::one());
		}
	}

	#[benchmark]
	fn sweep_miner() {
		let miner: T::AccountId = account("miner", 0, 0);
		T::BenchmarkHelper::challengeable_miner(&miner, 1);
		Audits::<T>::insert(
			&miner,
			MinerAudit {
				consecutive_misses: T::MaxConsecutiveMisses::get().saturating_sub(1),
				..Default::default()
			},
		);
		let start = start_round::<T>(1);
		Sweeps::<T>::put(
			BoundedVec::try_from(alloc::vec![Sweep::<T> {
				round: 1,
				start,
				cursor: None,
				emptied: false,
			}])
			.expect("one sweep fits"),
		);

		#[block]
		{
			Pallet::<T>::sweep_step(start);
		}

		assert_eq!(Audits::<T>::get(&miner).missed, 1);
		assert!(Sweeps::<T>::get()[0].emptied, "the emptied holders are next");
	}

	#[benchmark]
	fn report_probe() {
		let miner: T::AccountId = account("miner", 0, 0);
		let (report, signature) = probe_worst_case::<T>(&miner);

		#[extrinsic_call]
		_(RawOrigin::Authorized, report, signature);

		assert!(Probes::<T>::get(&miner).is_some_and(|r| r.penalised));
	}

	#[benchmark]
	fn authorize_report_probe() {
		let miner: T::AccountId = account("miner", 0, 0);
		let (report, signature) = probe_worst_case::<T>(&miner);
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::report_probe { report, signature }.into();

		#[block]
		{
			assert!(call.authorize(TransactionSource::External).is_some_and(|r| r.is_ok()));
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
