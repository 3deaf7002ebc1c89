#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) Kieskaart needs, from
# package registries only: crates.io, Debian and npm. Each step checks first
# and skips what is already there at the right version, so a second run
# takes seconds.
#
#   scripts/setup.sh build   # wasm32 target, wasm-bindgen-cli, npm build tools (wasm-opt, esbuild)
#   scripts/setup.sh test    # the above, plus Chromium, PostgreSQL and the end-to-end npm packages
set -euo pipefail

mode=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)

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

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes 3 to 5 minutes on 2 cores)"
  # Not --locked: its lock file names a dependency version crates.io lacks.
  # A build tool needs no link-time optimisation; without it the install
  # compiles in parallel.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Build tools from npm, wasm-opt among them: Debian's binaryen (108) turns
# wasm-bindgen 0.2.130's externref table into a funcref table, and the
# bundle then fails to start in the browser. esbuild minifies the JS glue
# and the stylesheet. scripts/build-site.sh runs them from node_modules/.bin.
# cargo-leptos is not needed (build-site.sh takes its steps itself); a
# developer who wants `cargo leptos watch` installs it by hand (README).
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
