//! Benchmarks of every `file-bank` call and hook unit, each on its most expensive path.

use super::*;
use crate::Pallet as FileBank;
use alloc::{vec, vec::Vec};
use cess_primitives::{
	layout::FileLayout,
	possession::{prove, uniform, SamplePath},
	traits::{acceptance_message, MinerRegistry},
	types::{Column, ErasureProfile, FileId, MAX_FRAGMENTS_PER_SEGMENT},
};
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			Get,
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor, RawOrigin},
	sp_runtime::traits::Saturating,
};

const SEED: u32 = 0;
/// The widest profile: every file in these benchmarks has 32 columns.
const WIDE: ErasureProfile = ErasureProfile::new(16, 16);

/// The GiB-day price the benchmarks set: the existential deposit (or 1000 units if that is
/// smaller), so every payment is large enough to create the pallet account.
fn bench_price<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(BalanceOf::<T>::from(1_000u32))
}

/// Enough for a few of the largest, longest leases at the benchmark or the genesis price.
fn endowment<T: Config>() -> BalanceOf<T> {
	UnitPrice::<T>::get()
		.max(bench_price::<T>())
		.saturating_mul(T::MaxLeaseGib::get().into())
		.saturating_mul(T::MaxLeaseDays::get().into())
		.saturating_mul(8u32.into())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(1_000u32.into()))
}

fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, endowment::<T>());
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	fund::<T>(&who);
	who
}

/// Allows the widest profile and a non-zero price; the pallet account exists (holds more than
/// the existential deposit), as on a live chain.
fn setup_market<T: Config>() {
	AllowedProfiles::<T>::put(BoundedVec::truncate_from(vec![WIDE, ErasureProfile::new(2, 1)]));
	UnitPrice::<T>::put(bench_price::<T>());
	fund::<T>(&FileBank::<T>::account_id());
}

/// `n` positive miners with 1 TiB each.
fn miners<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who: T::AccountId = account("miner", i, SEED);
			T::BenchmarkHelper::add_miner(&who, 1 << 40);
			fund::<T>(&who);
			who
		})
		.collect()
}

/// An owner with the largest lease, for the longest time.
fn owner<T: Config>(i: u32) -> T::AccountId {
	let who = funded::<T>("owner", i);
	FileBank::<T>::do_buy_space(who.clone(), T::MaxLeaseGib::get(), T::MaxLeaseDays::get())
		.expect("funded owner buys a lease");
	who
}

fn wide_file_size<T: Config>() -> (u64, u32) {
	// Four segments of the chain's segment size (or the largest file if smaller).
	let size = (T::SegmentSize::get() * 4).min(T::MaxFileSize::get());
	let layout = FileLayout::new(size, T::SegmentSize::get(), WIDE).expect("valid layout");
	(size, layout.segment_count())
}

fn file_id(i: u32) -> FileId {
	cess_primitives::merkle::blake2_256(&i.to_le_bytes())
}

fn label<T: Config>() -> NameOf<T> {
	BoundedVec::truncate_from(vec![b'n'; T::MaxNameLen::get() as usize])
}

/// The largest owner's entry: longest names and a commitment.
fn owned_entry<T: Config>() -> OwnedFile<T> {
	OwnedFile {
		name: label::<T>(),
		bucket: label::<T>(),
		since: frame_system::Pallet::<T>::block_number(),
		commitment: Some([7; 32]),
	}
}

/// An active file with deep proofs (one full-segment fragment per segment: `k = 1`, 32 columns,
/// 64 segments) of all-zero data, whose trees are computed without the bytes; its column
/// `restoring` (if any) lost and being restored, every other column held.
struct DeepFile<T: Config> {
	id: FileId,
	layout: FileLayout,
	holders: Vec<T::AccountId>,
	fragment: uniform::UniformTree,
	tree: uniform::UniformTree,
}

