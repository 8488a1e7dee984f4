//! Retrievability probes: the off-chain worker against a scripted HTTP responder, and the
//! chain's quorum over validators' reports.

use crate::{
	mock::*, Authorities, Call, Error, Event, PrivateEndpointsAllowed, ProbeReport, Probes,
};
use cess_primitives::{
	merkle::{fragment_hash, FileTree},
	possession::{challenge_seed, expand_one, prove, Holding, SamplePath},
	probe::{ip4_http_multiaddr, probe_path},
	traits::CreditReason,
	types::FileId,
};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{Authorize, Hooks},
		WeakBoundedVec,
	},
	frame_system::RawOrigin,
	sp_core::offchain::{
		testing::{PendingRequest, TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	sp_runtime::{
		testing::UintAuthorityId,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		RuntimeAppPublic,
	},
};

/// The seed of the test node's off-chain randomness.
const NODE_SEED: [u8; 32] = [7; 32];

/// Gives miner `who` column 1 of a real two-segment file (profile 2 + 1), reachable on
/// 127.0.0.1:8080; returns the file id and the URI and body of an honest answer to the probe the
/// test node's worker makes.
fn give_real(who: u64) -> (FileId, String, Vec<u8>) {
	let (layout, fragments) = file_fragments(5, 2 * SEGMENT);
	let file_id = give_fragments(who, layout, &fragments, 1, 0);
	ADDRS.with(|a| a.borrow_mut().insert(who, vec![ip4_http_multiaddr([127, 0, 0, 1], 8080)]));
	// One holding: the worker's byte-fair draw of one leaf is `expand_one` over it.
	let seed = challenge_seed(&NODE_SEED, 1, &who.encode());
	let sample = expand_one(&seed, 1, &Holding { file_id, column: 1, layout })[0];
	let hashes: Vec<_> = fragments.iter().flatten().map(|f| fragment_hash(f)).collect();
	let tree = FileTree::new(&hashes);
	let body = prove(&[sample], |s| {
		SamplePath::from_fragment(s, &fragments[s.segment as usize][1], &tree).ok_or(())
	})
	.unwrap();
	let uri = format!(
		"http://127.0.0.1:8080{}",
		probe_path(&file_id, sample.segment, sample.column, sample.leaf)
	);
	(file_id, uri, body)
}

fn set_authorities(ids: &[u64]) {
	Authorities::<Test>::put(WeakBoundedVec::force_from(
		ids.iter().copied().map(UintAuthorityId).collect(),
		None,
	));
}

/// How the scripted miner answers.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
	Honest,
	Corrupt,
	Empty,
	/// The miner registered no HTTP endpoint: nothing is fetched.
	NoEndpoint,
	/// Its endpoint (127.0.0.1) is private and the chain is no development chain: nothing is
	/// fetched.
	PrivateRefused,
}

/// Runs the off-chain worker at the first probe slot of round 1 with the miner answering as
/// `answer`; returns the report it submitted.
fn probe_with(answer: Answer) -> ProbeReport<u64> {
	let mut ext = new_test_ext();
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	state.write().seed = NODE_SEED;
	ext.execute_with(|| {
		let (file_id, uri, mut body) = give_real(1);
		set_authorities(&[10, 11, 12]);
		UintAuthorityId::set_all_keys(vec![11u64]);
		PrivateEndpointsAllowed::<Test>::put(answer != Answer::PrivateRefused);
		roll_to(2);
		match answer {
			Answer::Honest => {},
			Answer::Corrupt => body[40] ^= 1,
			Answer::Empty => body.clear(),
			Answer::PrivateRefused => {},
			Answer::NoEndpoint => {
				let libp2p_only = vec![4, 127, 0, 0, 1, 6, 0x0f, 0xa1];
				ADDRS.with(|a| a.borrow_mut().insert(1, vec![libp2p_only]));
			},
		}
		if !matches!(answer, Answer::NoEndpoint | Answer::PrivateRefused) {
			state.write().expect_request(PendingRequest {
				method: "GET".into(),
				uri,
				response: Some(body),
				sent: true,
				..Default::default()
			});
		}
		Audit::offchain_worker(2);
		// A second run in the same slot sends nothing.
		Audit::offchain_worker(2);
		let txs = &pool_state.read().transactions;
		assert_eq!(txs.len(), 1, "one report per slot and miner");
		let xt = Extrinsic::decode(&mut &txs[0][..]).unwrap();
		match xt.function {
			RuntimeCall::Audit(Call::report_probe { report, signature }) => {
				assert!(UintAuthorityId(11).verify(&report.encode(), &signature));
				assert_eq!((report.round, report.slot, report.authority_index), (1, 0, 1));
				assert_eq!(report.miner, 1);
				assert_eq!(report.file_id, file_id);
				report
			},
			other => panic!("unexpected call {other:?}"),
		}
	})
}

#[test]
fn worker_reports_a_served_leaf() {
	assert!(probe_with(Answer::Honest).served);
}

#[test]
fn worker_reports_bad_answers_and_missing_endpoints_as_not_served() {
	assert!(!probe_with(Answer::Corrupt).served);
	assert!(!probe_with(Answer::Empty).served);
	assert!(!probe_with(Answer::NoEndpoint).served);
	assert!(!probe_with(Answer::PrivateRefused).served);
}

