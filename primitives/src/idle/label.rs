//! Generation: layer 0 from the seed, each next layer from the previous one, in buffers the
//! caller provides (so generation can stop and resume at any layer), several labels at a time
//! on BLAKE2b's SIMD lanes (labels within a layer are independent). With `std`, the same split
//! over scoped threads. A miner keeps only the last layer and the layer roots.

use super::commit::{file_commitment, layer_root};
use super::graph::parents;
use super::hash::{digest, Domain};
use super::params::{IdleParams, Label, LABEL_BYTES};
use super::IdleError;
use crate::types::Hash256;
use alloc::vec::Vec;
use blake2b_simd::many::{hash_many, HashManyJob};

/// Labels hashed per `hash_many` call (the lanes are filled from this many jobs).
const BATCH: usize = 64;

fn check(
	params: &IdleParams,
	layer: u32,
	prev: Option<&[Label]>,
	out: &[Label],
) -> Result<(), IdleError> {
	if !params.is_valid() || layer > u32::from(params.layers) {
		return Err(IdleError::BadParams);
	}
	let n = params.labels();
	if out.len() as u64 != n || prev.is_some_and(|p| p.len() as u64 != n) {
		return Err(IdleError::BadParams);
	}
	Ok(())
}

/// Layer 0 of the file with `seed` into `out` (`N` labels).
pub fn layer0(params: &IdleParams, seed: &Hash256, out: &mut [Label]) -> Result<(), IdleError> {
	check(params, 0, None, out)?;
	layer0_range(seed, out, 0);
	Ok(())
}

/// Labels `start..start + out.len()` of layer 0.
fn layer0_range(seed: &Hash256, out: &mut [Label], start: u32) {
	let hp = Domain::Label.params();
	let mut buf = alloc::vec![0u8; BATCH * 44];
	for (c, chunk) in out.chunks_mut(BATCH).enumerate() {
		for (k, input) in buf.chunks_exact_mut(44).take(chunk.len()).enumerate() {
			let node = start + (c * BATCH + k) as u32;
			input[..32].copy_from_slice(seed);
			input[32..36].copy_from_slice(&0u32.to_le_bytes());
			input[36..44].copy_from_slice(&u64::from(node).to_le_bytes());
		}
		let mut jobs: Vec<HashManyJob> =
			buf.chunks_exact(44).take(chunk.len()).map(|i| HashManyJob::new(&hp, i)).collect();
		hash_many(jobs.iter_mut());
		for (o, j) in chunk.iter_mut().zip(&jobs) {
			*o = digest(j.to_hash());
		}
	}
}

/// Layer `layer ≥ 1` of the file with `seed` into `out`, from layer `layer − 1` in `prev` (both
/// `N` labels).
pub fn next_layer(
	params: &IdleParams,
	seed: &Hash256,
	layer: u32,
	prev: &[Label],
	out: &mut [Label],
) -> Result<(), IdleError> {
	if layer == 0 {
		return Err(IdleError::BadParams);
	}
	check(params, layer, Some(prev), out)?;
	next_layer_range(params, seed, layer, prev, out, 0);
	Ok(())
}

/// Labels `start..start + out.len()` of layer `layer ≥ 1`.
fn next_layer_range(
	params: &IdleParams,
	seed: &Hash256,
	layer: u32,
	prev: &[Label],
	out: &mut [Label],
	start: u32,
) {
	let hp = Domain::Label.params();
	let len = params.label_input_bytes();
	let mut buf = alloc::vec![0u8; BATCH * len];
	for (c, chunk) in out.chunks_mut(BATCH).enumerate() {
		for (k, input) in buf.chunks_exact_mut(len).take(chunk.len()).enumerate() {
			let node = start + (c * BATCH + k) as u32;
			input[..32].copy_from_slice(seed);
			input[32..36].copy_from_slice(&layer.to_le_bytes());
			input[36..44].copy_from_slice(&u64::from(node).to_le_bytes());
			for (slot, p) in
				input[44..].chunks_exact_mut(LABEL_BYTES).zip(parents(params, layer, node))
			{
				slot.copy_from_slice(&prev[p as usize]);
			}
		}
		let mut jobs: Vec<HashManyJob> =
			buf.chunks_exact(len).take(chunk.len()).map(|i| HashManyJob::new(&hp, i)).collect();
		hash_many(jobs.iter_mut());
		for (o, j) in chunk.iter_mut().zip(&jobs) {
			*o = digest(j.to_hash());
		}
	}
}

