//! Shared helpers of the integration tests.
#![allow(dead_code)]

use cess_primitives::layout::FileLayout;
use cess_primitives::merkle::{blake2_256, fragment_hash};
use cess_primitives::podr2::{name, Params, Tag, Tagger};
use cess_primitives::types::{Column, ErasureProfile, FileId, Hash256, BLOCK_BYTES};

/// Deterministic pseudo-random bytes: Blake2b-256(label ‖ le32(i)) blocks.
pub fn det_bytes(label: &[u8], len: usize) -> Vec<u8> {
	let mut out = Vec::with_capacity(len + 32);
	let mut i = 0u32;
	while out.len() < len {
		let mut m = label.to_vec();
		m.extend_from_slice(&i.to_le_bytes());
		out.extend_from_slice(&blake2_256(&m));
		i += 1;
	}
	out.truncate(len);
	out
}

/// A fragment held by a test miner.
pub struct Holding {
	pub file_id: FileId,
	pub column: Column,
	pub layout: FileLayout,
	/// Fragment bytes per segment.
	pub fragments: Vec<Vec<u8>>,
	/// Tags per segment.
	pub tags: Vec<Vec<Tag>>,
}

impl Holding {
	/// A single-column holding of a synthetic file (the file_id is a hash of the label; the
	/// fragments are random bytes of the lengths the layout prescribes).
	pub fn new(
		label: &[u8],
		size: u64,
		segment_size: u64,
		column: Column,
		tagger: &Tagger,
	) -> Self {
		let layout = FileLayout::new(size, segment_size, ErasureProfile::new(2, 1)).unwrap();
		let file_id: Hash256 = blake2_256(label);
		let mut fragments = Vec::new();
		let mut tags = Vec::new();
		for seg in 0..layout.segment_count() {
			let mut l = label.to_vec();
			l.extend_from_slice(&seg.to_le_bytes());
			let frag = det_bytes(&l, layout.fragment_len(seg) as usize);
			assert_eq!(frag.len() % BLOCK_BYTES, 0);
			let _ = fragment_hash(&frag);
			tags.push(tagger.tag_fragment(&name(&file_id, seg, column), &frag));
			fragments.push(frag);
		}
		Self { file_id, column, layout, fragments, tags }
	}

	/// The bytes of PoDR² block `block` of segment `seg` (short for the last block).
	pub fn block(&self, seg: u32, block: u32, params: Params) -> &[u8] {
		let f = &self.fragments[seg as usize];
		let bb = params.block_bytes();
		let start = (block as usize * bb).min(f.len());
		&f[start..(start + bb).min(f.len())]
	}
}
