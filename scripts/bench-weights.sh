#!/usr/bin/env bash
# Regenerates the weights of our pallets from their FRAME benchmarks on this machine:
# builds cess-node with `runtime-benchmarks` and runs `cess-node benchmark pallet` for each
# pallet, writing `pallets/<name>/src/weights.rs`.
#
# Usage: scripts/bench-weights.sh [pallet_sminer pallet_file_bank pallet_audit pallet_storage_rewards pallet_buckets …]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh

PALLETS=("$@")
[ ${#PALLETS[@]} -gt 0 ] || PALLETS=(pallet_sminer pallet_file_bank pallet_audit pallet_storage_rewards pallet_buckets pallet_idle_space)
STEPS=${STEPS:-50}
REPEAT=${REPEAT:-20}

# frame-benchmarking-cli builds a test runtime whose wasm the `benchmark pallet` command does not
# use, and whose wasm build cannot find it in our workspace metadata: skip it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1

log "cargo build --release -p cess-node --features runtime-benchmarks"
cargo build --release --locked -p cess-node --features runtime-benchmarks
NODE="$CARGO_TARGET_DIR/release/cess-node"

for pallet in "${PALLETS[@]}"; do
	dir="pallets/${pallet#pallet_}"
	dir="${dir//_/-}"
	log "benchmark $pallet → $dir/src/weights.rs"
	"$NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled --heap-pages 4096 \
		--template .maintain/frame-weight-template.hbs \
		--output "$dir/src/weights.rs"
done
