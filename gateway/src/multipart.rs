//! Multipart uploads: each part is stored as it arrives (one or more extents, like a PUT body);
//! completing names the parts' extents, in part order, as one object. An upload's state (its
//! parts' files, sizes and MD5s) lives in the gateway's state directory, so a restart keeps it.
//! Abort deletes the parts' files; the sweeper aborts uploads left open longer than
//! [`Config::abandon_after`](crate::state::Config).

use std::{
	collections::BTreeMap,
	io,
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use cess_primitives::types::FileId;
use md5::{Digest, Md5};
use s3s::{S3Error, S3ErrorCode};
use serde::{Deserialize, Serialize};

use crate::{
	account::Account,
	error::s3,
	state::Gateway,
	write::{Stored, Target},
};

/// The smallest part but the last.
pub const MIN_PART_SIZE: u64 = 5 << 20;
/// The largest part.
pub const MAX_PART_SIZE: u64 = 5 << 30;
/// The most parts of an upload.
pub const MAX_PARTS: u32 = 10_000;

/// One uploaded part.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartRecord {
	/// Its extents: hex file id and size.
	pub extents: Vec<(String, u64)>,
	/// Its length.
	pub size: u64,
	/// Its MD5, hex (its ETag).
	pub md5: String,
	/// When it was stored (Unix milliseconds).
	pub stored_ms: u64,
}

impl PartRecord {
	fn files(&self) -> impl Iterator<Item = FileId> + '_ {
		self.extents.iter().filter_map(|(id, _)| parse_file_id(id))
	}
}

/// An open multipart upload.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UploadRecord {
	/// The upload id (hex).
	pub id: String,
	/// The account (SS58) that started it.
	pub account: String,
	pub bucket: String,
	pub key: String,
	pub content_type: String,
	/// When it started (Unix milliseconds).
	pub created_ms: u64,
	/// When a part last started or finished arriving (Unix milliseconds).
	#[serde(default)]
	pub active_ms: u64,
	/// Parts by number.
	pub parts: BTreeMap<u32, PartRecord>,
}

impl UploadRecord {
	fn files(&self) -> Vec<FileId> {
		self.parts.values().flat_map(PartRecord::files).collect()
	}
}

/// Upload records on disk, one JSON file each.
pub struct Uploads {
	dir: PathBuf,
	lock: tokio::sync::Mutex<()>,
	/// Parts arriving now, by upload: an upload with one is not abandoned.
	arriving: Arc<std::sync::Mutex<BTreeMap<String, usize>>>,
}

/// A part arriving for an upload, counted until dropped.
pub struct Arriving {
	id: String,
	arriving: Arc<std::sync::Mutex<BTreeMap<String, usize>>>,
}

impl Drop for Arriving {
	fn drop(&mut self) {
		let mut arriving = self.arriving.lock().expect("part counts poisoned");
		if let Some(count) = arriving.get_mut(&self.id) {
			*count -= 1;
			if *count == 0 {
				arriving.remove(&self.id);
			}
		}
	}
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn parse_file_id(hex_id: &str) -> Option<FileId> {
	hex::decode(hex_id).ok()?.try_into().ok()
}

fn no_such_upload() -> S3Error {
	s3(
		S3ErrorCode::NoSuchUpload,
		"no such upload: it was completed or aborted (or abandoned and swept), or the id is wrong",
	)
}

fn state_error(e: io::Error) -> S3Error {
	s3(S3ErrorCode::InternalError, format!("cannot update the gateway's upload state: {e}"))
}

impl Uploads {
	/// The records in `dir`.
	pub fn open(dir: &Path) -> io::Result<Self> {
		std::fs::create_dir_all(dir)?;
		Ok(Self {
			dir: dir.into(),
			lock: tokio::sync::Mutex::new(()),
			arriving: Default::default(),
		})
	}

	/// Counts a part arriving for upload `id` until the guard is dropped.
	fn arriving(&self, id: &str) -> Arriving {
		*self.arriving.lock().expect("part counts poisoned").entry(id.into()).or_default() += 1;
		Arriving { id: id.into(), arriving: self.arriving.clone() }
	}

	/// Whether a part is arriving for upload `id`.
	fn busy(&self, id: &str) -> bool {
		self.arriving.lock().expect("part counts poisoned").contains_key(id)
	}

