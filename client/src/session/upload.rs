//! The streaming upload: encode once for the `file_id`, declare, then encode again with the same
//! salt while pushing each segment's fragments straight to the miners the chain assigned. No
//! fragment is staged: memory holds one segment's fragments plus two in flight per column, and
//! nothing is written to disk.
//!
//! Every miner checks every fragment against the manifest and the manifest against the file id
//! before it stores it; the owner signs each miner's acceptance; the chain marks the file Active
//! once every column reported. A column whose miner cannot be reached or refuses moves at once to
//! one of the spare miners the chain drew with the placement (`use_spare`); columns the chain
//! reassigns (a miner that did not report in time) are pushed again, by another encoding pass.

use std::{
	collections::{BTreeMap, BTreeSet},
	io::{self, Read},
	path::PathBuf,
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
	ChainError, Keypair, Wait,
};
use cess_primitives::{
	traits::acceptance_message,
	types::{Column, ErasureProfile, FileId, SegmentIndex},
};
use tokio::sync::mpsc;

use super::{
	peers::{client_host, column_miners, refused, ColumnMiner},
	Progress, Session, SessionError,
};
use crate::{
	encode_with_salt,
	format::SALT_LEN,
	net::{Host, Request, Response},
	plan, random_salt, EncodeOptions, Encryption, EncryptionSecret, FileManifest, FragmentSink,
};

const GIB: u64 = 1 << 30;
/// Fragments queued per column between the encoder and the column's push.
const COLUMN_QUEUE: usize = 2;

/// Plaintext that can be read from the start as often as an upload needs (twice, plus once per
/// pass that re-pushes a reassigned column).
pub trait Replay: Send + Sync {
	/// A reader positioned at the first byte.
	fn open(&self) -> io::Result<Box<dyn Read + Send + '_>>;
}

impl Replay for PathBuf {
	fn open(&self) -> io::Result<Box<dyn Read + Send + '_>> {
		Ok(Box::new(io::BufReader::with_capacity(1 << 20, std::fs::File::open(self)?)))
	}
}

impl Replay for Vec<u8> {
	fn open(&self) -> io::Result<Box<dyn Read + Send + '_>> {
		Ok(Box::new(&self[..]))
	}
}

/// What to store and how.
#[derive(Clone, Debug)]
pub struct UploadOptions {
	/// Name the file is listed under in the owner's record.
	pub name: String,
	/// Label grouping the owner's files.
	pub bucket: String,
	/// Erasure profile; `None`: the most redundant profile the chain allows that its miners can
	/// place.
	pub profile: Option<ErasureProfile>,
	/// Store unencrypted (anyone can read it).
	pub public: bool,
	/// Give up if the file is not Active after this long.
	pub timeout: Duration,
	/// The plaintext's fingerprint, committed to in the declaration so that a later ownership
	/// registration counts from this upload (see [`crate::fingerprint`]).
	pub fingerprint: Option<crate::fingerprint::Committable>,
	/// Shared by concurrent uploads: each encoding pass (which holds a segment's fragments in
	/// memory) takes a permit, so many uploads can wait on the chain at once while only this
	/// many encode. `None`: no limit.
	pub encoders: Option<Arc<tokio::sync::Semaphore>>,
}

/// A permit of `encoders`, if there is a limit.
async fn encoding_permit(
	encoders: &Option<Arc<tokio::sync::Semaphore>>,
) -> Option<tokio::sync::OwnedSemaphorePermit> {
	match encoders {
		Some(encoders) => encoders.clone().acquire_owned().await.ok(),
		None => None,
	}
}

