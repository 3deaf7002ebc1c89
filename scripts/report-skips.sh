#!/usr/bin/env bash
# The last lines of `make test`: how many Rust tests skipped part of what
# they check, and why. A passing test's output is captured and never shown,
# so without this a missing ../shared/data or PostgreSQL would look like a
# pass. On CI (CI set), where both are always there, any skip fails the run.
# Usage: scripts/report-skips.sh FILE   (the file KIESKAART_SKIPPED_LOG named)
set -euo pipefail
log=${1:?usage: report-skips.sh FILE}
if [ ! -s "$log" ]; then
  echo "skipped checks: none"
  exit 0
fi
count=$(wc -l < "$log")
echo "skipped checks: $count (the test goes on without them)"
sort "$log" | sed 's/^/  /'
if [ -n "${CI:-}" ]; then
  echo "CI has ../shared/data and PostgreSQL: a skip there means a broken setup" >&2
  exit 1
fi
