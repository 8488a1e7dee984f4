//! Answers to audit challenges: the chain names the challenged leaves (`AuditApi::challenge`);
//! the miner reads each leaf and its path from the store and combines them into one PoDR²
//! multiproof that the runtime verifies.

use cess_primitives::possession::Sample;

use crate::store::{FragmentStore, StoreError};

/// Why a challenge could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ProverError {
	/// A challenged fragment is not readable, or its bytes changed; the self-check will report
	/// it lost.
	#[error("challenged data is unavailable: {0}")]
	Store(#[from] StoreError),
}

/// The proof of `samples` over the data in `store`.
pub fn answer(store: &FragmentStore, samples: &[Sample]) -> Result<Vec<u8>, ProverError> {
	Ok(store.prove(samples)?)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::test_file::TestFile;
	use cess_primitives::possession::{challenge_seed, expand_one, verify, Holding};

	#[test]
	fn answers_verify_and_damaged_data_does_not() {
		let dir = tempfile::tempdir().unwrap();
		let store = FragmentStore::open(dir.path(), 1 << 30).unwrap();
		let file = TestFile::new(2, 1, 23, 30_000);
		let id = *file.manifest.file_id();
		file.put_column(&store, 1);
		store.commit(&file.manifest, &[1]).unwrap();
		let holding = Holding { file_id: id, column: 1, layout: *file.manifest.layout() };
		let samples = expand_one(&challenge_seed(&[1; 32], 7, &[2; 32]), 16, &holding);
		let proof = answer(&store, &samples).unwrap();
		assert_eq!(verify(&samples, &proof), Ok(()));

		// A challenged leaf changed on disk (the fragment file rewritten in place): no proof.
		let s = samples[0];
		let hash = file.manifest.fragment_hash(s.segment, 1).unwrap();
		let path = dir.path().join("objects").join(&hex::encode(hash)[..2]).join(hex::encode(hash));
		let mut bytes = std::fs::read(&path).unwrap();
		bytes[s.offset() as usize + 7] ^= 1;
		std::fs::write(&path, bytes).unwrap();
		assert!(matches!(answer(&store, &samples), Err(ProverError::Store(_))));

		// A column not held.
		let mut other = samples.clone();
		other[0].column = 0;
		assert!(matches!(answer(&store, &other), Err(ProverError::Store(_))));
	}
}