/// Stores `size` bytes of `input` and returns the file id once the chain marks it Active.
pub async fn upload(
	session: &Session,
	input: Arc<dyn Replay>,
	size: u64,
	options: &UploadOptions,
	progress: Arc<dyn Progress>,
) -> Result<FileId, SessionError> {
	let started = Instant::now();
	let me = session.account()?;
	let encode_options = prepare(session, size, options).await?;
	let owner = if options.public { None } else { Some(session.encryption()?.current().clone()) };
	let encoder = Encoder { input, size, owner, options: encode_options, salt: random_salt() };
	progress.phase("encode", size);
	let manifest = {
		let _encoding = encoding_permit(&options.encoders).await;
		let (encoder, progress) = (encoder.clone(), progress.clone());
		tokio::task::spawn_blocking(move || {
			encoder.run(&mut Counting { inner: &mut crate::Discard, progress: &*progress })
		})
		.await
		.map_err(|e| SessionError::msg(format!("encoding stopped: {e}")))??
	};
	let file_id = *manifest.file_id();
	let layout = manifest.layout();
	tracing::debug!(target: "cess-client::upload", file = %hex::encode(file_id), size, secs = started.elapsed().as_secs_f64(), "encoded for the file id");
	let declaration = api::tx().file_bank().upload_declaration(
		file_id,
		layout.size,
		layout.segment_count(),
		ChainProfile { k: layout.profile.k, m: layout.profile.m },
		BoundedVec(options.name.as_bytes().to_vec()),
		BoundedVec(options.bucket.as_bytes().to_vec()),
		options.fingerprint.as_ref().map(|f| f.commitment(&file_id)),
	);
	match session.file(file_id).await? {
		None => {
			session.submit(&declaration, Wait::Finalized).await?;
			tracing::debug!(target: "cess-client::upload", file = %hex::encode(file_id), secs = started.elapsed().as_secs_f64(), "declaration finalized");
		},
		// Our own upload, interrupted earlier: carry on pushing.
		Some(file) if file.owners.0.contains(&me) => {},
		Some(_) => {
			super::join::join_existing(session, &declaration, &manifest, &encoder, &*progress)
				.await?;
			return Ok(file_id);
		},
	}
	let push = Push {
		host: client_host().await?,
		manifest: Arc::new(manifest),
		encoder,
		key: session.key()?.clone(),
		progress,
		encoders: options.encoders.clone(),
	};
	push.until_active(session, options.timeout, started).await?;
	Ok(file_id)
}

/// The encoding options for the chain's segment size and the chosen profile, after checking
/// that the lease has room.
async fn prepare(
	session: &Session,
	size: u64,
	options: &UploadOptions,
) -> Result<EncodeOptions, SessionError> {
	let at = cess_chain::at_finalized(&session.client).await?;
	let segment_size = at
		.constants()
		.entry(api::constants().file_bank().segment_size())
		.map_err(ChainError::rpc)?;
	let profile = choose_profile(session, options.profile).await?;
	let encode = EncodeOptions {
		profile,
		segment_size,
		hash_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
	};
	let layout = plan(size, !options.public, &encode)?;
	let lease = at
		.runtime_apis()
		.call(api::runtime_apis().file_bank_api().lease(session.account()?))
		.await
		.map_err(ChainError::rpc)?
		.ok_or_else(|| {
			SessionError::msg(
				"no storage lease: buy one first with `cess buy-space --gib N --days D`",
			)
		})?;
	let free = (u64::from(lease.gib) * GIB).saturating_sub(lease.used);
	if free < layout.stored_bytes() {
		return Err(SessionError::msg(format!(
			"the file needs {} of lease space (k+m = {} fragments per segment) but the lease has {} \
			 free: run `cess expand-space --gib N`",
			format_size(layout.stored_bytes()),
			profile.total(),
			format_size(free)
		)));
	}
	Ok(encode)
}

/// The profile to use: `requested` if given (checked against the chain), else the first allowed
/// profile (most redundant first at genesis) that the positive miners can place.
pub async fn choose_profile(
	session: &Session,
	requested: Option<ErasureProfile>,
) -> Result<ErasureProfile, SessionError> {
	let at = cess_chain::at_finalized(&session.client).await?;
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
	if let Some(profile) = requested {
		let text = format!("{}+{}", profile.k, profile.m);
		if !allowed.contains(&profile) {
			return Err(SessionError::msg(format!(
				"profile {text} is not allowed; the chain allows {list}"
			)));
		}
		if profile.total() > miners {
			return Err(SessionError::msg(format!(
				"profile {text} needs {} miners but the chain has {miners} taking data",
				profile.total()
			)));
		}
		return Ok(profile);
	}
	allowed.into_iter().find(|p| p.total() <= miners).ok_or_else(|| {
		SessionError::msg(format!(
			"the chain has {miners} miners taking data, too few for any allowed profile ({list})"
		))
	})
}

/// Parses `k+m`.
pub fn parse_profile(text: &str) -> Result<ErasureProfile, SessionError> {
	text.split_once('+')
		.and_then(|(k, m)| {
			Some(ErasureProfile::new(k.trim().parse().ok()?, m.trim().parse().ok()?))
		})
		.ok_or_else(|| SessionError::msg(format!("profile `{text}`: expected k+m, e.g. 4+8")))
}

/// One file's encoding, repeatable: the same input, key, options and salt give the same
/// fragments every pass.
#[derive(Clone)]
pub(super) struct Encoder {
	input: Arc<dyn Replay>,
	size: u64,
	owner: Option<EncryptionSecret>,
	options: EncodeOptions,
	salt: [u8; SALT_LEN],
}

