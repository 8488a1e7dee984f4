//! Tests of certificates, disputes, policies, access, revenue and the evidence log.

use crate::{mock::*, *};
use cess_primitives::types::FileId;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::Get, BoundedVec},
	sp_runtime::{DispatchError, DispatchResult, Perbill},
};

fn file(n: u8) -> FileId {
	[n; 32]
}

fn key(n: u8) -> WrappedKey {
	BoundedVec::truncate_from(vec![1, 1, n])
}

const ENC: EncryptionKey = [7; 32];

/// `who` owns `file(n)` and registers it with `fingerprint`.
fn register(who: u64, n: u8, fingerprint: Fingerprint) -> DispatchResult {
	own(who, file(n));
	DataRights::register(RuntimeOrigin::signed(who), file(n), fingerprint, key(n), None)
}

fn policy(terms: TermsOf<Test>) -> PolicyOf<Test> {
	Policy {
		terms,
		approval_required: false,
		whitelist: Default::default(),
		blacklist: Default::default(),
	}
}

/// Alice holds the certificate of `file(1)` (fingerprint `TEXT`) and licenses it on `terms`.
fn priced(terms: TermsOf<Test>) {
	assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
	assert_ok!(DataRights::set_policy(RuntimeOrigin::signed(ALICE), file(1), policy(terms)));
}

fn actions(n: u8) -> Vec<Action> {
	DataRights::evidence_page(file(n), 0, 100).records.into_iter().map(|r| r.action).collect()
}

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

const TEXT: u64 = 0x0123_4567_89ab_cdef;

#[test]
fn register_issues_a_timestamped_certificate() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		let cert = Certificates::<Test>::get(file(1)).unwrap();
		assert_eq!(cert.owner, ALICE);
		assert_eq!(cert.registered_at, 1);
		assert_eq!(cert.timestamp_ms, 1_700_000_001_000);
		assert_eq!(cert.owner_key, key(1));
		assert_eq!(actions(1), vec![Action::Registered]);
		assert!(matches!(
			last_event(),
			RuntimeEvent::DataRights(Event::CertificateIssued { owner: ALICE, .. })
		));
		assert_noop!(register(ALICE, 1, Fingerprint::SimHash(1)), Error::<Test>::AlreadyCertified);
	});
}

#[test]
fn register_checks_ownership_and_key() {
	build_and_execute(|| {
		assert_noop!(
			DataRights::register(
				RuntimeOrigin::signed(BOB),
				file(1),
				Fingerprint::SimHash(1),
				key(1),
				None
			),
			Error::<Test>::NotFileOwner
		);
		own(BOB, file(1));
		assert_noop!(
			DataRights::register(
				RuntimeOrigin::signed(BOB),
				file(1),
				Fingerprint::SimHash(1),
				Default::default(),
				None
			),
			Error::<Test>::EmptyWrappedKey
		);
		assert_noop!(
			DataRights::register(
				RuntimeOrigin::none(),
				file(1),
				Fingerprint::SimHash(1),
				key(1),
				None
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn near_duplicate_of_another_account_opens_a_dispute() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		// Three bits flipped, one in each of three bands: distance 3 < 8.
		let near = TEXT ^ (1 << 3) ^ (1 << 20) ^ (1 << 40);
		assert_ok!(register(BOB, 2, Fingerprint::SimHash(near)));
		assert!(Certificates::<Test>::get(file(2)).is_none());
		let dispute = Disputes::<Test>::get(0).unwrap();
		assert_eq!((dispute.claimant, dispute.conflicts_with, dispute.distance), (BOB, file(1), 3));
		assert_eq!(FileDisputes::<Test>::get(file(2)), Some(0));
		assert_eq!(actions(1), vec![Action::Registered, Action::DisputeOpened(0)]);
		assert_noop!(register(BOB, 2, Fingerprint::SimHash(near)), Error::<Test>::DisputePending);
		// Eight bits away is no longer a near-duplicate; another kind never is.
		assert_ok!(register(CHARLIE, 3, Fingerprint::SimHash(TEXT ^ 0x0101_0101_0101_0101)));
		assert_ok!(register(CHARLIE, 4, Fingerprint::PerceptualHash(TEXT)));
	});
}

#[test]
fn the_band_index_finds_every_hash_within_the_distance() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		// 20 000 pseudo-random sets of 1 to 7 flipped bits, spread over the bands: all found.
		let mut x = 0x9e37_79b9_7f4a_7c15u64;
		for _ in 0..20_000 {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			let mut h = TEXT;
			for i in 0..=(x % 7) {
				h ^= 1u64 << ((x >> (6 * i + 3)) & 63);
			}
			let d = (h ^ TEXT).count_ones();
			let found = DataRights::near_duplicates(&Fingerprint::SimHash(h));
			assert_eq!(found, vec![(file(1), ALICE, d)], "hash {h:016x}");
		}
		// Two bits in every band (distance 8) is past the threshold.
		let far = TEXT ^ 0x0003_0003_0003_0003;
		assert!(DataRights::near_duplicates(&Fingerprint::SimHash(far)).is_empty());
	});
}

