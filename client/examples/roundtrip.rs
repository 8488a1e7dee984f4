//! Round trip of a large generated file through a directory store, reporting peak memory.
//!
//! ```text
//! cargo run --release --example roundtrip -- [SIZE_MIB=1024] [K=4] [M=8] [HASH_THREADS=1] [DIR]
//! ```
//!
//! The input is generated on the fly and hashed as it is read, the output is hashed as it is
//! written, so neither is ever held in memory: the peak RSS (`VmHWM` from `/proc/self/status`) is
//! what the pipeline itself needs. Before decoding, the first `m` columns are deleted, so every
//! segment is rebuilt from the parity columns alone (the most expensive download).

use std::{
	io::{self, Read, Write},
	time::Instant,
};

use cess_client::{decode, encode, DataKey, Decryption, DirStore, EncodeOptions, Encryption};
use cess_primitives::types::{ErasureProfile, DEFAULT_SEGMENT_SIZE};
use sha2::{Digest, Sha256};

/// Pseudo-random bytes, hashed as they are handed out.
struct Generated {
	left: u64,
	state: u64,
	hash: Sha256,
}

impl Read for Generated {
	fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
		let n = buf.len().min(self.left.min(1 << 20) as usize);
		for chunk in buf[..n].chunks_mut(8) {
			self.state ^= self.state << 13;
			self.state ^= self.state >> 7;
			self.state ^= self.state << 17;
			chunk.copy_from_slice(&self.state.to_le_bytes()[..chunk.len()]);
		}
		self.hash.update(&buf[..n]);
		self.left -= n as u64;
		Ok(n)
	}
}

/// Hashes and counts what is written.
struct Hashing {
	hash: Sha256,
	written: u64,
}

impl Write for Hashing {
	fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
		self.hash.update(buf);
		self.written += buf.len() as u64;
		Ok(buf.len())
	}
	fn flush(&mut self) -> io::Result<()> {
		Ok(())
	}
}

/// A `/proc/self/status` field in kB.
fn status_kb(field: &str) -> u64 {
	std::fs::read_to_string("/proc/self/status")
		.ok()
		.and_then(|s| {
			s.lines()
				.find(|l| l.starts_with(field))
				.and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
		})
		.unwrap_or(0)
}

/// CPU time (user + system) of the whole process in seconds, every thread included, from
/// `/proc/self/stat` (clock ticks, assumed 100 per second as on every Linux build we ship).
fn process_cpu_seconds() -> f64 {
	std::fs::read_to_string("/proc/self/stat")
		.ok()
		.and_then(|s| {
			// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
			let rest = s.rsplit_once(')')?.1;
			let fields: Vec<&str> = rest.split_whitespace().collect();
			let utime: u64 = fields.get(11)?.parse().ok()?;
			let stime: u64 = fields.get(12)?.parse().ok()?;
			Some((utime + stime) as f64 / 100.0)
		})
		.unwrap_or(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
	let size = arg(0, 1024) << 20;
	let (k, m) = (arg(1, 4) as u8, arg(2, 8) as u8);
	let threads = arg(3, 1) as usize;
	let tmp;
	let dir = match args.get(4) {
		Some(d) => std::path::PathBuf::from(d),
		None => {
			tmp = tempfile::tempdir()?;
			tmp.path().to_path_buf()
		},
	};
	let options = EncodeOptions {
		profile: ErasureProfile::new(k, m),
		segment_size: DEFAULT_SEGMENT_SIZE,
		hash_threads: threads,
	};
	let key = DataKey::generate();
	let mb = size as f64 / 1e6;
	println!(
		"round trip: {} MiB, profile {k}+{m}, segments of {} MiB, {threads} hash thread(s), store {}",
		size >> 20,
		DEFAULT_SEGMENT_SIZE >> 20,
		dir.display()
	);

	let mut store = DirStore::create(&dir)?;
	let mut input = Generated { left: size, state: 0x0123_4567_89ab_cdef, hash: Sha256::new() };
	let (start, cpu) = (Instant::now(), process_cpu_seconds());
	let manifest = encode(&mut input, size, Encryption::Encrypted(&key), &options, &mut store)?;
	let (wall, cpu) = (start.elapsed().as_secs_f64(), process_cpu_seconds() - cpu);
	println!(
		"encode: {:.2} s wall ({:.0} MB/s), {:.2} s CPU ({:.0} MB/s per CPU-second), {} fragments, stored {} MiB",
		wall,
		mb / wall,
		cpu,
		mb / cpu,
		manifest.fragment_hashes().len(),
		manifest.layout().stored_bytes() >> 20
	);
	let rss_after_encode = status_kb("VmHWM:");

	for column in 0..u16::from(m) {
		std::fs::remove_dir_all(dir.join(format!("col-{column:02}")))?;
	}
	let mut output = Hashing { hash: Sha256::new(), written: 0 };
	let (start, cpu) = (Instant::now(), process_cpu_seconds());
	let report = decode(&manifest, &mut store, Decryption::Key(&key), &mut output)?;
	let (wall, cpu) = (start.elapsed().as_secs_f64(), process_cpu_seconds() - cpu);
	println!(
		"decode (columns 0..{m} deleted, {} of {} segments rebuilt): {:.2} s wall ({:.0} MB/s), {:.2} s CPU ({:.0} MB/s per CPU-second)",
		report.segments_reconstructed,
		report.segments,
		wall,
		mb / wall,
		cpu,
		mb / cpu
	);

	let same = output.written == size && output.hash.finalize() == input.hash.finalize();
	let peak = status_kb("VmHWM:");
	println!("output identical: {same}");
	println!("peak RSS (VmHWM): {} MiB (after encode: {} MiB)", peak >> 10, rss_after_encode >> 10);
	if !same {
		return Err("round trip output differs from the input".into());
	}
	if peak > 512 << 10 {
		return Err(format!("peak RSS {} MiB is above 512 MiB", peak >> 10).into());
	}
	Ok(())
}
