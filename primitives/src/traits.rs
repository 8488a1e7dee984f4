//! The traits through which the storage pallets meet, wired in the runtime's `configs/`.
//!
//! Pallets never depend on each other's crates (`ARCHITECTURE.md` §2):
//!
//! * `sminer` implements [`MinerRegistry`] (placement, space accounting) for `file-bank`
//!   and [`MinerPenalties`] (credit, slashing, forced exit) for `audit` and `file-bank`.
//! * `file-bank` implements [`StorageHoldings`] (what a miner holds, per round snapshot, restoral
//!   on exit) for `sminer` and `audit`; `audit` implements [`AuditClock`] (the current round,
//!   loss reports against it) for `file-bank`, which keeps each miner's holdings as of the
//!   round's start.
//! * `storage-rewards` implements [`ProofRewards`] (scores passed rounds) for `audit`, and reads
//!   [`MinerStanding`] (stored bytes, credit, beneficiary) from `sminer`.
//! * `file-bank` implements [`FileOwnership`] for `data-rights`, and [`FileIndexTarget`] (who
//!   owns a file, give an owner's file up) for `buckets`; `buckets` implements
//!   [`FileReferences`] (how many object keys name an owner's file) for `file-bank`, which
//!   refuses to delete or hand over a named file.
//!
//! The methods are infallible or return small typed errors defined here, so this crate needs no
//! FRAME dependency; the pallets map them onto their own `Error` variants.

use crate::possession::Holding;
use crate::types::{Column, FileId, Hash256};
#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Lowest credit score.
pub const MIN_CREDIT: u32 = 0;
/// Highest credit score.
pub const MAX_CREDIT: u32 = 1000;

/// Why a miner's credit score changed (kept in its bounded credit history).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)
)]
pub enum CreditReason {
	/// Passed a PoDR² round.
	RoundPassed,
	/// Submitted no proof within a round's window.
	RoundMissed,
	/// Submitted a proof that does not verify.
	ProofFailed,
	/// Reported a lost fragment itself.
	LossReported,
	/// Completed a restoral order.
	RestoralCompleted,
	/// Validators agreed the miner did not serve a probed block.
	ProbeFailed,
	/// Validators fetched a probed block from the miner.
	ProbePassed,
	/// Let a restoral claim run out without completing it.
	RestoralLapsed,
	/// Passed an idle-space round.
	IdleRoundPassed,
	/// Submitted an idle-space proof that does not verify, or none within the round's window.
	IdleRoundFailed,
	/// An idle batch failed its generation check, or its check ran out.
	GenerationCheckFailed,
}

/// Why a space operation on a miner failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SpaceError {
	/// No miner is registered under that account.
	UnknownMiner,
	/// The miner is not positive (frozen, exiting, exited or offline) and takes no new data.
	NotPositive,
	/// The miner's free capacity is smaller than the request.
	InsufficientSpace,
}

/// What placement needs to know about one miner.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PlacementInfo {
	/// Declared capacity minus used and locked bytes.
	pub free: u64,
	/// Credit score, `MIN_CREDIT..=MAX_CREDIT`.
	pub credit: u32,
}

/// The miner registry as seen by the file market (implemented by `sminer`).
///
/// Space is accounted in three parts per miner: `used` (fragments it holds), `locked` (fragments
/// assigned or claimed but not yet reported) and the rest of the declared capacity. `used +
/// locked ≤ declared` always holds: [`Self::lock_space`] refuses what does not fit.
pub trait MinerRegistry<AccountId> {
	/// Number of positive miners (the ones that take new data), indexed `0..count`.
	fn positive_count() -> u32;
	/// The positive miner at `index` (`None` past the end). Indices move when miners leave.
	fn positive_at(index: u32) -> Option<AccountId>;
	/// Placement data of a positive miner; `None` if it is unknown or not positive.
	fn placement_info(who: &AccountId) -> Option<PlacementInfo>;
	/// Whether `who` is a registered miner in the positive state.
	fn is_positive(who: &AccountId) -> bool;
	/// Reserves `bytes` of a positive miner's free capacity for an assignment or a claim.
	fn lock_space(who: &AccountId, bytes: u64) -> Result<(), SpaceError>;
	/// Returns locked bytes to free capacity (assignment reassigned, claim expired, upload
	/// failed). Saturating.
	fn unlock_space(who: &AccountId, bytes: u64);
	/// Moves locked bytes to used (the fragment was reported). Saturating.
	fn commit_space(who: &AccountId, bytes: u64);
	/// Returns used bytes to free capacity (file deleted, fragment lost). Saturating.
	fn release_space(who: &AccountId, bytes: u64);
}

