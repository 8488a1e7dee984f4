//! Where a file's columns live: each column's miner and its libp2p peer id and addresses.

use cess_chain::{
	api::{
		self,
		runtime_types::pallet_file_bank::types::{ColumnState, FileInfo},
	},
	AccountId,
};
use cess_client::net::{dial_info, Host, NetError, Request, Response};
use cess_primitives::types::Column;
use libp2p::{Multiaddr, PeerId};

use crate::context::{CliError, Context};

/// One column's miner.
#[derive(Clone, Debug)]
pub struct ColumnMiner {
	pub column: Column,
	pub account: AccountId,
	pub peer: PeerId,
	pub addrs: Vec<Multiaddr>,
	pub stored: bool,
}

impl ColumnMiner {
	pub async fn request(&self, host: &Host, request: Request) -> Result<Response, NetError> {
		host.request(self.peer, self.addrs.clone(), request).await
	}
}

/// The miners of `file`'s columns (those whose record is readable).
pub async fn column_miners(ctx: &Context, file: &FileInfo) -> Result<Vec<ColumnMiner>, CliError> {
	let mut out = Vec::new();
	for (column, info) in file.columns.0.iter().enumerate() {
		let address = api::storage().sminer().miners();
		let Some(record) = cess_chain::fetch(&ctx.client, address, (info.miner,)).await? else {
			continue;
		};
		let multiaddrs = record.multiaddrs.0.iter().map(|a| &a.0[..]);
		let Some((peer, addrs)) = dial_info(&record.peer_id.0, multiaddrs) else { continue };
		out.push(ColumnMiner {
			column: column as Column,
			account: info.miner,
			peer,
			addrs,
			stored: matches!(info.state, ColumnState::Stored),
		});
	}
	Ok(out)
}

/// A libp2p host that only sends requests.
pub async fn client_host() -> Result<Host, CliError> {
	Host::start(libp2p::identity::Keypair::generate_ed25519(), &[], None)
		.await
		.map_err(|e| CliError::msg(e.to_string()))
}