/// [`next_layer`] split over `threads` scoped threads (each takes a contiguous range of `out`).
#[cfg(feature = "std")]
pub fn next_layer_parallel(
	params: &IdleParams,
	seed: &Hash256,
	layer: u32,
	prev: &[Label],
	out: &mut [Label],
	threads: usize,
) -> Result<(), IdleError> {
	if layer == 0 {
		return Err(IdleError::BadParams);
	}
	check(params, layer, Some(prev), out)?;
	let per = out.len().div_ceil(threads.max(1)).max(1);
	std::thread::scope(|s| {
		for (t, chunk) in out.chunks_mut(per).enumerate() {
			s.spawn(move || next_layer_range(params, seed, layer, prev, chunk, (t * per) as u32));
		}
	});
	Ok(())
}

/// What a miner keeps of one idle file: the last layer and the roots of layers `1..=L`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GeneratedFile {
	/// Layer `L`, `N` labels.
	pub last: Vec<Label>,
	/// The roots of layers `1..=L` (`roots[l − 1]` is layer `l`'s).
	pub roots: Vec<Hash256>,
}

impl GeneratedFile {
	/// The file's commitment (its leaf in the batch tree).
	pub fn commitment(&self) -> Hash256 {
		file_commitment(&self.roots)
	}
}

/// Generates the idle file with `seed` on one thread (two layers in memory).
pub fn generate(params: &IdleParams, seed: &Hash256) -> Result<GeneratedFile, IdleError> {
	generate_with(params, seed, |l, prev, out| next_layer(params, seed, l, prev, out), layer_root)
}

/// Generates the idle file with `seed` on `threads` threads (two layers in memory).
#[cfg(feature = "std")]
pub fn generate_parallel(
	params: &IdleParams,
	seed: &Hash256,
	threads: usize,
) -> Result<GeneratedFile, IdleError> {
	generate_with(
		params,
		seed,
		|l, prev, out| next_layer_parallel(params, seed, l, prev, out, threads),
		|labels| super::commit::layer_root_parallel(labels, threads),
	)
}

fn generate_with(
	params: &IdleParams,
	seed: &Hash256,
	mut step: impl FnMut(u32, &[Label], &mut [Label]) -> Result<(), IdleError>,
	root: impl Fn(&[Label]) -> Hash256,
) -> Result<GeneratedFile, IdleError> {
	if !params.is_valid() {
		return Err(IdleError::BadParams);
	}
	let n = params.labels() as usize;
	let mut prev = alloc::vec![[0u8; 32]; n];
	let mut next = alloc::vec![[0u8; 32]; n];
	layer0(params, seed, &mut prev)?;
	let mut roots = Vec::with_capacity(usize::from(params.layers));
	for l in 1..=u32::from(params.layers) {
		step(l, &prev, &mut next)?;
		roots.push(root(&next));
		core::mem::swap(&mut prev, &mut next);
	}
	Ok(GeneratedFile { last: prev, roots })
}

#[cfg(test)]
mod tests {
	use super::super::hash::{label_from_parents, layer0_label};
	use super::*;

	const P: IdleParams = IdleParams { layer_labels_log2: 8, layers: 3, degree: 5 };

	#[test]
	fn batched_layers_match_one_label_at_a_time() {
		let seed = [7u8; 32];
		let n = P.labels() as usize;
		let mut l0 = alloc::vec![[0u8; 32]; n];
		layer0(&P, &seed, &mut l0).unwrap();
		for (i, l) in l0.iter().enumerate() {
			assert_eq!(*l, layer0_label(&seed, i as u32));
		}
		let mut l1 = alloc::vec![[0u8; 32]; n];
		next_layer(&P, &seed, 1, &l0, &mut l1).unwrap();
		for (i, l) in l1.iter().enumerate() {
			let ps: Vec<Label> = parents(&P, 1, i as u32).map(|p| l0[p as usize]).collect();
			assert_eq!(*l, label_from_parents(&seed, 1, i as u32, &ps));
		}
		#[cfg(feature = "std")]
		for threads in [1, 2, 3, 7] {
			let mut par = alloc::vec![[0u8; 32]; n];
			next_layer_parallel(&P, &seed, 1, &l0, &mut par, threads).unwrap();
			assert_eq!(par, l1);
			assert_eq!(generate_parallel(&P, &seed, threads), generate(&P, &seed));
		}
	}

	#[test]
	fn bad_shapes_are_refused() {
		let seed = [0u8; 32];
		let mut short = alloc::vec![[0u8; 32]; 10];
		assert_eq!(layer0(&P, &seed, &mut short), Err(IdleError::BadParams));
		let full = alloc::vec![[0u8; 32]; 256];
		let mut out = alloc::vec![[0u8; 32]; 256];
		assert_eq!(next_layer(&P, &seed, 0, &full, &mut out), Err(IdleError::BadParams));
		assert_eq!(next_layer(&P, &seed, 4, &full, &mut out), Err(IdleError::BadParams));
		assert_eq!(next_layer(&P, &seed, 1, &short, &mut out), Err(IdleError::BadParams));
		let bad = IdleParams { degree: 0, ..P };
		assert_eq!(generate(&bad, &seed), Err(IdleError::BadParams));
	}
}
