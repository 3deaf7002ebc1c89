#!/usr/bin/env bash
# Builds everything the server serves: the release binary and the browser
# bundle (cargo-leptos), and Leaflet from npm, which the map loads from our
# own origin so that no page asks a CDN for anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo leptos build --release
leaflet=node_modules/leaflet/dist
vendor=target/site/vendor/leaflet
rm -rf "$vendor"
mkdir -p "$vendor"
cp -r "$leaflet/leaflet.js" "$leaflet/leaflet.css" "$leaflet/images" "$vendor/"
