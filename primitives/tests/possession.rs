//! PoDR² v2 end to end: honest miners pass every round, provers without the data fail
//! (the forgery regressions of issue 16), detection at c = 16, byte-fair sampling.

use cess_primitives::layout::FileLayout;
use cess_primitives::possession::challenge::{challenge_seed, expand, Holding, Sample};
use cess_primitives::possession::hash::{leaf_hash, LEAF_BYTES};
use cess_primitives::possession::proof::{prove, verify, SamplePath, VerifyError};
use cess_primitives::possession::tree::{FileTree, FragmentTree};
use cess_primitives::types::{ErasureProfile, FileId, Hash256};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;

/// Deterministic bytes: the concatenated Blake2b-256(label ‖ le32(i)), i = 0, 1, ….
fn det_bytes(label: &[u8], len: usize) -> Vec<u8> {
	let mut out = Vec::with_capacity(len + 32);
	let mut i = 0u32;
	while out.len() < len {
		out.extend_from_slice(&cess_primitives::merkle::blake2_256(
			&[label, &i.to_le_bytes()].concat(),
		));
		i += 1;
	}
	out.truncate(len);
	out
}

/// A stored file: every fragment's bytes and tree, and the file tree.
struct File {
	layout: FileLayout,
	file_id: FileId,
	/// `[segment][column]`.
	fragments: Vec<Vec<Vec<u8>>>,
	trees: Vec<Vec<FragmentTree>>,
	file_tree: FileTree,
}

impl File {
	fn new(label: u32, size: u64, segment_size: u64, profile: ErasureProfile) -> Self {
		let layout = FileLayout::new(size, segment_size, profile).unwrap();
		let width = profile.total() as usize;
		let mut fragments = Vec::new();
		for seg in 0..layout.segment_count() {
			let len = layout.fragment_len(seg) as usize;
			let mut label_bytes = label.to_le_bytes().to_vec();
			label_bytes.extend_from_slice(&seg.to_le_bytes());
			fragments.push(
				(0..width)
					.map(|c| {
						let mut l = label_bytes.clone();
						l.push(c as u8);
						det_bytes(&l, len)
					})
					.collect::<Vec<_>>(),
			);
		}
		let trees: Vec<Vec<FragmentTree>> = fragments
			.iter()
			.map(|seg| seg.iter().map(|f| FragmentTree::new(f)).collect())
			.collect();
		let hashes: Vec<Hash256> = trees.iter().flatten().map(FragmentTree::root).collect();
		let file_tree = FileTree::new(&hashes);
		Self { layout, file_id: file_tree.root(), fragments, trees, file_tree }
	}

	fn leaf(&self, s: &Sample) -> [u8; LEAF_BYTES] {
		let f = &self.fragments[s.segment as usize][usize::from(s.column)];
		let start = s.offset() as usize;
		let end = (start + LEAF_BYTES).min(f.len());
		let mut leaf = [0u8; LEAF_BYTES];
		leaf[..end - start].copy_from_slice(&f[start..end]);
		leaf
	}

	fn path(&self, s: &Sample) -> SamplePath {
		let tree = &self.trees[s.segment as usize][usize::from(s.column)];
		SamplePath {
			leaf: self.leaf(s),
			fragment_path: tree.path(u64::from(s.leaf)).unwrap(),
			file_path: self.file_tree.path(s.fragment_index() as u32).unwrap(),
		}
	}
}

/// A miner's holdings as the chain's snapshot lists them: per class, in insertion order.
struct Miner {
	files: BTreeMap<FileId, File>,
	by_class: BTreeMap<u8, Vec<Holding>>,
}

impl Miner {
	fn new() -> Self {
		Self { files: BTreeMap::new(), by_class: BTreeMap::new() }
	}

	fn hold(&mut self, file: File, column: u16) {
		let h = Holding { file_id: file.file_id, column, layout: file.layout };
		self.by_class.entry(h.class().unwrap()).or_default().push(h);
		self.files.insert(file.file_id, file);
	}

	fn hold_layout(&mut self, h: Holding) {
		self.by_class.entry(h.class().unwrap()).or_default().push(h);
	}

