//! The libp2p request-response codec of the miner protocols: length-prefixed SCALE messages
//! ([`message`](super::message)), with a request refused when it arrives on the wrong protocol.
//!
//! Memory under a flood: a message's body is read into a buffer that grows only with the bytes
//! that arrive (a peer announcing 33 MiB and sending nothing costs nothing), and the bodies of
//! inbound requests being read at one time share a byte budget ([`INBOUND_BUDGET_BYTES`]): a
//! request that finds no room within [`BUDGET_WAIT`] is dropped.

use std::{
	io,
	sync::{Arc, LazyLock},
	time::Duration,
};

use async_trait::async_trait;
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::StreamProtocol;
use tokio::sync::Semaphore;

use super::message::{frame_len, from_body, Framed, Request, Response};

/// Bytes of inbound request bodies read at one time, across every connection of the process.
pub const INBOUND_BUDGET_BYTES: usize = 128 << 20;
/// How long an inbound request waits for room in the budget before its stream is dropped.
pub const BUDGET_WAIT: Duration = Duration::from_secs(30);
/// The budget is counted in units of this many bytes.
const UNIT: usize = 1024;

static INBOUND_BUDGET: LazyLock<Arc<Semaphore>> =
	LazyLock::new(|| Arc::new(Semaphore::new(INBOUND_BUDGET_BYTES / UNIT)));

/// The codec: the process-wide inbound budget, or one of its own (tests).
#[derive(Clone, Debug)]
pub struct MinerCodec {
	budget: Arc<Semaphore>,
	wait: Duration,
}

impl Default for MinerCodec {
	fn default() -> Self {
		Self { budget: INBOUND_BUDGET.clone(), wait: BUDGET_WAIT }
	}
}

impl MinerCodec {
	/// A codec whose inbound requests share `bytes` of budget and wait `wait` for room.
	pub fn with_budget(bytes: usize, wait: Duration) -> Self {
		Self { budget: Arc::new(Semaphore::new(bytes.div_ceil(UNIT))), wait }
	}
}

fn invalid(e: impl ToString) -> io::Error {
	io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// Reads a length prefix, then `len` bytes into a buffer that grows as they arrive.
async fn read_body<T: AsyncRead + Unpin + Send>(io: &mut T, len: usize) -> io::Result<Vec<u8>> {
	let mut body = Vec::with_capacity(len);
	let mut chunk = vec![0u8; len.min(64 * 1024)];
	while body.len() < len {
		let want = (len - body.len()).min(chunk.len());
		let n = io.read(&mut chunk[..want]).await?;
		if n == 0 {
			return Err(io::ErrorKind::UnexpectedEof.into());
		}
		body.extend_from_slice(&chunk[..n]);
	}
	Ok(body)
}

async fn read_prefix<T: AsyncRead + Unpin + Send>(io: &mut T) -> io::Result<usize> {
	let mut prefix = [0u8; 4];
	io.read_exact(&mut prefix).await?;
	frame_len(prefix).map_err(invalid)
}

async fn write_message<T, M>(io: &mut T, message: &M) -> io::Result<()>
where
	T: AsyncWrite + Unpin + Send,
	M: Framed,
{
	let (head, payload) = message.frame_parts();
	io.write_all(&head).await?;
	io.write_all(payload).await?;
	io.close().await
}

#[async_trait]
impl libp2p::request_response::Codec for MinerCodec {
	type Protocol = StreamProtocol;
	type Request = Request;
	type Response = Response;

	async fn read_request<T>(
		&mut self,
		protocol: &StreamProtocol,
		io: &mut T,
	) -> io::Result<Request>
	where
		T: AsyncRead + Unpin + Send,
	{
		let len = read_prefix(io).await?;
		let units = u32::try_from(len.div_ceil(UNIT).max(1)).map_err(invalid)?;
		let _room = tokio::time::timeout(self.wait, self.budget.clone().acquire_many_owned(units))
			.await
			.map_err(|_| {
				io::Error::new(io::ErrorKind::TimedOut, "too many requests being received")
			})?
			.map_err(invalid)?;
		let request: Request = from_body(&read_body(io, len).await?).map_err(invalid)?;
		if request.protocol() != protocol.as_ref() {
			return Err(invalid(format!("{request:?} does not belong to {protocol}")));
		}
		Ok(request)
	}

	async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Response>
	where
		T: AsyncRead + Unpin + Send,
	{
		let len = read_prefix(io).await?;
		from_body(&read_body(io, len).await?).map_err(invalid)
	}

	async fn write_request<T>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		request: Request,
	) -> io::Result<()>
	where
		T: AsyncWrite + Unpin + Send,
	{
		write_message(io, &request).await
	}

	async fn write_response<T>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		response: Response,
	) -> io::Result<()>
	where
		T: AsyncWrite + Unpin + Send,
	{
		write_message(io, &response).await
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::net::message::{to_frame, FETCH_PROTOCOL, PUSH_PROTOCOL};
	use futures::io::Cursor;
	use libp2p::request_response::Codec;

	fn frame(request: &Request) -> Vec<u8> {
		to_frame(request)
	}

	fn fragment(len: usize) -> Request {
		Request::Fragment { file_id: [1; 32], segment: 0, column: 0, data: vec![7; len] }
	}

	#[tokio::test]
	async fn requests_read_within_the_budget() {
		let mut codec = MinerCodec::with_budget(4 << 20, Duration::from_millis(100));
		let push = StreamProtocol::new(PUSH_PROTOCOL);
		let request = fragment(1 << 20);
		let read = codec.read_request(&push, &mut Cursor::new(frame(&request))).await.unwrap();
		assert_eq!(read, request);
		// On the wrong protocol: refused.
		let fetch = StreamProtocol::new(FETCH_PROTOCOL);
		let wrong = codec.read_request(&fetch, &mut Cursor::new(frame(&request))).await;
		assert_eq!(wrong.unwrap_err().kind(), io::ErrorKind::InvalidData);
	}

	#[tokio::test]
	async fn a_request_above_the_free_budget_waits_then_is_dropped() {
		let mut codec = MinerCodec::with_budget(2 << 20, Duration::from_millis(100));
		let push = StreamProtocol::new(PUSH_PROTOCOL);
		// Another request holds most of the budget.
		let held = codec.budget.clone().acquire_many_owned(1024 + 512).await.unwrap();
		let request = fragment(1 << 20);
		let dropped = codec.read_request(&push, &mut Cursor::new(frame(&request))).await;
		assert_eq!(dropped.unwrap_err().kind(), io::ErrorKind::TimedOut);
		drop(held);
		let read = codec.read_request(&push, &mut Cursor::new(frame(&request))).await.unwrap();
		assert_eq!(read, request);
		assert_eq!(codec.budget.available_permits(), 2048, "the room is given back");
	}

	#[tokio::test]
	async fn a_short_body_is_an_error_not_an_allocation() {
		let mut codec = MinerCodec::with_budget(64 << 20, Duration::from_millis(100));
		let push = StreamProtocol::new(PUSH_PROTOCOL);
		// Announces 33 MiB, sends 10 bytes.
		let mut bytes = ((33usize << 20) as u32).to_le_bytes().to_vec();
		bytes.extend_from_slice(&[0; 10]);
		let short = codec.read_request(&push, &mut Cursor::new(bytes)).await;
		assert_eq!(short.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
	}
}
