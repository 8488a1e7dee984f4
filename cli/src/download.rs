//! `cess download`: fetch the manifest from any miner (checked against the on-chain file id),
//! then per segment ask `k + 2` miners at once, keep the first `k` fragments that match their
//! hashes and drop the slower requests; the next segments are fetched while one is decoded.

use std::{collections::HashMap, fs::File, io::BufWriter, path::Path, sync::Arc};

use cess_client::{decode, net::Host, DataKey, Decryption, Fetch, FileManifest, FragmentSource};
use cess_primitives::types::{Column, FileId, SegmentIndex};
use futures::{stream::FuturesUnordered, StreamExt};
use tokio::sync::mpsc;

use cess_client::session::peers::{client_host, column_miners, ColumnMiner};

use crate::{
	context::{CliError, Context},
	rights::{self, ReadingKey},
};

/// Segments fetched ahead of the decoder.
const PREFETCH: usize = 2;
/// Extra miners asked per segment beyond `k`, for the long tail.
const EXTRA: usize = 2;

/// A file opened for reading: its manifest and a source that fetches its segments in order.
struct Opened {
	manifest: FileManifest,
	source: SegmentSource,
	fetcher: tokio::task::JoinHandle<()>,
}

async fn open(ctx: &Context, file_id: FileId) -> Result<Opened, CliError> {
	let file = ctx.file_or_err(file_id).await?;
	let miners: Vec<ColumnMiner> =
		column_miners(ctx, &file).await?.into_iter().filter(|m| m.stored).collect();
	let host = client_host().await?;
	let manifest = fetch_manifest(&host, &miners, &file_id).await?;
	let (tx, rx) = mpsc::channel(PREFETCH);
	let shared = Arc::new(manifest.clone());
	let fetcher = tokio::spawn(fetch_segments(host.clone(), miners.clone(), shared.clone(), tx));
	let source = SegmentSource {
		rx,
		segment: None,
		fragments: HashMap::new(),
		host,
		miners,
		manifest: shared,
		runtime: tokio::runtime::Handle::current(),
	};
	Ok(Opened { manifest, source, fetcher })
}

/// The data key of a file the account stored itself, read from segment 0 only.
pub async fn owner_data_key(ctx: &Context, file_id: FileId) -> Result<DataKey, CliError> {
	let secret = ctx.encryption()?;
	let Opened { manifest, mut source, fetcher } = open(ctx, file_id).await?;
	let key = tokio::task::spawn_blocking(move || {
		cess_client::owner_data_key(&manifest, &mut source, secret.all())
	})
	.await
	.map_err(|e| CliError::msg(e.to_string()))?;
	fetcher.abort();
	key.map_err(|e| match e {
		cess_client::Error::WrongKey => CliError::msg(
			"this file was not encrypted by this account: only the account that uploaded it can \
			 register or share it",
		),
		cess_client::Error::EncryptionModeMismatch { .. } => CliError::msg(
			"this file is stored public: anyone can download it, there is no key to share",
		),
		other => CliError::Data(other),
	})
}

pub async fn download(ctx: &Context, file_id: FileId, output: &Path) -> Result<(), CliError> {
	let started = std::time::Instant::now();
	let part = output.with_extension("part");
	let out = File::create(&part)
		.map_err(|e| CliError::msg(format!("cannot create {}: {e}", part.display())))?;
	let result = download_into(ctx, file_id, out, None).await;
	let report = result.inspect_err(|_| {
		let _ = std::fs::remove_file(&part);
	})?;
	std::fs::rename(&part, output)
		.map_err(|e| CliError::msg(format!("cannot write {}: {e}", output.display())))?;
	let secs = started.elapsed().as_secs_f64();
	eprintln!(
		"downloaded {} bytes in {secs:.1} s ({:.1} MB/s), {} segments ({} rebuilt from parity)",
		report.bytes_written,
		report.bytes_written as f64 / secs / 1e6,
		report.segments,
		report.segments_reconstructed
	);
	Ok(())
}

/// Downloads and decrypts `file_id` into `out` (appending), with a progress bar unless `bar`
/// is given (a caller drawing one bar over several files).
pub async fn download_into(
	ctx: &Context,
	file_id: FileId,
	out: File,
	bar: Option<indicatif::ProgressBar>,
) -> Result<cess_client::DecodeReport, CliError> {
	let Opened { manifest, mut source, fetcher } = open(ctx, file_id).await?;
	let key =
		if manifest.is_encrypted() { Some(rights::reading_key(ctx, file_id).await?) } else { None };
	let own_bar = bar.is_none();
	let bar = bar.unwrap_or_else(|| ctx.bytes_bar(manifest.plaintext_size(), "download"));
	let report = {
		let bar = bar.clone();
		tokio::task::spawn_blocking(move || -> Result<_, CliError> {
			let out = bar.wrap_write(BufWriter::with_capacity(1 << 20, out));
			let decryption = match &key {
				Some(ReadingKey::Owner(keys)) => Decryption::Owner(keys.all()),
				Some(ReadingKey::Granted(key)) => Decryption::Key(key),
				None => Decryption::Public,
			};
			let report = decode(&manifest, &mut source, decryption, out).map_err(|e| match e {
				cess_client::Error::WrongKey => CliError::msg(
					"the key does not open this file: it was not encrypted for this account, or \
					 the key its holder delivered is wrong (ask them to grant again)",
				),
				other => CliError::Data(other),
			})?;
			Ok(report)
		})
		.await
		.map_err(|e| CliError::msg(e.to_string()))?
	};
	fetcher.abort();
	if own_bar {
		bar.finish_and_clear();
	}
	report
}

