//! Content fingerprints of files, as registered on chain by the data-rights pallet.
//!
//! A fingerprint lets anyone find earlier registrations of the same or nearly the same content.
//! [`fingerprint`] picks the kind from the bytes:
//!
//! 1. **Image** — the bytes start with the magic bytes of PNG, JPEG or GIF (`\x89PNG\r\n\x1a\n`,
//!    `FF D8 FF`, `GIF87a`/`GIF89a`), or of BMP (`BM`): [`Fingerprint::PerceptualHash`] of the
//!    decoded image ([`phash_image`]). A PNG, JPEG or GIF that does not decode is an error;
//!    a file starting with `BM` that does not decode as BMP goes on to step 2, because `BM` is
//!    too short a magic to be sure of.
//! 2. **Text** — valid UTF-8 in which at least 95 % of the characters are not control characters
//!    (tab, line feed, carriage return and form feed count as printable), with at least
//!    [`MIN_TEXT_WORDS`] words: [`Fingerprint::SimHash`] ([`simhash_text`]).
//! 3. **Anything else** (including short texts and empty files): [`Fingerprint::ContentHash`],
//!    the Blake2b-256 of the bytes ([`content_hash`]).
//!
//! # Text SimHash, version 1
//!
//! This is part of the protocol: every client must compute the same 64-bit value.
//!
//! 1. Words: split the text at every character that is not alphanumeric (Unicode `Alphabetic`
//!    or `Numeric`, Rust's `char::is_alphanumeric`), drop empty pieces, and lowercase each word
//!    character by character with the context-free Unicode lowercase mapping (Rust's
//!    `char::to_lowercase`: no final-sigma rule, `ß` stays `ß`).
//! 2. Features: with `n ≥ 3` words, the `n − 2` word 3-shingles `wᵢ ␠ wᵢ₊₁ ␠ wᵢ₊₂` (joined by one
//!    space, U+0020); with 1 or 2 words, the words themselves; with no words, none.
//!    Every occurrence counts, so a feature seen `c` times has weight `c`.
//! 3. Feature hash: `h(f)` = the first 8 bytes, read little-endian, of
//!    `Blake2b-256(b"cess/simhash/v1" ‖ UTF-8(f))` ([`SIMHASH_DOMAIN`]).
//! 4. For each bit `i` in `0..64` (bit 0 = least significant): `vᵢ` = sum over feature
//!    occurrences of `+1` if bit `i` of `h(f)` is set, else `−1`. Bit `i` of the SimHash is set
//!    iff `vᵢ > 0`. No features gives 0.
//!
//! Similar texts have SimHashes at a small Hamming distance ([`Fingerprint::distance`]).
//! Changing one word of a 200-word text changes 3 shingles out of ~200 and flips about 3 bits
//! on average (up to about 8); unrelated texts differ in about 32 bits.
//!
//! # Image perceptual hash
//!
//! pHash as computed by the `image_hasher` 3.1 crate with `hash_size(8, 8)`,
//! `HashAlg::Median` and DCT preprocessing (default Lanczos3 resize): the image is converted
//! to grayscale, resized to 16×16, DCT-transformed, and the 8×8 low-frequency corner is
//! thresholded at its median. The 8 hash bytes (`ImageHash::as_bytes`) are read big-endian
//! into a `u64`. Resizing, recompression and format changes move it by a few bits for images
//! with structure; images with almost none (a plain gradient) have most of their 64 DCT
//! coefficients near the median, and their hash can move by 15–25 bits.

use std::io::Cursor;

use cess_primitives::merkle::{blake2_256, blake2_256_parts};
use image::{ImageFormat, ImageReader, Limits};
use image_hasher::{HashAlg, HasherConfig};

use crate::error::{Error, Result};

/// Domain prefix of the SimHash feature hash (step 3 of the algorithm).
pub const SIMHASH_DOMAIN: &[u8] = b"cess/simhash/v1";
/// Fewest words a text needs for a SimHash; shorter texts get a content hash.
pub const MIN_TEXT_WORDS: usize = 5;
/// Largest image width or height decoded for a perceptual hash.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

pub use cess_primitives::fingerprint::Fingerprint;

