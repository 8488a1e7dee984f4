//! The parameters of idle files and the label type.

use crate::types::Hash256;

/// Bytes per label.
pub const LABEL_BYTES: usize = 32;
/// A label: a BLAKE2b-256 output.
pub type Label = Hash256;

/// Smallest supported `layer_labels_log2`.
pub const MIN_LABELS_LOG2: u8 = 2;
/// Largest supported `layer_labels_log2` (node indices fit `u32`).
pub const MAX_LABELS_LOG2: u8 = 30;
/// Most expander layers.
pub const MAX_LAYERS: u8 = 64;
/// Largest in-degree.
pub const MAX_DEGREE: u8 = 32;

/// The shape of every idle file: `N = 2^layer_labels_log2` labels per layer, layers `0..=layers`
/// (layer 0 from the seed, `layers` expander layers above it), `degree` parents per label.
///
/// These are chain constants: the generation check and the space rounds are only meaningful
/// against the parameters the files were declared with (they are bound into every batch root).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct IdleParams {
	/// `log2` of the labels per layer.
	pub layer_labels_log2: u8,
	/// Expander layers above layer 0 (`L`); the last layer is layer `L`.
	pub layers: u8,
	/// Parents per label (`d`).
	pub degree: u8,
}

impl IdleParams {
	/// The defaults (`docs/idle-space.md`): 2^20 labels (32 MiB kept per file), 12 expander
	/// layers, in-degree 6 (a label's input is exactly two BLAKE2b blocks).
	pub const DEFAULT: Self = Self { layer_labels_log2: 20, layers: 12, degree: 6 };

	/// Whether every field is in its supported range.
	pub const fn is_valid(&self) -> bool {
		self.layer_labels_log2 >= MIN_LABELS_LOG2
			&& self.layer_labels_log2 <= MAX_LABELS_LOG2
			&& self.layers >= 1
			&& self.layers <= MAX_LAYERS
			&& self.degree >= 1
			&& self.degree <= MAX_DEGREE
	}

	/// Labels per layer (`N`; 0 if `layer_labels_log2` is out of `u64`'s range).
	pub const fn labels(&self) -> u64 {
		match 1u64.checked_shl(self.layer_labels_log2 as u32) {
			Some(n) => n,
			None => 0,
		}
	}

	/// Bytes a miner keeps per idle file (the last layer).
	pub const fn file_bytes(&self) -> u64 {
		self.labels().saturating_mul(LABEL_BYTES as u64)
	}

	/// Bytes hashed for one label of layer `l ≥ 1`: `seed ‖ le32(l) ‖ le64(i) ‖ d × label`.
	pub const fn label_input_bytes(&self) -> usize {
		44 + LABEL_BYTES * self.degree as usize
	}

	/// The three bytes bound into batch roots: `u8(log2 N) ‖ u8(L) ‖ u8(d)`.
	pub const fn to_bytes(&self) -> [u8; 3] {
		[self.layer_labels_log2, self.layers, self.degree]
	}
}

impl Default for IdleParams {
	fn default() -> Self {
		Self::DEFAULT
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn out_of_range_parameters_are_invalid_and_harmless() {
		assert!(IdleParams::DEFAULT.is_valid());
		assert_eq!(IdleParams::DEFAULT.file_bytes(), 32 << 20);
		for log2 in [0u8, 1, 31, 63, 64, 255] {
			let p = IdleParams { layer_labels_log2: log2, ..IdleParams::DEFAULT };
			assert!(!p.is_valid());
			let _ = (p.labels(), p.file_bytes());
			let _: alloc::vec::Vec<u32> = super::super::graph::parents(&p, 1, 0).collect();
		}
		assert!(!IdleParams { layers: 0, ..IdleParams::DEFAULT }.is_valid());
		assert!(!IdleParams { degree: 0, ..IdleParams::DEFAULT }.is_valid());
		assert!(!IdleParams { degree: MAX_DEGREE + 1, ..IdleParams::DEFAULT }.is_valid());
	}
}
