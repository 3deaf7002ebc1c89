#!/usr/bin/env bash
# Sizes of what a browser downloads, raw and gzip (-9, what a server's
# compression approaches), from a release build in target/site, against the
# voter-experience budget: HTML of a results page ≤ 30 KB, all JS + WASM ≤
# 250 KB and CSS ≤ 20 KB, gzip.
# Usage: bench/page-weight.sh [URL of a results page on a running server]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
site="$root/target/site"
[ -d "$site/pkg" ] || { echo "no release build: run scripts/build-site.sh first" >&2; exit 1; }

gz() { gzip -9c "$1" | wc -c; }
row() { # label file
  printf '%-36s %10d %10d\n' "$1" "$(wc -c < "$2")" "$(gz "$2")"
}

printf '%-36s %10s %10s\n' file bytes gzip
script=0 style=0
for file in "$site"/pkg/*.js "$site"/pkg/*.wasm "$site"/vendor/leaflet/leaflet.js; do
  row "${file#"$site"/}" "$file"
  script=$((script + $(gz "$file")))
done
for file in "$site"/pkg/*.css "$site"/vendor/leaflet/leaflet.css; do
  row "${file#"$site"/}" "$file"
  style=$((style + $(gz "$file")))
done
printf '\nall JS + WASM, gzip: %d bytes (budget 250000)\n' "$script"
printf 'all CSS, gzip: %d bytes (budget 20000)\n' "$style"
if [ $# -ge 1 ]; then
  page=$(mktemp)
  curl -fsS "$1" -o "$page"
  row "HTML $1" "$page"
  printf 'HTML, gzip: %d bytes (budget 30000)\n' "$(gz "$page")"
  rm -f "$page"
fi
