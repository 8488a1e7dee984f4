//! Uploads: declaration and placement, reports, deadlines, deduplication, deletion, ownership.

use super::*;
use crate::{
	ColumnState, Error, Event, FileState, Files, JoinRequests, Leases, OwnedFiles, SpareMiners,
	TransferDeadlines,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};

#[test]
fn declaration_assigns_distinct_miners_and_reserves_space() {
	build_and_execute(|| {
		add_miners(100, 8, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(50_000, 2, 4, 1);
		assert_ok!(declare(1, &f));
		let file = Files::<Test>::get(f.id).unwrap();
		let mut miners = miners_of(f.id);
		assert_eq!(miners.len(), 6);
		assert_eq!(file.state, FileState::Pending);
		assert_eq!(file.column_bytes, f.layout.column_bytes());
		assert_eq!(Leases::<Test>::get(1).unwrap().used, f.layout.stored_bytes());
		assert_eq!(Leases::<Test>::get(1).unwrap().files, 1);
		for m in &miners {
			assert_eq!(MockMiners::get(*m).locked, file.column_bytes);
		}
		assert_eq!(TransferDeadlines::<Test>::get(1 + DEADLINE).to_vec(), vec![f.id]);
		System::assert_has_event(Event::UploadDeclared { file_id: f.id, owner: 1 }.into());
		System::assert_last_event(
			Event::UploadPlaced {
				file_id: f.id,
				miners: BoundedVec::truncate_from(miners.clone()),
				deadline: 1 + DEADLINE,
			}
			.into(),
		);
		miners.sort();
		miners.dedup();
		assert_eq!(miners.len(), 6, "miners are distinct");
		assert_eq!(OwnedFiles::<Test>::get(1, f.id).unwrap().name.to_vec(), b"photo.jpg".to_vec());
	});
}

#[test]
fn declaration_errors_change_nothing() {
	build_and_execute(|| {
		let f = TestFile::new(50_000, 2, 1, 1);
		assert_noop!(declare(1, &f), Error::<Test>::NoLease);
		buy(1, 1, 10);
		let upload = |size: u64, segments: u32, profile: ErasureProfile| {
			FileBank::upload_declaration(
				RuntimeOrigin::signed(1),
				f.id,
				size,
				segments,
				profile,
				label("a"),
				label("b"),
				None,
			)
		};
		let p = ErasureProfile::new(2, 1);
		assert_noop!(upload(0, 0, p), Error::<Test>::BadFileSize);
		assert_noop!(upload(GIB + 1, 1, p), Error::<Test>::BadFileSize);
		assert_noop!(
			upload(50_000, 4, ErasureProfile::new(4, 8)),
			Error::<Test>::ProfileNotAllowed
		);
		assert_noop!(upload(50_000, 3, p), Error::<Test>::SegmentCountMismatch);
		// Two miners cannot hold three distinct columns: the placement in the next block fails,
		// the file goes and the lease is released.
		add_miners(100, 2, GIB);
		let placement_fails = |f: &TestFile| {
			assert_ok!(declare(1, f));
			System::assert_last_event(Event::UploadFailed { file_id: f.id }.into());
			assert!(!Files::<Test>::contains_key(f.id));
			assert!(!OwnedFiles::<Test>::contains_key(1, f.id));
			assert_eq!(Leases::<Test>::get(1).unwrap().used, 0);
			assert!((100..103).all(|m| MockMiners::get(m).locked == 0));
			assert_eq!(upload_deposit_held(1), 0, "no miner was assigned: the deposit is back");
		};
		placement_fails(&f);
		// A third miner without room for a column does not count either.
		MockMiners::add(102, 100);
		placement_fails(&f);
		MockMiners::add(103, GIB);
		// The lease is too small for a 2 GiB file.
		let big = FileBank::upload_declaration(
			RuntimeOrigin::signed(1),
			f.id,
			GIB,
			(GIB.div_ceil(SEGMENT)) as u32,
			p,
			label("a"),
			label("b"),
			None,
		);
		assert_noop!(big, Error::<Test>::InsufficientLeaseSpace);
		assert_noop!(
			FileBank::upload_declaration(
				RuntimeOrigin::none(),
				f.id,
				50_000,
				f.segments(),
				p,
				label("a"),
				label("b"),
				None
			),
			DispatchError::BadOrigin
		);
		// Too poor for the deposit (the lease is paid for).
		let poor = 7;
		buy(poor, 1, 10);
		let spend = Balances::free_balance(poor) - UPLOAD_DEPOSIT + 1;
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(poor), 99, spend));
		assert_noop!(declare_only(poor, &f), Error::<Test>::InsufficientUploadDeposit);
		assert_ok!(declare(1, &f));
	});
}

