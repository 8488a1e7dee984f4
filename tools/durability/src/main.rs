//! `cess-durability`: prints the tables of `docs/durability.md`, or evaluates one case with the
//! exact model and, optionally, the Monte Carlo simulators.

use clap::{Parser, Subcommand};

use cess_durability::{
	model::{max_repair_latency, mean_time_to_loss, stationary_loss_rate, Profile, Scenario},
	sim::{simulate_files, simulate_network, RepairLatency, SimConfig},
	tables, HOURS_PER_YEAR,
};

#[derive(Parser)]
#[command(about = "Annual file-loss probability of CESS erasure profiles under miner churn")]
struct Opt {
	#[command(subcommand)]
	command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
	/// Print the generated block of docs/durability.md (the default).
	Tables,
	/// The exact model for one case: loss probability, MTTDL, the latency a target needs.
	Model {
		#[command(flatten)]
		case: Case,
		/// Target loss probability per file-year for the latency search.
		#[arg(long, default_value_t = tables::TARGET)]
		target: f64,
	},
	/// Monte Carlo runs of one case beside the exact model.
	Simulate {
		#[command(flatten)]
		case: Case,
		/// Files simulated.
		#[arg(long, default_value_t = 10_000)]
		files: u32,
		/// Miners of the network simulation; 0 simulates independent files.
		#[arg(long, default_value_t = 0)]
		miners: u32,
		/// A fixed repair latency instead of an exponential one of the same mean.
		#[arg(long)]
		fixed: bool,
		/// Seed of the run.
		#[arg(long, default_value_t = 1)]
		seed: u64,
	},
}

#[derive(clap::Args)]
struct Case {
	/// Data fragments per segment.
	#[arg(long, default_value_t = 4)]
	k: u32,
	/// Parity fragments per segment.
	#[arg(long, default_value_t = 8)]
	m: u32,
	/// Monthly churn: probability that a miner leaves or loses its data within a month.
	#[arg(long, default_value_t = 0.1)]
	churn: f64,
	/// Mean repair latency in hours (loss detection + restoral).
	#[arg(long, default_value_t = cess_durability::chain::repair_bound_hours())]
	latency_hours: f64,
	/// Horizon in years.
	#[arg(long, default_value_t = 1.0)]
	years: f64,
}

impl Case {
	fn scenario(&self) -> Scenario {
		Scenario {
			profile: Profile::new(self.k, self.m),
			churn_per_month: self.churn,
			repair_hours: self.latency_hours,
		}
	}
}

fn main() {
	match Opt::parse().command.unwrap_or(Command::Tables) {
		Command::Tables => print!("{}", tables::markdown()),
		Command::Model { case, target } => {
			let s = case.scenario();
			let hours = case.years * HOURS_PER_YEAR;
			let mttdl = mean_time_to_loss(s.profile, s.lambda(), s.mu());
			let rate = stationary_loss_rate(s.profile, s.lambda(), s.repair_hours);
			let needed = max_repair_latency(s.profile, s.churn_per_month, target, hours)
				.map_or("unreachable".into(), tables::duration);
			println!(
				"{} at {} % monthly churn, mean repair latency {}, over {} year(s)",
				s.profile,
				s.churn_per_month * 100.0,
				tables::duration(s.repair_hours),
				case.years
			);
			println!("loss probability:                {:.4e}", s.loss_within(hours));
			println!("mean time to loss:               {:.4e} years", mttdl / HOURS_PER_YEAR);
			if rate.is_finite() {
				println!("stationary loss rate × horizon:  {:.4e}", rate * hours);
			}
			println!("longest mean latency for {target:.0e}: {needed}");
		},
		Command::Simulate { case, files, miners, fixed, seed } => {
			let s = case.scenario();
			let latency = if fixed {
				RepairLatency::Fixed(s.repair_hours)
			} else {
				RepairLatency::Exponential(s.repair_hours)
			};
			let config = SimConfig {
				profile: s.profile,
				churn_per_month: s.churn_per_month,
				latency,
				files,
				hours: case.years * HOURS_PER_YEAR,
				seed,
			};
			let run = if miners == 0 {
				simulate_files(&config)
			} else {
				simulate_network(&config, miners)
			};
			let exact = s.loss_within(config.hours);
			println!(
				"{:?}: {} of {} files lost ({:.3e} ± {:.1e}); exact model {:.3e}; {} column losses",
				latency,
				run.lost,
				run.files,
				run.loss_fraction(),
				run.standard_error(exact),
				exact,
				run.column_losses
			);
		},
	}
}