	fn classes(&self) -> Vec<(u8, u32)> {
		self.by_class.iter().map(|(q, v)| (*q, v.len() as u32)).collect()
	}

	fn challenge(&self, round: u32) -> Vec<Sample> {
		let seed = challenge_seed(&[0x42; 32], round, &[0x11; 32]);
		expand(&seed, 16, &self.classes(), |q, i| self.by_class.get(&q)?.get(i as usize).copied())
	}

	fn prove_honestly(&self, samples: &[Sample]) -> Vec<u8> {
		prove(samples, |s| Ok::<_, Infallible>(self.files[&s.file_id].path(s))).unwrap()
	}
}

fn p21() -> ErasureProfile {
	ErasureProfile::new(2, 1)
}

/// A miner with a spread of file sizes (one to several segments, short last segments).
fn miner() -> Miner {
	let mut m = Miner::new();
	let sizes = [1u64, 300, 5_000, 70_000, 200_000, 333_333, 1 << 20, (1 << 20) + 12_345];
	for (i, size) in sizes.iter().enumerate() {
		m.hold(File::new(i as u32, *size, 256 << 10, p21()), (i % 3) as u16);
	}
	m
}

#[test]
fn honest_miner_passes_200_of_200_rounds() {
	let m = miner();
	for round in 1..=200 {
		let samples = m.challenge(round);
		assert_eq!(samples.len(), 16);
		let proof = m.prove_honestly(&samples);
		assert_eq!(verify(&samples, &proof), Ok(()), "round {round}");
		// Not a proof of another round's challenge.
		let next = m.challenge(round + 1000);
		assert!(verify(&next, &proof).is_err());
	}
}

#[test]
fn proof_size_at_c16_for_8_mib_fragments() {
	// 64 MiB, 32 MiB segments, 4 + 8: 8 MiB fragments, 24 of them in the file tree.
	let file = File::new(77, 64 << 20, 32 << 20, ErasureProfile::new(4, 8));
	let mut m = Miner::new();
	m.hold(file, 5);
	let mut worst = 0;
	for round in 0..20 {
		let samples = m.challenge(round);
		let proof = m.prove_honestly(&samples);
		assert_eq!(verify(&samples, &proof), Ok(()));
		worst = worst.max(proof.len());
	}
	assert!(worst <= 18 * 1024, "proof of {worst} bytes");
	println!("largest proof over 20 rounds at c = 16, 8 MiB fragments: {worst} bytes");
}

/// Every byte of an honest proof matters, and no reshaping of it verifies.
#[test]
fn tampered_proofs_fail() {
	let m = miner();
	let samples = m.challenge(7);
	let proof = m.prove_honestly(&samples);
	for i in (0..proof.len()).step_by(3) {
		let mut bad = proof.clone();
		bad[i] ^= 0x10;
		assert!(verify(&samples, &bad).is_err(), "flipped byte {i}");
	}
	for cut in [0, 1, 2, proof.len() / 2, proof.len() - 32, proof.len() - 1] {
		assert!(verify(&samples, &proof[..cut]).is_err());
	}
	let mut long = proof.clone();
	long.extend_from_slice(&[0; 32]);
	assert!(verify(&samples, &long).is_err());
	// Swapping two leaves.
	let mut swapped = proof.clone();
	let (a, b) = (2, 2 + LEAF_BYTES);
	let first: Vec<u8> = swapped[a..b].to_vec();
	swapped.copy_within(b..b + LEAF_BYTES, a);
	swapped[b..b + LEAF_BYTES].copy_from_slice(&first);
	assert!(verify(&samples, &swapped).is_err());
	assert_eq!(verify(&[], &proof), Err(VerifyError::NoSamples));
	// A challenge that names a leaf past the fragment is refused, not panicked on.
	let mut odd = samples.clone();
	odd[0].leaf = u32::MAX;
	assert_eq!(verify(&odd, &proof), Err(VerifyError::BadSample));
}

