//! The S3 gateway with real S3 clients: a dev node, four miners, `cess-gateway` and aws-cli
//! (PyPI) and rclone (Debian), installed by `scripts/test.sh` (`ensure_s3_clients`). A bucket is
//! made; a small file and a 100 MiB one (multipart, parts spread over several extents) are
//! uploaded; listings by prefix and delimiter; both download byte-identical (the large one in
//! parallel ranged GETs), again from the segment cache; a range through a presigned URL with
//! curl; a copy; rclone stores, lists and reads back; a wrong secret gets
//! `SignatureDoesNotMatch`, a missing key `NoSuchKey`; an abandoned multipart upload is swept and
//! its part deleted; the objects and the bucket are deleted, and every file the gateway stored
//! is released.

mod common;

use common::{
	cluster::{bin, cess, random_file, start_miners, wait_for},
	free_port, temp_dir, Node, NodeConfig,
};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

const ACCESS: &str = "CESSE2EACCESSKEY0001";
const SECRET: &str = "e2e/secret+key/0123456789abcdefghijklmnopq";

/// A `cess-gateway` process, killed on drop.
struct Gateway {
	child: Child,
	port: u16,
	metrics: u16,
	dir: PathBuf,
}

impl Drop for Gateway {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Gateway {
	/// Starts the gateway with `args` beside the key file, ports and state directory.
	fn start(rpc: &str, dir: &Path, args: &[&str]) -> Self {
		let keys = dir.join("keys");
		std::fs::write(&keys, format!("# e2e\n{ACCESS} {SECRET} //Alice\n")).unwrap();
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o600)).unwrap();
		let (port, metrics) = (free_port(), free_port());
		let log = std::fs::File::create(dir.join("gateway.log")).unwrap();
		let child = Command::new(bin("cess-gateway"))
			.args(["--rpc-url", rpc, "--keys"])
			.arg(&keys)
			.args(["--listen", &format!("127.0.0.1:{port}")])
			.args(["--metrics", &format!("127.0.0.1:{metrics}")])
			.arg("--state-dir")
			.arg(dir.join("state"))
			.args(["--log", "info,cess-client::upload=debug"])
			.args(args)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("start cess-gateway");
		let gateway = Gateway { child, port, metrics, dir: dir.into() };
		wait_for("the gateway to listen", Duration::from_secs(60), || {
			std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
		});
		gateway
	}

	fn endpoint(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}

	fn metric(&self, name: &str) -> f64 {
		let out = Command::new("curl")
			.args(["-sf", &format!("http://127.0.0.1:{}/metrics", self.metrics)])
			.output()
			.unwrap();
		let text = String::from_utf8_lossy(&out.stdout);
		text.lines()
			.filter(|l| l.starts_with(name))
			.filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
			.sum()
	}

	fn log(&self) -> String {
		std::fs::read_to_string(self.dir.join("gateway.log")).unwrap_or_default()
	}

	fn aws_with(&self, secret: &str, args: &[&str]) -> Output {
		let config = self.dir.join("aws-config");
		if !config.exists() {
			std::fs::write(
				&config,
				"[default]\nregion = us-east-1\ns3 =\n  multipart_threshold = 16MB\n  \
				 multipart_chunksize = 32MB\n  max_concurrent_requests = 4\n  addressing_style = path\n",
			)
			.unwrap();
		}
		Command::new(tool("CESS_AWS", ".cache/cess-tools/awscli/bin/aws", "aws"))
			.args(["--endpoint-url", &self.endpoint(), "--cli-read-timeout", "900"])
			.args(args)
			.env("AWS_ACCESS_KEY_ID", ACCESS)
			.env("AWS_SECRET_ACCESS_KEY", secret)
			.env("AWS_CONFIG_FILE", &config)
			.env("AWS_SHARED_CREDENTIALS_FILE", self.dir.join("no-credentials"))
			.env_remove("AWS_PROFILE")
			.output()
			.expect("run aws")
	}

	/// Runs aws-cli, which must succeed: its stdout.
	fn aws(&self, args: &[&str]) -> String {
		let started = Instant::now();
		let out = self.aws_with(SECRET, args);
		assert!(
			out.status.success(),
			"aws {args:?} failed:\n{}\n{}\n---- gateway log ----\n{}",
			String::from_utf8_lossy(&out.stdout),
			String::from_utf8_lossy(&out.stderr),
			tail(&self.log(), 60)
		);
		eprintln!(
			"aws {} {} ({:.1} s)",
			args[0],
			args.get(1).unwrap_or(&""),
			started.elapsed().as_secs_f64()
		);
		String::from_utf8_lossy(&out.stdout).into_owned()
	}

	/// Runs aws-cli, which must fail: its stderr.
	fn aws_fails(&self, secret: &str, args: &[&str]) -> String {
		let out = self.aws_with(secret, args);
		assert!(!out.status.success(), "aws {args:?} succeeded");
		String::from_utf8_lossy(&out.stderr).into_owned()
	}

	fn rclone(&self, args: &[&str]) -> String {
		let out = Command::new(tool("CESS_RCLONE", "", "rclone"))
			.args(["--config", "/dev/null", "--retries", "1"])
			.args(args)
			.env("RCLONE_CONFIG_CESS_TYPE", "s3")
			.env("RCLONE_CONFIG_CESS_PROVIDER", "Other")
			.env("RCLONE_CONFIG_CESS_ACCESS_KEY_ID", ACCESS)
			.env("RCLONE_CONFIG_CESS_SECRET_ACCESS_KEY", SECRET)
			.env("RCLONE_CONFIG_CESS_ENDPOINT", self.endpoint())
			.env("RCLONE_CONFIG_CESS_REGION", "us-east-1")
			.env("RCLONE_CONFIG_CESS_FORCE_PATH_STYLE", "true")
			// A CA bundle set for HTTPS elsewhere makes rclone's S3 client refuse plain HTTP.
			.env_remove("AWS_CA_BUNDLE")
			.output()
			.expect("run rclone");
		assert!(
			out.status.success(),
			"rclone {args:?} failed:\n{}\n---- gateway log ----\n{}",
			String::from_utf8_lossy(&out.stderr),
			tail(&self.log(), 60)
		);
		String::from_utf8_lossy(&out.stdout).into_owned()
	}
}

