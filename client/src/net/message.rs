//! The messages of the miner protocols and their wire form.
//!
//! Two request-response protocols share these types:
//!
//! * [`PUSH_PROTOCOL`] (`/cess/push/2`), owner → miner: [`Request::Offer`] a column,
//!   [`Request::Fragment`] each missing fragment (answered [`Response::Stored`] once the miner
//!   checked it against the manifest, and the manifest against the file id), then
//!   [`Request::Accept`] with the owner's signed acceptance, which the miner reports on chain.
//! * [`FETCH_PROTOCOL`] (`/cess/fetch/1`), anyone → miner: [`Request::Manifest`] and
//!   [`Request::Get`] of held fragments (downloads and miner-to-miner restoral).
//!
//! A message on the wire is a 4-byte little-endian length followed by that many bytes of its SCALE
//! encoding; lengths above [`MAX_MESSAGE_BYTES`] are refused before anything is allocated, and a
//! message must decode exactly (no trailing bytes). Fragments travel one per message, so a push
//! cut short resumes at the first fragment the miner does not hold ([`Response::Need`]).

use codec::{Decode, DecodeAll, Encode};

use cess_primitives::types::{Column, FileId, SegmentIndex};

/// The push protocol's name.
pub const PUSH_PROTOCOL: &str = "/cess/push/2";
/// The fetch protocol's name.
pub const FETCH_PROTOCOL: &str = "/cess/fetch/1";
/// Largest message accepted: a 32 MiB fragment (a full default segment at `k = 1`) plus room.
pub const MAX_MESSAGE_BYTES: usize = 33 * 1024 * 1024;
/// Longest refusal text a miner sends.
pub const MAX_REASON_BYTES: usize = 1024;

/// A request to a miner.
#[derive(Clone, PartialEq, Eq, Encode, Decode)]
pub enum Request {
	/// Push: the owner offers column `column` of the file described by `manifest` (bytes of a
	/// [`FileManifest`](crate::FileManifest)). The miner checks it against the chain and answers
	/// [`Response::Need`].
	Offer {
		/// The column the chain assigned to the miner.
		column: Column,
		/// The file's manifest.
		manifest: Vec<u8>,
	},
	/// Push: fragment `(segment, column)` of an offered file. Answered [`Response::Stored`] once
	/// it matches its hash in the manifest.
	Fragment {
		/// The file.
		file_id: FileId,
		/// The segment.
		segment: SegmentIndex,
		/// The column.
		column: Column,
		/// The fragment.
		data: Vec<u8>,
	},
	/// Push: the owner confirms the miner holds `column`; `signature` is its sr25519 signature
	/// over [`acceptance_message`](cess_primitives::traits::acceptance_message).
	Accept {
		/// The file.
		file_id: FileId,
		/// The column.
		column: Column,
		/// The owner's signature.
		signature: [u8; 64],
	},
	/// Fetch: the manifest of a file the miner holds.
	Manifest {
		/// The file.
		file_id: FileId,
	},
	/// Fetch: fragment `(segment, column)` of a file the miner holds.
	Get {
		/// The file.
		file_id: FileId,
		/// The segment.
		segment: SegmentIndex,
		/// The column.
		column: Column,
	},
}

impl Request {
	/// The protocol this request belongs to.
	pub fn protocol(&self) -> &'static str {
		match self {
			Request::Offer { .. } | Request::Fragment { .. } | Request::Accept { .. } => {
				PUSH_PROTOCOL
			},
			Request::Manifest { .. } | Request::Get { .. } => FETCH_PROTOCOL,
		}
	}
}

impl core::fmt::Debug for Request {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		let id = |id: &FileId| hex_prefix(id);
		match self {
			Request::Offer { column, manifest } => {
				write!(f, "Offer(column {column}, manifest {} B)", manifest.len())
			},
			Request::Fragment { file_id, segment, column, data } => {
				write!(f, "Fragment({} seg {segment} col {column}, {} B)", id(file_id), data.len())
			},
			Request::Accept { file_id, column, .. } => {
				write!(f, "Accept({} col {column})", id(file_id))
			},
			Request::Manifest { file_id } => write!(f, "Manifest({})", id(file_id)),
			Request::Get { file_id, segment, column } => {
				write!(f, "Get({} seg {segment} col {column})", id(file_id))
			},
		}
	}
}

fn hex_prefix(id: &FileId) -> String {
	id[..6].iter().map(|b| format!("{b:02x}")).collect::<String>() + "…"
}

