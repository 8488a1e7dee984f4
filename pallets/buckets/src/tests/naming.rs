//! The bucket naming and key rules.

use crate::{is_valid_bucket_name, is_valid_key, MAX_KEY_LEN};

#[test]
fn bucket_names_follow_s3_rules() {
	let long = "a".repeat(63);
	for good in
		["abc", "my-bucket", "my.bucket.2026", "0ab", "a-b.c-d", "1.2.3", "1.2.3.4.5", &long]
	{
		assert!(is_valid_bucket_name(good.as_bytes()), "{good} should be valid");
	}
	let too_long = "a".repeat(64);
	for bad in [
		"",
		"ab",
		&too_long, // length
		"My-Bucket",
		"my_bucket",
		"my bucket",
		"bücket",
		"my/bucket", // characters
		"-abc",
		"abc-",
		".abc",
		"abc.", // first and last
		"a..b", // adjacent dots
		"192.168.5.4",
		"1.2.3.4",
		"999.999.999.999", // IPv4-shaped
	] {
		assert!(!is_valid_bucket_name(bad.as_bytes()), "{bad:?} should be invalid");
	}
	// Four groups, but not all digits or too long a group: not IP-shaped.
	assert!(is_valid_bucket_name(b"192.168.5.a4"));
	assert!(is_valid_bucket_name(b"1922.168.5.4"));
}

#[test]
fn keys_are_utf8_without_nul() {
	assert!(is_valid_key(b"a"));
	assert!(is_valid_key("photos/2026/ünïcødé 📷.jpg".as_bytes()));
	assert!(is_valid_key(&vec![b'k'; MAX_KEY_LEN as usize]));
	assert!(!is_valid_key(b""));
	assert!(!is_valid_key(&vec![b'k'; MAX_KEY_LEN as usize + 1]));
	assert!(!is_valid_key(b"a\0b"));
	assert!(!is_valid_key(&[0xff, 0xfe]));
	assert!(!is_valid_key(&[b'a', 0xc3]));
}