fn tail(text: &str, lines: usize) -> String {
	let all: Vec<&str> = text.lines().collect();
	all[all.len().saturating_sub(lines)..].join("\n")
}

/// The client `env` names (set by `ensure_s3_clients`), else `home_path` under $HOME, else
/// `name` on the PATH.
fn tool(env: &str, home_path: &str, name: &str) -> PathBuf {
	if let Ok(path) = std::env::var(env) {
		return path.into();
	}
	let home = std::env::var("HOME").map(PathBuf::from).unwrap_or_default();
	if !home_path.is_empty() && home.join(home_path).exists() {
		return home.join(home_path);
	}
	let found = Command::new("sh").args(["-c", &format!("command -v {name}")]).output().unwrap();
	assert!(
		found.status.success(),
		"{name} is not installed: run `source scripts/lib/env.sh && ensure_s3_clients` (scripts/test.sh does)"
	);
	String::from_utf8_lossy(&found.stdout).trim().into()
}

fn same_bytes(a: &Path, b: &Path) {
	let (x, y) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
	assert_eq!(x.len(), y.len(), "{} and {} differ in length", a.display(), b.display());
	assert!(x == y, "{} and {} differ", a.display(), b.display());
}

/// Alice's stored files, from `cess ls`.
fn stored_files(rpc: &str) -> usize {
	cess(rpc, &["ls"])
		.lines()
		.filter(|l| l.split_whitespace().next().is_some_and(|w| w.len() == 64))
		.count()
}

