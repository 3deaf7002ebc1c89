# shellcheck shell=bash
# Shared functions of bench/load.sh and bench/postgis.sh. Source it, don't run it.
# The globals set here (DATA_DESC, R_RPS, ...) are read by the sourcing scripts:
# shellcheck disable=SC2034
#
# Sourcing it sets BENCH_DIR and ROOT, reads the common parameters from the
# environment and installs an EXIT trap that runs what on_exit registered.
#
# Common parameters (environment):
#   DURATION=30 CONNECTIONS=64 THREADS=2   load: seconds, connections/clients, threads
#   WARMUP=3      seconds of unmeasured load before each measured run (0: none)
#   K=5           stations per query
#   SEED=1        seed of the pseudo-random points (wrk threads and pgbench)
#   DATA=../shared/data/wims-gr2026-ckan.json   real data to import
#   SYNTHETIC=N   import N generated stations instead (bench/synthetic_ckan.py)
#   KK_BIN=target/release/kieskaart   the release binary to measure
#   BIN_WAIT=20   seconds to wait for it when it is missing
#                 (someone may be rebuilding it)
#   KEEP=1        keep the temporary folder (logs, databases) and print its path
#   QUIET_WAIT=0  before each measured run, wait up to this many seconds for the
#                 machine to be idle (other processes below 10% of one core)
#   TRIES=3 NOISE_MAX=10   repeat a run (up to TRIES in all) while other
#                 processes took more than NOISE_MAX % of one core during it

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3}
K=${K:-5}
SEED=${SEED:-1}
DATA=${DATA:-$ROOT/../shared/data/wims-gr2026-ckan.json}
SYNTHETIC=${SYNTHETIC:-}
BIN_WAIT=${BIN_WAIT:-20}
KEEP=${KEEP:-}
QUIET_WAIT=${QUIET_WAIT:-0}
TRIES=${TRIES:-3}
NOISE_MAX=${NOISE_MAX:-10}

# The query box: the Netherlands (European part). nearest.lua and the pgbench
# script both read these.
export LAT_MIN=50.75 LAT_MAX=53.55 LON_MIN=3.35 LON_MAX=7.22

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# --- cleanup: a stack of commands run on exit, last registered first --------

_cleanups=()
on_exit() { _cleanups+=("$1"); }
_run_cleanups() {
  local i
  for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
    eval "${_cleanups[i]}" || true
  done
}
trap _run_cleanups EXIT
# Turn Ctrl-C and kill into a normal exit so that the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# make_workdir: WORK becomes a fresh temporary folder, removed on exit unless KEEP.
make_workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/kieskaart-bench.XXXXXX")
  if [[ -n $KEEP ]]; then
    on_exit "log 'kept $WORK'"
  else
    on_exit "rm -rf '$WORK'"
  fi
}

# free_port: print a TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

