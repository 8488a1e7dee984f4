//! The encrypted stream format: header layout and how plaintext maps onto segments.
//!
//! An encrypted file is stored as one byte stream, cut into segments of `segment_size` bytes
//! (the last one shorter). Each segment holds exactly one AEAD chunk, so every segment can be
//! decrypted on its own:
//!
//! ```text
//! segment 0:    header (56 B) ‖ AES-256-GCM(chunk 0) ‖ tag (16 B)
//! segment i>0:                  AES-256-GCM(chunk i) ‖ tag (16 B)
//! ```
//!
//! Chunk 0 holds `segment_size - 72` plaintext bytes, every other chunk `segment_size - 16`; the
//! last chunk holds the rest (possibly zero bytes: an empty file is one segment of 72 bytes). The
//! stream size is therefore a function of the plaintext size ([`StreamLayout::stream_size`]), so
//! storage can be quoted before anything is encrypted.
//!
//! Header (all integers little-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `"CESF"` |
//! | 4 | 1 | format version, `1` |
//! | 5 | 1 | cipher id, `1` = AES-256-GCM |
//! | 6 | 2 | reserved, zero |
//! | 8 | 8 | plaintext size |
//! | 16 | 8 | segment size |
//! | 24 | 16 | salt (random per encryption) |
//! | 40 | 16 | key check |
//!
//! See [`crate::crypto::aead`] for the key schedule, nonces and associated data.

use cess_primitives::types::LEAF_BYTES;

use crate::error::{Error, Result, Structure};

/// Magic bytes at the start of an encrypted stream.
pub const STREAM_MAGIC: [u8; 4] = *b"CESF";
/// The encrypted stream format version this client writes and reads.
pub const STREAM_VERSION: u8 = 1;
/// Length of the stream header in bytes.
pub const HEADER_LEN: usize = 56;
/// Length of the AEAD tag that ends every encrypted segment.
pub const TAG_LEN: usize = 16;
/// Length of the per-encryption salt.
pub const SALT_LEN: usize = 16;
/// Length of the key check value.
pub const KEY_CHECK_LEN: usize = 16;

/// Smallest segment size: one Merkle leaf, as [`FileLayout`](cess_primitives::layout::FileLayout)
/// requires (and more than the header and a tag).
pub const MIN_SEGMENT_SIZE: u64 = LEAF_BYTES as u64;
pub use cess_primitives::layout::MAX_SEGMENT_SIZE;

/// The AEAD cipher of an encrypted stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cipher {
	/// AES-256-GCM with a 96-bit nonce and a 128-bit tag.
	Aes256Gcm = 1,
}

impl Cipher {
	fn from_id(id: u8) -> Result<Self> {
		match id {
			1 => Ok(Cipher::Aes256Gcm),
			other => Err(Error::UnsupportedCipher(other)),
		}
	}
}

/// The header at the start of segment 0 of an encrypted stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamHeader {
	/// The AEAD cipher of every segment.
	pub cipher: Cipher,
	/// Size of the plaintext file in bytes.
	pub plaintext_size: u64,
	/// Size of a (full) segment of the stream in bytes.
	pub segment_size: u64,
	/// Random salt that makes the segment key unique to this encryption.
	pub salt: [u8; SALT_LEN],
	/// Value derived from the data key and the salt, to tell a wrong key apart from damage.
	pub key_check: [u8; KEY_CHECK_LEN],
}

