//! The S3 operations, over the gateway's state. Requests are signed (SigV4 headers or presigned
//! query, checked by `s3s` against the key file); the access key picks the CESS account whose
//! buckets the request reaches.

use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use cess_chain::api::runtime_types::pallet_buckets::runtime_api::ObjectSummary;
use s3s::{
	dto::{self, ETag, StreamingBlob, Timestamp},
	S3Error, S3ErrorCode, S3Request, S3Response, S3Result, S3,
};

use crate::{
	account::Account,
	error::{from_session, s3},
	state::Gateway,
	write::Target,
};

/// The S3 service over a [`Gateway`].
#[derive(Clone)]
pub struct CessS3(pub Arc<Gateway>);

/// The largest single PUT S3 allows.
const MAX_PUT: u64 = 5 << 30;

fn timestamp(ms: u64) -> Timestamp {
	Timestamp::from(UNIX_EPOCH + Duration::from_millis(ms))
}

/// The S3 ETag of an object: its MD5, or for a multipart upload the MD5 of its parts' MD5s
/// and the part count.
fn etag(md5: &[u8; 16], parts: u16) -> ETag {
	ETag::Strong(match parts {
		0 => hex::encode(md5),
		n => format!("{}-{n}", hex::encode(md5)),
	})
}

fn no_such_key(bucket: &str, key: &str) -> S3Error {
	s3(S3ErrorCode::NoSuchKey, format!("no object `{key}` in bucket `{bucket}`"))
}

fn no_such_bucket(bucket: &str) -> S3Error {
	s3(S3ErrorCode::NoSuchBucket, format!("you have no bucket `{bucket}`"))
}

fn content_type(object: &ObjectSummary) -> Option<String> {
	let text = String::from_utf8_lossy(&object.content_type).into_owned();
	(!text.is_empty()).then_some(text)
}

fn extents(object: &ObjectSummary) -> Vec<([u8; 32], u64)> {
	object.extents.iter().map(|e| (e.file_id, e.size)).collect()
}

impl CessS3 {
	fn account<T>(&self, req: &S3Request<T>) -> S3Result<Arc<Account>> {
		let Some(credentials) = &req.credentials else {
			return Err(s3(
				S3ErrorCode::AccessDenied,
				"anonymous requests are not served: sign the request with an access key from the \
				 gateway's key file",
			));
		};
		self.0.accounts.get(&credentials.access_key).cloned().ok_or_else(|| {
			s3(S3ErrorCode::InvalidAccessKeyId, "the access key is not in the gateway's key file")
		})
	}

	/// Counts the request under `op` by outcome.
	fn count<T>(&self, op: &str, result: S3Result<T>) -> S3Result<T> {
		let outcome = match &result {
			Ok(_) => "ok".to_string(),
			Err(e) => e.code().as_str().to_string(),
		};
		self.0.metrics.requests.with_label_values(&[op, &outcome]).inc();
		result
	}

	/// The object `bucket/key`: `NoSuchKey`, or `NoSuchBucket` if the bucket is missing.
	async fn object(&self, account: &Account, bucket: &str, key: &str) -> S3Result<ObjectSummary> {
		if let Some(object) = account.object(bucket, key).await.map_err(from_session)? {
			if !object.available {
				return Err(s3(
					S3ErrorCode::InvalidObjectState,
					"the object names a file this account no longer owns (its lease ran out?): \
					 delete the object",
				));
			}
			return Ok(object);
		}
		if account.has_bucket(bucket).await.map_err(from_session)? {
			Err(no_such_key(bucket, key))
		} else {
			Err(no_such_bucket(bucket))
		}
	}

