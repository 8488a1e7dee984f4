//! The generation check: once per batch, from randomness drawn after the batch root is on chain,
//! sampled `(file, layer, node)` labels are opened with their parents; the runtime recomputes
//! each sampled label from its parents and checks every opening against the layer roots, the
//! roots against the file commitment and the file commitments against the batch root.
//!
//! # Samples
//!
//! Sample `j` is drawn from `h = H_gdraw(seed ‖ le32(j))`: file `le128(h[0..16]) mod count`,
//! layer `1 + j` for `j < L` and `L` for `j ≥ L` (the first `L` samples cover every layer once,
//! the rest check the last layer, the one the miner keeps and the space rounds cannot check),
//! node `le64(h[16..24]) >> (64 − log2 N)`. The seed is [`generation_seed`]`(randomness, batch
//! root)`.
//!
//! # Canonical order
//!
//! The distinct samples, sorted by `(file, layer, node)`. Per file, ascending: first the `L`
//! layer roots (`root_1..root_L`) from the hash list; then for `l = 1..=L`, layer `l`'s **known
//! labels** are its sampled nodes (recomputed from their parents: layer 0 parents from the seed,
//! others from layer `l − 1`'s known labels) and the distinct parents of layer `l + 1`'s sampled
//! nodes (**supplied**: the next labels of the proof's label list, ascending by index; where one
//! is also a sampled node the two must be equal). If layer `l` has known labels they are climbed
//! (as PoDR²'s multiproof, `N` leaves) to the top, which must equal `root_l`. Then the file's
//! commitment `H_file(root_L ‖ H_lower(root_1 ‖ … ‖ root_{L−1}))`. After all files, their
//! commitments are climbed in the batch tree and the batch root checked.
//!
//! # Bytes
//!
//! `le16(n) ‖ n × label(32) ‖ le16(h) ‖ h × hash(32)`: the supplied labels, then the roots and
//! siblings in the order they are consumed. Every label and hash must be used.

use super::commit::{file_commitment, BatchTree, IdleBatch, LayerTree, LayerView};
use super::graph::parents;
use super::hash::{batch_finalize, file_seed, hash, label_from_parents, layer0_label, Domain};
use super::label::{layer0, next_layer};
use super::params::{IdleParams, Label, LABEL_BYTES, MAX_DEGREE};
use super::{IdleError, ProveError};
use crate::decode::{DecodeError, Reader};
use crate::multiproof::{climb_many, emit_many, runs};
use crate::types::Hash256;
use alloc::vec::Vec;
#[cfg(feature = "codec")]
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
#[cfg(feature = "codec")]
use scale_info::TypeInfo;

/// Default samples per batch: one per layer at the default 12 layers and two more in the last
/// layer (`docs/idle-space.md`: at most 64 KiB per batch).
pub const DEFAULT_GENERATION_SAMPLES: u32 = 14;
/// Most samples one check may have.
pub const MAX_GENERATION_SAMPLES: usize = 256;
/// Most supplied labels a proof may carry.
pub const MAX_GENERATION_LABELS: usize = MAX_GENERATION_SAMPLES * MAX_DEGREE as usize;
/// Most bytes a generation proof can have.
pub const MAX_GENERATION_PROOF_BYTES: usize =
	2 + MAX_GENERATION_LABELS * LABEL_BYTES + 2 + 32 * u16::MAX as usize;

/// One sampled label of a generation check: file `file` of the batch (0-based), layer
/// `1..=L`, node `0..N`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(
	feature = "codec",
	derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)
)]
pub struct GenSample {
	/// File within the batch.
	pub file: u32,
	/// Layer, `1..=L`.
	pub layer: u32,
	/// Node, `0..N`.
	pub node: u32,
}

/// The seed of a batch's generation check.
pub fn generation_seed(randomness: &Hash256, batch_root: &Hash256) -> Hash256 {
	hash(Domain::CheckSeed, &[randomness, batch_root])
}

