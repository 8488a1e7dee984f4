# Shared setup of the project's scripts: installs what the build needs (idempotently) and
# exports the build environment. Source it; do not run it.

CESS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CESS_ROOT

# A persistent target directory outside the clone, so repeated runs are incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cess-target}"
# The runtime's wasm is built by a nested cargo; point it at our Cargo.lock.
export WASM_BUILD_WORKSPACE_HINT="$CESS_ROOT"
# The cargo features every build of this repository uses, so builds share artifacts: short
# eras for local networks, and the upgrade rehearsal's second runtime (node/tests/upgrade.rs).
export CESS_FEATURES="${CESS_FEATURES:-cess-node/fast-runtime,cess-runtime/upgrade-rehearsal}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Run a command as root (directly, or through sudo when available).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else die "need root to run: $*  (install it by hand, then re-run)"
	fi
}

APT_UPDATED=""
apt_install() {
	command -v apt-get >/dev/null 2>&1 || die "missing $*: install it with your package manager, then re-run"
	if [ -z "$APT_UPDATED" ]; then
		log "apt-get update"
		as_root apt-get update -qq || die "apt-get update failed: check the network or install $* by hand"
		APT_UPDATED=1
	fi
	log "installing $*"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null \
		|| die "apt-get install $* failed: install it by hand, then re-run"
}

# Everything a build of the node needs: a C toolchain with clang, protoc, the Rust toolchain
# of rust-toolchain.toml with the wasm target and rust-src.
ensure_build_prereqs() {
	command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs), then re-run"
	command -v protoc >/dev/null 2>&1 || apt_install protobuf-compiler
	command -v clang >/dev/null 2>&1 || apt_install clang
	command -v cc >/dev/null 2>&1 || apt_install build-essential
	if command -v rustup >/dev/null 2>&1; then
		# rust-toolchain.toml names the channel, target and components; `rustup show` installs
		# whatever is missing of them (newer rustup needs `toolchain install`).
		(cd "$CESS_ROOT" && { rustup toolchain install >/dev/null 2>&1 || rustup show active-toolchain >/dev/null; }) \
			|| die "rustup could not install the toolchain of rust-toolchain.toml"
		(cd "$CESS_ROOT" && rustup target add wasm32v1-none >/dev/null && rustup component add rust-src >/dev/null) \
			|| die "rustup could not add the wasm32v1-none target or rust-src"
	else
		log "rustup not found: make sure the wasm32v1-none target and rust-src are installed"
	fi
}

# Node.js and npm, for the @polkadot/api end-to-end test.
ensure_node_js() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		apt_install nodejs npm
	fi
}

# The real S3 clients the gateway's end-to-end test drives: aws-cli (from PyPI, in a virtual
# environment of its own) and rclone (Debian's). Exports CESS_AWS and CESS_RCLONE.
ensure_s3_clients() {
	local venv="$HOME/.cache/cess-tools/awscli"
	if [ ! -x "$venv/bin/aws" ]; then
		command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
		python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; } \
			|| die "cannot create a Python virtual environment for aws-cli"
		log "installing aws-cli from PyPI"
		"$venv/bin/pip" install -q awscli || die "pip install awscli failed: check the network"
	fi
	command -v rclone >/dev/null 2>&1 || apt_install rclone
	export CESS_AWS="$venv/bin/aws" CESS_RCLONE
	CESS_RCLONE="$(command -v rclone)"
}
