//! Fixed-base multi-scalar multiplication with cross-lane batched affine additions
//! ("FastStraus").
//!
//! Computes many independent sums `R_b = Σ_j k_bj · P_j` over the same bases `P_j` (the public
//! generators `u_j`), one per PoDR² block `b`:
//!
//! * **Tables.** For every base, the multiples `1·P_j … 2^(w-1)·P_j` in affine form. Scalars are
//!   recoded into signed base-`2^w` digits in `[-2^(w-1), 2^(w-1)]`, so a digit costs one table
//!   lookup (negation is free in affine coordinates).
//! * **Phase 1 (no doublings).** One accumulator *lane* per `(block, window)`: lane `(b, t)`
//!   collects `W_bt = Σ_j digit_t(k_bj) · P_j`. Base by base, all lanes get one affine addition
//!   in the same step, and all those additions share **one field inversion** (Montgomery's
//!   trick). With 64 blocks × 18 windows that is 1 152 additions per inversion, and the table of
//!   the current base stays hot in cache. When there are few blocks (verification computes a
//!   single sum), the bases are split into groups processed side by side, so an inversion is
//!   still shared by at least ~512 additions, and the groups are summed at the end.
//! * **Phase 2 (Horner).** `R_b = Σ_t 2^(w·t) W_bt`, lanes = blocks: `w` batched affine doublings
//!   then one batched addition per window.
//!
//! Exceptional cases (adding a point to itself or to its negation, the point at infinity) are
//! handled exactly, so the result is correct for all inputs. The code is variable-time in the
//! scalars: it is only used on public data (fragment bytes, proof scalars), never on keys.

use blst::{
	blst_fp, blst_fp_add, blst_fp_cneg, blst_fp_eucl_inverse, blst_fp_mul, blst_fp_sqr,
	blst_fp_sub, blst_p1, blst_p1_affine,
};
use blst::{blst_p1_add_or_double_affine, blst_p1_double, blst_p1_is_inf};

/// Largest supported window (digits are stored as `i16`).
pub(crate) const MAX_WINDOW: usize = 15;

#[inline(always)]
fn fmul(a: &blst_fp, b: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: valid field elements; plain value computation.
	unsafe { blst_fp_mul(&mut r, a, b) };
	r
}

#[inline(always)]
fn fsqr(a: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: as above.
	unsafe { blst_fp_sqr(&mut r, a) };
	r
}

#[inline(always)]
fn fadd(a: &blst_fp, b: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: as above.
	unsafe { blst_fp_add(&mut r, a, b) };
	r
}

#[inline(always)]
fn fsub(a: &blst_fp, b: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: as above.
	unsafe { blst_fp_sub(&mut r, a, b) };
	r
}

#[inline(always)]
fn fneg(a: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: as above.
	unsafe { blst_fp_cneg(&mut r, a, true) };
	r
}

#[inline(always)]
fn finv(a: &blst_fp) -> blst_fp {
	let mut r = blst_fp::default();
	// SAFETY: as above (the inverse of zero is zero; callers never pass zero).
	unsafe { blst_fp_eucl_inverse(&mut r, a) };
	r
}

#[inline(always)]
fn is_zero(a: &blst_fp) -> bool {
	a.l.iter().all(|&x| x == 0)
}

/// An affine accumulator that may be the point at infinity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Acc {
	/// The point (meaningless when `inf`).
	pub p: blst_p1_affine,
	/// Whether the accumulator is the point at infinity.
	pub inf: bool,
}

impl Acc {
	/// The point at infinity.
	pub const INF: Acc =
		Acc { p: blst_p1_affine { x: blst_fp { l: [0; 6] }, y: blst_fp { l: [0; 6] } }, inf: true };

	/// As a projective blst point (infinity maps to blst's all-zero infinity).
	pub fn to_p1(self) -> blst_p1 {
		if self.inf {
			blst_p1::default()
		} else {
			super::curve::from_affine(&self.p)
		}
	}
}

/// One pending affine addition or doubling.
#[derive(Clone, Copy)]
struct Pending {
	/// Denominator of λ (`x_q − x_acc`, or `2·y_acc` for a doubling).
	den: blst_fp,
	/// Product of the denominators of this and all earlier pending entries.
	pre: blst_fp,
	/// The point added (ignored for a doubling).
	q: blst_p1_affine,
	/// The accumulator lane.
	lane: u32,
	/// Whether this is a doubling.
	dbl: bool,
}