impl StreamHeader {
	/// The header's bytes, also used as associated data of every segment.
	pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
		let mut out = [0u8; HEADER_LEN];
		out[0..4].copy_from_slice(&STREAM_MAGIC);
		out[4] = STREAM_VERSION;
		out[5] = self.cipher as u8;
		// 6..8 reserved, zero.
		out[8..16].copy_from_slice(&self.plaintext_size.to_le_bytes());
		out[16..24].copy_from_slice(&self.segment_size.to_le_bytes());
		out[24..40].copy_from_slice(&self.salt);
		out[40..56].copy_from_slice(&self.key_check);
		out
	}

	/// Parses a header from the start of `bytes` (untrusted; extra bytes after the header are
	/// ignored, they are the first segment's ciphertext).
	///
	/// Checks the magic, version, cipher, reserved bytes, and that the sizes describe a valid
	/// [`StreamLayout`].
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		let what = Structure::FileHeader;
		let bytes: &[u8; HEADER_LEN] = bytes
			.get(..HEADER_LEN)
			.and_then(|b| b.try_into().ok())
			.ok_or(Error::malformed(what, "shorter than the 56-byte header"))?;
		if bytes[0..4] != STREAM_MAGIC {
			return Err(Error::malformed(what, "wrong magic, not an encrypted CESS file"));
		}
		if bytes[4] != STREAM_VERSION {
			return Err(Error::UnsupportedVersion {
				what,
				version: bytes[4],
				supported: STREAM_VERSION,
			});
		}
		let cipher = Cipher::from_id(bytes[5])?;
		if bytes[6..8] != [0, 0] {
			return Err(Error::malformed(what, "reserved bytes are not zero"));
		}
		let header = StreamHeader {
			cipher,
			plaintext_size: u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")),
			segment_size: u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes")),
			salt: bytes[24..40].try_into().expect("16 bytes"),
			key_check: bytes[40..56].try_into().expect("16 bytes"),
		};
		StreamLayout::new(header.plaintext_size, header.segment_size)
			.map_err(|_| Error::malformed(what, "plaintext and segment sizes are out of range"))?;
		Ok(header)
	}

	/// The layout of the stream this header starts.
	pub fn layout(&self) -> StreamLayout {
		StreamLayout { plaintext_size: self.plaintext_size, segment_size: self.segment_size }
	}
}

/// How an encrypted stream of a given plaintext size is cut into segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLayout {
	plaintext_size: u64,
	segment_size: u64,
}

impl StreamLayout {
	/// The layout for `plaintext_size` bytes in segments of `segment_size` bytes.
	///
	/// Fails if the segment size is outside [`MIN_SEGMENT_SIZE`]..=[`MAX_SEGMENT_SIZE`] or the
	/// file needs more than `u32::MAX` segments.
	pub fn new(plaintext_size: u64, segment_size: u64) -> Result<Self> {
		if !(MIN_SEGMENT_SIZE..=MAX_SEGMENT_SIZE).contains(&segment_size) {
			return Err(Error::InvalidSegmentSize {
				size: segment_size,
				min: MIN_SEGMENT_SIZE,
				max: MAX_SEGMENT_SIZE,
			});
		}
		let layout = StreamLayout { plaintext_size, segment_size };
		let too_large = Error::FileTooLarge { size: plaintext_size, segment_size };
		let count = layout.segment_count_u64();
		if count > u64::from(u32::MAX) {
			return Err(too_large);
		}
		// The stream size must fit u64.
		plaintext_size
			.checked_add(HEADER_LEN as u64)
			.and_then(|s| s.checked_add(count * TAG_LEN as u64))
			.ok_or(too_large)?;
		Ok(layout)
	}

	/// The layout whose [`stream_size`](Self::stream_size) is `stream_size`, if there is one.
	///
	/// Not every size is the size of an encrypted stream (a final segment always holds a tag), so
	/// this also validates a stream size read from an untrusted manifest.
	pub fn from_stream_size(stream_size: u64, segment_size: u64) -> Result<Self> {
		let count = stream_size.div_ceil(segment_size.max(1));
		let plaintext = count
			.checked_mul(TAG_LEN as u64)
			.and_then(|tags| stream_size.checked_sub(tags + HEADER_LEN as u64))
			.ok_or(Error::malformed(
				Structure::Manifest,
				"stream size is not an encrypted stream size",
			))?;
		let layout = StreamLayout::new(plaintext, segment_size)?;
		if layout.stream_size() != stream_size {
			return Err(Error::malformed(
				Structure::Manifest,
				"stream size is not an encrypted stream size",
			));
		}
		Ok(layout)
	}

	/// Size of the plaintext.
	pub fn plaintext_size(&self) -> u64 {
		self.plaintext_size
	}

	/// Size of a full segment.
	pub fn segment_size(&self) -> u64 {
		self.segment_size
	}

	fn first_capacity(&self) -> u64 {
		self.segment_size - (HEADER_LEN + TAG_LEN) as u64
	}

