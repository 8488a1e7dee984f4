//! # File Bank (`file-bank`)
//!
//! The on-chain file market of CESS: space leases, upload declarations with chain-driven
//! placement, transfer reports, deduplicated ownership, deletion and restoral orders.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::FileBankApi`] runtime API answers file, quote and restoral queries.
//!
//! ## Overview
//!
//! * **Leases.** A user buys `gib` GiB for `days` days at [`UnitPrice`] per GiB-day, paid into
//!   the pallet account (the storage-reward pallet draws on it). Leases can be expanded and
//!   renewed; after expiry uploads stop, and `GracePeriod` blocks later the owner's files are
//!   collected in bounded batches.
//! * **Uploads.** `upload_declaration` reserves the file's stored bytes (fragments, parity
//!   included) in the caller's lease and picks `k + m` distinct positive miners, weighted by free
//!   capacity × credit, with BABE randomness; each assigned miner checks its column against the
//!   file id and reports it with the owner's signed acceptance. Missed transfer deadlines reassign the column (a
//!   bounded number of times) and cost the late miner credit; when no miner is left the upload
//!   fails and the reservation is released. Declaring a `file_id` that exists makes the caller
//!   another owner, billed for the same bytes, without new placement.
//! * **Deletion.** An owner deletes its ownership; the last owner removes the file, releasing
//!   every miner's capacity ([`Event::FileRemoved`] tells miners what to garbage-collect).
//! * **Restoral.** Lost columns (self-reported, exits, forced exits) get orders; a positive miner
//!   holding no other column of the file claims one, rebuilds the column off chain and
//!   completes the order with a PoDR² proof of samples of the rebuilt column drawn from the
//!   claim block's hash, verified in the runtime.
//! * **Holdings.** Per miner, indexed per size class with swap-remove and kept as of the current
//!   audit round's start beside their current state, so the audit samples byte-fair in O(1)
//!   reads per sample from a snapshot no change during the round can alter.
//!
//! ## Low Level / Implementation Details
//!
//! Placement samples at most `PlacementCandidates` distinct positive miners from `sminer`'s dense
//! index, then draws the `k + m` miners among them by weight: the cost does not grow with the
//! number of miners. Hooks work from bounded per-block schedules (transfer deadlines, lease
//! expiries) and bounded batches (`MaxHookWork` units of exit conversion and garbage collection
//! per block).
#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod holdings;
mod join;
mod lease;
#[cfg(test)]
mod mock;
mod placement;
mod restoral;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
mod upload;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::file-bank";

/// Most spare miners drawn per placement.
pub const MAX_SPARE_MINERS: u32 = 8;
/// Credit a miner loses for reporting a loss itself (less than failing rounds would cost).
pub const LOSS_REPORTED_CREDIT: i32 = -5;
/// Credit a restorer earns for a completed restoral.
pub const RESTORAL_CREDIT: i32 = 10;
/// Credit a claimant loses when its restoral claim lapses.
pub const RESTORAL_LAPSED_CREDIT: i32 = -20;