/// The v1 attack shape: a prover with every public value (file ids, layouts, fragment hashes,
/// the challenge) and every secret it could have (there are none) but not the data. It answers
/// with leaves it makes up and the paths that would fit them.
#[test]
fn prover_without_the_data_fails() {
	let m = miner();
	for round in 0..50 {
		let samples = m.challenge(round);
		for fill in [0u8, 0xff] {
			let proof = prove(&samples, |s| {
				let f = &m.files[&s.file_id];
				// A tree over made-up data of the right shape, and the true file-tree path
				// (public: fragment hashes can be learnt from anyone who downloads).
				let fake = vec![fill; s.fragment_len as usize];
				let tree = FragmentTree::new(&fake);
				Ok::<_, Infallible>(SamplePath {
					leaf: [fill; LEAF_BYTES],
					fragment_path: tree.path(u64::from(s.leaf)).unwrap(),
					file_path: f.file_tree.path(s.fragment_index() as u32).unwrap(),
				})
			})
			.unwrap();
			assert_eq!(verify(&samples, &proof), Err(VerifyError::RootMismatch));
		}
	}
}

/// A miner that kept only the upper levels of its trees (from level 4: one node per 16 leaves)
/// knows every sibling from level 4 up, but must make up the leaf and the lower siblings.
#[test]
fn prover_with_only_upper_levels_fails() {
	let m = miner();
	for round in 0..50 {
		let samples = m.challenge(round);
		let proof = prove(&samples, |s| {
			let f = &m.files[&s.file_id];
			let tree = &f.trees[s.segment as usize][usize::from(s.column)];
			let upper = tree.upper_levels(4);
			let true_path = tree.path(u64::from(s.leaf)).unwrap();
			// Lower siblings from a made-up chunk, upper ones from what it kept.
			let r = upper.chunk_range(u64::from(s.leaf));
			let made_up = FragmentTree::new(&vec![0u8; (r.end - r.start) as usize]);
			let within = u64::from(s.leaf) - r.start / LEAF_BYTES as u64;
			let mut path = made_up.path(within).unwrap();
			let lower = path.len();
			path.extend_from_slice(&true_path[lower..]);
			Ok::<_, Infallible>(SamplePath {
				leaf: [0; LEAF_BYTES],
				fragment_path: path,
				file_path: f.file_tree.path(s.fragment_index() as u32).unwrap(),
			})
		})
		.unwrap();
		assert_eq!(verify(&samples, &proof), Err(VerifyError::RootMismatch));
	}
}

/// A miner that kept the hash of every leaf, but not the leaves: every sibling is right, the
/// leaf bytes are not (the format takes leaf bytes, never a leaf hash).
#[test]
fn prover_with_every_leaf_hash_but_no_leaves_fails() {
	let m = miner();
	for round in 0..50 {
		let samples = m.challenge(round);
		let proof = prove(&samples, |s| {
			let mut p = m.files[&s.file_id].path(s);
			// What it can put where the leaf goes: its hash, or anything else.
			let h = leaf_hash(&p.leaf);
			p.leaf = [0; LEAF_BYTES];
			p.leaf[..32].copy_from_slice(&h);
			Ok::<_, Infallible>(p)
		})
		.unwrap();
		assert_eq!(verify(&samples, &proof), Err(VerifyError::RootMismatch));
	}
}

/// A miner missing 10 % of its leaves fails at least 75 % of 200 rounds at c = 16 (expected
/// `1 − 0.9^16 ≈ 81.5 %`).
#[test]
fn missing_ten_percent_fails_most_rounds() {
	let m = miner();
	// Lose every leaf whose (file, segment, column, leaf) hashes below 10 %.
	let lost = |s: &Sample| {
		let key = cess_primitives::merkle::blake2_256(
			&[
				&s.file_id[..],
				&s.segment.to_le_bytes(),
				&s.column.to_le_bytes(),
				&s.leaf.to_le_bytes(),
			]
			.concat(),
		);
		u64::from_le_bytes(key[..8].try_into().unwrap()) < u64::MAX / 10
	};
	let mut failed = 0;
	for round in 1..=200 {
		let samples = m.challenge(round);
		let proof = prove(&samples, |s| {
			let mut p = m.files[&s.file_id].path(s);
			if lost(s) {
				p.leaf = [0; LEAF_BYTES];
			}
			Ok::<_, Infallible>(p)
		})
		.unwrap();
		if verify(&samples, &proof).is_err() {
			failed += 1;
		}
	}
	println!("missing 10 %: failed {failed} of 200 rounds");
	assert!(failed >= 150, "failed only {failed} of 200 rounds");
}

