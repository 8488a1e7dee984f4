//! The miner's account commands: register, status, collateral, endpoints, exit, withdraw and
//! reward claims.

use cess_chain::{
	account_of, api,
	api::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, pallet_sminer::types::MinerState,
	},
	audit::audit_summary,
	submit,
	units::{format_amount, format_size, parse_amount, parse_size},
	AccountId, ChainError, Client, Keypair, Wait,
};
use multiaddr::Multiaddr;

use crate::{
	cli::{Endpoints, Register},
	identity::Identity,
	store::FragmentStore,
	MinerError,
};

const TIB: u64 = 1 << 40;

/// What every account command needs.
pub struct Context {
	/// The connected node.
	pub client: Client,
	/// The miner account.
	pub key: Keypair,
	/// The local keys.
	pub identity: Identity,
}

impl Context {
	fn account(&self) -> AccountId {
		account_of(&self.key)
	}

	async fn record(
		&self,
	) -> Result<Option<api::runtime_types::pallet_sminer::types::MinerInfo>, MinerError> {
		let address = api::storage().sminer().miners();
		Ok(cess_chain::fetch(&self.client, address, (self.account(),)).await?)
	}

	async fn registered(
		&self,
	) -> Result<api::runtime_types::pallet_sminer::types::MinerInfo, MinerError> {
		self.record().await?.ok_or_else(|| MinerError::NotRegistered(self.account().to_string()))
	}

	/// The (era, amount) reward shares the account can claim now, oldest first.
	async fn claimable(&self) -> Result<Vec<(u32, u128)>, MinerError> {
		let at = cess_chain::at_finalized(&self.client).await?;
		let call = api::runtime_apis().storage_rewards_api().claimable(self.account());
		Ok(at.runtime_apis().call(call).await.map_err(ChainError::rpc)?)
	}

	async fn send<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
	) -> Result<(), MinerError> {
		submit(&self.client, call, &self.key, Wait::Finalized).await?;
		Ok(())
	}
}

fn endpoints(args: &Endpoints) -> Result<Vec<BoundedVec<u8>>, MinerError> {
	let mut out = Vec::with_capacity(args.p2p.len() + 1);
	for text in args.p2p.iter().chain(std::iter::once(&args.http)) {
		let addr: Multiaddr = text
			.parse()
			.map_err(|e| MinerError::Usage(format!("`{text}` is not a multiaddr: {e}")))?;
		out.push(BoundedVec(addr.to_vec()));
	}
	if cess_primitives::probe::http_endpoint(out.last().map(|a| &a.0[..]).unwrap_or(&[])).is_none()
	{
		return Err(MinerError::Usage(format!(
			"--http-addr `{}` must end in /tcp/<port>/http, e.g. /ip4/203.0.113.7/tcp/15002/http",
			args.http
		)));
	}
	Ok(out)
}

/// The collateral the chain requires for `capacity` bytes.
async fn required_collateral(client: &Client, capacity: u64) -> Result<u128, MinerError> {
	let at = cess_chain::at_finalized(client).await?;
	let per_tib = at
		.constants()
		.entry(api::constants().sminer().collateral_per_ti_b())
		.map_err(ChainError::rpc)?;
	Ok(per_tib.saturating_mul(u128::from(capacity.div_ceil(TIB))))
}

/// `register`.
pub async fn register(ctx: &Context, args: &Register) -> Result<(), MinerError> {
	let capacity = parse_size(&args.capacity).map_err(MinerError::Usage)?;
	let multiaddrs = endpoints(&args.endpoints)?;
	if let Some(info) = ctx.record().await? {
		// Registering again with the same identity and endpoints is a no-op, so a service can
		// run `register && run` on every start.
		let same_endpoints =
			info.multiaddrs.0.iter().map(|a| &a.0).eq(multiaddrs.iter().map(|a| &a.0));
		if info.peer_id.0 == ctx.identity.peer_id().to_bytes() && same_endpoints {
			println!(
				"{} is already registered with this peer id and these endpoints ({} declared): \
				 nothing to do",
				ctx.account(),
				format_size(info.declared)
			);
			return Ok(());
		}
		return Err(MinerError::Usage(format!(
			"{} is already registered with another peer id or other endpoints: publish the new \
			 ones with `cess-miner update-endpoint`",
			ctx.account()
		)));
	}
	let required = required_collateral(&ctx.client, capacity).await?;
	let collateral = match &args.collateral {
		Some(text) => parse_amount(text).map_err(MinerError::Usage)?,
		None => required,
	};
	if collateral < required {
		return Err(MinerError::Usage(format!(
			"{} of collateral is below the {} the chain requires for {}",
			format_amount(collateral),
			format_amount(required),
			format_size(capacity)
		)));
	}
	let beneficiary = match &args.beneficiary {
		Some(text) => text
			.parse::<AccountId>()
			.map_err(|e| MinerError::Usage(format!("--beneficiary `{text}`: {e}")))?,
		None => ctx.account(),
	};
	let call = api::tx().sminer().register(
		beneficiary,
		BoundedVec(ctx.identity.peer_id().to_bytes()),
		BoundedVec(multiaddrs),
		capacity,
		collateral,
	);
	ctx.send(&call).await?;
	println!(
		"registered {} with {} of capacity and {} of collateral",
		ctx.account(),
		format_size(capacity),
		format_amount(collateral)
	);
	if beneficiary != ctx.account() {
		println!(
			"rewards go to this account until {beneficiary} accepts being the beneficiary: \
			 `cess --account <its key> accept-beneficiary {}`",
			ctx.account()
		);
	}
	Ok(())
}

