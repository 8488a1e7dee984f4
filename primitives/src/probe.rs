//! Retrievability probes: validators' off-chain workers fetch one leaf of a held fragment from a
//! miner's HTTP endpoint and check it against the file id (no_std).
//!
//! * Endpoint: the first of the miner's registered multiaddrs of the form
//!   `/ip4/A.B.C.D/tcp/PORT/http`, `/ip6/…/tcp/PORT/http` or `/dns…/NAME/tcp/PORT/http`
//!   ([`http_endpoint`]).
//! * Request: `GET {endpoint}/cess/probe/v2/{file_id hex}/{segment}/{column}/{leaf}`
//!   ([`probe_path`]), `leaf` being a 256-byte leaf index in the fragment.
//! * Response body: the PoDR² v2 proof ([`crate::possession::proof`]) of the one sample
//!   naming that leaf, checked with [`crate::possession::verify`] like a round's proof.
use crate::types::{Column, FileId, SegmentIndex};
use alloc::{format, string::String, vec::Vec};

/// Path prefix of the probe endpoint.
pub const PROBE_PATH: &str = "/cess/probe/v2";

/// Multiaddr protocol codes used here.
mod code {
	pub const IP4: u64 = 4;
	pub const TCP: u64 = 6;
	pub const IP6: u64 = 41;
	pub const DNS: u64 = 53;
	pub const DNS4: u64 = 54;
	pub const DNS6: u64 = 55;
	pub const HTTP: u64 = 480;
}

/// Reads an unsigned LEB128 varint (at most 9 bytes, as multiaddr codes are).
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
	let mut value = 0u64;
	for i in 0..9 {
		let b = *bytes.get(*at)?;
		*at += 1;
		value |= u64::from(b & 0x7f) << (7 * i);
		if b & 0x80 == 0 {
			return Some(value);
		}
	}
	None
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Option<&'a [u8]> {
	let out = bytes.get(*at..at.checked_add(n)?)?;
	*at += n;
	Some(out)
}

/// `http://host:port` of a binary multiaddr `/{ip4|ip6|dns|dns4|dns6}/…/tcp/PORT/http`, or `None`
/// for any other (or malformed) multiaddr.
pub fn http_endpoint(multiaddr: &[u8]) -> Option<String> {
	let mut at = 0;
	let host = match varint(multiaddr, &mut at)? {
		code::IP4 => {
			let ip = take(multiaddr, &mut at, 4)?;
			format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3])
		},
		code::IP6 => {
			let ip = take(multiaddr, &mut at, 16)?;
			let groups: Vec<String> = ip
				.chunks_exact(2)
				.map(|g| format!("{:x}", u16::from_be_bytes([g[0], g[1]])))
				.collect();
			format!("[{}]", groups.join(":"))
		},
		code::DNS | code::DNS4 | code::DNS6 => {
			let len = usize::try_from(varint(multiaddr, &mut at)?).ok()?;
			let name = core::str::from_utf8(take(multiaddr, &mut at, len)?).ok()?;
			let valid = !name.is_empty()
				&& name.len() <= 253
				&& name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.');
			if !valid {
				return None;
			}
			String::from(name)
		},
		_ => return None,
	};
	if varint(multiaddr, &mut at)? != code::TCP {
		return None;
	}
	let port = take(multiaddr, &mut at, 2)?;
	let port = u16::from_be_bytes([port[0], port[1]]);
	if varint(multiaddr, &mut at)? != code::HTTP || at != multiaddr.len() {
		return None;
	}
	Some(format!("http://{host}:{port}"))
}

