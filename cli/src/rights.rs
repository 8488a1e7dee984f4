//! Data rights: ownership certificates (`rights`), licensing policies (`policy`), access
//! requests and grants (`access`) and the evidence log (`log`).

use std::{path::Path, time::Duration};

use cess_chain::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			cess_primitives::fingerprint::Fingerprint,
			cess_runtime::RuntimeCall,
			pallet_data_rights::{
				pallet::Call as RightsCall,
				types::{Access, AccessState, Action, Policy, Terms, Verdict},
			},
			sp_arithmetic::per_things::Perbill,
		},
	},
	units::{format_amount, parse_amount},
	AccountId, ChainError, Wait,
};
use cess_client::{
	fingerprint, unwrap_key, wrap_key, AccountKeys, DataKey, EncryptionPublicKey, WrappedKey,
};
use cess_primitives::types::FileId;
use clap::{Args, Subcommand, ValueEnum};

use crate::{
	context::{parse_account, CliError, Context},
	download::owner_data_key,
};

#[derive(Debug, Subcommand)]
pub enum RightsCommand {
	/// Register a stored file for an ownership certificate, fingerprinting a local copy.
	Register {
		/// The file id.
		file_id: String,
		/// The plaintext of the file (fingerprinted locally: SimHash for text, perceptual hash
		/// for images, content hash otherwise).
		#[arg(long)]
		path: std::path::PathBuf,
	},
	/// Show a file's certificate, policy and open dispute.
	Show {
		/// The file id.
		file_id: String,
	},
	/// Transfer a certificate to another account.
	Transfer {
		/// The file id.
		file_id: String,
		/// The new holder's address.
		#[arg(long)]
		to: String,
		/// The new holder's encryption public key (64 hex digits; `cess account` shows it).
		#[arg(long)]
		encryption_key: String,
	},
	/// Decide a dispute through sudo (dev and test chains; elsewhere the dispute origin decides).
	Resolve {
		/// The dispute id (`cess rights show` prints it).
		dispute: u64,
		/// The verdict.
		verdict: VerdictArg,
	},
}

/// A dispute's verdict.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum VerdictArg {
	/// Dismiss the claim; the existing certificate stands.
	Dismiss,
	/// Both works stand.
	Coexist,
	/// Withdraw the existing certificate and certify the claimant.
	Supersede,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
	/// The file id.
	pub file_id: String,
	/// Access costs nothing.
	#[arg(long, conflicts_with_all = ["price", "revenue_share"])]
	pub free: bool,
	/// Price per access, paid to you (e.g. `2.5` TCESS).
	#[arg(long, conflicts_with = "revenue_share")]
	pub price: Option<String>,
	/// Price per access, paid into the file's revenue pool and split periodically.
	#[arg(long)]
	pub revenue_share: Option<String>,
	/// A shareholder of the revenue pool: `ADDRESS=PERCENT` (repeatable); you get the rest.
	#[arg(long = "share", requires = "revenue_share")]
	pub shares: Vec<String>,
	/// Every request waits for your decision.
	#[arg(long)]
	pub approval: bool,
	/// Granted at once and free of charge (repeatable).
	#[arg(long)]
	pub whitelist: Vec<String>,
	/// Refused (repeatable).
	#[arg(long)]
	pub blacklist: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
	/// Ask for access to a certified file; waits for the key when granted.
	Request {
		/// The file id.
		file_id: String,
		/// The most you pay (TCESS); if it covers the price you are granted at once.
		#[arg(long, default_value = "0")]
		offer: String,
		/// Seconds to wait for the holder to deliver the key (0: do not wait).
		#[arg(long, default_value_t = 120)]
		wait: u64,
	},
	/// Grant a pending request, or deliver the key of a grant the policy made.
	Grant {
		/// The file id.
		file_id: String,
		/// The requester's address.
		who: String,
	},
	/// Deny a pending request (the offer is refunded).
	Deny {
		/// The file id.
		file_id: String,
		/// The requester's address.
		who: String,
	},
	/// Revoke a grant.
	Revoke {
		/// The file id.
		file_id: String,
		/// The grantee's address.
		who: String,
	},
	/// Withdraw your pending request (the offer is refunded).
	Cancel {
		/// The file id.
		file_id: String,
	},
	/// List a file's requests and grants (what waits for you as the holder).
	List {
		/// The file id.
		file_id: String,
	},
}

/// How the account reads an encrypted file.
pub enum ReadingKey {
	/// It stored the file itself.
	Owner(AccountKeys),
	/// Its holder granted it the key.
	Granted(DataKey),
}