/// Samples fall on holdings in proportion to their leaves (bytes), however the data is split:
/// one 1 GiB column beside 1 000 tiny ones, and a 1 MiB column beside 1 000 small ones.
#[test]
fn sampling_is_byte_fair() {
	for (big, tiny) in [(2u64 << 30, 1_000u64), (2 << 20, 2_000)] {
		let mut m = Miner::new();
		let layout = |size| FileLayout::new(size, 32 << 20, p21()).unwrap();
		let mut id = 0u32;
		let mut next = |size| {
			id += 1;
			let mut file_id = [0u8; 32];
			file_id[..4].copy_from_slice(&id.to_le_bytes());
			Holding { file_id, column: 0, layout: layout(size) }
		};
		let big_h = next(big);
		m.hold_layout(big_h);
		for _ in 0..1000 {
			m.hold_layout(next(tiny));
		}
		let big_leaves = big_h.leaves() as f64;
		let tiny_leaves =
			m.by_class.values().flatten().map(|h| h.leaves()).sum::<u64>() as f64 - big_leaves;
		let expected = tiny_leaves / (tiny_leaves + big_leaves);
		let rounds = 20_000;
		let mut on_tiny = 0u64;
		for round in 0..rounds {
			on_tiny +=
				m.challenge(round).iter().filter(|s| s.file_id != big_h.file_id).count() as u64;
		}
		let n = f64::from(rounds) * 16.0;
		let observed = on_tiny as f64 / n;
		let sd = (expected * (1.0 - expected) / n).sqrt();
		println!("big {big} B, 1000 × {tiny} B: tiny share {observed:.6}, expected {expected:.6} (sd {sd:.6})");
		assert!(
			(observed - expected).abs() <= 5.0 * sd + 1e-9,
			"observed {observed}, expected {expected}"
		);
	}
}

/// Within and across classes, every holding's share of samples matches its share of leaves.
#[test]
fn every_holding_gets_its_share() {
	let mut m = Miner::new();
	let sizes: Vec<u64> = (0..40u64).map(|i| 1_000 + i * i * 7_919 + (i % 5) * 100_000).collect();
	let mut ids = Vec::new();
	for (i, size) in sizes.iter().enumerate() {
		let mut file_id = [0u8; 32];
		file_id[..4].copy_from_slice(&(i as u32).to_le_bytes());
		let h = Holding {
			file_id,
			column: 1,
			layout: FileLayout::new(*size, 32 << 20, p21()).unwrap(),
		};
		ids.push((file_id, h.leaves()));
		m.hold_layout(h);
	}
	let total: u64 = ids.iter().map(|x| x.1).sum();
	let mut hits: BTreeMap<FileId, u64> = BTreeMap::new();
	let rounds = 10_000;
	for round in 0..rounds {
		for s in m.challenge(round) {
			*hits.entry(s.file_id).or_default() += 1;
		}
	}
	let n = f64::from(rounds) * 16.0;
	for (id, leaves) in &ids {
		let p = *leaves as f64 / total as f64;
		let got = *hits.get(id).unwrap_or(&0) as f64;
		let sd = (n * p * (1.0 - p)).sqrt();
		assert!(
			(got - n * p).abs() <= 5.0 * sd + 1.0,
			"holding of {leaves} leaves: {got} hits, expected {}",
			n * p
		);
	}
	// Every leaf position is reachable: the samples of one holding cover its segments.
	let segments: BTreeSet<u32> =
		(0..2000).flat_map(|r| m.challenge(r)).map(|s| s.segment).collect();
	assert!(segments.contains(&0));
}