/// The `samples` samples of the generation check of a batch of `count` files (see the module
/// docs); empty if the parameters or `count` are out of range.
pub fn generation_challenge(
	params: &IdleParams,
	seed: &Hash256,
	count: u32,
	samples: u32,
) -> Vec<GenSample> {
	if !params.is_valid() || count == 0 {
		return Vec::new();
	}
	let shift = 64 - u32::from(params.layer_labels_log2);
	(0..samples)
		.map(|j| {
			let h = hash(Domain::CheckDraw, &[seed, &j.to_le_bytes()]);
			let x = u128::from_le_bytes(h[..16].try_into().expect("16 bytes"));
			let y = u64::from_le_bytes(h[16..24].try_into().expect("8 bytes"));
			GenSample {
				file: (x % u128::from(count)) as u32,
				layer: (1 + j).min(u32::from(params.layers)),
				node: (y >> shift) as u32,
			}
		})
		.collect()
}

/// The distinct samples in canonical order; `None` if any is out of range or there are none or
/// too many.
fn targets(params: &IdleParams, count: u32, samples: &[GenSample]) -> Option<Vec<GenSample>> {
	if !params.is_valid() || samples.is_empty() || samples.len() > MAX_GENERATION_SAMPLES {
		return None;
	}
	let ok = |s: &GenSample| {
		s.file < count
			&& s.layer >= 1
			&& s.layer <= u32::from(params.layers)
			&& u64::from(s.node) < params.labels()
	};
	if !samples.iter().all(ok) {
		return None;
	}
	let mut t = samples.to_vec();
	t.sort_unstable();
	t.dedup();
	Some(t)
}

/// Sampled nodes of layer `l` in a file's run (ascending).
fn sampled(run: &[GenSample], l: u32) -> impl Iterator<Item = u32> + '_ {
	run.iter().filter(move |s| s.layer == l).map(|s| s.node)
}

/// Distinct parents (ascending) of layer `l + 1`'s sampled nodes: the labels supplied for
/// layer `l`.
fn needed(params: &IdleParams, run: &[GenSample], l: u32) -> Vec<u32> {
	let mut v: Vec<u32> = sampled(run, l + 1).flat_map(|n| parents(params, l + 1, n)).collect();
	v.sort_unstable();
	v.dedup();
	v
}

/// Checks the generation proof of `batch` (declared by `miner` on the chain with genesis
/// `genesis`) against `samples` (the chain's draw, see [`generation_challenge`]).
pub fn verify_generation(
	params: &IdleParams,
	miner: &[u8; 32],
	genesis: &Hash256,
	batch: &IdleBatch,
	samples: &[GenSample],
	proof: &[u8],
) -> Result<(), IdleError> {
	if !params.is_valid() {
		return Err(IdleError::BadParams);
	}
	if samples.is_empty() {
		return Err(IdleError::NoSamples);
	}
	if !batch.is_well_formed() {
		return Err(IdleError::BadSample);
	}
	let targets = targets(params, batch.count, samples).ok_or(IdleError::BadSample)?;
	let mut r = Reader::new(proof);
	let n = usize::from(r.u16().map_err(IdleError::Decode)?);
	if n > MAX_GENERATION_LABELS {
		return Err(IdleError::Decode(DecodeError::BadLength));
	}
	let raw_labels = r.take(n * LABEL_BYTES).map_err(IdleError::Decode)?;
	let h = usize::from(r.u16().map_err(IdleError::Decode)?);
	let raw = r.take(32 * h).map_err(IdleError::Decode)?;
	r.finish().map_err(IdleError::Decode)?;
	let as_hash = |c: &[u8]| -> Hash256 { c.try_into().expect("32 bytes") };
	let mut labels = raw_labels.chunks_exact(LABEL_BYTES).map(as_hash);
	let mut hashes = raw.chunks_exact(32).map(as_hash);
	let d = usize::from(params.degree);
	let mut files = Vec::new();
	for run in runs(&targets, |t| t.file) {
		let f = run[0].file;
		let roots: Vec<Hash256> = (0..params.layers)
			.map(|_| hashes.next())
			.collect::<Option<_>>()
			.ok_or(IdleError::MissingHashes)?;
		let seed = file_seed(miner, batch.first + u64::from(f), genesis);
		// Known labels of the layer below, sorted by index.
		let mut prev: Vec<(u64, Label)> = Vec::new();
		for l in 1..=u32::from(params.layers) {
			let supplied = needed(params, run, l);
			let mut known: Vec<(u64, Label)> = Vec::new();
			for node in sampled(run, l) {
				let mut ps = [[0u8; 32]; MAX_DEGREE as usize];
				for (slot, p) in ps.iter_mut().zip(parents(params, l, node)) {
					*slot = if l == 1 {
						layer0_label(&seed, p)
					} else {
						let k = prev
							.binary_search_by_key(&u64::from(p), |k| k.0)
							.map_err(|_| IdleError::BadSample)?;
						prev[k].1
					};
				}
				known.push((u64::from(node), label_from_parents(&seed, l, node, &ps[..d])));
			}
			for p in supplied {
				let lbl = labels.next().ok_or(IdleError::LabelCount)?;
				match known.binary_search_by_key(&u64::from(p), |k| k.0) {
					Ok(k) if known[k].1 != lbl => return Err(IdleError::ParentConflict),
					Ok(_) => {},
					Err(k) => known.insert(k, (u64::from(p), lbl)),
				}
			}
			if !known.is_empty() {
				let top = climb_many(known.clone(), params.labels(), &mut hashes)?;
				if top != roots[l as usize - 1] {
					return Err(IdleError::InconsistentLabel);
				}
			}
			prev = known;
		}
		files.push((u64::from(f), file_commitment(&roots)));
	}
	if labels.next().is_some() {
		return Err(IdleError::LabelCount);
	}
	let top = climb_many(files, u64::from(batch.count), &mut hashes)?;
	if batch_finalize(params, batch.first, batch.count, &top) != batch.root {
		return Err(IdleError::RootMismatch);
	}
	if hashes.next().is_some() {
		return Err(IdleError::TrailingHashes);
	}
	Ok(())
}

