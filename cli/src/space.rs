//! The account and its storage lease: `account`, `quote`, `buy-space`, `expand-space`,
//! `renew-space`.

use cess_chain::{
	api,
	units::{format_amount, format_size},
	ChainError, Wait,
};

use crate::context::{CliError, Context};

const GIB: u64 = 1 << 30;

pub async fn account(ctx: &Context) -> Result<(), CliError> {
	let me = ctx.account()?;
	let balance = cess_chain::fetch(&ctx.client, api::storage().system().account(), (me,))
		.await?
		.map_or(0, |a| a.data.free);
	println!("account      {me}");
	println!("balance      {}", format_amount(balance));
	println!("encryption   {}", hex::encode(ctx.encryption()?.current().public_key().to_bytes()));
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let lease = at
		.runtime_apis()
		.call(api::runtime_apis().file_bank_api().lease(me))
		.await
		.map_err(ChainError::rpc)?;
	match lease {
		Some(lease) => println!(
			"lease        {} of {} used by {} files, expires at block {}",
			format_size(lease.used),
			format_size(u64::from(lease.gib) * GIB),
			lease.files,
			lease.expires
		),
		None => println!("lease        none (buy one with `cess buy-space --gib N --days D`)"),
	}
	Ok(())
}

pub async fn quote(ctx: &Context, gib: u32, days: u32) -> Result<(), CliError> {
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let price = at
		.runtime_apis()
		.call(api::runtime_apis().file_bank_api().quote(gib, days))
		.await
		.map_err(ChainError::rpc)?;
	println!("{gib} GiB for {days} days costs {}", format_amount(price));
	Ok(())
}

pub async fn buy(ctx: &Context, gib: u32, days: u32) -> Result<(), CliError> {
	ctx.submit(&api::tx().file_bank().buy_space(gib, days), Wait::Finalized).await?;
	println!("bought {gib} GiB for {days} days");
	Ok(())
}

pub async fn expand(ctx: &Context, gib: u32) -> Result<(), CliError> {
	ctx.submit(&api::tx().file_bank().expand_space(gib), Wait::Finalized).await?;
	println!("lease expanded by {gib} GiB");
	Ok(())
}

pub async fn renew(ctx: &Context, days: u32) -> Result<(), CliError> {
	ctx.submit(&api::tx().file_bank().renew_space(days), Wait::Finalized).await?;
	println!("lease renewed by {days} days");
	Ok(())
}
