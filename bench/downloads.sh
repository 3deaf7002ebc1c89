#!/usr/bin/env bash
# Does a national download slow voters' searches? Serves the data (real
# 2026 file, or SYNTHETIC=N stations) and loads the nearest-station API with
# wrk, first alone and then while DOWNLOADERS clients fetch the whole
# country's CSV and GeoJSON in a loop (half with gzip, half without, as
# re-users' tools do). Also times the first download (made from the store)
# and a later one (served from memory).
#
# Usage: bench/downloads.sh
# Environment: DOWNLOADERS=2, PAUSE=0 (seconds each loop waits between
#   files), and what bench/lib.sh lists (DURATION=30 ...).
# Needs: target/release/kieskaart, wrk, curl, python3.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

DOWNLOADERS=${DOWNLOADERS:-2}
PAUSE=${PAUSE:-0}

require wrk wrk
require curl curl
make_workdir
kk_binary
kk_prepare_db "$WORK/kieskaart.sqlite3"
kk_start "$WORK/kieskaart.sqlite3"

national=$KK_URL/data/$ELECTION/stembureaus
fetch() { curl -fsS -o /dev/null -w '%{time_total} %{size_download}\n' "$@"; }
read -r first first_size < <(fetch --compressed "$national.csv")
read -r cached _ < <(fetch --compressed "$national.csv")
read -r plain plain_size < <(fetch "$national.csv")

kk_wrk alone ""
read -r alone_rps alone_p50 alone_p99 alone_errors <<< "$R_RPS $R_P50 $R_P99 $R_ERRORS"

count=$WORK/downloads
for ((i = 0; i < DOWNLOADERS; i++)); do
  (
    while :; do
      if ((i % 2)); then encoding=(); else encoding=(--compressed); fi
      curl -fsS -o /dev/null "${encoding[@]}" "$national.csv" && echo >> "$count.$i"
      sleep "$PAUSE"
      curl -fsS -o /dev/null "${encoding[@]}" "$national.geojson" && echo >> "$count.$i"
      sleep "$PAUSE"
    done
  ) &
  on_exit "kill $! 2> /dev/null"
done
# The downloaders' CPU is the point of this run, not noise to retry on.
TRIES=1 kk_wrk with-downloads ""
served=$(cat "$count".* 2> /dev/null | wc -l)

echo
echo "data: $DATA_DESC; $KK_STATIONS stations; national CSV $plain_size bytes, $first_size gzip"
echo "first national CSV (made from the store): ${first}s; again (from memory): ${cached}s; without gzip: ${plain}s"
echo "load: wrk, ${DURATION}s, $CONNECTIONS connections on nearest; $DOWNLOADERS download loops (pause ${PAUSE}s) served $served national files meanwhile"
table_header
table_row kieskaart "alone" "$alone_rps" "$alone_p50" "$alone_p99" "$alone_errors" "-"
table_row kieskaart "downloads" "$R_RPS" "$R_P50" "$R_P99" "$R_ERRORS" "$R_NOISE"
