//! Restoral: rebuilding a lost column from the surviving ones.

use cess_primitives::{merkle, types::Column};

use crate::{
	erasure::SegmentCodec,
	error::{Error, Result},
	manifest::FileManifest,
	pipeline::fetch::{gather, FetchStats},
	store::{FragmentSink, FragmentSource},
};

/// Rebuilds fragment `column` of every segment from any `k` intact fragments of the other
/// columns, checks each rebuilt fragment against its hash in the manifest, and hands it to `sink`.
///
/// This is what a restorer does before it proves the column to the chain (ARCHITECTURE.md §6).
/// Neither the data key nor the plaintext is needed. Fails with [`Error::NotEnoughFragments`] if a
/// segment has fewer than `k` intact fragments elsewhere, and with [`Error::RebuildMismatch`] if a
/// rebuilt fragment does not match its hash (the uploader's parity was inconsistent).
pub fn rebuild_column<S: FragmentSource + ?Sized, K: FragmentSink + ?Sized>(
	manifest: &FileManifest,
	source: &mut S,
	column: Column,
	sink: &mut K,
) -> Result<FetchStats> {
	let layout = manifest.layout();
	let total = layout.profile.total() as usize;
	if usize::from(column) >= total {
		return Err(Error::NoSuchColumn { column, total: total as u32 });
	}
	let codec = SegmentCodec::new(layout.profile)?;
	let mut stats = FetchStats::default();
	let mut shards = Vec::new();
	let mut present = vec![false; total];
	for segment in 0..layout.segment_count() {
		let fragment_len = layout.fragment_len(segment) as usize;
		shards.resize(codec.buffer_len(fragment_len), 0);
		gather(manifest, source, segment, Some(column), &mut shards, &mut present, &mut stats)?;
		codec.reconstruct(segment, &mut shards, fragment_len, &present)?;
		let start = usize::from(column) * fragment_len;
		let fragment = &shards[start..start + fragment_len];
		if Some(&merkle::fragment_hash(fragment)) != manifest.fragment_hash(segment, column) {
			return Err(Error::RebuildMismatch { segment, column });
		}
		sink.put(segment, column, fragment)?;
	}
	Ok(stats)
}