/// Penalties and credit, used by `audit` and `file-bank` (implemented by `sminer`).
pub trait MinerPenalties<AccountId, Balance> {
	/// Changes `who`'s credit by `delta`, clamped to `MIN_CREDIT..=MAX_CREDIT`, and records the
	/// reason. Unknown miners are ignored.
	fn adjust_credit(who: &AccountId, delta: i32, reason: CreditReason);
	/// Slashes up to `amount` of `who`'s collateral and returns what was slashed. A miner whose
	/// collateral falls below its requirement is frozen.
	fn slash(who: &AccountId, amount: Balance) -> Balance;
	/// Forces `who` out (state offline): it takes no new data and its holdings go to restoral.
	fn force_out(who: &AccountId);
}

/// What a miner holds, as seen by `sminer` and `audit` (implemented by `file-bank`).
///
/// A miner's holdings are indexed per size class (see [`crate::possession::challenge`]) and kept
/// **as of the start of the current audit round** beside their current state: deletions,
/// transfers, loss reports, restorals and new columns during a round change nothing the round
/// challenges.
pub trait StorageHoldings<AccountId, BlockNumber> {
	/// Number of columns `who` holds now.
	fn holding_count(who: &AccountId) -> u32;
	/// `(class, holdings)` of `who`'s snapshot for the current round `round` (empty if it held
	/// nothing at the round's start).
	fn snapshot_classes(who: &AccountId, round: u32) -> alloc::vec::Vec<(u8, u32)>;
	/// The holding at `(class, index)` of `who`'s snapshot for the current round `round`.
	fn snapshot_holding(who: &AccountId, round: u32, class: u8, index: u32) -> Option<Holding>;
	/// The block since which `who` has held data without interruption (`None` if it holds
	/// nothing).
	fn holding_since(who: &AccountId) -> Option<BlockNumber>;
	/// Up to `limit` miners that hold data, in storage order, after `after` (from the first if
	/// `None`).
	fn miners_page(after: Option<&AccountId>, limit: u32) -> alloc::vec::Vec<AccountId>;
	/// Opens restoral orders for every column `who` holds (exit, or forced exit if `forced`).
	/// The work is done in bounded batches over the following blocks.
	fn miner_leaving(who: &AccountId, forced: bool);
	/// Restoral orders opened for columns lost by `who` that are not completed yet, plus the
	/// holdings not yet turned into orders.
	fn outstanding_restorals(who: &AccountId) -> u32;
	/// Bytes of `who`'s lost columns whose restoral orders are still open.
	fn outstanding_bytes(who: &AccountId) -> u64;
}

impl<AccountId, BlockNumber> StorageHoldings<AccountId, BlockNumber> for () {
	fn holding_count(_: &AccountId) -> u32 {
		0
	}
	fn snapshot_classes(_: &AccountId, _: u32) -> alloc::vec::Vec<(u8, u32)> {
		alloc::vec::Vec::new()
	}
	fn snapshot_holding(_: &AccountId, _: u32, _: u8, _: u32) -> Option<Holding> {
		None
	}
	fn holding_since(_: &AccountId) -> Option<BlockNumber> {
		None
	}
	fn miners_page(_: Option<&AccountId>, _: u32) -> alloc::vec::Vec<AccountId> {
		alloc::vec::Vec::new()
	}
	fn miner_leaving(_: &AccountId, _: bool) {}
	fn outstanding_bytes(_: &AccountId) -> u64 {
		0
	}
	fn outstanding_restorals(_: &AccountId) -> u32 {
		0
	}
}

/// The audit round in force and what a loss report does to it (implemented by `audit`, used by
/// `file-bank`, which keeps each miner's holdings as of the round's start).
pub trait AuditClock<AccountId> {
	/// The current round's number (0 before the first round).
	fn current_round() -> u32;

	/// `miner` reports column `column` of `file_id` lost. If the current round's challenge to
	/// `miner` samples that column and `miner` has not proven the round, no proof of the round
	/// can pass any more: the round is failed now, with a failed proof's consequences (otherwise
	/// a miner could report everything it was challenged on and skip the round unpunished).
	/// Returns whether the round was failed.
	fn loss_reported(miner: &AccountId, file_id: &FileId, column: Column) -> bool;

