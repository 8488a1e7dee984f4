//! Thin safe wrappers over the blst FFI used by the PoDR² code (std only).
//!
//! All `unsafe` in the crate outside [`super::fast_msm`] is here: every wrapper passes pointers
//! to live, correctly sized values and checks blst's return codes.

use super::params::{DST_U, G1_BYTES, G2_BYTES};
use crate::decode::DecodeError;
use blst::{
	blst_final_exp, blst_fp12, blst_fp12_is_one, blst_fr, blst_fr_add, blst_fr_from_scalar,
	blst_fr_mul, blst_hash_to_g1, blst_lendian_from_scalar, blst_miller_loop_n, blst_p1,
	blst_p1_add_or_double, blst_p1_affine, blst_p1_affine_compress, blst_p1_affine_in_g1,
	blst_p1_affine_is_inf, blst_p1_cneg, blst_p1_from_affine, blst_p1_mult, blst_p1_to_affine,
	blst_p1_uncompress, blst_p1s_mult_pippenger, blst_p1s_mult_pippenger_scratch_sizeof,
	blst_p1s_to_affine, blst_p2_affine, blst_p2_affine_compress, blst_p2_affine_generator,
	blst_p2_affine_in_g2, blst_p2_affine_is_inf, blst_p2_uncompress, blst_scalar,
	blst_scalar_from_fr, blst_scalar_from_lendian, BLST_ERROR,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// `hash_to_G1(msg)` under `dst` (RFC 9380, SSWU, random oracle).
pub(crate) fn hash_to_g1(msg: &[u8], dst: &[u8]) -> blst_p1 {
	let mut out = blst_p1::default();
	// SAFETY: pointers and lengths describe live slices; aug is empty.
	unsafe {
		blst_hash_to_g1(
			&mut out,
			msg.as_ptr(),
			msg.len(),
			dst.as_ptr(),
			dst.len(),
			std::ptr::null(),
			0,
		)
	};
	out
}

/// Projective → affine.
pub(crate) fn to_affine(p: &blst_p1) -> blst_p1_affine {
	let mut out = blst_p1_affine::default();
	// SAFETY: both are valid blst values.
	unsafe { blst_p1_to_affine(&mut out, p) };
	out
}

/// Affine → projective.
pub(crate) fn from_affine(p: &blst_p1_affine) -> blst_p1 {
	let mut out = blst_p1::default();
	// SAFETY: both are valid blst values.
	unsafe { blst_p1_from_affine(&mut out, p) };
	out
}

/// Many projective points → affine with one shared inversion.
pub(crate) fn batch_to_affine(points: &[blst_p1]) -> Vec<blst_p1_affine> {
	let mut out = vec![blst_p1_affine::default(); points.len()];
	if points.is_empty() {
		return out;
	}
	let ptrs: [*const blst_p1; 2] = [points.as_ptr(), std::ptr::null()];
	// SAFETY: `points` is contiguous (blst reads `len` consecutive points from ptrs[0]); `out` has
	// room for `len` affine points.
	unsafe { blst_p1s_to_affine(out.as_mut_ptr(), ptrs.as_ptr(), points.len()) };
	out
}

/// `a + b` (handles doubling and infinity).
pub(crate) fn add(a: &blst_p1, b: &blst_p1) -> blst_p1 {
	let mut out = blst_p1::default();
	// SAFETY: valid blst values.
	unsafe { blst_p1_add_or_double(&mut out, a, b) };
	out
}

/// `-p`.
pub(crate) fn neg(p: &blst_p1) -> blst_p1 {
	let mut out = *p;
	// SAFETY: valid blst value.
	unsafe { blst_p1_cneg(&mut out, true) };
	out
}

/// `scalar · p` for a little-endian scalar of `nbits` bits.
pub(crate) fn mult(p: &blst_p1, scalar_le: &[u8], nbits: usize) -> blst_p1 {
	assert!(scalar_le.len() * 8 >= nbits);
	let mut out = blst_p1::default();
	// SAFETY: scalar_le has at least ceil(nbits/8) bytes (asserted).
	unsafe { blst_p1_mult(&mut out, p, scalar_le.as_ptr(), nbits) };
	out
}

/// Compressed encoding of an affine G1 point.
pub(crate) fn compress_affine(p: &blst_p1_affine) -> [u8; G1_BYTES] {
	let mut out = [0u8; G1_BYTES];
	// SAFETY: out has 48 bytes.
	unsafe { blst_p1_affine_compress(out.as_mut_ptr(), p) };
	out
}

/// Compressed encoding of a G1 point.
pub(crate) fn compress(p: &blst_p1) -> [u8; G1_BYTES] {
	compress_affine(&to_affine(p))
}

/// Decompresses a G1 point, checking only that it is on the curve (for the prover's own tags).
pub(crate) fn g1_decompress_on_curve(
	bytes: &[u8; G1_BYTES],
) -> Result<blst_p1_affine, DecodeError> {
	let mut out = blst_p1_affine::default();
	// SAFETY: bytes has 48 bytes.
	let rc = unsafe { blst_p1_uncompress(&mut out, bytes.as_ptr()) };
	if rc != BLST_ERROR::BLST_SUCCESS {
		return Err(DecodeError::InvalidPoint);
	}
	Ok(out)
}

/// Decompresses an untrusted G1 point: must decode, be on the curve, in the prime-order subgroup
/// and not be the point at infinity.
pub(crate) fn g1_decompress_checked(bytes: &[u8; G1_BYTES]) -> Result<blst_p1_affine, DecodeError> {
	let p = g1_decompress_on_curve(bytes)?;
	// SAFETY: valid affine point.
	let ok = unsafe { !blst_p1_affine_is_inf(&p) && blst_p1_affine_in_g1(&p) };
	if ok {
		Ok(p)
	} else {
		Err(DecodeError::InvalidPoint)
	}
}

/// Decompresses an untrusted G2 point (public key): decodes, on curve, in subgroup, not infinity.
pub(crate) fn g2_decompress_checked(bytes: &[u8]) -> Result<blst_p2_affine, DecodeError> {
	if bytes.len() != G2_BYTES {
		return Err(if bytes.len() < G2_BYTES {
			DecodeError::Truncated
		} else {
			DecodeError::TrailingBytes
		});
	}
	let mut out = blst_p2_affine::default();
	// SAFETY: bytes has 96 bytes (checked).
	let rc = unsafe { blst_p2_uncompress(&mut out, bytes.as_ptr()) };
	if rc != BLST_ERROR::BLST_SUCCESS {
		return Err(DecodeError::InvalidPoint);
	}
	// SAFETY: valid affine point.
	let ok = unsafe { !blst_p2_affine_is_inf(&out) && blst_p2_affine_in_g2(&out) };
	if ok {
		Ok(out)
	} else {
		Err(DecodeError::InvalidPoint)
	}
}

/// Compressed encoding of an affine G2 point.
pub(crate) fn g2_compress_affine(p: &blst_p2_affine) -> [u8; G2_BYTES] {
	let mut out = [0u8; G2_BYTES];
	// SAFETY: out has 96 bytes.
	unsafe { blst_p2_affine_compress(out.as_mut_ptr(), p) };
	out
}

/// Single-threaded Pippenger multi-scalar multiplication `Σ k_i P_i`; `scalars` holds
/// `ceil(nbits/8)` little-endian bytes per point.
pub(crate) fn msm(points: &[blst_p1_affine], scalars: &[u8], nbits: usize) -> blst_p1 {
	let nbytes = nbits.div_ceil(8);
	assert_eq!(scalars.len(), nbytes * points.len(), "scalar buffer length");
	match points.len() {
		0 => return blst_p1::default(),
		1 => return mult(&from_affine(&points[0]), scalars, nbits),
		_ => {},
	}
	let pp: [*const blst_p1_affine; 2] = [points.as_ptr(), std::ptr::null()];
	let sp: [*const u8; 2] = [scalars.as_ptr(), std::ptr::null()];
	let mut out = blst_p1::default();
	// SAFETY: scratch is sized by blst for `n` points; points and scalars are contiguous arrays of
	// `n` entries (length asserted above).
	unsafe {
		let words = blst_p1s_mult_pippenger_scratch_sizeof(points.len()).div_ceil(8);
		let mut scratch = vec![0u64; words];
		blst_p1s_mult_pippenger(
			&mut out,
			pp.as_ptr(),
			points.len(),
			sp.as_ptr(),
			nbits,
			scratch.as_mut_ptr(),
		);
	}
	out
}

/// Multi-threaded (rayon) MSM: splits the points into chunks and sums the partial results.
pub(crate) fn msm_parallel(points: &[blst_p1_affine], scalars: &[u8], nbits: usize) -> blst_p1 {
	use rayon::prelude::*;
	let nbytes = nbits.div_ceil(8);
	let threads = rayon::current_num_threads().max(1);
	if threads == 1 || points.len() < 512 {
		return msm(points, scalars, nbits);
	}
	let chunk = points.len().div_ceil(threads);
	points
		.par_chunks(chunk)
		.zip(scalars.par_chunks(chunk * nbytes))
		.map(|(p, s)| msm(p, s, nbits))
		.reduce(blst_p1::default, |a, b| add(&a, &b))
}

/// Checks `e(a, g2) · e(b, v) = 1` (pass `b` negated to check `e(a, g2) = e(b', v)`), as one
/// 2-pair Miller loop and one final exponentiation.
pub(crate) fn pairing_product_is_one(
	a: &blst_p1_affine,
	b: &blst_p1_affine,
	v: &blst_p2_affine,
) -> bool {
	// SAFETY: all pointers refer to live affine points; the generator is a static.
	unsafe {
		let qs: [*const blst_p2_affine; 2] = [blst_p2_affine_generator(), v];
		let ps: [*const blst_p1_affine; 2] = [a, b];
		let mut ml = blst_fp12::default();
		blst_miller_loop_n(&mut ml, qs.as_ptr(), ps.as_ptr(), 2);
		let mut fe = blst_fp12::default();
		blst_final_exp(&mut fe, &ml);
		blst_fp12_is_one(&fe)
	}
}

/// Checks `e(lhs, g2) = e(rhs, v)`.
pub(crate) fn pairing_eq(lhs: &blst_p1, rhs: &blst_p1, v: &blst_p2_affine) -> bool {
	let a = to_affine(lhs);
	let b = to_affine(&neg(rhs));
	pairing_product_is_one(&a, &b, v)
}

/// An `Fr` element from up to 32 little-endian bytes whose value is below `r` (true for 31-byte
/// sectors, 16-byte coefficients and canonical 32-byte scalars).
pub(crate) fn fr_from_le(bytes: &[u8]) -> blst_fr {
	debug_assert!(bytes.len() <= 32);
	let mut buf = [0u8; 32];
	buf[..bytes.len()].copy_from_slice(bytes);
	let mut sc = blst_scalar::default();
	let mut fr = blst_fr::default();
	// SAFETY: buf has 32 bytes.
	unsafe {
		blst_scalar_from_lendian(&mut sc, buf.as_ptr());
		blst_fr_from_scalar(&mut fr, &sc);
	}
	fr
}

/// The 32-byte little-endian canonical encoding of an `Fr` element.
pub(crate) fn fr_to_le(fr: &blst_fr) -> [u8; 32] {
	let mut sc = blst_scalar::default();
	let mut out = [0u8; 32];
	// SAFETY: out has 32 bytes.
	unsafe {
		blst_scalar_from_fr(&mut sc, fr);
		blst_lendian_from_scalar(out.as_mut_ptr(), &sc);
	}
	out
}

/// `acc += a · b` in `Fr`.
#[inline]
pub(crate) fn fr_mul_add(acc: &mut blst_fr, a: &blst_fr, b: &blst_fr) {
	let mut t = blst_fr::default();
	// SAFETY: valid field elements; blst allows `ret` to alias an input.
	unsafe {
		blst_fr_mul(&mut t, a, b);
		blst_fr_add(acc, acc, &t);
	}
}

/// `a + b` in `Fr`.
pub(crate) fn fr_add(a: &blst_fr, b: &blst_fr) -> blst_fr {
	let mut out = blst_fr::default();
	// SAFETY: valid field elements.
	unsafe { blst_fr_add(&mut out, a, b) };
	out
}

/// The public generators `u_1..u_s` (affine), hashed once per `s` and cached for the process.
pub(crate) fn generators(s: usize) -> Arc<Vec<blst_p1_affine>> {
	type Cache = Mutex<HashMap<usize, Arc<Vec<blst_p1_affine>>>>;
	static CACHE: OnceLock<Cache> = OnceLock::new();
	let cache = CACHE.get_or_init(Default::default);
	if let Some(g) = cache.lock().expect("generator cache").get(&s) {
		return g.clone();
	}
	let proj: Vec<blst_p1> = (1..=s as u32).map(|j| hash_to_g1(&j.to_le_bytes(), DST_U)).collect();
	let g = Arc::new(batch_to_affine(&proj));
	cache.lock().expect("generator cache").entry(s).or_insert(g).clone()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// RFC 9380, Appendix J.9.1 (BLS12381G1_XMD:SHA-256_SSWU_RO_), msg = "": the blst
	/// hash-to-curve used for `u_j` and `H(name ‖ i)` matches the standard.
	#[test]
	fn hash_to_g1_matches_rfc9380_vector() {
		let dst = b"QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_";
		let p = to_affine(&hash_to_g1(b"", dst));
		let mut x = [0u8; 48];
		let mut y = [0u8; 48];
		// SAFETY: 48-byte buffers.
		unsafe {
			blst::blst_bendian_from_fp(x.as_mut_ptr(), &p.x);
			blst::blst_bendian_from_fp(y.as_mut_ptr(), &p.y);
		}
		let hex = |b: &[u8]| b.iter().map(|v| format!("{v:02x}")).collect::<String>();
		assert_eq!(
            hex(&x),
            "052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1"
        );
		assert_eq!(
            hex(&y),
            "08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265"
        );
	}

	#[test]
	fn fr_round_trip_and_canonical_output() {
		let mut b = [0u8; 32];
		b[..31].copy_from_slice(&[0xff; 31]);
		assert_eq!(fr_to_le(&fr_from_le(&b)), b);
		assert_eq!(fr_to_le(&fr_from_le(&[1, 2, 3])), {
			let mut e = [0u8; 32];
			e[..3].copy_from_slice(&[1, 2, 3]);
			e
		});
	}
}
