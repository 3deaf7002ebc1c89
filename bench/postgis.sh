#!/usr/bin/env bash
# Nearest-station queries: Kieskaart's HTTP API (wrk) side by side with
# PostgreSQL + PostGIS (pgbench), on the same stations, in one run.
#
# 1. Imports the data into a temporary SQLite database with kieskaart (as
#    bench/load.sh does: real data, the demo without ../shared, or SYNTHETIC=N).
# 2. Starts a throwaway PostgreSQL cluster in the temporary folder, copies the
#    published stations from that SQLite database into
#    stations(id, geom geography(Point,4326), wheelchair) with a GiST index.
# 3. Serves the same database with kieskaart and checks on a few points that
#    both engines return the same nearest stations.
# 4. Per query, pgbench (a random point in the box, then
#      SELECT id, ST_Distance(geom, pt) FROM stations ORDER BY geom <-> pt LIMIT K
#    and the same WHERE wheelchair), then wrk with bench/nearest.lua
#    (the same point distribution; needs=wheelchair for the second).
# 5. Prints a table: engine, query, req/s, p50, p99, and Kieskaart/PostGIS
#    throughput.
#
# Usage: bench/postgis.sh [--install]
#   --install  apt-get install PostGIS (postgresql-N-postgis-3) for the newest
#              PostgreSQL server installed (or offered), when missing
# Environment: DURATION=30 CONNECTIONS=64 THREADS=2 PGBENCH_MODE=prepared, and
#   the rest that bench/lib.sh lists.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

PGBENCH_MODE=${PGBENCH_MODE:-prepared} # pgbench -M: simple, extended or prepared

install=
case ${1:-} in
  --install) install=1 ;;
  "") ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument $1 (try --help)" ;;
esac

# --- which PostgreSQL ---------------------------------------------------------
# Debian keeps each server version's programs in /usr/lib/postgresql/N/bin; on
# the path there are only wrappers (/usr/bin/psql, /usr/bin/pgbench ->
# postgresql-common's pg_wrapper) or links (/usr/local/bin/pg_ctl here). We
# use one version's programs directly, so that server, psql and pgbench match.

server_versions() { # installed server versions, newest first
  local dir
  for dir in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x $dir ]] && basename "$(dirname "$(dirname "$dir")")"
  done | sort -rn
}

has_postgis() { [[ -f /usr/share/postgresql/$1/extension/postgis.control ]]; }

apt_offers() { # package: true when apt has an installation candidate for it
  apt-cache policy "$1" 2> /dev/null | grep -q 'Candidate: [0-9]'
}

install_postgis() {
  [[ $EUID -eq 0 ]] || die "--install runs apt-get: run it as root"
  local v chosen=
  # Prefer a server that is installed already; else the newest apt offers.
  for v in $(server_versions); do
    if apt_offers "postgresql-$v-postgis-3"; then chosen=$v && break; fi
  done
  if [[ -z $chosen ]]; then
    chosen=$(apt-cache search --names-only '^postgresql-[0-9]+-postgis-3$' |
      sed -E 's/^postgresql-([0-9]+)-.*/\1/' | sort -rn | head -n 1)
  fi
  if [[ -z $chosen ]]; then
    log "apt knows no postgresql-N-postgis-3; running apt-get update"
    apt-get update > /dev/null
    chosen=$(apt-cache search --names-only '^postgresql-[0-9]+-postgis-3$' |
      sed -E 's/^postgresql-([0-9]+)-.*/\1/' | sort -rn | head -n 1)
  fi
  [[ -n $chosen ]] || die "apt offers no postgresql-N-postgis-3 package"
  # Name the server package only when it is missing: naming an installed one
  # would upgrade it as a side effect.
  local packages=("postgresql-$chosen-postgis-3")
  [[ -x /usr/lib/postgresql/$chosen/bin/postgres ]] || packages=("postgresql-$chosen" "${packages[@]}")
  log "installing ${packages[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" >&2
}