/// Whether a multiaddr names a host that is not on the public internet: loopback, private,
/// link-local, carrier-grade NAT, unspecified, multicast or broadcast IPv4; loopback,
/// unspecified, unique-local, link-local, multicast or IPv4-mapped private IPv6; `localhost`
/// and the `.localhost`, `.local` and `.internal` names. Outside development chains validators
/// do not fetch from such hosts: a probe of one would reach the validator's own machine or
/// network. (A public DNS name may still resolve to a private address; validators firewall their
/// nodes' outgoing traffic against that.) `true` for anything malformed.
pub fn is_private_endpoint(multiaddr: &[u8]) -> bool {
	let mut at = 0;
	match varint(multiaddr, &mut at) {
		Some(code::IP4) => take(multiaddr, &mut at, 4).is_none_or(private_ip4),
		Some(code::IP6) => take(multiaddr, &mut at, 16).is_none_or(|ip| {
			let ip: [u8; 16] = ip.try_into().expect("16 bytes taken");
			let head = u16::from_be_bytes([ip[0], ip[1]]);
			let mapped_v4 = ip[..10].iter().all(|b| *b == 0) && ip[10] == 0xff && ip[11] == 0xff;
			ip[..15].iter().all(|b| *b == 0) // :: and ::1
				|| head & 0xfe00 == 0xfc00 // fc00::/7
				|| head & 0xffc0 == 0xfe80 // fe80::/10
				|| ip[0] == 0xff // multicast
				|| (mapped_v4 && private_ip4(&ip[12..]))
		}),
		Some(code::DNS | code::DNS4 | code::DNS6) => {
			let Some(len) = varint(multiaddr, &mut at).and_then(|l| usize::try_from(l).ok()) else {
				return true;
			};
			let Some(name) = take(multiaddr, &mut at, len) else { return true };
			let name = name.to_ascii_lowercase();
			let name = name.strip_suffix(b".").unwrap_or(&name);
			name == b"localhost"
				|| [&b".localhost"[..], b".local", b".internal"].iter().any(|s| name.ends_with(s))
		},
		_ => true,
	}
}

fn private_ip4(ip: &[u8]) -> bool {
	match *ip {
		[0 | 10 | 127, ..] => true,
		[100, b, ..] if b & 0xc0 == 64 => true, // 100.64.0.0/10
		[169, 254, ..] | [192, 168, ..] => true,
		[172, b, ..] if b & 0xf0 == 16 => true, // 172.16.0.0/12
		[a, ..] if a >= 224 => true,            // multicast, reserved, broadcast
		_ => false,
	}
}

/// The binary multiaddr `/ip4/A.B.C.D/tcp/PORT/http` (what a miner registers for its probe
/// endpoint).
pub fn ip4_http_multiaddr(ip: [u8; 4], port: u16) -> Vec<u8> {
	let mut out = alloc::vec![code::IP4 as u8];
	out.extend_from_slice(&ip);
	out.push(code::TCP as u8);
	out.extend_from_slice(&port.to_be_bytes());
	// 480 as a LEB128 varint.
	out.extend_from_slice(&[0xe0, 0x03]);
	out
}

/// The request path of a probe (after the endpoint).
pub fn probe_path(file_id: &FileId, segment: SegmentIndex, column: Column, leaf: u32) -> String {
	let mut hex = String::with_capacity(64);
	for b in file_id {
		hex.push_str(&format!("{b:02x}"));
	}
	format!("{PROBE_PATH}/{hex}/{segment}/{column}/{leaf}")
}

