//! `ls`, `info` and `delete`.

use cess_chain::{
	api::{
		self,
		runtime_types::pallet_file_bank::types::{ColumnState, FileState},
	},
	audit::audit_summary,
	units::format_size,
	ChainError, Wait,
};
use cess_primitives::types::FileId;

use crate::context::{CliError, Context};

pub async fn ls(ctx: &Context) -> Result<(), CliError> {
	let me = ctx.account()?;
	let at = cess_chain::at_finalized(&ctx.client).await?;
	let mut entries = at
		.storage()
		.iter(api::storage().file_bank().owned_files(), (me,))
		.await
		.map_err(ChainError::rpc)?;
	let mut count = 0;
	while let Some(entry) = entries.next().await {
		let entry = entry.map_err(ChainError::rpc)?;
		let (_, file_id): (_, FileId) =
			entry.key().map_err(ChainError::rpc)?.decode().map_err(ChainError::rpc)?;
		let owned = entry.value().decode().map_err(ChainError::rpc)?;
		let (state, size) = match ctx.file(file_id).await? {
			Some(f) => (state_name(&f.state), format_size(f.size)),
			None => ("gone", String::new()),
		};
		println!(
			"{}  {:<8} {:>10}  {}/{}",
			hex::encode(file_id),
			state,
			size,
			String::from_utf8_lossy(&owned.bucket.0),
			String::from_utf8_lossy(&owned.name.0)
		);
		count += 1;
	}
	if count == 0 {
		println!("no files (store one with `cess upload <path>`)");
	}
	Ok(())
}

fn state_name(state: &FileState) -> &'static str {
	match state {
		FileState::Pending => "pending",
		FileState::Active => "active",
		FileState::Placing => "placing (miners are drawn in the next block)",
	}
}

pub async fn info(ctx: &Context, file_id: FileId) -> Result<(), CliError> {
	let file = ctx.file_or_err(file_id).await?;
	println!("file         {}", hex::encode(file_id));
	println!("state        {}", state_name(&file.state));
	println!("size         {} (encrypted stream)", format_size(file.size));
	println!("segments     {}", file.segments);
	println!(
		"profile      k={} m={} ({} columns of {})",
		file.profile.k,
		file.profile.m,
		file.columns.0.len(),
		format_size(file.column_bytes)
	);
	println!("uploader     {}", file.uploader);
	for owner in &file.owners.0 {
		println!("owner        {owner}");
	}
	for (column, info) in file.columns.0.iter().enumerate() {
		let state = match info.state {
			ColumnState::Assigned { attempts } => format!("assigned (attempt {attempts})"),
			ColumnState::Stored => "stored".into(),
			ColumnState::Restoring => "restoring".into(),
		};
		let audits = audit_summary(&ctx.client, info.miner).await?;
		println!("column {column:<3}   {state:<22} miner {}  audits: {audits}", info.miner);
	}
	Ok(())
}

pub async fn delete(ctx: &Context, file_id: FileId) -> Result<(), CliError> {
	ctx.file_or_err(file_id).await?;
	ctx.submit(&api::tx().file_bank().delete_file(file_id), Wait::Finalized).await?;
	println!("deleted {}", hex::encode(file_id));
	Ok(())
}
