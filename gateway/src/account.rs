//! One CESS account as the gateway uses it: its buckets and objects on chain (`buckets` pallet,
//! `BucketsApi`), and the files behind them (`file-bank`).

use cess_chain::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_buckets::{
				runtime_api::{ObjectPage, ObjectSummary},
				types::{BucketInfo, Extent},
			},
		},
	},
	AccountId, BlockHash, ChainError, Wait,
};
use cess_client::{
	session::{Session, SessionError},
	AccountKeys,
};
use cess_primitives::types::FileId;

/// An account the gateway signs for: the access keys in the key file that name it share it.
pub struct Account {
	/// The connection, signing with the account's key.
	pub session: Session,
	/// The account id.
	pub id: AccountId,
	/// Its file encryption keys.
	pub keys: AccountKeys,
	/// The number and hash of the best block that included this gateway's latest name write
	/// (`put_object`, `copy_object`, which wait only until included): reads are made there
	/// while the finalized block is older, so a client reads its own writes at once.
	written: std::sync::Mutex<Option<(u64, BlockHash)>>,
}

/// The chain's balance type.
pub type Balance = u128;

impl Account {
	/// Connects to the node at `url` as the account `uri`.
	pub async fn connect(url: &str, uri: &str) -> Result<Self, SessionError> {
		let session = Session::connect(url, Some(uri)).await?;
		let id = session.account()?;
		let keys = session.encryption()?;
		Ok(Self { session, id, keys, written: Default::default() })
	}

	async fn runtime_api<Call>(&self, call: Call) -> Result<Call::ReturnType, SessionError>
	where
		Call: cess_chain::subxt::runtime_apis::Payload,
	{
		let client = &self.session.client;
		let finalized = cess_chain::at_finalized(client).await?;
		let written = *self.written.lock().expect("not poisoned");
		let at = match written {
			Some((number, hash)) if number > finalized.block_number() => {
				match client.at_block(hash).await {
					Ok(at) => at,
					// Finality passed the block meanwhile and the client let it go: the
					// finalized block now shows the write.
					Err(_) => cess_chain::at_finalized(client).await?,
				}
			},
			_ => finalized,
		};
		Ok(at.runtime_apis().call(call).await.map_err(ChainError::rpc)?)
	}

	/// Submits a name write and waits until a best block includes it; later reads are made at
	/// that block until finality passes it. A reorganisation that drops the block puts the
	/// transaction back in the pool, and the next best block includes it again.
	async fn write_name<Call: cess_chain::subxt::tx::Payload>(
		&self,
		call: &Call,
	) -> Result<(), SessionError> {
		let (_, hash) = self.session.submit_included(call, Wait::InBlock).await?;
		let number = match self.session.client.at_block(hash).await {
			Ok(at) => at.block_number(),
			// The write is done; only reading it back early depends on the block.
			Err(e) => {
				tracing::debug!(target: "cess-gateway", error = %e, "cannot follow the write's block");
				return Ok(());
			},
		};
		let mut written = self.written.lock().expect("not poisoned");
		if written.is_none_or(|(latest, _)| latest < number) {
			*written = Some((number, hash));
		}
		Ok(())
	}

	/// The account's buckets, by name.
	pub async fn buckets(&self) -> Result<Vec<(Vec<u8>, BucketInfo<Balance>)>, SessionError> {
		self.runtime_api(api::runtime_apis().buckets_api().buckets(self.id)).await
	}

	/// Whether the account has the bucket `name`.
	pub async fn has_bucket(&self, name: &str) -> Result<bool, SessionError> {
		Ok(self.buckets().await?.iter().any(|(n, _)| n == name.as_bytes()))
	}

	/// The object `bucket/key`, if there is one.
	pub async fn object(
		&self,
		bucket: &str,
		key: &str,
	) -> Result<Option<ObjectSummary>, SessionError> {
		let call = api::runtime_apis().buckets_api().object(
			self.id,
			bucket.as_bytes().to_vec(),
			key.as_bytes().to_vec(),
		);
		self.runtime_api(call).await
	}

