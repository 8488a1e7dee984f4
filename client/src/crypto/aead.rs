//! AES-256-GCM over one segment of an encrypted stream.
//!
//! Key schedule (HKDF-SHA256, salt = the header's 16-byte random salt, ikm = the data key):
//!
//! - segment key = HKDF(info = [`SEGMENT_KEY_INFO`]), 32 bytes;
//! - key check = HKDF(info = [`KEY_CHECK_INFO`]), 16 bytes, stored in the header.
//!
//! The salt makes the segment key unique to one encryption even if a data key were reused, so
//! deterministic nonces are safe. The nonce of segment `i` is
//! `0x00 × 7 ‖ u32_be(i) ‖ last`, where `last` is `1` for the final segment and `0` otherwise
//! (a stream cut short after a full segment does not authenticate). The associated data of every
//! segment is the 56-byte header, which binds the plaintext size, segment size and salt.

use aes_gcm::{
	aead::{generic_array::GenericArray, AeadInPlace, KeyInit},
	Aes256Gcm,
};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::{
	crypto::{hkdf_sha256, DataKey},
	error::{Error, Result, Structure},
	format::{StreamHeader, StreamLayout, HEADER_LEN, KEY_CHECK_LEN, SALT_LEN, TAG_LEN},
};

/// HKDF info string for the segment key.
pub const SEGMENT_KEY_INFO: &[u8] = b"cess/client/stream/v1/segment-key";
/// HKDF info string for the key check value in the header.
pub const KEY_CHECK_INFO: &[u8] = b"cess/client/stream/v1/key-check";
/// Length of an AES-GCM nonce.
pub const NONCE_LEN: usize = 12;

/// The nonce of segment `segment`; `last` marks the final segment of the stream.
pub fn segment_nonce(segment: u32, last: bool) -> [u8; NONCE_LEN] {
	let mut nonce = [0u8; NONCE_LEN];
	nonce[7..11].copy_from_slice(&segment.to_be_bytes());
	nonce[11] = u8::from(last);
	nonce
}

/// The key check value stored in the header for `key` and `salt`.
pub fn key_check(key: &DataKey, salt: &[u8; SALT_LEN]) -> [u8; KEY_CHECK_LEN] {
	hkdf_sha256(salt, key.as_bytes(), &[KEY_CHECK_INFO])
}

/// Encrypts and decrypts the segments of one stream.
#[derive(Clone)]
pub struct SegmentCipher {
	aead: Aes256Gcm,
	aad: [u8; HEADER_LEN],
	layout: StreamLayout,
	last_segment: u32,
}

impl SegmentCipher {
	/// A cipher for the stream that `header` starts, after checking that `key` is the key the
	/// header was made with ([`Error::WrongKey`] otherwise).
	pub fn new(key: &DataKey, header: &StreamHeader) -> Result<Self> {
		let expected = key_check(key, &header.salt);
		if !bool::from(expected.ct_eq(&header.key_check)) {
			return Err(Error::WrongKey);
		}
		let layout = StreamLayout::new(header.plaintext_size, header.segment_size)?;
		let mut segment_key: [u8; 32] =
			hkdf_sha256(&header.salt, key.as_bytes(), &[SEGMENT_KEY_INFO]);
		let aead = Aes256Gcm::new(GenericArray::from_slice(&segment_key));
		segment_key.zeroize();
		Ok(SegmentCipher {
			aead,
			aad: header.to_bytes(),
			layout,
			last_segment: layout.last_segment(),
		})
	}

	/// The layout of the stream this cipher belongs to.
	pub fn layout(&self) -> &StreamLayout {
		&self.layout
	}

