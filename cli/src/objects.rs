//! Buckets and named objects: the on-chain namespace (`buckets` pallet) that the S3 gateway
//! shares, so a file named here is the object the gateway serves and the other way round.

use std::{fs::File, path::Path};

use cess_chain::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec, pallet_buckets::types::Extent,
		},
	},
	units::format_size,
	ChainError, Wait,
};
use cess_primitives::types::FileId;

use crate::context::{CliError, Context};

/// Subcommands of `cess bucket`.
#[derive(Debug, clap::Subcommand)]
pub enum BucketCommand {
	/// Create a bucket (3–63 characters: a–z, 0–9, '.', '-'); holds a small deposit.
	Create {
		/// The bucket's name.
		name: String,
	},
	/// Delete an empty bucket; its deposit is returned.
	Rm {
		/// The bucket's name.
		name: String,
	},
	/// List your buckets.
	Ls,
}

/// An object's address: `bucket/key`.
#[derive(Clone, Debug)]
pub struct ObjectPath {
	pub bucket: String,
	pub key: String,
}

impl ObjectPath {
	/// Parses `bucket/key` (the key may contain further `/`).
	pub fn parse(text: &str) -> Result<Self, CliError> {
		match text.split_once('/') {
			Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => {
				Ok(ObjectPath { bucket: bucket.into(), key: key.into() })
			},
			_ => Err(CliError::msg(format!("`{text}` is not an object path: expected bucket/key"))),
		}
	}
}

pub async fn bucket(ctx: &Context, command: BucketCommand) -> Result<(), CliError> {
	match command {
		BucketCommand::Create { name } => {
			let call = api::tx().buckets().create_bucket(BoundedVec(name.clone().into_bytes()));
			ctx.submit(&call, Wait::Finalized).await?;
			println!("created bucket {name}");
		},
		BucketCommand::Rm { name } => {
			let call = api::tx().buckets().delete_bucket(BoundedVec(name.clone().into_bytes()));
			ctx.submit(&call, Wait::Finalized).await?;
			println!("deleted bucket {name}");
		},
		BucketCommand::Ls => {
			let at = cess_chain::at_finalized(&ctx.client).await?;
			let call = api::runtime_apis().buckets_api().buckets(ctx.account()?);
			let buckets = at.runtime_apis().call(call).await.map_err(ChainError::rpc)?;
			if buckets.is_empty() {
				println!("no buckets (create one with `cess bucket create NAME`)");
			}
			for (name, info) in buckets {
				println!("{:<63} {:>8} objects", String::from_utf8_lossy(&name), info.objects);
			}
		},
	}
	Ok(())
}

/// Lists `bucket[/prefix]`: one level (keys up to the next `/` shown as `PRE dir/`) unless
/// `recursive`.
pub async fn list(ctx: &Context, path: &str, recursive: bool) -> Result<(), CliError> {
	let (bucket, prefix) = path.split_once('/').unwrap_or((path, ""));
	let me = ctx.account()?;
	let mut start_after = None;
	let mut shown = 0;
	loop {
		let at = cess_chain::at_finalized(&ctx.client).await?;
		let call = api::runtime_apis().buckets_api().list_objects(
			me,
			bucket.as_bytes().to_vec(),
			prefix.as_bytes().to_vec(),
			(!recursive).then(|| b"/".to_vec()),
			start_after.take(),
			1000,
		);
		let page =
			at.runtime_apis().call(call).await.map_err(ChainError::rpc)?.ok_or_else(|| {
				CliError::msg(format!(
					"you have no bucket `{bucket}` (`cess bucket ls` lists yours)"
				))
			})?;
		for dir in &page.common_prefixes {
			println!("{:>31} {}", "PRE", String::from_utf8_lossy(dir));
			shown += 1;
		}
		for (key, object) in &page.objects {
			println!(
				"{:>10} {:>20} {}",
				format_size(object.size),
				format_time(object.modified_ms),
				String::from_utf8_lossy(key)
			);
			shown += 1;
		}
		match page.next_start_after {
			Some(next) => start_after = Some(next),
			None => break,
		}
	}
	if shown == 0 {
		println!("nothing under {bucket}/{prefix}");
	}
	Ok(())
}