#[test]
fn reports_make_the_file_active_and_index_holdings() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		let miners = miners_of(f.id);
		assert_ok!(report(1, f.id, 0));
		System::assert_last_event(
			Event::ColumnReported { file_id: f.id, column: 0, miner: miners[0] }.into(),
		);
		assert_eq!(Files::<Test>::get(f.id).unwrap().state, FileState::Pending);
		assert_ok!(report(1, f.id, 2));
		assert_ok!(report(1, f.id, 1));
		System::assert_last_event(Event::FileActive { file_id: f.id }.into());
		let file = Files::<Test>::get(f.id).unwrap();
		assert_eq!(file.state, FileState::Active);
		for (c, m) in miners.iter().enumerate() {
			assert_eq!(MockMiners::get(*m).used, file.column_bytes);
			assert_eq!(MockMiners::get(*m).locked, 0);
			assert_eq!(FileBank::holding_count(m), 1);
			assert_eq!(FileBank::holdings_page(m, 0, 10), vec![(f.id, c as Column)]);
		}
	});
}

#[test]
fn report_errors_change_nothing() {
	build_and_execute(|| {
		add_miners(100, 4, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_noop!(
			FileBank::transfer_report(
				RuntimeOrigin::signed(100),
				f.id,
				0,
				acceptance(1, f.id, 0, 100)
			),
			Error::<Test>::UnknownFile
		);
		assert_ok!(declare(1, &f));
		let miners = miners_of(f.id);
		let outsider = (100..104).find(|m| !miners.contains(m)).unwrap();
		let send = |who: u64, column: Column, sig: TestSignature| {
			FileBank::transfer_report(RuntimeOrigin::signed(who), f.id, column, sig)
		};
		assert_noop!(
			send(miners[0], 3, acceptance(1, f.id, 3, miners[0])),
			Error::<Test>::BadColumn
		);
		assert_noop!(
			send(outsider, 0, acceptance(1, f.id, 0, outsider)),
			Error::<Test>::NotColumnMiner
		);
		assert_noop!(
			send(miners[1], 0, acceptance(1, f.id, 0, miners[1])),
			Error::<Test>::NotColumnMiner
		);
		// Signed by somebody else than the uploader.
		assert_noop!(
			send(miners[0], 0, acceptance(2, f.id, 0, miners[0])),
			Error::<Test>::BadAcceptance
		);
		// The uploader's signature for another column, or naming another miner.
		assert_noop!(
			send(miners[0], 0, acceptance(1, f.id, 1, miners[0])),
			Error::<Test>::BadAcceptance
		);
		assert_noop!(
			send(miners[0], 0, acceptance(1, f.id, 0, miners[1])),
			Error::<Test>::BadAcceptance
		);
		MockMiners::set_positive(miners[0], false);
		assert_noop!(
			send(miners[0], 0, acceptance(1, f.id, 0, miners[0])),
			Error::<Test>::MinerNotPositive
		);
		MockMiners::set_positive(miners[0], true);
		assert_ok!(send(miners[0], 0, acceptance(1, f.id, 0, miners[0])));
		assert_noop!(
			send(miners[0], 0, acceptance(1, f.id, 0, miners[0])),
			Error::<Test>::AlreadyReported
		);
	});
}

#[test]
fn missed_deadline_reassigns_the_column_without_blame() {
	build_and_execute(|| {
		add_miners(100, 4, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		let before = miners_of(f.id);
		assert_ok!(report(1, f.id, 0));
		assert_ok!(report(1, f.id, 1));
		roll_to(1 + DEADLINE);
		let after = miners_of(f.id);
		let spare = (100..104).find(|m| !before.contains(m)).unwrap();
		assert_eq!(after[..2], before[..2]);
		assert_eq!(after[2], spare);
		let file = Files::<Test>::get(f.id).unwrap();
		assert_eq!(file.columns[2].state, ColumnState::Assigned { attempts: 2 });
		assert_eq!(file.deadline, 1 + 2 * DEADLINE);
		System::assert_has_event(
			Event::ColumnReassigned {
				file_id: f.id,
				column: 2,
				from: before[2],
				to: spare,
				deadline: 1 + 2 * DEADLINE,
			}
			.into(),
		);
		assert!(credit_log().is_empty(), "nothing shows the late miner was offered the column");
		assert_eq!(upload_deposit_held(1), UPLOAD_DEPOSIT, "held until active");
		assert_eq!(MockMiners::get(before[2]).locked, 0);
		assert_eq!(MockMiners::get(spare).locked, file.column_bytes);
		// The late miner can no longer report; the new one can.
		assert_noop!(
			FileBank::transfer_report(
				RuntimeOrigin::signed(before[2]),
				f.id,
				2,
				acceptance(1, f.id, 2, before[2])
			),
			Error::<Test>::NotColumnMiner
		);
		assert_ok!(report(1, f.id, 2));
		assert_eq!(Files::<Test>::get(f.id).unwrap().state, FileState::Active);
		assert_eq!(upload_deposit_held(1), 0, "returned when active");
	});
}

#[test]
fn upload_fails_cleanly_when_no_miner_is_left() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		assert_ok!(report(1, f.id, 0));
		roll_to(1 + DEADLINE);
		System::assert_has_event(Event::UploadFailed { file_id: f.id }.into());
		assert!(!Files::<Test>::contains_key(f.id));
		assert!(!OwnedFiles::<Test>::contains_key(1, f.id));
		assert_eq!(Leases::<Test>::get(1).unwrap().used, 0);
		assert_eq!(Leases::<Test>::get(1).unwrap().files, 0);
		for m in 100..103 {
			let miner = MockMiners::get(m);
			assert_eq!((miner.used, miner.locked), (0, 0));
			assert_eq!(FileBank::holding_count(&m), 0);
		}
	});
}

