//! What every command needs: the node connection, the account and its encryption key, progress
//! bars, and errors phrased for the user.

use cess_chain::{
	api::{self, runtime_types::pallet_file_bank::types::FileInfo},
	AccountId, ChainError, Client, Keypair, Submitter, Wait,
};
use cess_client::AccountKeys;
use cess_primitives::types::FileId;
use indicatif::{ProgressBar, ProgressStyle};

/// Everything a command can fail with; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
	/// Talking to the chain failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The data path failed.
	#[error(transparent)]
	Data(#[from] cess_client::Error),
	/// A command-specific problem, already phrased.
	#[error("{0}")]
	Msg(String),
}

impl CliError {
	pub fn msg(text: impl Into<String>) -> Self {
		CliError::Msg(text.into())
	}
}

/// The connected session.
pub struct Context {
	pub client: Client,
	submitter: Option<Submitter>,
	secret_uri: Option<String>,
	pub quiet: bool,
}

impl Context {
	pub async fn new(url: &str, account: Option<&str>, quiet: bool) -> Result<Self, CliError> {
		let submitter = account.map(cess_chain::signer).transpose()?.map(Submitter::new);
		let client = cess_chain::connect(url).await?;
		Ok(Self { client, submitter, secret_uri: account.map(str::to_owned), quiet })
	}

	fn submitter(&self) -> Result<&Submitter, CliError> {
		self.submitter.as_ref().ok_or_else(|| {
			CliError::msg(
				"no account: pass --account or set CESS_ACCOUNT (a mnemonic phrase, or //Alice on \
				 a dev chain)",
			)
		})
	}

	pub fn key(&self) -> Result<&Keypair, CliError> {
		Ok(self.submitter()?.key())
	}

	pub fn account(&self) -> Result<AccountId, CliError> {
		Ok(self.submitter()?.account())
	}

	/// The account's encryption keys: the current one, derived from its sr25519 secret key,
	/// and the legacy one of files stored when keys derived from the URI's text.
	pub fn encryption(&self) -> Result<AccountKeys, CliError> {
		self.submitter()?;
		let uri = self.secret_uri.as_deref().expect("set with the submitter; qed");
		let secret = cess_chain::secret_key(uri)?;
		Ok(AccountKeys::new(&secret, Some(uri))?)
	}

	pub async fn submit<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
		wait: Wait,
	) -> Result<cess_chain::Events, CliError> {
		Ok(self.submitter()?.submit(&self.client, call, wait).await?)
	}

	/// A file's on-chain record.
	pub async fn file(&self, file_id: FileId) -> Result<Option<FileInfo>, CliError> {
		let address = api::storage().file_bank().files();
		Ok(cess_chain::fetch(&self.client, address, (file_id,)).await?)
	}

	pub async fn file_or_err(&self, file_id: FileId) -> Result<FileInfo, CliError> {
		self.file(file_id).await?.ok_or_else(|| {
			CliError::msg(format!(
				"the chain has no file {}: check the id (`cess ls` lists yours)",
				hex::encode(file_id)
			))
		})
	}

	/// A byte progress bar (hidden with --quiet).
	pub fn bytes_bar(&self, total: u64, what: &str) -> ProgressBar {
		if self.quiet {
			return ProgressBar::hidden();
		}
		let bar = ProgressBar::new(total);
		bar.set_style(
			ProgressStyle::with_template(
				"{msg:>10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
			)
			.expect("valid template")
			.progress_chars("=> "),
		);
		bar.set_message(what.to_string());
		bar
	}
}

/// Parses a 64-hex-digit file id (with or without `0x`).
pub fn parse_file_id(text: &str) -> Result<FileId, CliError> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes = hex::decode(digits).ok().filter(|b| b.len() == 32).ok_or_else(|| {
		CliError::msg(format!("`{text}` is not a file id: expected 64 hex digits"))
	})?;
	Ok(bytes.try_into().expect("32 bytes; qed"))
}

/// An SS58 account address.
pub fn parse_account(text: &str) -> Result<cess_chain::AccountId, CliError> {
	<cess_chain::AccountId as std::str::FromStr>::from_str(text)
		.map_err(|_| CliError::msg(format!("`{text}` is not an account address (SS58 expected)")))
}