#[test]
fn own_versions_are_no_conflict() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::PerceptualHash(TEXT)));
		assert_ok!(register(ALICE, 2, Fingerprint::PerceptualHash(TEXT ^ 1)));
		assert!(Certificates::<Test>::get(file(2)).is_some());
	});
}

#[test]
fn equal_content_hashes_conflict() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::ContentHash([9; 32])));
		assert_ok!(register(BOB, 2, Fingerprint::ContentHash([9; 32])));
		assert_eq!(Disputes::<Test>::get(0).unwrap().distance, 0);
		assert_ok!(register(BOB, 3, Fingerprint::ContentHash([8; 32])));
	});
}

#[test]
fn full_bucket_is_refused() {
	build_and_execute(|| {
		// MaxBucketLen is 3: four hashes sharing the lowest band but far apart elsewhere.
		for (i, high) in [0x1111u64, 0x2222, 0x4444].into_iter().enumerate() {
			let h = (high * 0x0001_0001_0001_0000) | 0xabcd;
			assert_ok!(register(ALICE, i as u8 + 1, Fingerprint::SimHash(h)));
		}
		let h = (0x8888u64 * 0x0001_0001_0001_0000) | 0xabcd;
		assert_noop!(register(BOB, 9, Fingerprint::SimHash(h)), Error::<Test>::BucketFull);
	});
}

fn open_dispute() {
	assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
	assert_ok!(register(BOB, 2, Fingerprint::SimHash(TEXT ^ 1)));
}

#[test]
fn only_the_dispute_origin_decides() {
	build_and_execute(|| {
		open_dispute();
		assert_noop!(
			DataRights::resolve_dispute(RuntimeOrigin::signed(ALICE), 0, Verdict::Dismiss),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DataRights::resolve_dispute(RuntimeOrigin::root(), 7, Verdict::Dismiss),
			Error::<Test>::UnknownDispute
		);
	});
}

#[test]
fn dismissed_claim_leaves_the_incumbent() {
	build_and_execute(|| {
		open_dispute();
		assert_ok!(DataRights::resolve_dispute(RuntimeOrigin::root(), 0, Verdict::Dismiss));
		assert!(Certificates::<Test>::get(file(2)).is_none());
		assert!(Disputes::<Test>::get(0).is_none() && FileDisputes::<Test>::get(file(2)).is_none());
		assert_eq!(
			actions(2),
			vec![Action::DisputeOpened(0), Action::DisputeResolved(0, Verdict::Dismiss)]
		);
	});
}

#[test]
fn coexisting_claim_gets_its_certificate() {
	build_and_execute(|| {
		open_dispute();
		assert_ok!(DataRights::resolve_dispute(RuntimeOrigin::root(), 0, Verdict::Coexist));
		assert_eq!(Certificates::<Test>::get(file(1)).unwrap().owner, ALICE);
		assert_eq!(Certificates::<Test>::get(file(2)).unwrap().owner, BOB);
	});
}

