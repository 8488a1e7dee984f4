//! `cess download`: open the file with [`RemoteFile`] (manifest from any miner, checked against
//! the on-chain file id), fetch its segments in order with the next ones fetched ahead while one
//! is decrypted and written, and write each segment's plaintext through a [`PlainView`] opened
//! from segment 0.

use std::{
	fs::File,
	io::{BufWriter, Write},
	path::Path,
	sync::Arc,
};

use cess_client::{
	session::{download::RemoteFile, peers::client_host},
	DataKey, DecodeReport, Decryption, PlainView, StoredSegment,
};
use cess_primitives::types::FileId;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{
	context::{CliError, Context},
	rights::{self, ReadingKey},
};

/// Segments fetched ahead of the one being written.
const PREFETCH: usize = 2;

async fn open(ctx: &Context, file_id: FileId) -> Result<RemoteFile, CliError> {
	let host = client_host().await?;
	RemoteFile::open(ctx, &host, file_id).await
}

/// The data key of a file the account stored itself, read from segment 0 only.
pub async fn owner_data_key(ctx: &Context, file_id: FileId) -> Result<DataKey, CliError> {
	let secret = ctx.encryption()?;
	let file = open(ctx, file_id).await?;
	let public = || {
		CliError::msg(
			"this file is stored public: anyone can download it, there is no key to share",
		)
	};
	if !file.manifest().is_encrypted() {
		return Err(public());
	}
	let segment0 = file.stored_segment(0).await?;
	let view = PlainView::open(file.manifest(), Decryption::Owner(secret.all()), &segment0)
		.map_err(|e| match e {
			cess_client::Error::WrongKey => CliError::msg(
				"this file was not encrypted by this account: only the account that uploaded it \
				 can register or share it",
			),
			cess_client::Error::EncryptionModeMismatch { .. } => public(),
			other => CliError::Data(other),
		})?;
	view.data_key().cloned().ok_or_else(public)
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

/// Aborts the segment fetcher when the download ends, however it ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
	fn drop(&mut self) {
		self.0.abort();
	}
}

/// Downloads and decrypts `file_id` into `out` (appending), with a progress bar unless `bar`
/// is given (a caller drawing one bar over several files).
pub async fn download_into(
	ctx: &Context,
	file_id: FileId,
	out: File,
	bar: Option<indicatif::ProgressBar>,
) -> Result<DecodeReport, CliError> {
	let file = open(ctx, file_id).await?;
	let key = if file.manifest().is_encrypted() {
		Some(rights::reading_key(ctx, file_id).await?)
	} else {
		None
	};
	let decryption = match &key {
		Some(ReadingKey::Owner(keys)) => Decryption::Owner(keys.all()),
		Some(ReadingKey::Granted(key)) => Decryption::Key(key),
		None => Decryption::Public,
	};
	let own_bar = bar.is_none();
	let bar = bar.unwrap_or_else(|| ctx.bytes_bar(file.manifest().plaintext_size(), "download"));

	// Segments in order, PREFETCH of them fetched ahead, on their own task so that fetching
	// goes on while a segment is written.
	let segments = file.segment_count();
	let (tx, mut rx) = mpsc::channel::<Result<StoredSegment, CliError>>(1);
	let _fetcher = AbortOnDrop(tokio::spawn({
		let file = file.clone();
		async move {
			let mut fetched = futures::stream::iter(0..segments)
				.map(|s| file.stored_segment_report(s))
				.buffered(PREFETCH);
			while let Some(segment) = fetched.next().await {
				let failed = segment.is_err();
				if tx.send(segment).await.is_err() || failed {
					return;
				}
			}
		}
	}));

	let mut out = Some(bar.wrap_write(BufWriter::with_capacity(1 << 20, out)));
	let mut view: Option<Arc<PlainView>> = None;
	let mut report = DecodeReport::default();
	while let Some(stored) = rx.recv().await {
		let StoredSegment { mut bytes, reconstructed, fetched } = stored?;
		let segment = report.segments;
		if view.is_none() {
			let opened =
				PlainView::open(file.manifest(), decryption, &bytes).map_err(|e| {
					match e {
				cess_client::Error::WrongKey => CliError::msg(
					"the key does not open this file: it was not encrypted for this account, or \
					 the key its holder delivered is wrong (ask them to grant again)",
				),
				other => CliError::Data(other),
			}
				})?;
			view = Some(Arc::new(opened));
		}
		let view = view.clone().expect("opened from segment 0; qed");
		// Decrypting and writing block: off the async threads.
		let mut writer = out.take().expect("put back after every segment; qed");
		let (writer, written) = tokio::task::spawn_blocking(move || {
			let written = view.plaintext(segment, &mut bytes).and_then(|plain| {
				writer
					.write_all(plain)
					.map_err(|e| cess_client::Error::io("writing the decoded file", e))
			});
			(writer, written.map(|()| view.chunk(segment).1))
		})
		.await
		.map_err(|e| CliError::msg(e.to_string()))?;
		out = Some(writer);
		report.bytes_written += written?;
		report.segments += 1;
		report.segments_reconstructed += u32::from(reconstructed);
		report.fetched.requested += fetched.requested;
		report.fetched.missing += fetched.missing;
		report.fetched.corrupted.extend(fetched.corrupted);
	}
	if report.segments != segments {
		return Err(CliError::msg(format!(
			"the segment fetcher stopped after {} of {segments} segments",
			report.segments
		)));
	}
	let mut writer = out.take().expect("put back after every segment; qed");
	tokio::task::spawn_blocking(move || writer.flush())
		.await
		.map_err(|e| CliError::msg(e.to_string()))?
		.map_err(|e| CliError::Data(cess_client::Error::io("writing the decoded file", e)))?;
	if own_bar {
		bar.finish_and_clear();
	}
	Ok(report)
}
