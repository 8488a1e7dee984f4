//! The exact model: a continuous-time Markov chain over the number of lost columns of one file.
//!
//! State `j` (0 ≤ `j` ≤ `m`) is a file with `j` of its `n = k + m` columns lost and being
//! repaired; state `m + 1` (a file with fewer than `k` columns) is absorbing. From state `j`
//! another column is lost at rate `(n − j)·λ` (each surviving column's miner churns at `λ`) and
//! one is repaired at rate `j·μ` (repairs run in parallel, each with mean latency `1/μ`).
//!
//! [`loss_probability`] is the absorbed mass at the horizon, `[exp(Q·t)]₀,ₘ₊₁`, computed by
//! uniformization over a short step and repeated squaring. Every quantity in both stages is a
//! sum of non-negative products, so the result keeps its relative precision however small it
//! is: no `1 − survival` is ever formed.

use crate::{HOURS_PER_MONTH, HOURS_PER_YEAR};

/// An erasure profile: `k` data and `m` parity fragments per segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
	/// Data fragments: any `k` columns rebuild the file.
	pub k: u32,
	/// Parity fragments: the columns that may be lost at once.
	pub m: u32,
}

impl Profile {
	/// The profile `k + m`.
	pub const fn new(k: u32, m: u32) -> Self {
		Self { k, m }
	}

	/// Columns of a file, each on its own miner.
	pub const fn columns(&self) -> u32 {
		self.k + self.m
	}
}

impl core::fmt::Display for Profile {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{}+{}", self.k, self.m)
	}
}

/// The profiles allowed at genesis (`GENESIS_PROFILES` in
/// `runtime/src/genesis_config_presets.rs`), the default first.
pub const GENESIS_PROFILES: [Profile; 3] =
	[Profile::new(4, 8), Profile::new(2, 4), Profile::new(2, 1)];

/// The loss rate of one column per hour when each miner leaves (or loses its data) with
/// probability `churn` per month: `−ln(1 − churn)` per month.
pub fn column_loss_rate(churn_per_month: f64) -> f64 {
	-(-churn_per_month).ln_1p() / HOURS_PER_MONTH
}

/// One case of the model: a profile, the monthly churn and the mean repair latency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scenario {
	/// The erasure profile.
	pub profile: Profile,
	/// Probability that a miner leaves or loses its data within a month.
	pub churn_per_month: f64,
	/// Mean time from a column's loss to its restoral on another miner, in hours; infinite
	/// for no repair.
	pub repair_hours: f64,
}

impl Scenario {
	/// The loss rate of one column, per hour.
	pub fn lambda(&self) -> f64 {
		column_loss_rate(self.churn_per_month)
	}

	/// The repair rate of one lost column, per hour (0 without repair).
	pub fn mu(&self) -> f64 {
		if self.repair_hours.is_finite() {
			1.0 / self.repair_hours
		} else {
			0.0
		}
	}

	/// Probability that the file is lost within `hours`, starting with every column present.
	pub fn loss_within(&self, hours: f64) -> f64 {
		loss_probability(self.profile, self.lambda(), self.mu(), hours)
	}

	/// Probability that the file is lost within a year.
	pub fn annual_loss(&self) -> f64 {
		self.loss_within(HOURS_PER_YEAR)
	}
}

/// A square matrix over the states `0..=m + 1`, row-major.
#[derive(Clone)]
struct Matrix {
	size: usize,
	cells: Vec<f64>,
}

impl Matrix {
	fn zero(size: usize) -> Self {
		Self { size, cells: vec![0.0; size * size] }
	}

	fn identity(size: usize) -> Self {
		let mut id = Self::zero(size);
		for i in 0..size {
			id.cells[i * size + i] = 1.0;
		}
		id
	}

	fn at(&self, row: usize, col: usize) -> f64 {
		self.cells[row * self.size + col]
	}

