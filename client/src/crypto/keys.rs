//! Key material: the per-file data key and the account's encryption key pair.

use rand_core::{OsRng, RngCore};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{
	crypto::hkdf_sha256,
	error::{Error, Result},
};

/// Length of a [`DataKey`] in bytes.
pub const DATA_KEY_LEN: usize = 32;

/// HKDF salt for deriving an account's X25519 encryption key from its secret seed.
pub const ENCRYPTION_KEY_SALT: &[u8] = b"cess/client/encryption-key";
/// HKDF info string for deriving an account's X25519 encryption key from its secret seed.
///
/// `x25519_secret = HKDF-SHA256(salt = ENCRYPTION_KEY_SALT, ikm = seed, info = this)[..32]`,
/// clamped as X25519 requires.
pub const ENCRYPTION_KEY_INFO: &[u8] = b"cess/client/encryption-key/v1/x25519";

/// Shortest accepted account secret seed (a 32-byte mini secret key).
pub const MIN_SEED_LEN: usize = 32;
/// Longest accepted account secret seed (a 64-byte expanded secret key).
pub const MAX_SEED_LEN: usize = 64;

/// The random 256-bit key that encrypts one file. Zeroed on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct DataKey([u8; DATA_KEY_LEN]);

impl DataKey {
	/// A fresh key from the operating system's random number generator.
	pub fn generate() -> Self {
		let mut key = [0u8; DATA_KEY_LEN];
		OsRng.fill_bytes(&mut key);
		DataKey(key)
	}

	/// Wraps existing key bytes (for example a key unwrapped elsewhere).
	pub fn from_bytes(bytes: [u8; DATA_KEY_LEN]) -> Self {
		DataKey(bytes)
	}

	/// The raw key bytes. Handle with care.
	pub fn as_bytes(&self) -> &[u8; DATA_KEY_LEN] {
		&self.0
	}

	/// The data key an owner derives for the file whose stream header carries `salt`:
	/// `HKDF-SHA256(salt = stream salt, ikm = X25519 secret, info = OWNER_DATA_KEY_INFO)`.
	///
	/// The salt is random per file and stored (public) in the stream header, so an owner gets
	/// every file's key back from its account seed alone, and one file's key reveals nothing
	/// about another's. Grants to others wrap this key ([`wrap_key`](crate::wrap_key)).
	pub fn for_owner(owner: &EncryptionSecret, salt: &[u8]) -> Self {
		let mut secret = owner.inner().to_bytes();
		let key = hkdf_sha256(salt, &secret, &[OWNER_DATA_KEY_INFO]);
		secret.zeroize();
		DataKey(key)
	}
}

/// HKDF info string of [`DataKey::for_owner`].
pub const OWNER_DATA_KEY_INFO: &[u8] = b"cess/client/owner-data-key/v1";

impl core::fmt::Debug for DataKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("DataKey(<redacted>)")
	}
}

/// An account's X25519 secret key, used to open data keys wrapped to the account.
#[derive(Clone)]
pub struct EncryptionSecret(StaticSecret);

impl EncryptionSecret {
	/// Derives the account's encryption key from the bytes of its secret seed.
	///
	/// The derivation is deterministic (HKDF-SHA256 with [`ENCRYPTION_KEY_SALT`] and
	/// [`ENCRYPTION_KEY_INFO`]), so the same account always has the same encryption key and
	/// nothing but the account seed needs to be backed up. The seed must be 32 to 64 bytes (a
	/// sr25519/ed25519 mini secret or an expanded secret key).
	pub fn from_account_seed(seed: &[u8]) -> Result<Self> {
		if !(MIN_SEED_LEN..=MAX_SEED_LEN).contains(&seed.len()) {
			return Err(Error::InvalidSeedLength(seed.len()));
		}
		let mut okm: [u8; 32] = hkdf_sha256(ENCRYPTION_KEY_SALT, seed, &[ENCRYPTION_KEY_INFO]);
		let secret = StaticSecret::from(okm);
		okm.zeroize();
		Ok(EncryptionSecret(secret))
	}

	/// A random key that is not tied to an account (tests, one-off recipients).
	pub fn generate() -> Self {
		EncryptionSecret(StaticSecret::random_from_rng(OsRng))
	}

	/// The matching public key, to be published so others can wrap keys to this account.
	pub fn public_key(&self) -> EncryptionPublicKey {
		EncryptionPublicKey(PublicKey::from(&self.0).to_bytes())
	}

	pub(crate) fn inner(&self) -> &StaticSecret {
		&self.0
	}
}

impl core::fmt::Debug for EncryptionSecret {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "EncryptionSecret(public: {:?})", self.public_key())
	}
}

