//! Monte Carlo simulators of miner churn and repair, seeded (ChaCha8) so every run repeats.
//!
//! * [`simulate_files`]: files one at a time; each column's miner leaves after an exponential
//!   time, the column is rebuilt on a fresh miner after the repair latency. Files are
//!   independent, so the lost count is binomial: the tests' statistical bounds are exact.
//! * [`simulate_network`]: a fixed population of miners holding the columns of many files. A
//!   leaving miner takes every column it holds at once (a new miner takes its place), each
//!   becomes a repair that ends on a random miner holding no other column of the file. Files
//!   sharing a miner lose columns together, so their losses are correlated, but the loss
//!   probability of each file is the same as in [`simulate_files`].

use std::{cmp::Ordering, collections::BinaryHeap};

use rand_chacha::{
	rand_core::{RngCore, SeedableRng},
	ChaCha8Rng,
};

use crate::model::{column_loss_rate, Profile};

/// How long a lost column takes to come back on another miner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RepairLatency {
	/// Exponentially distributed with this mean, in hours (the exact model's assumption).
	Exponential(f64),
	/// Exactly this many hours.
	Fixed(f64),
}

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimConfig {
	/// The erasure profile of every file.
	pub profile: Profile,
	/// Probability that a miner leaves or loses its data within a month.
	pub churn_per_month: f64,
	/// The repair latency of each lost column.
	pub latency: RepairLatency,
	/// Files simulated.
	pub files: u32,
	/// Simulated time, in hours; every file starts with all its columns.
	pub hours: f64,
	/// The seed of the run.
	pub seed: u64,
}

/// What a run found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimOutcome {
	/// Files simulated.
	pub files: u32,
	/// Files that lost more than `m` columns at once within the simulated time.
	pub lost: u32,
	/// Columns lost (miner departures times the columns they held).
	pub column_losses: u64,
}

impl SimOutcome {
	/// The fraction of files lost.
	pub fn loss_fraction(&self) -> f64 {
		self.lost as f64 / self.files as f64
	}

	/// The binomial standard error of [`Self::loss_fraction`] around the probability `p`.
	pub fn standard_error(&self, p: f64) -> f64 {
		(p * (1.0 - p) / self.files as f64).sqrt()
	}
}

/// The run's random numbers.
struct Random(ChaCha8Rng);

impl Random {
	fn new(seed: u64) -> Self {
		Self(ChaCha8Rng::seed_from_u64(seed))
	}

