//! The pure ListObjectsV2 paging ([`crate::listing::list_page`]).

use crate::listing::{list_page, KeyPage, MAX_PAGE};

fn keys(list: &[&str]) -> Vec<Vec<u8>> {
	let mut keys: Vec<Vec<u8>> = list.iter().map(|k| k.as_bytes().to_vec()).collect();
	keys.sort();
	keys
}

fn strs(v: &[Vec<u8>]) -> Vec<String> {
	v.iter().map(|k| String::from_utf8(k.clone()).unwrap()).collect()
}

/// (objects, common prefixes, next start-after) of a page.
fn page(
	all: &[Vec<u8>],
	prefix: &str,
	delimiter: Option<&str>,
	start_after: Option<&str>,
	max: u32,
) -> (Vec<String>, Vec<String>, Option<String>) {
	let p = list_page(
		all,
		prefix.as_bytes(),
		delimiter.map(str::as_bytes),
		start_after.map(str::as_bytes),
		max,
	);
	(
		strs(&p.keys),
		strs(&p.common_prefixes),
		p.next_start_after.map(|k| String::from_utf8(k).unwrap()),
	)
}

fn s(list: &[&str]) -> Vec<String> {
	list.iter().map(|x| x.to_string()).collect()
}

const TREE: &[&str] = &[
	"a.txt",
	"photos/",
	"photos/2025/jan/1.jpg",
	"photos/2025/x.jpg",
	"photos/2026/y.jpg",
	"photos/cat.jpg",
	"photos/dog.jpg",
	"readme",
	"videos/clip.mp4",
	"z",
];

#[test]
fn without_a_delimiter_keys_are_listed_flat_in_byte_order() {
	let all = keys(TREE);
	let (objects, prefixes, next) = page(&all, "", None, None, 1000);
	assert_eq!(objects, s(TREE));
	assert!(prefixes.is_empty());
	assert_eq!(next, None);
	// Byte order: upper case and '-' before lower case, '/' before letters.
	let all = keys(&["b", "B", "a-b", "a/b", "ab", "é"]);
	let (objects, _, _) = page(&all, "", None, None, 10);
	assert_eq!(objects, s(&["B", "a-b", "a/b", "ab", "b", "é"]));
}

#[test]
fn prefix_selects_keys() {
	let all = keys(TREE);
	let (objects, _, _) = page(&all, "photos/2", None, None, 1000);
	assert_eq!(objects, s(&["photos/2025/jan/1.jpg", "photos/2025/x.jpg", "photos/2026/y.jpg"]));
	let (objects, prefixes, next) = page(&all, "nothing/", Some("/"), None, 1000);
	assert!(objects.is_empty() && prefixes.is_empty() && next.is_none());
	// A prefix equal to a key lists it.
	let (objects, _, _) = page(&all, "readme", None, None, 1000);
	assert_eq!(objects, s(&["readme"]));
}

#[test]
fn start_after_is_exclusive_and_need_not_be_a_key() {
	let all = keys(TREE);
	let (objects, _, _) = page(&all, "", None, Some("readme"), 1000);
	assert_eq!(objects, s(&["videos/clip.mp4", "z"]));
	let (objects, _, _) = page(&all, "", None, Some("q"), 1000);
	assert_eq!(objects, s(&["readme", "videos/clip.mp4", "z"]));
	let (objects, _, _) = page(&all, "", None, Some("zz"), 1000);
	assert!(objects.is_empty());
	// Before the prefix: the whole prefix.
	let (objects, _, _) = page(&all, "photos/2", None, Some("a"), 1000);
	assert_eq!(objects.len(), 3);
}

