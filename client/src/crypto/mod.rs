//! Client-side cryptography: data keys, per-segment AEAD and key wrapping.
//!
//! - [`keys`]: the per-file [`DataKey`] and the account's X25519 [`EncryptionSecret`], derived
//!   from the account's secret seed.
//! - [`aead`]: AES-256-GCM over one segment, nonce derived from the segment index.
//! - [`keywrap`]: wrapping a data key to an X25519 public key (ECIES), unwrapping, re-wrapping to
//!   a grantee.

pub mod aead;
pub mod keys;
pub mod keywrap;

pub use keys::{AccountKeys, DataKey, EncryptionPublicKey, EncryptionSecret};
pub use keywrap::{rewrap, unwrap_key, wrap_key, WrapScheme, WrappedKey};

use hkdf::Hkdf;
use sha2::Sha256;

/// HKDF-SHA256 extract-and-expand into a fixed-size output.
pub(crate) fn hkdf_sha256<const N: usize>(salt: &[u8], ikm: &[u8], info: &[&[u8]]) -> [u8; N] {
	let mut out = [0u8; N];
	Hkdf::<Sha256>::new(Some(salt), ikm)
		.expand_multi_info(info, &mut out)
		.expect("N is at most 255 * 32 bytes for every caller; qed");
	out
}
