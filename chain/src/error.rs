//! Errors of chain access, phrased for the person running the program.

use subxt::error::{DispatchError, ExtrinsicError, TransactionEventsError};

/// What went wrong talking to the chain, and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node cannot be reached.
	#[error(
		"cannot reach a CESS node at {url}: {reason}. Check --rpc-url and that the node runs with \
		 its RPC port open (a local node listens on {})",
		crate::DEFAULT_RPC_URL
	)]
	Connect {
		/// The URL tried.
		url: String,
		/// What the connection attempt said.
		reason: String,
	},
	/// The account secret does not parse.
	#[error(
		"cannot read the account secret ({0}): pass a dev URI such as //Alice, or a mnemonic \
		 phrase optionally followed by //derivation and ///password"
	)]
	BadAccount(String),
	/// The transaction was included but the pallet refused it.
	#[error("{pallet}.{error}: {doc}")]
	Dispatch {
		/// Pallet name.
		pallet: String,
		/// Error variant name.
		error: String,
		/// The error's doc line(s).
		doc: String,
	},
	/// The transaction failed outside a pallet (no balance, bad origin, …).
	#[error("the transaction failed: {reason}{hint}")]
	Failed {
		/// The runtime's reason.
		reason: String,
		/// What to do, if known.
		hint: &'static str,
	},
	/// The node refused the transaction before including it.
	#[error("the node rejected the transaction: {reason}{hint}")]
	Rejected {
		/// The node's reason.
		reason: String,
		/// What to do, if known.
		hint: &'static str,
	},
	/// Any other RPC or decoding failure.
	#[error("chain request failed: {0}")]
	Rpc(String),
}

const NO_FUNDS: &str =
	" (the account cannot pay: fund it with a transfer from an account that holds TCESS)";

impl ChainError {
	/// Any other failure of a chain request.
	pub fn rpc(e: impl std::fmt::Display) -> Self {
		Self::Rpc(e.to_string())
	}

	/// Whether the node refused a transaction because its nonce was already used (by one in a
	/// block that is not finalized yet, or in the pool).
	pub fn is_stale_nonce(&self) -> bool {
		matches!(self, Self::Rejected { reason, .. }
			if reason.contains("Transaction is outdated")
				|| reason.contains("stale")
				|| reason.contains("Priority is too low"))
	}

	pub(crate) fn rejected(reason: String) -> Self {
		let hint = if reason.contains("Inability to pay") || reason.contains("balance too low") {
			NO_FUNDS
		} else if reason.contains("Transaction is outdated") || reason.contains("stale") {
			" (another transaction from this account used the same nonce: retry)"
		} else {
			""
		};
		Self::Rejected { reason, hint }
	}

	pub(crate) fn from_submission(e: ExtrinsicError) -> Self {
		match e {
			ExtrinsicError::IncompatibleCodegen => Self::Rpc(
				"this program was built for another runtime version than the node runs; update it"
					.into(),
			),
			other => Self::rejected(other.to_string()),
		}
	}

	pub(crate) fn from_events(e: TransactionEventsError) -> Self {
		match e {
			TransactionEventsError::ExtrinsicFailed(dispatch) => Self::from_dispatch(&dispatch),
			other => Self::rpc(other),
		}
	}

	/// A dispatch error as the pallet's error name and doc, or the runtime's generic reason.
	pub fn from_dispatch(e: &DispatchError) -> Self {
		if let DispatchError::Module(module) = e {
			if let Ok(details) = module.details() {
				return Self::Dispatch {
					pallet: details.pallet.name().to_string(),
					error: details.variant.name.clone(),
					doc: details.variant.docs.join(" ").trim().to_string(),
				};
			}
		}
		let reason = e.to_string();
		let hint = match e {
			DispatchError::Token(_) => NO_FUNDS,
			DispatchError::BadOrigin => " (this call needs another signer, e.g. root)",
			_ => "",
		};
		Self::Failed { reason, hint }
	}
}