#[test]
fn a_delimiter_rolls_keys_into_common_prefixes() {
	let all = keys(TREE);
	let (objects, prefixes, next) = page(&all, "", Some("/"), None, 1000);
	assert_eq!(objects, s(&["a.txt", "readme", "z"]));
	assert_eq!(prefixes, s(&["photos/", "videos/"]));
	assert_eq!(next, None);
	// One level down: the key equal to the prefix is an object of its own.
	let (objects, prefixes, _) = page(&all, "photos/", Some("/"), None, 1000);
	assert_eq!(objects, s(&["photos/", "photos/cat.jpg", "photos/dog.jpg"]));
	assert_eq!(prefixes, s(&["photos/2025/", "photos/2026/"]));
	let (objects, prefixes, _) = page(&all, "photos/2025/", Some("/"), None, 1000);
	assert_eq!(objects, s(&["photos/2025/x.jpg"]));
	assert_eq!(prefixes, s(&["photos/2025/jan/"]));
	// A prefix that is not a directory: the delimiter is looked for after it.
	let (objects, prefixes, _) = page(&all, "photos/2", Some("/"), None, 1000);
	assert!(objects.is_empty());
	assert_eq!(prefixes, s(&["photos/2025/", "photos/2026/"]));
}

#[test]
fn other_delimiters() {
	let all = keys(&["a--b--c", "a--d", "a-e", "x"]);
	let (objects, prefixes, _) = page(&all, "", Some("--"), None, 1000);
	assert_eq!(objects, s(&["a-e", "x"]));
	assert_eq!(prefixes, s(&["a--"]));
	let (objects, prefixes, _) = page(&all, "a--", Some("--"), None, 1000);
	assert_eq!(objects, s(&["a--d"]));
	assert_eq!(prefixes, s(&["a--b--"]));
	// An empty delimiter is no delimiter.
	let (objects, prefixes, _) = page(&all, "", Some(""), None, 1000);
	assert_eq!(objects.len(), 4);
	assert!(prefixes.is_empty());
	// A delimiter that no remainder contains.
	let (objects, prefixes, _) = page(&all, "", Some("#"), None, 1000);
	assert_eq!(objects.len(), 4);
	assert!(prefixes.is_empty());
}

#[test]
fn max_keys_truncates_and_the_next_page_continues() {
	let all = keys(TREE);
	let (objects, _, next) = page(&all, "", None, None, 3);
	assert_eq!(objects, s(&TREE[..3]));
	assert_eq!(next.as_deref(), Some(TREE[2]));
	let (objects, _, next) = page(&all, "", None, next.as_deref(), 3);
	assert_eq!(objects, s(&TREE[3..6]));
	assert_eq!(next.as_deref(), Some(TREE[5]));
	// The last page is exactly full: not truncated.
	let (objects, _, next) = page(&all, "", None, Some(TREE[5]), 4);
	assert_eq!(objects, s(&TREE[6..]));
	assert_eq!(next, None);
}

#[test]
fn a_common_prefix_counts_once_and_a_page_can_end_on_it() {
	let all = keys(TREE);
	// "a.txt", "photos/" (five keys), then the page is full.
	let (objects, prefixes, next) = page(&all, "", Some("/"), None, 2);
	assert_eq!(objects, s(&["a.txt"]));
	assert_eq!(prefixes, s(&["photos/"]));
	assert_eq!(next.as_deref(), Some("photos/"));
	// Continuing after the common prefix skips every key in it.
	let (objects, prefixes, next) = page(&all, "", Some("/"), next.as_deref(), 2);
	assert_eq!(objects, s(&["readme"]));
	assert_eq!(prefixes, s(&["videos/"]));
	assert_eq!(next.as_deref(), Some("videos/"));
	let (objects, prefixes, next) = page(&all, "", Some("/"), next.as_deref(), 2);
	assert_eq!(objects, s(&["z"]));
	assert!(prefixes.is_empty());
	assert_eq!(next, None);
}

