#!/usr/bin/env bash
# The whole test suite: formatting, lints, every unit and pallet test, a release build of the
# node and the end-to-end tests that run it. CI runs exactly this (.ci/run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$CESS_ROOT"

ensure_build_prereqs
ensure_node_js
ensure_s3_clients

start=$(date +%s)
# Each step's log line shows the seconds since the start, so CI reports say where time goes.
step() { log "[$(($(date +%s) - start)) s] $*"; }
step "cargo fmt --check"
cargo fmt --all -- --check || die "code is not formatted: run \`cargo fmt --all\`"

# Lints skip the wasm build (clippy checks the native runtime); release profile so build
# scripts and proc-macros are shared with the test build below.
step "cargo clippy (-D warnings)"
SKIP_WASM_BUILD=1 cargo clippy --release --locked --workspace --all-targets --features "$CESS_FEATURES" -- -D warnings

# Every cargo command below selects the whole workspace with the same features, so they share
# one build: first the binaries the end-to-end tests start (cess-node, cess-miner), then every
# test target.
TEST=(cargo test --release --locked --workspace --features "$CESS_FEATURES")
step "cargo build (release binaries for the end-to-end tests, then every test target)"
cargo build --release --locked --workspace --bins --features "$CESS_FEATURES"
"${TEST[@]}" --no-run

# Unit, pallet and library integration tests: every test target but the node's end-to-end ones.
library_tests=()
for file in */tests/*.rs */*/tests/*.rs; do
	[ -e "$file" ] || continue
	case "$file" in node/tests/*) continue ;; esac
	library_tests+=(--test "$(basename "$file" .rs)")
done
step "cargo test (unit, pallet and library integration tests)"
"${TEST[@]}" --lib --bins "${library_tests[@]}"
"${TEST[@]}" --doc

# The end-to-end tests (node/tests/*.rs: each starts real nodes, miners and the CLI, and mostly
# waits for blocks) run in four lanes beside each other, balanced by their measured durations
# (docs/building.md). A new end-to-end test must be put in a lane. `dev.sh` is the README's
# main command run as a smoke test: the local network starts, its demo stores and retrieves a
# file, and it stops (it uses the fixed ports 9944 and 15001-15041, and `compose` the compose
# file's fixed ports, so both run in lane B one after the other; the other tests use free ports).
LANE_A=(file_lifecycle flood local_network dev_chain)
LANE_B=(audit_rewards data_rights compose dev.sh)
LANE_C=(validators upgrade miner_cli storage_market)
# The S3 gateway with aws-cli and rclone (ensure_s3_clients above installed them), then idle
# space (four miners generating, proving and converting idle files).
LANE_D=(s3_gateway idle_space)
for file in node/tests/*.rs; do
	name=$(basename "$file" .rs)
	[[ " ${LANE_A[*]} ${LANE_B[*]} ${LANE_C[*]} ${LANE_D[*]} " == *" $name "* ]] ||
		die "end-to-end test $name is in no lane: add it to a LANE_ in scripts/test.sh"
done
logs=$(mktemp -d)
run_lane() {
	local lane=$1
	shift
	for name in "$@"; do
		local t0=$SECONDS run=("${TEST[@]}" --test "$name")
		[ "$name" = dev.sh ] &&
			run=(env CESS_DEV_ONESHOT=1 CESS_DEV_DIR="$logs/dev" bash scripts/dev.sh)
		if "${run[@]}" >"$logs/$name.log" 2>&1; then
			echo "lane $lane: $name passed in $((SECONDS - t0)) s"
		else
			echo "lane $lane: $name FAILED after $((SECONDS - t0)) s"
			return 1
		fi
	done
}
step "end-to-end tests in four lanes: [${LANE_A[*]}] beside [${LANE_B[*]}] beside [${LANE_C[*]}] beside [${LANE_D[*]}]"
run_lane A "${LANE_A[@]}" &
lane_a=$!
run_lane B "${LANE_B[@]}" &
lane_b=$!
run_lane C "${LANE_C[@]}" &
lane_c=$!
run_lane D "${LANE_D[@]}" &
lane_d=$!
failed=0
wait "$lane_a" || failed=1
wait "$lane_b" || failed=1
wait "$lane_c" || failed=1
wait "$lane_d" || failed=1
if [ "$failed" -ne 0 ]; then
	for f in "$logs"/*.log; do
		grep -q -e "test result: ok" -e "the network works" "$f" && continue
		echo "---- $(basename "$f" .log) ----"
		tail -n 200 "$f"
	done
	die "end-to-end tests failed (logs above)"
fi

# A second PoDR² implementation, written from primitives/README.md alone, against the vectors.
step "PoDR² known answers, second implementation (python3)"
if command -v python3 >/dev/null 2>&1; then
	python3 primitives/tests/vectors/verify_v2.py
else
	log "python3 not found: skipping the second implementation's check"
fi

# The storage pallets' benchmarks run as tests on their mock runtimes (the weights themselves
# come from `scripts/bench-weights.sh`). Compiled, not linted: a clippy pass with this feature
# set would cost a further full check build of FRAME on a 2-core CI machine.
step "cargo test (storage pallets' benchmark suites, feature runtime-benchmarks)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-sminer -p pallet-file-bank -p pallet-validator-credit \
	-p pallet-audit -p pallet-storage-rewards -p pallet-data-rights -p pallet-buckets --features runtime-benchmarks

log "all checks passed in $(( $(date +%s) - start )) s"
