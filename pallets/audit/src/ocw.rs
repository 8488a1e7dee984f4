//! Retrievability probes, the validator side. At every probe slot the off-chain worker of each
//! validator holding a probe key fetches, for every miner the slot targets, a random Merkle block
//! of a random holding from the miner's HTTP endpoint, checks it against the file id and submits
//! a report signed with its probe key.

use crate::{Authorities, Call, Config, CurrentRound, Pallet, ProbeReport};
use alloc::{string::String, vec::Vec};
use cess_primitives::{
	probe::{http_endpoint, probe_path, ProbeResponse},
	sampling::SeedStream,
	traits::{MinerEndpoints, StorageHoldings},
	types::BLOCK_BYTES,
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
/// Largest probe response read.
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

		let mut rng = SeedStream::new(b"cess/audit/probe-pick", sp_io::offchain::random_seed());
		for miner in Self::probe_targets(&round.seed, slot) {
			let Some(report) = Self::probe(&miner, round.index, authority_index, &mut rng) else {
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

	/// Probes a random block of a random holding of `miner` (`None` if it holds nothing).
	fn probe(
		miner: &T::AccountId,
		round: u32,
		authority_index: u32,
		rng: &mut SeedStream<'_>,
	) -> Option<ProbeReport<T::AccountId>> {
		let count = T::Holdings::holding_count(miner);
		if count == 0 {
			return None;
		}
		let (file_id, column, layout) =
			T::Holdings::holding_at(miner, rng.below(count.into()) as u32)?;
		let segment = rng.below(layout.segment_count().into()) as u32;
		let blocks = layout.fragment_len(segment) / BLOCK_BYTES as u64;
		if blocks == 0 {
			return None;
		}
		let block = rng.below(blocks) as u32;
		let served = T::Endpoints::multiaddrs(miner)
			.iter()
			.find_map(|m| http_endpoint(m))
			.and_then(|endpoint| fetch(&endpoint, &probe_path(&file_id, segment, column, block)))
			.is_some_and(|response| {
				response.verify(&file_id, &layout.profile, segment, column, block)
			});
		Some(ProbeReport {
			round,
			authority_index,
			miner: miner.clone(),
			file_id,
			segment,
			column,
			block,
			served,
		})
	}
}

/// GETs `endpoint ‖ path` and decodes the probe response (`None` on any failure).
fn fetch(endpoint: &str, path: &str) -> Option<ProbeResponse> {
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
	ProbeResponse::from_bytes(&body).ok()
}
