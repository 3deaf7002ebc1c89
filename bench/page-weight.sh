#!/usr/bin/env bash
# Sizes of what a browser downloads, raw and gzip (-9, what a server's
# compression approaches), from a release build in target/site, against the
# voter-experience budget: HTML of a results page ≤ 30 KB, all JS + WASM ≤
# 250 KB and CSS ≤ 20 KB, gzip. For each page URL given, its HTML and the
# whole page: HTML and CSS, the bundle when the page loads it, and Leaflet
# when the page has a map.
# Usage: bench/page-weight.sh [URL of a page on a running server ...]
#   e.g. bench/page-weight.sh 'http://127.0.0.1:3000/?q=3421CT' \
#          'http://127.0.0.1:3000/embed?q=3421CT&map=0'
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
site="$root/target/site"
[ -d "$site/pkg" ] || { echo "no release build: run scripts/build-site.sh first" >&2; exit 1; }

gz() { gzip -9c "$1" | wc -c; }
row() { # label file
  printf '%-44s %10d %10d\n' "$1" "$(wc -c < "$2")" "$(gz "$2")"
}

printf '%-44s %10s %10s\n' file bytes gzip
bundle=0 style=0 leaflet=0
for file in "$site"/pkg/*.js "$site"/pkg/*.wasm; do
  row "${file#"$site"/}" "$file"
  bundle=$((bundle + $(gz "$file")))
done
for file in "$site"/pkg/*.css; do
  row "${file#"$site"/}" "$file"
  style=$((style + $(gz "$file")))
done
for file in "$site"/vendor/leaflet/leaflet.js "$site"/vendor/leaflet/leaflet.css; do
  row "${file#"$site"/}" "$file"
  leaflet=$((leaflet + $(gz "$file")))
done
printf '\nall JS + WASM, gzip: %d bytes with Leaflet (budget 250000), %d without\n' \
  "$((bundle + $(gz "$site/vendor/leaflet/leaflet.js")))" "$bundle"
printf 'all CSS, gzip: %d bytes with Leaflet'"'"'s (budget 20000)\n' \
  "$((style + $(gz "$site/vendor/leaflet/leaflet.css")))"
page=$(mktemp)
trap 'rm -f "$page"' EXIT
for url in "$@"; do
  curl -fsS "$url" -o "$page"
  html=$(gz "$page")
  total=$((html + style))
  parts=" (HTML + CSS"
  if grep -q 'kieskaart.js' "$page"; then
    total=$((total + bundle))
    parts="$parts + JS + WASM"
  fi
  if grep -q 'class="map"' "$page"; then
    total=$((total + leaflet))
    parts="$parts + Leaflet"
  fi
  map="$parts)"
  printf '\n%s\n  HTML, gzip: %d bytes (budget 30000)\n  whole page, gzip: %d bytes%s\n' "$url" "$html" "$total" "$map"
done
