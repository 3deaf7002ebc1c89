#!/usr/bin/env bash
# Anonymous portal requests against an officer's and a vendor's work: for
# DURATION seconds ATTACKERS clients post made-up activation links (each with
# a valid new password) and as many sign in as made-up accounts (each
# checked against the decoy hash), as fast as they can, while an officer
# signs in and a vendor system uploads a draft, ROUNDS times each. Prints
# their times alone and under the flood, and how the attackers were answered.
# Target: the vendor's upload stays within tens of milliseconds (it waited
# 1.1 s behind 48 activation posts when they were hashed holding the store),
# and the officer's sign-in waits its turn to hash (two at once, at most 3 s,
# else 503 with Retry-After) but is not stalled.
#
# Usage: bench/portal-flood.sh
# Environment: ATTACKERS=48 DURATION=10 ROUNDS=5
#   BIN=target/release/kieskaart (a debug build also does: argon2 is built
#   optimised in every profile), KEEP=1.
# Needs: python3, curl. Sends traffic to loopback only (the attackers from
# addresses 127.0.1.x of their own, the officer and vendor from 127.0.0.1).
set -euo pipefail
ATTACKERS=${ATTACKERS:-48}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

require curl curl
make_workdir
KK=${BIN:-$ROOT/target/release/kieskaart}
[[ -x $KK ]] || die "no binary at $KK: scripts/build-site.sh (serve needs the site too), or give BIN=path"
db=$WORK/kieskaart.sqlite3
"$KK" --database "$db" demo >&2
ELECTION=demo
token=$("$KK" --database "$db" token create --municipality GM9999 --label bench | tail -n 1)
link=$("$KK" --database "$db" user add --email officer@demodorp.nl --municipality GM9999 | tail -n 1)
kk_start "$db"
python3 "$BENCH_DIR/portal_flood.py" "$KK_URL" "${link#*localhost:3000}" "$token" \
  "$ROOT/server/demo/demodorp-ckan.json" "$ATTACKERS" "$DURATION" "$ROUNDS"
