//! Where a file's columns live: each column's miner and its libp2p peer id and addresses.

use cess_chain::{
	api::{
		self,
		runtime_types::pallet_file_bank::types::{ColumnState, FileInfo},
	},
	AccountId,
};
use cess_primitives::types::Column;
use libp2p::{Multiaddr, PeerId};

use super::{Session, SessionError};
use crate::net::{dial_info, Host, NetError, Request, Response};

/// One column's miner.
#[derive(Clone, Debug)]
pub struct ColumnMiner {
	/// The column.
	pub column: Column,
	/// The miner's account.
	pub account: AccountId,
	/// Its libp2p peer id.
	pub peer: PeerId,
	/// Its registered addresses.
	pub addrs: Vec<Multiaddr>,
	/// Whether the chain records the column as stored.
	pub stored: bool,
}

impl ColumnMiner {
	/// Sends `request` to this miner.
	pub async fn request(&self, host: &Host, request: Request) -> Result<Response, NetError> {
		host.request(self.peer, self.addrs.clone(), request).await
	}
}

/// The miners of `file`'s columns (those whose record is readable).
pub async fn column_miners(
	session: &Session,
	file: &FileInfo,
) -> Result<Vec<ColumnMiner>, SessionError> {
	let mut out = Vec::new();
	for (column, info) in file.columns.0.iter().enumerate() {
		let address = api::storage().sminer().miners();
		let Some(record) = cess_chain::fetch(&session.client, address, (info.miner,)).await? else {
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
pub async fn client_host() -> Result<Host, SessionError> {
	Host::start(libp2p::identity::Keypair::generate_ed25519(), &[], None)
		.await
		.map_err(|e| SessionError::msg(e.to_string()))
}

/// What a miner's refusal or unexpected answer says.
pub fn refused(response: Response) -> String {
	match response {
		Response::Refused { refusal, reason } => format!("refused ({refusal:?}): {reason}"),
		other => format!("unexpected answer {other:?}"),
	}
}
