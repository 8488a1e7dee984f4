//! Human units: token amounts (TCESS, 18 decimals) and byte sizes (`KiB` … `TiB`, `KB` … `TB`).

/// Decimals of the chain's token.
pub const DECIMALS: u32 = 18;
/// The token symbol.
pub const SYMBOL: &str = "TCESS";
/// One whole token in base units.
pub const UNIT: u128 = 10u128.pow(DECIMALS);

/// Parses `12`, `0.5`, `1_000` or `3 TCESS` into base units.
pub fn parse_amount(text: &str) -> Result<u128, String> {
	let t = text.trim().trim_end_matches(SYMBOL).trim().replace('_', "");
	let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
	let bad =
		|| format!("`{text}` is not an amount of {SYMBOL} (examples: 100, 0.25, 4000 {SYMBOL})");
	if whole.is_empty() && frac.is_empty()
		|| !whole.bytes().all(|b| b.is_ascii_digit())
		|| !frac.bytes().all(|b| b.is_ascii_digit())
		|| frac.len() > DECIMALS as usize
	{
		return Err(bad());
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let frac_units: u128 = if frac.is_empty() {
		0
	} else {
		frac.parse::<u128>().map_err(|_| bad())? * 10u128.pow(DECIMALS - frac.len() as u32)
	};
	whole.checked_mul(UNIT).and_then(|w| w.checked_add(frac_units)).ok_or_else(bad)
}

/// `amount` base units as `1234.5 TCESS` (trailing zeros dropped).
pub fn format_amount(amount: u128) -> String {
	let whole = amount / UNIT;
	let frac = amount % UNIT;
	if frac == 0 {
		return format!("{whole} {SYMBOL}");
	}
	let frac = format!("{frac:018}");
	format!("{whole}.{} {SYMBOL}", frac.trim_end_matches('0'))
}

/// Parses `1073741824`, `100GiB`, `1.5 TiB` or `500GB` into bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
	let t = text.trim();
	let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
	let (number, unit) = (&t[..split], t[split..].trim());
	let bad = || format!("`{text}` is not a size (examples: 1073741824, 100GiB, 1.5TiB, 500GB)");
	let factor: u64 = match unit.to_ascii_lowercase().as_str() {
		"" | "b" => 1,
		"kib" => 1 << 10,
		"mib" => 1 << 20,
		"gib" => 1 << 30,
		"tib" => 1 << 40,
		"kb" => 1_000,
		"mb" => 1_000_000,
		"gb" => 1_000_000_000,
		"tb" => 1_000_000_000_000,
		_ => return Err(bad()),
	};
	let value: f64 = number.parse().map_err(|_| bad())?;
	let bytes = value * factor as f64;
	if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 || bytes.fract() != 0.0 {
		return Err(bad());
	}
	Ok(bytes as u64)
}

/// `bytes` in the largest binary unit that keeps one decimal meaningful (`1.5 GiB`).
pub fn format_size(bytes: u64) -> String {
	const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
	let mut value = bytes as f64;
	let mut unit = 0;
	while value >= 1024.0 && unit < UNITS.len() - 1 {
		value /= 1024.0;
		unit += 1;
	}
	if unit == 0 {
		format!("{bytes} B")
	} else {
		format!("{value:.1} {}", UNITS[unit])
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_and_format() {
		assert_eq!(parse_amount("12"), Ok(12 * UNIT));
		assert_eq!(parse_amount("0.5 TCESS"), Ok(UNIT / 2));
		assert_eq!(parse_amount("4_000"), Ok(4000 * UNIT));
		assert_eq!(parse_amount(".25"), Ok(UNIT / 4));
		assert_eq!(parse_amount("0.000000000000000001"), Ok(1));
		for bad in ["", ".", "1.2.3", "-1", "1e3", "0.0000000000000000001", "abc", "1 DOT"] {
			assert!(parse_amount(bad).is_err(), "{bad}");
		}
		assert!(parse_amount("999999999999999999999999").is_err());
		assert_eq!(format_amount(4000 * UNIT), "4000 TCESS");
		assert_eq!(format_amount(UNIT + UNIT / 4), "1.25 TCESS");
		assert_eq!(format_amount(1), "0.000000000000000001 TCESS");
	}

	#[test]
	fn sizes_parse_and_format() {
		assert_eq!(parse_size("1073741824"), Ok(1 << 30));
		assert_eq!(parse_size("100GiB"), Ok(100 << 30));
		assert_eq!(parse_size("1.5 TiB"), Ok(3 << 39));
		assert_eq!(parse_size("500GB"), Ok(500_000_000_000));
		for bad in ["", "GiB", "1.3B", "-1GiB", "1 PiB", "1..2GiB"] {
			assert!(parse_size(bad).is_err(), "{bad}");
		}
		assert_eq!(format_size(512), "512 B");
		assert_eq!(format_size(3 << 29), "1.5 GiB");
	}
}
