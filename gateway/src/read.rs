//! Reading objects: an object is its extents (CESS files) end to end; a read of bytes
//! `start..end` decodes only the segments of the extents that cover it, through the segment
//! cache, two segments ahead of the client, and hands the client 1 MiB slices.
//!
//! Memory is bounded across requests: every decoded segment held for a client takes one of
//! [`Gateway::segment_slots`](crate::state::Gateway) until its last slice is sent, and a client
//! that takes nothing for [`Config::send_timeout`](crate::state::Config) is dropped.

use std::{ops::Range, sync::Arc};

use bytes::Bytes;
use cess_client::{session::download::RemoteFile, Decryption, PlainView};
use cess_primitives::types::FileId;
use futures::{stream, Stream, StreamExt};
use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::{account::Account, state::Gateway};

/// Bytes handed to the client at a time.
const SLICE: usize = 1 << 20;
/// Segments decoded ahead of the client.
const AHEAD: usize = 2;

/// An extent's file, opened for reading by one account.
pub struct OpenFile {
	remote: RemoteFile,
	view: PlainView,
}

/// What a read failed with (sent to the client as a broken body: the status line is out).
type ReadError = std::io::Error;

impl Gateway {
	/// The plaintext bytes `range` of an object made of `extents`, as a stream of slices.
	pub fn read_object(
		self: &Arc<Self>,
		account: Arc<Account>,
		extents: Vec<(FileId, u64)>,
		range: Range<u64>,
	) -> impl Stream<Item = Result<Bytes, ReadError>> + Send + Sync + 'static {
		let (tx, rx) = mpsc::channel::<Result<Bytes, ReadError>>(1);
		let gateway = self.clone();
		tokio::spawn(async move {
			if let Err(e) = gateway.send_object(&account, &extents, range, &tx).await {
				tracing::warn!(target: "cess-gateway::read", error = %e, "read failed");
				let _ = tx.send(Err(e)).await;
			}
		});
		stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
	}

	async fn send_object(
		&self,
		account: &Arc<Account>,
		extents: &[(FileId, u64)],
		range: Range<u64>,
		tx: &mpsc::Sender<Result<Bytes, ReadError>>,
	) -> Result<(), ReadError> {
		let mut base = 0u64;
		for &(file_id, size) in extents {
			let extent = base..base + size;
			base += size;
			let (start, end) = (range.start.max(extent.start), range.end.min(extent.end));
			if start >= end {
				continue;
			}
			let local = start - extent.start..end - extent.start;
			let file = self.open_file(account, file_id).await?;
			let first = file.view.segment_at(local.start);
			let last = file.view.segment_at(local.end - 1);
			let mut segments = stream::iter(first..=last)
				.map(|segment| {
					let (gateway, file) = (self, file.clone());
					async move { gateway.plain_segment(&file, segment).await.map(|p| (segment, p)) }
				})
				.buffered(AHEAD);
			while let Some(next) = segments.next().await {
				let (segment, (plain, _slot)) = next?;
				let (offset, len) = file.view.chunk(segment);
				let lo = local.start.max(offset) - offset;
				let hi = local.end.min(offset + len) - offset;
				let mut at = lo as usize;
				while at < hi as usize {
					let to = (at + SLICE).min(hi as usize);
					let slice = plain.slice(at..to);
					match tokio::time::timeout(self.config.send_timeout, tx.send(Ok(slice))).await {
						Ok(Ok(())) => self.metrics.sent_bytes.inc_by((to - at) as u64),
						// The client went away: stop fetching.
						Ok(Err(_)) => return Ok(()),
						Err(_) => {
							tracing::info!(target: "cess-gateway::read", "client too slow: dropped");
							return Ok(());
						},
					}
					at = to;
				}
			}
		}
		Ok(())
	}

	/// `file_id` opened for `account`: its miners, manifest and (for an encrypted file) the
	/// cipher, from segment 0.
	async fn open_file(
		&self,
		account: &Arc<Account>,
		file_id: FileId,
	) -> Result<Arc<OpenFile>, ReadError> {
		let key = (account.id.0, file_id);
		if let Some(file) = self.files.lock().expect("file table poisoned").get(&key) {
			return Ok(file.clone());
		}
		let remote = RemoteFile::open(&account.session, &self.host, file_id)
			.await
			.map_err(std::io::Error::other)?;
		let segment0 = self
			.cache
			.get_or_fetch((file_id, 0), || async {
				remote.stored_segment(0).await.map(|s| s.to_vec())
			})
			.await
			.map_err(std::io::Error::other)?;
		let view =
			PlainView::open(remote.manifest(), Decryption::Owner(account.keys.all()), &segment0)
				.map_err(std::io::Error::other)?;
		let file = Arc::new(OpenFile { remote, view });
		let mut files = self.files.lock().expect("file table poisoned");
		if files.len() >= MAX_OPEN_FILES {
			files.clear();
		}
		files.insert(key, file.clone());
		Ok(file)
	}

	/// Segment `segment`'s plaintext, holding a segment slot until dropped.
	async fn plain_segment(
		&self,
		file: &Arc<OpenFile>,
		segment: u32,
	) -> Result<(Bytes, OwnedSemaphorePermit), ReadError> {
		let slot = self.segment_slots.clone().acquire_owned().await.expect("never closed");
		let file_id = file.remote.file_id();
		let stored = self
			.cache
			.get_or_fetch((file_id, segment), || async {
				file.remote.stored_segment(segment).await.map(|s| s.to_vec())
			})
			.await
			.map_err(std::io::Error::other)?;
		let file = file.clone();
		let plain = tokio::task::spawn_blocking(move || -> Result<Bytes, ReadError> {
			let mut stored = stored;
			let base = stored.as_ptr() as usize;
			let (start, len) = {
				let plain =
					file.view.plaintext(segment, &mut stored).map_err(std::io::Error::other)?;
				(plain.as_ptr() as usize - base, plain.len())
			};
			Ok(Bytes::from(stored).slice(start..start + len))
		})
		.await
		.map_err(std::io::Error::other)??;
		Ok((plain, slot))
	}
}

/// Files kept open (their manifests and ciphers) before the table is emptied.
const MAX_OPEN_FILES: usize = 4096;
