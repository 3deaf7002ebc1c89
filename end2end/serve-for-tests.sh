#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh database with
# the demo dataset and, when ../shared/data is there, the real 2026 stations.
# Usage: serve-for-tests.sh [port] [map tile URL template, or off]
set -euo pipefail
port=${1:-3917}
tiles=${2:-off}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/kieskaart"
db="$(mktemp -d)/kieskaart.sqlite3"
real="$root/../shared/data/wims-gr2026-ckan.json"
boundaries="$root/../shared/data/municipalities-rd.geojson"

"$bin" --database "$db" demo
if [ -f "$real" ]; then
  "$bin" --database "$db" import "$real" --election gr2026
  "$bin" --database "$db" boundaries import "$boundaries"
else
  echo "real data absent ($real): journeys that need it will be skipped" >&2
fi
# Browser tests never call real online services: offline geocoding only,
# and map tiles from the loopback stand-in (or none).
exec "$bin" --database "$db" serve --no-demo --geocoder off --tiles "$tiles" --addr "127.0.0.1:$port" --site-root "$root/target/site"