fn report(authority: u32, served: bool) -> ProbeReport<u64> {
	ProbeReport {
		round: 1,
		slot: 0,
		authority_index: authority,
		miner: 1,
		file_id: [0; 32],
		segment: 0,
		column: 1,
		leaf: 0,
		served,
	}
}

/// Authorizes and dispatches `report` signed by authority key `key`.
fn submit(report: ProbeReport<u64>, key: u64) -> Result<(), &'static str> {
	let signature = UintAuthorityId(key).sign(&report.encode()).unwrap();
	let call: RuntimeCall =
		Call::report_probe { report: report.clone(), signature: signature.clone() }.into();
	call.authorize(TransactionSource::External)
		.expect("report_probe has an authorize")
		.map_err(<&'static str>::from)?;
	Audit::report_probe(RawOrigin::Authorized.into(), report, signature).map_err(|e| {
		let polkadot_sdk::sp_runtime::DispatchError::Module(m) = e else { return "other" };
		m.message.unwrap_or("module")
	})
}

fn probe_penalties() -> Vec<(u64, i32, CreditReason)> {
	PENALTIES.with(|p| {
		p.borrow()
			.iter()
			.filter(|x| matches!(x.2, CreditReason::ProbeFailed | CreditReason::ProbePassed))
			.cloned()
			.collect()
	})
}

#[test]
fn more_than_a_third_of_validators_must_agree_before_a_penalty() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		set_authorities(&[10, 11, 12, 13]);
		roll_to(2);
		// Quorum of 4 validators: 2.
		assert_ok!(submit(report(0, false), 10));
		assert!(probe_penalties().is_empty(), "one validator alone penalises nobody");
		assert_ok!(submit(report(1, false), 11));
		System::assert_has_event(Event::MinerUnreachable { miner: 1, round: 1, reports: 2 }.into());
		assert_ok!(submit(report(2, false), 12));
		assert_ok!(submit(report(3, true), 13));
		assert_eq!(
			probe_penalties(),
			vec![(1, -20, CreditReason::ProbeFailed), (1, 1, CreditReason::ProbePassed)],
			"one penalty and one reward per round"
		);
		assert_eq!(Probes::<Test>::get(1).unwrap().failures, 3);
		// Next round: the record is dropped when the miner is swept.
		roll_to(2 + ROUND + 1);
		assert!(Probes::<Test>::get(1).is_none());
	});
}

#[test]
fn reports_are_authorized_only_from_current_authorities() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		set_authorities(&[10, 11]);
		roll_to(2);
		let stale: &str = TransactionValidityError::Invalid(InvalidTransaction::Stale).into();
		let bad_proof: &str =
			TransactionValidityError::Invalid(InvalidTransaction::BadProof).into();
		let bad_signer: &str =
			TransactionValidityError::Invalid(InvalidTransaction::BadSigner).into();
		assert_eq!(submit(report(0, false), 11), Err(bad_proof), "signed by another key");
		assert_eq!(submit(report(5, false), 10), Err(bad_signer), "no such authority");
		assert_eq!(submit(ProbeReport { round: 2, ..report(0, false) }, 10), Err(stale));
		assert_ok!(submit(report(0, false), 10));
		assert_eq!(submit(report(0, true), 10), Err(stale), "one report per round and miner");
		assert_noop!(
			Audit::report_probe(
				RawOrigin::Authorized.into(),
				report(0, true),
				UintAuthorityId(10).sign(&report(0, true).encode()).unwrap()
			),
			Error::<Test>::AlreadyReported
		);
		assert_noop!(
			Audit::report_probe(
				RuntimeOrigin::signed(1),
				report(1, true),
				UintAuthorityId(11).sign(&report(1, true).encode()).unwrap()
			),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}

/// The attack: one probe key floods fee-free, high-priority reports about accounts no slot
/// targets (on e4b750e 1 000 such reports were accepted and their records never removed).
#[test]
fn probe_report_flooding_about_untargeted_accounts_is_refused() {
	build_and_execute(|| {
		give(1, 1, 50_000, 0);
		set_authorities(&[10, 11, 12, 13]);
		roll_to(2);
		let not_a_target: &str =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(1)).into();
		let future: &str = TransactionValidityError::Invalid(InvalidTransaction::Future).into();
		for who in 100..1100u64 {
			assert_eq!(
				submit(ProbeReport { miner: who, ..report(0, false) }, 10),
				Err(not_a_target)
			);
		}
		assert_eq!(submit(ProbeReport { slot: 1, ..report(0, false) }, 10), Err(future));
		assert_noop!(
			Audit::report_probe(
				RawOrigin::Authorized.into(),
				ProbeReport { miner: 100, ..report(0, false) },
				UintAuthorityId(10)
					.sign(&ProbeReport { miner: 100, ..report(0, false) }.encode())
					.unwrap()
			),
			Error::<Test>::NotAProbeTarget
		);
		// The slot's one target (miner 1, the only positive miner) is still reported.
		assert_ok!(submit(report(0, false), 10));
		assert_eq!(Probes::<Test>::iter().count(), 1);
	});
}