/// Pending operations sharing one inversion. Batches are flushed at this size so the scratch
/// stays in L1/L2 cache; an inversion costs about 90 multiplications, so 256 additions per
/// inversion already make it negligible.
const MAX_PENDING: usize = 256;

/// Reusable buffers of the batched operations.
#[derive(Default)]
pub(crate) struct Scratch {
	pending: Vec<Pending>,
}

impl Scratch {
	#[inline(always)]
	fn push(&mut self, acc: &mut [Acc], lane: usize, q: blst_p1_affine, dbl: bool, den: blst_fp) {
		let pre = match self.pending.last() {
			Some(prev) => fmul(&prev.pre, &den),
			None => den,
		};
		self.pending.push(Pending { den, pre, q, lane: lane as u32, dbl });
		if self.pending.len() >= MAX_PENDING {
			finish(acc, self);
		}
	}
}

/// `acc[lane] += q` for every `(lane, q)` (each lane at most once), sharing inversions.
pub(crate) fn batch_add<I>(acc: &mut [Acc], adds: I, sc: &mut Scratch)
where
	I: IntoIterator<Item = (usize, blst_p1_affine)>,
{
	sc.pending.clear();
	for (l, q) in adds {
		let a = &mut acc[l];
		if a.inf {
			a.p = q;
			a.inf = false;
			continue;
		}
		let den = fsub(&q.x, &a.p.x);
		if is_zero(&den) {
			if q.y == a.p.y && !is_zero(&q.y) {
				// q == acc: doubling, λ = 3x² / 2y.
				let den = fadd(&a.p.y, &a.p.y);
				sc.push(acc, l, q, true, den);
			} else {
				// q == -acc.
				a.inf = true;
			}
			continue;
		}
		sc.push(acc, l, q, false, den);
	}
	finish(acc, sc);
}

/// `acc[lane] = 2 · acc[lane]` for every lane, sharing inversions.
pub(crate) fn batch_double(acc: &mut [Acc], sc: &mut Scratch) {
	sc.pending.clear();
	for l in 0..acc.len() {
		let a = acc[l];
		if a.inf {
			continue;
		}
		if is_zero(&a.p.y) {
			// A 2-torsion point (never in G1): doubling gives infinity.
			acc[l].inf = true;
			continue;
		}
		sc.push(acc, l, a.p, true, fadd(&a.p.y, &a.p.y));
	}
	finish(acc, sc);
}

/// Inverts the product of the pending denominators once and completes every pending operation.
fn finish(acc: &mut [Acc], sc: &mut Scratch) {
	let Some(last) = sc.pending.last() else {
		return;
	};
	let mut inv = finv(&last.pre);
	for i in (0..sc.pending.len()).rev() {
		let e = &sc.pending[i];
		let inv_i = if i > 0 {
			let t = fmul(&inv, &sc.pending[i - 1].pre);
			inv = fmul(&inv, &e.den);
			t
		} else {
			inv
		};
		let a = &mut acc[e.lane as usize];
		let (x1, y1) = (a.p.x, a.p.y);
		let (lambda, x2) = if e.dbl {
			let xx = fsqr(&x1);
			let three_xx = fadd(&fadd(&xx, &xx), &xx);
			(fmul(&three_xx, &inv_i), x1)
		} else {
			(fmul(&fsub(&e.q.y, &y1), &inv_i), e.q.x)
		};
		let x3 = fsub(&fsub(&fsqr(&lambda), &x1), &x2);
		let y3 = fsub(&fmul(&lambda, &fsub(&x1, &x3)), &y1);
		a.p.x = x3;
		a.p.y = y3;
	}
	sc.pending.clear();
}

/// Number of signed base-`2^w` digits needed for scalars below `2^nbits`.
pub(crate) fn digit_count(nbits: usize, w: usize) -> usize {
	(nbits + 1).div_ceil(w)
}