#[test]
fn s3_clients_store_list_read_copy_and_delete_through_the_gateway() {
	let mut node = Node::start(NodeConfig::new("s3", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let rpc = node.ws_url();
	let dir = temp_dir("s3-gateway");
	let _miners = start_miners(&rpc);
	cess(&rpc, &["buy-space", "--gib", "4", "--days", "30"]);
	// Small extents, so a 32 MiB part spans several files; a short abandonment time; few
	// segment slots and a short send timeout, so stalled readers are seen.
	let gateway = Gateway::start(
		&rpc,
		&dir,
		&[
			"--extent-mib",
			"16",
			"--abandon-after",
			"40",
			"--read-segments",
			"3",
			"--send-timeout",
			"10",
		],
	);

	let small = dir.join("small.txt");
	std::fs::write(&small, "hello from an S3 client\n").unwrap();
	let big = dir.join("big.bin");
	random_file(&big, (100 << 20) + 12_345, 3);

	gateway.aws(&["s3", "mb", "s3://photos"]);
	assert!(gateway.aws(&["s3", "ls"]).contains("photos"));
	gateway.aws(&["s3", "cp", small.to_str().unwrap(), "s3://photos/docs/small.txt"]);
	let started = Instant::now();
	gateway.aws(&["s3", "cp", big.to_str().unwrap(), "s3://photos/media/big.bin"]);
	eprintln!("100 MiB multipart PUT in {:.1} s", started.elapsed().as_secs_f64());

	// Listings: one level under the root, then inside a prefix.
	let root = gateway.aws(&["s3api", "list-objects-v2", "--bucket", "photos", "--delimiter", "/"]);
	assert!(root.contains("\"docs/\"") && root.contains("\"media/\""), "{root}");
	assert!(!root.contains("small.txt"), "{root}");
	let docs = gateway.aws(&["s3", "ls", "s3://photos/docs/"]);
	assert!(docs.contains("small.txt") && docs.contains(" 24 "), "{docs}");
	let head =
		gateway.aws(&["s3api", "head-object", "--bucket", "photos", "--key", "media/big.bin"]);
	assert!(head.contains("\"ContentLength\": 104869945") && head.contains("-4\\\""), "{head}");

	// Downloads, byte-identical; the second read of the large object comes from the cache.
	let out = dir.join("out");
	std::fs::create_dir_all(&out).unwrap();
	gateway.aws(&[
		"s3",
		"cp",
		"s3://photos/docs/small.txt",
		out.join("small.txt").to_str().unwrap(),
	]);
	same_bytes(&small, &out.join("small.txt"));
	let started = Instant::now();
	gateway.aws(&["s3", "cp", "s3://photos/media/big.bin", out.join("big.bin").to_str().unwrap()]);
	eprintln!("100 MiB GET (uncached) in {:.1} s", started.elapsed().as_secs_f64());
	same_bytes(&big, &out.join("big.bin"));
	let misses = gateway.metric("cess_gateway_cache_misses_total");
	let started = Instant::now();
	gateway.aws(&[
		"s3",
		"cp",
		"s3://photos/media/big.bin",
		out.join("again.bin").to_str().unwrap(),
	]);
	eprintln!("100 MiB GET (cached) in {:.1} s", started.elapsed().as_secs_f64());
	same_bytes(&big, &out.join("again.bin"));
	assert_eq!(gateway.metric("cess_gateway_cache_misses_total"), misses, "no miner was asked");
	assert!(gateway.metric("cess_gateway_cache_hits_total") >= 4.0);

	// A range through a presigned URL.
	let url = gateway.aws(&["s3", "presign", "s3://photos/media/big.bin", "--expires-in", "600"]);
	let ranged = dir.join("ranged");
	let curl = Command::new("curl")
		.args([
			"-s",
			"-o",
			ranged.to_str().unwrap(),
			"-w",
			"%{http_code}",
			"-r",
			"50000000-50999999",
		])
		.arg(url.trim())
		.output()
		.unwrap();
	assert_eq!(String::from_utf8_lossy(&curl.stdout), "206");
	assert!(
		std::fs::read(&ranged).unwrap() == std::fs::read(&big).unwrap()[50_000_000..51_000_000]
	);

	// Bounded under bad clients: readers that stop reading hold every segment slot until the
	// send timeout drops them; meanwhile many concurrent ranged reads queue and all succeed.
	let path_and_query = url.trim().splitn(4, '/').nth(3).unwrap().to_string();
	let stalled: Vec<std::net::TcpStream> = (0..3)
		.map(|_| {
			let mut stream = std::net::TcpStream::connect(("127.0.0.1", gateway.port)).unwrap();
			let request = format!(
				"GET /{path_and_query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
				gateway.port
			);
			std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
			stream
		})
		.collect();
	std::thread::sleep(Duration::from_secs(2));
	let started = Instant::now();
	let readers: Vec<_> = (0..24u64)
		.map(|i| {
			let (url, dir) = (url.trim().to_string(), dir.clone());
			std::thread::spawn(move || {
				let start = i * 4_000_000 + 7;
				let file = dir.join(format!("concurrent-{i}"));
				let out = Command::new("curl")
					.args(["-s", "-o", file.to_str().unwrap(), "-w", "%{http_code}", "-r"])
					.arg(format!("{start}-{}", start + 99_999))
					.arg(&url)
					.output()
					.unwrap();
				(start as usize, file, String::from_utf8_lossy(&out.stdout).into_owned())
			})
		})
		.collect();
	let original = std::fs::read(&big).unwrap();
	for reader in readers {
		let (start, file, status) = reader.join().unwrap();
		assert_eq!(
			status,
			"206",
			"ranged GET at {start}: {}\n---- gateway log ----\n{}",
			String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()),
			tail(&gateway.log(), 60)
		);
		assert!(std::fs::read(&file).unwrap() == original[start..start + 100_000]);
	}
	eprintln!(
		"24 concurrent ranged GETs beside 3 stalled readers in {:.1} s",
		started.elapsed().as_secs_f64()
	);
	assert!(
		gateway.log().matches("client too slow").count() >= 3,
		"the stalled readers were dropped"
	);
	drop(stalled);

	// A copy names the same files: same ETag, same bytes.
	gateway.aws(&["s3", "cp", "s3://photos/docs/small.txt", "s3://photos/docs/copy.txt"]);
	let etag = |key: &str| {
		let head = gateway.aws(&["s3api", "head-object", "--bucket", "photos", "--key", key]);
		head.lines().find(|l| l.contains("ETag")).unwrap_or_default().to_string()
	};
	assert_eq!(etag("docs/copy.txt"), etag("docs/small.txt"));

	// rclone: store, list and read back.
	let rclone_file = dir.join("rclone.bin");
	random_file(&rclone_file, 3 << 20, 9);
	gateway.rclone(&["copyto", rclone_file.to_str().unwrap(), "cess:photos/rclone/r.bin"]);
	assert!(gateway.rclone(&["lsf", "cess:photos/rclone"]).contains("r.bin"));
	gateway.rclone(&["copyto", "cess:photos/rclone/r.bin", out.join("r.bin").to_str().unwrap()]);
	same_bytes(&rclone_file, &out.join("r.bin"));

	// Refusals keep their S3 codes.
	let wrong = gateway.aws_fails("not-the-secret-at-all", &["s3api", "list-buckets"]);
	assert!(wrong.contains("SignatureDoesNotMatch"), "{wrong}");
	let missing = out.join("missing");
	let err = gateway.aws_fails(
		SECRET,
		&["s3api", "get-object", "--bucket", "photos", "--key", "nope", missing.to_str().unwrap()],
	);
	assert!(err.contains("NoSuchKey"), "{err}");
	let err = gateway.aws_fails(SECRET, &["s3", "ls", "s3://no-such-bucket"]);
	assert!(err.contains("NoSuchBucket"), "{err}");

	// An abandoned multipart upload is swept and its part deleted.
	let created =
		gateway.aws(&["s3api", "create-multipart-upload", "--bucket", "photos", "--key", "junk"]);
	let upload_id = created.split('"').skip_while(|w| *w != "UploadId").nth(2).unwrap().to_string();
	let part = dir.join("part");
	random_file(&part, 6 << 20, 11);
	gateway.aws(&[
		"s3api",
		"upload-part",
		"--bucket",
		"photos",
		"--key",
		"junk",
		"--part-number",
		"1",
		"--upload-id",
		&upload_id,
		"--body",
		part.to_str().unwrap(),
	]);
	let before = stored_files(&rpc);
	wait_for("the abandoned upload to be swept", Duration::from_secs(180), || {
		gateway.metric("cess_gateway_abandoned_uploads_total") >= 1.0
	});
	assert!(!gateway
		.aws(&["s3api", "list-multipart-uploads", "--bucket", "photos"])
		.contains(&upload_id));
	wait_for("the swept part's file to be deleted", Duration::from_secs(60), || {
		stored_files(&rpc) < before
	});

	// Delete everything: every file the gateway stored is released.
	gateway.aws(&["s3", "rm", "s3://photos", "--recursive"]);
	assert!(gateway.aws(&["s3", "ls", "s3://photos", "--recursive"]).trim().is_empty());
	gateway.aws(&["s3", "rb", "s3://photos"]);
	assert!(!gateway.aws(&["s3", "ls"]).contains("photos"));
	wait_for("every stored file to be released", Duration::from_secs(120), || {
		stored_files(&rpc) == 0
	});
}

/// Peak resident memory of `pid` since the last reset, MiB; resets it.
fn peak_rss_mib(pid: u32) -> f64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	let kib: f64 = status
		.lines()
		.find(|l| l.starts_with("VmHWM:"))
		.and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
		.unwrap_or(0.0);
	let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
	kib / 1024.0
}