impl<T: Config> DeepFile<T> {
	fn new(restoring: Option<Column>) -> Self {
		let profile = ErasureProfile::new(1, 31);
		let size = T::SegmentSize::get().saturating_mul(64);
		let layout = FileLayout::new(size, T::SegmentSize::get(), profile).expect("layout");
		let holders = miners::<T>(profile.total());
		let fragment = uniform::zero_fragment(layout.fragment_len(0));
		let (id, tree) = uniform::uniform_file(
			uniform::zero_fragment_hash(layout.fragment_len(0)),
			layout.fragment_count() as u32,
		);
		let uploader = owner::<T>(0);
		let now = frame_system::Pallet::<T>::block_number();
		let mut columns = Vec::new();
		for (i, m) in holders.iter().enumerate() {
			let column = i as Column;
			let state = if Some(column) == restoring {
				ColumnState::Restoring
			} else {
				let entry = HoldingEntry { file_id: id, column, size, profile };
				FileBank::<T>::push_holding(m, entry).expect("room");
				T::Miners::lock_space(m, layout.column_bytes()).expect("room");
				T::Miners::commit_space(m, layout.column_bytes());
				ColumnState::Stored
			};
			columns.push(ColumnInfo { miner: m.clone(), state });
		}
		Files::<T>::insert(
			id,
			FileInfo {
				size,
				segments: layout.segment_count(),
				profile,
				column_bytes: layout.column_bytes(),
				uploader: uploader.clone(),
				state: FileState::Active,
				declared_at: now,
				deadline: now,
				columns: BoundedVec::truncate_from(columns),
				owners: BoundedVec::truncate_from(vec![uploader.clone()]),
			},
		);
		FileBank::<T>::charge_lease(&uploader, layout.stored_bytes()).expect("lease room");
		OwnedFiles::<T>::insert(&uploader, id, owned_entry::<T>());
		Self { id, layout, holders, fragment, tree }
	}

	/// The proof of `samples` (all-zero leaves).
	fn prove(
		&self,
		samples: &[cess_primitives::possession::Sample],
	) -> BoundedVec<u8, T::MaxRestoralProofLen> {
		let proof = prove(samples, |s| {
			Ok::<_, ()>(SamplePath {
				leaf: [0; cess_primitives::types::LEAF_BYTES],
				fragment_path: self.fragment.path(u64::from(s.leaf)).ok_or(())?,
				file_path: self.tree.path(s.fragment_index()).ok_or(())?,
			})
		})
		.expect("zero fragments prove");
		BoundedVec::try_from(proof).expect("proof within MaxRestoralProofLen")
	}
}

/// Declares a wide file for the helper's signer and returns it with its uploader.
/// `who` declares the widest file under `id` (not placed yet).
fn declare_wide<T: Config>(who: &T::AccountId, id: FileId) {
	let (size, segments) = wide_file_size::<T>();
	let layout = FileBank::<T>::check_declaration(size, segments, WIDE).expect("valid");
	FileBank::<T>::declare_upload(who.clone(), id, layout, owned_entry::<T>()).expect("declared");
}

fn declared<T: Config>(i: u32) -> (FileId, T::AccountId) {
	let uploader = T::BenchmarkHelper::signer();
	fund::<T>(&uploader);
	if !Leases::<T>::contains_key(&uploader) {
		FileBank::<T>::do_buy_space(
			uploader.clone(),
			T::MaxLeaseGib::get(),
			T::MaxLeaseDays::get(),
		)
		.expect("lease");
	}
	let id = file_id(i);
	declare_wide::<T>(&uploader, id);
	FileBank::<T>::place_declared(frame_system::Pallet::<T>::block_number());
	assert_eq!(Files::<T>::get(id).map(|f| f.state), Some(FileState::Pending), "placed");
	(id, uploader)
}

fn report_column<T: Config>(id: FileId, uploader: &T::AccountId, column: Column) {
	let miner = Files::<T>::get(id).expect("file").columns[column as usize].miner.clone();
	let sig = T::BenchmarkHelper::sign(uploader, &acceptance_message(&id, column, &miner.encode()));
	FileBank::<T>::do_transfer_report(miner, id, column, sig).expect("report");
}

/// A declared and fully reported wide file.
fn stored<T: Config>(i: u32) -> (FileId, T::AccountId) {
	let (id, uploader) = declared::<T>(i);
	for c in 0..WIDE.total() as Column {
		report_column::<T>(id, &uploader, c);
	}
	(id, uploader)
}

