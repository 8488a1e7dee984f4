//! Storing a request body: cut into extents of [`Config::extent_bytes`](crate::state::Config),
//! each spooled to a scratch file and uploaded as one CESS file (encrypted under the account's
//! key, erasure-coded, pushed to the miners the chain assigns) while the next one is received.
//!
//! Across all requests, disk holds at most `uploads + 1` extents (one spooling, the others
//! being stored: most of an extent's time is spent waiting for the chain) and at most
//! `encoders` of them are encoded at once (an encoding pass holds a segment's fragments in
//! memory); a client that sends faster waits. A body that fails (the client went
//! away, a wrong Content-MD5, a refused extent) leaves no file behind: the extents stored for it
//! are deleted.

use std::{path::PathBuf, sync::Arc, time::Duration};

use bytes::Bytes;
use cess_client::session::{
	upload::{upload, UploadOptions},
	Silent,
};
use cess_primitives::types::FileId;
use futures::{Stream, StreamExt};
use md5::{Digest, Md5};
use s3s::{S3Error, S3ErrorCode};
use tokio::{io::AsyncWriteExt, sync::OwnedSemaphorePermit, task::JoinHandle};

use crate::{
	account::Account,
	error::{from_session, s3},
	state::Gateway,
};

/// What a stored body became.
#[derive(Clone, Debug)]
pub struct Stored {
	/// Its extents, in order: file id and plaintext size.
	pub extents: Vec<(FileId, u64)>,
	/// Its length.
	pub size: u64,
	/// Its MD5.
	pub md5: [u8; 16],
}

type Upload = JoinHandle<Result<(FileId, u64), S3Error>>;

/// Extents being uploaded for one body; deleted unless [`Pending::finish`] hands them over,
/// also when the request is dropped half-way.
struct Pending {
	account: Arc<Account>,
	uploads: Vec<Upload>,
	armed: bool,
}

impl Pending {
	/// Waits for every extent; on the first failure deletes the others.
	async fn finish(mut self) -> Result<Vec<(FileId, u64)>, S3Error> {
		let mut stored = Vec::new();
		let mut failure = None;
		for upload in std::mem::take(&mut self.uploads) {
			match upload.await {
				Ok(Ok(extent)) => stored.push(extent),
				Ok(Err(e)) => failure = failure.or(Some(e)),
				Err(e) => failure = failure.or(Some(s3(S3ErrorCode::InternalError, e.to_string()))),
			}
		}
		self.armed = false;
		match failure {
			None => Ok(stored),
			Some(e) => {
				self.account
					.delete_files(stored.into_iter().map(|(f, _)| f), "a failed upload")
					.await;
				Err(e)
			},
		}
	}
}

impl Drop for Pending {
	fn drop(&mut self) {
		if !self.armed || self.uploads.is_empty() {
			return;
		}
		let (account, uploads) = (self.account.clone(), std::mem::take(&mut self.uploads));
		tokio::spawn(async move {
			let mut stored = Vec::new();
			for upload in uploads {
				if let Ok(Ok((file, _))) = upload.await {
					stored.push(file);
				}
			}
			account.delete_files(stored, "an interrupted upload").await;
		});
	}
}

/// Where a body goes: the name its files are listed under.
pub struct Target<'a> {
	pub bucket: &'a str,
	pub key: &'a str,
}

impl Gateway {
	/// Receives `body` and stores it as extents; checks `content_md5` (base64, as the header
	/// carries it) and `max_size`.
	pub async fn store_body<S, E>(
		self: &Arc<Self>,
		account: &Arc<Account>,
		body: S,
		target: Target<'_>,
		content_md5: Option<&str>,
		max_size: u64,
	) -> Result<Stored, S3Error>
	where
		S: Stream<Item = Result<Bytes, E>> + Unpin,
		E: std::fmt::Display,
	{
		let expected_md5 = content_md5.map(parse_md5).transpose()?;
		let options = UploadOptions {
			name: file_name(target.key),
			bucket: target.bucket.to_string(),
			profile: None,
			public: false,
			timeout: self.config.upload_timeout,
			fingerprint: None,
			encoders: Some(self.encoders.clone()),
		};
		let mut body = body;
		let mut md5 = Md5::new();
		let mut size = 0u64;
		let mut pending = Pending { account: account.clone(), uploads: Vec::new(), armed: true };
		let mut leftover: Option<Bytes> = None;
		loop {
			let slot = self.scratch_slots.clone().acquire_owned().await.expect("never closed");
			let path = self.scratch_path();
			let spooled = self
				.spool(&mut body, &mut leftover, &path, &mut md5, max_size.saturating_sub(size))
				.await;
			let (len, ended) = match spooled {
				Ok(spooled) => spooled,
				Err(e) => {
					let _ = tokio::fs::remove_file(&path).await;
					return Err(e);
				},
			};
			if len == 0 && ended && !pending.uploads.is_empty() {
				let _ = tokio::fs::remove_file(&path).await;
				break;
			}
			size += len;
			let gateway = self.clone();
			let (account, options) = (account.clone(), options.clone());
			pending.uploads.push(tokio::spawn(async move {
				gateway.upload_extent(&account, path, len, &options, slot).await
			}));
			if ended {
				break;
			}
		}
		let md5: [u8; 16] = md5.finalize().into();
		if expected_md5.is_some_and(|expected| expected != md5) {
			drop(pending); // deletes what was stored
			return Err(s3(
				S3ErrorCode::BadDigest,
				"the Content-MD5 you specified did not match what was received",
			));
		}
		let extents = pending.finish().await?;
		self.metrics.stored_bytes.inc_by(size);
		Ok(Stored { extents, size, md5 })
	}