/// Parses a [`probe_path`] back into (file id, segment, column, leaf); `None` for any other
/// path (wrong prefix, not 64 lowercase hex digits, a number that does not fit, extra parts).
pub fn parse_probe_path(path: &str) -> Option<(FileId, SegmentIndex, Column, u32)> {
	let mut parts = path.strip_prefix(PROBE_PATH)?.strip_prefix('/')?.split('/');
	let hex = parts.next()?.as_bytes();
	if hex.len() != 64 {
		return None;
	}
	let digit = |c: u8| match c {
		b'0'..=b'9' => Some(c - b'0'),
		b'a'..=b'f' => Some(c - b'a' + 10),
		_ => None,
	};
	let mut file_id = [0u8; 32];
	for (i, pair) in hex.chunks(2).enumerate() {
		file_id[i] = digit(pair[0])? << 4 | digit(pair[1])?;
	}
	// Only plain decimal digits (`str::parse` would also take a leading `+`).
	fn number<N: core::str::FromStr>(part: Option<&str>) -> Option<N> {
		let part = part?;
		if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
			return None;
		}
		part.parse().ok()
	}
	let segment = number(parts.next())?;
	let column = number(parts.next())?;
	let leaf = number(parts.next())?;
	parts.next().is_none().then_some((file_id, segment, column, leaf))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_parse_from_multiaddrs() {
		let ma = ip4_http_multiaddr([127, 0, 0, 1], 8080);
		assert_eq!(http_endpoint(&ma).as_deref(), Some("http://127.0.0.1:8080"));
		// /dns/miner.example/tcp/443/http
		let mut dns = alloc::vec![53u8, 13];
		dns.extend_from_slice(b"miner.example");
		dns.extend_from_slice(&[6, 1, 187, 0xe0, 0x03]);
		assert_eq!(http_endpoint(&dns).as_deref(), Some("http://miner.example:443"));
		// /ip6/::1/tcp/80/http
		let mut ip6 = alloc::vec![41u8];
		ip6.extend_from_slice(&[0; 15]);
		ip6.extend_from_slice(&[1, 6, 0, 80, 0xe0, 0x03]);
		assert_eq!(http_endpoint(&ip6).as_deref(), Some("http://[0:0:0:0:0:0:0:1]:80"));
		// A libp2p TCP address (no /http), a truncated one, trailing bytes, a bad host name.
		assert_eq!(http_endpoint(&[4, 127, 0, 0, 1, 6, 0x0f, 0xa1]), None);
		assert_eq!(http_endpoint(&ma[..ma.len() - 1]), None);
		assert_eq!(http_endpoint(&[&ma[..], &[0]].concat()), None);
		assert_eq!(http_endpoint(&[53, 3, b'a', b'/', b'b', 6, 0, 80, 0xe0, 0x03]), None);
		assert_eq!(http_endpoint(&[]), None);
	}

	#[test]
	fn private_endpoints_are_recognised() {
		let ip4 = |ip| ip4_http_multiaddr(ip, 80);
		for private in [
			[127, 0, 0, 1],
			[10, 1, 2, 3],
			[172, 31, 0, 1],
			[192, 168, 1, 1],
			[169, 254, 0, 1],
			[100, 64, 0, 1],
			[0, 0, 0, 0],
			[255, 255, 255, 255],
			[224, 0, 0, 1],
		] {
			assert!(is_private_endpoint(&ip4(private)), "{private:?}");
		}
		for public in [[8, 8, 8, 8], [172, 32, 0, 1], [100, 128, 0, 1], [193, 168, 1, 1]] {
			assert!(!is_private_endpoint(&ip4(public)), "{public:?}");
		}
		let ip6 = |ip: [u8; 16]| [&[41u8][..], &ip, &[6, 0, 80, 0xe0, 0x03]].concat();
		let mut loopback = [0u8; 16];
		loopback[15] = 1;
		let mut ula = [0u8; 16];
		ula[0] = 0xfd;
		let mut mapped = [0u8; 16];
		mapped[10..].copy_from_slice(&[0xff, 0xff, 192, 168, 0, 1]);
		let mut global = [0u8; 16];
		global[..2].copy_from_slice(&[0x20, 0x01]);
		global[15] = 1;
		for private in [loopback, [0; 16], ula, mapped] {
			assert!(is_private_endpoint(&ip6(private)), "{private:?}");
		}
		assert!(!is_private_endpoint(&ip6(global)));
		let dns =
			|name: &[u8]| [&[53u8, name.len() as u8][..], name, &[6, 0, 80, 0xe0, 0x03]].concat();
		for private in [&b"localhost"[..], b"LOCALHOST.", b"miner.local", b"db.internal"] {
			assert!(is_private_endpoint(&dns(private)));
		}
		assert!(!is_private_endpoint(&dns(b"miner.example")));
		assert!(is_private_endpoint(&[]), "malformed");
		assert!(is_private_endpoint(&[4, 8, 8]), "truncated");
	}

	#[test]
	fn probe_paths_parse_back() {
		let id: FileId = core::array::from_fn(|i| (i * 7) as u8);
		let path = probe_path(&id, 7, 31, 4095);
		assert_eq!(parse_probe_path(&path), Some((id, 7, 31, 4095)));
		for bad in [
			"/cess/probe/v1",
			"/cess/probe/v1/00/0/0/0",
			&path[..path.len() - 5],
			&format!("{path}/1"),
			&path.replace("/31/", "/+31/"),
			&path.replace("/31/", "/65536/"),
			&path.replace("/31/", "//"),
			&path.replacen("00", "0G", 1),
			&path.replace("/cess/probe/v2/", "/cess/probe/v2/0"),
		] {
			assert_eq!(parse_probe_path(bad), None, "{bad}");
		}
	}
}
