//! Generation of [`RestoralFixture`]s (std only): a deterministic file, a restorer key, and the
//! opening proof the chain's challenge asks for.

use crate::{restoral_indices, restoral_seed, RestoralFixture};
use cess_primitives::{
	layout::FileLayout,
	merkle::{blake2_256_parts, file_tree, fragment_hash, fragment_index},
	podr2::{build_opening, name, tag_fragment, Params, SecretKey},
	types::{Column, ErasureProfile, SegmentIndex, BLOCK_BYTES},
};

/// Profile of the fixture file.
pub const FIXTURE_PROFILE: (u8, u8) = (2, 1);
/// Column the fixture restores.
pub const FIXTURE_COLUMN: u16 = 1;
/// Claim block hash of the fixture.
pub const FIXTURE_CLAIM_HASH: [u8; 32] = [0x42; 32];

/// The PoDR² secret key of the fixture's restorer.
pub fn fixture_secret() -> SecretKey {
	SecretKey::from_seed(&[0x5e; 32])
}

/// A fixture for a chain with `segment_size`, `sectors` per block and `samples` opened blocks:
/// a file whose fragments hold at least `samples` PoDR² blocks, so every opened block is
/// distinct.
pub fn restoral_fixture(segment_size: u64, sectors: u32, samples: u32) -> RestoralFixture {
	let params = Params::new(sectors).expect("valid sectors per block");
	let profile = ErasureProfile::new(FIXTURE_PROFILE.0, FIXTURE_PROFILE.1);
	let wanted = u64::from(profile.k) * u64::from(samples.max(1)) * params.block_bytes() as u64;
	let size = wanted.max(BLOCK_BYTES as u64);
	let layout = FileLayout::new(size, segment_size, profile).expect("valid fixture layout");
	let mut fragments = Vec::new();
	for seg in 0..layout.segment_count() {
		for col in 0..profile.total() {
			let len = layout.fragment_len(seg) as usize;
			let mut f = Vec::with_capacity(len);
			let mut i = 0u32;
			while f.len() < len {
				f.extend_from_slice(&blake2_256_parts(&[
					b"fixture",
					&seg.to_le_bytes(),
					&col.to_le_bytes(),
					&i.to_le_bytes(),
				]));
				i += 1;
			}
			f.truncate(len);
			fragments.push(f);
		}
	}
	let file_id = file_tree(&fragments.iter().map(|f| fragment_hash(f)).collect::<Vec<_>>()).root();
	let column = FIXTURE_COLUMN;
	let seed = restoral_seed(&FIXTURE_CLAIM_HASH, &file_id, column);
	let (seg, indices) =
		restoral_indices(&seed, &layout, sectors, samples).expect("fixture challenge");
	let sk = fixture_secret();
	let opening = opening_bytes(&fragments, &profile, seg, column, &indices, &sk, params);
	RestoralFixture {
		file_id,
		size,
		profile: FIXTURE_PROFILE,
		column,
		claim_hash: FIXTURE_CLAIM_HASH,
		podr2_key: sk.public_key().to_bytes(),
		opening,
	}
}

/// The encoded opening proof of fragment (`seg`, `column`) opened at `indices`, tagged with `sk`,
/// for the file whose fragments are `fragments` in (segment, column) order.
pub fn opening_bytes<F: AsRef<[u8]>>(
	fragments: &[F],
	profile: &ErasureProfile,
	seg: SegmentIndex,
	column: Column,
	indices: &[u32],
	sk: &SecretKey,
	params: Params,
) -> Vec<u8> {
	let tree = file_tree(&fragments.iter().map(|f| fragment_hash(f.as_ref())).collect::<Vec<_>>());
	let index = fragment_index(seg, column, profile).expect("fragment in range");
	let fragment = fragments[index as usize].as_ref();
	let tags = tag_fragment(sk, &name(&tree.root(), seg, column), fragment, params);
	build_opening(fragment, tree.proof(index), &tags, indices, params)
		.expect("consistent fragment, tree and tags")
		.to_bytes()
}
