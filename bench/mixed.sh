#!/usr/bin/env bash
# The load of an election evening while a municipality publishes: wrk with
# bench/mixed.lua (70% nearest API, 20% results pages, 10% static files)
# for DURATION seconds at CONNECTIONS connections, while one municipality
# publishes a new version through the vendor API every PUBLISH_EVERY
# seconds, alternating two versions of its stations. Target: no error and
# no failed publication. Prints wrk's report and a summary.
#
# Usage: bench/mixed.sh
# Environment: DURATION=60 CONNECTIONS=200 THREADS=2 PUBLISH_EVERY=10, and
#   the rest that bench/lib.sh lists.
# Needs: the release build with its static files (scripts/build-site.sh),
#   wrk, curl, python3.
set -euo pipefail
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-200}
PUBLISH_EVERY=${PUBLISH_EVERY:-10}
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"
export BENCH_DIR

require wrk wrk
require curl curl
make_workdir
[[ -f $ROOT/target/site/pkg/kieskaart.css ]] || die "no static files in target/site: run scripts/build-site.sh"
kk_binary
db=$WORK/kieskaart.sqlite3
kk_prepare_db "$db"

# The publishing municipality: Oudewater in the real data, else the demo's.
if [[ $ELECTION == demo ]]; then code=GM9999 source=$ROOT/server/demo/demodorp-ckan.json; else code=GM0589 source=$DATA; fi
python3 - "$source" "$code" "$WORK/a.json" "$WORK/b.json" << 'PY'
import json, sys
source, code, a, b = sys.argv[1:]
data = json.load(open(source))
records = [r for r in data["result"]["records"] if r["CBS gemeentecode"] == code]
json.dump({"result": {"records": records}}, open(a, "w"))
for r in records:
    r["Naam stembureau"] += " (b)"
json.dump({"result": {"records": records}}, open(b, "w"))
PY
token=$("$KK" --database "$db" token create --municipality "$code" --label bench | tail -n 1)
kk_start "$db"

publisher() {
  local turn=0 file status
  while sleep "$PUBLISH_EVERY"; do
    file=$WORK/a.json
    ((turn++ % 2 == 0)) && file=$WORK/b.json
    status=$(curl -s -o "$WORK/publish-$turn.json" -w '%{http_code} %{time_total}' -X PUT \
      -H "Authorization: Bearer $token" --data-binary "@$file" \
      "$KK_URL/api/v1/elections/$ELECTION/municipalities/$code/stations?publish=true")
    echo "$status" >> "$WORK/publishes.txt"
  done
}
publisher &
publisher_pid=$!
on_exit "kill $publisher_pid 2> /dev/null"

log "wrk mixed: ${DURATION}s, $CONNECTIONS connections, $THREADS threads, $code publishing every ${PUBLISH_EVERY}s"
ELECTION=$ELECTION K=$K SEED=$SEED wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s \
  -s "$BENCH_DIR/mixed.lua" --latency "$KK_URL/" > "$WORK/wrk.txt"
kill "$publisher_pid" 2> /dev/null || true
grep -v '^RESULT' "$WORK/wrk.txt" >&2
result=$(grep '^RESULT' "$WORK/wrk.txt") || die "wrk printed no RESULT line"
errors=$(($(field "$result" errors_connect) + $(field "$result" errors_read) + $(field "$result" errors_write) +
  $(field "$result" errors_status) + $(field "$result" errors_timeout)))
published=$(grep -c '^200 ' "$WORK/publishes.txt" || true)
attempts=$(wc -l < "$WORK/publishes.txt")
slowest=$(sort -k2 -n "$WORK/publishes.txt" | tail -n 1 | cut -d' ' -f2)

echo
echo "data: $DATA_DESC; $KK_STATIONS stations; $code publishing every ${PUBLISH_EVERY}s through PUT …/stations?publish=true"
echo "load: wrk, ${DURATION}s, $CONNECTIONS connections, $THREADS threads, 70% nearest / 20% results pages / 10% static, on $(nproc) cores shared with the server"
printf '%10s %9s %9s %7s %12s %12s\n' 'req/s' 'p50 ms' 'p99 ms' errors publications 'slowest s'
printf '%10.0f %9.2f %9.2f %7s %12s %12s\n' "$(field "$result" rps)" "$(field "$result" p50_ms)" \
  "$(field "$result" p99_ms)" "$errors" "$published/$attempts" "${slowest:-–}"
((errors == 0 && published == attempts)) || die "errors under load or failed publications (see $WORK)"
