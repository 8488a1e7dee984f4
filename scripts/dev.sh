#!/usr/bin/env bash
# Set up and run a local CESS network: installs what the build needs, builds the node, miner and
# CLI in release mode, starts `cess-node --dev` (RPC on ws://127.0.0.1:9944) and four storage
# miners (//Bob, //Charlie, //Dave, //Eve, each with its own data directory and keys), then stores
# and retrieves a file as //Alice to show that the network works. Ctrl-C stops everything.
#
# Environment: CESS_DEV_DIR (default ~/.cache/cess-dev, wiped at start: the dev chain starts
# fresh every time), CESS_DEV_MINERS (default 4), CESS_DEV_DEMO=0 to skip the demo,
# CESS_DEV_ONESHOT=1 to stop the network after the demo and exit with its result (the test
# suite's smoke test of this command).
# Extra arguments go to cess-node, e.g. `scripts/dev.sh --rpc-external`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$CESS_ROOT"

ensure_build_prereqs
log "building cess-node, cess-miner and cess (release; the first build takes 30-40 minutes on 2 cores)"
# The same command as the test suite, so a build here is reused by scripts/test.sh and back.
cargo build --release --locked --workspace --bins --features "$CESS_FEATURES"

bin="$CARGO_TARGET_DIR/release"
dev_dir="${CESS_DEV_DIR:-$HOME/.cache/cess-dev}"
miners="${CESS_DEV_MINERS:-4}"
accounts=(//Bob //Charlie //Dave //Eve //Ferdie //Bob//stash //Charlie//stash //Dave//stash)
[ "$miners" -le "${#accounts[@]}" ] || die "CESS_DEV_MINERS is at most ${#accounts[@]}"
rm -rf "$dev_dir" && mkdir -p "$dev_dir"

pids=()
cleanup() {
	trap - EXIT INT TERM
	log "stopping the network"
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

log "starting cess-node --dev (log: $dev_dir/node.log)"
"$bin/cess-node" --dev --rpc-cors all --base-path "$dev_dir/node" "$@" >"$dev_dir/node.log" 2>&1 &
pids+=($!)
export CESS_RPC_URL=ws://127.0.0.1:9944
for _ in $(seq 1 120); do
	"$bin/cess" account --account //Alice >/dev/null 2>&1 && break
	kill -0 "${pids[0]}" 2>/dev/null || die "cess-node stopped: see $dev_dir/node.log"
	sleep 1
done
"$bin/cess" account --account //Alice >/dev/null || die "the node does not answer on $CESS_RPC_URL"

register() {
	local i=$1 account=$2 dir="$dev_dir/miner-$1" p2p=$((15000 + 10 * $1)) http=$((15001 + 10 * $1))
	"$bin/cess-miner" --account "$account" --data-dir "$dir" register --capacity 16GiB \
		--p2p-addr "/ip4/127.0.0.1/tcp/$p2p" --http-addr "/ip4/127.0.0.1/tcp/$http/http" \
		>"$dir.register.log" 2>&1 || { cat "$dir.register.log" >&2; return 1; }
}
log "registering $miners miners"
reg_pids=()
for i in $(seq 1 "$miners"); do
	register "$i" "${accounts[$((i - 1))]}" &
	reg_pids+=($!)
done
for p in "${reg_pids[@]}"; do wait "$p" || die "a miner failed to register (see $dev_dir/miner-*.register.log)"; done

for i in $(seq 1 "$miners"); do
	dir="$dev_dir/miner-$i"
	"$bin/cess-miner" --account "${accounts[$((i - 1))]}" --data-dir "$dir" run \
		--p2p-listen "/ip4/127.0.0.1/tcp/$((15000 + 10 * i))" --http-listen "127.0.0.1:$((15001 + 10 * i))" \
		--self-check-interval 300 --gc-interval 600 >"$dir.log" 2>&1 &
	pids+=($!)
	log "miner $i (${accounts[$((i - 1))]}) running: p2p 127.0.0.1:$((15000 + 10 * i)), http 127.0.0.1:$((15001 + 10 * i)), log $dir.log"
done
sleep 2

if [ "${CESS_DEV_DEMO:-1}" != 0 ]; then
	log "demo: //Alice buys space, stores README.md and gets it back"
	cess() { "$bin/cess" --account //Alice --quiet "$@"; }
	cess buy-space --gib 4 --days 30
	id=$(cess upload README.md)
	cess download "$id" "$dev_dir/README.copy.md"
	cmp README.md "$dev_dir/README.copy.md" || die "the downloaded README.md differs from the original"
	log "stored and retrieved README.md as $id: identical"
	cess info "$id"
fi
if [ "${CESS_DEV_ONESHOT:-0}" = 1 ]; then
	log "the network works; stopping it (CESS_DEV_ONESHOT)"
	exit 0
fi

log "network running: RPC ws://127.0.0.1:9944, Ctrl-C to stop. Try:"
echo "  $bin/cess --account //Alice upload <file>" >&2
echo "  $bin/cess --account //Alice ls" >&2
wait "${pids[0]}"
