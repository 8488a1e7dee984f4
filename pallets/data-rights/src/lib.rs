//! # Data rights (`data-rights`)
//!
//! Ownership certificates for stored files, licensing, paid access grants that carry the file's
//! data key re-wrapped to the grantee, and an evidence log of every use.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::DataRightsApi`] runtime API pages through a file's evidence log and finds the
//! certificates near a fingerprint.
//!
//! ## Overview
//!
//! * **Certificates.** An owner of a stored file (`file-bank`) registers it with a fingerprint
//!   its client computed from the plaintext: a 64-bit SimHash for text, a 64-bit perceptual hash
//!   for images, the Blake2b-256 content hash otherwise. The certificate is timestamped and keeps
//!   the file's data key wrapped to the holder's own encryption key.
//! * **Near-duplicates.** A similarity hash is cut into four 16-bit bands, each indexing a
//!   bounded bucket ([`Buckets`]). Two hashes at Hamming distance `d ≤ 7` differ in at most one
//!   bit in at least one band (pigeonhole), so probing, per band, the bucket of the band's value
//!   and of its 16 one-bit neighbours (68 buckets) finds every near-duplicate with
//!   `d < DuplicateDistance ≤ 8` without a scan. A registration close to another account's certificate (or with an equal content
//!   hash) opens a [`Dispute`] instead; `DisputeOrigin` dismisses it, lets both works stand, or
//!   moves the certificate to the claimant.
//! * **Licensing.** The holder sets a [`Policy`]: free, a fixed price per access paid to the
//!   holder, or a price paid into a revenue pool split every `RevenuePeriod` blocks among
//!   shareholders; whether the holder approves each request; a whitelist (granted at once, free)
//!   and a blacklist (refused).
//! * **Access.** `request_access(file, offer, encryption_key)` is granted at once when the policy
//!   allows it (the price moves, the grant is recorded), or waits with the offer in escrow until
//!   the holder grants or denies it. The holder's client answers a grant by unwrapping the data
//!   key from the certificate and wrapping it to the grantee's key (`grant_access`); the grantee
//!   then downloads and decrypts the file. The holder can revoke a grant.
//! * **Evidence.** Every registration, request, grant, key delivery, denial, revocation, payment,
//!   transfer and verdict is an event and a record in the file's log, kept in a ring of
//!   `MaxEvidence` records per file and read through the runtime API.
//!
//! ## Low Level / Implementation Details
//!
//! Escrowed offers and revenue pools are held in the pallet's account, which genesis endows
//! with the existential deposit so payments into it never fail for being too small. Revenue
//! splits are scheduled per block (at most `MaxSplitsPerBlock`), so no hook iterates an
//! unbounded set.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod access;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod disputes;
mod evidence;
mod index;
#[cfg(test)]
mod mock;
mod revenue;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::data-rights";

/// Bands a similarity hash is cut into for the near-duplicate index (16 bits each).
pub const BANDS: u32 = 4;
/// Buckets a lookup probes: per band, the band's value and its 16 one-bit neighbours.
pub const PROBES: u32 = BANDS * 17;
/// Largest `DuplicateDistance` the index guarantees to serve: distances up to `2 × BANDS − 1`
/// leave at least one band with at most one differing bit.
pub const MAX_DUPLICATE_DISTANCE: u32 = 2 * BANDS;