	/// `miner`'s last holding is about to go (deleted by its owner, restored away, collected),
	/// while [`StorageHoldings::holding_since`] still says since when it held data. The rounds
	/// it was challenged in and has not proven, the current one and any not yet swept, still
	/// count a miss if it does not prove them: emptying a miner's holdings does not excuse it.
	fn holdings_emptying(miner: &AccountId);
}

impl<AccountId> AuditClock<AccountId> for () {
	fn current_round() -> u32 {
		0
	}

	fn loss_reported(_: &AccountId, _: &FileId, _: Column) -> bool {
		false
	}

	fn holdings_emptying(_: &AccountId) {}
}

/// A miner's standing when it is scored for rewards.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Standing {
	/// Bytes of fragments the miner holds (reported, not yet released).
	pub stored: u64,
	/// Credit score, `MIN_CREDIT..=MAX_CREDIT`.
	pub credit: u32,
}

/// What the rewards pallet reads of a miner (implemented by `sminer`).
pub trait MinerStanding<AccountId> {
	/// `who`'s stored bytes and credit, in any state; `None` if it is not registered.
	fn standing(who: &AccountId) -> Option<Standing>;
	/// The account `who`'s rewards are paid to; `None` if it is not registered.
	fn beneficiary(who: &AccountId) -> Option<AccountId>;
}

/// Where a miner can be reached (implemented by `sminer`, read by `audit`'s probes).
pub trait MinerEndpoints<AccountId> {
	/// `who`'s registered binary multiaddrs (empty if it is not registered).
	fn multiaddrs(who: &AccountId) -> alloc::vec::Vec<alloc::vec::Vec<u8>>;
}

/// Where passed audit rounds are scored (implemented by `storage-rewards`, called by `audit`
/// and `idle-space`).
pub trait ProofRewards<AccountId> {
	/// `who` passed the current audit round.
	fn round_passed(who: &AccountId);
	/// `who` proved `idle_bytes` of idle space in the current round.
	fn idle_round_passed(who: &AccountId, idle_bytes: u64);
}

impl<AccountId> ProofRewards<AccountId> for () {
	fn round_passed(_: &AccountId) {}
	fn idle_round_passed(_: &AccountId, _: u64) {}
}

/// The audit round in force (implemented by `audit`, read by `idle-space`, whose space rounds
/// are the audit's rounds).
pub trait AuditRounds<BlockNumber> {
	/// The current round; `None` before the first.
	fn current() -> Option<RoundStart<BlockNumber>>;
	/// Blocks after a round's start during which its proofs are accepted.
	fn proof_window() -> BlockNumber;
}

/// A round's number, first block and seed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RoundStart<BlockNumber> {
	/// Round number (1, 2, …).
	pub index: u32,
	/// First block.
	pub start: BlockNumber,
	/// The round's seed (chain randomness at its start).
	pub seed: [u8; 32],
}

/// A miner's declared capacity and the bytes it holds or has been assigned (implemented by
/// `sminer`, read by `idle-space`).
pub trait MinerCapacity<AccountId> {
	/// `(declared, used + locked)` of a registered miner.
	fn capacity(who: &AccountId) -> Option<(u64, u64)>;
}

/// Verified capacity behind placement (implemented by `idle-space`, used by `sminer`): a miner
/// is assigned new data only from idle space it proved, converting it to service space.
pub trait VerifiedCapacity<AccountId> {
	/// Bytes of new data `who` can be assigned: converted space not holding data plus its live
	/// idle files; `None` when placement is not limited by verified capacity.
	fn assignable(who: &AccountId) -> Option<u64>;
	/// `bytes` of new data were assigned to `who`: they come from converted space first, then
	/// from idle files converted now (the miner deletes them once the round is over). Takes
	/// what there is when there is less.
	fn assign(who: &AccountId, bytes: u64);
	/// `bytes` of assigned or held data left `who` (assignment dropped, data deleted or lost):
	/// they return to its converted space.
	fn unassign(who: &AccountId, bytes: u64);
	/// `who` left the registry: its idle records go and its deposits are released.
	fn miner_removed(who: &AccountId);
	/// The most [`Self::miner_removed`] can weigh: `(ref time in picoseconds, proof bytes)`,
	/// added to the weight of the call that removes a miner.
	fn removal_weight() -> (u64, u64);
}

impl<AccountId> VerifiedCapacity<AccountId> for () {
	fn assignable(_: &AccountId) -> Option<u64> {
		None
	}
	fn assign(_: &AccountId, _: u64) {}
	fn unassign(_: &AccountId, _: u64) {}
	fn miner_removed(_: &AccountId) {}
	fn removal_weight() -> (u64, u64) {
		(0, 0)
	}
}