	/// A page of `bucket`'s listing (`None`: no such bucket).
	pub async fn list(
		&self,
		bucket: &str,
		prefix: &str,
		delimiter: Option<&str>,
		start_after: Option<Vec<u8>>,
		max_keys: u32,
	) -> Result<Option<ObjectPage>, SessionError> {
		let call = api::runtime_apis().buckets_api().list_objects(
			self.id,
			bucket.as_bytes().to_vec(),
			prefix.as_bytes().to_vec(),
			delimiter.map(|d| d.as_bytes().to_vec()),
			start_after,
			max_keys,
		);
		self.runtime_api(call).await
	}

	/// Creates the bucket `name`.
	pub async fn create_bucket(&self, name: &str) -> Result<(), SessionError> {
		let call = api::tx().buckets().create_bucket(BoundedVec(name.as_bytes().to_vec()));
		self.session.submit(&call, Wait::Finalized).await?;
		Ok(())
	}

	/// Deletes the empty bucket `name`.
	pub async fn delete_bucket(&self, name: &str) -> Result<(), SessionError> {
		let call = api::tx().buckets().delete_bucket(BoundedVec(name.as_bytes().to_vec()));
		self.session.submit(&call, Wait::Finalized).await?;
		Ok(())
	}

	/// Names `extents` (files the account owns) `bucket/key`, replacing any object there.
	pub async fn put_object(
		&self,
		bucket: &str,
		key: &str,
		extents: Vec<(FileId, u64)>,
		etag: [u8; 16],
		parts: u16,
		content_type: &str,
	) -> Result<(), SessionError> {
		let extents = extents.into_iter().map(|(file_id, size)| Extent { file_id, size }).collect();
		let call = api::tx().buckets().put_object(
			BoundedVec(bucket.as_bytes().to_vec()),
			BoundedVec(key.as_bytes().to_vec()),
			BoundedVec(extents),
			etag,
			parts,
			BoundedVec(content_type.as_bytes().to_vec()),
		);
		self.write_name(&call).await?;
		Ok(())
	}

	/// Removes the name `bucket/key` (its files are released once no name is left).
	pub async fn delete_object(&self, bucket: &str, key: &str) -> Result<(), SessionError> {
		let call = api::tx().buckets().delete_object(
			BoundedVec(bucket.as_bytes().to_vec()),
			BoundedVec(key.as_bytes().to_vec()),
		);
		self.session.submit(&call, Wait::Finalized).await?;
		Ok(())
	}

	/// Names the source object's files `dst_bucket/dst_key` too; `extents` is the source's
	/// extent count.
	pub async fn copy_object(
		&self,
		(src_bucket, src_key): (&str, &str),
		(dst_bucket, dst_key): (&str, &str),
		extents: u32,
	) -> Result<(), SessionError> {
		let call = api::tx().buckets().copy_object(
			BoundedVec(src_bucket.as_bytes().to_vec()),
			BoundedVec(src_key.as_bytes().to_vec()),
			BoundedVec(dst_bucket.as_bytes().to_vec()),
			BoundedVec(dst_key.as_bytes().to_vec()),
			extents,
		);
		self.write_name(&call).await?;
		Ok(())
	}

	/// Deletes a stored file no object names (an extent of a failed or abandoned upload).
	pub async fn delete_file(&self, file_id: FileId) -> Result<(), SessionError> {
		let call = api::tx().file_bank().delete_file(file_id);
		self.session.submit(&call, Wait::InBlock).await?;
		Ok(())
	}

	/// Deletes `files`, logging (not failing on) the ones that cannot be deleted.
	pub async fn delete_files(&self, files: impl IntoIterator<Item = FileId>, why: &str) {
		let deletions = files.into_iter().map(|file| async move {
			if let Err(e) = self.delete_file(file).await {
				tracing::warn!(
					target: "cess-gateway",
					file = %hex::encode(file),
					error = %e,
					"cannot delete the file of {why}; delete it with `cess rm {}`",
					hex::encode(file)
				);
			}
		});
		futures::future::join_all(deletions).await;
	}
}
