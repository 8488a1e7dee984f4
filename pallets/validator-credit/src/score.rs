//! The scoring rule, as pure functions (see the crate documentation).

use alloc::vec::Vec;

/// The most credit a validator can have; scores are out of this.
pub const FULL_CREDIT: u32 = 1000;

/// What one validator did in an era.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EraDuty {
	/// Reward points (20 per block authored).
	pub points: u32,
	/// Retrievability-probe reports filed.
	pub reports: u32,
	/// Whether it committed an offence.
	pub offended: bool,
}

/// `part` of `whole` out of [`FULL_CREDIT`], where half of `whole` already counts as full.
fn ratio(part: u64, whole: u64) -> u32 {
	if whole == 0 {
		return FULL_CREDIT;
	}
	(part.saturating_mul(2 * FULL_CREDIT as u64) / whole).min(FULL_CREDIT as u64) as u32
}

/// The era score of `duty` when the era's validators earned `total_points` and the busiest
/// prober filed `max_reports`, among `validators` validators.
pub fn era_score(duty: &EraDuty, total_points: u64, max_reports: u32, validators: u32) -> u32 {
	if duty.offended {
		return 0;
	}
	// An even share of the era's points is `total / validators`.
	let authoring = ratio(duty.points as u64 * validators as u64, total_points);
	let probing = ratio(duty.reports as u64, max_reports as u64);
	authoring.min(probing)
}

/// The era scores of an era's validators, in order.
pub fn era_scores(duties: &[EraDuty]) -> Vec<u32> {
	let total: u64 = duties.iter().map(|d| d.points as u64).sum();
	let max_reports = duties.iter().map(|d| d.reports).max().unwrap_or(0);
	let n = duties.len() as u32;
	duties.iter().map(|d| era_score(d, total, max_reports, n)).collect()
}

/// A validator's credit after an era it scored `score` in: the mean of the two.
pub fn next_credit(credit: u32, score: u32) -> u32 {
	((credit.min(FULL_CREDIT) + score.min(FULL_CREDIT)) / 2).min(FULL_CREDIT)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn duty(points: u32, reports: u32) -> EraDuty {
		EraDuty { points, reports, offended: false }
	}

	#[test]
	fn an_even_share_of_blocks_and_reports_scores_full() {
		assert_eq!(era_scores(&[duty(100, 5), duty(100, 5), duty(100, 5)]), vec![1000; 3]);
	}

	#[test]
	fn half_a_share_still_scores_full_and_less_scores_less() {
		// Shares of 300 points among 3: an even share is 100.
		let scores = era_scores(&[duty(170, 4), duty(100, 4), duty(30, 4)]);
		assert_eq!(scores, vec![1000, 1000, 600]);
	}

	#[test]
	fn an_offline_validator_scores_nothing() {
		assert_eq!(era_scores(&[duty(200, 6), duty(200, 6), duty(0, 0)])[2], 0);
	}

	#[test]
	fn a_validator_that_authors_but_does_not_probe_scores_low() {
		assert_eq!(era_scores(&[duty(100, 10), duty(100, 1)])[1], 200);
	}

	#[test]
	fn with_nothing_to_probe_authoring_alone_counts() {
		assert_eq!(era_scores(&[duty(100, 0), duty(100, 0)]), vec![1000, 1000]);
	}

	#[test]
	fn an_offence_zeroes_the_era() {
		let scores =
			era_scores(&[duty(100, 5), EraDuty { points: 100, reports: 5, offended: true }]);
		assert_eq!(scores, vec![1000, 0]);
	}

	#[test]
	fn credit_moves_halfway_to_the_score() {
		assert_eq!(next_credit(1000, 0), 500);
		assert_eq!(next_credit(500, 0), 250);
		assert_eq!(next_credit(250, 1000), 625);
		assert_eq!(next_credit(5000, 5000), 1000);
	}
}
