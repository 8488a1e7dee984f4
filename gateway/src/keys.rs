//! Access keys: the key file maps each S3 access key to its secret key and the CESS account
//! (secret URI) whose buckets it reaches.
//!
//! One key a line, `ACCESS_KEY SECRET_KEY ACCOUNT_URI`; the URI is the rest of the line (a
//! mnemonic phrase has spaces); `#` starts a comment. The file holds account secrets, so the
//! gateway refuses to read it unless only its owner can (mode `0600`).

use std::{
	fmt,
	io::Write,
	path::{Path, PathBuf},
};

use rand_core::{OsRng, RngCore};

/// One access key.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
	/// The S3 access key id (20 characters, A–Z and 0–9).
	pub access: String,
	/// The S3 secret key (40 characters).
	pub secret: String,
	/// The CESS account's secret URI.
	pub account: String,
}

impl fmt::Debug for AccessKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("AccessKey").field("access", &self.access).finish_non_exhaustive()
	}
}

/// What is wrong with a key file, phrased for the operator.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
	#[error("cannot read the key file {path}: {source}")]
	Read { path: PathBuf, source: std::io::Error },
	#[error("cannot write the key file {path}: {source}")]
	Write { path: PathBuf, source: std::io::Error },
	#[error(
		"the key file {path} can be read by other users (mode {mode:o}): it holds account \
		 secrets; run `chmod 600 {path}`"
	)]
	Exposed { path: PathBuf, mode: u32 },
	#[error("{path} line {line}: {what}")]
	Syntax { path: PathBuf, line: usize, what: &'static str },
	#[error("{path}: access key {access} is listed twice")]
	Duplicate { path: PathBuf, access: String },
	#[error("{path} has no keys: add one with `cess-gateway key new --keys {path} --account URI`")]
	Empty { path: PathBuf },
}

const ACCESS_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn random_text(alphabet: &[u8], len: usize) -> String {
	// Rejection sampling keeps every character equally likely.
	let limit = 256 - 256 % alphabet.len();
	let mut out = String::with_capacity(len);
	let mut byte = [0u8; 1];
	while out.len() < len {
		OsRng.fill_bytes(&mut byte);
		if usize::from(byte[0]) < limit {
			out.push(char::from(alphabet[usize::from(byte[0]) % alphabet.len()]));
		}
	}
	out
}

impl AccessKey {
	/// A fresh random key pair for `account`.
	pub fn generate(account: &str) -> Self {
		AccessKey {
			access: format!("CESS{}", random_text(ACCESS_ALPHABET, 16)),
			secret: random_text(SECRET_ALPHABET, 40),
			account: account.trim().to_string(),
		}
	}

	fn line(&self) -> String {
		format!("{} {} {}\n", self.access, self.secret, self.account)
	}
}

/// Parses key file text (`path` only names it in errors).
pub fn parse(path: &Path, text: &str) -> Result<Vec<AccessKey>, KeyFileError> {
	let mut keys: Vec<AccessKey> = Vec::new();
	for (index, raw) in text.lines().enumerate() {
		let line = raw.trim();
		if line.is_empty() || line.starts_with('#') {
			continue;
		}
		let syntax = |what| KeyFileError::Syntax { path: path.into(), line: index + 1, what };
		let mut fields = line.splitn(3, char::is_whitespace);
		let (Some(access), Some(secret), Some(account)) =
			(fields.next(), fields.next(), fields.next())
		else {
			return Err(syntax("expected `ACCESS_KEY SECRET_KEY ACCOUNT_URI`"));
		};
		let account = account.trim();
		if !(3..=128).contains(&access.len()) || !access.bytes().all(|b| b.is_ascii_alphanumeric())
		{
			return Err(syntax("the access key must be 3–128 letters and digits"));
		}
		if secret.len() < 8 || !secret.bytes().all(|b| b.is_ascii_graphic()) {
			return Err(syntax("the secret key must be at least 8 printable characters"));
		}
		if account.is_empty() {
			return Err(syntax("the account URI is missing"));
		}
		if keys.iter().any(|k| k.access == access) {
			return Err(KeyFileError::Duplicate { path: path.into(), access: access.into() });
		}
		keys.push(AccessKey {
			access: access.into(),
			secret: secret.into(),
			account: account.into(),
		});
	}
	Ok(keys)
}