/// The length in bytes of the generation proof of `samples` for a batch of `count` files (what
/// [`prove_generation`] returns, computed without any label): for weights and size budgets.
/// `None` if the samples are malformed.
pub fn generation_proof_len(
	params: &IdleParams,
	count: u32,
	samples: &[GenSample],
) -> Option<usize> {
	let targets = targets(params, count, samples)?;
	let (mut labels, mut hashes) = (0, 0);
	let mut files = Vec::new();
	for run in runs(&targets, |t| t.file) {
		hashes += usize::from(params.layers);
		for l in 1..=u32::from(params.layers) {
			let supplied = needed(params, run, l);
			labels += supplied.len();
			let mut known: Vec<u64> = sampled(run, l).chain(supplied).map(u64::from).collect();
			known.sort_unstable();
			known.dedup();
			if !known.is_empty() {
				hashes += crate::multiproof::siblings_taken(known, params.labels());
			}
		}
		files.push(u64::from(run[0].file));
	}
	hashes += crate::multiproof::siblings_taken(files, u64::from(count));
	Some(4 + 32 * (labels + hashes))
}

/// Builds the generation proof of `samples` over the batch `tree`. `layer_of(file, layer)` gives
/// the tree of layer `layer` (`N` labels) of file `file` of the batch; it is called for `layer =
/// 1..=L` in this order for each sampled file, files ascending ([`Regenerate`] recomputes them
/// from the seeds, which is what a miner that kept only last layers does).
pub fn prove_generation<E, L: LayerView>(
	params: &IdleParams,
	tree: &BatchTree,
	samples: &[GenSample],
	mut layer_of: impl FnMut(u32, u32) -> Result<L, E>,
) -> Result<Vec<u8>, ProveError<E>> {
	let targets = targets(params, tree.count(), samples).ok_or(ProveError::BadSamples)?;
	let mut out_labels: Vec<Label> = Vec::new();
	let mut hashes: Vec<Hash256> = Vec::new();
	let mut files = Vec::new();
	let mut batch_paths = Vec::new();
	for run in runs(&targets, |t| t.file) {
		let f = run[0].file;
		let mut roots = Vec::with_capacity(usize::from(params.layers));
		let mut siblings = Vec::new();
		for l in 1..=u32::from(params.layers) {
			let layer = layer_of(f, l).map_err(ProveError::Source)?;
			if layer.labels() != params.labels() {
				return Err(ProveError::BadSource);
			}
			roots.push(layer.root());
			let supplied = needed(params, run, l);
			for &p in &supplied {
				out_labels.push(layer.label(p).ok_or(ProveError::BadSource)?);
			}
			let mut known: Vec<u32> = sampled(run, l).chain(supplied).collect();
			known.sort_unstable();
			known.dedup();
			if known.is_empty() {
				continue;
			}
			let paths: Vec<Vec<Hash256>> = known
				.iter()
				.map(|&i| layer.path(i).ok_or(ProveError::BadSource))
				.collect::<Result<_, _>>()?;
			let with: Vec<(u64, &[Hash256], usize)> =
				known.iter().zip(&paths).map(|(&i, p)| (u64::from(i), &p[..], 0)).collect();
			emit_many(with, params.labels(), &mut siblings).ok_or(ProveError::BadSource)?;
		}
		if Some(file_commitment(&roots)) != tree.commitment(f) {
			return Err(ProveError::BadSource);
		}
		hashes.extend(roots);
		hashes.extend(siblings);
		files.push(u64::from(f));
		batch_paths.push(tree.path(f).ok_or(ProveError::BadSource)?);
	}
	let with: Vec<(u64, &[Hash256], usize)> =
		files.iter().zip(&batch_paths).map(|(&f, p)| (f, &p[..], 0)).collect();
	emit_many(with, u64::from(tree.count()), &mut hashes).ok_or(ProveError::BadSource)?;
	if out_labels.len() > MAX_GENERATION_LABELS {
		return Err(ProveError::TooLarge);
	}
	let h = u16::try_from(hashes.len()).map_err(|_| ProveError::TooLarge)?;
	let mut out = Vec::with_capacity(4 + 32 * (out_labels.len() + hashes.len()));
	out.extend_from_slice(&(out_labels.len() as u16).to_le_bytes());
	for l in &out_labels {
		out.extend_from_slice(l);
	}
	out.extend_from_slice(&h.to_le_bytes());
	for s in &hashes {
		out.extend_from_slice(s);
	}
	Ok(out)
}