	fn product(&self, other: &Self) -> Self {
		let n = self.size;
		let mut out = Self::zero(n);
		for i in 0..n {
			for l in 0..n {
				let a = self.cells[i * n + l];
				if a == 0.0 {
					continue;
				}
				for j in 0..n {
					out.cells[i * n + j] += a * other.cells[l * n + j];
				}
			}
		}
		out
	}

	/// Divides every row by its sum. The matrices here are stochastic; without this, the
	/// rounding of a row's sum (a few ulps below 1) doubles with every squaring and, after
	/// forty of them, costs four digits of every entry.
	fn normalize_rows(&mut self) {
		for row in self.cells.chunks_mut(self.size) {
			let sum: f64 = row.iter().sum();
			row.iter_mut().for_each(|cell| *cell /= sum);
		}
	}

	fn add_scaled(&mut self, other: &Self, factor: f64) {
		for (a, b) in self.cells.iter_mut().zip(&other.cells) {
			*a += factor * b;
		}
	}
}

/// Terms of the uniformization series over one step (`Λ·h ≤ 1/2`): the first neglected term
/// is below `2⁻⁶⁴/64!` of the leading term of every entry.
const SERIES_TERMS: usize = 64;

/// Probability that a file of `profile` is lost within `hours` when each column is lost at
/// rate `lambda` and each lost column is repaired at rate `mu` (per hour; `mu = 0`: no repair),
/// starting with every column present.
///
/// ## Details
///
/// With `P = I + Q/Λ` (`Λ` the largest exit rate, so `P` is stochastic), one step of length
/// `h = t/2ˢ` with `Λ·h ≤ 1/2` is `exp(Q·h) = Σ e^{−Λh} (Λh)ⁱ/i! · Pⁱ`, then squared `s`
/// times, each row renormalized to sum to 1. All terms are non-negative, so the entry of the
/// absorbing state, however small, carries the relative error of a few hundred roundings
/// (checked against 80-digit arithmetic down to 1e-34).
pub fn loss_probability(profile: Profile, lambda: f64, mu: f64, hours: f64) -> f64 {
	assert!(lambda >= 0.0 && mu >= 0.0 && hours >= 0.0, "rates and time are non-negative");
	let n = profile.columns() as f64;
	let m = profile.m as usize;
	let size = m + 2;
	let birth = |j: usize| (n - j as f64) * lambda;
	let death = |j: usize| j as f64 * mu;
	let uniform = (0..=m).map(|j| birth(j) + death(j)).fold(0.0, f64::max);
	if uniform == 0.0 || hours == 0.0 {
		return 0.0;
	}
	// The uniformized chain P: stochastic, the absorbing state's row is its own.
	let mut step = Matrix::zero(size);
	for j in 0..=m {
		let up = birth(j) / uniform;
		let down = death(j) / uniform;
		step.cells[j * size + j + 1] = up;
		if j > 0 {
			step.cells[j * size + j - 1] = down;
		}
		step.cells[j * size + j] = (1.0 - up - down).max(0.0);
	}
	step.cells[(m + 1) * size + m + 1] = 1.0;

	let mut squarings = 0u32;
	let mut x = uniform * hours;
	while x > 0.5 {
		x /= 2.0;
		squarings += 1;
	}
	// exp(Q·h) by the Poisson-weighted series of P's powers.
	let mut power = Matrix::identity(size);
	let mut weight = (-x).exp();
	let mut transition = Matrix::zero(size);
	transition.add_scaled(&power, weight);
	for i in 1..=SERIES_TERMS {
		power = power.product(&step);
		weight *= x / i as f64;
		if weight == 0.0 {
			break;
		}
		transition.add_scaled(&power, weight);
	}
	transition.normalize_rows();
	for _ in 0..squarings {
		transition = transition.product(&transition);
		transition.normalize_rows();
	}
	transition.at(0, m + 1).min(1.0)
}

