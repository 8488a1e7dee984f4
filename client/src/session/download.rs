//! Reading a stored file from its miners, one segment at a time and in any order: the
//! [`RemoteFile`] fetches a segment's fragments and rebuilds its stored (still encrypted) bytes;
//! a [`PlainView`](crate::PlainView) opened from segment 0 turns them into plaintext.
//!
//! Per segment, `k + 2` miners are asked at once and the first `k` fragments of the right length
//! kept (the slower requests are dropped, a failed one is replaced by the next miner's); the
//! decoder checks their hashes and asks for more columns when one does not match.

use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
};

use cess_primitives::types::{Column, FileId, SegmentIndex};
use futures::{stream::FuturesUnordered, StreamExt};
use zeroize::Zeroizing;

use super::{
	peers::{column_miners, ColumnMiner},
	Session, SessionError,
};
use crate::{
	net::Host,
	pipeline::{read_stored_segment_report, StoredSegment},
	store::{Fetch, FragmentSource},
	Error, FileManifest,
};

/// Extra miners asked per segment beyond `k`, for the long tail.
const EXTRA: usize = 2;
/// How long to wait before asking the miners that failed a segment once more.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// A stored file opened for reading: its manifest (checked against its file id) and the miners
/// of its stored columns. Cheap to clone; share one per file.
#[derive(Clone)]
pub struct RemoteFile {
	manifest: Arc<FileManifest>,
	host: Host,
	miners: Arc<[ColumnMiner]>,
}

impl core::fmt::Debug for RemoteFile {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("RemoteFile")
			.field("file_id", &hex::encode(self.manifest.file_id()))
			.field("segments", &self.segment_count())
			.field("miners", &self.miners.len())
			.finish()
	}
}

/// [`RemoteFile::open`].
pub async fn open(
	session: &Session,
	host: &Host,
	file_id: FileId,
) -> Result<RemoteFile, SessionError> {
	RemoteFile::open(session, host, file_id).await
}

impl RemoteFile {
	/// Opens `file_id`: its chain record, the miners of its stored columns, and its manifest
	/// from the first of them that sends one. Requests go through `host`
	/// ([`client_host`](super::peers::client_host) makes one).
	pub async fn open(
		session: &Session,
		host: &Host,
		file_id: FileId,
	) -> Result<RemoteFile, SessionError> {
		let file = session.file_or_err(file_id).await?;
		let miners: Vec<ColumnMiner> =
			column_miners(session, &file).await?.into_iter().filter(|m| m.stored).collect();
		let manifest = fetch_manifest(host, &miners, &file_id).await?;
		Ok(RemoteFile { manifest: Arc::new(manifest), host: host.clone(), miners: miners.into() })
	}

	/// The file's manifest.
	pub fn manifest(&self) -> &FileManifest {
		&self.manifest
	}

	/// The file's id.
	pub fn file_id(&self) -> FileId {
		*self.manifest.file_id()
	}

	/// Number of segments.
	pub fn segment_count(&self) -> u32 {
		self.manifest.layout().segment_count()
	}

	/// The miners of the file's stored columns, in column order.
	pub fn miners(&self) -> &[ColumnMiner] {
		&self.miners
	}

	/// Segment `segment`'s stored bytes (still encrypted for an encrypted file; decrypt them with
	/// [`PlainView::plaintext`](crate::PlainView::plaintext)).
	pub async fn stored_segment(&self, segment: u32) -> Result<Zeroizing<Vec<u8>>, SessionError> {
		Ok(self.stored_segment_report(segment).await?.bytes)
	}

	/// [`stored_segment`](Self::stored_segment), also telling whether the segment was rebuilt
	/// from parity and which fragments were missing or corrupted.
	pub async fn stored_segment_report(&self, segment: u32) -> Result<StoredSegment, SessionError> {
		let count = self.segment_count();
		if segment >= count {
			return Err(Error::NoSuchSegment { segment, count }.into());
		}
		let (fragments, failed) = self.prefetch(segment).await;
		let file = self.clone();
		let runtime = tokio::runtime::Handle::current();
		let read = tokio::task::spawn_blocking(move || {
			// First from the prefetched fragments alone, the columns not fetched counting as
			// missing; only if some fail their hash, again (the corrupted ones are rejected
			// again), asking the miners of the columns not tried yet.
			let mut source =
				Prefetched { file: &file, segment, fragments, failed, fetch_more: false, runtime };
			match read_stored_segment_report(&file.manifest, &mut source, segment) {
				Err(Error::NotEnoughFragments { .. }) => {
					source.fetch_more = true;
					read_stored_segment_report(&file.manifest, &mut source, segment)
				},
				other => other,
			}
		})
		.await
		.map_err(|e| SessionError::msg(format!("reading segment {segment}: {e}")))?;
		read.map_err(|e| match e {
			Error::NotEnoughFragments { segment, valid, needed, missing, corrupted } => {
				SessionError::msg(format!(
					"the file is not retrievable now: segment {segment} has only {valid} of the \
					 {needed} fragments it needs at its miners ({missing} missing or unreachable, \
					 {corrupted} failed their hash); try again later or have the file restored"
				))
			},
			other => other.into(),
		})
	}

