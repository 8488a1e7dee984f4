//! `accept-beneficiary`: consent to receive a miner's storage rewards.

use cess_chain::{api, Wait};

use crate::context::{parse_account, CliError, Context};

pub async fn accept(ctx: &Context, miner: &str) -> Result<(), CliError> {
	let miner = parse_account(miner)?;
	let call = api::tx().sminer().accept_beneficiary(miner);
	ctx.submit(&call, Wait::Finalized).await?;
	println!("miner {miner}'s rewards are now paid and vest to this account");
	Ok(())
}
