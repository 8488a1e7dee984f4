//! The miner's read-only HTTP server: retrievability probes for validators' off-chain workers,
//! `/metrics` for Prometheus and `/health`.
//!
//! Announce it on chain as a `/ip4/<ip>/tcp/<port>/http` multiaddr (see `update-endpoint`):
//! validators derive the probe URL from it with [`cess_primitives::probe::http_endpoint`].

use std::{convert::Infallible, io, sync::Arc, time::Duration};

use bytes::Bytes;
use cess_primitives::probe::parse_probe_path;
use http_body_util::Full;
use hyper::{
	body::Incoming, header, server::conn::http1, service::service_fn, Method, Request, Response,
	StatusCode,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{net::TcpListener, sync::Semaphore};

/// HTTP connections served at once; more are closed as soon as they are accepted.
pub const MAX_HTTP_CONNECTIONS: usize = 256;
/// How long a client may take to send its request headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one connection is served at most (probes and metrics are small answers).
pub const CONNECTION_TIMEOUT: Duration = Duration::from_secs(60);

use crate::{
	metrics::Metrics,
	store::{FragmentStore, StoreError},
};

/// What the server reads from.
pub struct HttpState {
	/// The fragment store.
	pub store: Arc<FragmentStore>,
	/// The metrics to export.
	pub metrics: Arc<Metrics>,
}

/// A response: status, content type, body.
pub struct Reply {
	/// HTTP status.
	pub status: StatusCode,
	/// `Content-Type`.
	pub content_type: &'static str,
	/// The body.
	pub body: Vec<u8>,
}

impl Reply {
	fn text(status: StatusCode, text: impl Into<String>) -> Self {
		Self { status, content_type: "text/plain; charset=utf-8", body: text.into().into_bytes() }
	}
}

/// Answers `GET path` (blocking: reads the store).
pub fn reply(state: &HttpState, method: &Method, path: &str) -> Reply {
	if method != Method::GET {
		return Reply::text(StatusCode::METHOD_NOT_ALLOWED, "only GET is served\n");
	}
	match path {
		"/health" => Reply::text(StatusCode::OK, "ok\n"),
		"/metrics" => {
			let m = &state.metrics;
			m.store_used_bytes.set(state.store.used() as i64);
			m.store_capacity_bytes.set(state.store.capacity() as i64);
			m.held_columns.set(state.store.held_columns().len() as i64);
			Reply {
				status: StatusCode::OK,
				content_type: "text/plain; version=0.0.4",
				body: m.render().into_bytes(),
			}
		},
		_ => probe(state, path),
	}
}

fn probe(state: &HttpState, path: &str) -> Reply {
	let outcome = |o: &str| state.metrics.probes.with_label_values(&[o]).inc();
	let Some((file_id, segment, column, leaf)) = parse_probe_path(path) else {
		outcome("bad_request");
		return Reply::text(
			StatusCode::NOT_FOUND,
			"unknown path; probes are /cess/probe/v2/<file id hex>/<segment>/<column>/<leaf>\n",
		);
	};
	match state.store.probe(&file_id, segment, column, leaf) {
		Ok(proof) => {
			outcome("served");
			Reply { status: StatusCode::OK, content_type: "application/octet-stream", body: proof }
		},
		Err(
			e @ (StoreError::UnknownFile(_)
			| StoreError::ColumnNotHeld { .. }
			| StoreError::OutOfRange { .. }),
		) => {
			outcome("not_found");
			Reply::text(StatusCode::NOT_FOUND, format!("{e}\n"))
		},
		Err(e) => {
			outcome("error");
			tracing::warn!(target: "cess-miner::http", error = %e, path, "probe failed");
			Reply::text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n"))
		},
	}
}

async fn handle(
	state: Arc<HttpState>,
	req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
	let method = req.method().clone();
	let path = req.uri().path().to_owned();
	let reply = tokio::task::spawn_blocking(move || reply(&state, &method, &path))
		.await
		.unwrap_or_else(|e| Reply::text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")));
	let mut response = Response::new(Full::new(Bytes::from(reply.body)));
	*response.status_mut() = reply.status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(reply.content_type));
	Ok(response)
}

/// Serves HTTP/1.1 on `listener` until the task is dropped or accepting fails.
pub async fn serve(listener: TcpListener, state: Arc<HttpState>) -> io::Result<()> {
	let slots = Arc::new(Semaphore::new(MAX_HTTP_CONNECTIONS));
	loop {
		let (stream, peer) = listener.accept().await?;
		let Ok(slot) = slots.clone().try_acquire_owned() else {
			tracing::debug!(target: "cess-miner::http", %peer, "too many connections: closed");
			continue;
		};
		let state = state.clone();
		tokio::spawn(async move {
			let _slot = slot;
			let service = service_fn(move |req| handle(state.clone(), req));
			let connection = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEADER_TIMEOUT)
				.serve_connection(TokioIo::new(stream), service);
			match tokio::time::timeout(CONNECTION_TIMEOUT, connection).await {
				Ok(Ok(())) => {},
				Ok(Err(e)) => {
					tracing::debug!(target: "cess-miner::http", %peer, error = %e, "connection ended")
				},
				Err(_) => {
					tracing::debug!(target: "cess-miner::http", %peer, "connection timed out")
				},
			}
		});
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::test_file::TestFile;
	use cess_primitives::{
		possession::{verify, Holding},
		probe::probe_path,
	};
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	fn state(dir: &std::path::Path) -> (Arc<HttpState>, TestFile) {
		let store = FragmentStore::open(dir, 1 << 30).unwrap();
		let file = TestFile::new(2, 1, 23, 30_000);
		file.put_column(&store, 0);
		store.commit(&file.manifest, &[0]).unwrap();
		(Arc::new(HttpState { store: Arc::new(store), metrics: Arc::new(Metrics::new()) }), file)
	}

	async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, Vec<u8>) {
		let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
		let request = format!("GET {path} HTTP/1.1\r\nHost: miner\r\nConnection: close\r\n\r\n");
		stream.write_all(request.as_bytes()).await.unwrap();
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw).await.unwrap();
		let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end") + 4;
		let status = std::str::from_utf8(&raw[9..12]).unwrap().parse().unwrap();
		(status, raw[split..].to_vec())
	}

	#[tokio::test]
	async fn serves_probes_health_and_metrics_over_http() {
		let dir = tempfile::tempdir().unwrap();
		let (state, file) = state(dir.path());
		let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
		let addr = listener.local_addr().unwrap();
		let server = tokio::spawn(serve(listener, state));
		let id = *file.manifest.file_id();
		let held = Holding { file_id: id, column: 0, layout: *file.manifest.layout() };
		let sample = held.sample_in(1, 2);

		let (status, body) = get(addr, &probe_path(&id, 1, 0, 2)).await;
		assert_eq!(status, 200);
		assert_eq!(verify(&[sample], &body), Ok(()));
		assert_eq!(get(addr, &probe_path(&id, 1, 1, 2)).await.0, 404);
		assert_eq!(get(addr, &probe_path(&[3; 32], 0, 0, 0)).await.0, 404);
		assert_eq!(get(addr, "/cess/probe/v2/zz/0/0/0").await.0, 404);
		assert_eq!(get(addr, "/health").await, (200, b"ok\n".to_vec()));
		let (status, metrics) = get(addr, "/metrics").await;
		assert_eq!(status, 200);
		let metrics = String::from_utf8(metrics).unwrap();
		assert!(metrics.contains("cess_miner_probes_total{outcome=\"served\"} 1"), "{metrics}");
		assert!(metrics.contains("cess_miner_probes_total{outcome=\"not_found\"} 2"), "{metrics}");
		assert!(metrics.contains("cess_miner_held_columns 1"), "{metrics}");
		server.abort();
	}
}
