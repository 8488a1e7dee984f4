//! NPoS staking: validator election on chain (a solochain has no off-chain miners of
//! solutions), era payouts, slashing, and the bags list that orders voters by stake.

use super::governance::TreasuryAccount;
use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeHoldReason, Session, Staking,
	Timestamp, VoterList, SESSIONS_PER_ERA,
};
use pallet_validator_credit::CreditAwareElection;
use polkadot_sdk::{
	frame_election_provider_support::{
		bounds::{ElectionBounds, ElectionBoundsBuilder},
		onchain, SequentialPhragmen, VoteWeight,
	},
	frame_support::{
		parameter_types,
		traits::{tokens::imbalance::ResolveTo, ConstU32},
	},
	frame_system::EnsureRoot,
	pallet_staking::UseValidatorsMap,
	sp_runtime::{curve::PiecewiseLinear, Perbill},
	sp_staking::{currency_to_vote::U128CurrencyToVote, EraIndex, SessionIndex},
	*,
};

// Yearly staking issuance: 6 % of the supply, of which stakers get 2.5 % to 6 % (all of it when
// half of the supply is staked) and the treasury the rest. Kept equal to
// `constants::economics::{STAKING_MIN_INFLATION, STAKING_MAX_INFLATION}` by a test.
pallet_staking_reward_curve::build! {
	const REWARD_CURVE: PiecewiseLinear<'static> = curve!(
		min_inflation: 0_025_000,
		max_inflation: 0_060_000,
		ideal_stake: 0_500_000,
		falloff: 0_050_000,
		max_piece_count: 40,
		test_precision: 0_005_000,
	);
}

/// Stake stays slashable for 28 days after unbonding: 112 six-hour eras. Fast runtimes keep
/// two eras.
#[cfg(not(feature = "fast-runtime"))]
const BONDING_DURATION: EraIndex =
	28 * 24 * crate::HOURS / (SESSIONS_PER_ERA * crate::EPOCH_DURATION_IN_BLOCKS);
#[cfg(feature = "fast-runtime")]
const BONDING_DURATION: EraIndex = 2;

parameter_types! {
	pub const SessionsPerEra: SessionIndex = SESSIONS_PER_ERA;
	pub const BondingDuration: EraIndex = BONDING_DURATION;
	/// Slashes can be cancelled by governance during this many eras.
	pub const SlashDeferDuration: EraIndex = BondingDuration::get() / 4;
	pub const RewardCurve: &'static PiecewiseLinear<'static> = &REWARD_CURVE;
	pub const MaxExposurePageSize: u32 = 256;
	pub const MaxValidatorSet: u32 = 1_000;
	pub const MaxNominators: u32 = 512;
	pub const HistoryDepth: u32 = 84;
	pub const MaxControllersInDeprecationBatch: u32 = 5_900;
	/// The election reads at most this many voters and targets in one block.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(5_000.into())
		.targets_count(1_250.into())
		.build();
	pub const MaxBackersPerWinner: u32 = 1_024;
	pub const MaxWinnersPerPage: u32 = MaxValidatorSet::get();
	pub const BagThresholds: &'static [VoteWeight] = &VOTER_BAG_THRESHOLDS;
}

/// The election: sequential Phragmén computed on chain at the end of each era, over staking's
/// data as `validator-credit` hands it on (low-credit candidates left out, rotation).
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = crate::ValidatorCredit;
	type WeightInfo =
		polkadot_sdk::frame_election_provider_support::weights::SubstrateWeight<Runtime>;
	type MaxBackersPerWinner = MaxBackersPerWinner;
	type MaxWinnersPerPage = MaxWinnersPerPage;
	type Bounds = ElectionBoundsOnChain;
	type Sort = polkadot_sdk::frame_support::traits::ConstBool<true>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurrencyBalance = Balance;
	type UnixTime = Timestamp;
	type CurrencyToVote = U128CurrencyToVote;
	type ElectionProvider =
		CreditAwareElection<Runtime, onchain::OnChainExecution<OnChainSeqPhragmen>>;
	type GenesisElectionProvider =
		CreditAwareElection<Runtime, onchain::OnChainExecution<OnChainSeqPhragmen>>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	// What the reward curve does not pay stakers goes to the treasury.
	type RewardRemainder = ResolveTo<TreasuryAccount, Balances>;
	type RuntimeEvent = RuntimeEvent;
	// Slashed stake (less the reporters' reward) goes to the treasury.
	type Slash = ResolveTo<TreasuryAccount, Balances>;
	type Reward = ();
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type AdminOrigin = EnsureRoot<AccountId>;
	type SessionInterface = Self;
	type EraPayout = pallet_staking::ConvertCurve<RewardCurve>;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = MaxValidatorSet;
	type VoterList = VoterList;
	type TargetList = UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = MaxControllersInDeprecationBatch;
	type EventListeners = ();
	type Filter = polkadot_sdk::frame_support::traits::Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