pub use restoral::restoral_seed;

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// Registers `who` as a positive miner with `capacity` bytes.
	fn add_miner(who: &AccountId, capacity: u64);
	/// An account able to sign acceptances (its key is created if needed).
	fn signer() -> AccountId;
	/// Starts a new audit round at the current block (its challenges sample the holdings of now).
	fn start_audit_round();
	/// `signer`'s signature over `message`.
	fn sign(signer: &AccountId, message: &[u8]) -> Signature;
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::{
		traits::{AuditClock, FileReferences, MinerPenalties, MinerRegistry},
		types::{Column, ErasureProfile, FileId, Hash256},
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible, Randomness},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{IdentifyAccount, Verify},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A reason for the pallet placing a hold on funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a running restoral claim (forfeited if the claim lapses).
		#[codec(index = 0)]
		RestoralClaim,
		/// The deposit of an upload not yet active (forfeited to its miners if no column
		/// reaches them).
		#[codec(index = 1)]
		UploadDeposit,
		/// The deposit of a request to join an existing file, held until it is answered or
		/// withdrawn.
		#[codec(index = 2)]
		JoinRequest,
	}

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency leases are paid in and claim deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// The miner registry (placement, space accounting, PoDR² keys).
		type Miners: MinerRegistry<Self::AccountId>;
		/// Credit changes for late transfers, losses and restorals.
		type Penalties: MinerPenalties<Self::AccountId, BalanceOf<Self>>;
		/// Randomness for placement (BABE's parent-block randomness in the runtime).
		type Randomness: Randomness<Option<Self::Hash>, BlockNumberFor<Self>>;
		/// The owner's signature accepting a miner's tags (sr25519 through `MultiSignature`).
		type AcceptanceSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;
		/// Who sets the price and the allowed erasure profiles.
		type PriceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The pallet account that collects lease payments.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Segment size of the data layout, in bytes.
		#[pallet::constant]
		type SegmentSize: Get<u64>;
		/// PoDR² sectors per block (`s`).
		/// Blocks per lease day.
		#[pallet::constant]
		type BlocksPerDay: Get<BlockNumberFor<Self>>;
		/// Shortest lease purchase or renewal, in days.
		#[pallet::constant]
		type MinLeaseDays: Get<u32>;
		/// Longest time a lease may run ahead, in days.
		#[pallet::constant]
		type MaxLeaseDays: Get<u32>;
		/// Largest lease, in GiB.
		#[pallet::constant]
		type MaxLeaseGib: Get<u32>;
		/// Blocks after expiry before the owner's files are collected.
		#[pallet::constant]
		type GracePeriod: Get<BlockNumberFor<Self>>;
		/// Largest file (encrypted stream) in bytes.
		#[pallet::constant]
		type MaxFileSize: Get<u64>;
		/// Largest number of owners of one file.
		#[pallet::constant]
		type MaxFileOwners: Get<u32>;
		/// Longest file or bucket name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// Blocks an assigned miner has to report its column.
		#[pallet::constant]
		type TransferDeadline: Get<BlockNumberFor<Self>>;
		/// Miners a column may be assigned to before the upload fails.
		#[pallet::constant]
		type MaxTransferAttempts: Get<u32>;
		/// Uploads whose deadline can fall in one block.
		#[pallet::constant]
		type MaxUploadsPerBlock: Get<u32>;
		/// Positive miners sampled per placement.
		#[pallet::constant]
		type PlacementCandidates: Get<u32>;
		/// Largest holdings index of one miner.
		#[pallet::constant]
		type MaxHoldingsPerMiner: Get<u32>;
		/// Blocks a restorer has to complete a claimed order.
		#[pallet::constant]
		type RestoralClaimPeriod: Get<BlockNumberFor<Self>>;
		/// Held from a restoral claimant until it completes; forfeited to the pallet account (the
		/// storage reward pot) if the claim lapses.
		#[pallet::constant]
		type RestoralClaimDeposit: Get<BalanceOf<Self>>;
		/// Miners drawn beyond the `k + m` of each placement, in order, for the uploader to move
		/// a column to at once when it cannot reach its miner (`use_spare`); at most
		/// [`MAX_SPARE_MINERS`].
		#[pallet::constant]
		type SpareMiners: Get<u32>;
		/// Held from a declarer until its upload is active; forfeited to the miners assigned to
		/// it if no column reached them by the transfer deadline.
		#[pallet::constant]
		type UploadDeposit: Get<BalanceOf<Self>>;
		/// Blocks after a lapsed claim's deadline during which its claimant may not claim that
		/// order again.
		#[pallet::constant]
		type RestoralBarPeriod: Get<BlockNumberFor<Self>>;
		/// Leaves sampled by a one-off content challenge: of the rebuilt column to complete a
		/// restoral, of the whole file to join it (`c_r`).
		#[pallet::constant]
		type RestoralSamples: Get<u32>;
		/// Blocks after a join request during which the requester may answer its challenge.
		#[pallet::constant]
		type JoinWindow: Get<BlockNumberFor<Self>>;
		/// Largest restoral proof, in bytes.
		#[pallet::constant]
		type MaxRestoralProofLen: Get<u32>;
		/// The current audit round, by which the holdings snapshot is kept, and which a loss
		/// report of a challenged column fails.
		type Rounds: AuditClock<Self::AccountId>;
		/// How many of an owner's object keys (`buckets`) name each of its files: a named file
		/// cannot be deleted or handed over by that owner.
		type References: FileReferences<Self::AccountId>;
		/// Lease expiries that can fall in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// Units of background work per block: missed transfers reassigned, holdings of leaving
		/// miners turned into orders, files of expired leases collected.
		#[pallet::constant]
		type MaxHookWork: Get<u32>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// Benchmark support.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::AcceptanceSignature>;
	}

	/// Price of one GiB for one day.
	#[pallet::storage]
	pub type UnitPrice<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Erasure profiles uploads may use.
	#[pallet::storage]
	pub type AllowedProfiles<T: Config> =
		StorageValue<_, BoundedVec<ErasureProfile, MaxProfiles>, ValueQuery>;

	/// Space leases.
	// Twox64Concat: owners are accounts, not attacker-chosen keys of unbounded number.
	#[pallet::storage]
	pub type Leases<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, Lease<BlockNumberFor<T>>>;

	/// Leases to check at a block (their expiry plus the grace period).
	#[pallet::storage]
	pub type LeaseExpiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<T::AccountId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// Owners whose lease ran out: their files are being collected.
	#[pallet::storage]
	pub type ExpiredOwners<T: Config> = CountedStorageMap<_, Twox64Concat, T::AccountId, ()>;

	/// Declared files.
	// Identity: the file id is already a Blake2b-256 digest.
	#[pallet::storage]
	pub type Files<T: Config> = StorageMap<_, Identity, FileId, FileInfo<T>>;

	/// Each owner's files with their names.
	#[pallet::storage]
	pub type OwnedFiles<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Identity, FileId, OwnedFile<T>>;

	/// Requests to join existing files, waiting for their proofs of the content.
	#[pallet::storage]
	pub type JoinRequests<T: Config> =
		StorageDoubleMap<_, Identity, FileId, Twox64Concat, T::AccountId, JoinRequest<T>>;

	/// Open ownership offers: `(file, owner) → the account that may accept`.
	#[pallet::storage]
	pub type OwnershipOffers<T: Config> =
		StorageDoubleMap<_, Identity, FileId, Twox64Concat, T::AccountId, T::AccountId>;

	/// Uploads declared in this block, placed at the start of the next one.
	#[pallet::storage]
	pub type Unplaced<T: Config> =
		StorageValue<_, BoundedVec<FileId, T::MaxUploadsPerBlock>, ValueQuery>;

	/// Pending uploads whose transfer deadline falls at a block.
	#[pallet::storage]
	pub type TransferDeadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<FileId, T::MaxUploadsPerBlock>,
		ValueQuery,
	>;

	/// Lease payments in the pallet account not yet earned: each is released in equal daily
	/// parts at the day boundaries of the days it pays for, so the reward pools receive it pro
	/// rata over the lease's life (the storage-rewards pallet leaves this much in the account).
	#[pallet::storage]
	pub type Unreleased<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// What is released at each day boundary now.
	#[pallet::storage]
	pub type ReleaseRate<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Changes of the daily release at a day boundary (day index = block / `BlocksPerDay`):
	/// `(started, ended)`.
	#[pallet::storage]
	pub type ReleaseChanges<T: Config> =
		StorageMap<_, Twox64Concat, u32, (BalanceOf<T>, BalanceOf<T>), ValueQuery>;

	/// The spare miners of each pending upload, in the order they are used.
	#[pallet::storage]
	pub type SpareMiners<T: Config> =
		StorageMap<_, Identity, FileId, BoundedVec<T::AccountId, ConstU32<MAX_SPARE_MINERS>>>;

	/// The deposit held from the uploader of each upload not yet active.
	#[pallet::storage]
	pub type UploadDeposits<T: Config> = StorageMap<_, Identity, FileId, BalanceOf<T>>;

	/// The oldest transfer-deadline bucket not yet fully handled: buckets are handled in order
	/// and a file stays in its bucket until handled, so no deadline is ever dropped.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// Each miner's holdings per size class (ascending, no zero counts), now and as of the
	/// current round's start.
	#[pallet::storage]
	pub type HoldingClasses<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, Versioned<ClassCounts>, ValueQuery>;

	/// Each miner's holdings: `(miner, class, index) → entry`, dense in `0..count` per class, now
	/// and as of the current round's start.
	#[pallet::storage]
	pub type Holdings<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, T::AccountId>,
			NMapKey<Twox64Concat, u8>,
			NMapKey<Twox64Concat, u32>,
		),
		Versioned<Option<HoldingEntry>>,
	>;

	/// Block since which each miner with data has held data without interruption.
	#[pallet::storage]
	pub type HoldingSince<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, BlockNumberFor<T>>;

	/// Where each stored column sits in its miner's holdings: `(class, index)`.
	#[pallet::storage]
	pub type HoldingPosition<T: Config> =
		StorageDoubleMap<_, Identity, FileId, Twox64Concat, Column, (u8, u32)>;

	/// Open restoral orders, by file and column.
	#[pallet::storage]
	pub type RestoralOrders<T: Config> =
		CountedStorageMap<_, Twox64Concat, (FileId, Column), RestoralOrder<T>>;

	/// Per miner: bytes of the columns it lost whose orders are not completed yet (a leaving
	/// miner's collateral answers for them).
	#[pallet::storage]
	pub type OutstandingBytes<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, u64, ValueQuery>;

	/// Per miner: orders for columns it lost that are not completed yet.
	#[pallet::storage]
	pub type OutstandingRestorals<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// Miners leaving (exit or forced exit) whose holdings are being turned into orders.
	#[pallet::storage]
	pub type LeavingMiners<T: Config> =
		CountedStorageMap<_, Twox64Concat, T::AccountId, RestoralReason>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A lease was bought.
		SpaceBought {
			/// The owner.
			owner: T::AccountId,
			/// Size in GiB.
			gib: u32,
			/// Paid-up-to block.
			expires: BlockNumberFor<T>,
			/// Amount paid.
			cost: BalanceOf<T>,
		},
		/// A lease grew.
		SpaceExpanded {
			/// The owner.
			owner: T::AccountId,
			/// Size now, in GiB.
			gib: u32,
			/// Amount paid.
			cost: BalanceOf<T>,
		},
		/// A lease was extended.
		SpaceRenewed {
			/// The owner.
			owner: T::AccountId,
			/// Paid-up-to block now.
			expires: BlockNumberFor<T>,
			/// Amount paid.
			cost: BalanceOf<T>,
		},
		/// A lease ran out past its grace period and its files were collected.
		LeaseExpired {
			/// The former owner.
			owner: T::AccountId,
		},
		/// The price per GiB-day changed.
		PriceSet {
			/// The new price.
			price: BalanceOf<T>,
		},
		/// The allowed erasure profiles changed.
		ProfilesSet {
			/// The new list.
			profiles: BoundedVec<ErasureProfile, MaxProfiles>,
		},
		/// An upload was declared and its columns assigned.
		UploadDeclared {
			/// The file.
			file_id: FileId,
			/// The uploader.
			owner: T::AccountId,
		},
		/// A declared upload's miners were drawn (at the start of the block after its
		/// declaration): the uploader pushes each column to its miner before the deadline.
		UploadPlaced {
			/// The file.
			file_id: FileId,
			/// The miner of each column, in column order.
			miners: BoundedVec<T::AccountId, MaxColumns>,
			/// Transfer deadline.
			deadline: BlockNumberFor<T>,
		},

		/// Someone declared the id of an existing file: it becomes an owner when it proves the
		/// content (`prove_join`, after this block and by `deadline`).
		JoinRequested {
			/// The file.
			file_id: FileId,
			/// The requester.
			who: T::AccountId,
			/// Last block to answer.
			deadline: BlockNumberFor<T>,
		},
		/// A join request was withdrawn (`delete_file`) and its deposit released.
		JoinWithdrawn {
			/// The file.
			file_id: FileId,
			/// The requester.
			who: T::AccountId,
		},
		/// An existing file gained an owner (a deduplicated upload that proved the content).
		OwnerAdded {
			/// The file.
			file_id: FileId,
			/// The new owner.
			owner: T::AccountId,
		},
		/// A miner reported holding its column.
		ColumnReported {
			/// The file.
			file_id: FileId,
			/// The column.
			column: Column,
			/// The miner.
			miner: T::AccountId,
		},
		/// Every column of a file is held: the upload is complete.
		FileActive {
			/// The file.
			file_id: FileId,
		},
		/// A column whose miner missed the deadline went to another miner.
		ColumnReassigned {
			/// The file.
			file_id: FileId,
			/// The column.
			column: Column,
			/// The late miner.
			from: T::AccountId,
			/// The new miner.
			to: T::AccountId,
			/// The new deadline.
			deadline: BlockNumberFor<T>,
		},
		/// An upload failed (no miner left for a column): the file and its reservations are gone.
		UploadFailed {
			/// The file.
			file_id: FileId,
		},
		/// No column of an upload reached its miner by the transfer deadline: the upload failed
		/// and its deposit went to the miners that kept room for it.
		UploadAbandoned {
			/// The file.
			file_id: FileId,
			/// Its uploader.
			uploader: T::AccountId,
			/// The deposit forfeited, shared by the assigned miners.
			forfeited: BalanceOf<T>,
		},
		/// An owner gave up its ownership of a file.
		OwnerRemoved {
			/// The file.
			file_id: FileId,
			/// The former owner.
			owner: T::AccountId,
		},
		/// A file's ownership moved to another account.
		OwnershipOffered {
			/// The file.
			file_id: FileId,
			/// The owner offering.
			from: T::AccountId,
			/// Who may accept.
			to: T::AccountId,
		},
		/// An offered ownership was accepted: `to` owns the file in `from`'s place.
		OwnershipTransferred {
			/// The file.
			file_id: FileId,
			/// The former owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// A file lost its last owner and was removed: its miners may delete their fragments.
		FileRemoved {
			/// The file.
			file_id: FileId,
			/// The miner of each column, in column order.
			miners: BoundedVec<T::AccountId, MaxColumns>,
		},
		/// A restoral order was opened.
		RestoralOrderOpened {
			/// The file.
			file_id: FileId,
			/// The lost column.
			column: Column,
			/// The miner that lost it.
			lost_by: T::AccountId,
			/// Why.
			reason: RestoralReason,
		},
		/// A miner claimed a restoral order.
		RestoralClaimed {
			/// The file.
			file_id: FileId,
			/// The column.
			column: Column,
			/// The restorer.
			restorer: T::AccountId,
			/// Last block to complete it.
			deadline: BlockNumberFor<T>,
		},
		/// A claim ran out without completion: its deposit is forfeited, its claimant loses
		/// credit and may not claim the order again until `barred_until`.
		RestoralClaimLapsed {
			/// The file.
			file_id: FileId,
			/// The column.
			column: Column,
			/// The claimant that did not complete.
			restorer: T::AccountId,
			/// The deposit forfeited.
			forfeited: BalanceOf<T>,
			/// Last block of its bar from this order.
			barred_until: BlockNumberFor<T>,
		},
		/// A restorer proved the rebuilt column: it now holds it.
		RestoralCompleted {
			/// The file.
			file_id: FileId,
			/// The column.
			column: Column,
			/// The new holder.
			restorer: T::AccountId,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller already has a lease: expand or renew it instead.
		LeaseExists,
		/// The caller has no lease: buy space first.
		NoLease,
		/// The lease has expired: renew it first.
		LeaseExpired,
		/// The lease's files are being collected after its grace period; buy a new lease once
		/// that is done.
		LeaseCollecting,
		/// Zero GiB, or more than `MaxLeaseGib` in total.
		BadLeaseSize,
		/// Fewer than `MinLeaseDays` days, or the lease would run more than `MaxLeaseDays` ahead.
		BadLeaseDuration,
		/// The balance cannot pay for the lease.
		InsufficientBalance,
		/// The lease has too little free space for the file's stored bytes; expand it.
		InsufficientLeaseSpace,
		/// File size is zero or above `MaxFileSize`.
		BadFileSize,
		/// The segment count does not match the file size and the chain's segment size.
		SegmentCountMismatch,
		/// The erasure profile is not allowed on this chain.
		ProfileNotAllowed,
		/// The declaration does not match the existing file with this id (size or profile).
		FileMismatch,
		/// No file with this id.
		UnknownFile,
		/// The caller already asked to join this file and may still answer: answer with
		/// `prove_join`, or withdraw with `delete_file`.
		JoinPending,
		/// The caller has no request to join this file: declare the file first.
		NoJoinRequest,
		/// The join request's window ran out: declare the file again for a new challenge.
		JoinExpired,
		/// The join proof does not verify against the file id: the caller's fragments are not
		/// the file's.
		BadJoinProof,
		/// The caller cannot put the join deposit (`UploadDeposit`) on hold: top up its free
		/// balance.
		InsufficientJoinDeposit,
		/// The caller already owns this file.
		AlreadyOwner,
		/// The caller does not own this file.
		NotOwner,
		/// The file has `MaxFileOwners` owners already.
		TooManyOwners,
		/// Not enough positive miners with room for the file's columns; try later or a smaller
		/// profile.
		NotEnoughMiners,
		/// Too many uploads or lease expiries are already scheduled around this block; retry in
		/// the next block.
		ScheduleFull,
		/// The column index is not below `k + m`.
		BadColumn,
		/// The caller is not the miner this column is assigned to or held by.
		NotColumnMiner,
		/// This column was already reported (or is being restored).
		AlreadyReported,
		/// Only positive miners can report or claim; top up collateral or register.
		MinerNotPositive,
		/// The owner's acceptance signature does not verify.
		BadAcceptance,
		/// The miner holds `MaxHoldingsPerMiner` columns already.
		TooManyHoldings,
		/// The column is not in the stored state.
		ColumnNotStored,
		/// No open restoral order for this column.
		NoRestoralOrder,
		/// The order is claimed and the claim is still running.
		AlreadyClaimed,
		/// The caller already holds a column of this file (or lost this one).
		HoldsColumnOfFile,
		/// The caller has not enough free capacity for the column.
		InsufficientMinerSpace,
		/// The caller does not hold the claim of this order.
		NotClaimant,
		/// The claim ran out; claim the order again.
		ClaimExpired,
		/// The caller's earlier claim of this order lapsed: it may claim it again only after
		/// its bar (`RestoralBarPeriod` after that claim's deadline).
		ClaimBarred,
		/// The caller cannot put the claim deposit (`RestoralClaimDeposit`) on hold: top up its
		/// free balance.
		InsufficientDeposit,
		/// The declarer cannot put the upload deposit (`UploadDeposit`) on hold: top up its free
		/// balance.
		InsufficientUploadDeposit,
		/// Only the account that declared the upload may move its columns.
		NotUploader,
		/// The file is not a pending upload (still being placed, or already active).
		FileNotPending,
		/// No spare miner of this upload is left that takes data: wait for the transfer deadline,
		/// when the chain reassigns the column.
		NoSpareMiner,
		/// The sampled leaves are drawn from the claim's (or join request's) block hash: answer in
		/// a later block.
		TooEarly,
		/// The restoral proof does not verify against the file id.
		BadRestoralProof,
		/// The profile list is empty or has an invalid profile.
		BadProfiles,
		/// The transfer target is the owner itself.
		SelfTransfer,
		/// Only an active file (every column stored) can change hands.
		FileNotActive,
		/// That owner has not offered this file to the caller.
		NoOwnershipOffer,
		/// Object keys of the owner (in `buckets`) still name this file: delete those objects
		/// first (`buckets.delete_object`; deleting the last one gives the file up, as this call
		/// would). For `accept_ownership`, the offering owner's keys name it: it has to delete
		/// them.
		FileNamedByObjects,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::place_declared(n)
				.saturating_add(Self::release_revenue(n))
				.saturating_add(Self::process_deadlines(n))
				.saturating_add(Self::process_expiries(n))
				.saturating_add(Self::background_work())
		}

		fn integrity_test() {
			assert!(T::MaxTransferAttempts::get() >= 1, "MaxTransferAttempts must be ≥ 1");
			assert!(T::MaxTransferAttempts::get() <= u8::MAX as u32, "MaxTransferAttempts ≤ 255");
			assert!(T::RestoralSamples::get() >= 1, "RestoralSamples must be ≥ 1");
			assert!(
				T::PlacementCandidates::get() >= cess_primitives::types::MAX_FRAGMENTS_PER_SEGMENT,
				"PlacementCandidates must cover the widest profile"
			);
			assert!(
				T::RestoralClaimPeriod::get() < T::BlockHashCount::get(),
				"the claim block's hash must still be known when the claim ends"
			);
			assert!(
				T::JoinWindow::get() < T::BlockHashCount::get(),
				"the join request block's hash must still be known when the window ends"
			);
			assert!(T::SpareMiners::get() <= MAX_SPARE_MINERS, "SpareMiners ≤ MAX_SPARE_MINERS");
			assert!(
				T::SegmentSize::get() >= cess_primitives::types::LEAF_BYTES as u64
					&& T::SegmentSize::get() <= cess_primitives::layout::MAX_SEGMENT_SIZE,
				"SegmentSize out of range"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Buy a lease of `gib` GiB for `days` days.
		///
		/// ## Dispatch Origin
		///
		/// Signed; the caller must not have a lease.
		///
		/// ## Details
		///
		/// Costs `UnitPrice × gib × days`, paid into the pallet account.
		///
		/// ## Events
		///
		/// [`Event::SpaceBought`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::buy_space())]
		pub fn buy_space(origin: OriginFor<T>, gib: u32, days: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_buy_space(who, gib, days)
		}

		/// Add `gib` GiB to the caller's lease, paid for the days it still runs.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a lease owner whose lease has not expired.
		///
		/// ## Events
		///
		/// [`Event::SpaceExpanded`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::expand_space())]
		pub fn expand_space(origin: OriginFor<T>, gib: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_expand_space(who, gib)
		}

		/// Extend the caller's lease by `days` days (also during the grace period).
		///
		/// ## Dispatch Origin
		///
		/// Signed by a lease owner whose files are not being collected.
		///
		/// ## Events
		///
		/// [`Event::SpaceRenewed`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::renew_space())]
		pub fn renew_space(origin: OriginFor<T>, days: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_renew_space(who, days)
		}

		/// Declare an upload (its columns are assigned at the start of the next block), or
		/// become an owner of an existing file with this id.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a lease owner with an unexpired lease.
		///
		/// ## Details
		///
		/// `size` is the encrypted stream's length, cut into `segments` segments of the chain's
		/// `SegmentSize` and coded with `profile` (one of [`AllowedProfiles`]). The file's stored
		/// bytes (every fragment, parity included) are reserved in the lease. The file is
		/// `Placing` until the next block starts: then `k + m` distinct positive miners are
		/// drawn from that block's randomness, which nobody knew when the declaration was
		/// signed (so an uploader cannot grind file ids to land on miners of its choice), and
		/// must report before the deadline. At most `MaxUploadsPerBlock` new files per block.
		/// The declaration pays for its placement and holds `UploadDeposit` until the file is
		/// active: if no column reached its miner by the deadline, the upload fails and the
		/// deposit goes to the miners that kept room for it (a miner is never blamed for data
		/// nobody proves it was given; some columns delivered, the missing ones move to other
		/// miners).
		///
		/// Declaring the id of an existing active file (same size and profile) asks to join it
		/// as an owner: knowing the id is not knowing the content, so the caller holds
		/// `UploadDeposit` and must answer a challenge on the file's leaves, drawn from this
		/// block's hash, with `prove_join` within `JoinWindow` blocks.
		///
		/// `commitment`, if given, is
		/// [`cess_primitives::fingerprint::fingerprint_commitment`] of the content's fingerprint:
		/// a data-rights registration that opens it counts from this declaration (or, for a
		/// join, from the accepted proof), so nobody can beat it with a fingerprint copied from
		/// the pending registration.
		///
		/// ## Events
		///
		/// [`Event::UploadDeclared`] (then [`Event::UploadPlaced`], or [`Event::UploadFailed`]
		/// when too few miners have room, in the next block), or [`Event::JoinRequested`] for an
		/// existing file.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::upload_declaration()
			.saturating_add(T::WeightInfo::place_upload(T::PlacementCandidates::get())))]
		#[allow(clippy::too_many_arguments)]
		pub fn upload_declaration(
			origin: OriginFor<T>,
			file_id: FileId,
			size: u64,
			segments: u32,
			profile: ErasureProfile,
			name: NameOf<T>,
			bucket: NameOf<T>,
			commitment: Option<Hash256>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let layout = Self::check_declaration(size, segments, profile)?;
			let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
			let entry = OwnedFile { name, bucket, since: now, commitment };
			match Files::<T>::get(file_id) {
				Some(file) => Self::request_join(who, file_id, file, size, profile, entry),
				None => Self::declare_upload(who, file_id, layout, entry),
			}
		}

		/// Answer the challenge of the caller's request to join a file: become its owner.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the account that declared the existing file's id (see
		/// `upload_declaration`), in a later block and within `JoinWindow` blocks.
		///
		/// ## Details
		///
		/// `proof` is a PoDR² proof of the leaves [`Pallet::join_challenge`] names (drawn from
		/// the request block's hash over every fragment of the file), as the client builds it
		/// from its own encoding of the content. The file's stored bytes are billed to the
		/// caller's lease and the request's deposit is released.
		///
		/// ## Events
		///
		/// [`Event::OwnerAdded`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::prove_join())]
		pub fn prove_join(
			origin: OriginFor<T>,
			file_id: FileId,
			proof: BoundedVec<u8, T::MaxRestoralProofLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_prove_join(who, file_id, &proof)
		}

		/// Report that the caller holds its assigned column, with the uploader's acceptance.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the positive miner the column is assigned to.
		///
		/// ## Details
		///
		/// `acceptance` is the uploader's signature over
		/// [`cess_primitives::traits::acceptance_message`]`(file_id, column, miner)`, given once
		/// the miner confirmed it received the column and checked it against `file_id`.
		///
		/// ## Events
		///
		/// [`Event::ColumnReported`], and [`Event::FileActive`] with the last column.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::transfer_report())]
		pub fn transfer_report(
			origin: OriginFor<T>,
			file_id: FileId,
			column: Column,
			acceptance: T::AcceptanceSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer_report(who, file_id, column, acceptance)
		}

		/// Give up the caller's ownership of a file; the last owner removes it. A caller that
		/// only asked to join the file withdraws its request instead.
		///
		/// ## Dispatch Origin
		///
		/// Signed by an owner, or by an account with a join request for the file.
		///
		/// ## Events
		///
		/// [`Event::OwnerRemoved`], and [`Event::FileRemoved`] if it was the last owner; or
		/// [`Event::JoinWithdrawn`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::delete_file())]
		pub fn delete_file(origin: OriginFor<T>, file_id: FileId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_file(who, file_id)
		}

		/// Offer the caller's ownership of an active file to `to`; nothing moves until `to`
		/// accepts (`accept_ownership`), which bills its lease from then on. A new offer replaces
		/// the caller's previous one for this file.
		///
		/// ## Dispatch Origin
		///
		/// Signed by an owner of the file.
		///
		/// ## Events
		///
		/// [`Event::OwnershipOffered`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			file_id: FileId,
			to: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offer_ownership(who, file_id, to)
		}

		/// Accept `from`'s offer of its ownership of `file_id`: the caller becomes an owner in
		/// its place and its lease is billed for the file.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the account the offer names; it needs an unexpired lease with room.
		///
		/// ## Events
		///
		/// [`Event::OwnershipTransferred`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::accept_ownership())]
		pub fn accept_ownership(
			origin: OriginFor<T>,
			file_id: FileId,
			from: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_ownership(who, file_id, from)
		}

		/// Move `column` of a pending upload off its miner, which the uploader cannot reach, to
		/// the upload's next spare miner.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the file's uploader.
		///
		/// ## Details
		///
		/// Each placement draws `SpareMiners` miners beyond its `k + m`, from the same
		/// randomness. The column goes to the first spare that is still positive, has room and
		/// holds no other column of the file; the old miner's room is released and it is not
		/// blamed. The transfer deadline stays. Without a spare left, `NoSpareMiner`: the chain
		/// reassigns the column at the deadline.
		///
		/// ## Events
		///
		/// [`Event::ColumnReassigned`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::use_spare())]
		pub fn use_spare(origin: OriginFor<T>, file_id: FileId, column: Column) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_use_spare(who, file_id, column)
		}

		/// Report that the caller lost a column it holds, opening a restoral order. If the
		/// current audit round's challenge to the caller samples that column and the caller has
		/// not proven the round, the round fails now (a proof of it can no longer pass).
		///
		/// ## Dispatch Origin
		///
		/// Signed by the column's miner.
		///
		/// ## Events
		///
		/// [`Event::RestoralOrderOpened`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::report_loss())]
		pub fn report_loss(
			origin: OriginFor<T>,
			file_id: FileId,
			column: Column,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_loss(who, file_id, column)
		}

		/// Claim a restoral order: the caller has `RestoralClaimPeriod` blocks to complete it.
		///
		/// ## Dispatch Origin
		///
		/// Signed by a positive miner with room for the column that holds no other column of
		/// the file.
		///
		/// ## Events
		///
		/// [`Event::RestoralClaimed`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::claim_restoral())]
		pub fn claim_restoral(
			origin: OriginFor<T>,
			file_id: FileId,
			column: Column,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_restoral(who, file_id, column)
		}

		/// Complete a claimed restoral with the PoDR² proof of the rebuilt column.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the claimant, after the claim block and before the claim's deadline.
		///
		/// ## Details
		///
		/// `RestoralSamples` leaves of the column are drawn from the claim block's hash
		/// ([`Pallet::restoral_challenge`]); `proof` answers them exactly like a round's proof
		/// and is verified against `file_id` in the runtime.
		///
		/// ## Events
		///
		/// [`Event::RestoralCompleted`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::complete_restoral())]
		pub fn complete_restoral(
			origin: OriginFor<T>,
			file_id: FileId,
			column: Column,
			proof: BoundedVec<u8, T::MaxRestoralProofLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_complete_restoral(who, file_id, column, &proof)
		}

		/// Set the price of one GiB for one day.
		///
		/// ## Dispatch Origin
		///
		/// `PriceOrigin` (root or governance).
		///
		/// ## Events
		///
		/// [`Event::PriceSet`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_unit_price())]
		pub fn set_unit_price(origin: OriginFor<T>, price: BalanceOf<T>) -> DispatchResult {
			T::PriceOrigin::ensure_origin(origin)?;
			UnitPrice::<T>::put(price);
			Self::deposit_event(Event::PriceSet { price });
			Ok(())
		}

		/// Set the erasure profiles uploads may use.
		///
		/// ## Dispatch Origin
		///
		/// `PriceOrigin` (root or governance).
		///
		/// ## Events
		///
		/// [`Event::ProfilesSet`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_allowed_profiles())]
		pub fn set_allowed_profiles(
			origin: OriginFor<T>,
			profiles: BoundedVec<ErasureProfile, MaxProfiles>,
		) -> DispatchResult {
			T::PriceOrigin::ensure_origin(origin)?;
			ensure!(
				!profiles.is_empty() && profiles.iter().all(|p| p.validate().is_ok()),
				Error::<T>::BadProfiles
			);
			AllowedProfiles::<T>::put(profiles.clone());
			Self::deposit_event(Event::ProfilesSet { profiles });
			Ok(())
		}
	}

	/// Genesis: the price and the allowed profiles.
	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Price of one GiB for one day.
		pub unit_price: BalanceOf<T>,
		/// Allowed erasure profiles as `(k, m)`.
		pub profiles: alloc::vec::Vec<(u8, u8)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use polkadot_sdk::frame_support::traits::fungible::{Inspect, Mutate};
			UnitPrice::<T>::put(self.unit_price);
			let profiles: alloc::vec::Vec<ErasureProfile> =
				self.profiles.iter().map(|&(k, m)| ErasureProfile::new(k, m)).collect();
			assert!(
				profiles.iter().all(|p| p.validate().is_ok()),
				"genesis erasure profiles must be valid"
			);
			AllowedProfiles::<T>::put(
				BoundedVec::try_from(profiles).expect("at most 8 genesis erasure profiles"),
			);
			// The pallet account must exist before the first (possibly small) payment.
			let account = Pallet::<T>::account_id();
			let _ = T::Currency::mint_into(&account, T::Currency::minimum_balance());
		}
	}
}
