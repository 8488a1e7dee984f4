//! What every command needs: the session (node connection, account, encryption keys), progress
//! bars, and errors phrased for the user.

use std::ops::Deref;

pub use cess_client::session::{parse_account, parse_file_id, SessionError as CliError};
use cess_client::session::{Progress, Session};
use indicatif::{ProgressBar, ProgressStyle};

/// The connected session and how to show progress.
pub struct Context {
	session: Session,
	pub quiet: bool,
}

impl Deref for Context {
	type Target = Session;

	fn deref(&self) -> &Session {
		&self.session
	}
}

impl Context {
	pub async fn new(url: &str, account: Option<&str>, quiet: bool) -> Result<Self, CliError> {
		Ok(Self { session: Session::connect(url, account).await?, quiet })
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

	/// Progress of a library operation, drawn as one bar per phase.
	pub fn progress(&self) -> Bars {
		Bars { bar: self.bytes_bar(0, "") }
	}
}

/// [`Progress`] as a byte bar that restarts for each phase; notes print above it.
pub struct Bars {
	bar: ProgressBar,
}

impl Bars {
	/// Removes the bar.
	pub fn finish(&self) {
		self.bar.finish_and_clear();
	}
}

impl Progress for Bars {
	fn phase(&self, name: &str, total: u64) {
		self.bar.reset();
		self.bar.set_length(total);
		self.bar.set_message(name.to_string());
	}

	fn advance(&self, units: u64) {
		self.bar.inc(units);
	}

	fn note(&self, message: &str) {
		// Notes are not progress: --quiet hides the bars, not what happened.
		self.bar.suspend(|| eprintln!("{message}"));
	}
}
