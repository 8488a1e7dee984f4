#!/usr/bin/env bash
# Runs every cargo-fuzz target of cess-primitives and cess-client for SECONDS each (default 600)
# and prints one summary line per target. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
#
# Usage: scripts/fuzz.sh [target …]        (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh

SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-600}
export CARGO_TARGET_DIR="${CESS_FUZZ_TARGET_DIR:-$HOME/.cache/cess-fuzz-target}"
command -v cargo-fuzz >/dev/null || die "cargo-fuzz is missing: cargo install cargo-fuzz"
rustup toolchain list | grep -q '^nightly' || die "the nightly toolchain is missing: rustup toolchain install nightly"

targets() { (cd "$1" && cargo +nightly fuzz list); }
WANT=("$@")
for crate in primitives client; do
	for t in $(targets "$crate"); do
		if [ ${#WANT[@]} -gt 0 ] && [[ ! " ${WANT[*]} " == *" $t "* ]]; then continue; fi
		log "fuzz $crate/$t for ${SECONDS_PER_TARGET} s"
		corpus="$HOME/.cache/cess-fuzz-corpus/$crate/$t"
		mkdir -p "$corpus"
		seeds=()
		[ -d "$crate/fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
		out=$(cd "$crate" && cargo +nightly fuzz run "$t" "$corpus" "${seeds[@]}" -- \
			-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 2>&1) || {
			echo "$out" | tail -40
			die "fuzz target $crate/$t failed (crash input under $crate/fuzz/artifacts/$t)"
		}
		runs=$(echo "$out" | grep -oE 'stat::number_of_executed_units: *[0-9]+' | grep -oE '[0-9]+$' || true)
		cov=$(echo "$out" | grep -oE 'cov: [0-9]+' | tail -1 || true)
		echo "FUZZ $crate/$t: ${SECONDS_PER_TARGET} s, ${runs:-?} runs, ${cov:-cov ?}, no crash"
	done
done