#[test]
fn reassignment_attempts_are_bounded() {
	build_and_execute(|| {
		add_miners(100, 12, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		assert_ok!(report(1, f.id, 2));
		roll_to(1 + DEADLINE);
		assert_eq!(
			Files::<Test>::get(f.id).unwrap().columns[0].state,
			ColumnState::Assigned { attempts: 2 }
		);
		roll_to(1 + 2 * DEADLINE);
		assert_eq!(
			Files::<Test>::get(f.id).unwrap().columns[0].state,
			ColumnState::Assigned { attempts: 3 }
		);
		// MaxTransferAttempts = 3: the third miss fails the upload.
		roll_to(1 + 3 * DEADLINE);
		assert!(!Files::<Test>::contains_key(f.id));
		System::assert_has_event(Event::UploadFailed { file_id: f.id }.into());
		assert!(credit_log().is_empty());
		assert_eq!(upload_deposit_held(1), 0, "a column was delivered: the deposit is back");
		assert_eq!(Balances::free_balance(1), START_BALANCE - PRICE * 10);
	});
}

#[test]
fn deduplicated_upload_adds_an_owner_and_bills_it() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		for who in 1..=4 {
			buy(who, 1, 10);
		}
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		let locked_before: Vec<_> = (100..103).map(|m| MockMiners::get(m).locked).collect();
		assert_ok!(join(2, &f));
		System::assert_last_event(Event::OwnerAdded { file_id: f.id, owner: 2 }.into());
		assert_eq!(Leases::<Test>::get(2).unwrap().used, f.layout.stored_bytes());
		assert_eq!(join_deposit_held(2), 0, "the join deposit is released");
		let entry = OwnedFiles::<Test>::get(2, f.id).unwrap();
		assert_eq!(entry.since, System::block_number(), "a joiner counts from its proof");
		assert_eq!(
			locked_before,
			(100..103).map(|m| MockMiners::get(m).locked).collect::<Vec<_>>()
		);
		assert_noop!(declare(2, &f), Error::<Test>::AlreadyOwner);
		let mismatch = FileBank::upload_declaration(
			RuntimeOrigin::signed(3),
			f.id,
			f.size + 1,
			f.segments(),
			f.profile(),
			label("a"),
			label("b"),
			None,
		);
		assert_noop!(mismatch, Error::<Test>::FileMismatch);
		assert_ok!(join(3, &f));
		assert_noop!(declare(4, &f), Error::<Test>::TooManyOwners);
		assert_eq!(Files::<Test>::get(f.id).unwrap().owners.to_vec(), vec![1, 2, 3]);
	});
}

