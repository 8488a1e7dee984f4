//! Calibration probe: cost of one blst field multiplication and one hash_to_G1 on this machine.
use std::time::Instant;

fn main() {
	let mut a = blst::blst_fp::default();
	let one = 7u64;
	// SAFETY: plain FFI on stack values.
	unsafe { blst::blst_fp_from_uint64(&mut a, &one) };
	let b = a;
	let n = 5_000_000;
	let t = Instant::now();
	for _ in 0..n {
		// SAFETY: as above.
		unsafe { blst::blst_fp_mul(&mut a, &a, &b) };
	}
	println!("fp_mul: {:.1} ns  ({:?})", t.elapsed().as_nanos() as f64 / n as f64, a.l[0] & 1);
	let t = Instant::now();
	for _ in 0..20_000 {
		// SAFETY: as above.
		unsafe { blst::blst_fp_eucl_inverse(&mut a, &a) };
	}
	println!("fp_eucl_inverse: {:.2} us", t.elapsed().as_nanos() as f64 / 20_000.0 / 1000.0);
	let t = Instant::now();
	for _ in 0..20_000 {
		// SAFETY: as above.
		unsafe { blst::blst_fp_inverse(&mut a, &a) };
	}
	println!("fp_inverse: {:.2} us", t.elapsed().as_nanos() as f64 / 20_000.0 / 1000.0);
	let t = Instant::now();
	let mut p = blst::blst_p1::default();
	for i in 0..2000u32 {
		// SAFETY: as above.
		unsafe {
			blst::blst_hash_to_g1(
				&mut p,
				i.to_le_bytes().as_ptr(),
				4,
				b"x".as_ptr(),
				1,
				std::ptr::null(),
				0,
			)
		};
	}
	println!("hash_to_g1: {:.1} us", t.elapsed().as_micros() as f64 / 2000.0);
}