require() { # command package: install the Debian package when the command is missing
  command -v "$1" > /dev/null && return
  log "$1 is missing; installing Debian package $2"
  [[ $EUID -eq 0 ]] || die "run 'sudo apt-get install -y $2' first"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" > /dev/null ||
    { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" > /dev/null; } ||
    die "could not install $2"
}

# --- the other load on the machine ----------------------------------------------
# The load generator and the server share 2 cores with whatever else runs
# (here: other people's cargo builds, which come and go). Before a run we wait
# for quiet; during a run we count the CPU time that processes other than ours
# took (R_NOISE, in % of one core); a run above NOISE_MAX is repeated, up to
# TRIES runs in all, and the least disturbed one is reported.

OWN_PIDS=() # long-lived processes of ours: the servers (added when started)

cpu_ticks() { # "total busy": clock ticks since boot, all cores
  local a
  read -ra a < /proc/stat
  # cpu user nice system idle iowait irq softirq steal. Interrupts and
  # softirqs (loopback networking) belong to no process, so they count neither
  # as ours nor as others'; steal (other virtual machines) counts as others'.
  echo "$((a[1] + a[2] + a[3] + a[4] + a[5] + a[8])) $((a[1] + a[2] + a[3] + a[8]))"
}

own_ticks() { # CPU ticks of this script with its waited-for children (wrk,
  # pgbench), and of OWN_PIDS with theirs (postgres backends, once reaped)
  local pid sum=0 stat f
  for pid in $$ "${OWN_PIDS[@]}"; do
    [[ -r /proc/$pid/stat ]] || continue
    stat=$(< "/proc/$pid/stat")
    read -ra f <<< "${stat##*) }" # f[0] is field 3 (state): utime is field 14
    sum=$((sum + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$sum"
}

# cpu_busy: % of one core that all processes used over the next second.
cpu_busy() {
  local t0 b0 t1 b1
  read -r t0 b0 <<< "$(cpu_ticks)"
  sleep 1
  read -r t1 b1 <<< "$(cpu_ticks)"
  echo $(((b1 - b0) * 100 * $(nproc) / (t1 > t0 ? t1 - t0 : 1)))
}

# wait_quiet: wait up to QUIET_WAIT seconds for an idle machine.
wait_quiet() {
  local busy waited=0
  busy=$(cpu_busy)
  while ((busy > 10 && waited < QUIET_WAIT)); do
    if ((waited == 0)); then log "machine busy (${busy}% of a core); waiting up to ${QUIET_WAIT}s for quiet"; fi
    sleep 4
    waited=$((waited + 5))
    busy=$(cpu_busy)
  done
  if ((busy > 10)); then log "machine still busy (${busy}% of a core)"; fi
}

# measure OUT COMMAND...: run COMMAND, output to OUT; set R_NOISE to the % of
# one core that other processes used meanwhile.
measure() {
  local out=$1 t0 b0 o0 t1 b1 o1
  shift
  read -r t0 b0 <<< "$(cpu_ticks)"
  o0=$(own_ticks)
  "$@" > "$out" 2>&1 || { cat "$out" >&2; die "failed: $*"; }
  sleep 0.5 # let postgres reap its backends, whose time then counts as ours
  read -r t1 b1 <<< "$(cpu_ticks)"
  o1=$(own_ticks)
  R_NOISE=$((((b1 - b0) - (o1 - o0)) * 100 * $(nproc) / (t1 - t0)))
  ((R_NOISE > 0)) || R_NOISE=0
}

# best_of_tries FUNCTION ARGS...: FUNCTION runs one warmed-up, measured run and
# sets R_RPS R_P50 R_P99 R_ERRORS R_NOISE (and optionally R_EXTRA). Repeat
# while the run was disturbed.
best_of_tries() {
  local attempt saved=
  for ((attempt = 1; attempt <= TRIES; attempt++)); do
    wait_quiet
    "$@"
    if [[ -z $saved ]] || ((R_NOISE < ${saved%% *})); then
      saved="$R_NOISE $R_RPS $R_P50 $R_P99 $R_ERRORS ${R_EXTRA:-}"
    fi
    ((R_NOISE > NOISE_MAX)) || break
    log "other processes used ${R_NOISE}% of a core during that run"
  done
  read -r R_NOISE R_RPS R_P50 R_P99 R_ERRORS R_EXTRA <<< "$saved"
  ((R_NOISE <= NOISE_MAX)) ||
    log "warning: every try was disturbed; keeping the least (others: ${R_NOISE}% of a core)"
}

# --- Kieskaart --------------------------------------------------------------

# kk_binary: copy the release binary into WORK and set KK to the copy. A copy,
# because other people rebuild target/release/kieskaart at times: the run
# then measures one binary from start to end and survives the rebuild.
kk_binary() {
  local bin=${KK_BIN:-$ROOT/target/release/kieskaart} waited=0
  while [[ ! -x $bin ]]; do
    if ((waited >= BIN_WAIT)); then
      echo "No release binary at $bin. Build it first:" >&2
      echo "    scripts/build-site.sh" >&2
      exit 1
    fi
    if ((waited == 0)); then log "waiting up to ${BIN_WAIT}s for $bin (a rebuild in progress?)"; fi
    sleep 1
    waited=$((waited + 1))
  done
  KK=$WORK/kieskaart
  cp "$bin" "$KK"
  log "binary: $bin ($(stat -c %y "$bin" | cut -d. -f1)), $("$KK" --version)"
}

# kk_prepare_db DB: import the data into a new SQLite database DB and set
# ELECTION and DATA_DESC. Real data when present, else the demo dataset;
# SYNTHETIC=N generates N stations first.
kk_prepare_db() {
  local db=$1 file
  if [[ -n $SYNTHETIC ]]; then
    [[ -f $DATA ]] || die "SYNTHETIC needs the real file as a template: $DATA is absent"
    file=$WORK/synthetic-$SYNTHETIC.json
    log "generating $SYNTHETIC synthetic stations into $file"
    python3 "$BENCH_DIR/synthetic_ckan.py" "$DATA" "$SYNTHETIC" "$SEED" "$file"
    ELECTION=synth
    DATA_DESC="synthetic, $SYNTHETIC stations"
  elif [[ -f $DATA ]]; then
    file=$DATA
    ELECTION=gr2026
    DATA_DESC="real, $(basename "$DATA")"
  else
    log "$DATA is absent (no ../shared beside the project): using the demo dataset (8 stations), election demo"
    "$KK" --database "$db" demo >&2
    ELECTION=demo
    DATA_DESC="demo, 8 stations"
    return
  fi
  log "importing $file"
  local started=$SECONDS
  # the election name is given so that a synthetic election id needs no known name
  "$KK" --database "$db" import "$file" --election "$ELECTION" --name "bench $ELECTION" >&2
  log "import took $((SECONDS - started))s"
}

# kk_start DB: serve DB on a free port in the background until exit, with
# the options in the array KK_SERVE_ARGS when set; set KK_URL and
# KK_STATIONS (the station count the server reports).
kk_start() {
  local db=$1 port pid waited=0
  port=$(free_port)
  # wrk is one address asking as hard as it can: without a rate limit.
  "$KK" --database "$db" serve --addr "127.0.0.1:$port" --no-demo --site-root "$ROOT/target/site" \
    --api-rate-limit 0 ${KK_SERVE_ARGS[@]+"${KK_SERVE_ARGS[@]}"} > "$WORK/serve.log" 2>&1 &
  pid=$!
  on_exit "kill $pid 2> /dev/null; wait $pid 2> /dev/null"
  OWN_PIDS+=("$pid")
  KK_URL=http://127.0.0.1:$port
  # A large synthetic dataset takes a while to load into memory.
  until curl -fsS -o "$WORK/elections.json" "$KK_URL/api/v1/elections" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || { cat "$WORK/serve.log" >&2; die "the server exited"; }
    ((waited++ < 3000)) || die "the server did not answer within 300s"
    sleep 0.1
  done
  KK_STATIONS=$(python3 -c 'import json, sys; print(next(e["stations"] for e in json.load(open(sys.argv[1])) if e["id"] == sys.argv[2]))' \
    "$WORK/elections.json" "$ELECTION")
  log "kieskaart serves $KK_STATIONS stations of election $ELECTION at $KK_URL (pid $pid)"
}

# kk_check NEEDS: one request by curl; fail unless it answers 200 with K stations.
kk_check() {
  local query="lat=52.0217&lon=4.8684&k=$K${1:+&needs=$1}" n
  n=$(curl -fsS "$KK_URL/api/v1/elections/$ELECTION/stations/nearest?$query" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["stations"]))') ||
    die "GET nearest?$query failed"
  [[ $n -eq $K || $n -eq $KK_STATIONS ]] || log "warning: nearest?$query gave $n stations, not $K"
}

# kk_wrk LABEL NEEDS: load the nearest endpoint with wrk and bench/nearest.lua
# (or the script WRK_SCRIPT, at WRK_URL instead of KK_URL when set).
# Prints wrk's report to stderr and sets R_RPS, R_P50, R_P99 (ms), R_ERRORS,
# R_NOISE.
kk_wrk() {
  kk_check "$2"
  best_of_tries _kk_wrk_once "$@"
}

_kk_wrk_once() {
  local label=$1 needs=$2 out=$WORK/wrk-$1.txt
  R_EXTRA=
  local url=${WRK_URL:-$KK_URL}
  local args=(-t "$THREADS" -c "$CONNECTIONS" --timeout 10s -s "${WRK_SCRIPT:-$BENCH_DIR/nearest.lua}")
  if ((WARMUP > 0)); then
    ELECTION=$ELECTION NEEDS=$needs K=$K SEED=$((SEED + 1)) \
      wrk "${args[@]}" -d "${WARMUP}s" "$url/" > /dev/null
  fi
  log "wrk $label: ${DURATION}s, $CONNECTIONS connections, $THREADS threads${needs:+, needs=$needs}"
  measure "$out" env ELECTION="$ELECTION" NEEDS="$needs" K="$K" SEED="$SEED" \
    wrk "${args[@]}" -d "${DURATION}s" --latency "$url/"
  grep -v '^RESULT' "$out" >&2
  local result
  result=$(grep '^RESULT' "$out") || die "wrk printed no RESULT line (see $out)"
  R_RPS=$(field "$result" rps)
  R_P50=$(field "$result" p50_ms)
  R_P99=$(field "$result" p99_ms)
  R_ERRORS=$(($(field "$result" errors_connect) + $(field "$result" errors_read) +
    $(field "$result" errors_write) + $(field "$result" errors_status) + $(field "$result" errors_timeout)))
  ((R_ERRORS == 0)) || log "warning: wrk counted $R_ERRORS errors or non-2xx answers in run $label"
  log "wrk $label: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms; others used ${R_NOISE}% of a core"
}

# field LINE NAME: the value of NAME=value in a line of space-separated pairs.
field() {
  local pair
  for pair in $1; do
    [[ $pair == "$2="* ]] && { echo "${pair#*=}"; return; }
  done
  die "no $2 in: $1"
}

# --- the summary table -------------------------------------------------------

# others%: CPU that other processes took during the run, in % of one core.
table_header() {
  printf '%-10s %-12s %10s %9s %9s %7s %8s\n' engine query 'req/s' 'p50 ms' 'p99 ms' errors 'others%'
}
table_row() { # engine query rps p50 p99 errors others
  printf '%-10s %-12s %10.0f %9.2f %9.2f %7s %8s\n' "$@"
}