/// Why a miner refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Refusal {
	/// The chain does not know the file, or it is not waiting for this column.
	UnknownFile,
	/// The chain did not assign this column to this miner.
	NotAssigned,
	/// The manifest is malformed or does not match the chain's record of the file.
	BadManifest,
	/// The fragment does not hash to the manifest's hash, or has the wrong length.
	BadFragment,
	/// The column was not offered first, or the miner does not hold what was asked for.
	NotHeld,
	/// Storing would exceed the miner's declared capacity.
	NoSpace,
	/// The chain rejected the transfer report (for example a bad acceptance signature).
	Rejected,
	/// The miner cannot reach its node or its disk failed; try again later.
	Unavailable,
	/// The request came on the wrong protocol.
	WrongProtocol,
}

/// A miner's answer.
#[derive(Clone, PartialEq, Eq, Encode, Decode)]
pub enum Response {
	/// The segments of the offered column the miner still needs, ascending.
	Need {
		/// Segment indices.
		segments: Vec<SegmentIndex>,
	},
	/// The fragment matched its hash and is stored durably.
	Stored,
	/// The acceptance is on chain: the column is reported.
	Reported,
	/// A manifest.
	Manifest {
		/// Bytes of a [`FileManifest`](crate::FileManifest).
		manifest: Vec<u8>,
	},
	/// A fragment.
	Fragment {
		/// The fragment.
		data: Vec<u8>,
	},
	/// The request was refused.
	Refused {
		/// Why.
		refusal: Refusal,
		/// Details for the user (at most [`MAX_REASON_BYTES`]).
		reason: String,
	},
}

impl Response {
	/// A refusal; `reason` is cut to [`MAX_REASON_BYTES`].
	pub fn refused(refusal: Refusal, reason: impl Into<String>) -> Self {
		let mut reason = reason.into();
		if reason.len() > MAX_REASON_BYTES {
			let mut end = MAX_REASON_BYTES;
			while !reason.is_char_boundary(end) {
				end -= 1;
			}
			reason.truncate(end);
		}
		Response::Refused { refusal, reason }
	}
}

impl core::fmt::Debug for Response {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Response::Need { segments } => write!(f, "Need({} segments)", segments.len()),
			Response::Stored => f.write_str("Stored"),
			Response::Reported => f.write_str("Reported"),
			Response::Manifest { manifest } => write!(f, "Manifest({} B)", manifest.len()),
			Response::Fragment { data } => write!(f, "Fragment({} B)", data.len()),
			Response::Refused { refusal, reason } => write!(f, "Refused({refusal:?}: {reason})"),
		}
	}
}

/// Why bytes are not a message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
	/// The length prefix is above [`MAX_MESSAGE_BYTES`].
	#[error("message of {0} bytes is above the {MAX_MESSAGE_BYTES}-byte limit")]
	TooLarge(usize),
	/// The body is not the SCALE encoding of a message.
	#[error("malformed message: {0}")]
	Malformed(String),
}

/// The length-prefixed wire form of `message`.
pub fn to_frame<M: Encode>(message: &M) -> Vec<u8> {
	let mut out = Vec::with_capacity(4 + message.size_hint());
	out.extend_from_slice(&[0; 4]);
	message.encode_to(&mut out);
	let len = (out.len() - 4) as u32;
	out[..4].copy_from_slice(&len.to_le_bytes());
	out
}

/// A message's wire form in two parts that make [`to_frame`]'s bytes together: a head, and the
/// borrowed fragment of a fragment-carrying message, so that sending a fragment does not copy
/// it (a push holds several fragments of 16 MiB or more in flight).
pub trait Framed: Encode + Sized {
	/// `(head, payload)`, `head ‖ payload` being the frame.
	fn frame_parts(&self) -> (Vec<u8>, &[u8]) {
		(to_frame(self), &[])
	}
}

/// The frame parts of a message whose last field is the byte vector `payload`, given the same
/// message with that field empty: its encoding ends in the empty vector's length (`0`), which
/// becomes `payload`'s.
fn split_frame<'a, M: Encode>(empty: &M, payload: &'a [u8]) -> (Vec<u8>, &'a [u8]) {
	let mut head = empty.encode();
	let empty_len = head.pop();
	debug_assert_eq!(empty_len, Some(0));
	codec::Compact(payload.len() as u32).encode_to(&mut head);
	let len = (head.len() + payload.len()) as u32;
	let mut frame = Vec::with_capacity(4 + head.len());
	frame.extend_from_slice(&len.to_le_bytes());
	frame.extend_from_slice(&head);
	(frame, payload)
}

impl Framed for Request {
	fn frame_parts(&self) -> (Vec<u8>, &[u8]) {
		match self {
			Self::Fragment { file_id, segment, column, data } => split_frame(
				&Self::Fragment {
					file_id: *file_id,
					segment: *segment,
					column: *column,
					data: Vec::new(),
				},
				data,
			),
			other => (to_frame(other), &[]),
		}
	}
}

impl Framed for Response {
	fn frame_parts(&self) -> (Vec<u8>, &[u8]) {
		match self {
			Self::Fragment { data } => split_frame(&Self::Fragment { data: Vec::new() }, data),
			other => (to_frame(other), &[]),
		}
	}
}