/// Mean time to the loss of a file starting with every column present, in hours (the MTTDL).
///
/// The expected first-passage time of the birth-death chain, a sum of positive terms:
/// `Σⱼ Σᵢ≤ⱼ (1/bᵢ) Πᵢ<ₗ≤ⱼ dₗ/bₗ` with `bⱼ = (n − j)·λ` and `dⱼ = j·μ`.
pub fn mean_time_to_loss(profile: Profile, lambda: f64, mu: f64) -> f64 {
	let n = profile.columns() as f64;
	let mut total = 0.0;
	// Time to go from j to j + 1: t_j = 1/b_j + (d_j/b_j)·t_{j−1}.
	let mut climb = 0.0;
	for j in 0..=profile.m {
		let b = (n - j as f64) * lambda;
		let d = j as f64 * mu;
		climb = (1.0 + d * climb) / b;
		total += climb;
	}
	total
}

/// The long-run rate at which a file's lost columns reach `m + 1`, per hour, for any
/// distribution of the repair latency with mean `repair_hours`.
///
/// Until the file is lost its columns are independent: each is up for an exponential time
/// (mean `1/λ`) and down for a repair latency. So the number of columns down is binomial with
/// `p = λτ/(1 + λτ)` whatever the latency's distribution, and losses from `m` down happen at
/// `(n − m)·λ`. For rare losses the annual probability is this rate times a year, for fixed
/// as well as exponential latency.
pub fn stationary_loss_rate(profile: Profile, lambda: f64, repair_hours: f64) -> f64 {
	let n = profile.columns();
	let m = profile.m;
	let down = lambda * repair_hours / (1.0 + lambda * repair_hours);
	let mut choose = 1.0;
	for i in 0..m {
		choose = choose * (n - i) as f64 / (i + 1) as f64;
	}
	(n - m) as f64 * lambda * choose * down.powi(m as i32) * (1.0 - down).powi((n - m) as i32)
}

/// Probability that at least `at_least` of `n` independent trials succeed, each with
/// probability `q`: the binomial tail, summed term by term (no `1 − cdf`).
pub fn binomial_tail(n: u32, at_least: u32, q: f64) -> f64 {
	(at_least..=n)
		.map(|hits| {
			let choose = (0..hits).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64);
			choose * q.powi(hits as i32) * (1.0 - q).powi((n - hits) as i32)
		})
		.sum()
}

/// Share of files with more than `m` columns on the miners of one operator (or data centre)
/// whose miners carry `share` of the placement weight (a large network: each column lands on
/// them independently with probability `share`). The model's independence does not hold for
/// these files: the operator leaving, or the site failing, loses them at once, whatever the
/// repair latency.
pub fn concentrated_share(profile: Profile, share: f64) -> f64 {
	binomial_tail(profile.columns(), profile.m + 1, share)
}