	/// The upload `id` of `account`, marked active now.
	async fn touch(&self, id: &str, account: &str) -> Option<UploadRecord> {
		let _guard = self.lock.lock().await;
		let mut record = self.read(id).await.filter(|r| r.account == account)?;
		record.active_ms = now_ms();
		self.write(&record).await.ok()?;
		Some(record)
	}

	fn path(&self, id: &str) -> Option<PathBuf> {
		// Ids are ours: 32 hex digits. Anything else names no file.
		(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
			.then(|| self.dir.join(format!("{id}.json")))
	}

	async fn read(&self, id: &str) -> Option<UploadRecord> {
		let text = tokio::fs::read(self.path(id)?).await.ok()?;
		serde_json::from_slice(&text).ok()
	}

	async fn write(&self, record: &UploadRecord) -> io::Result<()> {
		let path = self.path(&record.id).ok_or_else(|| io::Error::other("bad upload id"))?;
		let partial = path.with_extension("partial");
		tokio::fs::write(&partial, serde_json::to_vec(record)?).await?;
		tokio::fs::rename(&partial, &path).await
	}

	/// The upload `id` if `account` started it.
	pub async fn get(&self, id: &str, account: &str) -> Option<UploadRecord> {
		let _guard = self.lock.lock().await;
		self.read(id).await.filter(|r| r.account == account)
	}

	/// Every open upload.
	pub async fn all(&self) -> Vec<UploadRecord> {
		let _guard = self.lock.lock().await;
		let Ok(mut dir) = tokio::fs::read_dir(&self.dir).await else { return Vec::new() };
		let mut out = Vec::new();
		while let Ok(Some(entry)) = dir.next_entry().await {
			let name = entry.file_name();
			let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".json")) else { continue };
			out.extend(self.read(id).await);
		}
		out
	}

	/// Removes the upload `id` of `account` and returns it.
	async fn take(&self, id: &str, account: &str) -> Option<UploadRecord> {
		let _guard = self.lock.lock().await;
		let record = self.read(id).await.filter(|r| r.account == account)?;
		tokio::fs::remove_file(self.path(id)?).await.ok()?;
		Some(record)
	}
}