	/// Asks `k + 2` miners at once for their fragment of `segment` and keeps the first `k` of
	/// the right length; a miner that fails is replaced by the next. Returns the fragments and
	/// the columns whose miner failed.
	async fn prefetch(&self, segment: SegmentIndex) -> (HashMap<Column, Vec<u8>>, HashSet<Column>) {
		let k = usize::from(self.manifest.layout().profile.k);
		let mut candidates = self.miners.iter();
		let mut running = FuturesUnordered::new();
		let ask = |miner: &ColumnMiner| {
			let miner = miner.clone();
			async move { (miner.column, self.fetch_one(&miner, segment).await) }
		};
		for miner in candidates.by_ref().take(k + EXTRA) {
			running.push(ask(miner));
		}
		let (mut got, mut failed) = (HashMap::new(), HashSet::new());
		while let Some((column, result)) = running.next().await {
			match result {
				Some(data) => {
					got.insert(column, data);
					if got.len() == k {
						break; // dropping `running` abandons the slowest requests
					}
				},
				None => {
					failed.insert(column);
					if let Some(miner) = candidates.next() {
						running.push(ask(miner));
					}
				},
			}
		}
		drop(running);
		// Too few: a miner busy with other transfers may have dropped the request. Ask the ones
		// that failed once more before the decoder gives up.
		if got.len() < k && !failed.is_empty() {
			tokio::time::sleep(RETRY_AFTER).await;
			let retry = self.miners.iter().filter(|m| failed.contains(&m.column));
			let mut running: FuturesUnordered<_> = retry.map(ask).collect();
			while let Some((column, result)) = running.next().await {
				if let Some(data) = result {
					failed.remove(&column);
					got.insert(column, data);
					if got.len() == k {
						break;
					}
				}
			}
		}
		(got, failed)
	}

	/// One fragment of the right length from `miner` (the decoder checks its hash).
	async fn fetch_one(&self, miner: &ColumnMiner, segment: SegmentIndex) -> Option<Vec<u8>> {
		let len = self.manifest.layout().fragment_len(segment) as usize;
		let data = self
			.host
			.fetch_fragment(miner.peer, &miner.addrs, self.file_id(), segment, miner.column)
			.await?;
		(data.len() == len).then_some(data)
	}
}

/// The manifest of `file_id` from the first of `miners` that sends one.
async fn fetch_manifest(
	host: &Host,
	miners: &[ColumnMiner],
	file_id: &FileId,
) -> Result<FileManifest, SessionError> {
	let mut errors = Vec::new();
	for miner in miners {
		match host.fetch_manifest(miner.peer, &miner.addrs, file_id).await {
			Ok(manifest) => return Ok(manifest),
			Err(e) => errors.push(format!("column {}: {e}", miner.column)),
		}
	}
	Err(SessionError::msg(format!(
		"no miner of the file answered with its manifest ({}); the file is not retrievable now",
		if errors.is_empty() { "no column is stored yet".into() } else { errors.join("; ") }
	)))
}

/// The fragments prefetched for one segment; with `fetch_more`, a column that was not
/// prefetched is fetched from its miner on demand (blocking on `runtime`).
struct Prefetched<'f> {
	file: &'f RemoteFile,
	segment: SegmentIndex,
	fragments: HashMap<Column, Vec<u8>>,
	failed: HashSet<Column>,
	fetch_more: bool,
	runtime: tokio::runtime::Handle,
}

impl FragmentSource for Prefetched<'_> {
	fn get(
		&mut self,
		segment: SegmentIndex,
		column: Column,
		out: &mut [u8],
	) -> crate::Result<Fetch> {
		if segment != self.segment {
			return Ok(Fetch::Missing);
		}
		match self.fragments.get(&column) {
			Some(data) if data.len() == out.len() => {
				out.copy_from_slice(data);
				Ok(Fetch::Found)
			},
			Some(_) => Ok(Fetch::Damaged),
			None if !self.fetch_more || self.failed.contains(&column) => Ok(Fetch::Missing),
			None => {
				let Some(miner) = self.file.miners.iter().find(|m| m.column == column) else {
					return Ok(Fetch::Missing);
				};
				match self.runtime.block_on(self.file.fetch_one(miner, segment)) {
					Some(data) if data.len() == out.len() => {
						out.copy_from_slice(&data);
						self.fragments.insert(column, data);
						Ok(Fetch::Found)
					},
					_ => {
						self.failed.insert(column);
						Ok(Fetch::Missing)
					},
				}
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A gateway shares one `RemoteFile` per file and runs its reads on spawned tasks.
	#[test]
	fn remote_files_and_their_reads_can_be_shared_and_spawned() {
		fn shareable<T: Send + Sync + Clone + 'static>() {}
		fn spawnable<T: Send>(_: &T) {}
		shareable::<RemoteFile>();
		let check = |file: &RemoteFile| {
			spawnable(&file.stored_segment(0));
			spawnable(&file.stored_segment_report(0));
		};
		let _ = check;
	}
}
