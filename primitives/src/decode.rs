//! Typed errors and a bounds-checked reader shared by every decoder of untrusted bytes.
//!
//! No decoder in this crate panics on malformed input: each returns a [`DecodeError`].

/// Why untrusted bytes were rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DecodeError {
	/// The input ended before the structure was complete.
	Truncated,
	/// Bytes were left over after the structure was complete.
	TrailingBytes,
	/// A length or count field is outside its allowed range.
	BadLength,
	/// A scalar is not the canonical encoding of an `Fr` element (it is ≥ r).
	NonCanonicalScalar,
	/// A curve point does not decode, is not on the curve, is not in the prime-order subgroup,
	/// or is the point at infinity.
	InvalidPoint,
	/// A Merkle proof's sibling count does not match its index and leaf count.
	BadMerkleProof,
	/// A parameter (such as `s`) is outside the supported range.
	BadParameter,
}

impl core::fmt::Display for DecodeError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		let s = match self {
			Self::Truncated => "input truncated",
			Self::TrailingBytes => "trailing bytes after input",
			Self::BadLength => "length field out of range",
			Self::NonCanonicalScalar => "non-canonical scalar",
			Self::InvalidPoint => "invalid curve point",
			Self::BadMerkleProof => "malformed Merkle proof",
			Self::BadParameter => "parameter out of range",
		};
		f.write_str(s)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}

/// A cursor over untrusted bytes whose reads fail with [`DecodeError::Truncated`] instead of
/// panicking.
#[derive(Debug)]
pub struct Reader<'a> {
	bytes: &'a [u8],
}

impl<'a> Reader<'a> {
	/// A reader over `bytes`.
	pub fn new(bytes: &'a [u8]) -> Self {
		Self { bytes }
	}

	/// Bytes not yet read.
	pub fn remaining(&self) -> usize {
		self.bytes.len()
	}

	/// The next `n` bytes.
	pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
		if self.bytes.len() < n {
			return Err(DecodeError::Truncated);
		}
		let (head, tail) = self.bytes.split_at(n);
		self.bytes = tail;
		Ok(head)
	}

	/// The next `N` bytes as an array.
	pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
		let mut out = [0u8; N];
		out.copy_from_slice(self.take(N)?);
		Ok(out)
	}

	/// A byte.
	pub fn u8(&mut self) -> Result<u8, DecodeError> {
		Ok(self.array::<1>()?[0])
	}

	/// A little-endian `u16`.
	pub fn u16(&mut self) -> Result<u16, DecodeError> {
		Ok(u16::from_le_bytes(self.array()?))
	}

	/// A little-endian `u32`.
	pub fn u32(&mut self) -> Result<u32, DecodeError> {
		Ok(u32::from_le_bytes(self.array()?))
	}

	/// Fails with [`DecodeError::TrailingBytes`] unless every byte was read.
	pub fn finish(self) -> Result<(), DecodeError> {
		if self.bytes.is_empty() {
			Ok(())
		} else {
			Err(DecodeError::TrailingBytes)
		}
	}
}
