//! Answers to validators' retrievability probes: one block of a held fragment with its Merkle
//! paths to the fragment hash and on to the file id.

use cess_primitives::{
	merkle::{file_tree, fragment_index, fragment_tree},
	probe::ProbeResponse,
	types::{Column, FileId, SegmentIndex, BLOCK_BYTES},
};

use super::{hex32, FragmentStore, Result, StoreError};

impl FragmentStore {
	/// Block `block` of held fragment (`segment`, `column`) of `file_id` with its proofs.
	pub fn probe(
		&self,
		file_id: &FileId,
		segment: SegmentIndex,
		column: Column,
		block: u32,
	) -> Result<ProbeResponse> {
		let holding =
			self.holding(file_id).ok_or_else(|| StoreError::UnknownFile(hex32(file_id)))?;
		if !holding.holds(column) {
			return Err(StoreError::ColumnNotHeld { file: hex32(file_id), column });
		}
		let manifest = holding.manifest();
		let out_of_range = StoreError::OutOfRange { segment, block };
		if block >= manifest.layout().blocks_in_fragment(segment) {
			return Err(out_of_range);
		}
		let index =
			fragment_index(segment, column, &manifest.layout().profile).ok_or(out_of_range)?;
		let fragment_hash = *manifest.fragment_hash(segment, column).expect("index checked");
		let fragment = self.read_fragment(&fragment_hash)?;
		let tree = fragment_tree(&fragment);
		if tree.root() != fragment_hash {
			// Damaged on disk: answering would only earn a failed probe; say what it is.
			return Err(StoreError::HashMismatch {
				expected: hex32(&fragment_hash),
				actual: hex32(&tree.root()),
			});
		}
		let start = block as usize * BLOCK_BYTES;
		Ok(ProbeResponse {
			fragment_hash,
			fragment_proof: file_tree(manifest.fragment_hashes()).proof(index),
			block_proof: tree.proof(block),
			block: fragment[start..start + BLOCK_BYTES].to_vec(),
		})
	}
}