fn parse_key(text: &str) -> Result<EncryptionPublicKey, CliError> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes = hex::decode(digits).ok().filter(|b| b.len() == 32).ok_or_else(|| {
		CliError::msg(format!("`{text}` is not an encryption key: expected 64 hex digits"))
	})?;
	Ok(EncryptionPublicKey(bytes.try_into().expect("32 bytes; qed")))
}

fn amount(text: &str) -> Result<u128, CliError> {
	parse_amount(text).map_err(|e| CliError::msg(format!("`{text}`: {e}")))
}

fn wrapped(key: &WrappedKey) -> BoundedVec<u8> {
	BoundedVec(key.to_bytes())
}

async fn access_of(
	ctx: &Context,
	file_id: FileId,
	who: &AccountId,
) -> Result<Option<Access>, CliError> {
	let address = api::storage().data_rights().accesses();
	Ok(cess_chain::fetch(&ctx.client, address, (file_id, *who)).await?)
}

/// The key this account decrypts `file_id` with: its own if it stored the file, else the key
/// the holder granted it.
pub async fn reading_key(ctx: &Context, file_id: FileId) -> Result<ReadingKey, CliError> {
	let me = ctx.account()?;
	let secret = ctx.encryption()?;
	let owned =
		cess_chain::fetch(&ctx.client, api::storage().file_bank().owned_files(), (me, file_id))
			.await?
			.is_some();
	if owned {
		return Ok(ReadingKey::Owner(secret));
	}
	let id = hex::encode(file_id);
	match access_of(ctx, file_id, &me).await? {
		Some(Access { key: Some(key), .. }) => {
			let wrapped = WrappedKey::decode(&key.0)?;
			// Granted to the key published with the request: the current one, or the legacy
			// one of a request made before keys derived from the secret key.
			let key = secret.all().iter().find_map(|s| unwrap_key(&wrapped, s).ok()).ok_or_else(
				|| {
					CliError::msg(
						"the key granted to you does not open with this account's encryption \
						 key: use the account you requested access with",
					)
				},
			)?;
			Ok(ReadingKey::Granted(key))
		},
		Some(Access { state: AccessState::Granted { .. }, .. }) => Err(CliError::msg(format!(
			"access is granted but the holder has not delivered the key yet: ask them to run \
			 `cess access grant {id} {me}`"
		))),
		Some(_) => Err(CliError::msg(format!(
			"your request for {id} is pending: wait for the holder's grant (or `cess access cancel {id}`)"
		))),
		None => Err(CliError::msg(format!(
			"this file is encrypted and you have no access: request it with `cess access request {id}`"
		))),
	}
}

pub async fn rights(ctx: &Context, command: RightsCommand) -> Result<(), CliError> {
	match command {
		RightsCommand::Register { file_id, path } => {
			register(ctx, crate::context::parse_file_id(&file_id)?, &path).await
		},
		RightsCommand::Show { file_id } => {
			show(ctx, crate::context::parse_file_id(&file_id)?).await
		},
		RightsCommand::Transfer { file_id, to, encryption_key } => {
			let file_id = crate::context::parse_file_id(&file_id)?;
			let to = parse_account(&to)?;
			let recipient = parse_key(&encryption_key)?;
			let key = owner_data_key(ctx, file_id).await?;
			let owner_key = wrap_key(&key, &recipient)?;
			let call = api::tx().data_rights().transfer_ownership(file_id, to, wrapped(&owner_key));
			ctx.submit(&call, Wait::Finalized).await?;
			println!("certificate of {} transferred to {to}", hex::encode(file_id));
			Ok(())
		},
		RightsCommand::Resolve { dispute, verdict } => {
			let decided = match verdict {
				VerdictArg::Dismiss => Verdict::Dismiss,
				VerdictArg::Coexist => Verdict::Coexist,
				VerdictArg::Supersede => Verdict::Supersede,
			};
			let call =
				RuntimeCall::DataRights(RightsCall::resolve_dispute { dispute, verdict: decided });
			let events = ctx.submit(&api::tx().sudo().sudo(call), Wait::Finalized).await?;
			// Sudo succeeds even when the inner call fails: report the inner result.
			for ev in events.find::<api::sudo::events::Sudid>() {
				let ev = ev.map_err(ChainError::rpc)?;
				if let Err(e) = ev.sudo_result {
					return Err(CliError::msg(format!(
						"the verdict failed: {e:?} (only the sudo key can decide disputes here)"
					)));
				}
			}
			println!("dispute {dispute} resolved: {verdict:?}");
			Ok(())
		},
	}
}

