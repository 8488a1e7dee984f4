//! The treasury and the root origin.
//!
//! Root (sudo's key, see `docs/running-a-validator.md`) applies runtime upgrades, approves
//! treasury spends and cancels deferred slashes. The treasury receives staking slashes, the
//! part of the staking issuance the reward curve does not pay stakers, and
//! `economics::FEES_TO_TREASURY` of every transaction fee.

use crate::{
	constants::economics::FEES_TO_TREASURY, AccountId, Balance, Balances, BlockNumber, Runtime,
	RuntimeCall, RuntimeEvent, System, Treasury, DAYS, DOLLARS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			fungible,
			tokens::{imbalance::ResolveTo, PayFromAccount, UnityAssetBalanceConversion},
			ConstU32, Imbalance, OnUnbalanced,
		},
		PalletId,
	},
	frame_system::{EnsureRoot, EnsureRootWithSuccess},
	sp_runtime::{traits::IdentityLookup, Permill},
	*,
};

#[cfg(not(feature = "fast-runtime"))]
const SPEND_PERIOD: BlockNumber = 6 * DAYS;
#[cfg(feature = "fast-runtime")]
const SPEND_PERIOD: BlockNumber = 10 * crate::MINUTES;

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	pub TreasuryAccount: AccountId = Treasury::account_id();
	/// Approved spends are paid out every `SpendPeriod`.
	pub const SpendPeriod: BlockNumber = SPEND_PERIOD;
	/// Unspent funds are kept, not burnt.
	pub const Burn: Permill = Permill::zero();
	/// A spend must be claimed within this time of becoming payable.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	/// The most root may spend at once.
	pub const MaxSpend: Balance = 10_000_000 * DOLLARS;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EnsureRoot<AccountId>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = Burn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EnsureRootWithSuccess<AccountId, MaxSpend>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// Splits transaction fees between the treasury (`FEES_TO_TREASURY`) and the block's author
/// (the rest, and every tip).
pub struct DealWithFees;
impl OnUnbalanced<fungible::Credit<AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(
		mut fees_then_tips: impl Iterator<Item = fungible::Credit<AccountId, Balances>>,
	) {
		let Some(fees) = fees_then_tips.next() else { return };
		let to_treasury = FEES_TO_TREASURY.deconstruct() as u32;
		let (treasury, mut author) = fees.ration(to_treasury, 100 - to_treasury);
		if let Some(tips) = fees_then_tips.next() {
			tips.merge_into(&mut author);
		}
		ResolveTo::<TreasuryAccount, Balances>::on_unbalanced(treasury);
		if let Some(block_author) = crate::Authorship::author() {
			// Nothing to do if the author cannot receive it: the credit is then dropped, which
			// burns it.
			let _ = <Balances as fungible::Balanced<AccountId>>::resolve(&block_author, author);
		}
	}
}