#[test]
fn superseding_claim_withdraws_the_incumbent() {
	build_and_execute(|| {
		open_dispute();
		assert_ok!(DataRights::set_policy(
			RuntimeOrigin::signed(ALICE),
			file(1),
			policy(Terms::PerAccess(500))
		));
		assert_ok!(DataRights::resolve_dispute(RuntimeOrigin::root(), 0, Verdict::Supersede));
		assert!(Certificates::<Test>::get(file(1)).is_none());
		assert!(Policies::<Test>::get(file(1)).is_none());
		assert_eq!(Certificates::<Test>::get(file(2)).unwrap().owner, BOB);
		assert_eq!(
			DataRights::near_duplicates(&Fingerprint::SimHash(TEXT)),
			vec![(file(2), BOB, 1)]
		);
		assert_eq!(actions(1).last(), Some(&Action::Withdrawn));
	});
}

#[test]
fn price_met_grants_at_once_and_pays_the_holder() {
	build_and_execute(|| {
		priced(Terms::PerAccess(500));
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 700, ENC));
		assert_eq!(balance(ALICE), FUNDS + 500);
		assert_eq!(balance(BOB), FUNDS - 500);
		let access = Accesses::<Test>::get(file(1), BOB).unwrap();
		assert_eq!(access.state, AccessState::Granted { paid: 500 });
		assert_eq!((access.encryption_key, access.key), (ENC, None));
		assert!(matches!(
			last_event(),
			RuntimeEvent::DataRights(Event::AccessGranted {
				who: BOB,
				paid: 500,
				key_delivered: false,
				..
			})
		));
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 700, ENC),
			Error::<Test>::AlreadyGranted
		);
		// The holder delivers the key afterwards.
		assert_noop!(
			DataRights::grant_access(RuntimeOrigin::signed(CHARLIE), file(1), BOB, key(5)),
			Error::<Test>::NotHolder
		);
		assert_ok!(DataRights::grant_access(RuntimeOrigin::signed(ALICE), file(1), BOB, key(5)));
		assert_eq!(Accesses::<Test>::get(file(1), BOB).unwrap().key, Some(key(5)));
		assert_eq!(
			actions(1),
			vec![
				Action::Registered,
				Action::PolicyChanged,
				Action::Requested,
				Action::Paid,
				Action::Granted,
				Action::KeyDelivered
			]
		);
	});
}

#[test]
fn low_offer_waits_in_escrow_until_granted() {
	build_and_execute(|| {
		priced(Terms::PerAccess(500));
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 300, ENC));
		assert_eq!(balance(BOB), FUNDS - 300);
		assert_eq!(balance(DataRights::account_id()), ED + 300);
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 300, ENC),
			Error::<Test>::AlreadyRequested
		);
		assert_noop!(
			DataRights::grant_access(
				RuntimeOrigin::signed(ALICE),
				file(1),
				BOB,
				Default::default()
			),
			Error::<Test>::EmptyWrappedKey
		);
		assert_ok!(DataRights::grant_access(RuntimeOrigin::signed(ALICE), file(1), BOB, key(5)));
		assert_eq!(balance(ALICE), FUNDS + 300);
		assert_eq!(balance(DataRights::account_id()), ED);
		let access = Accesses::<Test>::get(file(1), BOB).unwrap();
		assert_eq!((access.state, access.key), (AccessState::Granted { paid: 300 }, Some(key(5))));
	});
}

#[test]
fn deny_and_cancel_refund_the_offer() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		// No policy: every request waits.
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 400, ENC));
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(CHARLIE), file(1), 0, ENC));
		assert_noop!(
			DataRights::deny_access(RuntimeOrigin::signed(BOB), file(1), BOB),
			Error::<Test>::NotHolder
		);
		assert_ok!(DataRights::deny_access(RuntimeOrigin::signed(ALICE), file(1), BOB));
		assert_eq!(balance(BOB), FUNDS);
		assert!(Accesses::<Test>::get(file(1), BOB).is_none());
		assert_ok!(DataRights::cancel_request(RuntimeOrigin::signed(CHARLIE), file(1)));
		assert_noop!(
			DataRights::cancel_request(RuntimeOrigin::signed(CHARLIE), file(1)),
			Error::<Test>::NoAccess
		);
		assert_eq!(balance(DataRights::account_id()), ED);
		assert_eq!(actions(1)[1..], [Action::Denied], "waiting requests are not logged");
	});
}