async fn register(ctx: &Context, file_id: FileId, path: &Path) -> Result<(), CliError> {
	let bytes = std::fs::read(path)
		.map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
	let print = fingerprint::fingerprint(&bytes)?;
	let fingerprint = match print {
		fingerprint::Fingerprint::SimHash(h) => Fingerprint::SimHash(h),
		fingerprint::Fingerprint::PerceptualHash(h) => Fingerprint::PerceptualHash(h),
		fingerprint::Fingerprint::ContentHash(h) => Fingerprint::ContentHash(h),
	};
	let key = owner_data_key(ctx, file_id).await?;
	let owner_key = wrap_key(&key, &ctx.encryption()?.current().public_key())?;
	// Open the commitment `cess upload` declared, so the certificate counts from the upload.
	let (salt, committed) = fingerprint::commitment(&print, &bytes, &file_id);
	let entry = cess_chain::fetch(
		&ctx.client,
		api::storage().file_bank().owned_files(),
		(ctx.account()?, file_id),
	)
	.await?;
	let salt = match entry.and_then(|e| e.commitment) {
		Some(c) if c == committed => Some(salt),
		Some(_) => {
			return Err(CliError::msg(
				"this file's content does not match the fingerprint committed when it was \
				 uploaded: register the file you uploaded",
			))
		},
		None => {
			eprintln!(
				"no fingerprint commitment was declared with this upload: the certificate counts \
				 from now"
			);
			None
		},
	};
	let call = api::tx().data_rights().register(file_id, fingerprint, wrapped(&owner_key), salt);
	let events = ctx.submit(&call, Wait::Finalized).await?;
	if let Some(ev) = events
		.find_first::<api::data_rights::events::DisputeOpened>()
		.transpose()
		.map_err(ChainError::rpc)?
	{
		println!(
			"registration disputed (dispute {}): {} is within distance {} of the certificate of {}; \
			 the dispute origin decides",
			ev.dispute,
			print.kind_name(),
			ev.distance,
			hex::encode(ev.conflicts_with)
		);
	} else {
		println!("certificate issued for {} ({})", hex::encode(file_id), print.kind_name());
	}
	Ok(())
}

async fn show(ctx: &Context, file_id: FileId) -> Result<(), CliError> {
	let id = hex::encode(file_id);
	let cert =
		cess_chain::fetch(&ctx.client, api::storage().data_rights().certificates(), (file_id,))
			.await?;
	match cert {
		Some(cert) => {
			println!("holder       {}", cert.owner);
			println!("fingerprint  {}", describe(&cert.fingerprint));
			println!(
				"registered   block {} ({} ms unix time)",
				cert.registered_at, cert.timestamp_ms
			);
			println!("claim from   block {} (the upload's, or the registration's)", cert.priority);
		},
		None => {
			println!("no certificate (register it with `cess rights register {id} --path FILE`)")
		},
	}
	let policy =
		cess_chain::fetch(&ctx.client, api::storage().data_rights().policies(), (file_id,)).await?;
	match policy {
		Some(p) => {
			let terms = match &p.terms {
				Terms::Free => "free".to_string(),
				Terms::PerAccess(price) => format!("{} per access", format_amount(*price)),
				Terms::RevenueShare { price, shares } => format!(
					"{} per access into a revenue pool shared with {}",
					format_amount(*price),
					shares
						.0
						.iter()
						.map(|(a, p)| format!("{a} {:.2} %", f64::from(p.0) / 1e7))
						.collect::<Vec<_>>()
						.join(", ")
				),
			};
			println!(
				"policy       {terms}{}",
				if p.approval_required { ", holder approves each request" } else { "" }
			);
			if !p.whitelist.0.is_empty() {
				println!(
					"whitelist    {}",
					p.whitelist.0.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(" ")
				);
			}
			if !p.blacklist.0.is_empty() {
				println!(
					"blacklist    {}",
					p.blacklist.0.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(" ")
				);
			}
		},
		None => println!("policy       none: every request waits for the holder"),
	}
	let dispute =
		cess_chain::fetch(&ctx.client, api::storage().data_rights().file_disputes(), (file_id,))
			.await?;
	if let Some(dispute) = dispute {
		if let Some(d) =
			cess_chain::fetch(&ctx.client, api::storage().data_rights().disputes(), (dispute,))
				.await?
		{
			println!(
				"dispute      {dispute}: claimed by {} at distance {} of {}",
				d.claimant,
				d.distance,
				hex::encode(d.conflicts_with)
			);
		}
	}
	Ok(())
}