/// Checks a frame's length prefix; returns the body length.
pub fn frame_len(prefix: [u8; 4]) -> Result<usize, WireError> {
	let len = u32::from_le_bytes(prefix) as usize;
	if len > MAX_MESSAGE_BYTES {
		return Err(WireError::TooLarge(len));
	}
	Ok(len)
}

/// Decodes a frame's body; it must be exactly one message.
pub fn from_body<M: Decode>(body: &[u8]) -> Result<M, WireError> {
	if body.len() > MAX_MESSAGE_BYTES {
		return Err(WireError::TooLarge(body.len()));
	}
	M::decode_all(&mut &body[..]).map_err(|e| WireError::Malformed(e.to_string()))
}

/// Decodes a whole frame (prefix and body), as a stream reader would.
pub fn from_frame<M: Decode>(frame: &[u8]) -> Result<M, WireError> {
	let (prefix, body) = frame
		.split_first_chunk::<4>()
		.ok_or_else(|| WireError::Malformed("shorter than the length prefix".into()))?;
	let len = frame_len(*prefix)?;
	if body.len() != len {
		return Err(WireError::Malformed(format!(
			"length prefix says {len} bytes, {} follow",
			body.len()
		)));
	}
	from_body(body)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn requests() -> Vec<Request> {
		vec![
			Request::Offer { column: 3, manifest: vec![1, 2, 3] },
			Request::Fragment { file_id: [7; 32], segment: 2, column: 1, data: vec![9; 100] },
			Request::Accept { file_id: [7; 32], column: 1, signature: [5; 64] },
			Request::Manifest { file_id: [1; 32] },
			Request::Get { file_id: [1; 32], segment: 4, column: 5 },
		]
	}

	#[test]
	fn frames_round_trip() {
		for request in requests() {
			assert_eq!(from_frame::<Request>(&to_frame(&request)).unwrap(), request);
		}
		let responses = vec![
			Response::Need { segments: vec![0, 2] },
			Response::Stored,
			Response::Reported,
			Response::Manifest { manifest: vec![3; 60] },
			Response::Fragment { data: vec![4; 10] },
			Response::refused(Refusal::NoSpace, "full"),
		];
		for response in responses {
			assert_eq!(from_frame::<Response>(&to_frame(&response)).unwrap(), response);
		}
	}

	#[test]
	fn frame_parts_make_the_frame() {
		let requests = [
			Request::Fragment { file_id: [7; 32], segment: 2, column: 1, data: vec![9; 100] },
			Request::Fragment { file_id: [7; 32], segment: 2, column: 1, data: vec![9; 70_000] },
			Request::Fragment { file_id: [7; 32], segment: 2, column: 1, data: Vec::new() },
			Request::Manifest { file_id: [1; 32] },
		];
		for request in requests {
			let (head, payload) = request.frame_parts();
			assert_eq!([head, payload.to_vec()].concat(), to_frame(&request));
		}
		for response in [
			Response::Fragment { data: vec![3; 1 << 20] },
			Response::Fragment { data: vec![3; 5] },
			Response::Stored,
		] {
			let (head, payload) = response.frame_parts();
			assert_eq!([head, payload.to_vec()].concat(), to_frame(&response));
		}
	}

	#[test]
	fn bad_frames_are_refused() {
		let mut frame = to_frame(&Request::Manifest { file_id: [1; 32] });
		frame.push(0);
		assert!(matches!(from_frame::<Request>(&frame), Err(WireError::Malformed(_))));
		let huge = ((MAX_MESSAGE_BYTES + 1) as u32).to_le_bytes();
		assert_eq!(frame_len(huge), Err(WireError::TooLarge(MAX_MESSAGE_BYTES + 1)));
		assert!(matches!(from_frame::<Request>(&[0, 0]), Err(WireError::Malformed(_))));
		// A trailing byte after a complete message.
		let mut body = Request::Manifest { file_id: [1; 32] }.encode();
		body.push(1);
		assert!(from_body::<Request>(&body).is_err());
		// An unknown variant.
		assert!(from_body::<Request>(&[200]).is_err());
	}

	#[test]
	fn refusal_text_is_bounded() {
		let Response::Refused { reason, .. } =
			Response::refused(Refusal::Rejected, "é".repeat(600))
		else {
			unreachable!()
		};
		assert!(reason.len() <= MAX_REASON_BYTES);
	}

	#[test]
	fn requests_name_their_protocol() {
		let protocols: Vec<_> = requests().iter().map(Request::protocol).collect();
		assert_eq!(protocols[..3], [PUSH_PROTOCOL; 3]);
		assert_eq!(protocols[3..], [FETCH_PROTOCOL; 2]);
	}
}
