//! Gathering `k` intact fragments of one segment, shared by download and restoral.

use cess_primitives::{
	merkle,
	types::{Column, SegmentIndex},
};

use crate::{
	error::{Error, Result},
	manifest::FileManifest,
	store::{Fetch, FragmentSource},
};

/// What gathering the fragments of one or more segments saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchStats {
	/// Fragments requested from the source.
	pub requested: u64,
	/// Fragments the source did not have.
	pub missing: u64,
	/// Fragments that were damaged or failed their hash, with their position.
	pub corrupted: Vec<(SegmentIndex, Column)>,
}

/// Fills `shards` (`(k + m) · fragment_len` bytes) with `k` fragments of `segment` that match
/// their hash in `manifest`, asking for columns in order and never for `skip`; marks them in
/// `present`. Fails with [`Error::NotEnoughFragments`] if fewer than `k` can be found.
pub(crate) fn gather<S: FragmentSource + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	segment: SegmentIndex,
	skip: Option<Column>,
	shards: &mut [u8],
	present: &mut [bool],
	stats: &mut FetchStats,
) -> Result<()> {
	let profile = manifest.layout().profile;
	let k = usize::from(profile.k);
	let fragment_len = manifest.layout().fragment_len(segment) as usize;
	present.fill(false);
	let (mut valid, mut missing, mut corrupted) = (0usize, 0u32, 0u32);
	for (column, slot) in shards.chunks_exact_mut(fragment_len).enumerate() {
		if valid == k {
			break;
		}
		let col = column as Column;
		if Some(col) == skip {
			continue;
		}
		stats.requested += 1;
		let intact = match source.get(segment, col, slot)? {
			Fetch::Found => {
				Some(&merkle::fragment_hash(slot)) == manifest.fragment_hash(segment, col)
			},
			Fetch::Missing => {
				missing += 1;
				continue;
			},
			Fetch::Damaged => false,
		};
		if intact {
			present[column] = true;
			valid += 1;
		} else {
			corrupted += 1;
			stats.corrupted.push((segment, col));
		}
	}
	stats.missing += u64::from(missing);
	if valid < k {
		return Err(Error::NotEnoughFragments {
			segment,
			valid: valid as u32,
			needed: k as u32,
			missing: missing + u32::from(skip.is_some()),
			corrupted,
		});
	}
	Ok(())
}