/// Signed base-`2^w` recoding of a little-endian scalar: `k = Σ_t d_t 2^(w·t)`,
/// `d_t ∈ [-2^(w-1), 2^(w-1)]`. `out.len()` must be `digit_count(8·len, w)` or more.
pub(crate) fn recode(scalar_le: &[u8], w: usize, out: &mut [i16]) {
	let half = 1i32 << (w - 1);
	let mask = (1u32 << w) - 1;
	let mut carry = 0i32;
	for (t, d) in out.iter_mut().enumerate() {
		let pos = t * w;
		let byte = pos / 8;
		let mut v = 0u32;
		for k in 0..3 {
			if let Some(&b) = scalar_le.get(byte + k) {
				v |= u32::from(b) << (8 * k);
			}
		}
		let mut digit = ((v >> (pos % 8)) & mask) as i32 + carry;
		if digit > half {
			digit -= 1 << w;
			carry = 1;
		} else {
			carry = 0;
		}
		*d = digit as i16;
	}
	debug_assert_eq!(carry, 0, "digit buffer too short for the scalar");
}

/// Precomputed multiples of a fixed set of bases (see the [module docs](self)).
pub(crate) struct FixedBaseTable {
	w: usize,
	half: usize,
	bases: usize,
	/// `table[j·half + (k − 1)] = k · P_j`.
	table: Vec<blst_p1_affine>,
}

impl FixedBaseTable {
	/// Builds the tables for `bases` with window `w` (`2 ≤ w ≤ MAX_WINDOW`), in parallel over the
	/// bases when rayon is available.
	pub(crate) fn new(bases: &[blst_p1_affine], w: usize) -> Self {
		use rayon::prelude::*;
		assert!((2..=MAX_WINDOW).contains(&w), "window out of range");
		let half = 1usize << (w - 1);
		let per_base: Vec<Vec<blst_p1_affine>> = bases
			.par_iter()
			.map(|b| {
				let p = super::curve::from_affine(b);
				let mut proj = Vec::with_capacity(half);
				let mut cur = p;
				for _ in 0..half {
					proj.push(cur);
					cur = super::curve::add(&cur, &p);
				}
				super::curve::batch_to_affine(&proj)
			})
			.collect();
		Self { w, half, bases: bases.len(), table: per_base.concat() }
	}

	/// The window width.
	pub(crate) fn window(&self) -> usize {
		self.w
	}

	/// Bytes held by the table.
	pub(crate) fn memory_bytes(&self) -> usize {
		self.table.len() * core::mem::size_of::<blst_p1_affine>()
	}