impl Gateway {
	/// Starts a multipart upload to `bucket/key`; returns its id.
	pub async fn create_upload(
		&self,
		account: &Account,
		bucket: &str,
		key: &str,
		content_type: &str,
	) -> Result<String, S3Error> {
		if !account.has_bucket(bucket).await.map_err(crate::error::from_session)? {
			return Err(s3(S3ErrorCode::NoSuchBucket, format!("you have no bucket `{bucket}`")));
		}
		let mut id = [0u8; 16];
		rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut id);
		let record = UploadRecord {
			id: hex::encode(id),
			account: account.id.to_string(),
			bucket: bucket.into(),
			key: key.into(),
			content_type: content_type.into(),
			created_ms: now_ms(),
			active_ms: now_ms(),
			parts: BTreeMap::new(),
		};
		let _guard = self.uploads.lock.lock().await;
		self.uploads.write(&record).await.map_err(state_error)?;
		Ok(record.id)
	}

	/// Stores part `number` of upload `id` from `body`; returns its ETag (hex MD5). A part
	/// uploaded again replaces the earlier one, whose files are deleted.
	#[allow(clippy::too_many_arguments)]
	pub async fn upload_part<S, E>(
		self: &Arc<Self>,
		account: &Arc<Account>,
		bucket: &str,
		key: &str,
		id: &str,
		number: i32,
		body: S,
		content_md5: Option<&str>,
	) -> Result<String, S3Error>
	where
		S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
		E: std::fmt::Display,
	{
		let me = account.id.to_string();
		let number = u32::try_from(number)
			.ok()
			.filter(|n| (1..=MAX_PARTS).contains(n))
			.ok_or_else(|| s3(S3ErrorCode::InvalidArgument, "part numbers run from 1 to 10000"))?;
		let record = self.uploads.touch(id, &me).await.ok_or_else(no_such_upload)?;
		if record.bucket != bucket || record.key != key {
			return Err(no_such_upload());
		}
		let _arriving = self.uploads.arriving(id);
		let Stored { extents, size, md5 } = self
			.store_body(account, body, Target { bucket, key }, content_md5, MAX_PART_SIZE)
			.await?;
		let part = PartRecord {
			extents: extents.iter().map(|(f, s)| (hex::encode(f), *s)).collect(),
			size,
			md5: hex::encode(md5),
			stored_ms: now_ms(),
		};
		let replaced = {
			let _guard = self.uploads.lock.lock().await;
			match self.uploads.read(id).await {
				Some(mut record) => {
					record.active_ms = now_ms();
					let old = record.parts.insert(number, part.clone());
					self.uploads.write(&record).await.map_err(state_error)?;
					Ok(old)
				},
				None => Err(()),
			}
		};
		match replaced {
			Ok(old) => {
				if let Some(old) = old {
					account.delete_files(old.files(), "a replaced part").await;
				}
				Ok(part.md5)
			},
			// Aborted while the part was stored.
			Err(()) => {
				account
					.delete_files(extents.into_iter().map(|(f, _)| f), "an aborted upload")
					.await;
				Err(no_such_upload())
			},
		}
	}

	/// The parts of upload `id`, by number.
	pub async fn list_parts(&self, account: &Account, id: &str) -> Result<UploadRecord, S3Error> {
		self.uploads.get(id, &account.id.to_string()).await.ok_or_else(no_such_upload)
	}

	/// Completes upload `id` with `parts` (number, ETag), in ascending order: names their
	/// extents as the object and returns its ETag (`md5-of-part-md5s-N`). Parts uploaded but
	/// not listed are deleted.
	pub async fn complete_upload(
		&self,
		account: &Account,
		id: &str,
		parts: &[(u32, String)],
	) -> Result<(UploadRecord, String), S3Error> {
		let me = account.id.to_string();
		let record = self.uploads.get(id, &me).await.ok_or_else(no_such_upload)?;
		let (extents, etag) = plan_completion(&record, parts)?;
		account
			.put_object(
				&record.bucket,
				&record.key,
				extents,
				etag,
				parts.len() as u16,
				&record.content_type,
			)
			.await
			.map_err(crate::error::from_session)?;
		let Some(record) = self.uploads.take(id, &me).await else { return Err(no_such_upload()) };
		let listed: Vec<u32> = parts.iter().map(|(n, _)| *n).collect();
		let unused = record
			.parts
			.iter()
			.filter(|(n, _)| !listed.contains(n))
			.flat_map(|(_, p)| p.files())
			.collect::<Vec<_>>();
		account.delete_files(unused, "a part left out of the completed upload").await;
		Ok((record, format!("{}-{}", hex::encode(etag), parts.len())))
	}

	/// Aborts upload `id`: its parts' files are deleted.
	pub async fn abort_upload(&self, account: &Account, id: &str) -> Result<(), S3Error> {
		let record =
			self.uploads.take(id, &account.id.to_string()).await.ok_or_else(no_such_upload)?;
		account.delete_files(record.files(), "an aborted upload").await;
		Ok(())
	}

	/// Aborts, every `interval`, the uploads no part arrived for in `abandon_after`.
	pub async fn sweep_abandoned(self: Arc<Self>, interval: Duration) {
		loop {
			tokio::time::sleep(interval).await;
			let cutoff = now_ms().saturating_sub(self.config.abandon_after.as_millis() as u64);
			for record in self.uploads.all().await {
				if record.active_ms.max(record.created_ms) > cutoff || self.uploads.busy(&record.id)
				{
					continue;
				}
				let Some(account) =
					self.accounts.values().find(|a| a.id.to_string() == record.account).cloned()
				else {
					continue; // an account no longer in the key file: left alone
				};
				tracing::info!(
					target: "cess-gateway::multipart",
					upload = %record.id,
					bucket = %record.bucket,
					key = %record.key,
					"aborting an abandoned multipart upload"
				);
				if self.abort_upload(&account, &record.id).await.is_ok() {
					self.metrics.abandoned_uploads.inc();
				}
			}
		}
	}
}

/// An object's extents (file id, size) and its ETag's MD5.
type Completion = (Vec<(FileId, u64)>, [u8; 16]);