pick_postgres() { # set PGBIN to the newest server with PostGIS
  local v
  for v in $(server_versions); do
    if has_postgis "$v"; then
      PGBIN=/usr/lib/postgresql/$v/bin
      log "PostgreSQL: $("$PGBIN/postgres" --version), PostGIS from /usr/share/postgresql/$v/extension"
      return
    fi
  done
  if [[ -n $install ]]; then
    install_postgis
    install=
    pick_postgres
    return
  fi
  if [[ -z $(server_versions) ]]; then
    die "no PostgreSQL server in /usr/lib/postgresql/*/bin; run: $0 --install"
  fi
  die "PostgreSQL $(server_versions | tr '\n' ' ')has no PostGIS; run: $0 --install"
}

# --- a throwaway cluster -------------------------------------------------------

# postgres refuses to run as root: as root, run the server as the user postgres
# (or nobody); psql and pgbench may stay root (trust authentication).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PGDIR" && runuser -u "$PG_USER" -- "$@")
  else
    "$@"
  fi
}

pg_start() {
  PGDIR=$WORK/pg
  mkdir "$PGDIR"
  if [[ $EUID -eq 0 ]]; then
    if id postgres > /dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
    chmod 711 "$WORK" # mktemp made it 700; the server user must pass through
    chown "$PG_USER:" "$PGDIR"
  fi
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    > "$PGDIR/initdb.log"
  PGPORT=$(free_port)
  # Clients find the server through these (psql and pgbench read them).
  export PGHOST=$PGDIR PGPORT PGUSER=postgres PGDATABASE=postgres
  # fsync off: the cluster is thrown away, and only the load writes. The data
  # (even a million stations) fits in shared_buffers. pg_ctl pastes -o into a
  # shell command line: it must stay one line.
  local options=(
    -c "port=$PGPORT" -c listen_addresses=127.0.0.1 -c "unix_socket_directories=$PGDIR"
    -c "max_connections=$((CONNECTIONS + 10))" -c shared_buffers=1GB
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off
  )
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 120 start \
    -o "${options[*]}" > /dev/null
  on_exit pg_stop
  OWN_PIDS+=("$(head -n 1 "$PGDIR/data/postmaster.pid")")
  log "PostgreSQL cluster in $PGDIR/data on 127.0.0.1:$PGPORT (socket in $PGDIR), server user ${PG_USER:-$USER}"
}

pg_stop() {
  [[ -f $PGDIR/data/postmaster.pid ]] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop > /dev/null
}

psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# pg_load DB: copy the published stations of ELECTION from kieskaart's SQLite
# database DB into the table stations of database bench.
pg_load() {
  local db=$1
  psql_ -c 'CREATE DATABASE bench'
  export PGDATABASE=bench
  psql_ <<'SQL'
CREATE EXTENSION postgis;
CREATE TABLE stations_in (id text, lat float8, lon float8, wheelchair bool);
SQL
  # station is the typed station as JSON: {"id", "location": {"lat", "lon"},
  # "accessibility": {"wheelchair": true|false|null}, ...}. Kieskaart counts
  # an unknown (null) as not offered; so does this.
  python3 - "$db" "$ELECTION" <<'PY' | psql_ -c '\copy stations_in FROM STDIN'
import json, sqlite3, sys

db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    """SELECT s.station FROM stations s
       JOIN published p ON p.version_id = s.version_id
       WHERE p.election_id = ?""",
    (sys.argv[2],),
)
for (text,) in rows:
    station = json.loads(text)
    location = station["location"]
    wheelchair = (station.get("accessibility") or {}).get("wheelchair") is True
    print(station["id"], repr(location["lat"]), repr(location["lon"]), "t" if wheelchair else "f", sep="\t")
PY
  psql_ <<'SQL'
CREATE TABLE stations (
  id text PRIMARY KEY,
  geom geography(Point, 4326) NOT NULL,
  wheelchair bool NOT NULL
);
INSERT INTO stations
  SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, wheelchair FROM stations_in;
DROP TABLE stations_in;
CREATE INDEX stations_geom ON stations USING gist (geom);
VACUUM ANALYZE stations;
SQL
  [[ $(psql_ -At -c 'SHOW fsync') == off ]] || die "the server ignored its options (pg_ctl -o)"
  PG_STATIONS=$(psql_ -At -c 'SELECT count(*) FROM stations')
  PG_DESC="PostgreSQL $(psql_ -At -c 'SHOW server_version' | cut -d' ' -f1)"
  PG_DESC+=", PostGIS $(psql_ -At -c 'SELECT postgis_lib_version()')"
  log "$PG_DESC: $PG_STATIONS stations ($(psql_ -At -c 'SELECT count(*) FROM stations WHERE wheelchair') wheelchair)"
}

