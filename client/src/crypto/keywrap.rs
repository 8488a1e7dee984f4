//! Wrapping a file's data key to an account's X25519 encryption key (ECIES).
//!
//! Scheme 1, `X25519-HKDF-SHA256-AES256GCM`:
//!
//! 1. a fresh ephemeral X25519 key pair `(e, E)`;
//! 2. `shared = X25519(e, recipient)`; an all-zero (non-contributory) result is refused;
//! 3. `kek = HKDF-SHA256(salt = "cess/client/keywrap/v1", ikm = shared,
//!    info = "x25519-hkdf-sha256-aes256gcm" ‖ E ‖ recipient)`, 32 bytes;
//! 4. `sealed = AES-256-GCM(kek, nonce = 0^96, aad = version ‖ scheme, data_key)`: 32 bytes of
//!    ciphertext and a 16-byte tag. The zero nonce is safe because every `kek` is used once.
//!
//! Wire layout (82 bytes):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 1 | format version, `1` |
//! | 1 | 1 | scheme, `1` = X25519-HKDF-SHA256-AES256GCM |
//! | 2 | 32 | ephemeral public key `E` |
//! | 34 | 32 | encrypted data key |
//! | 66 | 16 | AES-GCM tag |
//!
//! The scheme byte leaves room for later schemes, notably threshold proxy re-encryption for
//! grants to other accounts (reserved id `2`); a decoder that does not know a scheme says so with
//! [`Error::UnsupportedWrapScheme`] instead of guessing.

use aes_gcm::{
	aead::{generic_array::GenericArray, AeadInPlace, KeyInit},
	Aes256Gcm,
};
use rand_core::OsRng;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroize;

use crate::{
	crypto::{hkdf_sha256, keys::DATA_KEY_LEN, DataKey, EncryptionPublicKey, EncryptionSecret},
	error::{Error, Result, Structure},
};

/// The wrapped-key format version this client writes and reads.
pub const WRAP_VERSION: u8 = 1;
/// Length of a wrapped key of scheme [`WrapScheme::X25519HkdfSha256Aes256Gcm`].
pub const WRAPPED_KEY_LEN: usize = 2 + 32 + DATA_KEY_LEN + 16;
/// HKDF salt of the key-encryption key.
pub const KEYWRAP_SALT: &[u8] = b"cess/client/keywrap/v1";
/// HKDF info prefix of the key-encryption key (followed by `E ‖ recipient`).
pub const KEYWRAP_INFO: &[u8] = b"x25519-hkdf-sha256-aes256gcm";

/// How a data key is wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum WrapScheme {
	/// Ephemeral X25519, HKDF-SHA256, AES-256-GCM (ECIES), to one recipient public key.
	X25519HkdfSha256Aes256Gcm = 1,
}

/// Scheme id reserved for threshold proxy re-encryption (not implemented by this client).
pub const RESERVED_SCHEME_THRESHOLD_PRE: u8 = 2;

impl WrapScheme {
	fn from_id(id: u8) -> Result<Self> {
		match id {
			1 => Ok(WrapScheme::X25519HkdfSha256Aes256Gcm),
			other => Err(Error::UnsupportedWrapScheme(other)),
		}
	}
}

/// A data key wrapped to one recipient's encryption key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
	scheme: WrapScheme,
	ephemeral: [u8; 32],
	sealed: [u8; DATA_KEY_LEN + 16],
}

impl WrappedKey {
	/// The scheme the key is wrapped with.
	pub fn scheme(&self) -> WrapScheme {
		self.scheme
	}

	/// The wire bytes (layout in the [module docs](self)).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(WRAPPED_KEY_LEN);
		out.push(WRAP_VERSION);
		out.push(self.scheme as u8);
		out.extend_from_slice(&self.ephemeral);
		out.extend_from_slice(&self.sealed);
		out
	}

	/// Parses untrusted wire bytes. The whole input must be one wrapped key.
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		let what = Structure::WrappedKey;
		let (&version, rest) = bytes.split_first().ok_or(Error::malformed(what, "empty input"))?;
		if version != WRAP_VERSION {
			return Err(Error::UnsupportedVersion { what, version, supported: WRAP_VERSION });
		}
		let (&scheme, body) = rest.split_first().ok_or(Error::malformed(what, "no scheme byte"))?;
		let scheme = WrapScheme::from_id(scheme)?;
		if body.len() != WRAPPED_KEY_LEN - 2 {
			return Err(Error::malformed(
				what,
				if body.len() < WRAPPED_KEY_LEN - 2 { "truncated" } else { "trailing bytes" },
			));
		}
		Ok(WrappedKey {
			scheme,
			ephemeral: body[..32].try_into().expect("32 bytes"),
			sealed: body[32..].try_into().expect("48 bytes"),
		})
	}
}

