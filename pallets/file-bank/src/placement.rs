//! Chain-driven placement: distinct positive miners, weighted by free capacity × credit, at a
//! cost bounded by `PlacementCandidates` whatever the number of miners.
//!
//! 1. Draw `min(PlacementCandidates, positive miners)` distinct indices of `sminer`'s dense
//!    positive index (partial Fisher–Yates, O(1) storage reads each).
//! 2. Keep the candidates that are not excluded and have room for the column.
//! 3. Draw the wanted number among them without replacement, each with probability proportional
//!    to `(free MiB + 1) × (credit + 1)`.
//!
//! When the positive set is no larger than the pool, this is exact weighted sampling over all
//! miners; above it, every miner has the same chance to enter the pool, and the weights decide
//! within it.

use crate::{Config, Error, Pallet};
use alloc::vec::Vec;
use cess_primitives::{merkle::blake2_256_parts, sampling::SeedStream, traits::MinerRegistry};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Randomness},
	frame_system,
};

/// Domain prefix of placement seeds.
const PLACEMENT_DOMAIN: &[u8] = b"cess/placement";

/// Domain of the placement draws (the seed is already bound to [`PLACEMENT_DOMAIN`]).
const DRAW_DOMAIN: &[u8] = b"";

/// The miners drawn for the columns, and the spares drawn after them.
type MinersAndSpares<T> = (
	Vec<<T as polkadot_sdk::frame_system::Config>::AccountId>,
	Vec<<T as polkadot_sdk::frame_system::Config>::AccountId>,
);

impl<T: Config> Pallet<T> {
	/// A placement seed bound to `subject`, from the chain's randomness (the parent hash before
	/// BABE randomness exists).
	pub(crate) fn placement_seed(subject: &[u8]) -> [u8; 32] {
		let (random, _) = T::Randomness::random(subject);
		let random = random.unwrap_or_else(frame_system::Pallet::<T>::parent_hash);
		blake2_256_parts(&[PLACEMENT_DOMAIN, random.as_ref(), subject])
	}

	/// Picks `wanted` distinct positive miners, none in `exclude`, each with at least `bytes`
	/// free. Returns them in draw order, or [`Error::NotEnoughMiners`].
	pub(crate) fn pick_miners(
		seed: [u8; 32],
		wanted: u32,
		bytes: u64,
		exclude: &[T::AccountId],
	) -> Result<Vec<T::AccountId>, Error<T>> {
		Self::pick_miners_and_spares(seed, wanted, 0, bytes, exclude).map(|(chosen, _)| chosen)
	}

	/// [`Self::pick_miners`], then up to `spares` more distinct miners drawn the same way (as
	/// many as there are candidates left).
	pub(crate) fn pick_miners_and_spares(
		seed: [u8; 32],
		wanted: u32,
		spares: u32,
		bytes: u64,
		exclude: &[T::AccountId],
	) -> Result<MinersAndSpares<T>, Error<T>> {
		let mut rng = SeedStream::new(DRAW_DOMAIN, seed);
		let total = T::Miners::positive_count();
		let pool = total.min(T::PlacementCandidates::get());
		let mut candidates: Vec<(T::AccountId, u128)> = Vec::with_capacity(pool as usize);
		let picks: Vec<u32> = rng.distinct(pool, total).collect();
		for picked in picks {
			let Some(miner) = T::Miners::positive_at(picked) else { continue };
			if exclude.contains(&miner) {
				continue;
			}
			let Some(info) = T::Miners::placement_info(&miner) else { continue };
			if info.free < bytes {
				continue;
			}
			let weight = u128::from((info.free >> 20) + 1) * u128::from(info.credit + 1);
			candidates.push((miner, weight));
		}
		if (candidates.len() as u32) < wanted {
			return Err(Error::<T>::NotEnoughMiners);
		}
		let mut chosen = Vec::with_capacity(wanted as usize);
		let draws = wanted.saturating_add(spares).min(candidates.len() as u32);
		for _ in 0..draws {
			let sum: u128 = candidates.iter().map(|c| c.1).sum();
			// 128 random bits: the bias is below sum / 2^128, negligible for any weight sum.
			let x = rng.below_u128(sum);
			let mut acc = 0u128;
			let mut index = candidates.len() - 1;
			for (j, c) in candidates.iter().enumerate() {
				acc += c.1;
				if x < acc {
					index = j;
					break;
				}
			}
			chosen.push(candidates.swap_remove(index).0);
		}
		let spares = chosen.split_off(wanted as usize);
		Ok((chosen, spares))
	}

	/// The seed of an upload's placement.
	pub(crate) fn upload_seed(file_id: &[u8; 32], who: &T::AccountId) -> [u8; 32] {
		Self::placement_seed(&(b"upload", file_id, who).encode())
	}
}
