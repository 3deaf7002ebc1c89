#!/usr/bin/env bash
# HTTP load test of GET /api/v1/elections/{election}/stations/nearest with wrk.
#
# Imports the real 2026 data (../shared/data/wims-gr2026-ckan.json; the demo
# dataset when ../shared is absent) into a temporary SQLite database, serves it
# with the release binary on a free port and loads it with bench/nearest.lua:
# every request asks for the K nearest stations to a fresh pseudo-random point
# over the Netherlands. Prints wrk's report and a one-line summary.
#
# Usage: bench/load.sh
# Environment: DURATION=30 CONNECTIONS=64 THREADS=2 NEEDS=wheelchair
#   ACCEPT_ENCODING=gzip, and the rest that bench/lib.sh lists.
# Needs: target/release/kieskaart (scripts/build-site.sh, which serve needs for its pages), wrk,
#   curl, python3.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

NEEDS=${NEEDS:-}
export ACCEPT_ENCODING=${ACCEPT_ENCODING:-}

require wrk wrk
require curl curl
make_workdir
kk_binary
kk_prepare_db "$WORK/kieskaart.sqlite3"
kk_start "$WORK/kieskaart.sqlite3"

label=nearest${NEEDS:+-$NEEDS}
kk_wrk "$label" "$NEEDS"

echo
echo "data: $DATA_DESC; $KK_STATIONS stations served; k=$K${NEEDS:+, needs=$NEEDS}${ACCEPT_ENCODING:+, Accept-Encoding: $ACCEPT_ENCODING}"
echo "load: wrk, ${DURATION}s, $CONNECTIONS connections, $THREADS threads, on $(nproc) cores shared with the server"
table_header
table_row kieskaart "${NEEDS:-all}" "$R_RPS" "$R_P50" "$R_P99" "$R_ERRORS" "$R_NOISE"