	/// Authenticates and decrypts a whole stored segment in place (untrusted bytes) and returns
	/// the plaintext chunk inside it.
	///
	/// `data` must be exactly segment `segment` of the stream (header first in segment 0, tag
	/// last); anything else is [`Error::Malformed`] or [`Error::SegmentAuthenticationFailed`].
	pub fn open_segment<'a>(&self, segment: u32, data: &'a mut [u8]) -> Result<&'a mut [u8]> {
		let what = Structure::Segment;
		if segment > self.last_segment {
			return Err(Error::malformed(what, "segment index past the end of the stream"));
		}
		if data.len() as u64 != self.layout.segment_len(segment) {
			return Err(Error::malformed(what, "length does not match the stream layout"));
		}
		let offset = StreamLayout::chunk_offset(segment);
		if segment == 0 && data[..HEADER_LEN] != self.aad {
			return Err(Error::malformed(
				what,
				"segment 0 does not start with this stream's header",
			));
		}
		let (body, tag) = data.split_at_mut(data.len() - TAG_LEN);
		let tag: &[u8; TAG_LEN] = (&*tag).try_into().expect("split off TAG_LEN bytes; qed");
		let chunk = &mut body[offset..];
		self.open(segment, chunk, tag)?;
		Ok(chunk)
	}

	/// Encrypts `buf` in place as the chunk of segment `segment` and returns its tag.
	pub fn seal(&self, segment: u32, buf: &mut [u8]) -> [u8; TAG_LEN] {
		let nonce = segment_nonce(segment, segment == self.last_segment);
		let tag = self
			.aead
			.encrypt_in_place_detached(GenericArray::from_slice(&nonce), &self.aad, buf)
			.expect("a segment is at most 1 GiB, far below the AES-GCM limit of 64 GiB; qed");
		tag.into()
	}

	/// Decrypts `buf` in place as the chunk of segment `segment`, checking `tag`.
	///
	/// On failure `buf` is left as it was and [`Error::SegmentAuthenticationFailed`] returned.
	pub fn open(&self, segment: u32, buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<()> {
		let nonce = segment_nonce(segment, segment == self.last_segment);
		self.aead
			.decrypt_in_place_detached(
				GenericArray::from_slice(&nonce),
				&self.aad,
				buf,
				GenericArray::from_slice(tag),
			)
			.map_err(|_| Error::SegmentAuthenticationFailed { segment })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::format::Cipher;

	fn header_for(key: &DataKey, plaintext_size: u64) -> StreamHeader {
		let salt = [5u8; SALT_LEN];
		StreamHeader {
			cipher: Cipher::Aes256Gcm,
			plaintext_size,
			segment_size: 4096,
			salt,
			key_check: key_check(key, &salt),
		}
	}

	#[test]
	fn nonce_layout() {
		assert_eq!(segment_nonce(0, false), [0; 12]);
		assert_eq!(segment_nonce(0x0102_0304, true), [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 1]);
	}

	#[test]
	fn seal_open_round_trip_and_tamper_detection() {
		let key = DataKey::from_bytes([1; 32]);
		let header = header_for(&key, 10_000);
		let cipher = SegmentCipher::new(&key, &header).unwrap();
		let plain = b"hello segment".to_vec();
		let mut buf = plain.clone();
		let tag = cipher.seal(1, &mut buf);
		assert_ne!(buf, plain);

		let mut ok = buf.clone();
		cipher.open(1, &mut ok, &tag).unwrap();
		assert_eq!(ok, plain);

		// Another segment index (nonce) fails.
		let mut other = buf.clone();
		assert!(matches!(
			cipher.open(2, &mut other, &tag),
			Err(Error::SegmentAuthenticationFailed { segment: 2 })
		));
		// A flipped bit fails and leaves the buffer untouched.
		let mut flipped = buf.clone();
		flipped[3] ^= 1;
		let before = flipped.clone();
		assert!(cipher.open(1, &mut flipped, &tag).is_err());
		assert_eq!(flipped, before);
		// The same data under another header (plaintext size) fails: the header is AAD.
		let other_header = header_for(&key, 10_001);
		let other_cipher = SegmentCipher::new(&key, &other_header).unwrap();
		let mut copy = buf.clone();
		assert!(other_cipher.open(1, &mut copy, &tag).is_err());
	}

	#[test]
	fn last_segment_flag_is_bound() {
		let key = DataKey::from_bytes([1; 32]);
		// 10 000 bytes at segment size 4096: segments 0, 1, 2; the last one is 2.
		let long = SegmentCipher::new(&key, &header_for(&key, 10_000)).unwrap();
		assert_eq!(long.last_segment, 2);
		let mut buf = vec![7u8; 100];
		let tag = long.seal(1, &mut buf);
		// A cipher that believes segment 1 is the last one must not accept it.
		let short = SegmentCipher::new(&key, &header_for(&key, 5_000)).unwrap();
		assert_eq!(short.last_segment, 1);
		assert!(short.open(1, &mut buf.clone(), &tag).is_err());
	}

	#[test]
	fn open_segment_checks_framing() {
		let key = DataKey::from_bytes([1; 32]);
		let header = header_for(&key, 5_000);
		let cipher = SegmentCipher::new(&key, &header).unwrap();
		// Segment 0: header, 4096 - 72 plaintext bytes, tag.
		let mut seg0 = header.to_bytes().to_vec();
		let mut chunk = vec![3u8; 4096 - 72];
		let tag = cipher.seal(0, &mut chunk);
		seg0.extend_from_slice(&chunk);
		seg0.extend_from_slice(&tag);
		assert_eq!(cipher.open_segment(0, &mut seg0.clone()).unwrap(), &[3u8; 4096 - 72][..]);
		// Wrong length, wrong index, foreign header, past the end.
		assert!(matches!(
			cipher.open_segment(0, &mut seg0[1..].to_vec()),
			Err(Error::Malformed { .. })
		));
		assert!(cipher.open_segment(1, &mut seg0.clone()).is_err());
		let mut foreign = seg0.clone();
		foreign[30] ^= 1;
		assert!(matches!(cipher.open_segment(0, &mut foreign), Err(Error::Malformed { .. })));
		assert!(matches!(cipher.open_segment(2, &mut [0u8; 10]), Err(Error::Malformed { .. })));
		// Last segment: 5000 - 4024 = 976 plaintext bytes.
		let mut last = vec![4u8; 976];
		let tag = cipher.seal(1, &mut last);
		last.extend_from_slice(&tag);
		assert_eq!(cipher.open_segment(1, &mut last).unwrap(), &[4u8; 976][..]);
	}

	/// Segment 0 of a one-segment stream, computed by an independent implementation of the
	/// documented format (Python `cryptography`: HKDF-SHA256, AES-GCM): data key `0x11 × 32`,
	/// salt `0x22 × 16`, segment size 4096, plaintext `"CESS known answer"`.
	const KAT_SEGMENT: &str = "43455346010100001100000000000000001000000000000022222222222222222222222222222222847f32c5be8d87ce3e56f4a48233a4b386cd0474b3e543aee217e91585e42e7da8d6a1bb5278d8b952d64aeb56d7a48329";

	#[test]
	fn matches_an_independent_implementation() {
		let expected: Vec<u8> = (0..KAT_SEGMENT.len())
			.step_by(2)
			.map(|i| u8::from_str_radix(&KAT_SEGMENT[i..i + 2], 16).unwrap())
			.collect();
		let key = DataKey::from_bytes([0x11; 32]);
		let plain = b"CESS known answer";
		let salt = [0x22; SALT_LEN];
		let header = StreamHeader {
			cipher: Cipher::Aes256Gcm,
			plaintext_size: plain.len() as u64,
			segment_size: 4096,
			salt,
			key_check: key_check(&key, &salt),
		};
		let cipher = SegmentCipher::new(&key, &header).unwrap();
		let mut segment = header.to_bytes().to_vec();
		let mut chunk = plain.to_vec();
		let tag = cipher.seal(0, &mut chunk);
		segment.extend_from_slice(&chunk);
		segment.extend_from_slice(&tag);
		assert_eq!(segment, expected);
		assert_eq!(cipher.open_segment(0, &mut segment).unwrap(), plain);
	}

	#[test]
	fn wrong_key_is_reported_as_such() {
		let key = DataKey::from_bytes([1; 32]);
		let header = header_for(&key, 100);
		let other = DataKey::from_bytes([2; 32]);
		assert!(matches!(SegmentCipher::new(&other, &header), Err(Error::WrongKey)));
	}
}