/// Who owns a stored file, as seen by `data-rights` (implemented by `file-bank`).
pub trait FileOwnership<AccountId> {
	/// Whether `who` is one of the owners of the declared file `file`.
	fn is_owner(file: &FileId, who: &AccountId) -> bool;

	/// How `who` came to own `file` (`None` if it does not): every owner either declared the
	/// upload, proved knowledge of the content to join it, or accepted such an owner's
	/// ownership.
	fn content_claim(file: &FileId, who: &AccountId) -> Option<ContentClaim>;
}

/// An owner's claim to a file's content (see [`FileOwnership::content_claim`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ContentClaim {
	/// Block since which the owner is known to have had the content: the declaration's for
	/// the uploader, the accepted join proof's for an owner that joined.
	pub since: u64,
	/// The fingerprint commitment made with the declaration or join request, if any
	/// ([`crate::fingerprint::fingerprint_commitment`]).
	pub commitment: Option<Hash256>,
}

/// Why `file-bank` did not give up an owner's file for `buckets` (see
/// [`FileIndexTarget::release`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)
)]
pub enum ReleaseError {
	/// The account does not own the file (any more).
	NotOwner,
	/// Names of the account's still point at the file ([`FileReferences`]).
	Referenced,
}

/// The file market as the S3 namespace (`buckets`) sees it (implemented by `file-bank`).
///
/// `Weight` is the runtime's weight type (this crate has no FRAME dependency).
pub trait FileIndexTarget<AccountId, Weight>: FileOwnership<AccountId> {
	/// `who` stops owning `file`, exactly as `file-bank`'s `delete_file` by `who` would do it:
	/// its lease gets the file's bytes back, and if it was the last owner the file is removed
	/// and its miners' space released. Refused while [`FileReferences::references`] of `who`
	/// and `file` is not 0. Changes nothing when it fails.
	fn release(file: &FileId, who: &AccountId) -> Result<(), ReleaseError>;

	/// The most [`Self::release`] can cost.
	fn release_weight() -> Weight;
}

/// How many names point at an owner's file (implemented by `buckets`, read by `file-bank`,
/// which refuses to delete or hand over a file its owner's object keys still name).
pub trait FileReferences<AccountId> {
	/// The number of `owner`'s object keys that name `file` (0: none).
	fn references(owner: &AccountId, file: &FileId) -> u32;
}

impl<AccountId> FileReferences<AccountId> for () {
	fn references(_: &AccountId, _: &FileId) -> u32 {
		0
	}
}

/// Domain prefix of the owner's transfer acceptance (see [`acceptance_message`]).
pub const ACCEPTANCE_DOMAIN: &[u8] = b"cess/transfer-acceptance/v1";

/// The bytes the file owner signs (sr25519) to confirm that `miner` received column `column` of
/// `file_id` (the miner checked it against the file id before asking): `ACCEPTANCE_DOMAIN ‖ file_id ‖ le16(column) ‖ miner` where `miner` is the SCALE
/// encoding of the miner's account id (32 bytes for `AccountId32`).
pub fn acceptance_message(file_id: &FileId, column: Column, miner: &[u8]) -> alloc::vec::Vec<u8> {
	let mut out = alloc::vec::Vec::with_capacity(ACCEPTANCE_DOMAIN.len() + 32 + 2 + miner.len());
	out.extend_from_slice(ACCEPTANCE_DOMAIN);
	out.extend_from_slice(file_id);
	out.extend_from_slice(&column.to_le_bytes());
	out.extend_from_slice(miner);
	out
}

/// Validators' retrievability-probe duty, counted towards their credit (used by `audit`,
/// implemented by the runtime over `validator-credit`).
pub trait ProbeDuty {
	/// The validator at `authority_index` of the current set filed a counted probe report.
	fn reported(authority_index: u32);
}

impl ProbeDuty for () {
	fn reported(_authority_index: u32) {}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn acceptance_message_layout() {
		let m = acceptance_message(&[7u8; 32], 0x0102, &[9u8; 32]);
		assert_eq!(&m[..ACCEPTANCE_DOMAIN.len()], ACCEPTANCE_DOMAIN);
		let rest = &m[ACCEPTANCE_DOMAIN.len()..];
		assert_eq!(&rest[..32], &[7u8; 32]);
		assert_eq!(&rest[32..34], &[2, 1]);
		assert_eq!(&rest[34..], &[9u8; 32]);
	}
}