#[test]
fn a_page_ending_on_a_common_prefix_is_truncated_only_if_more_follows() {
	let all = keys(&["a", "d/1", "d/2", "d/3"]);
	let (objects, prefixes, next) = page(&all, "", Some("/"), None, 2);
	assert_eq!((objects, prefixes), (s(&["a"]), s(&["d/"])));
	// The keys after the page's last entry are all in its common prefix: nothing follows.
	assert_eq!(next, None);
	// Boundary inside a prefix, one entry a page.
	let all = keys(&["a/1", "a/2", "a/3", "b", "c/1", "c/2"]);
	let mut start: Option<String> = None;
	let mut pages = Vec::new();
	loop {
		let (objects, prefixes, next) = page(&all, "", Some("/"), start.as_deref(), 1);
		pages.push((objects, prefixes));
		match next {
			Some(n) => start = Some(n),
			None => break,
		}
	}
	assert_eq!(pages, vec![(s(&[]), s(&["a/"])), (s(&["b"]), s(&[])), (s(&[]), s(&["c/"]))]);
}

#[test]
fn a_start_after_inside_a_common_prefix_lists_the_prefix_for_the_later_keys() {
	// As S3: keys after `start_after` are rolled up, even if their prefix sorts before it.
	let all = keys(&["a/1", "a/5", "a/9", "b"]);
	let (objects, prefixes, _) = page(&all, "", Some("/"), Some("a/5"), 10);
	assert_eq!(objects, s(&["b"]));
	assert_eq!(prefixes, s(&["a/"]));
	let (_, prefixes, _) = page(&all, "", Some("/"), Some("a/9"), 10);
	assert!(prefixes.is_empty());
}

#[test]
fn max_keys_zero_lists_nothing_and_large_values_are_capped() {
	let all = keys(TREE);
	assert_eq!(list_page(&all, b"", None, None, 0), KeyPage::default());
	let many: Vec<Vec<u8>> = (0..1500u32).map(|i| format!("k{i:05}").into_bytes()).collect();
	let p = list_page(&many, b"", None, None, u32::MAX);
	assert_eq!(p.keys.len(), MAX_PAGE as usize);
	assert_eq!(p.next_start_after, Some(b"k00999".to_vec()));
	let p = list_page(&many, b"", None, p.next_start_after.as_deref(), u32::MAX);
	assert_eq!(p.keys.len(), 500);
	assert_eq!(p.next_start_after, None);
}

/// Paging with any page size lists exactly what one big page lists.
#[test]
fn pages_of_any_size_add_up_to_the_whole_listing() {
	let all = keys(&[
		"a", "a/", "a/b", "a/b/c", "a/bc", "a0", "ab/", "ab/c", "b/x/y", "b/y", "c", "c/", "c//",
		"c//d", "d/e/f/g", "e",
	]);
	for (prefix, delimiter) in [
		("", None),
		("", Some("/")),
		("a", Some("/")),
		("a/", Some("/")),
		("c/", Some("/")),
		("", Some("b")),
	] {
		let whole = page(&all, prefix, delimiter, None, 1000);
		for max in 1..=5 {
			let (mut objects, mut prefixes) = (Vec::new(), Vec::new());
			let mut start: Option<String> = None;
			for _ in 0..100 {
				let (o, p, next) = page(&all, prefix, delimiter, start.as_deref(), max);
				assert!(o.len() + p.len() <= max as usize);
				objects.extend(o);
				prefixes.extend(p);
				match next {
					Some(n) => start = Some(n),
					None => break,
				}
			}
			assert_eq!(
				(objects, prefixes),
				(whole.0.clone(), whole.1.clone()),
				"prefix {prefix:?}, delimiter {delimiter:?}, max {max}"
			);
		}
	}
}

/// Keys without the prefix or not after `start_after` may be left out by the caller (the
/// runtime API filters while collecting): the page is the same.
#[test]
fn prefiltered_keys_give_the_same_page() {
	let all = keys(TREE);
	let filtered: Vec<Vec<u8>> = all
		.iter()
		.filter(|k| k.starts_with(b"photos/") && k.as_slice() > b"photos/2025/".as_slice())
		.cloned()
		.collect();
	assert_eq!(
		list_page(&all, b"photos/", Some(b"/"), Some(b"photos/2025/"), 2),
		list_page(&filtered, b"photos/", Some(b"/"), Some(b"photos/2025/"), 2)
	);
}