	fn capacity(&self) -> u64 {
		self.segment_size - TAG_LEN as u64
	}

	fn segment_count_u64(&self) -> u64 {
		let first = self.first_capacity();
		if self.plaintext_size <= first {
			1
		} else {
			1 + (self.plaintext_size - first).div_ceil(self.capacity())
		}
	}

	/// Number of segments (at least one: an empty file is one segment of header and tag).
	pub fn segment_count(&self) -> u32 {
		self.segment_count_u64() as u32
	}

	/// Index of the last segment.
	pub fn last_segment(&self) -> u32 {
		(self.segment_count_u64() - 1) as u32
	}

	/// Size of the encrypted stream: header, plaintext and one tag per segment.
	pub fn stream_size(&self) -> u64 {
		self.plaintext_size + HEADER_LEN as u64 + self.segment_count_u64() * TAG_LEN as u64
	}

	/// Offset in the plaintext and length of the chunk that segment `segment` encrypts.
	///
	/// Segments past the end give an empty chunk at the end of the plaintext.
	pub fn chunk(&self, segment: u32) -> (u64, u64) {
		let first = self.first_capacity();
		let (start, cap) = if segment == 0 {
			(0, first)
		} else {
			(first + u64::from(segment - 1) * self.capacity(), self.capacity())
		};
		let start = start.min(self.plaintext_size);
		(start, cap.min(self.plaintext_size - start))
	}

	/// The segment whose chunk holds plaintext byte `offset`: the inverse of
	/// [`chunk`](Self::chunk). Offsets at or past the end give the last segment (0 for an empty
	/// plaintext).
	pub fn segment_at(&self, offset: u64) -> u32 {
		let first = self.first_capacity();
		let segment = if offset < first { 0 } else { 1 + (offset - first) / self.capacity() };
		segment.min(u64::from(self.last_segment())) as u32
	}

	/// Where the chunk's ciphertext starts inside the segment: after the header in segment 0.
	pub fn chunk_offset(segment: u32) -> usize {
		if segment == 0 {
			HEADER_LEN
		} else {
			0
		}
	}