/// The honest source of layers for [`prove_generation`]: recomputes file `k` of a batch from its
/// seed, keeping one layer between calls (so ascending calls cost one layer each).
#[derive(Clone, Debug)]
pub struct Regenerate {
	params: IdleParams,
	miner: [u8; 32],
	genesis: Hash256,
	first: u64,
	#[cfg(feature = "std")]
	threads: usize,
	cache: Option<(u32, u32, Vec<Label>)>,
}

impl Regenerate {
	/// The layers of the batch of `miner`'s files `first..` on the chain with genesis `genesis`.
	pub fn new(params: &IdleParams, miner: &[u8; 32], genesis: &Hash256, first: u64) -> Self {
		Self {
			params: *params,
			miner: *miner,
			genesis: *genesis,
			first,
			#[cfg(feature = "std")]
			threads: 1,
			cache: None,
		}
	}

	/// Recompute on `threads` threads.
	#[cfg(feature = "std")]
	pub fn with_threads(mut self, threads: usize) -> Self {
		self.threads = threads.max(1);
		self
	}

	fn step(
		&self,
		seed: &Hash256,
		l: u32,
		prev: &[Label],
		out: &mut [Label],
	) -> Result<(), IdleError> {
		#[cfg(feature = "std")]
		if self.threads > 1 {
			return super::label::next_layer_parallel(
				&self.params,
				seed,
				l,
				prev,
				out,
				self.threads,
			);
		}
		next_layer(&self.params, seed, l, prev, out)
	}

	/// The tree of layer `layer` of file `file` of the batch (the source [`prove_generation`]
	/// asks for).
	pub fn layer_tree(&mut self, file: u32, layer: u32) -> Result<LayerTree, IdleError> {
		self.layer(file, layer).map(|labels| LayerTree::new(&labels))
	}

	/// Layer `layer` of file `file` of the batch.
	pub fn layer(&mut self, file: u32, layer: u32) -> Result<Vec<Label>, IdleError> {
		let seed = file_seed(&self.miner, self.first.wrapping_add(u64::from(file)), &self.genesis);
		let n = self.params.labels() as usize;
		let (mut at, mut cur) = match self.cache.take() {
			Some((f, l, labels)) if f == file && l <= layer => (l, labels),
			_ => {
				let mut l0 = alloc::vec![[0u8; 32]; n];
				layer0(&self.params, &seed, &mut l0)?;
				(0, l0)
			},
		};
		let mut next = alloc::vec![[0u8; 32]; n];
		while at < layer {
			at += 1;
			self.step(&seed, at, &cur, &mut next)?;
			core::mem::swap(&mut cur, &mut next);
		}
		self.cache = Some((file, at, cur.clone()));
		Ok(cur)
	}
}
