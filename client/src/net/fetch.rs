//! Reaching miners: dial information from their on-chain records, and the fetch requests whose
//! answers every downloader and restorer checks the same way.

use cess_primitives::types::{Column, FileId, SegmentIndex};
use libp2p::{multiaddr::Protocol, Multiaddr, PeerId};

use super::{Host, Request, Response};
use crate::FileManifest;

/// A miner's peer id and libp2p addresses from its on-chain record (the bytes of its peer id and
/// of its multiaddrs); its HTTP probe endpoint and undecodable addresses are left out. `None` if
/// the peer id does not decode.
pub fn dial_info<'a>(
	peer_id: &[u8],
	multiaddrs: impl IntoIterator<Item = &'a [u8]>,
) -> Option<(PeerId, Vec<Multiaddr>)> {
	let peer = PeerId::from_bytes(peer_id).ok()?;
	let addrs = multiaddrs
		.into_iter()
		.filter_map(|bytes| Multiaddr::try_from(bytes.to_vec()).ok())
		.filter(|addr| !addr.iter().any(|p| matches!(p, Protocol::Http)))
		.collect();
	Some((peer, addrs))
}

impl Host {
	/// Fragment `(segment, column)` of `file_id` from `peer`, if it sends one. The caller checks
	/// its length and hash (the decoder and the restorer do).
	pub async fn fetch_fragment(
		&self,
		peer: PeerId,
		addrs: &[Multiaddr],
		file_id: FileId,
		segment: SegmentIndex,
		column: Column,
	) -> Option<Vec<u8>> {
		let request = Request::Get { file_id, segment, column };
		match self.request(peer, addrs.to_vec(), request).await {
			Ok(Response::Fragment { data }) => Some(data),
			other => {
				tracing::debug!(
					target: "cess-client::fetch",
					%peer, segment, column, answer = ?other.as_ref().map(|_| "not a fragment"),
					error = ?other.as_ref().err().map(|e| e.to_string()),
					"no fragment"
				);
				None
			},
		}
	}

	/// The manifest of `file_id` from `peer`, checked to describe that file; the error says why
	/// not.
	pub async fn fetch_manifest(
		&self,
		peer: PeerId,
		addrs: &[Multiaddr],
		file_id: &FileId,
	) -> Result<FileManifest, String> {
		match self.request(peer, addrs.to_vec(), Request::Manifest { file_id: *file_id }).await {
			Ok(Response::Manifest { manifest }) => FileManifest::decode(&manifest)
				.and_then(|m| m.expect_file_id(file_id).map(|_| m))
				.map_err(|e| format!("bad manifest ({e})")),
			Ok(other) => Err(format!("{other:?}")),
			Err(e) => Err(e.to_string()),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dial_info_keeps_libp2p_addresses_only() {
		let peer = libp2p::identity::Keypair::generate_ed25519().public().to_peer_id();
		let tcp: Multiaddr = "/ip4/127.0.0.1/tcp/15001".parse().unwrap();
		let http: Multiaddr = "/ip4/127.0.0.1/tcp/15002/http".parse().unwrap();
		let (tcp_bytes, http_bytes) = (tcp.to_vec(), http.to_vec());
		let addrs = [&tcp_bytes[..], &http_bytes[..], &[0xff, 0xff][..]];
		assert_eq!(dial_info(&peer.to_bytes(), addrs), Some((peer, vec![tcp])));
		assert_eq!(dial_info(&[1, 2, 3], []), None);
	}
}
