#!/usr/bin/env bash
# Builds everything the server serves, into target/site, without
# cargo-leptos (which takes 20 minutes to compile on 2 cores before it
# builds anything). The steps are the ones `cargo leptos build --release`
# takes for this workspace ([[workspace.metadata.leptos]] in Cargo.toml),
# so `cargo leptos watch` still works for a developer who installs it:
#
#   1. the server:   cargo build --release, features `ssr`
#   2. the bundle:   cargo build of `frontend` for wasm32, profile wasm-release
#   3. wasm-bindgen (JS glue for the browser), wasm-opt -Oz, esbuild --minify
#   4. style/main.css minified to pkg/kieskaart.css; public/ copied as is
#   5. Leaflet from npm, which the map loads from our own origin so that no
#      page asks a CDN for anything
#
# LEPTOS_OUTPUT_NAME comes from .cargo/config.toml: the pages name
# pkg/kieskaart.{js,wasm,css}, and `serve` refuses to start without them.
# Tools: wasm-bindgen-cli (cargo), wasm-opt and esbuild (npm; the Makefile
# puts node_modules/.bin first on PATH), all from scripts/setup.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"

name=kieskaart
site=target/site
pkg=$site/pkg
# The wasm-opt features the workspace metadata names, for both ways of building.
wasm_opt_features=$(sed -n 's/^wasm-opt-features = \[\(.*\)\]$/\1/p' Cargo.toml | tr -d '",')
[ -n "$wasm_opt_features" ] || { echo "build-site: no wasm-opt-features in Cargo.toml" >&2; exit 1; }

cargo build --release --package kieskaart --bin kieskaart --no-default-features --features ssr
cargo build --package frontend --lib --target wasm32-unknown-unknown --profile wasm-release --no-default-features

bindgen=$(mktemp -d)
trap 'rm -rf "$bindgen"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$bindgen" --out-name "$name" \
  target/wasm32-unknown-unknown/wasm-release/frontend.wasm

rm -rf "$site"
mkdir -p "$pkg"
# Leptos's hydration script asks for pkg/NAME.wasm, not wasm-bindgen's NAME_bg.wasm.
# shellcheck disable=SC2086 # one flag per word
wasm-opt $wasm_opt_features "$bindgen/${name}_bg.wasm" -o "$pkg/$name.wasm"
esbuild "$bindgen/$name.js" --minify --format=esm --log-level=warning --outfile="$pkg/$name.js"
if [ -d "$bindgen/snippets" ]; then cp -r "$bindgen/snippets" "$pkg/"; fi
esbuild style/main.css --minify --log-level=warning --outfile="$pkg/$name.css"
cp -r public/. "$site/"

leaflet=node_modules/leaflet/dist
vendor=$site/vendor/leaflet
mkdir -p "$vendor"
cp -r "$leaflet/leaflet.js" "$leaflet/leaflet.css" "$leaflet/images" "$vendor/"
