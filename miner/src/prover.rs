//! Answers to audit challenges: the chain names the challenged blocks and their coefficients
//! (`AuditApi::challenge`); the miner reads each block and its tag from the store and combines
//! them into one PoDR² proof (`48 + 32·s` bytes) that the runtime verifies.

use cess_primitives::podr2::{
	decode_samples, prove, ChallengedBlock, Params, ProveError, Sample, Tag,
};

use crate::store::{FragmentStore, StoreError};

/// Why a challenge could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ProverError {
	/// The chain's samples do not decode (a runtime this miner does not understand).
	#[error("the chain's challenge does not decode ({0}); update cess-miner")]
	Samples(String),
	/// A challenged fragment or tag is not readable; the self-check will report it lost.
	#[error("challenged data is unavailable: {0}")]
	Store(#[from] StoreError),
	/// The data read cannot make a proof (a damaged tag file).
	#[error("cannot build the proof: {0:?}; the self-check will report the damaged fragment")]
	Prove(ProveError),
}

/// The proof of the encoded `samples` over the data in `store`.
pub fn answer_encoded(
	store: &FragmentStore,
	samples: &[u8],
	params: Params,
) -> Result<Vec<u8>, ProverError> {
	let samples = decode_samples(samples).map_err(|e| ProverError::Samples(format!("{e:?}")))?;
	answer(store, &samples, params)
}

/// The proof of `samples` over the data in `store`.
pub fn answer(
	store: &FragmentStore,
	samples: &[Sample],
	params: Params,
) -> Result<Vec<u8>, ProverError> {
	let mut read = Vec::with_capacity(samples.len());
	for sample in samples {
		let hash = store.held_fragment(&sample.file_id, sample.segment, sample.column)?;
		let data = store.read_block(&hash, sample.block, params.block_bytes())?;
		read.push((data, Tag(store.read_tag(&hash, sample.block)?)));
	}
	let blocks: Vec<ChallengedBlock<'_>> = samples
		.iter()
		.zip(&read)
		.map(|(sample, (data, tag))| ChallengedBlock { sample: *sample, data, tag: *tag })
		.collect();
	Ok(prove(&blocks, params).map_err(ProverError::Prove)?.to_bytes())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::test_file::TestFile;
	use cess_primitives::podr2::{name, tags_to_bytes, verify_proof_bytes, SecretKey, Tagger};

	#[test]
	fn answers_verify_and_damaged_data_does_not() {
		let dir = tempfile::tempdir().unwrap();
		let store = FragmentStore::open(dir.path(), 1 << 30).unwrap();
		let file = TestFile::new(2, 1, 3, 30_000);
		let sk = SecretKey::from_seed(&[5; 32]);
		let params = Params::default();
		let tagger = Tagger::new(&sk, params);
		let id = *file.manifest.file_id();
		file.put_column(&store, 1, |seg, fragment| {
			tags_to_bytes(&tagger.tag_fragment(&name(&id, seg, 1), fragment))
		});
		store.commit(&file.manifest, &[1]).unwrap();
		let samples: Vec<Sample> = [(0, 0), (0, 2), (1, 1), (2, 1)]
			.iter()
			.map(|&(segment, block)| Sample {
				file_id: id,
				segment,
				column: 1,
				block,
				coeff: [segment as u8 + 3; 16],
			})
			.collect();
		let encoded = cess_primitives::podr2::encode_samples(&samples);
		let pk = sk.public_key().to_bytes();
		let proof = answer_encoded(&store, &encoded, params).unwrap();
		assert!(verify_proof_bytes(&pk, &encoded, &proof, params.s()));

		// A block changed on disk (the fragment file rewritten in place) fails verification.
		let hash = file.manifest.fragment_hash(1, 1).unwrap();
		let path = dir.path().join("objects").join(&hex::encode(hash)[..2]).join(hex::encode(hash));
		let mut bytes = std::fs::read(&path).unwrap();
		bytes[1984 + 7] ^= 1;
		std::fs::write(&path, bytes).unwrap();
		let proof = answer_encoded(&store, &encoded, params).unwrap();
		assert!(!verify_proof_bytes(&pk, &encoded, &proof, params.s()));

		// A column not held, and undecodable samples.
		let mut other = samples.clone();
		other[0].column = 0;
		assert!(matches!(answer(&store, &other, params), Err(ProverError::Store(_))));
		assert!(matches!(
			answer_encoded(&store, &encoded[1..], params),
			Err(ProverError::Samples(_))
		));
	}
}
