//! # Storage Miners (`sminer`)
//!
//! The registry of CESS storage miners: who they are, how to reach them, what they stake and
//! store, and how trustworthy they have been.
//!
//! ## Pallet API
//!
//! See [`pallet::Config`], [`pallet::Call`], [`pallet::Event`] and [`pallet::Error`]; the
//! [`runtime_api::SminerApi`] runtime API answers [`runtime_api::MinerSummary`] queries.
//!
//! ## Overview
//!
//! A miner registers with a beneficiary, its libp2p peer id and addresses, a declared capacity
//! and collateral (no key: PoDR² proofs are Merkle paths anyone can check). Collateral is required per started TiB of declared capacity
//! ([`pallet::Config::CollateralPerTiB`]) and is kept as a fungible **hold**. The miner's
//! capacity is accounted as used (fragments held), locked (assigned or claimed but not yet
//! reported) and free; placement never over-commits it.
//!
//! Life cycle ([`MinerState`]): `Positive` miners take new data; a slash that leaves collateral
//! below the requirement freezes the miner until it tops up; `request_exit` starts an exit (no
//! new placements, every column goes to restoral), after which `withdraw` releases the
//! collateral once all columns are restored or [`pallet::Config::ExitCoolingPeriod`] has passed;
//! the audit can force a miner out (`Offline`), with the same withdrawal rule.
//!
//! The credit score (0–1000, with a bounded history) and slashing are changed by other pallets
//! through [`cess_primitives::traits::MinerPenalties`]; `file-bank` places data through
//! [`cess_primitives::traits::MinerRegistry`].
//!
//! ## Low Level / Implementation Details
//!
//! Positive miners are kept in a dense index (`PositiveMiners`, swap-remove) so placement can
//! sample miners in O(1) each without walking the registry.
#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
// `register` takes everything a miner declares at once; the generated call constructors follow.
#![allow(clippy::too_many_arguments)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::sminer";

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use cess_primitives::traits::{StorageHoldings, MAX_CREDIT};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{self, MutateHold},
				tokens::{imbalance::Imbalance as _, Precision},
				OnUnbalanced,
			},
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::traits::{SaturatedConversion, Saturating, Zero},
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
		/// Collateral backing a miner's declared capacity.
		#[codec(index = 0)]
		Collateral,
	}

	/// The slashed collateral, handed to [`Config::OnSlash`].
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency collateral is held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// What happens to slashed collateral (e.g. the storage reward pool; `()` burns it).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// What miners hold, and restoral of it when they leave (the file market).
		type Holdings: StorageHoldings<Self::AccountId, BlockNumberFor<Self>>;
		/// Verified capacity behind placement (the idle-space pallet; `()`: the declaration).
		type Capacity: cess_primitives::traits::VerifiedCapacity<Self::AccountId>;
		/// Collateral required per started TiB of declared capacity.
		#[pallet::constant]
		type CollateralPerTiB: Get<BalanceOf<Self>>;
		/// Smallest capacity a miner may declare, in bytes.
		#[pallet::constant]
		type MinCapacity: Get<u64>;
		/// Largest capacity a miner may declare, in bytes.
		#[pallet::constant]
		type MaxCapacity: Get<u64>;
		/// Largest number of registered miners.
		#[pallet::constant]
		type MaxMiners: Get<u32>;
		/// Largest number of multiaddrs per miner.
		#[pallet::constant]
		type MaxMultiaddrs: Get<u32>;
		/// Largest multiaddr, in bytes.
		#[pallet::constant]
		type MaxMultiaddrLen: Get<u32>;
		/// Largest peer id, in bytes.
		#[pallet::constant]
		type MaxPeerIdLen: Get<u32>;
		/// Number of credit changes kept per miner.
		#[pallet::constant]
		type MaxCreditHistory: Get<u32>;
		/// Credit score of a new miner.
		#[pallet::constant]
		type InitialCredit: Get<u32>;
		/// Blocks after an exit request (or a forced exit) after which the collateral can be
		/// withdrawn even if columns are still being restored.
		#[pallet::constant]
		type ExitCoolingPeriod: Get<BlockNumberFor<Self>>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Registered miners.
	// Twox64Concat: account ids are not chosen freely enough to unbalance the trie.
	#[pallet::storage]
	pub type Miners<T: Config> = CountedStorageMap<_, Twox64Concat, T::AccountId, MinerInfo<T>>;

	/// The dense index of positive miners, `0..PositiveCount` (placement samples it).
	#[pallet::storage]
	pub type PositiveMiners<T: Config> = StorageMap<_, Twox64Concat, u32, T::AccountId>;

	/// Where each positive miner sits in [`PositiveMiners`].
	#[pallet::storage]
	pub type PositiveIndexOf<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32>;

	/// Number of positive miners.
	#[pallet::storage]
	pub type PositiveCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Beneficiaries miners named that have not accepted yet (rewards go to the miner until they
	/// do): nobody receives vesting schedules without consent.
	#[pallet::storage]
	pub type ProposedBeneficiary<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, T::AccountId>;

	/// The credit of miners that withdrew with less than `InitialCredit`: they start from it if
	/// they register again, so leaving does not wash a bad record clean.
	#[pallet::storage]
	pub type FormerCredit<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32>;

	/// The latest credit changes of each miner, oldest first.
	#[pallet::storage]
	pub type CreditHistory<T: Config> = StorageMap<
		_,
		Twox64Concat,
		T::AccountId,
		BoundedVec<CreditEntry<BlockNumberFor<T>>, T::MaxCreditHistory>,
		ValueQuery,
	>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A miner registered.
		Registered {
			/// The miner.
			miner: T::AccountId,
			/// Declared capacity in bytes.
			capacity: u64,
			/// Collateral put on hold.
			collateral: BalanceOf<T>,
		},
		/// A miner added collateral.
		CollateralIncreased {
			/// The miner.
			miner: T::AccountId,
			/// Amount added.
			amount: BalanceOf<T>,
			/// Collateral now on hold.
			total: BalanceOf<T>,
		},
		/// A miner declared more capacity.
		CapacityIncreased {
			/// The miner.
			miner: T::AccountId,
			/// Declared capacity now, in bytes.
			capacity: u64,
		},
		/// A miner changed its libp2p endpoints.
		EndpointsUpdated {
			/// The miner.
			miner: T::AccountId,
		},
		/// A miner named a beneficiary other than itself; it receives the rewards once it accepts
		/// (`accept_beneficiary`).
		BeneficiaryProposed {
			/// The miner.
			miner: T::AccountId,
			/// The proposed beneficiary.
			beneficiary: T::AccountId,
		},
		/// A miner's beneficiary changed (set to the miner itself, or accepted).
		BeneficiaryUpdated {
			/// The miner.
			miner: T::AccountId,
			/// The new beneficiary.
			beneficiary: T::AccountId,
		},
		/// A miner's collateral fell below the requirement: it takes no new data.
		Frozen {
			/// The miner.
			miner: T::AccountId,
		},
		/// A frozen miner topped up its collateral and takes new data again.
		Thawed {
			/// The miner.
			miner: T::AccountId,
		},
		/// A leaving miner withdrew after the cooling period with data not yet restored: the
		/// collateral backing it was slashed.
		UnrestoredDataSlashed {
			/// The miner.
			miner: T::AccountId,
			/// Bytes held or awaiting restoral.
			bytes: u64,
			/// Collateral slashed.
			amount: BalanceOf<T>,
		},
		/// A miner asked to exit; its columns go to restoral.
		ExitRequested {
			/// The miner.
			miner: T::AccountId,
		},
		/// A miner was forced out by the audit; its columns go to restoral.
		ForcedOut {
			/// The miner.
			miner: T::AccountId,
		},
		/// An exiting or forced-out miner withdrew its collateral and left the registry.
		Exited {
			/// The miner.
			miner: T::AccountId,
			/// Collateral released.
			collateral: BalanceOf<T>,
		},
		/// Collateral was slashed.
		Slashed {
			/// The miner.
			miner: T::AccountId,
			/// Amount slashed.
			amount: BalanceOf<T>,
		},
		/// A miner's credit score changed.
		CreditChanged {
			/// The miner.
			miner: T::AccountId,
			/// The score now.
			credit: u32,
			/// Why.
			reason: cess_primitives::traits::CreditReason,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already registered as a miner; use the update calls instead.
		AlreadyRegistered,
		/// The account is not a registered miner; register first.
		NotRegistered,
		/// That miner has not proposed the caller as its beneficiary.
		NotProposed,
		/// The registry is full (`MaxMiners`).
		TooManyMiners,
		/// Declared capacity is below `MinCapacity`.
		CapacityTooSmall,
		/// Declared capacity would exceed `MaxCapacity`.
		CapacityTooLarge,
		/// The collateral does not cover `CollateralPerTiB` per started TiB of capacity; add
		/// collateral first.
		InsufficientCollateral,
		/// The free balance cannot cover the collateral.
		InsufficientBalance,
		/// The peer id is empty.
		EmptyPeerId,
		/// At least one multiaddr is required, and none may be empty.
		BadMultiaddrs,
		/// An amount of zero was given.
		ZeroAmount,
		/// The miner is exiting or offline and cannot do this any more.
		Leaving,
		/// The miner is not exiting or offline: request an exit first.
		NotLeaving,
		/// Columns are still being restored and the cooling period has not passed yet.
		ExitNotReady,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinCapacity::get() > 0, "MinCapacity must be positive");
			assert!(T::MinCapacity::get() <= T::MaxCapacity::get(), "MinCapacity > MaxCapacity");
			assert!(T::InitialCredit::get() <= MAX_CREDIT, "InitialCredit above the maximum");
			assert!(T::MaxCreditHistory::get() > 0, "MaxCreditHistory must be positive");
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
		/// Register the caller as a storage miner.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner account.
		///
		/// ## Details
		///
		/// `capacity` (bytes) must lie within `MinCapacity..=MaxCapacity`; `collateral` is put on hold and must cover `CollateralPerTiB` per started
		/// TiB of it. The miner starts positive with `InitialCredit`, or with the lower credit it
		/// had when it last withdrew.
		///
		/// ## Events
		///
		/// [`Event::Registered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			beneficiary: T::AccountId,
			peer_id: PeerIdOf<T>,
			multiaddrs: MultiaddrsOf<T>,
			capacity: u64,
			collateral: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Miners::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			ensure!(Miners::<T>::count() < T::MaxMiners::get(), Error::<T>::TooManyMiners);
			Self::check_endpoints(&peer_id, &multiaddrs)?;
			ensure!(capacity >= T::MinCapacity::get(), Error::<T>::CapacityTooSmall);
			ensure!(capacity <= T::MaxCapacity::get(), Error::<T>::CapacityTooLarge);
			ensure!(
				collateral >= Self::collateral_required(capacity),
				Error::<T>::InsufficientCollateral
			);
			T::Currency::hold(&HoldReason::Collateral.into(), &who, collateral)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let now = frame_system::Pallet::<T>::block_number();
			let info = MinerInfo::<T> {
				beneficiary: who.clone(),
				peer_id,
				multiaddrs,
				declared: capacity,
				used: 0,
				locked: 0,
				collateral,
				credit: FormerCredit::<T>::take(&who).unwrap_or_else(T::InitialCredit::get),
				state: MinerState::Positive,
				registered_at: now,
			};
			Miners::<T>::insert(&who, info);
			Self::add_positive(&who);
			Self::deposit_event(Event::Registered { miner: who.clone(), capacity, collateral });
			Self::name_beneficiary(&who, beneficiary);
			Ok(())
		}

		/// Put more collateral on hold.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Details
		///
		/// A frozen miner whose collateral covers its requirement again becomes positive.
		///
		/// ## Events
		///
		/// [`Event::CollateralIncreased`], and [`Event::Thawed`] if it was frozen.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::increase_collateral())]
		pub fn increase_collateral(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(!Self::is_leaving(&info.state), Error::<T>::Leaving);
			T::Currency::hold(&HoldReason::Collateral.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			info.collateral = info.collateral.saturating_add(amount);
			let thawed = info.state == MinerState::Frozen
				&& info.collateral >= Self::collateral_required(info.declared);
			if thawed {
				info.state = MinerState::Positive;
			}
			let total = info.collateral;
			Miners::<T>::insert(&who, info);
			Self::deposit_event(Event::CollateralIncreased { miner: who.clone(), amount, total });
			if thawed {
				Self::add_positive(&who);
				Self::deposit_event(Event::Thawed { miner: who });
			}
			Ok(())
		}

		/// Declare `extra` more bytes of capacity.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Details
		///
		/// The collateral on hold must already cover the new capacity (see
		/// [`Pallet::increase_collateral`]); the total must stay within `MaxCapacity`.
		///
		/// ## Events
		///
		/// [`Event::CapacityIncreased`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::increase_capacity())]
		pub fn increase_capacity(origin: OriginFor<T>, extra: u64) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(extra > 0, Error::<T>::ZeroAmount);
			let mut info = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(!Self::is_leaving(&info.state), Error::<T>::Leaving);
			let capacity = info.declared.checked_add(extra).ok_or(Error::<T>::CapacityTooLarge)?;
			ensure!(capacity <= T::MaxCapacity::get(), Error::<T>::CapacityTooLarge);
			ensure!(
				info.collateral >= Self::collateral_required(capacity),
				Error::<T>::InsufficientCollateral
			);
			info.declared = capacity;
			Miners::<T>::insert(&who, info);
			Self::deposit_event(Event::CapacityIncreased { miner: who, capacity });
			Ok(())
		}

		/// Replace the miner's libp2p peer id and addresses.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Events
		///
		/// [`Event::EndpointsUpdated`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_endpoints())]
		pub fn update_endpoints(
			origin: OriginFor<T>,
			peer_id: PeerIdOf<T>,
			multiaddrs: MultiaddrsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::check_endpoints(&peer_id, &multiaddrs)?;
			Miners::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let info = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
				info.peer_id = peer_id;
				info.multiaddrs = multiaddrs;
				Ok(())
			})?;
			Self::deposit_event(Event::EndpointsUpdated { miner: who });
			Ok(())
		}

		/// Change the account that receives the miner's rewards.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Details
		///
		/// Naming the miner itself takes effect at once; naming another account proposes it,
		/// and rewards keep going to the current beneficiary until that account accepts
		/// (`accept_beneficiary`).
		///
		/// ## Events
		///
		/// [`Event::BeneficiaryUpdated`] or [`Event::BeneficiaryProposed`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_beneficiary())]
		pub fn update_beneficiary(
			origin: OriginFor<T>,
			beneficiary: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Miners::<T>::contains_key(&who), Error::<T>::NotRegistered);
			Self::name_beneficiary(&who, beneficiary);
			Ok(())
		}

		/// Accept being `miner`'s beneficiary: its rewards are paid and vest to the caller.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the account the miner proposed.
		///
		/// ## Events
		///
		/// [`Event::BeneficiaryUpdated`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::accept_beneficiary())]
		pub fn accept_beneficiary(origin: OriginFor<T>, miner: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				ProposedBeneficiary::<T>::get(&miner).as_ref() == Some(&who),
				Error::<T>::NotProposed
			);
			ProposedBeneficiary::<T>::remove(&miner);
			Miners::<T>::try_mutate(&miner, |maybe| -> DispatchResult {
				maybe.as_mut().ok_or(Error::<T>::NotRegistered)?.beneficiary = who.clone();
				Ok(())
			})?;
			Self::deposit_event(Event::BeneficiaryUpdated { miner, beneficiary: who });
			Ok(())
		}

		/// Start leaving: no new data, every held column goes to restoral.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Details
		///
		/// The collateral stays on hold until [`Pallet::withdraw`] succeeds: when all columns
		/// are restored, or `ExitCoolingPeriod` blocks after this call.
		///
		/// ## Events
		///
		/// [`Event::ExitRequested`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_exit())]
		pub fn request_exit(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(!Self::is_leaving(&info.state), Error::<T>::Leaving);
			info.state = MinerState::Exiting { since: frame_system::Pallet::<T>::block_number() };
			Miners::<T>::insert(&who, info);
			Self::remove_positive(&who);
			T::Holdings::miner_leaving(&who, false);
			Self::deposit_event(Event::ExitRequested { miner: who });
			Ok(())
		}

		/// Release the collateral of an exiting or forced-out miner and remove its record.
		///
		/// ## Dispatch Origin
		///
		/// Signed by the miner.
		///
		/// ## Details
		///
		/// Allowed once the miner holds nothing and none of its lost columns awaits restoral, or
		/// `ExitCoolingPeriod` blocks after the exit started: then the collateral backing the
		/// data still unrestored (`CollateralPerTiB` per TiB of it, pro rata) is slashed first.
		///
		/// ## Events
		///
		/// [`Event::Exited`], after [`Event::UnrestoredDataSlashed`] if data was left.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw().saturating_add(Pallet::<T>::capacity_removal_weight()))]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			let since = match info.state {
				MinerState::Exiting { since } | MinerState::Offline { since } => since,
				_ => return Err(Error::<T>::NotLeaving.into()),
			};
			let now = frame_system::Pallet::<T>::block_number();
			let restored = info.used == 0
				&& T::Holdings::holding_count(&who) == 0
				&& T::Holdings::outstanding_restorals(&who) == 0;
			let cooled = now >= since.saturating_add(T::ExitCoolingPeriod::get());
			ensure!(restored || cooled, Error::<T>::ExitNotReady);
			if !restored {
				// Its data is not all restored: the collateral backing what is left goes.
				let bytes = info.used.saturating_add(T::Holdings::outstanding_bytes(&who));
				let amount = Self::do_slash(&who, Self::collateral_for_bytes(bytes));
				Self::deposit_event(Event::UnrestoredDataSlashed {
					miner: who.clone(),
					bytes,
					amount,
				});
			}
			let released = T::Currency::release_all(
				&HoldReason::Collateral.into(),
				&who,
				Precision::BestEffort,
			)?;
			Miners::<T>::remove(&who);
			<T::Capacity as cess_primitives::traits::VerifiedCapacity<_>>::miner_removed(&who);
			CreditHistory::<T>::remove(&who);
			ProposedBeneficiary::<T>::remove(&who);
			if info.credit < T::InitialCredit::get() {
				FormerCredit::<T>::insert(&who, info.credit);
			}
			Self::deposit_event(Event::Exited { miner: who, collateral: released });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Names `beneficiary` for registered miner `who`: the miner itself at once, anyone else
		/// as a proposal it must accept.
		fn name_beneficiary(who: &T::AccountId, beneficiary: T::AccountId) {
			if beneficiary == *who {
				ProposedBeneficiary::<T>::remove(who);
				Miners::<T>::mutate(who, |info| {
					if let Some(info) = info {
						info.beneficiary = who.clone();
					}
				});
				Self::deposit_event(Event::BeneficiaryUpdated { miner: who.clone(), beneficiary });
			} else {
				ProposedBeneficiary::<T>::insert(who, &beneficiary);
				Self::deposit_event(Event::BeneficiaryProposed { miner: who.clone(), beneficiary });
			}
		}

		/// What removing a miner's verified-capacity records adds to `withdraw`.
		pub(crate) fn capacity_removal_weight() -> Weight {
			use cess_primitives::traits::VerifiedCapacity;
			let (ref_time, proof) = T::Capacity::removal_weight();
			Weight::from_parts(ref_time, proof)
		}

		/// The collateral backing `bytes` of data: `CollateralPerTiB` per TiB, pro rata.
		pub fn collateral_for_bytes(bytes: u64) -> BalanceOf<T> {
			T::CollateralPerTiB::get().saturating_mul(bytes.saturated_into()) / TIB.saturated_into()
		}

		/// Collateral required for `capacity` bytes: `CollateralPerTiB` per started TiB.
		pub fn collateral_required(capacity: u64) -> BalanceOf<T> {
			let tib = capacity.div_ceil(TIB);
			T::CollateralPerTiB::get().saturating_mul(tib.saturated_into())
		}

		pub(crate) fn is_leaving(state: &MinerState<BlockNumberFor<T>>) -> bool {
			matches!(state, MinerState::Exiting { .. } | MinerState::Offline { .. })
		}

		fn check_endpoints(peer_id: &PeerIdOf<T>, multiaddrs: &MultiaddrsOf<T>) -> DispatchResult {
			ensure!(!peer_id.is_empty(), Error::<T>::EmptyPeerId);
			ensure!(
				!multiaddrs.is_empty() && multiaddrs.iter().all(|a| !a.is_empty()),
				Error::<T>::BadMultiaddrs
			);
			Ok(())
		}

		/// Appends `who` to the positive index (no-op if it is there).
		pub(crate) fn add_positive(who: &T::AccountId) {
			if PositiveIndexOf::<T>::contains_key(who) {
				return;
			}
			let index = PositiveCount::<T>::get();
			PositiveMiners::<T>::insert(index, who);
			PositiveIndexOf::<T>::insert(who, index);
			PositiveCount::<T>::put(index.saturating_add(1));
		}

		/// Removes `who` from the positive index by swapping the last entry into its slot.
		pub(crate) fn remove_positive(who: &T::AccountId) {
			let Some(index) = PositiveIndexOf::<T>::take(who) else { return };
			let last = PositiveCount::<T>::get().saturating_sub(1);
			if index != last {
				if let Some(moved) = PositiveMiners::<T>::get(last) {
					PositiveMiners::<T>::insert(index, &moved);
					PositiveIndexOf::<T>::insert(&moved, index);
				}
			}
			PositiveMiners::<T>::remove(last);
			PositiveCount::<T>::put(last);
		}

		/// Slashes up to `amount` of `who`'s collateral, freezing it below the requirement.
		pub(crate) fn do_slash(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
			let Some(mut info) = Miners::<T>::get(who) else { return Zero::zero() };
			let amount = amount.min(info.collateral);
			if amount.is_zero() {
				return amount;
			}
			let (credit, _missing) = <T::Currency as fungible::hold::Balanced<T::AccountId>>::slash(
				&HoldReason::Collateral.into(),
				who,
				amount,
			);
			let slashed = credit.peek();
			T::OnSlash::on_unbalanced(credit);
			info.collateral = info.collateral.saturating_sub(slashed);
			let freeze = info.state == MinerState::Positive
				&& info.collateral < Self::collateral_required(info.declared);
			if freeze {
				info.state = MinerState::Frozen;
			}
			Miners::<T>::insert(who, info);
			Self::deposit_event(Event::Slashed { miner: who.clone(), amount: slashed });
			if freeze {
				Self::remove_positive(who);
				Self::deposit_event(Event::Frozen { miner: who.clone() });
			}
			slashed
		}

		/// Registers a positive miner without collateral, for other pallets' benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		pub fn benchmark_add_miner(who: &T::AccountId, capacity: u64) {
			let info = MinerInfo::<T> {
				beneficiary: who.clone(),
				peer_id: BoundedVec::truncate_from(alloc::vec![1u8; 38]),
				multiaddrs: BoundedVec::new(),
				declared: capacity,
				used: 0,
				locked: 0,
				collateral: Zero::zero(),
				credit: T::InitialCredit::get(),
				state: MinerState::Positive,
				registered_at: frame_system::Pallet::<T>::block_number(),
			};
			Miners::<T>::insert(who, info);
			Self::add_positive(who);
		}

		/// Checks the pallet's invariants: the positive index is dense and matches the positive
		/// miners, space accounting never exceeds the declared capacity, credit is in range, the
		/// collateral on hold matches the records and backs every positive miner's capacity (so
		/// every byte placed on it), and former credit is kept only for unregistered accounts.
		#[cfg(any(test, feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let count = PositiveCount::<T>::get();
			let mut positive = 0u32;
			let mut miners = 0u32;
			for (who, info) in Miners::<T>::iter() {
				miners += 1;
				ensure!(
					info.used.saturating_add(info.locked) <= info.declared,
					"miner space over-committed"
				);
				ensure!(info.credit <= MAX_CREDIT, "credit above maximum");
				ensure!(
					<T::Currency as fungible::InspectHold<T::AccountId>>::balance_on_hold(
						&HoldReason::Collateral.into(),
						&who
					) == info.collateral,
					"collateral record differs from the hold"
				);
				match info.state {
					MinerState::Positive => {
						positive += 1;
						ensure!(
							info.collateral >= Self::collateral_required(info.declared),
							"a positive miner's collateral does not back its capacity"
						);
						let index = PositiveIndexOf::<T>::get(&who)
							.ok_or("positive miner missing from the index")?;
						ensure!(
							PositiveMiners::<T>::get(index).as_ref() == Some(&who),
							"positive index points elsewhere"
						);
					},
					_ => ensure!(
						!PositiveIndexOf::<T>::contains_key(&who),
						"non-positive miner in the index"
					),
				}
			}
			ensure!(miners == Miners::<T>::count(), "miner counter is off");
			ensure!(positive == count, "positive count is off");
			for i in 0..count {
				ensure!(PositiveMiners::<T>::contains_key(i), "hole in the positive index");
			}
			ensure!(!PositiveMiners::<T>::contains_key(count), "entry past the positive index");
			for (who, credit) in FormerCredit::<T>::iter() {
				ensure!(!Miners::<T>::contains_key(&who), "former credit of a registered miner");
				ensure!(credit < T::InitialCredit::get(), "former credit not below the initial");
			}
			Ok(())
		}
	}
}
