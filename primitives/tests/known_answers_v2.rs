//! PoDR² v2 known answers: fixed data → leaf and node hashes, fragment hashes, file ids, a
//! challenge seed, the samples of a two-holding snapshot and their proof, checked into
//! `tests/vectors/podr2_v2.json`. `tests/vectors/verify_v2.py` recomputes all of it from the
//! README's specification alone (a second implementation).
//!
//! Regenerate (only when the format deliberately changes) with
//! `CESS_REGENERATE_VECTORS=1 cargo test --test known_answers_v2`.

use cess_primitives::layout::FileLayout;
use cess_primitives::possession::challenge::{challenge_seed, expand, Holding, Sample};
use cess_primitives::possession::hash::{leaf_hash, node_hash};
use cess_primitives::possession::proof::{prove, verify, SamplePath};
use cess_primitives::possession::tree::{FileTree, FragmentTree};
use cess_primitives::types::{ErasureProfile, FileId, Hash256};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::path::PathBuf;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct FileVectors {
	size: u64,
	segment_size: u64,
	k: u8,
	m: u8,
	label: String,
	fragment_lens: Vec<u64>,
	fragment_hashes: Vec<String>,
	file_id: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct SampleVectors {
	file_id: String,
	segment: u32,
	column: u16,
	leaf: u32,
	segments: u32,
	width: u16,
	fragment_len: u32,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Vectors {
	description: String,
	leaf_hash_of_bytes_0_to_255: String,
	leaf_hash_of_byte_7: String,
	node_hash_of_those_two: String,
	files: Vec<FileVectors>,
	randomness: String,
	round: u32,
	miner: String,
	seed: String,
	holdings: Vec<(usize, u16)>,
	c: u32,
	samples: Vec<SampleVectors>,
	proof: String,
}

/// Fragment `(segment, column)` of file `label`: the first `len` bytes of the concatenated
/// `Blake2b-256(label ‖ le32(segment) ‖ u8(column) ‖ le32(i))`, i = 0, 1, ….
fn fragment(label: &[u8], segment: u32, column: u8, len: usize) -> Vec<u8> {
	let mut out = Vec::new();
	let mut i = 0u32;
	while out.len() < len {
		let m = [label, &segment.to_le_bytes(), &[column], &i.to_le_bytes()].concat();
		out.extend_from_slice(&cess_primitives::merkle::blake2_256(&m));
		i += 1;
	}
	out.truncate(len);
	out
}

struct File {
	layout: FileLayout,
	data: Vec<Vec<Vec<u8>>>,
	trees: Vec<Vec<FragmentTree>>,
	file_tree: FileTree,
}

fn file(label: &[u8], size: u64, segment_size: u64, k: u8, m: u8) -> File {
	let layout = FileLayout::new(size, segment_size, ErasureProfile::new(k, m)).unwrap();
	let data: Vec<Vec<Vec<u8>>> = (0..layout.segment_count())
		.map(|s| {
			(0..k + m).map(|c| fragment(label, s, c, layout.fragment_len(s) as usize)).collect()
		})
		.collect();
	let trees: Vec<Vec<FragmentTree>> =
		data.iter().map(|seg| seg.iter().map(|f| FragmentTree::new(f)).collect()).collect();
	let hashes: Vec<Hash256> = trees.iter().flatten().map(FragmentTree::root).collect();
	File { layout, data, trees, file_tree: FileTree::new(&hashes) }
}

fn compute() -> Vectors {
	let bytes: Vec<u8> = (0..=255u8).collect();
	let (a, b) = (leaf_hash(&bytes), leaf_hash(&[7]));
	let specs: [(&[u8], u64, u64, u8, u8); 2] =
		[(b"kat-a", 10_000, 4096, 2, 1), (b"kat-b", 700, 4096, 1, 2)];
	let files: Vec<File> = specs.iter().map(|&(l, s, g, k, m)| file(l, s, g, k, m)).collect();
	let holdings = vec![(0usize, 1u16), (1, 0)];
	let hs: Vec<Holding> = holdings
		.iter()
		.map(|&(f, column)| Holding {
			file_id: files[f].file_tree.root(),
			column,
			layout: files[f].layout,
		})
		.collect();
	let mut classes: Vec<(u8, u32)> = Vec::new();
	for h in &hs {
		let q = h.class().unwrap();
		match classes.iter_mut().find(|x| x.0 == q) {
			Some(x) => x.1 += 1,
			None => classes.push((q, 1)),
		}
	}
	let (randomness, round, miner) = ([0x5a; 32], 9u32, [0x11; 32]);
	let seed = challenge_seed(&randomness, round, &miner);
	let c = 6;
	let samples = expand(&seed, c, &classes, |q, i| {
		hs.iter().filter(|h| h.class() == Some(q)).nth(i as usize).copied()
	});
	let by_id = |id: &FileId| files.iter().find(|f| &f.file_tree.root() == id).unwrap();
	let proof = prove(&samples, |s: &Sample| {
		let f = by_id(&s.file_id);
		let frag = &f.data[s.segment as usize][usize::from(s.column)];
		let mut leaf = [0u8; 256];
		let start = s.offset() as usize;
		let end = (start + 256).min(frag.len());
		leaf[..end - start].copy_from_slice(&frag[start..end]);
		Ok::<_, Infallible>(SamplePath {
			leaf,
			fragment_path: f.trees[s.segment as usize][usize::from(s.column)]
				.path(u64::from(s.leaf))
				.unwrap(),
			file_path: f.file_tree.path(s.fragment_index() as u32).unwrap(),
		})
	})
	.unwrap();
	assert_eq!(verify(&samples, &proof), Ok(()));
	Vectors {
		description: "cess-primitives PoDR2 v2 known answers. Fragment (segment s, column c) of \
		              a file with label L is the first fragment_len(s) bytes of the \
		              concatenation of Blake2b-256(L ++ le32(s) ++ u8(c) ++ le32(i)), i = 0, 1, .. \
		              (plain Blake2b-256, no personalization); holdings are (file index, column), \
		              listed in snapshot order"
			.into(),
		leaf_hash_of_bytes_0_to_255: hex::encode(a),
		leaf_hash_of_byte_7: hex::encode(b),
		node_hash_of_those_two: hex::encode(node_hash(&a, &b)),
		files: specs
			.iter()
			.zip(&files)
			.map(|(&(label, size, segment_size, k, m), f)| FileVectors {
				size,
				segment_size,
				k,
				m,
				label: String::from_utf8(label.to_vec()).unwrap(),
				fragment_lens: (0..f.layout.segment_count())
					.map(|s| f.layout.fragment_len(s))
					.collect(),
				fragment_hashes: f.trees.iter().flatten().map(|t| hex::encode(t.root())).collect(),
				file_id: hex::encode(f.file_tree.root()),
			})
			.collect(),
		randomness: hex::encode(randomness),
		round,
		miner: hex::encode(miner),
		seed: hex::encode(seed),
		holdings,
		c,
		samples: samples
			.iter()
			.map(|s| SampleVectors {
				file_id: hex::encode(s.file_id),
				segment: s.segment,
				column: s.column,
				leaf: s.leaf,
				segments: s.segments,
				width: s.width,
				fragment_len: s.fragment_len,
			})
			.collect(),
		proof: hex::encode(proof),
	}
}

fn path() -> PathBuf {
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/vectors/podr2_v2.json")
}

#[test]
fn known_answers_match() {
	let got = compute();
	if std::env::var_os("CESS_REGENERATE_VECTORS").is_some() {
		std::fs::write(path(), serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
	}
	let want: Vectors = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
	assert_eq!(got, want);
}

/// The checked-in proof verifies from the recorded samples alone (what the runtime does).
#[test]
fn known_answers_verify_from_bytes() {
	let v: Vectors = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
	let samples: Vec<Sample> = v
		.samples
		.iter()
		.map(|s| Sample {
			file_id: hex::decode(&s.file_id).unwrap().try_into().unwrap(),
			segment: s.segment,
			column: s.column,
			leaf: s.leaf,
			segments: s.segments,
			width: s.width,
			fragment_len: s.fragment_len,
		})
		.collect();
	let proof = hex::decode(&v.proof).unwrap();
	assert_eq!(verify(&samples, &proof), Ok(()));
	let mut other = samples.clone();
	other[0].leaf ^= 1;
	assert!(verify(&other, &proof).is_err());
}