/// Item 5 of the hardening issue: on e4b750e, declaring a stored file's id (read from the chain
/// or a pending transaction) with its size and profile made the caller an owner at once.
#[test]
fn declaring_a_files_id_without_its_content_does_not_make_an_owner() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		let before = Balances::free_balance(2);
		assert_ok!(declare_only(2, &f));
		let deadline = System::block_number() + JOIN_WINDOW;
		System::assert_last_event(Event::JoinRequested { file_id: f.id, who: 2, deadline }.into());
		assert!(!OwnedFiles::<Test>::contains_key(2, f.id), "a request owns nothing");
		assert_eq!(Files::<Test>::get(f.id).unwrap().owners.to_vec(), vec![1]);
		assert_eq!(join_deposit_held(2), UPLOAD_DEPOSIT);
		assert_eq!(Leases::<Test>::get(2).unwrap().used, 0, "nothing billed yet");
		// The challenge comes from the request block's hash: unknown in the block itself.
		assert_eq!(FileBank::join_challenge(f.id, &2), None);
		assert_noop!(prove_join(2, &f, vec![0; 64]), Error::<Test>::TooEarly);
		assert_noop!(declare_only(2, &f), Error::<Test>::JoinPending);
		roll_to(System::block_number() + 1);
		// Without the content: another file's leaves, or the right leaves of other samples.
		let other = TestFile::new(40_000, 2, 1, 8);
		let samples = FileBank::join_challenge(f.id, &2).unwrap();
		let forged: Vec<_> = samples.iter().map(|s| Sample { file_id: other.id, ..*s }).collect();
		assert_noop!(prove_join(2, &f, other.prove(&forged)), Error::<Test>::BadJoinProof);
		let stale: Vec<_> = samples.iter().map(|s| Sample { leaf: 0, ..*s }).collect();
		assert_noop!(prove_join(2, &f, f.prove(&stale)), Error::<Test>::BadJoinProof);
		assert_noop!(prove_join(3, &f, f.join_proof(2)), Error::<Test>::NoJoinRequest);
		// The window runs out: the proof is refused, a new declaration draws a new challenge.
		roll_to(deadline + 1);
		assert_noop!(prove_join(2, &f, f.join_proof(2)), Error::<Test>::JoinExpired);
		assert_ok!(declare_only(2, &f));
		assert_eq!(join_deposit_held(2), UPLOAD_DEPOSIT, "the deposit is held once");
		// Withdrawn: the deposit comes back; only the fee was spent.
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(2), f.id));
		System::assert_last_event(Event::JoinWithdrawn { file_id: f.id, who: 2 }.into());
		assert_eq!(join_deposit_held(2), 0);
		assert_eq!(Balances::free_balance(2), before);
		assert!(JoinRequests::<Test>::iter().next().is_none());
		// A file still being uploaded cannot be joined (its content is not on miners yet).
		let g = TestFile::new(40_000, 2, 1, 9);
		assert_ok!(declare(1, &g));
		assert_noop!(declare_only(2, &g), Error::<Test>::FileNotActive);
	});
}

#[test]
fn last_owner_deletion_removes_the_file_and_frees_miners() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		let g = TestFile::new(10_000, 2, 1, 8);
		store(1, &f);
		store(1, &g);
		assert_ok!(join(2, &f));
		assert_noop!(
			FileBank::delete_file(RuntimeOrigin::signed(3), f.id),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			FileBank::delete_file(RuntimeOrigin::signed(1), [9; 32]),
			Error::<Test>::UnknownFile
		);
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		System::assert_last_event(Event::OwnerRemoved { file_id: f.id, owner: 1 }.into());
		assert!(Files::<Test>::contains_key(f.id));
		assert_eq!(Leases::<Test>::get(1).unwrap().used, g.layout.stored_bytes());
		let miners = miners_of(f.id);
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(2), f.id));
		System::assert_last_event(
			Event::FileRemoved { file_id: f.id, miners: BoundedVec::truncate_from(miners.clone()) }
				.into(),
		);
		assert!(!Files::<Test>::contains_key(f.id));
		for m in miners {
			// Only g's column is left, moved into slot 0 of its class.
			assert_eq!(FileBank::holding_count(&m), 1);
			assert_eq!(FileBank::holdings_page(&m, 0, 10)[0].0, g.id);
		}
	});
}