/// The SimHash (version 1, see the module documentation) of `text`.
pub fn simhash_text(text: &str) -> u64 {
	let words = words(text);
	let mut sums = [0i64; 64];
	let mut add = |feature: &str| {
		let hash = feature_hash(feature);
		for (i, sum) in sums.iter_mut().enumerate() {
			*sum += if (hash >> i) & 1 == 1 { 1 } else { -1 };
		}
	};
	if words.len() >= 3 {
		words.windows(3).for_each(|shingle| add(&shingle.join(" ")));
	} else {
		words.iter().for_each(|word| add(word));
	}
	(0..64).filter(|&i| sums[i] > 0).fold(0, |acc, i| acc | (1 << i))
}

/// The perceptual hash of a PNG, JPEG, GIF or BMP image (see the module documentation).
///
/// Fails with [`Error::Image`] if the bytes are not one of these formats, do not decode, or
/// exceed [`MAX_IMAGE_SIDE`] or the decoder's memory limit.
pub fn phash_image(bytes: &[u8]) -> Result<u64> {
	let format = image_format(bytes)
		.ok_or_else(|| Error::Image("not a PNG, JPEG, GIF or BMP file".into()))?;
	let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
	let mut limits = Limits::default();
	limits.max_image_width = Some(MAX_IMAGE_SIDE);
	limits.max_image_height = Some(MAX_IMAGE_SIDE);
	reader.limits(limits);
	let image = reader.decode().map_err(|e| {
		let name = format!("{format:?}").to_uppercase();
		Error::Image(format!("the {name} image does not decode ({e})"))
	})?;
	if image.width() == 0 || image.height() == 0 {
		return Err(Error::Image("the image is empty (0 pixels)".into()));
	}
	let hash = HasherConfig::with_bytes_type::<[u8; 8]>()
		.hash_size(8, 8)
		.hash_alg(HashAlg::Median)
		.preproc_dct()
		.to_hasher()
		.hash_image(&image);
	Ok(u64::from_be_bytes(hash.into_inner()))
}

/// Blake2b-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> [u8; 32] {
	blake2_256(bytes)
}

/// The fingerprint of a file's bytes, of the kind the bytes call for (see the module
/// documentation). Fails only for a PNG, JPEG or GIF that does not decode.
pub fn fingerprint(bytes: &[u8]) -> Result<Fingerprint> {
	if let Some(format) = image_format(bytes) {
		match phash_image(bytes) {
			Ok(hash) => return Ok(Fingerprint::PerceptualHash(hash)),
			Err(e) if format != ImageFormat::Bmp => return Err(e),
			Err(_) => {}, // "BM" may just start a text or binary file.
		}
	}
	if let Some(text) = as_text(bytes) {
		if words(text).len() >= MIN_TEXT_WORDS {
			return Ok(Fingerprint::SimHash(simhash_text(text)));
		}
	}
	Ok(Fingerprint::ContentHash(content_hash(bytes)))
}

/// Domain prefix of [`commitment_salt`].
const SALT_DOMAIN: &[u8] = b"cess/fingerprint-salt/v1";

/// Largest plaintext `cess upload` reads whole to commit to its fingerprint (a larger file is
/// registered without a commitment: its certificate counts from the registration).
pub const MAX_COMMITTED_BYTES: u64 = 256 << 20;

/// The salt of a file's fingerprint commitment, derived from its bytes so the owner can open the
/// commitment later from the same file (anyone able to compute it already has the content).
fn commitment_salt(bytes: &[u8]) -> [u8; 32] {
	blake2_256_parts(&[SALT_DOMAIN, bytes])
}

/// The salt and the commitment to `print` (the fingerprint of `bytes`) for `file_id` that an
/// upload declares and a registration opens (see
/// [`cess_primitives::fingerprint::fingerprint_commitment`]).
pub fn commitment(print: &Fingerprint, bytes: &[u8], file_id: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
	let salt = commitment_salt(bytes);
	(salt, cess_primitives::fingerprint::fingerprint_commitment(print, file_id, &salt))
}

/// A file's fingerprint and commitment salt, computed before its `file_id` is known (an upload
/// learns the id only after encoding); [`Committable::commitment`] then gives what
/// [`commitment`] would.
#[derive(Clone, Debug)]
pub struct Committable {
	print: Fingerprint,
	salt: [u8; 32],
}

impl Committable {
	/// The fingerprint of `bytes` and its salt.
	pub fn of(bytes: &[u8]) -> Result<Self> {
		Ok(Committable { print: fingerprint(bytes)?, salt: commitment_salt(bytes) })
	}

	/// The commitment for `file_id`.
	pub fn commitment(&self, file_id: &[u8; 32]) -> [u8; 32] {
		cess_primitives::fingerprint::fingerprint_commitment(&self.print, file_id, &self.salt)
	}
}

