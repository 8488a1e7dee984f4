#!/usr/bin/env bash
# Set up and run a local CESS development chain: installs what the build needs, builds the
# node in release mode and starts `cess-node --dev` (RPC on ws://127.0.0.1:9944).
# Extra arguments go to cess-node, e.g. `scripts/dev.sh --rpc-external`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$CESS_ROOT"

ensure_build_prereqs
log "building cess-node (release; the first build takes 30-40 minutes on 2 cores)"
# The same command as the test suite, so a build here is reused by scripts/test.sh and back.
cargo test --release --locked --workspace --features "$CESS_FEATURES" --no-run

node_bin="$CARGO_TARGET_DIR/release/cess-node"
log "starting $node_bin --dev: RPC on ws://127.0.0.1:9944, Ctrl-C to stop"
exec "$node_bin" --dev --rpc-cors all "$@"
