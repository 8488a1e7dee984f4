//! The pallet's invariants (checked by `try-runtime` and after every test).

use crate::{
	index::Indexed, AccessState, Accesses, BalanceOf, Buckets, Certificates, Config, ContentIndex,
	Disputes, FileDisputes, Pallet, RevenuePools, SplitSchedule,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::fungible::Inspect},
	sp_runtime::{traits::Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Every certificate is in the index under each of its bands (and the index holds nothing
	/// else); every open dispute is found from its file and vice versa; every non-empty revenue
	/// pool has a scheduled split; the pallet's account holds every escrowed offer and pool.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut indexed = 0usize;
		for (file, cert) in Certificates::<T>::iter() {
			ensure!(cert.priority <= cert.registered_at, "a certificate's claim postdates it");
			match Indexed::of(&cert.fingerprint) {
				Indexed::Bands { hash, keys } => {
					for key in keys {
						ensure!(
							Buckets::<T>::get(key)
								.iter()
								.any(|e| e.file == file && e.owner == cert.owner && e.hash == hash),
							TryRuntimeError::Other("certificate missing from its band buckets")
						);
					}
					indexed += keys.len();
				},
				Indexed::Content(hash) => {
					ensure!(
						ContentIndex::<T>::contains_key(hash),
						TryRuntimeError::Other("content hash not indexed")
					);
				},
			}
		}
		let entries: usize = Buckets::<T>::iter_values().map(|b| b.len()).sum();
		ensure!(entries == indexed, TryRuntimeError::Other("band index holds stale entries"));
		for (file, id) in FileDisputes::<T>::iter() {
			let dispute =
				Disputes::<T>::get(id).ok_or(TryRuntimeError::Other("dangling dispute"))?;
			ensure!(dispute.file == file, TryRuntimeError::Other("dispute of another file"));
		}
		for (id, dispute) in Disputes::<T>::iter() {
			ensure!(
				FileDisputes::<T>::get(dispute.file) == Some(id),
				TryRuntimeError::Other("dispute not found from its file")
			);
		}
		let mut owed: BalanceOf<T> = Default::default();
		for (_, _, access) in Accesses::<T>::iter() {
			if let AccessState::Pending { offer } = access.state {
				owed = owed.saturating_add(offer);
			}
		}
		let scheduled: alloc::vec::Vec<_> = SplitSchedule::<T>::iter_values().flatten().collect();
		for (file, pool) in RevenuePools::<T>::iter() {
			ensure!(scheduled.contains(&file), TryRuntimeError::Other("pool without a split"));
			owed = owed.saturating_add(pool);
		}
		ensure!(
			T::Currency::balance(&Self::account_id()) >= owed,
			TryRuntimeError::Other("pallet account holds less than escrow and pools")
		);
		Ok(())
	}
}