#[test]
fn deleting_a_pending_upload_releases_its_assignments() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		assert_ok!(report(1, f.id, 1));
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		for m in 100..103 {
			let miner = MockMiners::get(m);
			assert_eq!((miner.used, miner.locked), (0, 0));
		}
		// The old deadline finds nothing to do.
		roll_to(1 + DEADLINE);
		assert!(credit_log().is_empty());
	});
}

#[test]
fn ownership_transfer_moves_billing() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		let transfer = |from: u64, to: u64| {
			FileBank::transfer_ownership(RuntimeOrigin::signed(from), f.id, to)
		};
		assert_noop!(transfer(1, 1), Error::<Test>::SelfTransfer);
		assert_noop!(transfer(3, 2), Error::<Test>::NotOwner);
		assert_noop!(
			FileBank::transfer_ownership(RuntimeOrigin::signed(1), [7; 32], 2),
			Error::<Test>::UnknownFile
		);
		let accept =
			|to: u64, from: u64| FileBank::accept_ownership(RuntimeOrigin::signed(to), f.id, from);
		assert_ok!(transfer(1, 3));
		assert_noop!(accept(3, 1), Error::<Test>::NoLease);
		assert_ok!(transfer(1, 2));
		System::assert_last_event(Event::OwnershipOffered { file_id: f.id, from: 1, to: 2 }.into());
		assert_noop!(accept(3, 1), Error::<Test>::NoOwnershipOffer);
		assert_ok!(accept(2, 1));
		System::assert_last_event(
			Event::OwnershipTransferred { file_id: f.id, from: 1, to: 2 }.into(),
		);
		assert_noop!(accept(2, 1), Error::<Test>::NoOwnershipOffer);
		assert_eq!(Leases::<Test>::get(1).unwrap().used, 0);
		assert_eq!(Leases::<Test>::get(2).unwrap().used, f.layout.stored_bytes());
		assert_eq!(Files::<Test>::get(f.id).unwrap().owners.to_vec(), vec![2]);
		assert!(OwnedFiles::<Test>::contains_key(2, f.id));
		assert_ok!(join(1, &f));
		assert_noop!(transfer(1, 2), Error::<Test>::AlreadyOwner);
	});
}

/// The forced-transfer attack: an owner hands its file to a stranger, whose lease is billed
/// without its consent, or hands a pending upload to someone who cannot sign its acceptances.
/// A transfer is now an offer the recipient accepts, and only for active files.
#[test]
fn ownership_cannot_be_pushed_onto_anyone() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		assert_noop!(
			FileBank::transfer_ownership(RuntimeOrigin::signed(1), f.id, 2),
			Error::<Test>::FileNotActive
		);
		for c in 0..3 {
			assert_ok!(report(1, f.id, c));
		}
		assert_ok!(FileBank::transfer_ownership(RuntimeOrigin::signed(1), f.id, 2));
		// Nothing is billed, nothing moves until the recipient accepts.
		assert_eq!(Leases::<Test>::get(2).unwrap().used, 0);
		assert_eq!(Files::<Test>::get(f.id).unwrap().owners.to_vec(), vec![1]);
		// An offer dies with its owner's ownership.
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		assert!(crate::OwnershipOffers::<Test>::iter().next().is_none());
		assert_noop!(
			FileBank::accept_ownership(RuntimeOrigin::signed(2), f.id, 1),
			Error::<Test>::NoOwnershipOffer
		);
	});
}

#[test]
fn placement_favours_free_capacity_and_credit() {
	build_and_execute(|| {
		// 60 miners: more than the 40 candidates a placement looks at.
		add_miners(100, 59, 64 << 20);
		MockMiners::add(200, 16 * GIB);
		buy(1, 100, 10);
		let mut big_picked = 0;
		for i in 0..200u64 {
			// At most 4 uploads share a deadline block in the mock.
			if i % 4 == 0 {
				roll_to(System::block_number() + 1);
			}
			let f = TestFile::new(100, 2, 1, 1000 + i);
			assert_ok!(declare(1, &f));
			big_picked += miners_of(f.id).iter().filter(|m| **m == 200).count();
			assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		}
		// Uniform choice would pick miner 200 in 3/60 of the uploads (≈ 10 of 200). It enters
		// the candidate pool in 40/60 of them and then wins almost surely.
		assert!(big_picked > 100, "big miner picked {big_picked} times");
	});
}