#[test]
fn blacklist_refuses_whitelist_grants_free_and_approval_waits() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		let mut p = policy(Terms::PerAccess(500));
		p.approval_required = true;
		p.whitelist = BoundedVec::truncate_from(vec![CHARLIE]);
		p.blacklist = BoundedVec::truncate_from(vec![DAVE]);
		assert_ok!(DataRights::set_policy(RuntimeOrigin::signed(ALICE), file(1), p));
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(DAVE), file(1), 10_000, ENC),
			Error::<Test>::Blacklisted
		);
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(CHARLIE), file(1), 0, ENC));
		assert_eq!(
			Accesses::<Test>::get(file(1), CHARLIE).unwrap().state,
			AccessState::Granted { paid: 0 }
		);
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 500, ENC));
		assert_eq!(
			Accesses::<Test>::get(file(1), BOB).unwrap().state,
			AccessState::Pending { offer: 500 }
		);
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(ALICE), file(1), 0, ENC),
			Error::<Test>::OwnFile
		);
	});
}

#[test]
fn free_policy_grants_anyone() {
	build_and_execute(|| {
		priced(Terms::Free);
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 0, ENC));
		assert_eq!(balance(BOB), FUNDS);
		assert!(matches!(
			Accesses::<Test>::get(file(1), BOB).unwrap().state,
			AccessState::Granted { .. }
		));
	});
}

#[test]
fn revoke_ends_a_grant() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 0, ENC));
		assert_noop!(
			DataRights::revoke_access(RuntimeOrigin::signed(ALICE), file(1), BOB),
			Error::<Test>::NotGranted
		);
		assert_noop!(
			DataRights::deny_access(RuntimeOrigin::signed(ALICE), file(1), CHARLIE),
			Error::<Test>::NoAccess
		);
		assert_ok!(DataRights::grant_access(RuntimeOrigin::signed(ALICE), file(1), BOB, key(2)));
		assert_noop!(
			DataRights::deny_access(RuntimeOrigin::signed(ALICE), file(1), BOB),
			Error::<Test>::NotPending
		);
		assert_ok!(DataRights::revoke_access(RuntimeOrigin::signed(ALICE), file(1), BOB));
		assert!(Accesses::<Test>::get(file(1), BOB).is_none());
		assert_eq!(actions(1).last(), Some(&Action::Revoked));
	});
}

#[test]
fn unfunded_requester_gets_payment_failed() {
	build_and_execute(|| {
		priced(Terms::PerAccess(500));
		fund(9, 550); // 500 would leave it below the existential deposit
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(9), file(1), 500, ENC),
			Error::<Test>::PaymentFailed
		);
		assert_noop!(
			DataRights::request_access(RuntimeOrigin::signed(BOB), file(9), 0, ENC),
			Error::<Test>::NoCertificate
		);
	});
}

#[test]
fn revenue_pool_is_split_after_the_period() {
	build_and_execute(|| {
		let shares = BoundedVec::truncate_from(vec![
			(CHARLIE, Perbill::from_percent(30)),
			(DAVE, Perbill::from_percent(10)),
		]);
		priced(Terms::RevenueShare { price: 1_000, shares });
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 1_000, ENC));
		roll_to(5);
		fund(9, 10_000);
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(9), file(1), 1_000, ENC));
		assert_eq!(RevenuePools::<Test>::get(file(1)), 2_000);
		assert_eq!(balance(ALICE), FUNDS);
		roll_to(1 + PERIOD);
		assert_eq!(RevenuePools::<Test>::get(file(1)), 0);
		assert_eq!(balance(CHARLIE), FUNDS + 600);
		assert_eq!(balance(DAVE), FUNDS + 200);
		assert_eq!(balance(ALICE), FUNDS + 1_200);
		assert_eq!(balance(DataRights::account_id()), ED);
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::DataRights(Event::RevenueSplit { total: 2_000, .. })
		)));
	});
}