	/// Writes up to one extent of `body` to `path`: returns its length and whether the body
	/// ended.
	async fn spool<S, E>(
		&self,
		body: &mut S,
		leftover: &mut Option<Bytes>,
		path: &PathBuf,
		md5: &mut Md5,
		room: u64,
	) -> Result<(u64, bool), S3Error>
	where
		S: Stream<Item = Result<Bytes, E>> + Unpin,
		E: std::fmt::Display,
	{
		let scratch = |e: std::io::Error| {
			s3(S3ErrorCode::InternalError, format!("cannot write the gateway's scratch space: {e}"))
		};
		let file = tokio::fs::File::create(path).await.map_err(scratch)?;
		let mut file = tokio::io::BufWriter::with_capacity(1 << 20, file);
		let limit = self.config.extent_bytes;
		let mut len = 0u64;
		let mut ended = false;
		while len < limit {
			let chunk = match leftover.take() {
				Some(chunk) => chunk,
				None => match body.next().await {
					Some(Ok(chunk)) => chunk,
					Some(Err(e)) => {
						return Err(s3(
							S3ErrorCode::IncompleteBody,
							format!("the request body broke off: {e}"),
						))
					},
					None => {
						ended = true;
						break;
					},
				},
			};
			let take = chunk.len().min((limit - len) as usize);
			if len + take as u64 > room {
				return Err(s3(
					S3ErrorCode::EntityTooLarge,
					"the body is larger than the largest object or part S3 allows (5 GiB)",
				));
			}
			file.write_all(&chunk[..take]).await.map_err(scratch)?;
			md5.update(&chunk[..take]);
			len += take as u64;
			if take < chunk.len() {
				*leftover = Some(chunk.slice(take..));
			}
		}
		file.flush().await.map_err(scratch)?;
		// A body ending exactly at the limit is noticed when the next extent is spooled.
		Ok((len, ended))
	}

	async fn upload_extent(
		&self,
		account: &Account,
		path: PathBuf,
		len: u64,
		options: &UploadOptions,
		_scratch: OwnedSemaphorePermit,
	) -> Result<(FileId, u64), S3Error> {
		self.metrics.uploads_in_flight.inc();
		let started = std::time::Instant::now();
		let replay = Arc::new(path.clone());
		let result = upload(&account.session, replay, len, options, Arc::new(Silent)).await;
		self.metrics.uploads_in_flight.dec();
		match &result {
			Ok(file) => tracing::info!(
				target: "cess-gateway::write",
				file = %hex::encode(file),
				bytes = len,
				secs = started.elapsed().as_secs_f64(),
				"extent stored"
			),
			Err(e) => {
				tracing::warn!(target: "cess-gateway::write", error = %e, bytes = len, "extent failed")
			},
		}
		let _ = tokio::fs::remove_file(&path).await;
		result.map(|file| (file, len)).map_err(from_session)
	}

	fn scratch_path(&self) -> PathBuf {
		let mut name = [0u8; 12];
		rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut name);
		self.config.scratch_dir.join(format!("extent-{}", hex::encode(name)))
	}
}

/// The file name an extent is listed under in the owner's file record: the key's last part.
fn file_name(key: &str) -> String {
	let name = key.rsplit('/').find(|part| !part.is_empty()).unwrap_or(key);
	let mut end = name.len().min(128);
	while !name.is_char_boundary(end) {
		end -= 1;
	}
	name[..end].to_string()
}

/// The 16 bytes of a base64 Content-MD5 header.
fn parse_md5(text: &str) -> Result<[u8; 16], S3Error> {
	let invalid = || s3(S3ErrorCode::InvalidDigest, "the Content-MD5 is not a base64 MD5");
	let bytes = base64_decode(text.trim()).ok_or_else(invalid)?;
	bytes.try_into().map_err(|_| invalid())
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
	let value = |c: u8| -> Option<u32> {
		Some(match c {
			b'A'..=b'Z' => c - b'A',
			b'a'..=b'z' => c - b'a' + 26,
			b'0'..=b'9' => c - b'0' + 52,
			b'+' => 62,
			b'/' => 63,
			_ => return None,
		} as u32)
	};
	let text = text.trim_end_matches('=');
	let mut out = Vec::with_capacity(text.len() * 3 / 4);
	let (mut acc, mut bits) = (0u32, 0);
	for c in text.bytes() {
		acc = (acc << 6) | value(c)?;
		bits += 6;
		if bits >= 8 {
			bits -= 8;
			out.push((acc >> bits) as u8);
		}
	}
	Some(out)
}

/// How long one extent may take to become Active before the upload fails.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(1800);

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn content_md5_is_base64() {
		// MD5("") = d41d8cd98f00b204e9800998ecf8427e
		let md5 = parse_md5("1B2M2Y8AsgTpgAmY7PhCfg==").unwrap();
		assert_eq!(hex::encode(md5), "d41d8cd98f00b204e9800998ecf8427e");
		assert_eq!(parse_md5("not base64!").unwrap_err().code(), &S3ErrorCode::InvalidDigest);
		assert_eq!(parse_md5("AAAA").unwrap_err().code(), &S3ErrorCode::InvalidDigest);
	}

	#[test]
	fn files_are_named_by_the_last_part_of_the_key() {
		assert_eq!(file_name("photos/2026/cat.jpg"), "cat.jpg");
		assert_eq!(file_name("dir/"), "dir");
		assert_eq!(file_name(&"é".repeat(100)).len(), 128);
	}
}