#[test]
fn runtime_api_reports_the_file() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert!(FileBank::file_summary(f.id).is_none());
		store(1, &f);
		let s = FileBank::file_summary(f.id).unwrap();
		assert_eq!(s.state, FileState::Active);
		assert_eq!(s.owners, vec![1]);
		assert_eq!(s.columns.iter().map(|c| c.0).collect::<Vec<_>>(), miners_of(f.id));
		assert!(s.columns.iter().all(|c| c.1 == ColumnState::Stored));
		assert_eq!(s.stored_bytes, f.layout.stored_bytes());
		let m = miners_of(f.id)[0];
		assert_eq!(FileBank::holdings_page(&m, 0, 10), vec![(f.id, 0)]);
		assert_eq!(FileBank::lease_of(&1).unwrap().files, 1);
	});
}

#[test]
fn declarations_per_block_are_bounded() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		// MaxUploadsPerBlock = 4 new files wait for placement in one block.
		for i in 0..4 {
			assert_ok!(declare_only(1, &TestFile::new(100, 2, 1, i)));
		}
		assert_noop!(declare_only(1, &TestFile::new(100, 2, 1, 4)), Error::<Test>::ScheduleFull);
		roll_to(2);
		assert!((0..4).all(|i| {
			Files::<Test>::get(TestFile::new(100, 2, 1, i).id).unwrap().state == FileState::Pending
		}));
		assert_ok!(declare_only(1, &TestFile::new(100, 2, 1, 4)));
	});
}

#[test]
fn holdings_index_is_bounded() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		// MaxHoldingsPerMiner = 100 in the mock.
		for i in 0..100 {
			// Deadline buckets hold 44 uploads over 11 blocks.
			if i % 40 == 0 {
				roll_to(System::block_number() + 11);
			}
			store(1, &TestFile::new(100, 2, 1, i));
		}
		let f = TestFile::new(100, 2, 1, 100);
		assert_ok!(declare(1, &f));
		assert_noop!(report(1, f.id, 0), Error::<Test>::TooManyHoldings);
	});
}

/// The placement-grinding attack: an uploader that runs miners 100..103 of 12 tries file ids
/// offline, with every value on chain when it signs (the randomness of its block), until the
/// placement lands all three columns of a (2, 1) file on its own miners. Placement now draws
/// from the next block's randomness (the VRF output of the declaration's block in the runtime),
/// so the ground ids land on its miners no more often than any ids.
#[test]
fn placement_grinding_does_not_pick_the_miners() {
	build_and_execute(|| {
		add_miners(100, 12, GIB);
		buy(1, 1, 10);
		let own = [100u64, 101, 102];
		let bytes = TestFile::new(1_000, 2, 1, 0).layout.column_bytes();
		let predicted_own = |f: &TestFile| {
			let seed = FileBank::upload_seed(&f.id, &1);
			FileBank::pick_miners(seed, 3, bytes, &[]).unwrap().iter().all(|m| own.contains(m))
		};
		// 1 in 220 ids land on a given 3 of 12 miners: grind 4 of them (the per-block limit).
		let ground: Vec<TestFile> = (0..20_000u64)
			.map(|i| TestFile::new(1_000, 2, 1, i))
			.filter(|f| predicted_own(f))
			.take(4)
			.collect();
		assert_eq!(ground.len(), 4, "grinding finds ids");
		for f in &ground {
			assert_ok!(declare_only(1, f));
			assert_eq!(Files::<Test>::get(f.id).unwrap().state, FileState::Placing);
		}
		roll_to(2);
		let landed = ground.iter().filter(|f| miners_of(f.id).iter().all(|m| own.contains(m)));
		assert_eq!(landed.count(), 0, "the ground ids are placed like any others");
	});
}

