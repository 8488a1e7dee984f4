//! Retrievability probes, the chain side: validators report what their off-chain workers fetched
//! ([`crate::ocw`]); a miner counts as unreachable in a round only when more than a third of the
//! validators report a failed probe of it.
//!
//! Every `ProbeInterval` blocks is a probe slot. The miners probed in a slot follow from the
//! round's seed, so every validator probes the same miners and their reports can agree.

use crate::{
	Authorities, Config, CurrentRound, Error, Event, Pallet, ProbeRecord, ProbeReport, Probes,
	PROBE_DOMAIN,
};
use alloc::vec::Vec;
use cess_primitives::{
	merkle::blake2_256_parts,
	sampling::SeedStream,
	traits::{CreditReason, MinerPenalties, MinerRegistry, ProbeDuty},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{SaturatedConversion, Saturating, Zero},
		transaction_validity::TransactionValidityWithRefund,
		RuntimeAppPublic,
	},
};

/// Credit lost when validators agree a miner did not serve a probe.
pub const PROBE_FAILED_CREDIT: i32 = -20;
/// `InvalidTransaction::Custom` code of a report about a miner its slot does not target.
pub const NOT_A_PROBE_TARGET: u8 = 1;
/// Credit earned the first time a miner serves a probe in a round.
pub const PROBE_PASSED_CREDIT: i32 = 1;

impl<T: Config> Pallet<T> {
	/// Distinct failure reports that make a miner unreachable: more than a third of `n`
	/// validators.
	pub fn probe_quorum(n: u32) -> u32 {
		n / 3 + 1
	}

	/// The probe slot of block `n` in `round_start`'s round.
	pub fn probe_slot(round_start: BlockNumberFor<T>, n: BlockNumberFor<T>) -> u32 {
		let interval = T::ProbeInterval::get().max(1u32.into());
		(n.saturating_sub(round_start) / interval).saturated_into()
	}

	/// The miners probed in `slot` of the round with `seed`: up to `ProbesPerSlot` distinct
	/// positive miners.
	pub fn probe_targets(seed: &[u8; 32], slot: u32) -> Vec<T::AccountId> {
		let slot_seed = blake2_256_parts(&[seed, &slot.to_le_bytes()]);
		let total = T::Miners::positive_count();
		SeedStream::new(PROBE_DOMAIN, slot_seed)
			.distinct(T::ProbesPerSlot::get(), total)
			.filter_map(T::Miners::positive_at)
			.collect()
	}

	/// Checks a report's signature, round and author (the `authorize` of `report_probe`).
	pub(crate) fn authorize_probe_report(
		report: &ProbeReport<T::AccountId>,
		signature: &<T::AuthorityId as RuntimeAppPublic>::Signature,
	) -> TransactionValidityWithRefund {
		let round = CurrentRound::<T>::get().ok_or(InvalidTransaction::Stale)?;
		if report.round != round.index {
			return Err(InvalidTransaction::Stale.into());
		}
		let authorities = Authorities::<T>::get();
		let authority = authorities
			.get(report.authority_index as usize)
			.ok_or(InvalidTransaction::BadSigner)?;
		if Self::already_reported(report) {
			return Err(InvalidTransaction::Stale.into());
		}
		let now = frame_system::Pallet::<T>::block_number();
		if report.slot > Self::probe_slot(round.start, now) {
			return Err(InvalidTransaction::Future.into());
		}
		if !Self::is_probe_target(&round.seed, report.slot, &report.miner) {
			return Err(InvalidTransaction::Custom(NOT_A_PROBE_TARGET).into());
		}
		if !report.using_encoded(|bytes| authority.verify(&bytes, signature)) {
			return Err(InvalidTransaction::BadProof.into());
		}
		ValidTransaction::with_tag_prefix("CessProbe")
			.priority(T::ProbePriority::get())
			.and_provides((report.round, report.authority_index, report.miner.clone()))
			.longevity(T::ProbeInterval::get().saturated_into::<u64>().max(1))
			.propagate(true)
			.build()
			.map(|v| (v, Weight::zero()))
	}

	/// Whether `miner` is among the targets of `slot` in the round with `seed`.
	pub(crate) fn is_probe_target(seed: &[u8; 32], slot: u32, miner: &T::AccountId) -> bool {
		Self::probe_targets(seed, slot).contains(miner)
	}

	fn already_reported(report: &ProbeReport<T::AccountId>) -> bool {
		Probes::<T>::get(&report.miner).is_some_and(|r| {
			r.round == report.round && r.reported_by.contains(&report.authority_index)
		})
	}

	/// Records an authorized report: the first pass of a round earns credit; the failure report
	/// that reaches the quorum costs credit.
	pub(crate) fn do_report_probe(report: ProbeReport<T::AccountId>) -> DispatchResult {
		let round = CurrentRound::<T>::get().ok_or(Error::<T>::NoRound)?;
		ensure!(report.round == round.index, Error::<T>::WrongRound);
		ensure!(!Self::already_reported(&report), Error::<T>::AlreadyReported);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			report.slot <= Self::probe_slot(round.start, now)
				&& Self::is_probe_target(&round.seed, report.slot, &report.miner),
			Error::<T>::NotAProbeTarget
		);
		let mut record = Probes::<T>::get(&report.miner)
			.filter(|r| r.round == round.index)
			.unwrap_or_else(|| ProbeRecord::new(round.index));
		record
			.reported_by
			.try_push(report.authority_index)
			.map_err(|_| Error::<T>::AlreadyReported)?;
		let miner = report.miner.clone();
		if report.served {
			if !record.passed {
				record.passed = true;
				T::Penalties::adjust_credit(&miner, PROBE_PASSED_CREDIT, CreditReason::ProbePassed);
			}
		} else {
			record.failures = record.failures.saturating_add(1);
			let quorum = Self::probe_quorum(Authorities::<T>::decode_len().unwrap_or(0) as u32);
			if !record.penalised && record.failures >= quorum {
				record.penalised = true;
				T::Penalties::adjust_credit(&miner, PROBE_FAILED_CREDIT, CreditReason::ProbeFailed);
				Self::deposit_event(Event::MinerUnreachable {
					miner: miner.clone(),
					round: round.index,
					reports: record.failures,
				});
			}
		}
		Probes::<T>::insert(&miner, record);
		T::ProbeDuty::reported(report.authority_index);
		Self::deposit_event(Event::ProbeReported {
			miner,
			round: round.index,
			authority_index: report.authority_index,
			served: report.served,
		});
		Ok(())
	}

	/// Drops `miner`'s probe record of a past round (called while sweeping).
	pub(crate) fn forget_old_probes(miner: &T::AccountId, current_round: u32) {
		if Probes::<T>::get(miner).is_some_and(|r| r.round < current_round) {
			Probes::<T>::remove(miner);
		}
	}

	/// Whether probes are configured: a non-zero interval and at least one target per slot.
	pub(crate) fn probes_enabled() -> bool {
		!T::ProbeInterval::get().is_zero() && T::ProbesPerSlot::get() > 0
	}
}