#[test]
fn policy_is_validated() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		let over = BoundedVec::truncate_from(vec![
			(CHARLIE, Perbill::from_percent(60)),
			(DAVE, Perbill::from_percent(41)),
		]);
		assert_noop!(
			DataRights::set_policy(
				RuntimeOrigin::signed(ALICE),
				file(1),
				policy(Terms::RevenueShare { price: 1, shares: over })
			),
			Error::<Test>::SharesExceedWhole
		);
		let mut p = policy(Terms::Free);
		p.blacklist = BoundedVec::truncate_from(vec![DAVE, DAVE]);
		assert_noop!(
			DataRights::set_policy(RuntimeOrigin::signed(ALICE), file(1), p),
			Error::<Test>::DuplicateAccount
		);
		assert_noop!(
			DataRights::set_policy(RuntimeOrigin::signed(BOB), file(1), policy(Terms::Free)),
			Error::<Test>::NotHolder
		);
		assert_noop!(
			DataRights::set_policy(RuntimeOrigin::signed(ALICE), file(2), policy(Terms::Free)),
			Error::<Test>::NoCertificate
		);
	});
}

#[test]
fn transfer_moves_the_right_to_grant() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 200, ENC));
		assert_noop!(
			DataRights::transfer_ownership(RuntimeOrigin::signed(ALICE), file(1), ALICE, key(3)),
			Error::<Test>::SameHolder
		);
		assert_ok!(DataRights::transfer_ownership(
			RuntimeOrigin::signed(ALICE),
			file(1),
			CHARLIE,
			key(3)
		));
		let cert = Certificates::<Test>::get(file(1)).unwrap();
		assert_eq!((cert.owner, cert.owner_key), (CHARLIE, key(3)));
		assert_noop!(
			DataRights::grant_access(RuntimeOrigin::signed(ALICE), file(1), BOB, key(4)),
			Error::<Test>::NotHolder
		);
		assert_ok!(DataRights::grant_access(RuntimeOrigin::signed(CHARLIE), file(1), BOB, key(4)));
		assert_eq!(balance(CHARLIE), FUNDS + 200);
		let log = DataRights::evidence_page(file(1), 0, 100).records;
		let transfer = log.iter().find(|r| r.action == Action::Transferred).unwrap();
		assert_eq!((transfer.actor, transfer.counterpart), (ALICE, Some(CHARLIE)));
	});
}

/// The attack: a stranger requests access and cancels, again and again. On e4b750e every cycle
/// wrote two records into the file's ring of 8 and pushed the holder's out (after 5 cycles the
/// registration was gone); now waiting requests and cancellations are not logged.
#[test]
fn request_spam_cannot_overwrite_the_evidence_log() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		for _ in 0..50 {
			assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 10, ENC));
			assert_ok!(DataRights::cancel_request(RuntimeOrigin::signed(BOB), file(1)));
		}
		let page = DataRights::evidence_page(file(1), 0, 100);
		assert_eq!((page.total, page.first_kept), (1, 0));
		assert_eq!(page.records[0].action, Action::Registered);
		assert_eq!(balance(BOB), FUNDS, "every offer refunded");
	});
}

#[test]
fn evidence_log_is_a_paged_ring() {
	build_and_execute(|| {
		assert_ok!(register(ALICE, 1, Fingerprint::SimHash(TEXT)));
		for _ in 0..5 {
			assert_ok!(DataRights::request_access(RuntimeOrigin::signed(BOB), file(1), 0, ENC));
			assert_ok!(DataRights::deny_access(RuntimeOrigin::signed(ALICE), file(1), BOB));
			assert_ok!(DataRights::set_policy(
				RuntimeOrigin::signed(ALICE),
				file(1),
				policy(Terms::PerAccess(5))
			));
		}
		// 11 records, 8 kept.
		let max: u32 = <Test as Config>::MaxEvidence::get();
		let page = DataRights::evidence_page(file(1), 0, 100);
		assert_eq!((page.total, page.first_kept, page.records.len() as u32), (11, 3, max));
		assert_eq!(
			page.records.iter().map(|r| r.seq).collect::<Vec<_>>(),
			(3..11).collect::<Vec<_>>()
		);
		let page = DataRights::evidence_page(file(1), 9, 5);
		assert_eq!(page.records.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![9, 10]);
		assert_eq!(page.records[0].action, Action::Denied);
		assert_eq!(page.records[1].action, Action::PolicyChanged);
		assert!(DataRights::evidence_page(file(1), 11, 5).records.is_empty());
	});
}

