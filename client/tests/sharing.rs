//! Sharing an owner-encrypted file: the owner recovers the data key from segment 0 alone,
//! wraps it for a grantee, and the grantee decodes the file with it.

mod common;

use cess_client::{
	decode, encode, owner_data_key, unwrap_key, wrap_key, Decryption, EncryptionSecret, Error,
	MemStore,
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
	let key = owner_data_key(&manifest, &mut first, &owner).unwrap();

	let granted = wrap_key(&key, &grantee.public_key()).unwrap();
	let opened = unwrap_key(&granted, &grantee).unwrap();
	let (out, _) = decode_mem(&manifest, &mut store, Some(&opened)).unwrap();
	assert_eq!(out, plain);

	// Someone else's secret gives no key.
	assert!(matches!(owner_data_key(&manifest, &mut first, &grantee), Err(Error::WrongKey)));
	let mut out = Vec::new();
	assert!(matches!(
		decode(&manifest, &mut store, Decryption::Owner(&grantee), &mut out),
		Err(Error::WrongKey)
	));
}

#[test]
fn public_files_have_no_data_key() {
	let owner = EncryptionSecret::from_account_seed(&[1; 32]).unwrap();
	let plain = data(10_000, 1);
	let (manifest, mut store) = encode_mem(&plain, None, &options(2, 1, 64 * 1024)).unwrap();
	assert!(matches!(
		owner_data_key(&manifest, &mut store, &owner),
		Err(Error::EncryptionModeMismatch { .. })
	));
}
