#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) Kieskaart needs, from
# package registries only: crates.io, Debian and npm. Each step checks first
# and skips what is already there at the right version, so a second run
# takes seconds.
#
#   scripts/setup.sh build   # wasm32 target, cargo-leptos, wasm-bindgen-cli, npm build tools (wasm-opt)
#   scripts/setup.sh test    # the above, plus Chromium, PostgreSQL and the end-to-end npm packages
set -euo pipefail

mode=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)

CARGO_LEPTOS_VERSION=0.3.10
# wasm-bindgen-cli must match the wasm-bindgen library exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' "$root/Cargo.lock")

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -qq
    apt_updated=yes
  fi
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

need_command() { # command debian-package
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes 15 to 25 minutes on 2 cores)"
  # no_downloads: use the wasm-bindgen and wasm-opt installed here instead
  # of downloading binaries at build time. Its own release profile asks for
  # fat LTO with one codegen unit, which dominates the compile; a build
  # tool does not need that, so the profile is relaxed for this install.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes about 10 minutes)"
  # Not --locked: its lock file names a dependency version crates.io lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Build tools from npm, wasm-opt among them: Debian's binaryen (108) turns
# wasm-bindgen 0.2.130's externref table into a funcref table, and the
# bundle then fails to start in the browser. The Makefile puts
# node_modules/.bin first on PATH, where cargo-leptos looks for wasm-opt.
need_command npm npm
npm_ci_if_stale() { # folder
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    say "installing npm packages in ${1#$root/}"
    (cd "$1" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}
npm_ci_if_stale "$root"

if [ "$mode" = test ]; then
  need_command chromium chromium
  # The store tests run against PostgreSQL too (scripts/with-postgres.sh).
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || apt_install postgresql
  # Playwright would fetch its own browsers; the tests use Debian's Chromium.
  npm_ci_if_stale "$root/end2end"
fi
