//! The CESS runtime.
//!
//! Block production by BABE, finality by GRANDPA, validators elected by NPoS staking, and the
//! CESS storage pallets. Pallet configuration lives in [`configs`], runtime APIs in [`apis`] and
//! the genesis presets in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!`-style macros nest deeply.
#![recursion_limit = "512"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The upgrade rehearsal's runtime: this one with `next-spec` (spec version + 1 and a storage
/// migration), built beside it with the feature `upgrade-rehearsal` for `node/tests/upgrade.rs`.
#[cfg(all(feature = "std", feature = "upgrade-rehearsal"))]
pub mod next {
	include!(concat!(env!("OUT_DIR"), "/cess_runtime_next"));
}

extern crate alloc;

// Before `apis`: the benchmark macros `define_benchmarks!` generates are used there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod constants;
pub mod genesis_config_presets;
#[cfg(feature = "next-spec")]
mod rehearsal;

use alloc::vec::Vec;
use polkadot_sdk::{
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	*,
};
use sp_version::RuntimeVersion;

pub use constants::{currency::*, time::*};
pub use polkadot_sdk::{frame_support, frame_system, sp_consensus_babe, sp_runtime};

/// Opaque types: what the node and clients need to know about blocks without knowing the
/// runtime's extrinsic format.
pub mod opaque {
	use super::*;
	use polkadot_sdk::sp_runtime::{
		generic,
		traits::{BlakeTwo256, Hash as HashT},
	};

	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: one per consensus engine, and the key its off-chain
	/// worker signs retrievability probe reports with.
	pub struct SessionKeys {
		pub babe: Babe,
		pub grandpa: Grandpa,
		pub audit: Audit,
	}
}

/// Defines `VERSION` with `spec_version` `$spec`.
macro_rules! runtime_version {
	($spec:tt) => {
		/// The runtime version. `spec_version` must be bumped on every change of runtime logic.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("cess-node"),
			impl_name: alloc::borrow::Cow::Borrowed("cess-node"),
			authoring_version: 1,
			spec_version: $spec,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}
#[cfg(not(feature = "next-spec"))]
runtime_version!(101);
// The upgrade rehearsal's next version (`rehearsal`).
#[cfg(feature = "next-spec")]
runtime_version!(102);

/// The BABE epoch configuration at genesis.
pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
	sp_consensus_babe::BabeEpochConfiguration {
		c: PRIMARY_PROBABILITY,
		allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
	};

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;
/// An account identifier: the public key of the signature scheme, as in every Substrate chain.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = polkadot_sdk::sp_core::H256;
/// An index to a block.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed transaction carries.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade.
#[cfg(not(feature = "next-spec"))]
#[allow(unused_parens)]
type Migrations = ();
#[cfg(feature = "next-spec")]
type Migrations = (rehearsal::Migration,);

/// Executive: handles dispatch to the various pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	use super::*;

	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = polkadot_sdk::frame_system;
	#[runtime::pallet_index(1)]
	pub type Utility = polkadot_sdk::pallet_utility;
	#[runtime::pallet_index(2)]
	pub type Babe = polkadot_sdk::pallet_babe;
	#[runtime::pallet_index(3)]
	pub type Timestamp = polkadot_sdk::pallet_timestamp;
	#[runtime::pallet_index(4)]
	pub type Authorship = polkadot_sdk::pallet_authorship;
	#[runtime::pallet_index(5)]
	pub type Balances = polkadot_sdk::pallet_balances;
	#[runtime::pallet_index(6)]
	pub type TransactionPayment = polkadot_sdk::pallet_transaction_payment;
	#[runtime::pallet_index(7)]
	pub type Staking = polkadot_sdk::pallet_staking;
	#[runtime::pallet_index(8)]
	pub type Offences = polkadot_sdk::pallet_offences;
	#[runtime::pallet_index(9)]
	pub type Session = polkadot_sdk::pallet_session;
	#[runtime::pallet_index(10)]
	pub type Historical = polkadot_sdk::pallet_session::historical;
	#[runtime::pallet_index(11)]
	pub type Grandpa = polkadot_sdk::pallet_grandpa;
	#[runtime::pallet_index(12)]
	pub type VoterList = polkadot_sdk::pallet_bags_list<Instance1>;
	#[runtime::pallet_index(13)]
	pub type Sudo = polkadot_sdk::pallet_sudo;
	#[runtime::pallet_index(14)]
	pub type Treasury = polkadot_sdk::pallet_treasury;
	#[runtime::pallet_index(15)]
	pub type Proxy = polkadot_sdk::pallet_proxy;
	#[runtime::pallet_index(16)]
	pub type Multisig = polkadot_sdk::pallet_multisig;

	// The storage market.
	#[runtime::pallet_index(20)]
	pub type Sminer = pallet_sminer;
	#[runtime::pallet_index(21)]
	pub type FileBank = pallet_file_bank;
	#[runtime::pallet_index(22)]
	pub type Audit = pallet_audit;
	#[runtime::pallet_index(23)]
	pub type StorageRewards = pallet_storage_rewards;
	#[runtime::pallet_index(24)]
	pub type DataRights = pallet_data_rights;
	#[runtime::pallet_index(25)]
	pub type ValidatorCredit = pallet_validator_credit;
	#[runtime::pallet_index(26)]
	pub type Buckets = pallet_buckets;
	#[runtime::pallet_index(27)]
	pub type IdleSpace = pallet_idle_space;
}
