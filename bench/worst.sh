#!/usr/bin/env bash
# The search's worst cases over HTTP, against bare axum in the same run.
#
# A national-size election (N stations, bench/national.py: the real 2026
# municipalities scaled up, the five smallest publishing 1 to 5 stations) is
# served with the real boundaries loaded, so the municipal elections' rule
# is on. wrk then asks the nearest endpoint (k=5) for each case alone
# (random points, the smallest municipalities, rare needs, a rare kind with
# a rare need, an hour when few stations are open) and for all of them
# mixed; and, as the yardstick, a bare axum binary (server/examples/
# bare_axum.rs) answering every request with a body the size of a typical
# answer. Goal (issue 21): the mix at 85% of bare axum's requests per second
# or more, p99 at most 10 ms.
#
# Usage: bench/worst.sh
# Environment: N=10000 DURATION=8 CONNECTIONS=64 THREADS=2, and the rest
#   that bench/lib.sh lists.
# Needs: target/release/kieskaart (scripts/build-site.sh), ../shared/data
#   (the real stations and boundaries), wrk, curl, python3, cargo.
set -euo pipefail
N=${N:-10000}
DURATION=${DURATION:-8}
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"
export BENCH_DIR

require wrk wrk
require curl curl
boundaries=$ROOT/../shared/data/municipalities-rd.geojson
[[ -f $DATA && -f $boundaries ]] || die "needs the real stations and boundaries in ../shared/data"
make_workdir
kk_binary

log "building the bare axum yardstick (release, the server's features)"
(cd "$ROOT" && cargo build --quiet --release -p kieskaart --example bare_axum --no-default-features --features ssr)
bare_bin=$ROOT/target/release/examples/bare_axum

ELECTION=gr2026
db=$WORK/kieskaart.sqlite3
export QUERIES=$WORK/queries.txt
DATA_DESC=$(python3 "$BENCH_DIR/national.py" "$DATA" "$N" "$SEED" "$WORK/national.json" "$QUERIES" "$ELECTION")
log "data: $DATA_DESC"
"$KK" --database "$db" import "$WORK/national.json" --election "$ELECTION" --report json > /dev/null
"$KK" --database "$db" boundaries import "$boundaries" >&2
kk_start "$db"

# The yardstick's body: as large as the answer to the first random query.
first=$(grep -m1 '^random ' "$QUERIES" | cut -d' ' -f2)
bytes=$(curl -fsS "$KK_URL$first" | wc -c)
bare_port=$(free_port)
"$bare_bin" "127.0.0.1:$bare_port" "$bytes" &
bare_pid=$!
on_exit "kill $bare_pid 2> /dev/null; wait $bare_pid 2> /dev/null"
OWN_PIDS+=("$bare_pid")
until curl -fsS -o /dev/null "http://127.0.0.1:$bare_port/"; do sleep 0.1; done

export WRK_SCRIPT=$BENCH_DIR/worst.lua
rows=()
run() { # label case url
  CASE=$2 WRK_URL=$3 kk_wrk "$1" ""
  rows+=("$1 $R_RPS $R_P50 $R_P99 $R_ERRORS $R_NOISE")
}
run bare-axum mix "http://127.0.0.1:$bare_port"
run mix mix "$KK_URL"
for case in $(cut -d' ' -f1 "$QUERIES" | uniq); do
  run "$case" "$case" "$KK_URL"
done

echo
echo "data: $DATA_DESC; $KK_STATIONS stations served, boundaries loaded, municipality rule on; k=5; bare body $bytes bytes"
echo "load: wrk, ${DURATION}s per row, $CONNECTIONS connections, $THREADS threads, on $(nproc) cores shared with the server"
bare_rps=${rows[0]#* }
bare_rps=${bare_rps%% *}
printf '%-24s %10s %9s %9s %7s %8s %8s\n' query 'req/s' 'p50 ms' 'p99 ms' errors 'others%' 'of bare'
for row in "${rows[@]}"; do
  read -r label rps p50 p99 errors noise <<< "$row"
  printf '%-24s %10.0f %9.2f %9.2f %7s %8s %7.0f%%\n' "$label" "$rps" "$p50" "$p99" "$errors" "$noise" \
    "$(python3 -c "print($rps * 100 / $bare_rps)")"
done
