#!/usr/bin/env bash
# Sizes of what a browser downloads, raw and gzip (-9, what a server's
# compression approaches), from a release build in target/site.
# Usage: bench/page-weight.sh [URL of a results page on a running server]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pkg="$root/target/site/pkg"
[ -d "$pkg" ] || { echo "no release build: run 'cargo leptos build --release' first" >&2; exit 1; }

row() { # label file
  printf '%-28s %10d %10d\n' "$1" "$(wc -c < "$2")" "$(gzip -9c "$2" | wc -c)"
}

printf '%-28s %10s %10s\n' file bytes gzip
for file in "$pkg"/*; do row "pkg/$(basename "$file")" "$file"; done
if [ $# -ge 1 ]; then
  page=$(mktemp)
  curl -fsS "$1" -o "$page"
  row "HTML $1" "$page"
  rm -f "$page"
fi