fn describe(print: &Fingerprint) -> String {
	match print {
		Fingerprint::SimHash(h) => format!("text SimHash {h:016x}"),
		Fingerprint::PerceptualHash(h) => format!("image pHash {h:016x}"),
		Fingerprint::ContentHash(h) => format!("content hash {}", hex::encode(h)),
	}
}

fn parse_share(text: &str) -> Result<(AccountId, Perbill), CliError> {
	let (who, pct) = text
		.split_once('=')
		.ok_or_else(|| CliError::msg(format!("`{text}`: a share is ADDRESS=PERCENT")))?;
	let pct: f64 = pct
		.trim_end_matches('%')
		.parse()
		.ok()
		.filter(|p: &f64| (0.0..=100.0).contains(p))
		.ok_or_else(|| CliError::msg(format!("`{text}`: the percentage must be 0 to 100")))?;
	Ok((parse_account(who)?, Perbill((pct * 1e7).round() as u32)))
}

pub async fn policy(ctx: &Context, args: PolicyArgs) -> Result<(), CliError> {
	let file_id = crate::context::parse_file_id(&args.file_id)?;
	let terms = match (&args.price, &args.revenue_share) {
		(Some(p), None) => Terms::PerAccess(amount(p)?),
		(None, Some(p)) => Terms::RevenueShare {
			price: amount(p)?,
			shares: BoundedVec(
				args.shares.iter().map(|s| parse_share(s)).collect::<Result<_, _>>()?,
			),
		},
		_ => Terms::Free,
	};
	let list = |l: &[String]| -> Result<BoundedVec<AccountId>, CliError> {
		Ok(BoundedVec(l.iter().map(|a| parse_account(a)).collect::<Result<_, _>>()?))
	};
	let policy = Policy {
		terms,
		approval_required: args.approval,
		whitelist: list(&args.whitelist)?,
		blacklist: list(&args.blacklist)?,
	};
	ctx.submit(&api::tx().data_rights().set_policy(file_id, policy), Wait::Finalized).await?;
	println!("policy of {} set", hex::encode(file_id));
	Ok(())
}

pub async fn access(ctx: &Context, command: AccessCommand) -> Result<(), CliError> {
	let parse = crate::context::parse_file_id;
	match command {
		AccessCommand::Request { file_id, offer, wait } => {
			request(ctx, parse(&file_id)?, amount(&offer)?, wait).await
		},
		AccessCommand::Grant { file_id, who } => {
			grant(ctx, parse(&file_id)?, parse_account(&who)?).await
		},
		AccessCommand::Deny { file_id, who } => {
			let call = api::tx().data_rights().deny_access(parse(&file_id)?, parse_account(&who)?);
			ctx.submit(&call, Wait::Finalized).await?;
			println!("request of {who} denied; the offer was refunded");
			Ok(())
		},
		AccessCommand::Revoke { file_id, who } => {
			let call =
				api::tx().data_rights().revoke_access(parse(&file_id)?, parse_account(&who)?);
			ctx.submit(&call, Wait::Finalized).await?;
			println!("access of {who} revoked");
			Ok(())
		},
		AccessCommand::Cancel { file_id } => {
			ctx.submit(&api::tx().data_rights().cancel_request(parse(&file_id)?), Wait::Finalized)
				.await?;
			println!("request withdrawn; the offer was refunded");
			Ok(())
		},
		AccessCommand::List { file_id } => list(ctx, parse(&file_id)?).await,
	}
}

async fn request(ctx: &Context, file_id: FileId, offer: u128, wait: u64) -> Result<(), CliError> {
	let me = ctx.account()?;
	let key = ctx.encryption()?.current().public_key().to_bytes();
	let call = api::tx().data_rights().request_access(file_id, offer, key);
	let events = ctx.submit(&call, Wait::Finalized).await?;
	let id = hex::encode(file_id);
	if let Some(ev) = events
		.find_first::<api::data_rights::events::AccessGranted>()
		.transpose()
		.map_err(ChainError::rpc)?
	{
		println!("access granted (paid {})", format_amount(ev.paid));
	} else {
		println!("request pending with {} in escrow: the holder decides", format_amount(offer));
	}
	let deadline = std::time::Instant::now() + Duration::from_secs(wait);
	loop {
		match access_of(ctx, file_id, &me).await? {
			Some(Access { key: Some(_), .. }) => {
				println!("key received: download with `cess download {id} <output>`");
				return Ok(());
			},
			None => {
				return Err(CliError::msg("the holder denied the request; the offer was refunded"))
			},
			Some(_) if std::time::Instant::now() >= deadline => {
				println!("the key has not arrived yet; `cess download {id} <output>` works once the holder delivers it");
				return Ok(());
			},
			Some(_) => tokio::time::sleep(Duration::from_secs(3)).await,
		}
	}
}