	#[inline(always)]
	fn prefetch(&self, j: usize, d: i16) {
		if d == 0 {
			return;
		}
		#[cfg(target_arch = "x86_64")]
		{
			let p: *const blst_p1_affine =
				&self.table[j * self.half + (d.unsigned_abs() as usize - 1)];
			// SAFETY: prefetching is a hint with no memory effects; the pointer is in bounds.
			unsafe {
				core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
				core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
					p.cast::<i8>().add(64),
				);
			}
		}
	}

	#[inline(always)]
	fn lookup(&self, j: usize, d: i16) -> blst_p1_affine {
		let p = self.table[j * self.half + (d.unsigned_abs() as usize - 1)];
		if d < 0 {
			blst_p1_affine { x: p.x, y: fneg(&p.y) }
		} else {
			p
		}
	}

	/// `R_b = Σ_j k_bj P_j` for `nblocks` scalar vectors. `scalars` holds `nblocks · bases`
	/// little-endian scalars of `stride` bytes each (block-major), all below `2^nbits`.
	pub(crate) fn msm_many(
		&self,
		scalars: &[u8],
		stride: usize,
		nbits: usize,
		sc: &mut Scratch,
	) -> Vec<Acc> {
		let s = self.bases;
		assert!(stride > 0 && scalars.len().is_multiple_of(stride * s), "scalar buffer shape");
		assert!(nbits <= 8 * stride && nbits <= 256);
		let nblocks = scalars.len() / (stride * s);
		let d = digit_count(nbits, self.w);
		// digits[(j · nblocks + b) · d + t]
		let mut digits = vec![0i16; s * nblocks * d];
		for b in 0..nblocks {
			for j in 0..s {
				let k = &scalars[(b * s + j) * stride..][..stride];
				recode(k, self.w, &mut digits[(j * nblocks + b) * d..][..d]);
			}
		}
		// Phase 1: lane (g, b, t) accumulates window t of block b over the bases of group g.
		// Few blocks give few lanes per inversion, so the bases are then split into groups that
		// are processed side by side and summed at the end.
		let lpg = nblocks * d;
		let groups = (MIN_LANES / lpg).clamp(1, s);
		let per = s.div_ceil(groups);
		let mut win = vec![Acc::INF; groups * lpg];
		let digits = &digits;
		for k in 0..per {
			let active = (0..groups).map(|g| (g, g * per + k)).filter(|&(_, j)| j < s);
			let adds = active.flat_map(|(g, j)| {
				digits[j * lpg..][..lpg].iter().enumerate().filter(|(_, &x)| x != 0).map(
					move |(l, &x)| {
						// Prefetch the table entry a few lanes ahead (random access into a
						// table of up to ~1 MB per base).
						if let Some(&ahead) = digits[j * lpg..][..lpg].get(l + PREFETCH_LANES) {
							self.prefetch(j, ahead);
						}
						(g * lpg + l, self.lookup(j, x))
					},
				)
			});
			batch_add(&mut win, adds, sc);
		}
		let mut n = groups;
		let mut pending = Vec::new();
		while n > 1 {
			let upper = n.div_ceil(2);
			pending.clear();
			for g in 0..n - upper {
				for l in 0..lpg {
					let src = win[(g + upper) * lpg + l];
					if !src.inf {
						pending.push((g * lpg + l, src.p));
					}
				}
			}
			batch_add(&mut win, pending.iter().copied(), sc);
			n = upper;
		}
		win.truncate(lpg);
		// Phase 2: Horner over the windows, lanes = blocks. With few lanes the shared inversion
		// would dominate, so small batches use projective doublings instead.
		if nblocks < PROJECTIVE_HORNER_BELOW {
			return (0..nblocks)
				.map(|b| horner_projective(&win[b * d..(b + 1) * d], self.w))
				.collect();
		}
		let mut res: Vec<Acc> = (0..nblocks).map(|b| win[b * d + d - 1]).collect();
		for t in (0..d - 1).rev() {
			if res.iter().any(|a| !a.inf) {
				for _ in 0..self.w {
					batch_double(&mut res, sc);
				}
			}
			let w_t = &win;
			batch_add(
				&mut res,
				(0..nblocks).filter(|&b| !w_t[b * d + t].inf).map(|b| (b, w_t[b * d + t].p)),
				sc,
			);
		}
		res
	}
}

/// How many lanes ahead phase 1 prefetches table entries.
const PREFETCH_LANES: usize = 8;

/// Phase 1 aims for at least this many lanes per shared inversion.
const MIN_LANES: usize = 512;

/// Batches with fewer blocks than this do the Horner phase in projective coordinates.
const PROJECTIVE_HORNER_BELOW: usize = 8;

/// `Σ_t 2^(w·t) W_t` in projective coordinates; returns an affine accumulator.
fn horner_projective(windows: &[Acc], w: usize) -> Acc {
	let mut acc = blst_p1::default();
	for win in windows.iter().rev() {
		for _ in 0..w {
			let prev = acc;
			// SAFETY: valid blst points; out and input are distinct locals.
			unsafe { blst_p1_double(&mut acc, &prev) };
		}
		if !win.inf {
			let prev = acc;
			// SAFETY: as above.
			unsafe { blst_p1_add_or_double_affine(&mut acc, &prev, &win.p) };
		}
	}
	// SAFETY: valid blst point.
	if unsafe { blst_p1_is_inf(&acc) } {
		Acc::INF
	} else {
		Acc { p: super::curve::to_affine(&acc), inf: false }
	}
}

#[cfg(test)]
mod tests {
	use super::super::curve;
	use super::*;

	fn gens(n: usize) -> Vec<blst_p1_affine> {
		(0..n).map(|i| curve::to_affine(&curve::hash_to_g1(&[i as u8], b"test-gens"))).collect()
	}

	fn reference(bases: &[blst_p1_affine], scalars: &[u8], stride: usize, nbits: usize) -> blst_p1 {
		let mut acc = blst_p1::default();
		for (j, b) in bases.iter().enumerate() {
			let k = &scalars[j * stride..][..stride];
			acc = curve::add(&acc, &curve::mult(&curve::from_affine(b), k, nbits));
		}
		acc
	}