/// Sizes the staking benchmarks run at.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = ConstU32<1_000>;
	type MaxNominators = ConstU32<1_000>;
}

type VoterBagsListInstance = pallet_bags_list::Instance1;
impl pallet_bags_list::Config<VoterBagsListInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_bags_list::weights::SubstrateWeight<Runtime>;
	type ScoreProvider = Staking;
	type BagThresholds = BagThresholds;
	type MaxAutoRebagPerBlock = ConstU32<5>;
	type Score = VoteWeight;
}

/// Bag upper bounds of the voter list: 200 bags in a geometric series from 10¹⁰ to `u64::MAX`
/// vote weight.
const VOTER_BAG_THRESHOLDS: [VoteWeight; 200] = [
	10000000000,
	11131723507,
	12391526823,
	13793905043,
	15354993702,
	17092754434,
	19027181634,
	21180532507,
	23577583160,
	26245913670,
	29216225417,
	32522694326,
	36203364094,
	40300583912,
	44861495729,
	49938576657,
	55590242768,
	61881521219,
	68884798440,
	76680653008,
	85358782763,
	95019036861,
	105772564625,
	117743094404,
	131068357178,
	145901671263,
	162413706372,
	180794447309,
	201255379906,
	224031924343,
	249386143854,
	277609759988,
	309027509106,
	344000878744,
	382932266838,
	426269611637,
	474511545622,
	528213132678,
	587992254578,
	654536720226,
	728612179479,
	811070932585,
	902861736616,
	1005040721713,
	1118783542747,
	1245398906213,
	1386343627998,
	1543239395267,
	1717891425334,
	1912309236200,
	2128729767741,
	2369643119578,
	2637821201759,
	2936349627909,
	3268663217800,
	3638585517830,
	4050372794134,
	4508763004489,
	5019030312492,
	5587045771230,
	6219344874672,
	6923202754001,
	7706717884098,
	8578905263283,
	9549800138428,
	10630573468883,
	11833660457728,
	13172903629207,
	14663712098571,
	16323238866869,
	18170578180596,
	20226985227014,
	22516120692886,
	25064323000520,
	27900911353388,
	31058523078140,
	34573489144404,
	38486252183046,
	42841831812533,
	47690342627385,
	53087570808585,
	59095615990357,
	65783605768510,
	73228491071365,
	81515931544694,
	90741281137740,
	101010685230333,
	112442301924452,
	125167661552235,
	139333180042695,
	155101843559716,
	172655083794477,
	192194865489145,
	213946010210514,
	238158783110586,
	265111772436912,
	295115094923900,
	328513963945784,
	365692661485854,
	407078959622788,
	453149042406971,
	504432984757141,
	561520851416642,
	625069486142890,
	695810069245377,
	774556530428010,
	862214913732600,
	959793802335013,
	1068415923140012,
	1189331064695376,
	1323930457056722,
	1473762779055439,
	1640551977146754,
	1826217100858727,
	2032894383065632,
	2262961819137785,
	2519066527771531,
	2804155208308687,
	3121508044982409,
	3474776448186273,
	3868025067011497,
	4305778556441755,
	4793073637301363,
	5335517047950183,
	5939350054508069,
	6611520261853050,
	7359761551638988,
	8192683067086613,
	9119868268392520,
	10151985198471672,
	11300909227733162,
	12579859690170816,
	14003551982881326,
	15588366879042412,
	17352539002438734,
	19316366632092932,
	21502445250979952,
	23935927525998408,
	26644812710486384,
	29660268799100308,
	33016991141718720,
	36753601642524536,
	40913093137385872,
	45543324062469624,
	50697569105664904,
	56435132176522448,
	62822028747443016,
	69931745417022032,
	77846085434963504,
	86656109917035952,
	96463185579537520,
	107380151048333328,
	119532615161828272,
	133060402205939200,
	148119160709706240,
	164882154312085184,
	183542255305344576,
	204314163792455456,
	227436877991739328,
	253176444111699968,
	281829017435654592,
	313724269836507712,
	349229182927983040,
	388752270495695552,
	432748278790674944,
	481723418766155584,
	536241190458903296,
	596928866529468544,
	664484709559931264,
	739686006150196224,
	823398010251853440,
	916583898640153600,
	1020315853070148992,
	1135787396626497920,
	1264327126206973440,
	1407413999143411456,
	1566694349845490176,
	1744000832258080512,
	1941373506081028864,
	2161083309365997568,
	2405658187562267648,
	2677912179648074752,
	2980977796007805952,
	3318342060589666816,
	3693886632039053824,
	4111932465434908672,
	4577289528499760128,
	5095312144310122496,
	5671960597271530496,
	6313869711186577408,
	7028425188464130048,
	7823848588816293888,
	8709291925194276864,
	9694942965368682496,
	10792142450737182720,
	12013514581060188160,
	13373112266460801024,
	14886578817935038464,
	16571327936757192704,
	18446744073709551615,
];
