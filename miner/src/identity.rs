//! The miner's local secret, kept in its data directory (created on first use, mode 0600):
//!
//! * `network.key`: the 32-byte ed25519 secret of the libp2p identity (the registered peer id).
//!
//! PoDR² needs no key: proofs are Merkle paths over the stored data (a `podr2.key` left by an
//! older version is ignored).

use std::{
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
};

use libp2p_identity::{ed25519, Keypair, PeerId};
use rand_core::{OsRng, RngCore};

/// Why a key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
	/// Reading or writing the file failed.
	#[error("cannot {action} {path}: {source} (check the --data-dir permissions)")]
	Io {
		/// What was being done.
		action: &'static str,
		/// The key file.
		path: PathBuf,
		/// The OS error.
		#[source]
		source: io::Error,
	},
	/// The file exists but is not a key.
	#[error(
		"{0} is not a 32-byte key file; restore it from your backup (a new key would not match \
		 the one registered on chain)"
	)]
	Corrupt(PathBuf),
}

/// The miner's keys.
pub struct Identity {
	/// The libp2p identity.
	pub network: Keypair,
}

impl Identity {
	/// Loads the keys from `data_dir`, creating missing ones.
	pub fn load_or_create(data_dir: &Path) -> Result<Self, IdentityError> {
		let mut secret = seed(&data_dir.join("network.key"))?;
		let network = ed25519::SecretKey::try_from_bytes(&mut secret)
			.map(|s| Keypair::from(ed25519::Keypair::from(s)))
			.map_err(|_| IdentityError::Corrupt(data_dir.join("network.key")))?;
		Ok(Self { network })
	}

	/// The libp2p peer id.
	pub fn peer_id(&self) -> PeerId {
		self.network.public().to_peer_id()
	}
}

/// The 32 bytes in `path`, generated from the OS's randomness if the file does not exist.
fn seed(path: &Path) -> Result<[u8; 32], IdentityError> {
	let io = |action| move |source| IdentityError::Io { action, path: path.to_path_buf(), source };
	match fs::read(path) {
		Ok(bytes) => bytes.try_into().map_err(|_| IdentityError::Corrupt(path.to_path_buf())),
		Err(e) if e.kind() == io::ErrorKind::NotFound => {
			let mut seed = [0u8; 32];
			OsRng.fill_bytes(&mut seed);
			if let Some(dir) = path.parent() {
				fs::create_dir_all(dir).map_err(io("create"))?;
			}
			let mut options = fs::OpenOptions::new();
			options.write(true).create_new(true);
			#[cfg(unix)]
			std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
			let mut file = options.open(path).map_err(io("create"))?;
			file.write_all(&seed).map_err(io("write"))?;
			file.sync_all().map_err(io("fsync"))?;
			Ok(seed)
		},
		Err(e) => Err(io("read")(e)),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keys_are_created_once_and_reloaded() {
		let dir = tempfile::tempdir().unwrap();
		let first = Identity::load_or_create(dir.path()).unwrap();
		let again = Identity::load_or_create(dir.path()).unwrap();
		assert_eq!(first.peer_id(), again.peer_id());
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = fs::metadata(dir.path().join("network.key")).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600);
		}
		fs::write(dir.path().join("network.key"), [1u8; 31]).unwrap();
		let err = Identity::load_or_create(dir.path()).err().expect("a short key is refused");
		assert!(err.to_string().contains("restore it from your backup"), "{err}");
	}
}