/// The attack: declare uploads and never push. On e4b750e each of the three assigned miners lost
/// 20 credit at the deadline and the declarer lost nothing (its lease was returned).
#[test]
fn declaring_without_pushing_costs_the_declarer_not_the_miners() {
	build_and_execute(|| {
		add_miners(100, 6, GIB);
		buy(1, 1, 10);
		let balance = Balances::free_balance(1);
		let files: Vec<_> = (0..4).map(|i| TestFile::new(40_000, 2, 1, 20 + i)).collect();
		for f in &files {
			assert_ok!(declare(1, f));
		}
		let assigned: Vec<Vec<u64>> = files.iter().map(|f| miners_of(f.id)).collect();
		let miner_balances: Vec<u64> = (100..106).map(Balances::free_balance).collect();
		// 12 columns, 8 a block (MaxHookWork): two blocks.
		roll_to(2 + DEADLINE);
		assert!(credit_log().is_empty(), "no miner is blamed");
		assert_eq!(Balances::free_balance(1), balance - 4 * UPLOAD_DEPOSIT);
		assert_eq!(upload_deposit_held(1), 0);
		let mut earned = [0u64; 6];
		for (f, miners) in files.iter().zip(&assigned) {
			assert!(!Files::<Test>::contains_key(f.id), "abandoned at the first deadline");
			System::assert_has_event(
				Event::UploadAbandoned { file_id: f.id, uploader: 1, forfeited: UPLOAD_DEPOSIT }
					.into(),
			);
			for m in miners {
				earned[(m - 100) as usize] += UPLOAD_DEPOSIT / 3;
			}
		}
		for (i, m) in (100..106).enumerate() {
			assert_eq!(Balances::free_balance(m), miner_balances[i] + earned[i]);
			assert_eq!(MockMiners::get(m).locked, 0);
		}
		assert_eq!(Leases::<Test>::get(1).unwrap().used, 0);
	});
}

/// The attack: fill the deadline buckets so that the uploads the hook's budget cannot reach in
/// their block are carried into full buckets. On e4b750e 8 of 52 such uploads were dropped from
/// every bucket and stayed `Pending` forever, their miners' space locked.
#[test]
fn a_carried_deadline_is_never_dropped() {
	build_and_execute(|| {
		add_miners(100, 6, GIB);
		buy(1, 1, 10);
		let mut files = Vec::new();
		for block in 1..=13u64 {
			roll_to(block);
			for i in 0..4u64 {
				let f = TestFile::new(4_000, 2, 1, block * 10 + i);
				assert_ok!(declare(1, &f));
				files.push(f.id);
			}
		}
		// 52 uploads of 3 columns, 8 columns a block: all handled within 20 blocks.
		roll_to(13 + DEADLINE + 20);
		assert!(files.iter().all(|id| !Files::<Test>::contains_key(id)), "every one handled");
		assert!((100..106).all(|m| MockMiners::get(m).locked == 0));
		assert_eq!(TransferDeadlines::<Test>::iter().count(), 0);
	});
}

/// Uploads with a dead miner: the uploader moves the column to a spare drawn with the placement
/// at once, instead of waiting for the transfer deadline (an hour in production); the dead miner
/// is not blamed.
#[test]
fn an_unreachable_miners_column_moves_to_a_spare_at_once() {
	build_and_execute(|| {
		add_miners(100, 6, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		assert_ok!(declare(1, &f));
		let before = miners_of(f.id);
		let spares = SpareMiners::<Test>::get(f.id).unwrap().to_vec();
		assert_eq!(spares.len(), 2, "SpareMiners = 2");
		assert!(spares.iter().all(|s| !before.contains(s)), "spares are other miners");
		let column_bytes = Files::<Test>::get(f.id).unwrap().column_bytes;
		assert_noop!(
			FileBank::use_spare(RuntimeOrigin::signed(2), f.id, 0),
			Error::<Test>::NotUploader
		);
		assert_noop!(
			FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 3),
			Error::<Test>::BadColumn
		);
		assert_ok!(report(1, f.id, 2));
		assert_noop!(
			FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 2),
			Error::<Test>::AlreadyReported
		);
		assert_ok!(FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 0));
		System::assert_last_event(
			Event::ColumnReassigned {
				file_id: f.id,
				column: 0,
				from: before[0],
				to: spares[0],
				deadline: 1 + DEADLINE,
			}
			.into(),
		);
		assert_eq!(MockMiners::get(before[0]).locked, 0);
		assert_eq!(MockMiners::get(spares[0]).locked, column_bytes);
		assert!(credit_log().is_empty(), "the unreachable miner is not blamed");
		// The second spare has left the market: no spare is left for column 1.
		MockMiners::set_positive(spares[1], false);
		assert_noop!(
			FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 1),
			Error::<Test>::NoSpareMiner
		);
		MockMiners::set_positive(spares[1], true);
		assert_ok!(FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 1));
		assert_eq!(miners_of(f.id), vec![spares[0], spares[1], before[2]]);
		assert!(SpareMiners::<Test>::get(f.id).is_none(), "both spares used");
		assert_ok!(report(1, f.id, 0));
		assert_ok!(report(1, f.id, 1));
		assert_eq!(Files::<Test>::get(f.id).unwrap().state, FileState::Active);
		assert_noop!(
			FileBank::use_spare(RuntimeOrigin::signed(1), f.id, 1),
			Error::<Test>::FileNotPending
		);
	});
}