impl Encoder {
	/// Encodes the whole file into `sink` (blocking: call from a blocking task).
	pub(super) fn run<S: FragmentSink + ?Sized>(
		&self,
		sink: &mut S,
	) -> Result<FileManifest, SessionError> {
		let input = self
			.input
			.open()
			.map_err(|e| SessionError::msg(format!("cannot read the file to upload: {e}")))?;
		let encryption = match &self.owner {
			Some(owner) => Encryption::Owner(owner),
			None => Encryption::Public,
		};
		Ok(encode_with_salt(input, self.size, encryption, &self.options, &self.salt, sink)?)
	}
}

/// Counts the plaintext bytes of each finished segment as progress.
struct Counting<'a, S: ?Sized> {
	inner: &'a mut S,
	progress: &'a dyn Progress,
}

impl<S: FragmentSink + ?Sized> FragmentSink for Counting<'_, S> {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> crate::Result<()> {
		self.inner.put(segment, column, data)?;
		if column == 0 {
			self.progress.advance(data.len() as u64);
		}
		Ok(())
	}
}

/// Hands each wanted fragment to its column's push task; blocks while that task is
/// [`COLUMN_QUEUE`] fragments behind. A column whose task has ended (it failed) gets nothing.
struct Route {
	columns: BTreeMap<Column, (BTreeSet<SegmentIndex>, mpsc::Sender<Fragment>)>,
}

/// A fragment on its way to a column's push: `(segment, bytes)`.
type Fragment = (SegmentIndex, Vec<u8>);

impl FragmentSink for Route {
	fn put(&mut self, segment: SegmentIndex, column: Column, data: &[u8]) -> crate::Result<()> {
		if let Some((need, queue)) = self.columns.get(&column) {
			if need.contains(&segment) && queue.blocking_send((segment, data.to_vec())).is_err() {
				self.columns.remove(&column);
			}
		}
		Ok(())
	}
}

/// The push of one file's columns.
struct Push {
	host: Host,
	manifest: Arc<FileManifest>,
	encoder: Encoder,
	key: Keypair,
	progress: Arc<dyn Progress>,
	encoders: Option<Arc<tokio::sync::Semaphore>>,
}

impl Push {
	/// Pushes every assigned column until the chain marks the file Active.
	async fn until_active(
		&self,
		session: &Session,
		timeout: Duration,
		started: Instant,
	) -> Result<(), SessionError> {
		let file_id = *self.manifest.file_id();
		self.progress.phase("push", self.manifest.layout().stored_bytes());
		let mut pushed: BTreeSet<(Column, [u8; 32])> = BTreeSet::new();
		let mut failures: Vec<String> = Vec::new();
		loop {
			let file = session.file_or_err(file_id).await?;
			if matches!(file.state, FileState::Active) {
				tracing::debug!(target: "cess-client::upload", file = %hex::encode(file_id), secs = started.elapsed().as_secs_f64(), "active");
				return Ok(());
			}
			if started.elapsed() > timeout {
				return Err(SessionError::msg(format!(
					"the file is not Active after {} s ({}); its declaration stays until the \
					 chain's transfer deadline; `cess info {}` shows which columns are missing",
					timeout.as_secs(),
					if failures.is_empty() {
						"miners did not report".into()
					} else {
						failures.join("; ")
					},
					hex::encode(file_id)
				)));
			}
			let todo: Vec<ColumnMiner> = column_miners(session, &file)
				.await?
				.into_iter()
				.filter(|m| {
					matches!(
						file.columns.0[usize::from(m.column)].state,
						ColumnState::Assigned { .. }
					) && !pushed.contains(&(m.column, m.account.0))
				})
				.collect();
			let mut moved = false;
			let pushing = !todo.is_empty();
			let results = self.pass(todo).await?;
			if pushing {
				tracing::debug!(target: "cess-client::upload", file = %hex::encode(file_id), secs = started.elapsed().as_secs_f64(), "pushed");
			}
			for (miner, result) in results {
				pushed.insert((miner.column, miner.account.0));
				let Err(e) = result else { continue };
				failures.push(format!("column {}: {e}", miner.column));
				// Move the column to a spare miner at once rather than wait for the deadline.
				let call = api::tx().file_bank().use_spare(file_id, miner.column);
				let next = match session.submit(&call, Wait::InBlock).await {
					Ok(_) => {
						moved = true;
						"moved it to a spare miner".to_string()
					},
					Err(spare) => format!(
						"no spare miner ({spare}); waiting for the chain to reassign it at the \
						 transfer deadline"
					),
				};
				self.progress.note(&format!(
					"column {} (miner {}): {e}; {next}",
					miner.column, miner.account
				));
			}
			if !moved {
				tokio::time::sleep(Duration::from_secs(3)).await;
			}
		}
	}