fn roll<T: Config>(by: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(by.into()));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn buy_space() {
		setup_market::<T>();
		let who = funded::<T>("buyer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MaxLeaseGib::get(), T::MaxLeaseDays::get());
		assert!(Leases::<T>::contains_key(&who));
	}

	#[benchmark]
	fn expand_space() {
		setup_market::<T>();
		let who = funded::<T>("buyer", 0);
		FileBank::<T>::do_buy_space(who.clone(), 1, T::MaxLeaseDays::get()).expect("lease");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MaxLeaseGib::get() - 1);
	}

	#[benchmark]
	fn renew_space() {
		setup_market::<T>();
		let who = funded::<T>("buyer", 0);
		FileBank::<T>::do_buy_space(who.clone(), T::MaxLeaseGib::get(), T::MinLeaseDays::get())
			.expect("lease");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinLeaseDays::get());
	}

	#[benchmark]
	fn upload_declaration() {
		setup_market::<T>();
		let who = owner::<T>(0);
		let (size, segments) = wide_file_size::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			file_id(1),
			size,
			segments,
			WIDE,
			label::<T>(),
			label::<T>(),
			Some([7; 32]),
		);
		assert_eq!(Files::<T>::get(file_id(1)).map(|f| f.state), Some(FileState::Placing));
	}

	// `c` positive miners, all of them candidates: the widest placement of one declared file.
	#[benchmark]
	fn place_upload(c: Linear<MAX_FRAGMENTS_PER_SEGMENT, { T::PlacementCandidates::get() }>) {
		setup_market::<T>();
		miners::<T>(c);
		declare_wide::<T>(&owner::<T>(0), file_id(1));
		roll::<T>(1);
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			FileBank::<T>::place_declared(now);
		}
		assert_eq!(Files::<T>::get(file_id(1)).map(|f| f.state), Some(FileState::Pending));
	}

	// The last column's report makes the file active.
	#[benchmark]
	fn transfer_report() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, uploader) = declared::<T>(1);
		for c in 0..WIDE.total() as Column - 1 {
			report_column::<T>(id, &uploader, c);
		}
		let last = WIDE.total() as Column - 1;
		let miner = Files::<T>::get(id).expect("file").columns[last as usize].miner.clone();
		let sig =
			T::BenchmarkHelper::sign(&uploader, &acceptance_message(&id, last, &miner.encode()));
		#[extrinsic_call]
		_(RawOrigin::Signed(miner), id, last, sig);
		assert_eq!(Files::<T>::get(id).map(|f| f.state), Some(FileState::Active));
	}

	// The last owner removes a file held by 32 miners.
	#[benchmark]
	fn delete_file() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, uploader) = stored::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(uploader), id);
		assert!(!Files::<T>::contains_key(id));
	}

	#[benchmark]
	fn transfer_ownership() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, uploader) = stored::<T>(1);
		let to = owner::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(uploader.clone()), id, to.clone());
		assert_eq!(OwnershipOffers::<T>::get(id, &uploader), Some(to));
	}

	#[benchmark]
	fn accept_ownership() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, uploader) = stored::<T>(1);
		let to = owner::<T>(1);
		FileBank::<T>::do_offer_ownership(uploader.clone(), id, to.clone()).expect("offered");
		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), id, uploader);
		assert!(OwnedFiles::<T>::contains_key(&to, id));
	}

	// Worst case: every spare but the last holds a column of the file already and is skipped.
	#[benchmark]
	fn use_spare() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT + 1);
		let (id, uploader) = declared::<T>(1);
		let file = Files::<T>::get(id).expect("file");
		let placed: Vec<T::AccountId> = file.columns.iter().map(|c| c.miner.clone()).collect();
		let spare = (0..T::Miners::positive_count())
			.filter_map(T::Miners::positive_at)
			.find(|m| !placed.contains(m))
			.expect("one miner is not placed");
		let mut spares: Vec<T::AccountId> =
			placed.iter().skip(1).take(MAX_SPARE_MINERS as usize - 1).cloned().collect();
		spares.push(spare.clone());
		SpareMiners::<T>::insert(id, BoundedVec::truncate_from(spares));
		#[extrinsic_call]
		_(RawOrigin::Signed(uploader), id, 0);
		assert_eq!(Files::<T>::get(id).expect("file").columns[0].miner, spare);
	}

	#[benchmark]
	fn report_loss() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, _) = stored::<T>(1);
		let miner = Files::<T>::get(id).expect("file").columns[0].miner.clone();
		// Worst case: the round under way challenges the column, so the report fails it.
		roll::<T>(1);
		T::BenchmarkHelper::start_audit_round();
		#[extrinsic_call]
		_(RawOrigin::Signed(miner), id, 0);
		assert!(RestoralOrders::<T>::contains_key((id, 0)));
	}

	// Worst case: the previous claim expired and is released.
	#[benchmark]
	fn claim_restoral() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT + 2);
		let (id, _) = stored::<T>(1);
		let holders: Vec<T::AccountId> =
			Files::<T>::get(id).expect("file").columns.iter().map(|c| c.miner.clone()).collect();
		let spares: Vec<T::AccountId> = (0..MAX_FRAGMENTS_PER_SEGMENT + 2)
			.map(|i| account("miner", i, SEED))
			.filter(|m| !holders.contains(m))
			.collect();
		FileBank::<T>::do_report_loss(holders[0].clone(), id, 0).expect("loss");
		FileBank::<T>::do_claim_restoral(spares[0].clone(), id, 0).expect("claim");
		roll::<T>(1);
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(T::RestoralClaimPeriod::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(spares[1].clone()), id, 0);
	}

	// A deep proof to verify: fragments of a whole segment (k = 1) in a 32-wide file of 64
	// segments, all-zero data (its trees computed without the bytes).
	#[benchmark]
	fn complete_restoral() {
		let restorer: T::AccountId = account("restorer", 0, SEED);
		T::BenchmarkHelper::add_miner(&restorer, 1 << 42);
		let column: Column = 3;
		let file = DeepFile::<T>::new(Some(column));
		let (file_id, layout, holders) = (file.id, file.layout, &file.holders);
		let now = frame_system::Pallet::<T>::block_number();
		T::Miners::lock_space(&restorer, layout.column_bytes()).expect("room");
		fund::<T>(&restorer);
		let deposit = T::RestoralClaimDeposit::get();
		T::Currency::hold(&crate::HoldReason::RestoralClaim.into(), &restorer, deposit)
			.expect("funded");
		RestoralOrders::<T>::insert(
			(file_id, column),
			RestoralOrder {
				lost_by: holders[column as usize].clone(),
				reason: RestoralReason::SelfReported,
				opened_at: now,
				claim: Some(RestoralClaim {
					restorer: restorer.clone(),
					claimed_at: now,
					deadline: now.saturating_add(T::RestoralClaimPeriod::get()),
					deposit,
				}),
				barred: None,
			},
		);
		OutstandingRestorals::<T>::insert(&holders[column as usize], 1);
		crate::OutstandingBytes::<T>::insert(&holders[column as usize], layout.column_bytes());
		roll::<T>(1);
		let samples = FileBank::<T>::restoral_challenge(file_id, column).expect("challenge");
		let proof = file.prove(&samples);
		#[extrinsic_call]
		_(RawOrigin::Signed(restorer.clone()), file_id, column, proof);
		assert!(!RestoralOrders::<T>::contains_key((file_id, column)));
	}

	// A deep proof over the whole file; the joiner's lease is billed.
	#[benchmark]
	fn prove_join() {
		setup_market::<T>();
		let file = DeepFile::<T>::new(None);
		let joiner = owner::<T>(1);
		let stored = Files::<T>::get(file.id).expect("file");
		let entry = owned_entry::<T>();
		FileBank::<T>::request_join(
			joiner.clone(),
			file.id,
			stored.clone(),
			stored.size,
			stored.profile,
			entry,
		)
		.expect("requested");
		roll::<T>(1);
		let samples = FileBank::<T>::join_challenge(file.id, &joiner).expect("challenge");
		let proof = file.prove(&samples);
		#[extrinsic_call]
		_(RawOrigin::Signed(joiner.clone()), file.id, proof);
		assert!(OwnedFiles::<T>::contains_key(&joiner, file.id));
	}

	#[benchmark]
	fn set_unit_price() -> Result<(), BenchmarkError> {
		let origin =
			T::PriceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 5u32.into());
		Ok(())
	}

	#[benchmark]
	fn set_allowed_profiles() -> Result<(), BenchmarkError> {
		let origin =
			T::PriceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let profiles = BoundedVec::truncate_from(vec![ErasureProfile::new(4, 8); 8]);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, profiles);
		Ok(())
	}

	// An empty deadline bucket.
	#[benchmark]
	fn deadlines_base() {
		let n = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			FileBank::<T>::process_deadlines(n);
		}
	}

	// One missed column of a 32-column upload, reassigned among `PlacementCandidates` miners.
	#[benchmark]
	fn reassign_column() {
		setup_market::<T>();
		miners::<T>(T::PlacementCandidates::get().max(MAX_FRAGMENTS_PER_SEGMENT + 1));
		let (id, uploader) = declared::<T>(1);
		for c in 1..WIDE.total() as Column {
			report_column::<T>(id, &uploader, c);
		}
		let deadline = Files::<T>::get(id).expect("file").deadline;
		frame_system::Pallet::<T>::set_block_number(deadline);
		#[block]
		{
			FileBank::<T>::process_deadlines(deadline);
		}
		let file = Files::<T>::get(id).expect("file");
		assert_eq!(file.columns[0].state, ColumnState::Assigned { attempts: 2 });
	}

	// A 32-column upload none of whose columns reached its miner: abandoned, its deposit
	// shared by the 32 miners, their locks and the lease released.
	#[benchmark]
	fn abandon_upload() {
		setup_market::<T>();
		miners::<T>(T::PlacementCandidates::get().max(MAX_FRAGMENTS_PER_SEGMENT + 1));
		let (id, _) = declared::<T>(1);
		let deadline = Files::<T>::get(id).expect("file").deadline;
		frame_system::Pallet::<T>::set_block_number(deadline);
		#[block]
		{
			FileBank::<T>::process_deadlines(deadline);
		}
		assert!(!Files::<T>::contains_key(id));
	}

	#[benchmark]
	fn expire_leases(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		setup_market::<T>();
		let mut at = BlockNumberFor::<T>::default();
		for i in 0..n {
			let who = funded::<T>("owner", i);
			FileBank::<T>::do_buy_space(who, 1, T::MinLeaseDays::get()).expect("lease");
			at =
				Leases::<T>::get(account::<T::AccountId>("owner", i, SEED)).expect("lease").expires;
		}
		let due = at.saturating_add(T::GracePeriod::get());
		frame_system::Pallet::<T>::set_block_number(due);
		#[block]
		{
			FileBank::<T>::process_expiries(due);
		}
		assert_eq!(ExpiredOwners::<T>::count(), n);
	}

	// Nothing to do.
	#[benchmark]
	fn background_base() {
		#[block]
		{
			FileBank::<T>::background_work();
		}
	}

	// One holding of a leaving miner becomes an order.
	#[benchmark]
	fn leaving_holding() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, _) = stored::<T>(1);
		let miner = Files::<T>::get(id).expect("file").columns[0].miner.clone();
		LeavingMiners::<T>::insert(&miner, RestoralReason::MinerExit);
		#[block]
		{
			let (m, reason) = LeavingMiners::<T>::iter().next().expect("leaving");
			let e = FileBank::<T>::last_holding(&m).expect("holding");
			FileBank::<T>::open_order(e.file_id, e.column, reason);
			FileBank::<T>::remove_holding(&m, e.file_id, e.column);
		}
		assert!(RestoralOrders::<T>::contains_key((id, 0)));
	}

	// One file of an expired lease is collected (the last owner: the file goes).
	#[benchmark]
	fn collect_file() {
		setup_market::<T>();
		miners::<T>(MAX_FRAGMENTS_PER_SEGMENT);
		let (id, uploader) = stored::<T>(1);
		ExpiredOwners::<T>::insert(&uploader, ());
		#[block]
		{
			let owner = ExpiredOwners::<T>::iter_keys().next().expect("expired");
			FileBank::<T>::collect_one(&owner);
		}
		assert!(!Files::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(FileBank, crate::mock::new_test_ext(), crate::mock::Test);
}