async fn grant(ctx: &Context, file_id: FileId, who: AccountId) -> Result<(), CliError> {
	let access = access_of(ctx, file_id, &who).await?.ok_or_else(|| {
		CliError::msg(format!("{who} has not requested access to {}", hex::encode(file_id)))
	})?;
	let cert =
		cess_chain::fetch(&ctx.client, api::storage().data_rights().certificates(), (file_id,))
			.await?
			.ok_or_else(|| CliError::msg("the file has no certificate: register it first"))?;
	// The data key comes from the certificate (no download); the file itself if that fails.
	let secret = ctx.encryption()?;
	let from_certificate = WrappedKey::decode(&cert.owner_key.0)
		.ok()
		.and_then(|k| secret.all().iter().find_map(|s| unwrap_key(&k, s).ok()));
	let key = match from_certificate {
		Some(key) => key,
		None => owner_data_key(ctx, file_id).await?,
	};
	let granted = wrap_key(&key, &EncryptionPublicKey(access.encryption_key)).map_err(|_| {
		CliError::msg("the requester's encryption key is invalid: deny the request")
	})?;
	let call = api::tx().data_rights().grant_access(file_id, who, wrapped(&granted));
	ctx.submit(&call, Wait::Finalized).await?;
	match access.state {
		AccessState::Pending { offer } => {
			println!("granted {who} access for {}", format_amount(offer))
		},
		AccessState::Granted { .. } => println!("key delivered to {who}"),
	}
	Ok(())
}

async fn list(ctx: &Context, file_id: FileId) -> Result<(), CliError> {
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let mut entries = at
		.storage()
		.iter(api::storage().data_rights().accesses(), (file_id,))
		.await
		.map_err(ChainError::rpc)?;
	let mut count = 0;
	while let Some(entry) = entries.next().await {
		let entry = entry.map_err(ChainError::rpc)?;
		let (_, who): (FileId, AccountId) =
			entry.key().map_err(ChainError::rpc)?.decode().map_err(ChainError::rpc)?;
		let access: Access = entry.value().decode().map_err(ChainError::rpc)?;
		let state = match (&access.state, &access.key) {
			(AccessState::Pending { offer }, _) => {
				format!("pending, {} offered", format_amount(*offer))
			},
			(AccessState::Granted { paid }, None) => {
				format!("granted ({} paid), key NOT delivered", format_amount(*paid))
			},
			(AccessState::Granted { paid }, Some(_)) => {
				format!("granted ({} paid)", format_amount(*paid))
			},
		};
		println!("{who}  {state}  (requested at block {})", access.requested_at);
		count += 1;
	}
	if count == 0 {
		println!("no requests");
	}
	Ok(())
}

pub async fn log(ctx: &Context, file_id: FileId, from: u32, limit: u32) -> Result<(), CliError> {
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let page = at
		.runtime_apis()
		.call(api::runtime_apis().data_rights_api().evidence(file_id, from, limit))
		.await
		.map_err(ChainError::rpc)?;
	if page.first_kept > from {
		println!(
			"(records before {} were overwritten; their events remain in the blocks)",
			page.first_kept
		);
	}
	for r in &page.records {
		let counterpart = r.counterpart.as_ref().map(|c| format!(" → {c}")).unwrap_or_default();
		let amount =
			if r.amount > 0 { format!(" {}", format_amount(r.amount)) } else { String::new() };
		println!(
			"#{:<4} block {:<8} {:<22} {}{counterpart}{amount}",
			r.seq,
			r.block,
			action_name(&r.action),
			r.actor
		);
	}
	println!("{} of {} records", page.records.len(), page.total);
	Ok(())
}

fn action_name(action: &Action) -> String {
	match action {
		Action::Registered => "registered".into(),
		Action::DisputeOpened(d) => format!("dispute {d} opened"),
		Action::DisputeResolved(d, v) => format!("dispute {d}: {v:?}"),
		Action::PolicyChanged => "policy changed".into(),
		Action::Requested => "requested".into(),
		Action::Granted => "granted".into(),
		Action::KeyDelivered => "key delivered".into(),
		Action::Denied => "denied".into(),
		Action::Revoked => "revoked".into(),
		Action::Paid => "paid".into(),
		Action::RevenuePaid => "revenue paid".into(),
		Action::Transferred => "transferred".into(),
		Action::Withdrawn => "withdrawn".into(),
	}
}
