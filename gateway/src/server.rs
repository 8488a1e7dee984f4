//! HTTP serving: the S3 endpoint and the metrics endpoint, each an HTTP/1.1 accept loop with a
//! bound on connections and on how long a client may take to send its headers.

use std::{convert::Infallible, io, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{body::Incoming, server::conn::http1, service::service_fn, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{net::TcpListener, sync::Semaphore};

use crate::metrics::Metrics;

/// How long a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `service` on `listener` with at most `max_connections` open at once; further
/// connections wait in the listen queue.
pub async fn serve<S>(listener: TcpListener, service: S, max_connections: usize) -> io::Result<()>
where
	S: hyper::service::Service<Request<Incoming>> + Clone + Send + 'static,
	S::Future: Send + 'static,
	S::Response: Into<Response<s3s::Body>>,
	S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
	let slots = Arc::new(Semaphore::new(max_connections));
	loop {
		let slot = slots.clone().acquire_owned().await.expect("never closed");
		let (stream, peer) = listener.accept().await?;
		let service = service.clone();
		tokio::spawn(async move {
			let _slot = slot;
			let service = service_fn(move |req| {
				let future = service.call(req);
				async move { future.await.map(Into::into) }
			});
			let connection = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEADER_TIMEOUT)
				.serve_connection(TokioIo::new(stream), service);
			if let Err(e) = connection.await {
				tracing::debug!(target: "cess-gateway::http", %peer, error = %e, "connection ended");
			}
		});
	}
}

/// Serves `/metrics` (Prometheus text) and `/health` on `listener`.
pub async fn serve_metrics(listener: TcpListener, metrics: Arc<Metrics>) -> io::Result<()> {
	loop {
		let (stream, _) = listener.accept().await?;
		let metrics = metrics.clone();
		tokio::spawn(async move {
			let service = service_fn(move |req: Request<Incoming>| {
				let (status, body) = match req.uri().path() {
					"/metrics" => (200, metrics.render()),
					"/health" => (200, "ok\n".to_string()),
					_ => (404, "not found: try /metrics\n".to_string()),
				};
				let mut response = Response::new(Full::new(Bytes::from(body)));
				*response.status_mut() = hyper::StatusCode::from_u16(status).expect("valid status");
				async move { Ok::<_, Infallible>(response) }
			});
			let _ = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEADER_TIMEOUT)
				.serve_connection(TokioIo::new(stream), service)
				.await;
		});
	}
}
