//! S3 ListObjectsV2 paging over a bucket's keys, independent of storage.

use alloc::vec::Vec;

/// Largest page of a listing (S3's `max-keys` limit).
pub const MAX_PAGE: u32 = 1000;

/// A page of a listing: keys and common prefixes, before the objects' metadata is read.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct KeyPage {
	/// Keys listed as objects, ascending.
	pub keys: Vec<Vec<u8>>,
	/// Common prefixes, ascending, each once.
	pub common_prefixes: Vec<Vec<u8>>,
	/// Set when the page is truncated: the last key or common prefix returned, the
	/// `start_after` of the next page.
	pub next_start_after: Option<Vec<u8>>,
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|w| w == needle)
}

/// One page of S3 ListObjectsV2 over `sorted_keys` (ascending, byte-lexicographic, no
/// duplicates; keys without `prefix` or not after `start_after` may be included or left out).
///
/// * Listed are the keys starting with `prefix` that sort strictly after `start_after`.
/// * With a (non-empty) `delimiter`, a key whose remainder after `prefix` contains the
///   delimiter is rolled into the common prefix `prefix` + that remainder up to and including
///   the first delimiter. Each common prefix is listed once, where its first key would be.
/// * At most `max_keys` (capped at [`MAX_PAGE`]) entries are listed, a common prefix counting
///   as one entry. If more entries follow, [`KeyPage::next_start_after`] is the last one listed.
/// * A `start_after` equal to a common prefix of this listing (a page ended on it) skips every
///   key rolled into that prefix, so the next page continues after the whole prefix.
/// * `max_keys` 0 lists nothing and is not truncated.
pub fn list_page<K: AsRef<[u8]>>(
	sorted_keys: &[K],
	prefix: &[u8],
	delimiter: Option<&[u8]>,
	start_after: Option<&[u8]>,
	max_keys: u32,
) -> KeyPage {
	let max = max_keys.min(MAX_PAGE) as usize;
	let delimiter = delimiter.filter(|d| !d.is_empty());
	let mut page = KeyPage::default();
	if max == 0 {
		return page;
	}
	let mut listed = 0usize;
	let mut last: Option<&[u8]> = None;
	let mut last_prefix: Option<&[u8]> = None;
	for key in sorted_keys {
		let key = key.as_ref();
		if !key.starts_with(prefix) || start_after.is_some_and(|after| key <= after) {
			continue;
		}
		let common = delimiter.and_then(|d| {
			find(&key[prefix.len()..], d).map(|at| &key[..prefix.len() + at + d.len()])
		});
		if let Some(common) = common {
			if Some(common) == start_after || Some(common) == last_prefix {
				continue;
			}
		}
		if listed == max {
			page.next_start_after = last.map(<[u8]>::to_vec);
			break;
		}
		match common {
			Some(common) => {
				page.common_prefixes.push(common.to_vec());
				last_prefix = Some(common);
				last = Some(common);
			},
			None => {
				page.keys.push(key.to_vec());
				last = Some(key);
			},
		}
		listed += 1;
	}
	page
}