/// A file its owner's object keys (`buckets`) name stays that owner's: it can neither delete
/// it nor hand it over until the keys are gone.
#[test]
fn a_file_named_by_objects_cannot_be_deleted_or_handed_over() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		let delete = |who: u64| FileBank::delete_file(RuntimeOrigin::signed(who), f.id);
		let offer = |from: u64, to: u64| {
			FileBank::transfer_ownership(RuntimeOrigin::signed(from), f.id, to)
		};
		let accept =
			|to: u64, from: u64| FileBank::accept_ownership(RuntimeOrigin::signed(to), f.id, from);
		MockReferences::set(1, f.id, 2);
		assert_noop!(delete(1), Error::<Test>::FileNamedByObjects);
		assert_noop!(offer(1, 2), Error::<Test>::FileNamedByObjects);
		MockReferences::set(1, f.id, 0);
		assert_ok!(offer(1, 2));
		// Named after the offer: the offer cannot be accepted until the names are gone.
		MockReferences::set(1, f.id, 1);
		assert_noop!(accept(2, 1), Error::<Test>::FileNamedByObjects);
		MockReferences::set(1, f.id, 0);
		assert_ok!(accept(2, 1));
		// The new owner's names hold it the same way.
		MockReferences::set(2, f.id, 1);
		assert_noop!(delete(2), Error::<Test>::FileNamedByObjects);
		MockReferences::set(2, f.id, 0);
		assert_ok!(delete(2));
		assert!(!Files::<Test>::contains_key(f.id));
	});
}

/// One owner's names hold only that owner's ownership of a shared file.
#[test]
fn another_owners_names_do_not_hold_a_shared_file() {
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		assert_ok!(join(2, &f));
		MockReferences::set(2, f.id, 1);
		assert_ok!(FileBank::delete_file(RuntimeOrigin::signed(1), f.id));
		assert_eq!(Files::<Test>::get(f.id).unwrap().owners.to_vec(), vec![2]);
		assert_noop!(
			FileBank::delete_file(RuntimeOrigin::signed(2), f.id),
			Error::<Test>::FileNamedByObjects
		);
	});
}

/// `buckets` gives a file up through `FileIndexTarget::release`: exactly `delete_file`.
#[test]
fn release_gives_a_file_up_like_delete_file() {
	use crate::WeightInfo;
	use cess_primitives::traits::{FileIndexTarget, ReleaseError};
	use polkadot_sdk::frame_support::weights::Weight;
	let release =
		|f: &FileId, who: u64| <FileBank as FileIndexTarget<u64, Weight>>::release(f, &who);
	build_and_execute(|| {
		add_miners(100, 3, GIB);
		buy(1, 1, 10);
		buy(2, 1, 10);
		let f = TestFile::new(40_000, 2, 1, 7);
		store(1, &f);
		assert_ok!(join(2, &f));
		assert_eq!(release(&f.id, 3), Err(ReleaseError::NotOwner));
		assert_eq!(release(&[9; 32], 1), Err(ReleaseError::NotOwner));
		MockReferences::set(1, f.id, 1);
		assert_eq!(release(&f.id, 1), Err(ReleaseError::Referenced));
		MockReferences::set(1, f.id, 0);
		assert_eq!(release(&f.id, 1), Ok(()));
		System::assert_last_event(Event::OwnerRemoved { file_id: f.id, owner: 1 }.into());
		assert_eq!(Leases::<Test>::get(1).unwrap().used, 0);
		assert!(!OwnedFiles::<Test>::contains_key(1, f.id));
		let miners = miners_of(f.id);
		assert_eq!(release(&f.id, 2), Ok(()));
		System::assert_last_event(
			Event::FileRemoved { file_id: f.id, miners: BoundedVec::truncate_from(miners.clone()) }
				.into(),
		);
		assert!(!Files::<Test>::contains_key(f.id));
		for m in miners {
			assert_eq!(MockMiners::get(m).used, 0);
		}
		assert_eq!(release(&f.id, 2), Err(ReleaseError::NotOwner));
		assert_eq!(
			<FileBank as FileIndexTarget<u64, Weight>>::release_weight(),
			<() as WeightInfo>::delete_file()
		);
	});
}
