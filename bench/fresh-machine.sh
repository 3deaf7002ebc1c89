#!/usr/bin/env bash
# How long a newcomer waits: from `git clone` to the first page answering,
# on this machine made to look fresh. An empty CARGO_HOME (so no
# wasm-bindgen-cli, and every crate downloaded from crates.io), an empty npm
# cache, and a PATH that holds only the Rust toolchain's own commands, then
# `make run` until the home page answers (issue 21's goal: 15 minutes).
#
# Usage: bench/fresh-machine.sh [repository, default: this one]
# Needs: rustup (with the wasm32 target, which a fresh machine downloads in
#   seconds), node and npm, curl, the package registries; writes to a
#   temporary folder, which it removes unless KEEP=1.
set -euo pipefail
source_repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
port=${PORT:-3977}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin"
for tool in cargo rustc rustup rustdoc cargo-clippy clippy-driver rustfmt cargo-fmt; do
  ln -s "$(command -v "$tool")" "$work/bin/$tool"
done
# The real data, where CI keeps it, beside the clone.
[ -d "$source_repo/../shared" ] && ln -s "$(cd "$source_repo/../shared" && pwd)" "$work/shared"
export CARGO_HOME=$work/cargo npm_config_cache=$work/npm KIESKAART_ADDR=127.0.0.1:$port
export PATH=$CARGO_HOME/bin:$work/bin:/usr/local/bin:/usr/bin:/bin

start=$(date +%s)
git clone -q "$source_repo" "$work/main"
cd "$work/main"
setsid make run > "$work/run.log" 2>&1 &
run=$!
stop() { kill -- -"$run" 2> /dev/null || true; }
trap 'stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2> /dev/null; do
  kill -0 "$run" 2> /dev/null || { tail -20 "$work/run.log" >&2; echo "make run stopped" >&2; exit 1; }
  sleep 2
done
echo "fresh clone to a server answering: $(($(date +%s) - start)) s (log: $work/run.log)"
