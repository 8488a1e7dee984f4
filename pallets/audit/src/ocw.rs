//! Retrievability probes, the validator side. At every probe slot the off-chain worker of each
//! validator holding a probe key fetches, for every miner the slot targets, one leaf sampled
//! byte-fair from its holdings from the miner's HTTP endpoint, checks the one-sample PoDR² proof
//! it answers with against the file id and submits a report signed with its probe key.

use crate::{
	Authorities, Call, Config, CurrentRound, Pallet, PrivateEndpointsAllowed, ProbeReport,
};
use alloc::{string::String, vec::Vec};
use cess_primitives::{
	possession::{self, expand},
	probe::{http_endpoint, is_private_endpoint, probe_path},
	traits::{MinerEndpoints, StorageHoldings},
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::traits::Get,
	frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor},
	sp_io,
	sp_runtime::{
		offchain::{http, storage::StorageValueRef, Duration},
		traits::Zero,
		RuntimeAppPublic,
	},
};

/// Time a miner has to answer one probe.
pub const PROBE_TIMEOUT_MS: u64 = 5_000;
/// Largest probe response read (a one-leaf proof is a few hundred bytes to ~2 KiB).
const MAX_RESPONSE_BYTES: usize = 16 * 1024;
/// Off-chain storage key of the last slot this node probed.
const LAST_SLOT_KEY: &[u8] = b"cess/audit/last-probe-slot";

impl<T: Config> Pallet<T> {
	/// Runs the probes of the slot starting at `n`, once per node and slot.
	pub(crate) fn run_probes(n: BlockNumberFor<T>) {
		if !sp_io::offchain::is_validator() || !Self::probes_enabled() {
			return;
		}
		let Some(round) = CurrentRound::<T>::get() else { return };
		if n < round.start || !((n - round.start) % T::ProbeInterval::get()).is_zero() {
			return;
		}
		let Some((authority_index, key)) = Self::local_authority() else { return };
		let slot = Self::probe_slot(round.start, n);
		let last = StorageValueRef::persistent(LAST_SLOT_KEY);
		if last.get::<(u32, u32)>().ok().flatten() == Some((round.index, slot)) {
			return;
		}
		last.set(&(round.index, slot));

		let seed = sp_io::offchain::random_seed();
		for miner in Self::probe_targets(&round.seed, slot) {
			let Some(report) = Self::probe(&miner, round.index, slot, authority_index, &seed)
			else {
				continue;
			};
			let Some(signature) = key.sign(&report.encode()) else {
				log::warn!(target: crate::LOG_TARGET, "probe key cannot sign");
				return;
			};
			log::info!(
				target: crate::LOG_TARGET,
				"probe round {} slot {slot}: miner {:?} served = {}",
				round.index,
				report.miner,
				report.served
			);
			let xt =
				T::create_authorized_transaction(Call::report_probe { report, signature }.into());
			if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
				log::warn!(target: crate::LOG_TARGET, "probe report not submitted");
			}
		}
	}

	/// This node's probe key and its index among the authorities, if it has one.
	fn local_authority() -> Option<(u32, T::AuthorityId)> {
		let local = T::AuthorityId::all();
		Authorities::<T>::get()
			.into_iter()
			.enumerate()
			.find(|(_, key)| local.contains(key))
			.map(|(i, key)| (i as u32, key))
	}

	/// Probes one leaf of `miner`'s holdings, sampled byte-fair with this node's `seed` (`None`
	/// if it holds nothing). A private endpoint, outside development chains, is not fetched
	/// (and the miner counts as not serving).
	fn probe(
		miner: &T::AccountId,
		round: u32,
		slot: u32,
		authority_index: u32,
		seed: &[u8; 32],
	) -> Option<ProbeReport<T::AccountId>> {
		let classes = T::Holdings::snapshot_classes(miner, round);
		let seed = possession::challenge_seed(seed, round, &miner.encode());
		let sample = *expand(&seed, 1, &classes, |class, index| {
			T::Holdings::snapshot_holding(miner, round, class, index)
		})
		.first()?;
		let path = probe_path(&sample.file_id, sample.segment, sample.column, sample.leaf);
		let allow_private = PrivateEndpointsAllowed::<T>::get();
		let served = T::Endpoints::multiaddrs(miner)
			.iter()
			.find_map(|m| http_endpoint(m).map(|endpoint| (m, endpoint)))
			.filter(|(m, endpoint)| {
				let refused = !allow_private && is_private_endpoint(m);
				if refused {
					log::info!(target: crate::LOG_TARGET, "probe: {endpoint} is private, not fetched");
				}
				!refused
			})
			.and_then(|(_, endpoint)| fetch(&endpoint, &path))
			.is_some_and(|proof| possession::verify(&[sample], &proof).is_ok());
		Some(ProbeReport {
			round,
			slot,
			authority_index,
			miner: miner.clone(),
			file_id: sample.file_id,
			segment: sample.segment,
			column: sample.column,
			leaf: sample.leaf,
			served,
		})
	}
}

/// GETs `endpoint ‖ path` and returns the body (`None` on any failure).
fn fetch(endpoint: &str, path: &str) -> Option<Vec<u8>> {
	let mut url = String::from(endpoint);
	url.push_str(path);
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(PROBE_TIMEOUT_MS));
	let pending = http::Request::get(&url).deadline(deadline).send().ok()?;
	let response = pending.try_wait(deadline).ok()?.ok()?;
	if response.code != 200 {
		log::debug!(target: crate::LOG_TARGET, "probe {url}: HTTP {}", response.code);
		return None;
	}
	let mut body = Vec::new();
	for byte in response.body() {
		body.push(byte);
		if body.len() > MAX_RESPONSE_BYTES {
			return None;
		}
	}
	Some(body)
}