	async fn get(&self, req: S3Request<dto::GetObjectInput>) -> S3Result<dto::GetObjectOutput> {
		let account = self.account(&req)?;
		let input = req.input;
		let object = self.object(&account, &input.bucket, &input.key).await?;
		let size = object.size;
		let range = match &input.range {
			Some(range) => Some(range.check(size).map_err(|_| {
				s3(
					S3ErrorCode::InvalidRange,
					format!("the range is outside the object ({size} bytes)"),
				)
			})?),
			None => None,
		};
		let bytes = range.clone().unwrap_or(0..size);
		let body = self.0.read_object(account, extents(&object), bytes.clone());
		Ok(dto::GetObjectOutput {
			body: Some(StreamingBlob::wrap(body)),
			content_length: Some((bytes.end - bytes.start) as i64),
			content_range: range
				.map(|r| format!("bytes {}-{}/{size}", r.start, r.end.saturating_sub(1))),
			accept_ranges: Some("bytes".into()),
			e_tag: Some(etag(&object.etag, object.parts)),
			last_modified: Some(timestamp(object.modified_ms)),
			content_type: content_type(&object),
			parts_count: (object.parts > 0).then_some(i32::from(object.parts)),
			..Default::default()
		})
	}

	async fn head(&self, req: S3Request<dto::HeadObjectInput>) -> S3Result<dto::HeadObjectOutput> {
		let account = self.account(&req)?;
		let object = self.object(&account, &req.input.bucket, &req.input.key).await?;
		Ok(dto::HeadObjectOutput {
			content_length: Some(object.size as i64),
			accept_ranges: Some("bytes".into()),
			e_tag: Some(etag(&object.etag, object.parts)),
			last_modified: Some(timestamp(object.modified_ms)),
			content_type: content_type(&object),
			parts_count: (object.parts > 0).then_some(i32::from(object.parts)),
			..Default::default()
		})
	}

	async fn put(&self, req: S3Request<dto::PutObjectInput>) -> S3Result<dto::PutObjectOutput> {
		let account = self.account(&req)?;
		let input = req.input;
		if input.content_length.is_some_and(|len| len as u64 > MAX_PUT) {
			return Err(s3(
				S3ErrorCode::EntityTooLarge,
				"a single PUT holds at most 5 GiB: use a multipart upload",
			));
		}
		if !account.has_bucket(&input.bucket).await.map_err(from_session)? {
			return Err(no_such_bucket(&input.bucket));
		}
		let body = input.body.unwrap_or_else(|| {
			StreamingBlob::wrap(futures::stream::empty::<Result<bytes::Bytes, std::io::Error>>())
		});
		let stored = self
			.0
			.store_body(
				&account,
				body,
				Target { bucket: &input.bucket, key: &input.key },
				input.content_md5.as_deref(),
				MAX_PUT,
			)
			.await?;
		let content_type = input.content_type.unwrap_or_default();
		let named = account
			.put_object(
				&input.bucket,
				&input.key,
				stored.extents.clone(),
				stored.md5,
				0,
				&content_type,
			)
			.await;
		if let Err(e) = named {
			account.delete_files(stored.extents.iter().map(|(f, _)| *f), "an unnamed object").await;
			return Err(from_session(e));
		}
		Ok(dto::PutObjectOutput {
			e_tag: Some(etag(&stored.md5, 0)),
			size: Some(stored.size as i64),
			..Default::default()
		})
	}

	async fn list(
		&self,
		account: &Account,
		bucket: &str,
		prefix: Option<&str>,
		delimiter: Option<&str>,
		start_after: Option<Vec<u8>>,
		max_keys: Option<i32>,
	) -> S3Result<(Vec<dto::Object>, Vec<dto::CommonPrefix>, Option<Vec<u8>>, i32)> {
		let max = max_keys.unwrap_or(1000).clamp(0, 1000);
		if max == 0 {
			return Ok((Vec::new(), Vec::new(), None, 0));
		}
		let delimiter = delimiter.filter(|d| !d.is_empty());
		let page = account
			.list(bucket, prefix.unwrap_or(""), delimiter, start_after, max as u32)
			.await
			.map_err(from_session)?
			.ok_or_else(|| no_such_bucket(bucket))?;
		let objects = page
			.objects
			.into_iter()
			.map(|(key, listing)| dto::Object {
				key: Some(String::from_utf8_lossy(&key).into_owned()),
				size: Some(listing.size as i64),
				e_tag: Some(etag(&listing.etag, listing.parts)),
				last_modified: Some(timestamp(listing.modified_ms)),
				storage_class: Some(dto::ObjectStorageClass::from_static(
					dto::ObjectStorageClass::STANDARD,
				)),
				..Default::default()
			})
			.collect();
		let prefixes = page
			.common_prefixes
			.into_iter()
			.map(|p| dto::CommonPrefix { prefix: Some(String::from_utf8_lossy(&p).into_owned()) })
			.collect();
		Ok((objects, prefixes, page.next_start_after, max))
	}
}