# The query, as a pgbench script and for the cross-check. $1: extra WHERE.
nearest_sql() { # where lon lat
  cat << SQL
SELECT id, ST_Distance(geom, pt) AS distance_m
FROM stations, (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography AS pt) AS origin
${1:+WHERE $1}
ORDER BY geom <-> pt
LIMIT $K;
SQL
}

# pg_bench LABEL WHERE: pgbench the query; set R_RPS, R_P50, R_P99, R_ERRORS,
# R_NOISE and R_EXTRA (the steady-state tps).
pg_bench() {
  local label=$1 where=$2 script=$WORK/pgbench-$1.sql
  # A uniform point in the box, with the same 1e-6 degree grain as nearest.lua.
  {
    echo "\\set lat $LAT_MIN + ($LAT_MAX - $LAT_MIN) * random(0, 999999) / 1000000.0"
    echo "\\set lon $LON_MIN + ($LON_MAX - $LON_MIN) * random(0, 999999) / 1000000.0"
    nearest_sql "$where" :lon :lat
  } > "$script"
  best_of_tries _pg_bench_once "$label" "$script"
}

_pg_bench_once() {
  local label=$1 script=$2 out=$WORK/pgbench-$1.txt
  local args=(-n -M "$PGBENCH_MODE" -h 127.0.0.1 -c "$CONNECTIONS" -j "$THREADS" -f "$script")
  if ((WARMUP > 0)); then
    "$PGBIN/pgbench" "${args[@]}" -T "$WARMUP" --random-seed=$((SEED + 1)) > /dev/null 2>&1
  fi
  log "pgbench $label: ${DURATION}s, $CONNECTIONS clients, $THREADS threads, -M $PGBENCH_MODE"
  rm -f "$WORK/pglog-$label".*
  # -l: one line per transaction, latency in microseconds in field 3, for percentiles.
  measure "$out" "$PGBIN/pgbench" "${args[@]}" -T "$DURATION" --random-seed="$SEED" \
    -l --log-prefix="$WORK/pglog-$label"
  grep -E '^(number of (transactions actually processed|failed)|latency|tps)' "$out" >&2
  R_RPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$out")
  [[ -n $R_RPS ]] || { cat "$out" >&2; die "no tps in pgbench's output"; }
  # Percentiles leave out each client's first transaction: it pays for the
  # new backend's first PostGIS call (loading the library and its catalogs,
  # ~0.2-0.7 s here), which a pooled, long-lived connection pays once. wrk's
  # connections meet a warm server. Log lines: client transaction latency_us
  # script epoch_s epoch_us.
  local p
  p=$(cat "$WORK/pglog-$label".* | awk '$2 > 1 { print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999);
      printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
  read -r R_P50 R_P99 <<< "$p"
  # For comparison, the throughput after every client's first transaction.
  R_EXTRA=$(cat "$WORK/pglog-$label".* | awk '
    { t = $5 + $6 / 1e6; if ($2 == 1 && t > warm) warm = t; if (t > last) last = t; tx[NR] = t }
    END { for (i in tx) if (tx[i] > warm) n++; printf "%.0f", n / (last - warm) }')
  R_ERRORS=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
  R_ERRORS=${R_ERRORS:-0}
  log "pgbench $label: $R_RPS tps ($R_EXTRA once every client had run once)," \
    "p50 $R_P50 ms, p99 $R_P99 ms (per-transaction log); others used ${R_NOISE}% of a core"
}

# cross_check: on 30 pseudo-random points, both engines must give the same
# nearest stations (with and without the wheelchair filter). Ids of stations
# at equal distance may come in either order, so compare distances (both
# geodesic on the WGS84 ellipsoid; Kieskaart rounds to the centimetre) and
# the sets of ids below the K-th distance.
cross_check() {
  python3 - "$KK_URL" "$ELECTION" "$K" "$SEED" "$PGBIN/psql" <<'PY'
import json, os, random, subprocess, sys, urllib.request

url, election, k, seed, psql = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
env = lambda name: float(os.environ[name])
rng = random.Random(seed)
bad = 0
checks = 0
for _ in range(30):
    lat = round(rng.uniform(env("LAT_MIN"), env("LAT_MAX")), 6)
    lon = round(rng.uniform(env("LON_MIN"), env("LON_MAX")), 6)
    for needs, where in (("", ""), ("wheelchair", "WHERE wheelchair")):
        q = f"{url}/api/v1/elections/{election}/stations/nearest?lat={lat}&lon={lon}&k={k}"
        if needs:
            q += f"&needs={needs}"
        kk = [(s["id"], s["distance_m"]) for s in json.load(urllib.request.urlopen(q))["stations"]]
        sql = (f"SELECT id, ST_Distance(geom, pt) FROM stations, "
               f"(SELECT ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography AS pt) o "
               f"{where} ORDER BY geom <-> pt LIMIT {k}")
        out = subprocess.run([psql, "-X", "-At", "-F", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        pg = [(i, float(d)) for i, d in (line.split("\t") for line in out.splitlines())]
        checks += 1
        # distances agree within rounding to the centimetre
        same = len(kk) == len(pg) and all(abs(a[1] - b[1]) <= 0.011 for a, b in zip(kk, pg))
        if same and kk:
            edge = max(d for _, d in pg) - 0.011
            same = {i for i, d in kk if d < edge} == {i for i, d in pg if d < edge}
        if not same:
            bad += 1
            print(f"differ at {lat},{lon} {needs}: kieskaart {kk} postgis {pg}", file=sys.stderr)
print(f"cross-check: {checks - bad}/{checks} queries agree", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

# --- run ------------------------------------------------------------------------

require wrk wrk
require curl curl
pick_postgres
make_workdir
kk_binary
kk_prepare_db "$WORK/kieskaart.sqlite3"

pg_start
pg_load "$WORK/kieskaart.sqlite3"
log "plan: $(psql_ -c "EXPLAIN (COSTS OFF) $(nearest_sql wheelchair 5.0 52.0)" -At | tr '\n' ' ' | tr -s ' ')"

kk_start "$WORK/kieskaart.sqlite3"
[[ $KK_STATIONS -eq $PG_STATIONS ]] ||
  log "warning: kieskaart serves $KK_STATIONS stations, PostGIS has $PG_STATIONS"
cross_check || log "warning: the engines' answers differ (see above); the comparison is suspect"

# Both servers stay up; the one not under load is idle (no connections). The
# engines take turns, so a change in the machine's other load (other people's
# builds) hits both rather than one.
declare -A row rps steady
for query in all wheelchair; do
  filter=
  [[ $query == wheelchair ]] && filter=wheelchair
  pg_bench "$query" "$filter"
  row[postgis:$query]="$R_RPS $R_P50 $R_P99 $R_ERRORS $R_NOISE"
  rps[postgis:$query]=$R_RPS steady[$query]=$R_EXTRA
  kk_wrk "$query" "$filter"
  row[kieskaart:$query]="$R_RPS $R_P50 $R_P99 $R_ERRORS $R_NOISE"
  rps[kieskaart:$query]=$R_RPS
done

echo
echo "data: $DATA_DESC; $KK_STATIONS stations; k=$K; ${DURATION}s per run after ${WARMUP}s warm-up"
echo "load: $CONNECTIONS connections/clients, $THREADS threads, on $(nproc) cores shared by load generator and server"
echo "kieskaart: HTTP/1.1 JSON answers over loopback TCP, load from wrk"
echo "postgis:   $PG_DESC, rows over loopback TCP, load from pgbench -M $PGBENCH_MODE"
table_header
for query in all wheelchair; do
  for engine in kieskaart postgis; do
    # shellcheck disable=SC2086 # the row's fields are meant to split
    table_row "$engine" "$query" ${row[$engine:$query]}
  done
done
echo
for query in all wheelchair; do
  awk -v q="$query" -v a="${rps[kieskaart:$query]}" -v b="${rps[postgis:$query]}" -v s="${steady[$query]}" \
    'BEGIN { printf "throughput kieskaart/postgis, %-11s %5.2fx (%.2fx against postgis at steady state, %s tps)\n", q ":", a / b, a / s, s }'
done