	/// Uniform in (0, 1].
	fn unit(&mut self) -> f64 {
		((self.0.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
	}

	/// Exponential with the given rate (infinite for rate 0).
	fn exponential(&mut self, rate: f64) -> f64 {
		-self.unit().ln() / rate
	}

	/// Uniform in `0..bound`.
	fn below(&mut self, bound: u32) -> u32 {
		((self.0.next_u32() as u64 * bound as u64) >> 32) as u32
	}

	fn latency(&mut self, latency: RepairLatency) -> f64 {
		match latency {
			RepairLatency::Exponential(mean) => mean * -self.unit().ln(),
			RepairLatency::Fixed(hours) => hours,
		}
	}
}

/// Simulates `config.files` independent files.
pub fn simulate_files(config: &SimConfig) -> SimOutcome {
	let mut rng = Random::new(config.seed);
	let lambda = column_loss_rate(config.churn_per_month);
	let n = config.profile.columns() as usize;
	let mut next = vec![0.0; n];
	let mut down = vec![false; n];
	let (mut lost, mut column_losses) = (0, 0);
	for _ in 0..config.files {
		for column in 0..n {
			next[column] = rng.exponential(lambda);
			down[column] = false;
		}
		let mut lost_now = 0;
		loop {
			let (column, at) = next
				.iter()
				.copied()
				.enumerate()
				.min_by(|a, b| a.1.total_cmp(&b.1))
				.expect("a column");
			if at > config.hours {
				break;
			}
			if down[column] {
				down[column] = false;
				lost_now -= 1;
				next[column] = at + rng.exponential(lambda);
			} else {
				down[column] = true;
				lost_now += 1;
				column_losses += 1;
				if lost_now > config.profile.m {
					lost += 1;
					break;
				}
				next[column] = at + rng.latency(config.latency);
			}
		}
	}
	SimOutcome { files: config.files, lost, column_losses }
}

/// An event of [`simulate_network`], ordered by time (earliest first in the heap).
#[derive(Clone, Copy, Debug)]
struct Event {
	at: f64,
	what: What,
}

#[derive(Clone, Copy, Debug)]
enum What {
	/// The miner in this slot leaves; a new one takes the slot.
	Leave { slot: u32 },
	/// A column of a file is rebuilt on another miner.
	Repaired { file: u32, column: u32 },
}

impl PartialEq for Event {
	fn eq(&self, other: &Self) -> bool {
		self.cmp(other) == Ordering::Equal
	}
}

impl Eq for Event {}

impl PartialOrd for Event {
	fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
		Some(self.cmp(other))
	}
}

impl Ord for Event {
	fn cmp(&self, other: &Self) -> Ordering {
		other.at.total_cmp(&self.at)
	}
}

/// A column on the network: which miner slot holds it (`None` while it is being repaired).
type Placement = Option<u32>;

/// Simulates `config.files` files on a network of `miners` miners (at least the number of
/// columns of a file).
pub fn simulate_network(config: &SimConfig, miners: u32) -> SimOutcome {
	let n = config.profile.columns();
	assert!(miners >= n, "a file's columns need {n} distinct miners");
	let mut rng = Random::new(config.seed);
	let lambda = column_loss_rate(config.churn_per_month);
	let mut queue = BinaryHeap::new();
	let mut holdings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); miners as usize];
	let mut placement: Vec<Placement> = Vec::with_capacity((config.files * n) as usize);
	let mut lost_now = vec![0u32; config.files as usize];
	let mut dead = vec![false; config.files as usize];

	// Picks a miner holding no other column of `file`.
	let pick = |rng: &mut Random, placement: &[Placement], file: u32| loop {
		let slot = rng.below(miners);
		let columns = &placement[(file * n) as usize..((file + 1) * n) as usize];
		if !columns.contains(&Some(slot)) {
			return slot;
		}
	};
	for file in 0..config.files {
		placement.extend(std::iter::repeat_n(None, n as usize));
		for column in 0..n {
			let slot = pick(&mut rng, &placement, file);
			placement[(file * n + column) as usize] = Some(slot);
			holdings[slot as usize].push((file, column));
		}
	}
	for slot in 0..miners {
		queue.push(Event { at: rng.exponential(lambda), what: What::Leave { slot } });
	}

	let (mut lost, mut column_losses) = (0, 0);
	while let Some(Event { at, what }) = queue.pop() {
		if at > config.hours {
			break;
		}
		match what {
			What::Leave { slot } => {
				for (file, column) in std::mem::take(&mut holdings[slot as usize]) {
					placement[(file * n + column) as usize] = None;
					column_losses += 1;
					if dead[file as usize] {
						continue;
					}
					lost_now[file as usize] += 1;
					if lost_now[file as usize] > config.profile.m {
						dead[file as usize] = true;
						lost += 1;
						continue;
					}
					let done = at + rng.latency(config.latency);
					queue.push(Event { at: done, what: What::Repaired { file, column } });
				}
				queue.push(Event { at: at + rng.exponential(lambda), what: What::Leave { slot } });
			},
			What::Repaired { file, column } => {
				if dead[file as usize] {
					continue;
				}
				let slot = pick(&mut rng, &placement, file);
				placement[(file * n + column) as usize] = Some(slot);
				holdings[slot as usize].push((file, column));
				lost_now[file as usize] -= 1;
			},
		}
	}
	SimOutcome { files: config.files, lost, column_losses }
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		model::{stationary_loss_rate, Scenario},
		HOURS_PER_YEAR,
	};

	/// Cases with losses frequent enough to count: (profile, monthly churn, mean latency in
	/// hours, files).
	const FREQUENT: [(Profile, f64, f64, u32); 4] = [
		(Profile::new(2, 1), 0.3, 168.0, 4_000),
		(Profile::new(2, 1), 0.05, 24.0, 40_000),
		(Profile::new(2, 4), 0.3, 720.0, 10_000),
		(Profile::new(4, 8), 0.5, 720.0, 10_000),
	];

	fn exact(profile: Profile, churn: f64, repair: f64) -> f64 {
		Scenario { profile, churn_per_month: churn, repair_hours: repair }.annual_loss()
	}

	fn config(profile: Profile, churn: f64, latency: RepairLatency, files: u32) -> SimConfig {
		SimConfig {
			profile,
			churn_per_month: churn,
			latency,
			files,
			hours: HOURS_PER_YEAR,
			seed: 7,
		}
	}

	/// Independent files: the lost count is binomial around the exact probability; five
	/// standard errors (the seed is fixed, so the outcome is too).
	#[test]
	fn simulated_files_match_the_exact_model() {
		for (profile, churn, repair, files) in FREQUENT {
			let p = exact(profile, churn, repair);
			let run =
				simulate_files(&config(profile, churn, RepairLatency::Exponential(repair), files));
			assert!(run.lost >= 50, "{profile}: only {} losses to count", run.lost);
			let error = (run.loss_fraction() - p).abs();
			assert!(
				error < 5.0 * run.standard_error(p),
				"{profile} at {churn}, {repair} h: simulated {} vs exact {p}",
				run.loss_fraction()
			);
		}
	}

	/// A network of miners holding many files: the per-file probability is the model's. Files
	/// sharing a miner lose columns together, so the bound allows twice the binomial spread.
	#[test]
	fn a_simulated_network_matches_the_exact_model() {
		for (profile, churn, repair, files, miners) in [
			(Profile::new(2, 1), 0.3, 168.0, 4_000, 2_000),
			(Profile::new(2, 4), 0.3, 720.0, 4_000, 2_000),
		] {
			let p = exact(profile, churn, repair);
			let run = simulate_network(
				&config(profile, churn, RepairLatency::Exponential(repair), files),
				miners,
			);
			let error = (run.loss_fraction() - p).abs();
			assert!(
				error < 10.0 * run.standard_error(p),
				"{profile} at {churn}, {repair} h on {miners} miners: simulated {} vs exact {p}",
				run.loss_fraction()
			);
		}
	}

	/// Where losses are rare the repair latency's distribution does not matter, only its mean
	/// (`model::stationary_loss_rate`): a fixed latency gives the exponential model's
	/// probability.
	#[test]
	fn a_fixed_latency_matches_the_model_where_losses_are_rare() {
		for (profile, churn, repair, files) in
			[(Profile::new(2, 1), 0.05, 24.0, 100_000), (Profile::new(2, 1), 0.1, 5.0, 100_000)]
		{
			let p = exact(profile, churn, repair);
			assert!(p < 1e-2, "{profile}: {p} is not rare");
			let run = simulate_files(&config(profile, churn, RepairLatency::Fixed(repair), files));
			assert!(run.lost >= 400, "{profile}: only {} losses to count", run.lost);
			let error = (run.loss_fraction() - p).abs();
			assert!(
				error < 5.0 * run.standard_error(p),
				"{profile}: fixed {} vs {p}",
				run.loss_fraction()
			);
		}
	}

	/// Where losses are frequent a fixed latency loses more than an exponential one of the same
	/// mean (the exponential's repeated near-misses cluster, a fixed latency's do not), but
	/// stays below `1 − exp(−rate·t)` of the stationary rate.
	#[test]
	fn a_fixed_latency_loses_more_where_losses_are_frequent() {
		for (profile, churn, repair, files) in FREQUENT {
			let p = exact(profile, churn, repair);
			let run = simulate_files(&config(profile, churn, RepairLatency::Fixed(repair), files));
			let rate = stationary_loss_rate(profile, column_loss_rate(churn), repair);
			let ceiling = -(-rate * HOURS_PER_YEAR).exp_m1();
			let spread = 5.0 * run.standard_error(p);
			let fixed = run.loss_fraction();
			assert!(
				fixed > p - spread && fixed < ceiling + spread,
				"{profile}: {p} ≤ {fixed} ≤ {ceiling}?"
			);
		}
	}

	#[test]
	fn the_same_seed_gives_the_same_run() {
		let c = config(Profile::new(2, 1), 0.3, RepairLatency::Fixed(100.0), 500);
		assert_eq!(simulate_files(&c), simulate_files(&c));
		assert_eq!(simulate_network(&c, 50), simulate_network(&c, 50));
		let other = SimConfig { seed: 8, ..c };
		assert_ne!(simulate_network(&c, 50), simulate_network(&other, 50));
	}

	/// Churn alone: about `n·λ` column losses per file-year when files are rarely lost.
	#[test]
	fn columns_are_lost_at_the_churn_rate() {
		let c = config(Profile::new(4, 8), 0.1, RepairLatency::Exponential(5.0), 20_000);
		let expected = 12.0 * column_loss_rate(0.1) * HOURS_PER_YEAR * 20_000.0;
		for run in [simulate_files(&c), simulate_network(&c, 5_000)] {
			assert_eq!(run.lost, 0);
			let relative = (run.column_losses as f64 - expected).abs() / expected;
			assert!(relative < 0.02, "{} column losses vs {expected}", run.column_losses);
		}
	}
}