/// Creates what the benchmarks need on the real runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an owner of the stored file `file` from now, with a fingerprint
	/// `commitment`.
	fn own_file(
		who: &AccountId,
		file: cess_primitives::types::FileId,
		commitment: Option<cess_primitives::types::Hash256>,
	);
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::{
		traits::FileOwnership,
		types::{FileId, Hash256},
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{self, Inspect},
				UnixTime,
			},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::AccountIdConversion,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency access is paid in.
		type Currency: fungible::Mutate<Self::AccountId>;
		/// Who owns which stored file (`file-bank`).
		type Files: FileOwnership<Self::AccountId>;
		/// Wall-clock time for the certificates' timestamps.
		type UnixTime: UnixTime;
		/// Decides disputes (root on dev chains).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The pallet's account (escrow and revenue pools) is derived from this id.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Fingerprints at a Hamming distance below this are near-duplicates (at most
		/// [`MAX_DUPLICATE_DISTANCE`], which the probed band index is guaranteed to find).
		#[pallet::constant]
		type DuplicateDistance: Get<u32>;
		/// Certificates per band bucket.
		#[pallet::constant]
		type MaxBucketLen: Get<u32>;
		/// Accounts on a policy's whitelist or blacklist.
		#[pallet::constant]
		type MaxListLen: Get<u32>;
		/// Revenue shareholders of a policy.
		#[pallet::constant]
		type MaxShareholders: Get<u32>;
		/// Evidence records kept per file (older ones are overwritten; their events remain).
		#[pallet::constant]
		type MaxEvidence: Get<u32>;
		/// Blocks between a revenue pool's first payment and its split.
		#[pallet::constant]
		type RevenuePeriod: Get<BlockNumberFor<Self>>;
		/// Revenue splits done per block.
		#[pallet::constant]
		type MaxSplitsPerBlock: Get<u32>;
		/// Weights.
		type WeightInfo: WeightInfo;
		/// Benchmark setup on the real runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Ownership certificates by file.
	// Identity: the file id is already a Blake2b-256 digest.
	#[pallet::storage]
	pub type Certificates<T: Config> = StorageMap<_, Identity, FileId, Certificate<T>>;

	/// Licensing policies by file (absent: every request waits for the holder).
	#[pallet::storage]
	pub type Policies<T: Config> = StorageMap<_, Identity, FileId, PolicyOf<T>>;

	/// The near-duplicate index: `(kind, band, band value)` → certificates with that band.
	#[pallet::storage]
	pub type Buckets<T: Config> = StorageMap<
		_,
		Twox64Concat,
		(u8, u8, u16),
		BoundedVec<BucketEntry<T>, T::MaxBucketLen>,
		ValueQuery,
	>;

	/// Certificates by content hash (exact duplicates).
	#[pallet::storage]
	pub type ContentIndex<T: Config> = StorageMap<_, Identity, [u8; 32], FileId>;

	/// Access requests and grants by file and account.
	#[pallet::storage]
	pub type Accesses<T: Config> =
		StorageDoubleMap<_, Identity, FileId, Blake2_128Concat, T::AccountId, Access<T>>;

	/// Undistributed revenue of each file, held in the pallet's account.
	#[pallet::storage]
	pub type RevenuePools<T: Config> = StorageMap<_, Identity, FileId, BalanceOf<T>, ValueQuery>;

	/// Revenue pools to split at a block.
	#[pallet::storage]
	pub type SplitSchedule<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<FileId, T::MaxSplitsPerBlock>,
		ValueQuery,
	>;

	/// Open disputes.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, DisputeId, Dispute<T>>;

	/// The id the next dispute gets.
	#[pallet::storage]
	pub type NextDisputeId<T: Config> = StorageValue<_, DisputeId, ValueQuery>;

	/// The open dispute of a claimant's file.
	#[pallet::storage]
	pub type FileDisputes<T: Config> = StorageMap<_, Identity, FileId, DisputeId>;

	/// Evidence records ever written per file (the next record's `seq`).
	#[pallet::storage]
	pub type EvidenceCount<T: Config> = StorageMap<_, Identity, FileId, u32, ValueQuery>;

	/// Evidence records by file and ring slot (`seq % MaxEvidence`).
	#[pallet::storage]
	pub type Evidence<T: Config> =
		StorageDoubleMap<_, Identity, FileId, Twox64Concat, u32, EvidenceOf<T>>;

	/// Genesis: endows the pallet's account with the existential deposit.
	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		_marker: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use fungible::Mutate;
			let account = Pallet::<T>::account_id();
			if T::Currency::balance(&account).is_zero() {
				T::Currency::mint_into(&account, T::Currency::minimum_balance())
					.expect("minting the existential deposit into a new account cannot fail; qed");
			}
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A certificate was issued.
		CertificateIssued {
			/// The file.
			file: FileId,
			/// The rights holder.
			owner: T::AccountId,
			/// The registered fingerprint.
			fingerprint: Fingerprint,
		},
		/// A registration came too close to another account's certificate.
		DisputeOpened {
			/// The dispute.
			dispute: DisputeId,
			/// The claimant's file.
			file: FileId,
			/// The claimant.
			claimant: T::AccountId,
			/// The existing certificate.
			conflicts_with: FileId,
			/// Hamming distance (0 for equal content hashes).
			distance: u32,
		},
		/// A dispute was decided.
		DisputeResolved {
			/// The dispute.
			dispute: DisputeId,
			/// The decision.
			verdict: Verdict,
		},
		/// A verdict withdrew a certificate.
		CertificateWithdrawn {
			/// The file.
			file: FileId,
			/// Its former holder.
			owner: T::AccountId,
		},
		/// The holder set a file's policy.
		PolicySet {
			/// The file.
			file: FileId,
		},
		/// A request waits for the holder (the offer is in escrow).
		AccessRequested {
			/// The file.
			file: FileId,
			/// The requester.
			who: T::AccountId,
			/// The escrowed offer.
			offer: BalanceOf<T>,
		},
		/// Access was granted (`key_delivered` false: the holder's client still has to deliver
		/// the wrapped key).
		AccessGranted {
			/// The file.
			file: FileId,
			/// The grantee.
			who: T::AccountId,
			/// What the grantee paid.
			paid: BalanceOf<T>,
			/// Whether the wrapped key came with the grant.
			key_delivered: bool,
		},
		/// The holder delivered the wrapped key of a grant made earlier.
		KeyDelivered {
			/// The file.
			file: FileId,
			/// The grantee.
			who: T::AccountId,
		},
		/// The holder denied a request; the offer was refunded.
		AccessDenied {
			/// The file.
			file: FileId,
			/// The requester.
			who: T::AccountId,
			/// The refund.
			refunded: BalanceOf<T>,
		},
		/// The holder revoked a grant.
		AccessRevoked {
			/// The file.
			file: FileId,
			/// The former grantee.
			who: T::AccountId,
		},
		/// A requester withdrew its pending request; the offer was refunded.
		RequestCancelled {
			/// The file.
			file: FileId,
			/// The requester.
			who: T::AccountId,
			/// The refund.
			refunded: BalanceOf<T>,
		},
		/// A revenue pool was split.
		RevenueSplit {
			/// The file.
			file: FileId,
			/// The amount split.
			total: BalanceOf<T>,
		},
		/// A certificate changed hands.
		OwnershipTransferred {
			/// The file.
			file: FileId,
			/// The former holder.
			from: T::AccountId,
			/// The new holder.
			to: T::AccountId,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an owner of this file in `file-bank`: upload it first.
		NotFileOwner,
		/// The file already has a certificate whose claim is as early as the caller's.
		AlreadyCertified,
		/// The salt does not open the caller's fingerprint commitment for this file (or it made
		/// none): register with the fingerprint and salt of the declaration, or without a salt.
		BadCommitment,
		/// The file's registration is disputed: wait for the verdict.
		DisputePending,
		/// The file has no certificate: its owner must register it first.
		NoCertificate,
		/// Only the certificate's holder can do this.
		NotHolder,
		/// A band bucket of this fingerprint is full; the index cannot take it (use a content
		/// hash, or ask governance to raise `MaxBucketLen`).
		BucketFull,
		/// The wrapped key is empty.
		EmptyWrappedKey,
		/// The shareholders' parts add up to more than 100 %.
		SharesExceedWhole,
		/// An account appears twice in the shareholders or in the lists.
		DuplicateAccount,
		/// The holder has put the caller on the file's blacklist.
		Blacklisted,
		/// The holder already has access to its own file.
		OwnFile,
		/// The caller already has a pending request for this file: wait, or cancel it.
		AlreadyRequested,
		/// The caller already has access to this file.
		AlreadyGranted,
		/// There is no request or grant of this account for this file.
		NoAccess,
		/// The request is not pending (already granted).
		NotPending,
		/// The account has no grant for this file.
		NotGranted,
		/// The payment could not be made: the payer lacks free funds (keep the existential
		/// deposit), or the amount is below the existential deposit of a new recipient.
		PaymentFailed,
		/// Every block of the next revenue period already has its maximum of splits scheduled:
		/// try again in a few blocks.
		SplitQueueFull,
		/// No open dispute has this id.
		UnknownDispute,
		/// The certificate already belongs to that account.
		SameHolder,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::split_due(n)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			let distance = T::DuplicateDistance::get();
			assert!(
				(1..=MAX_DUPLICATE_DISTANCE).contains(&distance),
				"DuplicateDistance must be at most MAX_DUPLICATE_DISTANCE for the index to find every match"
			);
			assert!(T::MaxBucketLen::get() >= 1, "MaxBucketLen must be ≥ 1");
			assert!(T::MaxEvidence::get() >= 1, "MaxEvidence must be ≥ 1");
			assert!(T::MaxSplitsPerBlock::get() >= 1, "MaxSplitsPerBlock must be ≥ 1");
			assert!(!T::RevenuePeriod::get().is_zero(), "RevenuePeriod must be > 0");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a stored file for an ownership certificate.
		///
		/// ## Dispatch Origin
		///
		/// Signed by an owner of `file` in `file-bank`.
		///
		/// ## Details
		///
		/// `fingerprint` is computed by the client from the plaintext; `owner_key` is the file's
		/// data key wrapped to the caller's own encryption key. `salt`, if given, opens the
		/// fingerprint commitment the caller made when it declared the file (see
		/// [`cess_primitives::fingerprint::fingerprint_commitment`]): the registration's
		/// priority is then the block since which the caller owns the file, else this block.
		///
		/// The earlier priority wins a conflict: a certificate of the same file held by another
		/// owner with a later priority is withdrawn and the caller's issued; so is another
		/// account's certificate within `DuplicateDistance` (or with the same content hash) of
		/// a later priority. A conflict with an earlier or equal priority opens a dispute for
		/// the dispute origin instead.
		///
		/// ## Events
		///
		/// [`Event::CertificateIssued`] (after [`Event::CertificateWithdrawn`] for a later
		/// claim), or [`Event::DisputeOpened`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			file: FileId,
			fingerprint: Fingerprint,
			owner_key: WrappedKey,
			salt: Option<Hash256>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, file, fingerprint, owner_key, salt)
		}

		/// Set the licensing policy of a certified file.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the certificate's holder.
		///
		/// ## Details
		///
		/// Applies to later requests; pending requests and grants stay as they are.
		///
		/// ## Events
		///
		/// [`Event::PolicySet`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_policy(
			T::MaxListLen::get(),
			T::MaxShareholders::get()
		))]
		pub fn set_policy(
			origin: OriginFor<T>,
			file: FileId,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_policy(who, file, policy)
		}

		/// Ask for access to a certified file.
		///
		/// ## Dispatch Origin
		///
		/// Signed by anyone but the holder and blacklisted accounts.
		///
		/// ## Details
		///
		/// Granted at once if the caller is whitelisted (free), or if the policy needs no
		/// approval and `offer` covers the price (the price is paid, not the offer). Otherwise
		/// `offer` is held in escrow until the holder grants or denies, or the caller cancels.
		/// The data key will be wrapped to `encryption_key` (the caller's X25519 public key).
		///
		/// ## Events
		///
		/// [`Event::AccessGranted`] or [`Event::AccessRequested`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::request_access())]
		pub fn request_access(
			origin: OriginFor<T>,
			file: FileId,
			offer: BalanceOf<T>,
			encryption_key: EncryptionKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request(who, file, offer, encryption_key)
		}

		/// Grant a pending request, or deliver the wrapped key of a grant.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the certificate's holder.
		///
		/// ## Details
		///
		/// `key` is the data key wrapped to the grantee's encryption key. A pending request is
		/// granted and its escrowed offer paid; for an existing grant the key is (re)placed.
		///
		/// ## Events
		///
		/// [`Event::AccessGranted`] or [`Event::KeyDelivered`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			file: FileId,
			grantee: T::AccountId,
			key: WrappedKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_grant(who, file, grantee, key)
		}

		/// Deny a pending request; the offer is refunded.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the certificate's holder.
		///
		/// ## Events
		///
		/// [`Event::AccessDenied`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deny_access())]
		pub fn deny_access(
			origin: OriginFor<T>,
			file: FileId,
			requester: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deny(who, file, requester)
		}

		/// Revoke a grant.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the certificate's holder.
		///
		/// ## Details
		///
		/// Ends the license on record; the payment is not refunded. A key already delivered
		/// cannot be taken back: to lock a grantee out of future versions, store them under a
		/// new key.
		///
		/// ## Events
		///
		/// [`Event::AccessRevoked`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_access())]
		pub fn revoke_access(
			origin: OriginFor<T>,
			file: FileId,
			grantee: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke(who, file, grantee)
		}

		/// Withdraw the caller's pending request; the offer is refunded.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the requester. Works after the certificate was withdrawn, too.
		///
		/// ## Events
		///
		/// [`Event::RequestCancelled`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::cancel_request())]
		pub fn cancel_request(origin: OriginFor<T>, file: FileId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, file)
		}

		/// Transfer a certificate to another account.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the certificate's holder.
		///
		/// ## Details
		///
		/// `owner_key` is the data key wrapped to the new holder's encryption key, so it can
		/// grant access. Policy, pending requests and grants stay with the file.
		///
		/// ## Events
		///
		/// [`Event::OwnershipTransferred`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			file: FileId,
			to: T::AccountId,
			owner_key: WrappedKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer(who, file, to, owner_key)
		}

		/// Decide a dispute.
		///
		/// ## Dispatch Origin
		///
		/// `DisputeOrigin`.
		///
		/// ## Details
		///
		/// [`Verdict::Dismiss`] drops the claim; [`Verdict::Coexist`] issues the claimant's
		/// certificate beside the existing one; [`Verdict::Supersede`] withdraws the existing
		/// certificate (its policy with it; its pending requesters can cancel for a refund) and
		/// issues the claimant's.
		///
		/// ## Events
		///
		/// [`Event::DisputeResolved`], and [`Event::CertificateIssued`] /
		/// [`Event::CertificateWithdrawn`] as the verdict says.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			dispute: DisputeId,
			verdict: Verdict,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			Self::do_resolve(dispute, verdict)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pallet's account: escrowed offers and revenue pools.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The holder of `file`'s certificate, or the error the caller should see.
		pub(crate) fn ensure_holder(
			who: &T::AccountId,
			file: &FileId,
		) -> Result<Certificate<T>, DispatchError> {
			let cert = Certificates::<T>::get(file).ok_or(Error::<T>::NoCertificate)?;
			ensure!(&cert.owner == who, Error::<T>::NotHolder);
			Ok(cert)
		}
	}
}