fn kek(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Aes256Gcm {
	let mut key: [u8; 32] =
		hkdf_sha256(KEYWRAP_SALT, shared, &[KEYWRAP_INFO, ephemeral, recipient]);
	let aead = Aes256Gcm::new(GenericArray::from_slice(&key));
	key.zeroize();
	aead
}

const ZERO_NONCE: [u8; 12] = [0; 12];

/// Wraps `key` to `recipient` (a fresh ephemeral key pair each call).
///
/// Fails with [`Error::InvalidPublicKey`] if `recipient` is a low-order point.
pub fn wrap_key(key: &DataKey, recipient: &EncryptionPublicKey) -> Result<WrappedKey> {
	let ephemeral_secret = StaticSecret::random_from_rng(OsRng);
	let ephemeral = PublicKey::from(&ephemeral_secret).to_bytes();
	let shared = ephemeral_secret.diffie_hellman(&PublicKey::from(recipient.0));
	if !shared.was_contributory() {
		return Err(Error::InvalidPublicKey);
	}
	let aead = kek(shared.as_bytes(), &ephemeral, &recipient.0);
	let mut sealed = [0u8; DATA_KEY_LEN + 16];
	sealed[..DATA_KEY_LEN].copy_from_slice(key.as_bytes());
	let scheme = WrapScheme::X25519HkdfSha256Aes256Gcm;
	let tag = aead
		.encrypt_in_place_detached(
			GenericArray::from_slice(&ZERO_NONCE),
			&[WRAP_VERSION, scheme as u8],
			&mut sealed[..DATA_KEY_LEN],
		)
		.expect("32 bytes are far below the AES-GCM length limit; qed");
	sealed[DATA_KEY_LEN..].copy_from_slice(&tag);
	Ok(WrappedKey { scheme, ephemeral, sealed })
}

/// Opens `wrapped` with the recipient's secret.
///
/// Fails with [`Error::KeyUnwrapFailed`] if it was wrapped to another key or modified.
pub fn unwrap_key(wrapped: &WrappedKey, secret: &EncryptionSecret) -> Result<DataKey> {
	match wrapped.scheme {
		WrapScheme::X25519HkdfSha256Aes256Gcm => {},
	}
	let shared = secret.inner().diffie_hellman(&PublicKey::from(wrapped.ephemeral));
	if !shared.was_contributory() {
		return Err(Error::KeyUnwrapFailed);
	}
	let recipient = secret.public_key();
	let aead = kek(shared.as_bytes(), &wrapped.ephemeral, &recipient.0);
	let mut key = [0u8; DATA_KEY_LEN];
	key.copy_from_slice(&wrapped.sealed[..DATA_KEY_LEN]);
	let opened = aead.decrypt_in_place_detached(
		GenericArray::from_slice(&ZERO_NONCE),
		&[WRAP_VERSION, wrapped.scheme as u8],
		&mut key,
		GenericArray::from_slice(&wrapped.sealed[DATA_KEY_LEN..]),
	);
	let result = opened.map(|()| DataKey::from_bytes(key)).map_err(|_| Error::KeyUnwrapFailed);
	key.zeroize();
	result
}

/// Re-wraps a data key for a grantee: opens `wrapped` with the owner's secret and wraps the
/// data key to `grantee`. The file itself is not touched.
pub fn rewrap(
	wrapped: &WrappedKey,
	owner: &EncryptionSecret,
	grantee: &EncryptionPublicKey,
) -> Result<WrappedKey> {
	let key = unwrap_key(wrapped, owner)?;
	wrap_key(&key, grantee)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn wrap_unwrap_round_trip() {
		let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
		let key = DataKey::generate();
		let wrapped = wrap_key(&key, &owner.public_key()).unwrap();
		let bytes = wrapped.to_bytes();
		assert_eq!(bytes.len(), WRAPPED_KEY_LEN);
		assert_eq!(&bytes[..2], &[1, 1]);
		let decoded = WrappedKey::decode(&bytes).unwrap();
		assert_eq!(decoded, wrapped);
		assert_eq!(unwrap_key(&decoded, &owner).unwrap(), key);
		// Fresh ephemeral key every time.
		assert_ne!(wrap_key(&key, &owner.public_key()).unwrap(), wrapped);
	}

	/// A wrapped key made by an independent implementation of the documented format (Python
	/// `cryptography`: X25519, HKDF-SHA256, AES-GCM) with ephemeral secret `00 01 .. 1f`, to the
	/// account whose seed is 32 bytes of `0x42`, wrapping 32 bytes of `0xa5`.
	const KAT_WRAPPED: &str = "01018f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f1bef58a9c311412468ac180ebc4c1f50fbf13d781d4617c2530ae8d5c24d3af39535a11b9f41496cd7bcbfe38d365f0f";

	#[test]
	fn opens_a_key_wrapped_by_an_independent_implementation() {
		let bytes: Vec<u8> = (0..KAT_WRAPPED.len())
			.step_by(2)
			.map(|i| u8::from_str_radix(&KAT_WRAPPED[i..i + 2], 16).unwrap())
			.collect();
		let wrapped = WrappedKey::decode(&bytes).unwrap();
		let owner = EncryptionSecret::from_account_seed(&[0x42; 32]).unwrap();
		assert_eq!(unwrap_key(&wrapped, &owner).unwrap(), DataKey::from_bytes([0xa5; 32]));
	}

	#[test]
	fn wrong_secret_fails_cleanly() {
		let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
		let other = EncryptionSecret::from_account_seed(&[2; 32]).unwrap();
		let wrapped = wrap_key(&DataKey::generate(), &owner.public_key()).unwrap();
		assert!(matches!(unwrap_key(&wrapped, &other), Err(Error::KeyUnwrapFailed)));
	}

	#[test]
	fn tampering_is_detected() {
		let owner = EncryptionSecret::generate();
		let wrapped = wrap_key(&DataKey::generate(), &owner.public_key()).unwrap();
		let bytes = wrapped.to_bytes();
		for i in 2..bytes.len() {
			let mut b = bytes.clone();
			b[i] ^= 0x80;
			let decoded = WrappedKey::decode(&b).unwrap();
			assert!(unwrap_key(&decoded, &owner).is_err(), "flip at byte {i} went unnoticed");
		}
	}

	#[test]
	fn rewrap_moves_the_key_to_the_grantee() {
		let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
		let grantee = EncryptionSecret::from_account_seed(&[3; 32]).unwrap();
		let key = DataKey::generate();
		let wrapped = wrap_key(&key, &owner.public_key()).unwrap();
		let granted = rewrap(&wrapped, &owner, &grantee.public_key()).unwrap();
		assert_eq!(unwrap_key(&granted, &grantee).unwrap(), key);
		assert!(matches!(unwrap_key(&granted, &owner), Err(Error::KeyUnwrapFailed)));
		// Only the owner can re-wrap.
		assert!(matches!(
			rewrap(&wrapped, &grantee, &grantee.public_key()),
			Err(Error::KeyUnwrapFailed)
		));
	}

	#[test]
	fn low_order_recipient_is_refused() {
		// The identity point (u = 0) and u = 1 are low-order points.
		for u in [[0u8; 32], {
			let mut one = [0u8; 32];
			one[0] = 1;
			one
		}] {
			assert!(matches!(
				wrap_key(&DataKey::generate(), &EncryptionPublicKey(u)),
				Err(Error::InvalidPublicKey)
			));
		}
	}

	#[test]
	fn decode_rejects_bad_input() {
		let owner = EncryptionSecret::generate();
		let bytes = wrap_key(&DataKey::generate(), &owner.public_key()).unwrap().to_bytes();
		for len in 0..bytes.len() {
			assert!(WrappedKey::decode(&bytes[..len]).is_err(), "prefix of {len} bytes accepted");
		}
		let mut longer = bytes.clone();
		longer.push(0);
		assert!(matches!(WrappedKey::decode(&longer), Err(Error::Malformed { .. })));
		let mut b = bytes.clone();
		b[0] = 2;
		assert!(matches!(
			WrappedKey::decode(&b),
			Err(Error::UnsupportedVersion { version: 2, .. })
		));
		let mut b = bytes.clone();
		b[1] = RESERVED_SCHEME_THRESHOLD_PRE;
		assert!(matches!(WrappedKey::decode(&b), Err(Error::UnsupportedWrapScheme(2))));
	}
}