fn timed(what: &str, f: impl FnOnce()) -> f64 {
	let started = Instant::now();
	f();
	let secs = started.elapsed().as_secs_f64();
	eprintln!("{what}: {secs:.1} s");
	secs
}

/// `docs/performance.md`'s gateway rows, in one run: a 256 MiB PUT through the gateway
/// (aws-cli, multipart of 64 MiB parts) against `cess upload` of the same file, GET uncached
/// against `cess download`, GET cached (curl on a presigned URL), and the gateway's peak RSS
/// during the PUT and the GETs. Run with
/// `cargo test --release --workspace --features "$CESS_FEATURES" --test s3_gateway -- --ignored --nocapture`.
#[test]
#[ignore]
fn gateway_performance() {
	let mut node = Node::start(NodeConfig::new("s3-perf", None, &["--dev"]));
	node.wait_for_finalized(1, Duration::from_secs(120));
	let rpc = node.ws_url();
	let dir = temp_dir("s3-perf");
	let _miners = start_miners(&rpc);
	cess(&rpc, &["buy-space", "--gib", "8", "--days", "30"]);
	// The defaults an operator gets.
	let gateway = Gateway::start(&rpc, &dir, &[]);
	std::fs::write(
		dir.join("aws-config"),
		"[default]\nregion = us-east-1\ns3 =\n  multipart_threshold = 64MB\n  multipart_chunksize = \
		 64MB\n  max_concurrent_requests = 4\n  addressing_style = path\n",
	)
	.unwrap();
	let file = dir.join("perf.bin");
	random_file(&file, 256 << 20, 42);
	let mib = 256.0;
	let pid = gateway.child.id();

	let cli_put = timed("cess upload 256 MiB", || {
		let id = cess(&rpc, &["upload", file.to_str().unwrap()]);
		std::fs::write(dir.join("file-id"), id.trim()).unwrap();
	});
	gateway.aws(&["s3", "mb", "s3://perf"]);
	peak_rss_mib(pid);
	let gw_put = timed("gateway PUT 256 MiB", || {
		gateway.aws(&["s3", "cp", file.to_str().unwrap(), "s3://perf/perf.bin"]);
	});
	let put_rss = peak_rss_mib(pid);
	for line in gateway
		.log()
		.lines()
		.filter(|l| l.contains("cess-client::upload") || l.contains("extent stored"))
	{
		eprintln!("{line}");
	}
	let file_id = std::fs::read_to_string(dir.join("file-id")).unwrap();
	let cli_get = timed("cess download 256 MiB", || {
		cess(&rpc, &["download", &file_id, dir.join("cli.bin").to_str().unwrap()]);
	});
	let url = gateway.aws(&["s3", "presign", "s3://perf/perf.bin", "--expires-in", "3600"]);
	let curl = |out: &str| {
		let status = Command::new("curl")
			.args(["-s", "-o", dir.join(out).to_str().unwrap(), "-w", "%{http_code}", url.trim()])
			.output()
			.unwrap();
		assert_eq!(String::from_utf8_lossy(&status.stdout), "200");
	};
	let uncached = timed("gateway GET uncached", || curl("uncached.bin"));
	let cached = timed("gateway GET cached", || curl("cached.bin"));
	let get_rss = peak_rss_mib(pid);
	same_bytes(&file, &dir.join("uncached.bin"));
	same_bytes(&file, &dir.join("cached.bin"));
	// The issue's memory bound: a 1 GiB PUT (sixteen 64 MiB parts, four at a time).
	let big = dir.join("big.bin");
	random_file(&big, 1 << 30, 43);
	peak_rss_mib(pid);
	let big_put = timed("gateway PUT 1 GiB", || {
		gateway.aws(&["s3", "cp", big.to_str().unwrap(), "s3://perf/big.bin"]);
	});
	let big_rss = peak_rss_mib(pid);
	eprintln!(
		"| PUT 256 MiB | gateway {gw_put:.1} s, `cess upload` {cli_put:.1} s | {:.2}× |\n\
		 | GET uncached | gateway {uncached:.1} s ({:.0} MB/s), `cess download` {cli_get:.1} s ({:.0} MB/s) | {:.2}× |\n\
		 | GET cached | {cached:.2} s, {:.0} MB/s | |\n\
		 | peak RSS | PUT {put_rss:.0} MiB, GETs {get_rss:.0} MiB | |\n\
		 | PUT 1 GiB | {big_put:.1} s, peak RSS {big_rss:.0} MiB | |",
		gw_put / cli_put,
		mib * 1.048576 / uncached,
		mib * 1.048576 / cli_get,
		uncached / cli_get,
		mib * 1.048576 / cached,
	);
}