/// Domain of the first derivation, from the text of the account's secret URI (before
/// [`AccountKeys`] derived from the key itself): `seed = blake2_256(this ‖ URI with its
/// whitespace collapsed to single spaces)`. Kept so that files stored with it stay readable.
pub const URI_SEED_DOMAIN_V1: &[u8] = b"cess/cli/encryption-seed/v1";

/// An account's encryption keys.
///
/// [`AccountKeys::current`] derives from the account's 64-byte sr25519 secret key (scalar ‖
/// nonce) with [`EncryptionSecret::from_account_seed`], so every spelling of the account (its
/// mnemonic, its raw seed, extra spaces) has the same key; new files are encrypted with it.
/// Files stored earlier under the URI-text derivation ([`URI_SEED_DOMAIN_V1`]) open with the
/// legacy key, which [`AccountKeys::all`] lists after the current one.
#[derive(Clone, Debug)]
pub struct AccountKeys {
	keys: Vec<EncryptionSecret>,
}

impl AccountKeys {
	/// The keys of the account whose sr25519 secret key is `secret_key`; `secret_uri`, the text
	/// the account was given as, adds the legacy key of files stored before this derivation.
	pub fn new(secret_key: &[u8; 64], secret_uri: Option<&str>) -> Result<Self> {
		let mut keys = vec![EncryptionSecret::from_account_seed(secret_key)?];
		if let Some(uri) = secret_uri {
			let normalized = uri.split_whitespace().collect::<Vec<_>>().join(" ");
			let mut seed = cess_primitives::merkle::blake2_256_parts(&[
				URI_SEED_DOMAIN_V1,
				normalized.as_bytes(),
			]);
			keys.push(EncryptionSecret::from_account_seed(&seed)?);
			seed.zeroize();
		}
		Ok(AccountKeys { keys })
	}

	/// The key new files are encrypted with and others wrap grants to.
	pub fn current(&self) -> &EncryptionSecret {
		&self.keys[0]
	}

	/// Every key, current first: what decrypting one's own files tries, in order.
	pub fn all(&self) -> &[EncryptionSecret] {
		&self.keys
	}
}

/// An account's X25519 public encryption key (32 bytes, Montgomery u-coordinate).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncryptionPublicKey(pub [u8; 32]);

impl EncryptionPublicKey {
	/// The key bytes.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0
	}
}

impl core::fmt::Debug for EncryptionPublicKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "EncryptionPublicKey(0x")?;
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		write!(f, ")")
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seed_derivation_is_deterministic_and_seed_specific() {
		let a1 = EncryptionSecret::from_account_seed(&[7u8; 32]).unwrap();
		let a2 = EncryptionSecret::from_account_seed(&[7u8; 32]).unwrap();
		let b = EncryptionSecret::from_account_seed(&[8u8; 32]).unwrap();
		assert_eq!(a1.public_key(), a2.public_key());
		assert_ne!(a1.public_key(), b.public_key());
	}

	#[test]
	fn seed_derivation_known_answer() {
		// Pins the derivation (salt, info, clamping) so it cannot change silently: keys derived
		// by older clients must keep opening the files they wrapped.
		let secret = EncryptionSecret::from_account_seed(&[0x42u8; 32]).unwrap();
		let expected: [u8; 32] =
			hkdf_sha256(ENCRYPTION_KEY_SALT, &[0x42u8; 32], &[ENCRYPTION_KEY_INFO]);
		assert_eq!(
			secret.public_key().0,
			PublicKey::from(&StaticSecret::from(expected)).to_bytes()
		);
		assert_eq!(hex(&secret.public_key().0), KAT_PUBLIC_0X42);
	}

	/// Computed independently with Python `cryptography` (HKDF-SHA256, X25519).
	const KAT_PUBLIC_0X42: &str =
		"2d968dc1587755d97d3cd8aa55aaa29937be65bb7421d842a48567e04eff9318";

	fn hex(bytes: &[u8]) -> String {
		bytes.iter().map(|b| format!("{b:02x}")).collect()
	}

	#[test]
	fn seed_length_is_checked() {
		assert!(matches!(
			EncryptionSecret::from_account_seed(&[1u8; 31]),
			Err(Error::InvalidSeedLength(31))
		));
		assert!(matches!(
			EncryptionSecret::from_account_seed(&[1u8; 65]),
			Err(Error::InvalidSeedLength(65))
		));
		assert!(EncryptionSecret::from_account_seed(&[1u8; 64]).is_ok());
	}

	#[test]
	fn debug_does_not_leak_secrets() {
		let key = DataKey::from_bytes([0xab; 32]);
		assert_eq!(format!("{key:?}"), "DataKey(<redacted>)");
		let secret = EncryptionSecret::from_account_seed(&[0xcd; 32]).unwrap();
		assert!(!format!("{secret:?}").contains("cdcd"));
	}
}