fn register_salted(who: u64, n: u8, fingerprint: Fingerprint, salt: [u8; 32]) -> DispatchResult {
	DataRights::register(RuntimeOrigin::signed(who), file(n), fingerprint, key(n), Some(salt))
}

fn commitment(fingerprint: Fingerprint, n: u8, salt: [u8; 32]) -> Option<[u8; 32]> {
	Some(cess_primitives::fingerprint::fingerprint_commitment(&fingerprint, &file(n), &salt))
}

/// Item 5 of the hardening issue: Bob, a later owner of Alice's file (he joined it with a
/// proof of its content), certified it before her. On e4b750e Alice then got
/// `AlreadyCertified`, with no dispute path; now her earlier claim, opened from the commitment
/// she made when she uploaded, takes the certificate over.
#[test]
fn a_front_run_registration_cannot_lock_out_the_uploader() {
	build_and_execute(|| {
		let print = Fingerprint::SimHash(TEXT);
		own_committed(ALICE, file(1), commitment(print, 1, [5; 32]));
		System::set_block_number(5);
		own(BOB, file(1));
		assert_ok!(register(BOB, 1, print));
		assert_eq!(Certificates::<Test>::get(file(1)).unwrap().priority, 5);
		// Without opening her commitment Alice's claim counts from now: later than Bob's.
		System::set_block_number(6);
		let unsalted =
			DataRights::register(RuntimeOrigin::signed(ALICE), file(1), print, key(1), None);
		assert_noop!(unsalted, Error::<Test>::AlreadyCertified);
		assert_noop!(register_salted(ALICE, 1, print, [6; 32]), Error::<Test>::BadCommitment);
		assert_noop!(
			register_salted(ALICE, 1, Fingerprint::SimHash(TEXT ^ 1), [5; 32]),
			Error::<Test>::BadCommitment
		);
		assert_noop!(register_salted(BOB, 1, print, [5; 32]), Error::<Test>::BadCommitment);
		assert_ok!(register_salted(ALICE, 1, print, [5; 32]));
		let cert = Certificates::<Test>::get(file(1)).unwrap();
		assert_eq!((cert.owner, cert.priority), (ALICE, 1));
		assert!(events().iter().any(|e| matches!(
			e,
			RuntimeEvent::DataRights(Event::CertificateWithdrawn { owner: BOB, .. })
		)));
		assert_eq!(actions(1), vec![Action::Registered, Action::Withdrawn, Action::Registered]);
		// Bob's claim is later: he cannot take it back.
		assert_noop!(register(BOB, 1, print), Error::<Test>::AlreadyCertified);
	});
}

/// Item 5: Bob copied the fingerprint of Alice's pending registration into a registration of his
/// own (junk) upload and got it in first: on e4b750e Alice's registration became a dispute
/// against him. Alice committed to the fingerprint when she uploaded, long before Bob's upload
/// existed, so the earliest upload wins at once.
#[test]
fn a_fingerprint_copied_from_a_pending_registration_loses_to_the_committed_upload() {
	build_and_execute(|| {
		let print = Fingerprint::SimHash(TEXT);
		own_committed(ALICE, file(1), commitment(print, 1, [5; 32]));
		System::set_block_number(5);
		// Bob even commits to the copied fingerprint for his own file.
		own_committed(BOB, file(2), commitment(print, 2, [9; 32]));
		assert_ok!(register_salted(BOB, 2, print, [9; 32]));
		assert_ok!(register_salted(ALICE, 1, print, [5; 32]));
		assert!(Disputes::<Test>::iter().next().is_none(), "no dispute: the earlier upload wins");
		assert_eq!(Certificates::<Test>::get(file(1)).unwrap().owner, ALICE);
		assert!(!Certificates::<Test>::contains_key(file(2)));
		// Bob registering again is the later claim: a dispute for the dispute origin.
		assert_ok!(register_salted(BOB, 2, print, [9; 32]));
		assert!(FileDisputes::<Test>::contains_key(file(2)));
		assert!(!Certificates::<Test>::contains_key(file(2)));
	});
}