	/// Offers the manifest to each of `miners`, encodes the file once more sending every
	/// fragment a miner still needs, and collects each miner's acceptance report.
	async fn pass(
		&self,
		miners: Vec<ColumnMiner>,
	) -> Result<Vec<(ColumnMiner, Result<(), String>)>, SessionError> {
		if miners.is_empty() {
			return Ok(Vec::new());
		}
		let offers = miners.into_iter().map(|miner| {
			let (host, manifest) = (self.host.clone(), self.manifest.clone());
			async move {
				let offer = Request::Offer { column: miner.column, manifest: manifest.to_bytes() };
				let need = match miner.request(&host, offer).await {
					Ok(Response::Need { segments }) => Ok(segments.into_iter().collect()),
					Ok(other) => Err(refused(other)),
					Err(e) => Err(e.to_string()),
				};
				(miner, need)
			}
		});
		let offers: Vec<(ColumnMiner, Result<BTreeSet<SegmentIndex>, String>)> =
			futures::future::join_all(offers).await;

		let layout = self.manifest.layout();
		let mut route = Route { columns: BTreeMap::new() };
		let mut tasks = Vec::new();
		let mut results = Vec::new();
		for (miner, need) in offers {
			let need = match need {
				Ok(need) => need,
				Err(e) => {
					results.push((miner, Err(e)));
					continue;
				},
			};
			// Segments stored by an earlier, interrupted push count as done.
			let stored: u64 = (0..layout.segment_count())
				.filter(|s| !need.contains(s))
				.map(|s| layout.fragment_len(s))
				.sum();
			self.progress.advance(stored);
			let (queue, fragments) = mpsc::channel(COLUMN_QUEUE);
			route.columns.insert(miner.column, (need.clone(), queue));
			let job = ColumnPush {
				host: self.host.clone(),
				file_id: *self.manifest.file_id(),
				key: self.key.clone(),
				progress: self.progress.clone(),
			};
			tasks.push(tokio::spawn(async move {
				let result = job.run(&miner, need, fragments).await;
				(miner, result)
			}));
		}
		if route.columns.values().any(|(need, _)| !need.is_empty()) {
			let _encoding = encoding_permit(&self.encoders).await;
			let encoder = self.encoder.clone();
			tokio::task::spawn_blocking(move || encoder.run(&mut route))
				.await
				.map_err(|e| SessionError::msg(format!("encoding stopped: {e}")))??;
		} else {
			drop(route);
		}
		for task in tasks {
			results.push(task.await.map_err(|e| SessionError::msg(e.to_string()))?);
		}
		Ok(results)
	}
}

/// The push of one column to its miner.
struct ColumnPush {
	host: Host,
	file_id: FileId,
	key: Keypair,
	progress: Arc<dyn Progress>,
}

impl ColumnPush {
	/// Sends the `need`ed fragments arriving on `fragments`, then asks the miner to report. After
	/// a failure the remaining fragments are drained so the encoder never waits on this column.
	async fn run(
		&self,
		miner: &ColumnMiner,
		mut need: BTreeSet<SegmentIndex>,
		mut fragments: mpsc::Receiver<Fragment>,
	) -> Result<(), String> {
		let column = miner.column;
		let mut failed = None;
		while let Some((segment, data)) = fragments.recv().await {
			if failed.is_some() {
				continue;
			}
			let len = data.len() as u64;
			let request = Request::Fragment { file_id: self.file_id, segment, column, data };
			match miner.request(&self.host, request).await {
				Ok(Response::Stored) => {
					need.remove(&segment);
					self.progress.advance(len);
				},
				Ok(other) => failed = Some(format!("segment {segment}: {}", refused(other))),
				Err(e) => failed = Some(e.to_string()),
			}
		}
		if let Some(e) = failed {
			return Err(e);
		}
		if let Some(segment) = need.first() {
			return Err(format!("segment {segment} was never encoded: the input changed"));
		}
		let message = acceptance_message(&self.file_id, column, &miner.account.0);
		let signature = self.key.sign(&message).0;
		let accept = Request::Accept { file_id: self.file_id, column, signature };
		match miner.request(&self.host, accept).await.map_err(|e| e.to_string())? {
			Response::Reported => Ok(()),
			other => Err(refused(other)),
		}
	}
}
