#!/usr/bin/env bash
# Import benchmark: parse + validate + store of N synthetic stations with
# `kieskaart import`, then load + index of them by `kieskaart serve` (from
# start until the API answers). Prints wall time and peak memory (maximum
# resident set) of each step.
#
# The synthetic files are copies of the real 2026 records (all 48 fields,
# about 1.5 KB per record) at random points over the Netherlands, made by
# bench/synthetic_ckan.py; without ../shared the benchmark cannot run.
#
# Usage: bench/import.sh
# Environment: SIZES="10000 1000000", and what bench/lib.sh lists (KEEP=1).
# Needs: target/release/kieskaart (scripts/build-site.sh, which serve needs for its pages),
#   /usr/bin/time (Debian package time), curl, python3.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

SIZES=${SIZES:-10000 1000000}
[[ -f $DATA ]] || die "$DATA is absent: the synthetic files are made from the real records"
require curl curl
[[ -x /usr/bin/time ]] || require time time
make_workdir
kk_binary

# peak_mib PID: the process's maximum resident set so far, in MiB.
peak_mib() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

rows=()
for n in $SIZES; do
  file=$WORK/synthetic-$n.json db=$WORK/import-$n.sqlite3
  log "writing $n synthetic records"
  python3 "$BENCH_DIR/synthetic_ckan.py" "$DATA" "$n" 42 "$file"
  megabytes=$(($(stat -c %s "$file") / 1000000))

  log "importing $n records ($megabytes MB)"
  /usr/bin/time -f '%e %M' -o "$WORK/time-$n.txt" \
    "$KK" --database "$db" import "$file" --election bench > "$WORK/import-$n.log" 2>&1 ||
    { cat "$WORK/import-$n.log" >&2; die "the import of $n records failed"; }
  read -r import_s import_kb < "$WORK/time-$n.txt"

  log "serving them: load and index"
  port=$(free_port)
  start=$(date +%s.%N)
  "$KK" --database "$db" serve --addr "127.0.0.1:$port" --no-demo --geocoder off \
    --site-root "$ROOT/target/site" > "$WORK/serve-$n.log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/elections" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || { cat "$WORK/serve-$n.log" >&2; die "the server exited"; }
    sleep 0.05
  done
  index_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)")
  index_mib=$(peak_mib "$pid")
  kill "$pid"
  wait "$pid" 2> /dev/null || true

  rows+=("$(printf '| %s | %s | %s | %s | %s | %s |' "$n" "$megabytes" "$import_s" \
    "$((import_kb / 1024))" "$index_s" "$index_mib")")
  rm -f "$file" "$db" "$db"-*
done

echo
echo "kieskaart import (parse + validate + store), then serve (load + index), on $(nproc) cores"
echo "| records | MB JSON | import s | import MiB | load+index s | serve MiB |"
echo "|--------:|--------:|---------:|-----------:|-------------:|----------:|"
printf '%s\n' "${rows[@]}"
