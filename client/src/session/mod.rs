//! Chain-aware operations shared by the `cess` CLI and the S3 gateway: the connected account
//! ([`Session`]), where a file's columns live ([`peers`]), the streaming upload ([`upload`]),
//! random-access reads of a stored file ([`download`]).
//!
//! Errors are [`SessionError`]s phrased for the person running the tool: what went wrong and what
//! to do about it.

pub mod download;
mod join;
pub mod peers;
mod progress;
pub mod upload;

pub use progress::{Progress, Silent};

use cess_chain::{
	api::{self, runtime_types::pallet_file_bank::types::FileInfo},
	AccountId, ChainError, Client, Keypair, Submitter, Wait,
};
use cess_primitives::types::FileId;

use crate::AccountKeys;

/// Everything a chain-aware operation can fail with; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
	/// Talking to the chain failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The data path failed.
	#[error(transparent)]
	Data(#[from] crate::Error),
	/// An operation-specific problem, already phrased.
	#[error("{0}")]
	Msg(String),
}

impl SessionError {
	/// A problem phrased by the caller.
	pub fn msg(text: impl Into<String>) -> Self {
		SessionError::Msg(text.into())
	}
}

/// A connection to a node, with the account that signs and decrypts (if one was given).
pub struct Session {
	/// The connected client.
	pub client: Client,
	account: Option<(Submitter, AccountKeys)>,
}

impl Session {
	/// Connects to the node at `url`; `account` is a secret URI (mnemonic phrase, `0x` seed or
	/// dev account such as `//Alice`, optionally with derivations).
	pub async fn connect(url: &str, account: Option<&str>) -> Result<Self, SessionError> {
		let account = match account {
			Some(uri) => {
				let submitter = Submitter::new(cess_chain::signer(uri)?);
				let secret = cess_chain::secret_key(uri)?;
				Some((submitter, AccountKeys::new(&secret, Some(uri))?))
			},
			None => None,
		};
		let client = cess_chain::connect(url).await?;
		Ok(Self { client, account })
	}

	fn signed(&self) -> Result<&(Submitter, AccountKeys), SessionError> {
		self.account.as_ref().ok_or_else(|| {
			SessionError::msg(
				"no account: pass --account or set CESS_ACCOUNT (a mnemonic phrase, or //Alice on \
				 a dev chain)",
			)
		})
	}

	/// The account's signing key.
	pub fn key(&self) -> Result<&Keypair, SessionError> {
		Ok(self.signed()?.0.key())
	}

	/// The account id.
	pub fn account(&self) -> Result<AccountId, SessionError> {
		Ok(self.signed()?.0.account())
	}

	/// The account's encryption keys: the current one, derived from its sr25519 secret key, and
	/// the legacy one of files stored when keys derived from the URI's text.
	pub fn encryption(&self) -> Result<AccountKeys, SessionError> {
		Ok(self.signed()?.1.clone())
	}

	/// Signs `call`, submits it and waits; returns its events.
	pub async fn submit<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
		wait: Wait,
	) -> Result<cess_chain::Events, SessionError> {
		Ok(self.signed()?.0.submit(&self.client, call, wait).await?)
	}

	/// As [`Session::submit`], also returning the hash of the block that included `call`.
	pub async fn submit_included<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
		wait: Wait,
	) -> Result<(cess_chain::Events, cess_chain::BlockHash), SessionError> {
		Ok(self.signed()?.0.submit_included(&self.client, call, wait).await?)
	}

	/// A file's on-chain record.
	pub async fn file(&self, file_id: FileId) -> Result<Option<FileInfo>, SessionError> {
		let address = api::storage().file_bank().files();
		Ok(cess_chain::fetch(&self.client, address, (file_id,)).await?)
	}

	/// A file's on-chain record, or an error naming the id.
	pub async fn file_or_err(&self, file_id: FileId) -> Result<FileInfo, SessionError> {
		self.file(file_id).await?.ok_or_else(|| {
			SessionError::msg(format!(
				"the chain has no file {}: check the id (`cess ls` lists yours)",
				hex::encode(file_id)
			))
		})
	}
}

/// Parses a 64-hex-digit file id (with or without `0x`).
pub fn parse_file_id(text: &str) -> Result<FileId, SessionError> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes = hex::decode(digits).ok().filter(|b| b.len() == 32).ok_or_else(|| {
		SessionError::msg(format!("`{text}` is not a file id: expected 64 hex digits"))
	})?;
	Ok(bytes.try_into().expect("32 bytes; qed"))
}

/// An SS58 account address.
pub fn parse_account(text: &str) -> Result<AccountId, SessionError> {
	<AccountId as std::str::FromStr>::from_str(text).map_err(|_| {
		SessionError::msg(format!("`{text}` is not an account address (SS58 expected)"))
	})
}