/// The extents and ETag MD5 of completing `record` with `parts`, after S3's checks.
fn plan_completion(record: &UploadRecord, parts: &[(u32, String)]) -> Result<Completion, S3Error> {
	if parts.is_empty() {
		return Err(s3(S3ErrorCode::MalformedXML, "the completion lists no parts"));
	}
	if parts.windows(2).any(|w| w[0].0 >= w[1].0) {
		return Err(s3(S3ErrorCode::InvalidPartOrder, "list the parts in ascending order"));
	}
	let mut extents = Vec::new();
	let mut md5s = Md5::new();
	for (index, (number, etag)) in parts.iter().enumerate() {
		let part = record.parts.get(number).filter(|p| p.md5 == etag.trim_matches('"'));
		let Some(part) = part else {
			return Err(s3(
				S3ErrorCode::InvalidPart,
				format!("part {number} was not uploaded or its ETag does not match"),
			));
		};
		if index + 1 < parts.len() && part.size < MIN_PART_SIZE {
			return Err(s3(
				S3ErrorCode::EntityTooSmall,
				format!(
					"part {number} is {} bytes: every part but the last needs 5 MiB",
					part.size
				),
			));
		}
		for (id, size) in &part.extents {
			let file = parse_file_id(id).ok_or_else(|| {
				s3(S3ErrorCode::InternalError, "the upload's state file is damaged")
			})?;
			extents.push((file, *size));
		}
		md5s.update(hex::decode(&part.md5).unwrap_or_default());
	}
	if extents.len() > 10_000 {
		return Err(s3(
			S3ErrorCode::EntityTooLarge,
			"the object would have more than 10 000 extents: use larger parts or a larger \
			 --extent-mib",
		));
	}
	Ok((extents, md5s.finalize().into()))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(sizes: &[u64]) -> UploadRecord {
		let parts = sizes
			.iter()
			.enumerate()
			.map(|(i, size)| {
				let n = i as u32 + 1;
				let part = PartRecord {
					extents: vec![(hex::encode([n as u8; 32]), *size)],
					size: *size,
					md5: hex::encode([n as u8; 16]),
					stored_ms: 0,
				};
				(n, part)
			})
			.collect();
		UploadRecord {
			id: "0".repeat(32),
			account: "a".into(),
			bucket: "b".into(),
			key: "k".into(),
			content_type: String::new(),
			created_ms: 0,
			active_ms: 0,
			parts,
		}
	}

	fn listed(numbers: &[u32]) -> Vec<(u32, String)> {
		numbers.iter().map(|n| (*n, format!("\"{}\"", hex::encode([*n as u8; 16])))).collect()
	}

	#[test]
	fn completion_follows_s3s_rules() {
		let r = record(&[MIN_PART_SIZE, MIN_PART_SIZE, 10]);
		let (extents, etag) = plan_completion(&r, &listed(&[1, 2, 3])).unwrap();
		assert_eq!(extents.len(), 3);
		assert_eq!(extents[2], ([3; 32], 10));
		let mut md5 = Md5::new();
		for n in 1..=3u8 {
			md5.update([n; 16]);
		}
		assert_eq!(etag, <[u8; 16]>::from(md5.finalize()));
		// A part may be left out; the last one may be small.
		assert!(plan_completion(&r, &listed(&[1, 3])).is_ok());
		let code = |parts: &[(u32, String)]| plan_completion(&r, parts).unwrap_err().code().clone();
		assert_eq!(code(&listed(&[2, 1])), S3ErrorCode::InvalidPartOrder);
		assert_eq!(code(&listed(&[1, 4])), S3ErrorCode::InvalidPart);
		assert_eq!(code(&[(1, "\"wrong\"".into())]), S3ErrorCode::InvalidPart);
		assert_eq!(code(&[]), S3ErrorCode::MalformedXML);
		let small = record(&[10, MIN_PART_SIZE]);
		let e = plan_completion(&small, &listed(&[1, 2])).unwrap_err();
		assert_eq!(e.code(), &S3ErrorCode::EntityTooSmall);
	}

	#[tokio::test]
	async fn records_survive_a_restart_and_belong_to_their_account() {
		let dir = tempfile::tempdir().unwrap();
		let r = record(&[1, 2]);
		{
			let uploads = Uploads::open(dir.path()).unwrap();
			let _guard = uploads.lock.lock().await;
			uploads.write(&r).await.unwrap();
		}
		let uploads = Uploads::open(dir.path()).unwrap();
		assert_eq!(uploads.get(&r.id, "a").await, Some(r.clone()));
		assert_eq!(uploads.get(&r.id, "someone else").await, None);
		assert_eq!(uploads.get("../../etc/passwd", "a").await, None);
		assert_eq!(uploads.all().await, vec![r.clone()]);
		assert_eq!(uploads.take(&r.id, "a").await, Some(r.clone()));
		assert!(uploads.all().await.is_empty());
	}
}