	/// Length of segment `segment` of the stream.
	pub fn segment_len(&self, segment: u32) -> u64 {
		Self::chunk_offset(segment) as u64 + self.chunk(segment).1 + TAG_LEN as u64
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn header() -> StreamHeader {
		StreamHeader {
			cipher: Cipher::Aes256Gcm,
			plaintext_size: 1000,
			segment_size: 2048,
			salt: [1; 16],
			key_check: [2; 16],
		}
	}

	#[test]
	fn segment_at_inverts_chunk() {
		let segment_size = 2 * MIN_SEGMENT_SIZE;
		for plaintext_size in (0..6 * segment_size).step_by(97).chain([1, segment_size - 72]) {
			let layout = StreamLayout::new(plaintext_size, segment_size).unwrap();
			for segment in 0..layout.segment_count() {
				let (start, len) = layout.chunk(segment);
				for offset in start..start + len {
					assert_eq!(layout.segment_at(offset), segment, "size {plaintext_size}");
				}
			}
			assert_eq!(layout.segment_at(plaintext_size), layout.last_segment());
			assert_eq!(layout.segment_at(u64::MAX), layout.last_segment());
		}
	}

	#[test]
	fn header_round_trips() {
		let h = header();
		let bytes = h.to_bytes();
		assert_eq!(&bytes[..4], b"CESF");
		assert_eq!(bytes[4], 1);
		assert_eq!(StreamHeader::decode(&bytes).unwrap(), h);
		// Trailing ciphertext is not part of the header.
		let mut longer = bytes.to_vec();
		longer.extend_from_slice(&[9; 40]);
		assert_eq!(StreamHeader::decode(&longer).unwrap(), h);
	}

	#[test]
	fn header_rejects_bad_input() {
		let bytes = header().to_bytes();
		for len in 0..HEADER_LEN {
			assert!(matches!(
				StreamHeader::decode(&bytes[..len]),
				Err(Error::Malformed { what: Structure::FileHeader, .. })
			));
		}
		let mut b = bytes;
		b[0] = b'X';
		assert!(matches!(StreamHeader::decode(&b), Err(Error::Malformed { .. })));
		let mut b = bytes;
		b[4] = 2;
		assert!(matches!(
			StreamHeader::decode(&b),
			Err(Error::UnsupportedVersion { version: 2, supported: 1, .. })
		));
		let mut b = bytes;
		b[5] = 9;
		assert!(matches!(StreamHeader::decode(&b), Err(Error::UnsupportedCipher(9))));
		let mut b = bytes;
		b[7] = 1;
		assert!(matches!(StreamHeader::decode(&b), Err(Error::Malformed { .. })));
		let mut b = bytes;
		b[16..24].copy_from_slice(&255u64.to_le_bytes());
		assert!(matches!(StreamHeader::decode(&b), Err(Error::Malformed { .. })));
		let mut b = bytes;
		b[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
		assert!(matches!(StreamHeader::decode(&b), Err(Error::Malformed { .. })));
	}

	#[test]
	fn layout_of_an_empty_file_is_one_segment_of_header_and_tag() {
		let l = StreamLayout::new(0, 4096).unwrap();
		assert_eq!(l.segment_count(), 1);
		assert_eq!(l.stream_size(), 72);
		assert_eq!(l.segment_len(0), 72);
		assert_eq!(l.chunk(0), (0, 0));
	}

	#[test]
	fn layout_segments_tile_the_stream_and_the_plaintext() {
		let seg = 2000u64;
		for size in [0u64, 1, 1927, 1928, 1929, 3911, 3912, 3913, 5000, 50_000] {
			let l = StreamLayout::new(size, seg).unwrap();
			let n = l.segment_count();
			let mut stream = 0;
			let mut plain = 0;
			for s in 0..n {
				let (off, len) = l.chunk(s);
				assert_eq!(off, plain, "size {size} segment {s}");
				plain += len;
				let sl = l.segment_len(s);
				if s + 1 < n {
					assert_eq!(sl, seg, "size {size}: inner segments are full");
				} else {
					assert!(sl <= seg && sl > 0);
				}
				stream += sl;
			}
			assert_eq!(plain, size);
			assert_eq!(stream, l.stream_size());
		}
		// Boundaries: chunk 0 holds 2000 - 72 bytes, the others 2000 - 16.
		assert_eq!(StreamLayout::new(1928, seg).unwrap().segment_count(), 1);
		assert_eq!(StreamLayout::new(1929, seg).unwrap().segment_count(), 2);
		assert_eq!(StreamLayout::new(1928 + 1984, seg).unwrap().segment_count(), 2);
		assert_eq!(StreamLayout::new(1928 + 1985, seg).unwrap().segment_count(), 3);
	}

	#[test]
	fn stream_size_inverts() {
		let seg = 2000u64;
		for size in [0u64, 1, 1927, 1928, 1929, 3911, 3912, 3913, 5000, 50_000] {
			let l = StreamLayout::new(size, seg).unwrap();
			assert_eq!(StreamLayout::from_stream_size(l.stream_size(), seg).unwrap(), l);
		}
		// Sizes no encrypted stream has: too short for header and tag, a final segment of
		// fewer than 17 bytes.
		for bad in [0u64, 1, 71, seg + 5, seg + 16, 2 * seg + 3] {
			assert!(StreamLayout::from_stream_size(bad, seg).is_err(), "{bad}");
		}
		assert!(StreamLayout::from_stream_size(seg + 17, seg).is_ok());
	}

	#[test]
	fn layout_rejects_out_of_range_sizes() {
		assert!(matches!(StreamLayout::new(1, 255), Err(Error::InvalidSegmentSize { .. })));
		assert!(StreamLayout::new(1, 256).is_ok());
		assert!(matches!(
			StreamLayout::new(1, MAX_SEGMENT_SIZE + 1),
			Err(Error::InvalidSegmentSize { .. })
		));
		assert!(matches!(StreamLayout::new(u64::MAX, 256), Err(Error::FileTooLarge { .. })));
		assert!(matches!(
			StreamLayout::new(u64::MAX - 10, MAX_SEGMENT_SIZE),
			Err(Error::FileTooLarge { .. })
		));
	}
}
