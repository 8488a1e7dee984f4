//! `cess upload`: the streaming upload of `cess_client::session::upload` (encode once for the
//! file id, declare, encode again while pushing each segment to the miners the chain assigned;
//! nothing staged on disk), with progress bars and the fingerprint commitment of the plaintext.

use std::{
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, Instant},
};

use cess_client::{
	fingerprint::{self, Committable},
	session::upload::{parse_profile, upload as store, UploadOptions},
};

use crate::{
	context::{CliError, Context},
	objects::{self, ObjectPath},
};

/// Arguments of `upload`.
#[derive(Debug, clap::Args)]
pub struct UploadArgs {
	/// The file to store.
	path: PathBuf,
	/// Name to list it under (default: the file name).
	#[arg(long)]
	name: Option<String>,
	/// Label to list it under in `cess ls` (a bucket's name by convention).
	#[arg(long, default_value = "default")]
	bucket: String,
	/// Also name it as the object `bucket/key` (the bucket must exist: `cess bucket create`),
	/// where the S3 gateway and `cess ls bucket/` see it.
	#[arg(long)]
	to: Option<String>,
	/// Erasure profile `k+m` (any `k` of the `k+m` fragments rebuild a segment). Default: the
	/// most redundant profile the chain allows that its miners can place.
	#[arg(long)]
	profile: Option<String>,
	/// Store the file unencrypted (anyone can read it).
	#[arg(long)]
	public: bool,
	/// Give up if the file is not Active after this many seconds.
	#[arg(long, default_value_t = 1800)]
	timeout: u64,
}

pub async fn upload(ctx: &Context, args: &UploadArgs) -> Result<(), CliError> {
	let started = Instant::now();
	let to = args.to.as_deref().map(ObjectPath::parse).transpose()?;
	let size = std::fs::metadata(&args.path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", args.path.display())))?
		.len();
	let name = match &args.name {
		Some(n) => n.clone(),
		None => args.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
	};
	let options = UploadOptions {
		name,
		bucket: args.bucket.clone(),
		profile: args.profile.as_deref().map(parse_profile).transpose()?,
		public: args.public,
		timeout: Duration::from_secs(args.timeout),
		fingerprint: fingerprint_of(&args.path, size)?,
		encoders: None,
	};
	let progress = Arc::new(ctx.progress());
	let result = store(ctx, Arc::new(args.path.clone()), size, &options, progress.clone()).await;
	progress.finish();
	let file_id = result?;
	if let Some(to) = &to {
		let etag = md5_of(&args.path)?;
		objects::put(ctx, to, file_id, size, etag, "application/octet-stream").await?;
		eprintln!("named it {}/{}", to.bucket, to.key);
	}
	println!("{}", hex::encode(file_id));
	eprintln!(
		"stored {} as {} in {:.1} s",
		args.path.display(),
		hex::encode(file_id),
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// The plaintext's fingerprint, committed to by the declaration so that a later `cess rights
/// register` counts from this upload; `None` for files above
/// [`fingerprint::MAX_COMMITTED_BYTES`].
fn fingerprint_of(path: &Path, size: u64) -> Result<Option<Committable>, CliError> {
	if size > fingerprint::MAX_COMMITTED_BYTES {
		return Ok(None);
	}
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
	Ok(Some(Committable::of(&bytes)?))
}

/// The MD5 of the file: the object's ETag, as S3 clients expect it.
fn md5_of(path: &Path) -> Result<[u8; 16], CliError> {
	use md5::Digest;
	let mut file = std::fs::File::open(path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
	let mut hasher = md5::Md5::new();
	std::io::copy(&mut file, &mut hasher)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
	Ok(hasher.finalize().into())
}
