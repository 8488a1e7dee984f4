//! The libp2p request-response codec of the miner protocols: length-prefixed SCALE messages
//! ([`message`](super::message)), with a request refused when it arrives on the wrong protocol.

use std::io;

use async_trait::async_trait;
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::StreamProtocol;

use super::message::{frame_len, from_body, to_frame, Request, Response};

/// The codec (stateless).
#[derive(Clone, Copy, Debug, Default)]
pub struct MinerCodec;

async fn read_message<T, M>(io: &mut T) -> io::Result<M>
where
	T: AsyncRead + Unpin + Send,
	M: codec::Decode,
{
	let mut prefix = [0u8; 4];
	io.read_exact(&mut prefix).await?;
	let len = frame_len(prefix).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
	let mut body = vec![0u8; len];
	io.read_exact(&mut body).await?;
	from_body(&body).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

async fn write_message<T, M>(io: &mut T, message: &M) -> io::Result<()>
where
	T: AsyncWrite + Unpin + Send,
	M: codec::Encode,
{
	io.write_all(&to_frame(message)).await?;
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
		let request: Request = read_message(io).await?;
		if request.protocol() != protocol.as_ref() {
			return Err(io::Error::new(
				io::ErrorKind::InvalidData,
				format!("{request:?} does not belong to {protocol}"),
			));
		}
		Ok(request)
	}

	async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Response>
	where
		T: AsyncRead + Unpin + Send,
	{
		read_message(io).await
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