/// `status`.
pub async fn status(ctx: &Context, store_dir: &std::path::Path) -> Result<(), MinerError> {
	let account = ctx.account();
	println!("account      {account}");
	println!("peer id      {}", ctx.identity.peer_id());
	let Some(info) = ctx.record().await? else {
		println!("state        not registered (run `cess-miner register`)");
		return Ok(());
	};
	let state = match info.state {
		MinerState::Positive => "positive (takes new data)".to_string(),
		MinerState::Frozen => "frozen (collateral below requirement: increase-collateral)".into(),
		MinerState::Exiting { since } => format!("exiting since block {since}"),
		MinerState::Offline { since } => format!("forced offline at block {since}"),
	};
	let required = required_collateral(&ctx.client, info.declared).await?;
	println!("state        {state}");
	println!("credit       {}", info.credit);
	println!("audits       {}", audit_summary(&ctx.client, account).await?);
	println!(
		"capacity     {} declared, {} used, {} reserved",
		format_size(info.declared),
		format_size(info.used),
		format_size(info.locked)
	);
	if let Some(idle) = cess_chain::idle::idle_summary(&ctx.client, account).await? {
		println!("idle space   {idle}");
	}
	println!(
		"collateral   {} on hold ({} required)",
		format_amount(info.collateral),
		format_amount(required)
	);
	println!("beneficiary  {}", info.beneficiary);
	let proposed =
		cess_chain::fetch(&ctx.client, api::storage().sminer().proposed_beneficiary(), (account,))
			.await?;
	if let Some(proposed) = proposed {
		println!("proposed     {proposed} (until it runs `cess accept-beneficiary {account}`)");
	}
	for addr in &info.multiaddrs.0 {
		match Multiaddr::try_from(addr.0.clone()) {
			Ok(a) => println!("endpoint     {a}"),
			Err(_) => println!("endpoint     (undecodable: 0x{})", hex::encode(&addr.0)),
		}
	}
	if info.peer_id.0 != ctx.identity.peer_id().to_bytes() {
		println!("WARNING      the registered peer id is not this miner's: run update-endpoint");
	}
	if store_dir.exists() {
		let store = FragmentStore::open(store_dir, info.declared)?;
		println!(
			"local store  {} of {} used, {} columns held",
			format_size(store.used()),
			format_size(store.capacity()),
			store.held_columns().len()
		);
	}
	let claimable = ctx.claimable().await?;
	let total: u128 = claimable.iter().map(|(_, amount)| amount).sum();
	println!("rewards      {} claimable over {} eras", format_amount(total), claimable.len());
	Ok(())
}

/// `increase-collateral`.
pub async fn increase_collateral(ctx: &Context, amount: &str) -> Result<(), MinerError> {
	let amount = parse_amount(amount).map_err(MinerError::Usage)?;
	ctx.registered().await?;
	ctx.send(&api::tx().sminer().increase_collateral(amount)).await?;
	println!("put {} more collateral on hold", format_amount(amount));
	Ok(())
}

/// `update-endpoint`.
pub async fn update_endpoint(ctx: &Context, args: &Endpoints) -> Result<(), MinerError> {
	ctx.registered().await?;
	let call = api::tx().sminer().update_endpoints(
		BoundedVec(ctx.identity.peer_id().to_bytes()),
		BoundedVec(endpoints(args)?),
	);
	ctx.send(&call).await?;
	println!("endpoints updated");
	Ok(())
}

/// `exit`.
pub async fn exit(ctx: &Context) -> Result<(), MinerError> {
	ctx.registered().await?;
	ctx.send(&api::tx().sminer().request_exit()).await?;
	println!("exit requested: held columns go to restoral; run `cess-miner withdraw` after the cooling period");
	Ok(())
}

/// `withdraw`.
pub async fn withdraw(ctx: &Context) -> Result<(), MinerError> {
	ctx.registered().await?;
	ctx.send(&api::tx().sminer().withdraw()).await?;
	println!("collateral released and the miner record removed");
	Ok(())
}

/// `claim-rewards`.
pub async fn claim_rewards(ctx: &Context) -> Result<(), MinerError> {
	let claimable = ctx.claimable().await?;
	if claimable.is_empty() {
		println!("nothing to claim");
		return Ok(());
	}
	for (era, amount) in claimable {
		ctx.send(&api::tx().storage_rewards().claim_rewards(era)).await?;
		println!("claimed era {era}: {}", format_amount(amount));
	}
	Ok(())
}