/// The longest mean repair latency, in hours, for which a file of `profile` is lost within
/// `hours` with probability at most `target` at the given monthly churn.
///
/// `Some(f64::INFINITY)` when even no repair meets the target; `None` when no latency does
/// (`m = 0`: the first loss is fatal). The answer is found by bisection on a logarithmic
/// scale (the loss probability grows with the latency) to a relative precision of 1e-6.
pub fn max_repair_latency(
	profile: Profile,
	churn_per_month: f64,
	target: f64,
	hours: f64,
) -> Option<f64> {
	let lambda = column_loss_rate(churn_per_month);
	let loss = |latency: f64| loss_probability(profile, lambda, 1.0 / latency, hours);
	if loss_probability(profile, lambda, 0.0, hours) <= target {
		return Some(f64::INFINITY);
	}
	if profile.m == 0 {
		return None;
	}
	// A bracket [good, bad]: met at `good`, missed at `bad`.
	let (mut good, mut bad) = (1.0, 1.0);
	while loss(good) > target {
		good /= 16.0;
		if good < 1e-30 {
			return None;
		}
	}
	while loss(bad) <= target {
		bad *= 16.0;
	}
	while bad / good > 1.0 + 1e-6 {
		let mid = (good * bad).sqrt();
		if loss(mid) <= target {
			good = mid;
		} else {
			bad = mid;
		}
	}
	Some(good)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::chain;

	fn relative(a: f64, b: f64) -> f64 {
		(a - b).abs() / b.abs()
	}

	#[test]
	fn without_parity_the_first_loss_is_fatal() {
		for (k, churn, repair) in [(1, 0.1, 5.0), (3, 0.02, 100.0), (8, 0.3, 0.01), (2, 1e-6, 1.0)]
		{
			let s = Scenario {
				profile: Profile::new(k, 0),
				churn_per_month: churn,
				repair_hours: repair,
			};
			let expected = -(-(k as f64) * s.lambda() * HOURS_PER_YEAR).exp_m1();
			let got = s.annual_loss();
			assert!(relative(got, expected) < 1e-12, "{k}+0 at {churn}: {got} vs {expected}");
		}
	}

	/// Without repair a file is lost when more than `m` of its `n` columns are lost within
	/// the horizon: a binomial tail, summed term by term.
	#[test]
	fn without_repair_the_loss_is_a_binomial_tail() {
		for (profile, churn) in [
			(Profile::new(4, 8), 0.1),
			(Profile::new(4, 8), 0.001),
			(Profile::new(2, 4), 0.05),
			(Profile::new(2, 1), 0.3),
		] {
			let s = Scenario { profile, churn_per_month: churn, repair_hours: f64::INFINITY };
			let q = -(-s.lambda() * HOURS_PER_YEAR).exp_m1();
			let expected = binomial_tail(profile.columns(), profile.m + 1, q);
			let got = s.annual_loss();
			assert!(relative(got, expected) < 1e-12, "{profile} at {churn}: {got} vs {expected}");
		}
	}

	/// Rare losses: the year's probability is a year over the MTTDL, and the stationary rate
	/// times a year, to within the start-up transient: a file starting with every column needs
	/// about `H(m)` latencies (the harmonic number) to reach the stationary spread of lost
	/// columns, so it misses `H(m)·τ` out of a year.
	#[test]
	fn rare_losses_match_the_mean_time_to_loss() {
		for (profile, churn, repair) in [
			(Profile::new(4, 8), 0.1, chain::repair_bound_hours()),
			(Profile::new(4, 8), 0.02, 1.0),
			(Profile::new(2, 4), 0.1, 24.0),
			(Profile::new(2, 1), 0.02, 1.0),
		] {
			let s = Scenario { profile, churn_per_month: churn, repair_hours: repair };
			let p = s.annual_loss();
			assert!(p > 0.0 && p < 1e-3, "{profile}: {p} is not rare");
			let mttdl = mean_time_to_loss(profile, s.lambda(), s.mu());
			let by_mttdl = -(-HOURS_PER_YEAR / mttdl).exp_m1();
			let by_rate = HOURS_PER_YEAR * stationary_loss_rate(profile, s.lambda(), repair);
			let harmonic: f64 = (1..=profile.m).map(|i| 1.0 / i as f64).sum();
			let transient = (harmonic + 1.0) * repair / HOURS_PER_YEAR;
			assert!(relative(p, by_mttdl) < transient, "{profile}: {p} vs {by_mttdl}");
			let rate_error = transient + 2.0 * s.lambda() * repair * profile.columns() as f64;
			assert!(relative(p, by_rate) < rate_error, "{profile}: {p} vs {by_rate}");
		}
	}

	/// Reference values from the same generator's matrix exponential in 80-digit arithmetic
	/// (`mpmath.expm`), down to 1e-34.
	#[test]
	fn matches_an_arbitrary_precision_matrix_exponential() {
		let chain = chain::repair_bound_hours();
		for (profile, churn, repair, expected) in [
			(Profile::new(4, 8), 0.1, chain, 1.88816450423e-22),
			(Profile::new(4, 8), 0.02, 1.0, 1.64167060629e-34),
			(Profile::new(2, 4), 0.1, chain, 1.04106813141e-11),
			(Profile::new(2, 1), 0.3, 168.0, 0.777776121303),
			(Profile::new(4, 8), 0.3, 720.0, 0.0359156783997),
			(Profile::new(2, 1), 0.1, 9.138888888888889e-09, 9.99911235425e-12),
		] {
			let s = Scenario { profile, churn_per_month: churn, repair_hours: repair };
			let p = s.annual_loss();
			assert!(relative(p, expected) < 1e-10, "{profile}, {churn}, {repair} h: {p:e}");
		}
	}

	#[test]
	fn binomial_tails_add_up() {
		assert!((binomial_tail(3, 0, 0.3) - 1.0).abs() < 1e-15);
		assert!((binomial_tail(3, 3, 0.3) - 0.027).abs() < 1e-15);
		assert!((binomial_tail(2, 1, 0.5) - 0.75).abs() < 1e-15);
		assert!((concentrated_share(Profile::new(1, 0), 0.2) - 0.2).abs() < 1e-15);
		assert!(
			concentrated_share(Profile::new(4, 8), 0.1)
				< concentrated_share(Profile::new(2, 4), 0.1)
		);
	}

	#[test]
	fn more_churn_loses_more() {
		for profile in GENESIS_PROFILES {
			for repair in [1.0, 24.0, 720.0] {
				let mut last = 0.0;
				for churn in [0.001, 0.02, 0.05, 0.1, 0.2, 0.3, 0.6] {
					let s = Scenario { profile, churn_per_month: churn, repair_hours: repair };
					let p = s.annual_loss();
					assert!(p > last, "{profile}, {repair} h: {churn} gives {p} ≤ {last}");
					last = p;
				}
			}
		}
	}

	#[test]
	fn longer_latency_loses_more() {
		for profile in GENESIS_PROFILES {
			for churn in [0.02, 0.1, 0.3] {
				let mut last = 0.0;
				for repair in [0.01, 1.0, 5.0, 24.0, 168.0, 720.0, 1e5, f64::INFINITY] {
					let s = Scenario { profile, churn_per_month: churn, repair_hours: repair };
					let p = s.annual_loss();
					assert!(p > last, "{profile}, {churn}: {repair} h gives {p} ≤ {last}");
					last = p;
				}
			}
		}
	}

	/// The default profile meets 1e-11 per file-year at 10 % monthly churn with the latency the
	/// chain's parameters give.
	#[test]
	fn default_profile_meets_the_target_with_the_chains_latency() {
		let s = Scenario {
			profile: GENESIS_PROFILES[0],
			churn_per_month: 0.1,
			repair_hours: chain::repair_bound_hours(),
		};
		let p = s.annual_loss();
		assert!(p <= 1e-11, "4+8 at 10 %/month: {p}");
		let needed = max_repair_latency(s.profile, 0.1, 1e-11, HOURS_PER_YEAR).expect("reachable");
		assert!(needed > 10.0 * chain::repair_bound_hours(), "{needed} h");
	}

	#[test]
	fn the_largest_latency_meets_the_target_exactly() {
		for profile in GENESIS_PROFILES {
			for target in [1e-11, 1e-6] {
				let latency =
					max_repair_latency(profile, 0.1, target, HOURS_PER_YEAR).expect("reachable");
				let at = |h: f64| {
					Scenario { profile, churn_per_month: 0.1, repair_hours: h }.annual_loss()
				};
				assert!(at(latency) <= target, "{profile}: {} > {target}", at(latency));
				assert!(at(latency * 1.001) > target, "{profile}: not the largest");
			}
		}
		assert_eq!(max_repair_latency(Profile::new(4, 0), 0.1, 1e-11, HOURS_PER_YEAR), None);
		assert_eq!(
			max_repair_latency(Profile::new(4, 8), 1e-4, 1e-11, HOURS_PER_YEAR),
			Some(f64::INFINITY)
		);
	}
}
