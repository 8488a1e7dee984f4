//! S3 error codes for what the chain, the data path and the gateway report.

use cess_chain::ChainError;
use cess_client::session::SessionError;
use s3s::{S3Error, S3ErrorCode};

/// An S3 error with `code` and `message`.
pub fn s3(code: S3ErrorCode, message: impl Into<String>) -> S3Error {
	S3Error::with_message(code, message.into())
}

fn custom(code: &'static str, status: http::StatusCode, message: String) -> S3Error {
	let mut error = S3Error::with_message(S3ErrorCode::Custom(code.into()), message);
	error.set_status_code(status);
	error
}

/// The S3 error for a failed chain or data operation: the pallet's refusals map to their S3
/// codes, an unreachable node to `ServiceUnavailable` (clients retry), the rest to
/// `InternalError`, each with the gateway's message saying what to do.
pub fn from_session(error: SessionError) -> S3Error {
	let message = error.to_string();
	match &error {
		SessionError::Chain(ChainError::Dispatch { pallet, error: name, .. }) => {
			dispatch(pallet, name, message)
		},
		SessionError::Chain(ChainError::Connect { .. } | ChainError::Rpc(_)) => {
			s3(S3ErrorCode::ServiceUnavailable, message)
		},
		SessionError::Chain(
			ChainError::Rejected { reason, .. } | ChainError::Failed { reason, .. },
		) if reason.contains("Inability to pay") || reason.contains("balance too low") => {
			custom("InsufficientFunds", http::StatusCode::FORBIDDEN, message)
		},
		SessionError::Msg(text)
			if text.starts_with("no storage lease") || text.contains("lease has") =>
		{
			custom("InsufficientLeaseSpace", http::StatusCode::FORBIDDEN, message)
		},
		_ => s3(S3ErrorCode::InternalError, message),
	}
}

fn dispatch(pallet: &str, name: &str, message: String) -> S3Error {
	let code = match (pallet, name) {
		("Buckets", "NoSuchBucket") => S3ErrorCode::NoSuchBucket,
		("Buckets", "NoSuchKey") => S3ErrorCode::NoSuchKey,
		("Buckets", "BucketExists") => S3ErrorCode::BucketAlreadyOwnedByYou,
		("Buckets", "BucketNotEmpty") => S3ErrorCode::BucketNotEmpty,
		("Buckets", "InvalidBucketName") => S3ErrorCode::InvalidBucketName,
		("Buckets", "TooManyBuckets") => S3ErrorCode::TooManyBuckets,
		("Buckets", "InvalidKey") => S3ErrorCode::KeyTooLongError,
		("Buckets", "InsufficientDeposit") => {
			return custom("InsufficientFunds", http::StatusCode::FORBIDDEN, message)
		},
		("Buckets", "TooManyObjects") => {
			return custom("TooManyObjects", http::StatusCode::FORBIDDEN, message)
		},
		_ => S3ErrorCode::InternalError,
	};
	s3(code, message)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn dispatched(pallet: &str, error: &str) -> S3Error {
		from_session(SessionError::Chain(ChainError::Dispatch {
			pallet: pallet.into(),
			error: error.into(),
			doc: "what to do".into(),
		}))
	}

	#[test]
	fn pallet_refusals_keep_their_s3_codes_and_messages() {
		let e = dispatched("Buckets", "NoSuchBucket");
		assert_eq!(e.code(), &S3ErrorCode::NoSuchBucket);
		assert!(e.message().unwrap().contains("what to do"));
		assert_eq!(dispatched("Buckets", "BucketNotEmpty").code(), &S3ErrorCode::BucketNotEmpty);
		assert_eq!(
			dispatched("Buckets", "BucketExists").code(),
			&S3ErrorCode::BucketAlreadyOwnedByYou
		);
		let funds = dispatched("Buckets", "InsufficientDeposit");
		assert_eq!(funds.status_code(), Some(http::StatusCode::FORBIDDEN));
		assert_eq!(dispatched("FileBank", "Other").code(), &S3ErrorCode::InternalError);
	}

	#[test]
	fn an_unreachable_node_is_a_retryable_503() {
		let e = from_session(SessionError::Chain(ChainError::Rpc("closed".into())));
		assert_eq!(e.code(), &S3ErrorCode::ServiceUnavailable);
		let lease = from_session(SessionError::msg("no storage lease: buy one first"));
		assert_eq!(lease.status_code(), Some(http::StatusCode::FORBIDDEN));
	}
}