async fn fetch_manifest(
	host: &Host,
	miners: &[ColumnMiner],
	file_id: &FileId,
) -> Result<FileManifest, CliError> {
	let mut errors = Vec::new();
	for miner in miners {
		match host.fetch_manifest(miner.peer, &miner.addrs, file_id).await {
			Ok(manifest) => return Ok(manifest),
			Err(e) => errors.push(format!("column {}: {e}", miner.column)),
		}
	}
	Err(CliError::msg(format!(
		"no miner of the file answered with its manifest ({}); the file is not retrievable now",
		if errors.is_empty() { "no column is stored yet".into() } else { errors.join("; ") }
	)))
}

type Segment = (SegmentIndex, HashMap<Column, Vec<u8>>);

/// Fetches segment after segment into `tx` (bounded: at most [`PREFETCH`] ahead).
async fn fetch_segments(
	host: Host,
	miners: Vec<ColumnMiner>,
	manifest: Arc<FileManifest>,
	tx: mpsc::Sender<Segment>,
) {
	let k = usize::from(manifest.layout().profile.k);
	for segment in 0..manifest.layout().segment_count() {
		let mut candidates = miners.iter();
		let mut running = FuturesUnordered::new();
		let ask = |miner: &ColumnMiner| {
			let (host, miner, manifest) = (host.clone(), miner.clone(), manifest.clone());
			async move { fetch_one(&host, &miner, &manifest, segment).await.map(|d| (miner.column, d)) }
		};
		for miner in candidates.by_ref().take(k + EXTRA) {
			running.push(ask(miner));
		}
		let mut got = HashMap::new();
		while let Some(result) = running.next().await {
			match result {
				Some((column, data)) => {
					got.insert(column, data);
					if got.len() == k {
						break; // dropping `running` abandons the slowest requests
					}
				},
				None => {
					if let Some(miner) = candidates.next() {
						running.push(ask(miner));
					}
				},
			}
		}
		drop(running);
		if tx.send((segment, got)).await.is_err() {
			return;
		}
	}
}

/// One fragment of the right length from `miner` (the decoder checks its hash).
async fn fetch_one(
	host: &Host,
	miner: &ColumnMiner,
	manifest: &FileManifest,
	segment: SegmentIndex,
) -> Option<Vec<u8>> {
	let len = manifest.layout().fragment_len(segment) as usize;
	let file_id = *manifest.file_id();
	let data =
		host.fetch_fragment(miner.peer, &miner.addrs, file_id, segment, miner.column).await?;
	(data.len() == len).then_some(data)
}

/// Hands the decoder the fragments fetched for each segment; a fragment that was not prefetched
/// (one of the prefetched ones was corrupted) is fetched on demand.
struct SegmentSource {
	rx: mpsc::Receiver<Segment>,
	segment: Option<SegmentIndex>,
	fragments: HashMap<Column, Vec<u8>>,
	host: Host,
	miners: Vec<ColumnMiner>,
	manifest: Arc<FileManifest>,
	runtime: tokio::runtime::Handle,
}

impl FragmentSource for SegmentSource {
	fn get(
		&mut self,
		segment: SegmentIndex,
		column: Column,
		out: &mut [u8],
	) -> cess_client::Result<Fetch> {
		while self.segment != Some(segment) {
			let (index, fragments) = self.rx.blocking_recv().ok_or_else(|| {
				cess_client::Error::io(
					"fetching fragments",
					std::io::Error::other("the fetcher stopped"),
				)
			})?;
			self.segment = Some(index);
			self.fragments = fragments;
		}
		match self.fragments.get(&column) {
			Some(data) if data.len() == out.len() => {
				out.copy_from_slice(data);
				Ok(Fetch::Found)
			},
			Some(_) => Ok(Fetch::Damaged),
			None => {
				let Some(miner) = self.miners.iter().find(|m| m.column == column) else {
					return Ok(Fetch::Missing);
				};
				let fetched =
					self.runtime.block_on(fetch_one(&self.host, miner, &self.manifest, segment));
				match fetched {
					Some(data) => {
						out.copy_from_slice(&data);
						Ok(Fetch::Found)
					},
					None => Ok(Fetch::Missing),
				}
			},
		}
	}
}