	#[test]
	fn recode_round_trips() {
		let mut x = 0x1234_5678_9abc_def0u64;
		for w in [2usize, 5, 8, 12, 14, 15] {
			for _ in 0..50 {
				let mut k = [0u8; 31];
				for b in k.iter_mut() {
					x ^= x << 13;
					x ^= x >> 7;
					x ^= x << 17;
					*b = x as u8;
				}
				let mut digits = vec![0i16; digit_count(248, w)];
				recode(&k, w, &mut digits);
				// Evaluate Σ d_t 2^(wt) as a big integer in 64-bit limbs with signed carries.
				let mut acc = [0i128; 5];
				for (t, &dg) in digits.iter().enumerate() {
					assert!(i32::from(dg).abs() <= 1 << (w - 1));
					let pos = t * w;
					acc[pos / 64] += i128::from(dg) << (pos % 64);
				}
				let mut limbs = [0u64; 5];
				let mut carry = 0i128;
				for i in 0..5 {
					let v = acc[i] + carry;
					limbs[i] = v as u64;
					carry = v >> 64;
				}
				let mut expect = [0u8; 40];
				expect[..31].copy_from_slice(&k);
				let got: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
				assert_eq!(&got[..], &expect[..], "w={w}");
			}
		}
	}

	#[test]
	fn msm_matches_reference_including_edge_scalars() {
		let bases = gens(5);
		for w in [3usize, 8, 11] {
			let table = FixedBaseTable::new(&bases, w);
			let mut sc = Scratch::default();
			// Block 0: random; block 1: all zero; block 2: equal scalars on equal-ish data;
			// block 3: max 31-byte values; block 4: single small scalars (doubling, cancelling).
			let mut scalars = vec![0u8; 5 * 5 * 31];
			for (i, b) in scalars[..5 * 31].iter_mut().enumerate() {
				*b = (i * 37 + 11) as u8;
			}
			scalars[3 * 5 * 31..4 * 5 * 31].fill(0xff);
			scalars[4 * 5 * 31] = 1;
			scalars[4 * 5 * 31 + 31] = 2;
			let got = table.msm_many(&scalars, 31, 248, &mut sc);
			for (b, r) in got.iter().enumerate() {
				let expect = reference(&bases, &scalars[b * 5 * 31..][..5 * 31], 31, 248);
				assert_eq!(
					curve::compress(&r.to_p1()),
					curve::compress(&expect),
					"w={w} block {b}"
				);
			}
		}
	}

	#[test]
	fn batched_and_projective_horner_agree() {
		let bases = gens(3);
		let table = FixedBaseTable::new(&bases, 6);
		let mut sc = Scratch::default();
		let scalars: Vec<u8> = (0..12 * 3 * 32)
			.map(|i| (i * 131 + 7) as u8 & if i % 32 == 31 { 0x3f } else { 0xff })
			.collect();
		let many = table.msm_many(&scalars, 32, 254, &mut sc);
		assert_eq!(many.len(), 12);
		for (b, r) in many.iter().enumerate() {
			let one = table.msm_many(&scalars[b * 96..(b + 1) * 96], 32, 254, &mut sc);
			assert_eq!(curve::compress(&r.to_p1()), curve::compress(&one[0].to_p1()));
			let expect = reference(&bases, &scalars[b * 96..(b + 1) * 96], 32, 254);
			assert_eq!(curve::compress(&r.to_p1()), curve::compress(&expect));
		}
	}

	#[test]
	fn batch_add_handles_exceptional_cases() {
		let p = gens(1)[0];
		let pp = curve::from_affine(&p);
		let two_p = curve::to_affine(&curve::add(&pp, &pp));
		let neg_p = curve::to_affine(&curve::neg(&pp));
		let mut acc = vec![Acc { p, inf: false }, Acc { p, inf: false }, Acc::INF];
		let mut sc = Scratch::default();
		batch_add(&mut acc, [(0, p), (1, neg_p), (2, p)], &mut sc);
		assert!(!acc[0].inf && acc[0].p == two_p);
		assert!(acc[1].inf);
		assert!(!acc[2].inf && acc[2].p == p);
		batch_double(&mut acc, &mut sc);
		assert!(acc[1].inf);
		assert_eq!(acc[2].p, two_p);
	}
}