/// Names the stored file `file_id` (`size` plaintext bytes, MD5 `etag`) as `path`.
pub async fn put(
	ctx: &Context,
	path: &ObjectPath,
	file_id: FileId,
	size: u64,
	etag: [u8; 16],
	content_type: &str,
) -> Result<(), CliError> {
	let call = api::tx().buckets().put_object(
		BoundedVec(path.bucket.clone().into_bytes()),
		BoundedVec(path.key.clone().into_bytes()),
		BoundedVec(vec![Extent { file_id, size }]),
		etag,
		0,
		BoundedVec(content_type.as_bytes().to_vec()),
	);
	ctx.submit(&call, Wait::Finalized).await?;
	Ok(())
}

pub async fn rm(ctx: &Context, path: &ObjectPath) -> Result<(), CliError> {
	let call = api::tx().buckets().delete_object(
		BoundedVec(path.bucket.clone().into_bytes()),
		BoundedVec(path.key.clone().into_bytes()),
	);
	ctx.submit(&call, Wait::Finalized).await?;
	println!("deleted {}/{}", path.bucket, path.key);
	Ok(())
}

/// Downloads the object at `path` (its extents in order) into `output`.
pub async fn get(ctx: &Context, path: &ObjectPath, output: &Path) -> Result<(), CliError> {
	let started = std::time::Instant::now();
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let call = api::runtime_apis().buckets_api().object(
		ctx.account()?,
		path.bucket.as_bytes().to_vec(),
		path.key.as_bytes().to_vec(),
	);
	let object = at.runtime_apis().call(call).await.map_err(ChainError::rpc)?.ok_or_else(|| {
		CliError::msg(format!(
			"no object {}/{} (`cess ls {}` lists the bucket)",
			path.bucket, path.key, path.bucket
		))
	})?;
	if !object.available {
		return Err(CliError::msg(
			"the object names a file you no longer own (its lease ran out?): delete the name with \
			 `cess rm`",
		));
	}
	let part = output.with_extension("part");
	let bar = ctx.bytes_bar(object.size, "download");
	let cannot_write =
		|e: std::io::Error| CliError::msg(format!("cannot write {}: {e}", part.display()));
	// One file, written extent after extent through handles sharing its offset.
	let file = File::create(&part).map_err(cannot_write)?;
	let mut written = 0;
	for extent in &object.extents {
		let out = file.try_clone().map_err(cannot_write)?;
		let report = crate::download::download_into(ctx, extent.file_id, out, Some(bar.clone()))
			.await
			.inspect_err(|_| {
				let _ = std::fs::remove_file(&part);
			})?;
		written += report.bytes_written;
	}
	bar.finish_and_clear();
	std::fs::rename(&part, output)
		.map_err(|e| CliError::msg(format!("cannot write {}: {e}", output.display())))?;
	eprintln!(
		"downloaded {}/{} ({written} bytes) in {:.1} s",
		path.bucket,
		path.key,
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// `YYYY-MM-DD hh:mm:ss` (UTC) of a Unix time in milliseconds.
fn format_time(ms: u64) -> String {
	let secs = ms / 1000;
	let (days, rem) = (secs / 86_400, secs % 86_400);
	// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
	let z = days as i64 + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + i64::from(month <= 2);
	format!(
		"{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
		rem / 3600,
		rem % 3600 / 60,
		rem % 60
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn times_format_as_utc() {
		assert_eq!(format_time(0), "1970-01-01 00:00:00");
		assert_eq!(format_time(951_782_400_000), "2000-02-29 00:00:00");
		assert_eq!(format_time(1_798_761_599_000), "2026-12-31 23:59:59");
	}

	#[test]
	fn object_paths_need_a_bucket_and_a_key() {
		let p = ObjectPath::parse("photos/2026/cat.jpg").unwrap();
		assert_eq!((p.bucket.as_str(), p.key.as_str()), ("photos", "2026/cat.jpg"));
		assert!(ObjectPath::parse("photos").is_err());
		assert!(ObjectPath::parse("photos/").is_err());
		assert!(ObjectPath::parse("/key").is_err());
	}
}
