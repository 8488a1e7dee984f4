//! The sr25519 secret key behind a secret URI, for what must derive from the account itself
//! rather than from how its URI is spelled (the file encryption key: a mnemonic and the raw seed
//! of the same account must open the same files).
//!
//! `subxt-signer` keeps its schnorrkel key private, so this follows its `Keypair::from_uri`
//! (which is `sp-core`'s): a `0x` seed or a BIP-39 phrase (PBKDF2-HMAC-SHA512 of the entropy,
//! salt `"mnemonic" ‖ password`, 2048 rounds, first 32 bytes) is the mini secret, expanded in
//! Ed25519 mode, then each `//hard` / `/soft` junction is applied. The result is checked against
//! the signing key's public key, so the two can never disagree silently.

use hmac::Hmac;
use schnorrkel::{
	derive::{ChainCode, Derivation},
	ExpansionMode, MiniSecretKey, SecretKey,
};
use sha2::Sha512;
use subxt_signer::{DeriveJunction, ExposeSecret, SecretUri};
use zeroize::{Zeroize, Zeroizing};

use crate::ChainError;

/// The 64-byte schnorrkel secret key (scalar ‖ nonce) of the account `uri` names: the same for
/// every spelling of the account (mnemonic, `0x` mini secret, with or without extra spaces).
pub fn secret_key(uri: &str) -> Result<Zeroizing<[u8; 64]>, ChainError> {
	let bad = |e: &dyn std::fmt::Display| ChainError::BadAccount(e.to_string());
	let parsed: SecretUri = uri.trim().parse().map_err(|e| bad(&e))?;
	let mut mini = Zeroizing::new([0u8; 32]);
	let phrase = parsed.phrase.expose_secret();
	if let Some(hex_seed) = phrase.strip_prefix("0x") {
		hex::decode_to_slice(hex_seed, &mut mini[..])
			.map_err(|_| bad(&"a 0x seed must be 64 hex digits"))?;
	} else {
		let mnemonic: subxt_signer::bip39::Mnemonic = phrase.parse().map_err(|e| bad(&e))?;
		let (entropy, len) = mnemonic.to_entropy_array();
		let password = parsed.password.as_ref().map_or("", |p| p.expose_secret());
		let mut salt = Zeroizing::new(format!("mnemonic{password}"));
		let mut seed = Zeroizing::new([0u8; 64]);
		pbkdf2::pbkdf2::<Hmac<Sha512>>(&entropy[..len], salt.as_bytes(), 2048, &mut seed[..])
			.map_err(|e| bad(&e))?;
		salt.zeroize();
		mini.copy_from_slice(&seed[..32]);
	}
	let mut secret: SecretKey =
		MiniSecretKey::from_bytes(&mini[..]).map_err(|e| bad(&e))?.expand(ExpansionMode::Ed25519);
	for junction in &parsed.junctions {
		secret = match junction {
			DeriveJunction::Soft(code) => secret.derived_key_simple(ChainCode(*code), []).0,
			DeriveJunction::Hard(code) => secret
				.hard_derive_mini_secret_key(Some(ChainCode(*code)), b"")
				.0
				.expand(ExpansionMode::Ed25519),
		};
	}
	let signer = crate::signer(uri)?;
	if secret.to_public().to_bytes() != signer.public_key().0 {
		return Err(bad(&"the secret key does not match the account's signing key"));
	}
	Ok(Zeroizing::new(secret.to_bytes()))
}

#[cfg(test)]
mod tests {
	use super::*;

	const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

	#[test]
	fn every_spelling_of_an_account_has_one_secret() {
		let alice = secret_key("//Alice").unwrap();
		assert_eq!(*alice, *secret_key(&format!("{PHRASE}//Alice")).unwrap());
		assert_eq!(
			*alice,
			*secret_key(&format!("  {}  //Alice", PHRASE.replace(' ', "   "))).unwrap()
		);
		// The dev phrase's mini secret, given as a raw seed.
		let seed = "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";
		assert_eq!(*secret_key(PHRASE).unwrap(), *secret_key(seed).unwrap());
		assert_eq!(*alice, *secret_key(&format!("{seed}//Alice")).unwrap());
	}

	#[test]
	fn accounts_differ() {
		let alice = secret_key("//Alice").unwrap();
		assert_ne!(*alice, *secret_key("//Bob").unwrap());
		assert_ne!(*alice, *secret_key("//Alice/soft").unwrap());
		assert_ne!(*alice, *secret_key("//Alice///password").unwrap());
	}

	#[test]
	fn bad_uris_are_refused() {
		assert!(matches!(secret_key("not a phrase"), Err(ChainError::BadAccount(_))));
		assert!(matches!(secret_key("0x1234"), Err(ChainError::BadAccount(_))));
	}
}
