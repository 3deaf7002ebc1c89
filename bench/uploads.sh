#!/usr/bin/env bash
# Voters while hostile uploads arrive: the nearest-station load of
# bench/load.sh, first alone, then while UPLOADERS vendor systems at once
# send, again and again, files as large as the upload limit that are all
# wrong (two million lines of "1" under a "Nummer stembureau" header; lines
# in which nearly every field is wrong; a GeoJSON collection of empty
# features; a CKAN list of empty records). Reports voters' p99 in both runs
# (goal: with uploads within 1.5x of without), what the uploads were
# answered (422 refusals, 503 "busy, retry" from a full queue) and how
# long the slowest took, and the server's peak memory (VmHWM) before and
# after the uploads, per upload in flight and relative to the upload size
# (goal: at most 20x).
#
# Usage: bench/uploads.sh
# Environment: UPLOADERS=4 UPLOAD_WORKERS=4 (serve --upload-workers: files
#   checked at once; 4 makes the four uploads run together, which is what
#   the memory figure is about), LIMIT_MB=10, KK_BIN (the release binary;
#   default target/release/kieskaart), and the rest that bench/lib.sh lists.
# Needs: the release binary and the site (scripts/build-site.sh), wrk, curl,
#   python3.
set -euo pipefail
UPLOADERS=${UPLOADERS:-4}
UPLOAD_WORKERS=${UPLOAD_WORKERS:-4}
LIMIT_MB=${LIMIT_MB:-10}
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

require wrk wrk
require curl curl
make_workdir
kk_binary
db=$WORK/kieskaart.sqlite3
kk_prepare_db "$db"
if [[ $ELECTION == demo ]]; then code=GM9999; else code=GM0589; fi
token=$("$KK" --database "$db" token create --municipality "$code" --label bench | tail -n 1)
KK_SERVE_ARGS=(--upload-limit-mb "$LIMIT_MB" --upload-workers "$UPLOAD_WORKERS")
kk_start "$db"
server_pid=${OWN_PIDS[-1]}

log "writing the hostile files (${LIMIT_MB} MB each)"
python3 - "$WORK" "$((LIMIT_MB * 1024 * 1024))" << 'PY'
import sys
folder, limit = sys.argv[1], int(sys.argv[2])

def fill(name, head, item, tail=""):
    count = (limit - len(head) - len(tail)) // len(item)
    with open(f"{folder}/{name}", "w") as out:
        out.write(head + item * count + tail)

fill("ones.csv", "Nummer stembureau\n", "1\n")
fill("fields.csv",
     "Nummer stembureau,Naam stembureau,CBS gemeentecode,Latitude,Longitude,Openingstijd,Sluitingstijd,"
     "Toegankelijk voor mensen met een lichamelijke beperking,Website locatie,BAG Nummeraanduiding ID,Postcode,Toilet\n",
     "een," + "Zaal " * 30 + ",GM0589,noord,oost,vroeg,laat,misschien,geen website,onbekend,geen,soms\n")
fill("features.geojson", '{"type": "FeatureCollection", "features": [',
     '{"type": "Feature", "properties": {}, "geometry": null},', '{"type": "Feature", "properties": {}, "geometry": null}]}')
fill("records.json", '{"result": {"records": [', "{},", "{}]}}")
PY
files=(ones.csv fields.csv features.geojson records.json)

hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }

kk_wrk baseline ""
base_p50=$R_P50 base_p99=$R_P99 base_rps=$R_RPS base_noise=$R_NOISE
base_hwm=$(hwm_kb)

uploader() { # sends the files in turn until killed; one line per answer
  local turn=0 file
  while true; do
    file=${files[turn++ % ${#files[@]}]}
    curl -s -o /dev/null -w "%{http_code} %{time_total} $file\n" -X PUT \
      -H "Authorization: Bearer $token" --data-binary "@$WORK/$file" \
      "$KK_URL/api/v1/elections/$ELECTION/municipalities/$code/stations" >> "$WORK/uploads.txt" || true
  done
}
pids=()
for ((i = 0; i < UPLOADERS; i++)); do
  uploader &
  pids+=($!)
done
on_exit "kill ${pids[*]} 2> /dev/null"
sleep 2 # the uploads are under way before voters are measured
kk_wrk uploads ""
up_p50=$R_P50 up_p99=$R_P99 up_rps=$R_RPS up_noise=$R_NOISE
kill "${pids[@]}" 2> /dev/null || true
wait "${pids[@]}" 2> /dev/null || true
peak_hwm=$(hwm_kb)

refused=$(grep -c '^422 ' "$WORK/uploads.txt" || true)
busy=$(grep -c '^503 ' "$WORK/uploads.txt" || true)
answered=$(wc -l < "$WORK/uploads.txt")
other=$((answered - refused - busy))
slowest=$(grep '^422 ' "$WORK/uploads.txt" | sort -k2 -n | tail -n 1 | awk '{printf "%.1f s (%s)", $2, $3}')
limit_kb=$((LIMIT_MB * 1024))
growth_kb=$((peak_hwm - base_hwm))
in_flight=$((UPLOADERS < UPLOAD_WORKERS ? UPLOADERS : UPLOAD_WORKERS))

echo
echo "data: $DATA_DESC; $KK_STATIONS stations; voters: wrk, ${DURATION}s, $CONNECTIONS connections, $THREADS threads, on $(nproc) cores shared with the server"
echo "uploads: $UPLOADERS at once, ${LIMIT_MB} MB each (${files[*]} in turn), serve --upload-workers $UPLOAD_WORKERS"
table_header
table_row kieskaart baseline "$base_rps" "$base_p50" "$base_p99" 0 "$base_noise"
table_row kieskaart uploads "$up_rps" "$up_p50" "$up_p99" 0 "$up_noise"
python3 -c 'import sys; b, u = map(float, sys.argv[1:]); print(f"voters p99 with uploads / without: {u / b:.2f}x (goal: at most 1.5x)")' "$base_p99" "$up_p99"
echo "uploads answered: $answered ($refused refused with 422, $busy busy with 503, $other other); slowest refusal: ${slowest:-–}"
echo "server VmHWM: $((base_hwm / 1024)) MB before the uploads, $((peak_hwm / 1024)) MB after: +$((growth_kb / 1024)) MB" \
  "for $in_flight checked at once = $((growth_kb / in_flight / 1024)) MB per upload," \
  "$(python3 -c 'import sys; g, n, l = map(int, sys.argv[1:]); print(f"{g / n / l:.1f}")' "$growth_kb" "$in_flight" "$limit_kb")x the ${LIMIT_MB} MB limit (goal: at most 20x)"
((other == 0)) || die "uploads answered other than 422 or 503 (see $WORK/uploads.txt)"
