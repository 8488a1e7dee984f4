//! `cess upload`: encode the file into a staging directory, declare it, push every column to the
//! miner the chain assigned (in parallel; each miner checks every fragment against the manifest and
//! the manifest against the file id), sign the acceptance, and wait until the chain marks the file
//! Active. A column whose miner cannot be reached or refuses it moves at once to one of the
//! spare miners the chain drew with the placement (`use_spare`); columns the chain reassigns (a
//! miner that did not report in time) are pushed again to their new miner.

use std::{
	collections::BTreeSet,
	fs::File,
	io::BufReader,
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, Instant},
};

use cess_chain::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			cess_primitives::types::ErasureProfile as ChainProfile,
			pallet_file_bank::types::{ColumnState, FileState},
		},
	},
	units::format_size,
	ChainError, Wait,
};
use cess_client::{
	encode, fingerprint,
	net::{Host, Request, Response},
	plan, DirStore, EncodeOptions, Encryption, FileManifest,
};
use cess_primitives::{
	traits::acceptance_message,
	types::{Column, ErasureProfile},
};
use indicatif::ProgressBar;

use crate::{
	context::{CliError, Context},
	peers::{client_host, column_miners, ColumnMiner},
};

const GIB: u64 = 1 << 30;

/// Arguments of `upload`.
#[derive(Debug, clap::Args)]
pub struct UploadArgs {
	/// The file to store.
	path: PathBuf,
	/// Name to list it under (default: the file name).
	#[arg(long)]
	name: Option<String>,
	/// Bucket to list it under.
	#[arg(long, default_value = "default")]
	bucket: String,
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
	let key = ctx.key()?.clone();
	let me = ctx.account()?;
	let size = std::fs::metadata(&args.path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", args.path.display())))?
		.len();
	let name = match &args.name {
		Some(n) => n.clone(),
		None => args.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
	};
	let at = ctx.client.at_current_block().await.map_err(ChainError::rpc)?;
	let segment_size = at
		.constants()
		.entry(api::constants().file_bank().segment_size())
		.map_err(ChainError::rpc)?;
	let profile = choose_profile(ctx, args.profile.as_deref()).await?;
	let options = EncodeOptions {
		profile,
		segment_size,
		hash_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
	};
	let layout = plan(size, !args.public, &options)?;
	let lease = at
		.runtime_apis()
		.call(api::runtime_apis().file_bank_api().lease(me))
		.await
		.map_err(ChainError::rpc)?
		.ok_or_else(|| {
			CliError::msg("no storage lease: buy one first with `cess buy-space --gib N --days D`")
		})?;
	let free = (u64::from(lease.gib) * GIB).saturating_sub(lease.used);
	if free < layout.stored_bytes() {
		return Err(CliError::msg(format!(
			"the file needs {} of lease space (k+m = {} fragments per segment) but the lease has {} \
			 free: run `cess expand-space --gib N`",
			format_size(layout.stored_bytes()),
			profile.total(),
			format_size(free)
		)));
	}

	// Encode into a staging directory (removed afterwards).
	let staging = staging_dir();
	let store = DirStore::create(&staging)?;
	let bar = ctx.bytes_bar(size, "encode");
	let manifest = {
		let (path, bar, public) = (args.path.clone(), bar.clone(), args.public);
		let secret = ctx.encryption()?;
		let mut store = store;
		tokio::task::spawn_blocking(move || -> Result<FileManifest, CliError> {
			let input = File::open(&path)
				.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
			let input = bar.wrap_read(BufReader::with_capacity(1 << 20, input));
			let encryption =
				if public { Encryption::Public } else { Encryption::Owner(secret.current()) };
			Ok(encode(input, size, encryption, &options, &mut store)?)
		})
		.await
		.map_err(|e| CliError::msg(format!("encoding stopped: {e}")))??
	};
	bar.finish_and_clear();
	let file_id = *manifest.file_id();
	let commitment = fingerprint_commitment(&args.path, size, &file_id)?;
	let result =
		push_until_active(ctx, args, &key, &manifest, &staging, &name, commitment, started).await;
	let _ = std::fs::remove_dir_all(&staging);
	result?;
	println!("{}", hex::encode(file_id));
	eprintln!(
		"stored {} as {} in {:.1} s",
		args.path.display(),
		hex::encode(file_id),
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// The commitment to the plaintext's fingerprint that the declaration carries, so that a later
/// `cess rights register` counts from this upload; `None` for files above
/// [`fingerprint::MAX_COMMITTED_BYTES`].
fn fingerprint_commitment(
	path: &Path,
	size: u64,
	file_id: &[u8; 32],
) -> Result<Option<[u8; 32]>, CliError> {
	if size > fingerprint::MAX_COMMITTED_BYTES {
		return Ok(None);
	}
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
	let print = fingerprint::fingerprint(&bytes)?;
	Ok(Some(fingerprint::commitment(&print, &bytes, file_id).1))
}

#[allow(clippy::too_many_arguments)]
async fn push_until_active(
	ctx: &Context,
	args: &UploadArgs,
	key: &cess_chain::Keypair,
	manifest: &FileManifest,
	staging: &Path,
	name: &str,
	commitment: Option<[u8; 32]>,
	started: Instant,
) -> Result<(), CliError> {
	let file_id = *manifest.file_id();
	let layout = manifest.layout();
	let declaration = api::tx().file_bank().upload_declaration(
		file_id,
		layout.size,
		layout.segment_count(),
		ChainProfile { k: layout.profile.k, m: layout.profile.m },
		BoundedVec(name.as_bytes().to_vec()),
		BoundedVec(args.bucket.as_bytes().to_vec()),
		commitment,
	);
	match ctx.file(file_id).await? {
		None => {
			ctx.submit(&declaration, Wait::Finalized).await?;
		},
		// Our own upload, interrupted earlier: carry on pushing.
		Some(file) if file.owners.0.contains(&ctx.account()?) => {},
		Some(_) => return crate::join::join_existing(ctx, &declaration, manifest, staging).await,
	}
	let host = client_host().await?;
	let manifest = Arc::new(manifest.clone());
	let bar = ctx.bytes_bar(layout.stored_bytes(), "push");
	let mut pushed: BTreeSet<(Column, [u8; 32])> = BTreeSet::new();
	let mut failures: Vec<String> = Vec::new();
	loop {
		let file = ctx.file_or_err(file_id).await?;
		if matches!(file.state, FileState::Active) {
			bar.finish_and_clear();
			return Ok(());
		}
		if started.elapsed() > Duration::from_secs(args.timeout) {
			return Err(CliError::msg(format!(
				"the file is not Active after {} s ({}); its declaration stays until the chain's \
				 transfer deadline; `cess info {}` shows which columns are missing",
				args.timeout,
				if failures.is_empty() {
					"miners did not report".into()
				} else {
					failures.join("; ")
				},
				hex::encode(file_id)
			)));
		}
		let miners = column_miners(ctx, &file).await?;
		let todo: Vec<ColumnMiner> = miners
			.into_iter()
			.filter(|m| {
				matches!(file.columns.0[usize::from(m.column)].state, ColumnState::Assigned { .. })
					&& !pushed.contains(&(m.column, m.account.0))
			})
			.collect();
		let tasks: Vec<_> = todo
			.into_iter()
			.map(|miner| {
				let job = Push {
					host: host.clone(),
					manifest: manifest.clone(),
					staging: staging.to_path_buf(),
					key: key.clone(),
					bar: bar.clone(),
				};
				tokio::spawn(async move {
					let result = job.push_column(&miner).await;
					(miner, result)
				})
			})
			.collect();
		let mut moved = false;
		for task in tasks {
			let (miner, result) = task.await.map_err(|e| CliError::msg(e.to_string()))?;
			pushed.insert((miner.column, miner.account.0));
			if let Err(e) = result {
				failures.push(format!("column {}: {e}", miner.column));
				// Move the column to a spare miner at once rather than wait for the deadline.
				let call = api::tx().file_bank().use_spare(file_id, miner.column);
				let next = match ctx.submit(&call, Wait::InBlock).await {
					Ok(_) => {
						moved = true;
						"moved it to a spare miner".to_string()
					},
					Err(spare) => format!(
						"no spare miner ({spare}); waiting for the chain to reassign it at the \
						 transfer deadline"
					),
				};
				bar.suspend(|| {
					eprintln!("column {} (miner {}): {e}; {next}", miner.column, miner.account)
				});
			}
		}
		if !moved {
			tokio::time::sleep(Duration::from_secs(3)).await;
		}
	}
}

/// Pushes one column to its miner.
struct Push {
	host: Host,
	manifest: Arc<FileManifest>,
	staging: PathBuf,
	key: cess_chain::Keypair,
	bar: ProgressBar,
}

impl Push {
	async fn push_column(&self, miner: &ColumnMiner) -> Result<(), String> {
		let file_id = *self.manifest.file_id();
		let column = miner.column;
		let offer = Request::Offer { column, manifest: self.manifest.to_bytes() };
		let need = match miner.request(&self.host, offer).await.map_err(|e| e.to_string())? {
			Response::Need { segments } => segments,
			other => return Err(refused(other)),
		};
		let store = DirStore::open(&self.staging).map_err(|e| e.to_string())?;
		for segment in 0..self.manifest.layout().segment_count() {
			let len = self.manifest.layout().fragment_len(segment);
			if !need.contains(&segment) {
				// Stored by an earlier, interrupted push.
				self.bar.inc(len);
				continue;
			}
			let path = store.fragment_path(segment, column);
			let data = tokio::fs::read(&path).await.map_err(|e| format!("staging: {e}"))?;
			let request = Request::Fragment { file_id, segment, column, data };
			match miner.request(&self.host, request).await.map_err(|e| e.to_string())? {
				Response::Stored => {},
				other => return Err(format!("segment {segment}: {}", refused(other))),
			}
			self.bar.inc(len);
		}
		let message = acceptance_message(&file_id, column, &miner.account.0);
		let signature = self.key.sign(&message).0;
		match miner
			.request(&self.host, Request::Accept { file_id, column, signature })
			.await
			.map_err(|e| e.to_string())?
		{
			Response::Reported => Ok(()),
			other => Err(refused(other)),
		}
	}
}

fn refused(response: Response) -> String {
	match response {
		Response::Refused { refusal, reason } => format!("refused ({refusal:?}): {reason}"),
		other => format!("unexpected answer {other:?}"),
	}
}

/// The profile to use: `--profile k+m` if given (checked against the chain), else the first
/// allowed profile (most redundant first at genesis) that the positive miners can place.
async fn choose_profile(
	ctx: &Context,
	requested: Option<&str>,
) -> Result<ErasureProfile, CliError> {
	let at = ctx.client.at_current_block().await.map_err(ChainError::rpc)?;
	let allowed: Vec<ErasureProfile> = at
		.storage()
		.fetch(api::storage().file_bank().allowed_profiles(), ())
		.await
		.map_err(ChainError::rpc)?
		.decode()
		.map_err(ChainError::rpc)?
		.0
		.into_iter()
		.map(|p| ErasureProfile::new(p.k, p.m))
		.collect();
	let miners: u32 = at
		.storage()
		.fetch(api::storage().sminer().positive_count(), ())
		.await
		.map_err(ChainError::rpc)?
		.decode()
		.map_err(ChainError::rpc)?;
	let list = allowed.iter().map(|p| format!("{}+{}", p.k, p.m)).collect::<Vec<_>>().join(", ");
	if let Some(text) = requested {
		let parsed = text
			.split_once('+')
			.and_then(|(k, m)| {
				Some(ErasureProfile::new(k.trim().parse().ok()?, m.trim().parse().ok()?))
			})
			.ok_or_else(|| CliError::msg(format!("--profile `{text}`: expected k+m, e.g. 4+8")))?;
		if !allowed.contains(&parsed) {
			return Err(CliError::msg(format!(
				"profile {text} is not allowed; the chain allows {list}"
			)));
		}
		if parsed.total() > miners {
			return Err(CliError::msg(format!(
				"profile {text} needs {} miners but the chain has {miners} taking data",
				parsed.total()
			)));
		}
		return Ok(parsed);
	}
	allowed.into_iter().find(|p| p.total() <= miners).ok_or_else(|| {
		CliError::msg(format!(
			"the chain has {miners} miners taking data, too few for any allowed profile ({list})"
		))
	})
}

fn staging_dir() -> PathBuf {
	let nanos = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_nanos());
	std::env::temp_dir().join(format!("cess-upload-{}-{nanos}", std::process::id()))
}