/// Reads the key file at `path`, refusing one that others can read and one without keys.
pub fn load(path: &Path) -> Result<Vec<AccessKey>, KeyFileError> {
	check_private(path)?;
	let text = std::fs::read_to_string(path)
		.map_err(|source| KeyFileError::Read { path: path.into(), source })?;
	let keys = parse(path, &text)?;
	if keys.is_empty() {
		return Err(KeyFileError::Empty { path: path.into() });
	}
	Ok(keys)
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), KeyFileError> {
	use std::os::unix::fs::PermissionsExt;
	let meta = std::fs::metadata(path)
		.map_err(|source| KeyFileError::Read { path: path.into(), source })?;
	let mode = meta.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		return Err(KeyFileError::Exposed { path: path.into(), mode });
	}
	Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> Result<(), KeyFileError> {
	Ok(())
}

/// Appends `key` to the key file at `path`, creating it with mode `0600`.
pub fn append(path: &Path, key: &AccessKey) -> Result<(), KeyFileError> {
	let write = |source| KeyFileError::Write { path: path.into(), source };
	let mut options = std::fs::OpenOptions::new();
	options.create(true).append(true);
	#[cfg(unix)]
	{
		use std::os::unix::fs::OpenOptionsExt;
		options.mode(0o600);
	}
	if path.exists() {
		check_private(path)?;
	}
	let mut file = options.open(path).map_err(write)?;
	file.write_all(key.line().as_bytes()).map_err(write)?;
	file.sync_all().map_err(write)
}

/// The single-user mode's key for `account`: read from `path` if it holds one for that account,
/// else generated and saved there.
pub fn single_user(path: &Path, account: &str) -> Result<AccessKey, KeyFileError> {
	if path.exists() {
		if let Some(key) = load(path)?.into_iter().find(|k| k.account == account.trim()) {
			return Ok(key);
		}
	}
	let key = AccessKey::generate(account);
	append(path, &key)?;
	Ok(key)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn lines_parse_with_mnemonics_comments_and_blank_lines() {
		let text = "# keys\n\nAKIA1 secret-one //Alice\nAKIA2 s3cr3t/+x bottom drive obey lake curtain smoke basket hold race lonely fit walk//1\n";
		let keys = parse(Path::new("k"), text).unwrap();
		assert_eq!(keys.len(), 2);
		assert_eq!(keys[0].account, "//Alice");
		assert_eq!(
			keys[1].account,
			"bottom drive obey lake curtain smoke basket hold race lonely fit walk//1"
		);
		assert_eq!(keys[1].secret, "s3cr3t/+x");
	}

	#[test]
	fn bad_lines_name_their_line() {
		let err = parse(Path::new("k"), "AKIA1 secret-one\n").unwrap_err().to_string();
		assert!(err.contains("line 1"), "{err}");
		let err = parse(Path::new("k"), "# c\nAK-1 secret-one //Alice\n").unwrap_err().to_string();
		assert!(err.contains("line 2") && err.contains("letters and digits"), "{err}");
		let err =
			parse(Path::new("k"), "AKIA1 secret-one //A\nAKIA1 secret-two //B\n").unwrap_err();
		assert!(matches!(err, KeyFileError::Duplicate { .. }));
	}

	#[test]
	fn generated_keys_are_distinct_and_well_formed() {
		let a = AccessKey::generate("//Alice");
		let b = AccessKey::generate("//Alice");
		assert_ne!(a.access, b.access);
		assert_ne!(a.secret, b.secret);
		assert_eq!(a.access.len(), 20);
		assert_eq!(a.secret.len(), 40);
		let parsed = parse(Path::new("k"), &a.line()).unwrap();
		assert_eq!(parsed, vec![a]);
	}

	#[cfg(unix)]
	#[test]
	fn a_key_file_others_can_read_is_refused() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("keys");
		let key = single_user(&path, "//Alice").unwrap();
		assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		// The same account gets the same key back; another account a new one.
		assert_eq!(single_user(&path, "//Alice").unwrap(), key);
		assert_ne!(single_user(&path, "//Bob").unwrap().access, key.access);
		assert_eq!(load(&path).unwrap().len(), 2);
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let err = load(&path).unwrap_err();
		assert!(matches!(err, KeyFileError::Exposed { mode: 0o644, .. }), "{err}");
		assert!(err.to_string().contains("chmod 600"));
	}
}
