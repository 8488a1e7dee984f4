//! Tagging: `σ_i = x · (H(name ‖ le64(i)) + Σ_j m_ij · u_j)` for every PoDR² block `i` of a
//! fragment (std; parallel over cores with rayon).
//!
//! The sum `Σ_j m_ij u_j` is computed by the crate-private `fast_msm` module over batches of
//! blocks with key-independent, process-wide cached tables (built once per `(s, w)`; about 50 MB
//! and about a second at `s = 64, w = 14`). The secret `x` is applied last with blst's
//! constant-time (GLV) scalar multiplication, so no secret-dependent table lookups happen.

use super::curve;
use super::encoding::Tag;
use super::fast_msm::{Acc, FixedBaseTable, Scratch};
use super::keys::SecretKey;
use super::params::{h_message, Params, DST_H};
use crate::types::{Hash256, SECTOR_BYTES};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Target table size per `(s, w)`; the window is the largest `w ≤ 14` within it.
const TABLE_BUDGET_BYTES: usize = 52 << 20;
/// Blocks per batch ≈ this / s: the lanes of one batch share the Horner-phase inversions.
const SECTORS_PER_BATCH: usize = 8192;

/// The default tagging window for `s` sectors per block.
pub fn default_window(s: usize) -> usize {
	let entry = core::mem::size_of::<blst::blst_p1_affine>();
	(2..=14).rev().find(|&w| s * (1usize << (w - 1)) * entry <= TABLE_BUDGET_BYTES).unwrap_or(2)
}

/// Process-wide cache of fixed-base tables of the generators, by `(s, w)`.
pub(crate) fn generator_table(s: usize, w: usize) -> Arc<FixedBaseTable> {
	type Cache = Mutex<HashMap<(usize, usize), Arc<FixedBaseTable>>>;
	static CACHE: OnceLock<Cache> = OnceLock::new();
	let cache = CACHE.get_or_init(Default::default);
	if let Some(t) = cache.lock().expect("table cache").get(&(s, w)) {
		return t.clone();
	}
	// Build outside the lock so that users of other tables are not blocked meanwhile.
	let table = Arc::new(FixedBaseTable::new(&curve::generators(s), w));
	cache.lock().expect("table cache").entry((s, w)).or_insert(table).clone()
}

/// A reusable tagger for one key and one `s`. Holds the (shared) generator tables.
pub struct Tagger {
	sk: SecretKey,
	params: Params,
	table: Arc<FixedBaseTable>,
	blocks_per_batch: usize,
}

impl Tagger {
	/// A tagger with the default window for `params.s()`. The first tagger per `s` in a process
	/// builds the tables.
	pub fn new(sk: &SecretKey, params: Params) -> Self {
		Self::with_window(sk, params, default_window(params.sectors()))
	}

	/// A tagger with an explicit table window `w` (`2..=15`; benchmarks and tests).
	pub fn with_window(sk: &SecretKey, params: Params, w: usize) -> Self {
		let table = generator_table(params.sectors(), w);
		let blocks_per_batch = (SECTORS_PER_BATCH / params.sectors()).clamp(8, 256);
		Self { sk: sk.clone(), params, table, blocks_per_batch }
	}

	/// Sets how many blocks share one batched computation (tuning knob; default
	/// `clamp(8192 / s, 8, 256)`). More blocks amortize inversions better but use more cache.
	pub fn set_blocks_per_batch(&mut self, blocks: usize) {
		self.blocks_per_batch = blocks.clamp(1, 4096);
	}

	/// The parameters.
	pub fn params(&self) -> Params {
		self.params
	}

	/// The table window in use.
	pub fn window(&self) -> usize {
		self.table.window()
	}

	/// Memory held by the (shared) generator table.
	pub fn table_bytes(&self) -> usize {
		self.table.memory_bytes()
	}

	/// Tags every PoDR² block of `fragment` (the last block zero-padded), in parallel on the
	/// current rayon pool. Returns `params.blocks_in(fragment.len())` tags.
	pub fn tag_fragment(&self, name: &Hash256, fragment: &[u8]) -> Vec<Tag> {
		let bb = self.params.block_bytes();
		let batch_bytes = self.blocks_per_batch * bb;
		let batches: Vec<(usize, &[u8])> = fragment.chunks(batch_bytes).enumerate().collect();
		let per_batch: Vec<Vec<Tag>> = batches
			.into_par_iter()
			.map_init(Scratch::default, |sc, (k, chunk)| {
				self.tag_batch(name, (k * self.blocks_per_batch) as u64, chunk, sc)
			})
			.collect();
		per_batch.concat()
	}

	/// Tags the consecutive blocks in `chunk` (first index `first`) on the current thread.
	pub fn tag_blocks_single_thread(&self, name: &Hash256, first: u64, chunk: &[u8]) -> Vec<Tag> {
		let mut sc = Scratch::default();
		let bb = self.blocks_per_batch * self.params.block_bytes();
		let mut out = Vec::new();
		for (k, c) in chunk.chunks(bb).enumerate() {
			out.extend(self.tag_batch(
				name,
				first + (k * self.blocks_per_batch) as u64,
				c,
				&mut sc,
			));
		}
		out
	}

	fn tag_batch(&self, name: &Hash256, first: u64, chunk: &[u8], sc: &mut Scratch) -> Vec<Tag> {
		let bb = self.params.block_bytes();
		let n = chunk.len().div_ceil(bb);
		let padded;
		let data = if chunk.len() == n * bb {
			chunk
		} else {
			let mut v = chunk.to_vec();
			v.resize(n * bb, 0);
			padded = v;
			&padded[..]
		};
		let mut acc = self.table.msm_many(data, SECTOR_BYTES, 8 * SECTOR_BYTES, sc);
		let hs: Vec<blst::blst_p1> =
			(0..n as u64).map(|i| curve::hash_to_g1(&h_message(name, first + i), DST_H)).collect();
		let hs = curve::batch_to_affine(&hs);
		super::fast_msm::batch_add(&mut acc, hs.into_iter().enumerate(), sc);
		let sig: Vec<blst::blst_p1> = acc.iter().map(|a: &Acc| self.sk.mul(&a.to_p1())).collect();
		curve::batch_to_affine(&sig).iter().map(|p| Tag(curve::compress_affine(p))).collect()
	}
}

/// Tags every PoDR² block of `fragment` with `sk` (see [`Tagger::tag_fragment`]). Reuse a
/// [`Tagger`] when tagging many fragments.
pub fn tag_fragment(sk: &SecretKey, name: &Hash256, fragment: &[u8], params: Params) -> Vec<Tag> {
	Tagger::new(sk, params).tag_fragment(name, fragment)
}

/// Textbook tag of one block (`(H_i + Σ m_ij u_j)·x` with blst Pippenger), for tests and as the
/// reference the fast tagger must match byte for byte. `block` is zero-padded to `31·s` bytes.
pub fn tag_block_reference(
	sk: &SecretKey,
	name: &Hash256,
	index: u64,
	block: &[u8],
	params: Params,
) -> Tag {
	let mut b = block.to_vec();
	b.resize(params.block_bytes(), 0);
	let gens = curve::generators(params.sectors());
	// The block is s consecutive 31-byte little-endian scalars.
	let m = curve::msm(&gens, &b, 8 * SECTOR_BYTES);
	let h = curve::hash_to_g1(&h_message(name, index), DST_H);
	Tag(curve::compress(&sk.mul(&curve::add(&h, &m))))
}
