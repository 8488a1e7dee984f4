//! Sharing an owner-encrypted file: the owner recovers the data key from segment 0 alone,
//! wraps it for a grantee, and the grantee decodes the file with it.

mod common;

use cess_client::{
	crypto::keys::URI_SEED_DOMAIN_V1, decode, encode, owner_data_key, unwrap_key, wrap_key,
	AccountKeys, Decryption, EncryptionSecret, Error, MemStore,
};
use common::{data, decode_mem, encode_mem, options};

#[test]
fn owner_recovers_the_key_from_segment_zero_and_a_grantee_decrypts() {
	let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
	let grantee = EncryptionSecret::from_account_seed(&[2; 32]).unwrap();
	let plain = data(300_000, 7);
	let opts = options(2, 1, 64 * 1024);
	let mut store = MemStore::new();
	let manifest = encode(
		&plain[..],
		plain.len() as u64,
		cess_client::Encryption::Owner(&owner),
		&opts,
		&mut store,
	)
	.unwrap();

	// Only segment 0 is read: dropping every later fragment does not matter.
	let mut first = MemStore::new();
	for column in 0..3u16 {
		if let Some(f) = store.fragment_mut(0, column) {
			common::put(&mut first, 0, column, &f.clone());
		}
	}
	let key = owner_data_key(&manifest, &mut first, std::slice::from_ref(&owner)).unwrap();

	let granted = wrap_key(&key, &grantee.public_key()).unwrap();
	let opened = unwrap_key(&granted, &grantee).unwrap();
	let (out, _) = decode_mem(&manifest, &mut store, Some(&opened)).unwrap();
	assert_eq!(out, plain);

	// Someone else's secret gives no key.
	assert!(matches!(
		owner_data_key(&manifest, &mut first, std::slice::from_ref(&grantee)),
		Err(Error::WrongKey)
	));
	let mut out = Vec::new();
	assert!(matches!(
		decode(&manifest, &mut store, Decryption::Owner(std::slice::from_ref(&grantee)), &mut out),
		Err(Error::WrongKey)
	));
}

#[test]
fn public_files_have_no_data_key() {
	let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
	let plain = data(10_000, 1);
	let (manifest, mut store) = encode_mem(&plain, None, &options(2, 1, 64 * 1024)).unwrap();
	assert!(matches!(
		owner_data_key(&manifest, &mut store, std::slice::from_ref(&owner)),
		Err(Error::EncryptionModeMismatch { .. })
	));
}

#[test]
fn files_stored_under_the_uri_derivation_stay_readable() {
	let uri = "bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice";
	// What the CLI derived before keys came from the account's secret key.
	let legacy_seed =
		cess_primitives::merkle::blake2_256_parts(&[URI_SEED_DOMAIN_V1, uri.as_bytes()]);
	let legacy = EncryptionSecret::from_account_seed(&legacy_seed).unwrap();
	let plain = data(150_000, 3);
	let opts = options(2, 1, 64 * 1024);
	let mut old = MemStore::new();
	let old_manifest = encode(
		&plain[..],
		plain.len() as u64,
		cess_client::Encryption::Owner(&legacy),
		&opts,
		&mut old,
	)
	.unwrap();

	let secret_key = [9u8; 64];
	let keys = AccountKeys::new(&secret_key, Some(&uri.replace(' ', "  "))).unwrap();
	assert_eq!(keys.all().len(), 2);
	assert_eq!(keys.all()[1].public_key(), legacy.public_key());
	let mut out = Vec::new();
	decode(&old_manifest, &mut old, Decryption::Owner(keys.all()), &mut out).unwrap();
	assert_eq!(out, plain);

	// New files use the key of the secret key, whatever the URI's spelling.
	let mut new = MemStore::new();
	let new_manifest = encode(
		&plain[..],
		plain.len() as u64,
		cess_client::Encryption::Owner(keys.current()),
		&opts,
		&mut new,
	)
	.unwrap();
	let without_uri = AccountKeys::new(&secret_key, None).unwrap();
	assert_eq!(without_uri.current().public_key(), keys.current().public_key());
	let mut out = Vec::new();
	decode(&new_manifest, &mut new, Decryption::Owner(without_uri.all()), &mut out).unwrap();
	assert_eq!(out, plain);
	// The legacy key alone does not open a new file.
	assert!(matches!(
		owner_data_key(&new_manifest, &mut new, std::slice::from_ref(&legacy)),
		Err(Error::WrongKey)
	));
}