/// A continuation token: the last key of the page, hex.
fn decode_token(token: &str) -> S3Result<Vec<u8>> {
	hex::decode(token)
		.map_err(|_| s3(S3ErrorCode::InvalidArgument, "the continuation token is not one of ours"))
}

#[async_trait::async_trait]
impl S3 for CessS3 {
	async fn list_buckets(
		&self,
		req: S3Request<dto::ListBucketsInput>,
	) -> S3Result<S3Response<dto::ListBucketsOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let buckets = account.buckets().await.map_err(from_session)?;
			let buckets = buckets
				.into_iter()
				.map(|(name, info)| dto::Bucket {
					name: Some(String::from_utf8_lossy(&name).into_owned()),
					creation_date: Some(timestamp(info.created_ms)),
					..Default::default()
				})
				.collect();
			Ok(S3Response::new(dto::ListBucketsOutput {
				buckets: Some(buckets),
				owner: Some(dto::Owner {
					id: Some(account.id.to_string()),
					display_name: Some(account.id.to_string()),
				}),
				..Default::default()
			}))
		}
		.await;
		self.count("ListBuckets", result)
	}

	async fn create_bucket(
		&self,
		req: S3Request<dto::CreateBucketInput>,
	) -> S3Result<S3Response<dto::CreateBucketOutput>> {
		let result = async {
			let account = self.account(&req)?;
			if account.has_bucket(&req.input.bucket).await.map_err(from_session)? {
				return Err(s3(
					S3ErrorCode::BucketAlreadyOwnedByYou,
					format!("you already have the bucket `{}`", req.input.bucket),
				));
			}
			account.create_bucket(&req.input.bucket).await.map_err(from_session)?;
			Ok(S3Response::new(dto::CreateBucketOutput {
				location: Some(format!("/{}", req.input.bucket)),
			}))
		}
		.await;
		self.count("CreateBucket", result)
	}

	async fn delete_bucket(
		&self,
		req: S3Request<dto::DeleteBucketInput>,
	) -> S3Result<S3Response<dto::DeleteBucketOutput>> {
		let result = async {
			let account = self.account(&req)?;
			account.delete_bucket(&req.input.bucket).await.map_err(from_session)?;
			Ok(S3Response::new(dto::DeleteBucketOutput {}))
		}
		.await;
		self.count("DeleteBucket", result)
	}

	async fn head_bucket(
		&self,
		req: S3Request<dto::HeadBucketInput>,
	) -> S3Result<S3Response<dto::HeadBucketOutput>> {
		let result = async {
			let account = self.account(&req)?;
			if !account.has_bucket(&req.input.bucket).await.map_err(from_session)? {
				return Err(no_such_bucket(&req.input.bucket));
			}
			Ok(S3Response::new(dto::HeadBucketOutput::default()))
		}
		.await;
		self.count("HeadBucket", result)
	}

	async fn get_bucket_location(
		&self,
		req: S3Request<dto::GetBucketLocationInput>,
	) -> S3Result<S3Response<dto::GetBucketLocationOutput>> {
		let result = async {
			let account = self.account(&req)?;
			if !account.has_bucket(&req.input.bucket).await.map_err(from_session)? {
				return Err(no_such_bucket(&req.input.bucket));
			}
			Ok(S3Response::new(dto::GetBucketLocationOutput::default()))
		}
		.await;
		self.count("GetBucketLocation", result)
	}

	async fn put_object(
		&self,
		req: S3Request<dto::PutObjectInput>,
	) -> S3Result<S3Response<dto::PutObjectOutput>> {
		let result = self.put(req).await.map(S3Response::new);
		self.count("PutObject", result)
	}

	async fn get_object(
		&self,
		req: S3Request<dto::GetObjectInput>,
	) -> S3Result<S3Response<dto::GetObjectOutput>> {
		let result = self.get(req).await.map(S3Response::new);
		self.count("GetObject", result)
	}

	async fn head_object(
		&self,
		req: S3Request<dto::HeadObjectInput>,
	) -> S3Result<S3Response<dto::HeadObjectOutput>> {
		let result = self.head(req).await.map(S3Response::new);
		self.count("HeadObject", result)
	}

	async fn delete_object(
		&self,
		req: S3Request<dto::DeleteObjectInput>,
	) -> S3Result<S3Response<dto::DeleteObjectOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let (bucket, key) = (&req.input.bucket, &req.input.key);
			match account.delete_object(bucket, key).await {
				Ok(()) => {},
				// Deleting a missing key succeeds in S3.
				Err(e) => match from_session(e) {
					e if *e.code() == S3ErrorCode::NoSuchKey => {},
					e => return Err(e),
				},
			}
			Ok(S3Response::new(dto::DeleteObjectOutput::default()))
		}
		.await;
		self.count("DeleteObject", result)
	}

	async fn delete_objects(
		&self,
		req: S3Request<dto::DeleteObjectsInput>,
	) -> S3Result<S3Response<dto::DeleteObjectsOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let bucket = &req.input.bucket;
			if req.input.delete.objects.len() > 1000 {
				return Err(s3(S3ErrorCode::MalformedXML, "delete at most 1000 objects at a time"));
			}
			if !account.has_bucket(bucket).await.map_err(from_session)? {
				return Err(no_such_bucket(bucket));
			}
			let deletions = req.input.delete.objects.iter().map(|object| {
				let account = account.clone();
				async move {
					let outcome = match account.delete_object(bucket, &object.key).await {
						Ok(()) => Ok(()),
						Err(e) => match from_session(e) {
							e if *e.code() == S3ErrorCode::NoSuchKey => Ok(()),
							e => Err(e),
						},
					};
					(object.key.clone(), outcome)
				}
			});
			let outcomes = futures::future::join_all(deletions).await;
			let quiet = req.input.delete.quiet.unwrap_or(false);
			let mut deleted = Vec::new();
			let mut errors = Vec::new();
			for (key, outcome) in outcomes {
				match outcome {
					Ok(()) if !quiet => {
						deleted.push(dto::DeletedObject { key: Some(key), ..Default::default() })
					},
					Ok(()) => {},
					Err(e) => errors.push(dto::Error {
						code: Some(e.code().as_str().to_string()),
						key: Some(key),
						message: e.message().map(str::to_string),
						version_id: None,
					}),
				}
			}
			Ok(S3Response::new(dto::DeleteObjectsOutput {
				deleted: Some(deleted),
				errors: Some(errors),
				..Default::default()
			}))
		}
		.await;
		self.count("DeleteObjects", result)
	}

	async fn list_objects_v2(
		&self,
		req: S3Request<dto::ListObjectsV2Input>,
	) -> S3Result<S3Response<dto::ListObjectsV2Output>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let start_after = match (&input.continuation_token, &input.start_after) {
				(Some(token), _) => Some(decode_token(token)?),
				(None, Some(after)) => Some(after.as_bytes().to_vec()),
				(None, None) => None,
			};
			let (contents, prefixes, next, max) = self
				.list(
					&account,
					&input.bucket,
					input.prefix.as_deref(),
					input.delimiter.as_deref(),
					start_after,
					input.max_keys,
				)
				.await?;
			Ok(S3Response::new(dto::ListObjectsV2Output {
				key_count: Some((contents.len() + prefixes.len()) as i32),
				is_truncated: Some(next.is_some()),
				next_continuation_token: next.map(hex::encode),
				contents: Some(contents),
				common_prefixes: Some(prefixes),
				name: Some(input.bucket),
				prefix: input.prefix,
				delimiter: input.delimiter,
				max_keys: Some(max),
				continuation_token: input.continuation_token,
				start_after: input.start_after,
				encoding_type: input.encoding_type,
				..Default::default()
			}))
		}
		.await;
		self.count("ListObjectsV2", result)
	}

	async fn list_objects(
		&self,
		req: S3Request<dto::ListObjectsInput>,
	) -> S3Result<S3Response<dto::ListObjectsOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let (contents, prefixes, next, max) = self
				.list(
					&account,
					&input.bucket,
					input.prefix.as_deref(),
					input.delimiter.as_deref(),
					input.marker.as_ref().map(|m| m.as_bytes().to_vec()),
					input.max_keys,
				)
				.await?;
			Ok(S3Response::new(dto::ListObjectsOutput {
				is_truncated: Some(next.is_some()),
				next_marker: next.map(|n| String::from_utf8_lossy(&n).into_owned()),
				contents: Some(contents),
				common_prefixes: Some(prefixes),
				name: Some(input.bucket),
				prefix: input.prefix,
				delimiter: input.delimiter,
				marker: input.marker,
				max_keys: Some(max),
				encoding_type: input.encoding_type,
				..Default::default()
			}))
		}
		.await;
		self.count("ListObjects", result)
	}

	async fn copy_object(
		&self,
		req: S3Request<dto::CopyObjectInput>,
	) -> S3Result<S3Response<dto::CopyObjectOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let dto::CopySource::Bucket { bucket: src_bucket, key: src_key, .. } =
				&input.copy_source
			else {
				return Err(s3(S3ErrorCode::NotImplemented, "copy from an access point"));
			};
			let source = self.object(&account, src_bucket, src_key).await?;
			if !account.has_bucket(&input.bucket).await.map_err(from_session)? {
				return Err(no_such_bucket(&input.bucket));
			}
			account
				.copy_object(
					(src_bucket, src_key),
					(&input.bucket, &input.key),
					source.extents.len() as u32,
				)
				.await
				.map_err(from_session)?;
			Ok(S3Response::new(dto::CopyObjectOutput {
				copy_object_result: Some(dto::CopyObjectResult {
					e_tag: Some(etag(&source.etag, source.parts)),
					last_modified: Some(Timestamp::from(SystemTime::now())),
					..Default::default()
				}),
				..Default::default()
			}))
		}
		.await;
		self.count("CopyObject", result)
	}

	async fn create_multipart_upload(
		&self,
		req: S3Request<dto::CreateMultipartUploadInput>,
	) -> S3Result<S3Response<dto::CreateMultipartUploadOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let content_type = input.content_type.unwrap_or_default();
			let id =
				self.0.create_upload(&account, &input.bucket, &input.key, &content_type).await?;
			Ok(S3Response::new(dto::CreateMultipartUploadOutput {
				bucket: Some(input.bucket),
				key: Some(input.key),
				upload_id: Some(id),
				..Default::default()
			}))
		}
		.await;
		self.count("CreateMultipartUpload", result)
	}

	async fn upload_part(
		&self,
		req: S3Request<dto::UploadPartInput>,
	) -> S3Result<S3Response<dto::UploadPartOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let body = input.body.unwrap_or_else(|| {
				StreamingBlob::wrap(futures::stream::empty::<Result<bytes::Bytes, std::io::Error>>())
			});
			let md5 = self
				.0
				.upload_part(
					&account,
					&input.bucket,
					&input.key,
					&input.upload_id,
					input.part_number,
					body,
					input.content_md5.as_deref(),
				)
				.await?;
			Ok(S3Response::new(dto::UploadPartOutput {
				e_tag: Some(ETag::Strong(md5)),
				..Default::default()
			}))
		}
		.await;
		self.count("UploadPart", result)
	}

	async fn complete_multipart_upload(
		&self,
		req: S3Request<dto::CompleteMultipartUploadInput>,
	) -> S3Result<S3Response<dto::CompleteMultipartUploadOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let parts = input
				.multipart_upload
				.and_then(|m| m.parts)
				.unwrap_or_default()
				.into_iter()
				.map(|p| {
					let number = p.part_number.and_then(|n| u32::try_from(n).ok());
					let etag = p.e_tag.map(|e| match e {
						ETag::Strong(v) | ETag::Weak(v) => v,
					});
					match (number, etag) {
						(Some(n), Some(e)) => Ok((n, e)),
						_ => Err(s3(
							S3ErrorCode::MalformedXML,
							"every part needs a number and an ETag",
						)),
					}
				})
				.collect::<S3Result<Vec<_>>>()?;
			let (record, etag) = self.0.complete_upload(&account, &input.upload_id, &parts).await?;
			Ok(S3Response::new(dto::CompleteMultipartUploadOutput {
				bucket: Some(record.bucket),
				key: Some(record.key),
				e_tag: Some(ETag::Strong(etag)),
				..Default::default()
			}))
		}
		.await;
		self.count("CompleteMultipartUpload", result)
	}

	async fn abort_multipart_upload(
		&self,
		req: S3Request<dto::AbortMultipartUploadInput>,
	) -> S3Result<S3Response<dto::AbortMultipartUploadOutput>> {
		let result = async {
			let account = self.account(&req)?;
			self.0.abort_upload(&account, &req.input.upload_id).await?;
			Ok(S3Response::new(dto::AbortMultipartUploadOutput::default()))
		}
		.await;
		self.count("AbortMultipartUpload", result)
	}

	async fn list_parts(
		&self,
		req: S3Request<dto::ListPartsInput>,
	) -> S3Result<S3Response<dto::ListPartsOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let record = self.0.list_parts(&account, &input.upload_id).await?;
			let after = input.part_number_marker.unwrap_or(0).max(0) as u32;
			let max = input.max_parts.unwrap_or(1000).clamp(1, 1000) as usize;
			let mut parts: Vec<dto::Part> = record
				.parts
				.range(after + 1..)
				.take(max + 1)
				.map(|(n, p)| dto::Part {
					part_number: Some(*n as i32),
					size: Some(p.size as i64),
					e_tag: Some(ETag::Strong(p.md5.clone())),
					last_modified: Some(timestamp(p.stored_ms)),
					..Default::default()
				})
				.collect();
			let truncated = parts.len() > max;
			parts.truncate(max);
			Ok(S3Response::new(dto::ListPartsOutput {
				bucket: Some(record.bucket),
				key: Some(record.key),
				upload_id: Some(record.id),
				is_truncated: Some(truncated),
				next_part_number_marker: parts.last().and_then(|p| p.part_number),
				part_number_marker: input.part_number_marker,
				max_parts: Some(max as i32),
				parts: Some(parts),
				..Default::default()
			}))
		}
		.await;
		self.count("ListParts", result)
	}

	async fn list_multipart_uploads(
		&self,
		req: S3Request<dto::ListMultipartUploadsInput>,
	) -> S3Result<S3Response<dto::ListMultipartUploadsOutput>> {
		let result = async {
			let account = self.account(&req)?;
			let input = req.input;
			let me = account.id.to_string();
			let prefix = input.prefix.clone().unwrap_or_default();
			let mut uploads: Vec<_> = self
				.0
				.uploads
				.all()
				.await
				.into_iter()
				.filter(|r| {
					r.account == me && r.bucket == input.bucket && r.key.starts_with(&prefix)
				})
				.collect();
			uploads.sort_by(|a, b| (&a.key, a.created_ms).cmp(&(&b.key, b.created_ms)));
			let truncated = uploads.len() > 1000;
			uploads.truncate(1000);
			Ok(S3Response::new(dto::ListMultipartUploadsOutput {
				bucket: Some(input.bucket),
				prefix: input.prefix,
				is_truncated: Some(truncated),
				uploads: Some(
					uploads
						.into_iter()
						.map(|r| dto::MultipartUpload {
							key: Some(r.key),
							upload_id: Some(r.id),
							initiated: Some(timestamp(r.created_ms)),
							..Default::default()
						})
						.collect(),
				),
				..Default::default()
			}))
		}
		.await;
		self.count("ListMultipartUploads", result)
	}
}
