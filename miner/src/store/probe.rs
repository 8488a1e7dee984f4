//! PoDR² proofs over the held data: a round's challenge and validators' one-leaf probes. Each
//! challenged leaf costs one read of the kept upper levels and of the 64 leaves around it.

use std::collections::BTreeMap;

use cess_primitives::{
	merkle::FileTree,
	possession::{prove, Holding, ProveError, Sample, SamplePath},
	types::{Column, FileId, SegmentIndex},
};

use super::{hex32, FragmentStore, Result, StoreError};

impl FragmentStore {
	/// The proof of `samples`, every one of a held column.
	pub fn prove(&self, samples: &[Sample]) -> Result<Vec<u8>> {
		let mut trees: BTreeMap<FileId, FileTree> = BTreeMap::new();
		let result = prove(samples, |s| {
			let hash = self.held_fragment(&s.file_id, s.segment, s.column)?;
			let (leaf, fragment_path) = self.read_leaf_path(&hash, s.leaf)?;
			let tree = match trees.entry(s.file_id) {
				std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
				std::collections::btree_map::Entry::Vacant(e) => {
					let holding = self
						.holding(&s.file_id)
						.ok_or_else(|| StoreError::UnknownFile(hex32(&s.file_id)))?;
					e.insert(FileTree::new(holding.manifest().fragment_hashes()))
				},
			};
			let file_path = tree
				.path(s.fragment_index() as u32)
				.ok_or(StoreError::OutOfRange { segment: s.segment, leaf: s.leaf })?;
			Ok(SamplePath { leaf, fragment_path, file_path })
		});
		result.map_err(|e| match e {
			ProveError::Source(e) => e,
			ProveError::BadSamples | ProveError::BadPath | ProveError::TooLarge => {
				StoreError::BadChallenge(e.to_string())
			},
		})
	}

	/// The one-sample proof of leaf `leaf` of held fragment (`segment`, `column`) of `file_id`:
	/// the answer to a validator's probe.
	pub fn probe(
		&self,
		file_id: &FileId,
		segment: SegmentIndex,
		column: Column,
		leaf: u32,
	) -> Result<Vec<u8>> {
		let holding =
			self.holding(file_id).ok_or_else(|| StoreError::UnknownFile(hex32(file_id)))?;
		if !holding.holds(column) {
			return Err(StoreError::ColumnNotHeld { file: hex32(file_id), column });
		}
		let layout = *holding.manifest().layout();
		if segment >= layout.segment_count() || leaf >= layout.leaves_in_fragment(segment) {
			return Err(StoreError::OutOfRange { segment, leaf });
		}
		let held = Holding { file_id: *file_id, column, layout };
		self.prove(&[held.sample_in(segment, leaf)])
	}
}
