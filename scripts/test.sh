#!/usr/bin/env bash
# The whole test suite: formatting, lints, every unit and pallet test, a release build of the
# node and the end-to-end tests that run it. CI runs exactly this (.ci/run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$CESS_ROOT"

ensure_build_prereqs
ensure_node_js

start=$(date +%s)
log "cargo fmt --check"
cargo fmt --all -- --check || die "code is not formatted: run \`cargo fmt --all\`"

# Lints skip the wasm build (clippy checks the native runtime); release profile so build
# scripts and proc-macros are shared with the test build below.
log "cargo clippy (-D warnings)"
SKIP_WASM_BUILD=1 cargo clippy --release --locked --workspace --all-targets --features "$CESS_FEATURES" -- -D warnings

# One release build of everything, tests included, with the same features, so nothing is
# compiled twice: first the binaries the end-to-end tests start (cess-node, cess-miner), then the
# tests.
log "cargo build (release binaries for the end-to-end tests)"
cargo build --release --locked --workspace --bins --features "$CESS_FEATURES"
log "cargo test (release: unit, pallet and end-to-end tests)"
cargo test --release --locked --workspace --features "$CESS_FEATURES"

# A second PoDR² implementation, written from primitives/README.md alone, against the vectors.
log "PoDR² known answers, second implementation (python3)"
if command -v python3 >/dev/null 2>&1; then
	python3 primitives/tests/vectors/verify_v2.py
else
	log "python3 not found: skipping the second implementation's check"
fi

# The storage pallets' benchmarks run as tests on their mock runtimes (the weights themselves
# come from `scripts/bench-weights.sh`). Compiled, not linted: a clippy pass with this feature
# set would cost a further full check build of FRAME on a 2-core CI machine.
log "cargo test (storage pallets' benchmark suites, feature runtime-benchmarks)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-sminer -p pallet-file-bank \
	-p pallet-audit -p pallet-storage-rewards -p pallet-data-rights --features runtime-benchmarks

log "all checks passed in $(( $(date +%s) - start )) s"