/// The image format announced by the magic bytes, if it is one this module decodes.
fn image_format(bytes: &[u8]) -> Option<ImageFormat> {
	match image::guess_format(bytes) {
		Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::Bmp)) => {
			Some(f)
		},
		_ => None,
	}
}

/// `bytes` as text, if valid UTF-8 and at least 95 % printable characters.
fn as_text(bytes: &[u8]) -> Option<&str> {
	let text = std::str::from_utf8(bytes).ok()?;
	let (mut total, mut printable) = (0usize, 0usize);
	for c in text.chars() {
		total += 1;
		if !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
			printable += 1;
		}
	}
	(total > 0 && printable * 100 >= total * 95).then_some(text)
}

/// Step 1 of the SimHash: the lowercased words of `text`.
fn words(text: &str) -> Vec<String> {
	text.split(|c: char| !c.is_alphanumeric())
		.filter(|w| !w.is_empty())
		.map(|w| w.chars().flat_map(char::to_lowercase).collect())
		.collect()
}

/// Step 3 of the SimHash: the 64-bit hash of a feature.
fn feature_hash(feature: &str) -> u64 {
	let digest = blake2_256_parts(&[SIMHASH_DOMAIN, feature.as_bytes()]);
	let mut first = [0u8; 8];
	first.copy_from_slice(&digest[..8]);
	u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
	use super::*;
	use image::{imageops::FilterType, RgbImage};

	/// 201 words.
	const PARAGRAPH: &str = "Decentralized storage networks split every file into segments, encode each segment with an erasure code and hand the resulting fragments to independent miners spread across the world. A file owner keeps only a small manifest that lists the hash of every fragment together with the parameters of the code, so the original bytes can be rebuilt as long as enough fragments survive. Miners prove again and again that they still hold what they were paid to keep: the chain draws random challenges, each miner answers with a short proof, and anyone can check the answer against the commitments recorded when the file was uploaded. When a miner disappears, other miners rebuild the lost fragments from the surviving ones and take over the duty of storing them. Owners can encrypt their files before upload, wrap the data key to the public keys of the people they trust, and later revoke that access without moving a single byte of the stored data. Public files, on the other hand, are stored in the clear so that anybody may download them, which makes it useful to know who published a work first and whether a new upload merely copies an older one with small changes.";

	/// `PARAGRAPH` with word `index` replaced.
	fn edited(index: usize) -> String {
		let mut words: Vec<&str> = PARAGRAPH.split(' ').collect();
		words[index] = if words[index] == "kept" { "held" } else { "kept" };
		words.join(" ")
	}

	fn distance(a: u64, b: u64) -> u32 {
		(a ^ b).count_ones()
	}

	#[test]
	fn simhash_known_answers() {
		// Pinned; also computed by an independent Python implementation of the algorithm.
		let fox = "The quick brown fox jumps over the lazy dog";
		assert_eq!(simhash_text(fox), 0x261d_5527_bf3b_1377);
		assert_eq!(
			simhash_text("  THE quick, brown FOX: jumps over the lazy dog!\n"),
			simhash_text(fox)
		);
		assert_eq!(simhash_text("hello world"), 0xa401_0f03_0145_0999);
		assert_eq!(
			simhash_text("Grüße aus der STRASSE, über die Brücke! 123 ÆØÅ"),
			0x0ce2_2c06_e6cc_23b3
		);
		assert_eq!(simhash_text(""), 0);
		assert_eq!(simhash_text(" ,.;! "), 0);
	}

	#[test]
	fn near_duplicate_text_is_close_and_unrelated_text_is_far() {
		let original = simhash_text(PARAGRAPH);
		assert_eq!(PARAGRAPH.split(' ').count(), 201);
		assert!(distance(original, simhash_text(&edited(100))) <= 3);
		// Every single-word edit: about 3 bits on average, never far.
		let all: Vec<u32> =
			(0..201).map(|i| distance(original, simhash_text(&edited(i)))).collect();
		assert!(all.iter().all(|&d| d <= 8), "{all:?}");
		assert!(all.iter().sum::<u32>() <= 4 * 201, "{all:?}");
		let unrelated = "Miners prove storage by answering random challenges. The quick brown fox jumps over the lazy dog while the cat sleeps on a warm windowsill in the afternoon sun, dreaming of fish and of the birds that sing in the old oak tree behind the house.";
		assert!(distance(original, simhash_text(unrelated)) > 10);
	}

	/// A `size`×`size` image drawn by `f(u, v)`, coordinates and value in `0.0..=1.0`.
	fn draw(size: u32, f: impl Fn(f32, f32) -> f32) -> RgbImage {
		RgbImage::from_fn(size, size, |x, y| {
			let v = f(x as f32 / size as f32, y as f32 / size as f32).clamp(0.0, 1.0);
			let v = (v * 255.0) as u8;
			image::Rgb([v, v / 2 + 64, 255 - v])
		})
	}

	/// Concentric rings around an off-centre point: structure at many low frequencies.
	fn rings(u: f32, v: f32) -> f32 {
		0.5 + 0.5 * (((u - 0.3).powi(2) + (v - 0.6).powi(2)).sqrt() * 25.0).sin()
	}

	fn checkerboard(u: f32, v: f32) -> f32 {
		(((u * 4.0) as u32 + (v * 4.0) as u32) % 2) as f32
	}

	fn encode(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
		let mut out = Cursor::new(Vec::new());
		image.write_to(&mut out, format).expect("encodes");
		out.into_inner()
	}

	#[test]
	fn phash_survives_resize_and_jpeg_but_tells_images_apart() {
		let original = draw(256, rings);
		let png = phash_image(&encode(&original, ImageFormat::Png)).expect("png");
		let small = image::imageops::resize(&original, 200, 200, FilterType::Triangle);
		let recompressed = phash_image(&encode(&small, ImageFormat::Jpeg)).expect("jpeg");
		let other = phash_image(&encode(&draw(256, checkerboard), ImageFormat::Png)).expect("png");
		assert!(distance(png, recompressed) <= 4);
		assert!(distance(png, other) > 12);
	}

	#[test]
	fn fingerprint_picks_the_kind() {
		let image = draw(64, rings);
		let png = encode(&image, ImageFormat::Png);
		let phash = phash_image(&png).expect("png");
		assert_eq!(fingerprint(&png).expect("png"), Fingerprint::PerceptualHash(phash));
		assert_eq!(Fingerprint::PerceptualHash(phash).kind_name(), "image pHash");
		let as_text = Fingerprint::SimHash(phash);
		assert_eq!(Fingerprint::PerceptualHash(phash).distance(&as_text), None);
		let bmp = encode(&image, ImageFormat::Bmp);
		assert_eq!(fingerprint(&bmp).expect("bmp"), Fingerprint::PerceptualHash(phash));
		let gif = fingerprint(&encode(&image, ImageFormat::Gif)).expect("gif");
		assert!(gif.distance(&Fingerprint::PerceptualHash(phash)).is_some_and(|d| d <= 4));

		let text = fingerprint(PARAGRAPH.as_bytes()).expect("text");
		assert_eq!(text, Fingerprint::SimHash(simhash_text(PARAGRAPH)));
		assert_eq!(text.kind_name(), "text SimHash");
		let bm = "BMW builds cars and trucks in Munich";
		assert_eq!(
			fingerprint(bm.as_bytes()).expect("text"),
			Fingerprint::SimHash(simhash_text(bm))
		);
		for short in ["hello world", ""] {
			let expected = Fingerprint::ContentHash(content_hash(short.as_bytes()));
			assert_eq!(fingerprint(short.as_bytes()).expect("short"), expected);
		}

		let random: Vec<u8> = (0u32..64).flat_map(|i| blake2_256(&i.to_le_bytes())).collect();
		let binary = fingerprint(&random).expect("binary");
		assert_eq!(binary, Fingerprint::ContentHash(content_hash(&random)));
		assert_eq!(binary.kind_name(), "content hash");
		assert_eq!(binary.distance(&binary), Some(0));
		assert_eq!(binary.distance(&Fingerprint::ContentHash([0; 32])), None);
		assert_eq!(binary.distance(&text), None);
	}

	#[test]
	fn corrupt_images_are_clean_errors() {
		let png = encode(&draw(64, rings), ImageFormat::Png);
		let jpg = encode(&draw(64, rings), ImageFormat::Jpeg);
		// A truncated JPEG still decodes (the missing part grey), so it is not in this list.
		for bad in [&png[..png.len() / 2], &png[..8], &jpg[..4], &b"GIF89a"[..]] {
			assert!(matches!(phash_image(bad), Err(Error::Image(_))));
			let err = fingerprint(bad).expect_err("corrupt image");
			assert!(err.to_string().contains("content hash"), "{err}");
		}
		assert!(matches!(phash_image(b"plain text"), Err(Error::Image(_))));
	}
}
