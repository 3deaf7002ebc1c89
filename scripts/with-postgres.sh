#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL cluster, so that the store
# tests, the two-server test and the fault tests run against PostgreSQL as
# well as SQLite. The cluster lives in a temporary folder, listens on
# 127.0.0.1 at a free port, trusts local connections, and is stopped and
# deleted when the command ends, whatever its outcome.
#
#   scripts/with-postgres.sh cargo test -p kieskaart
#
# The command sees:
#   KIESKAART_TEST_POSTGRES      postgres://postgres@127.0.0.1:PORT/postgres
#   KIESKAART_TEST_POSTGRES_CTL  a script taking stop or start, for tests
#                                that take the database away under load
# PostgreSQL comes from Debian (scripts/setup.sh test installs it).
set -euo pipefail

die() { printf 'with-postgres: %s\n' "$*" >&2; exit 1; }

[[ $# -gt 0 ]] || die "give the command to run"
# Debian keeps each server version's programs in /usr/lib/postgresql/N/bin.
pgbin=$(find /usr/lib/postgresql -path '*/bin/postgres' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)
[[ -n $pgbin ]] || die "no PostgreSQL server in /usr/lib/postgresql/*/bin; run scripts/setup.sh test"

work=$(mktemp -d /tmp/kieskaart-pg.XXXXXX)
# postgres refuses to run as root: as root, it runs as the user postgres
# (which Debian's package makes) or nobody.
run_as=()
if [[ $EUID -eq 0 ]]; then
  pg_user=nobody
  id postgres >/dev/null 2>&1 && pg_user=postgres
  chmod 711 "$work"
  mkdir "$work/cluster"
  chown "$pg_user:" "$work/cluster"
  run_as=(runuser -u "$pg_user" --)
else
  mkdir "$work/cluster"
fi

port=
for candidate in $(seq 54320 54400); do
  if ! (: </dev/tcp/127.0.0.1/"$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || die "no free port between 54320 and 54400"

(cd "$work" && "${run_as[@]}" "$pgbin/initdb" -D "$work/cluster/data" -U postgres -A trust -E UTF8 \
  --locale=C --no-sync >"$work/initdb.log") || die "initdb failed: see $work/initdb.log"

# The tests start and stop the server through this script. fsync off: the
# cluster is thrown away; a crash of the machine is not what is tested.
cat >"$work/ctl" <<EOF
#!/usr/bin/env bash
set -euo pipefail
cd "$work"
case \${1:-} in
  start) exec ${run_as[*]} "$pgbin/pg_ctl" -D "$work/cluster/data" -l "$work/cluster/server.log" -w -t 60 \\
           -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/cluster -c fsync=off -c max_connections=200" start ;;
  stop) exec ${run_as[*]} "$pgbin/pg_ctl" -D "$work/cluster/data" -m fast -w stop ;;
  *) echo "usage: \$0 start|stop" >&2; exit 2 ;;
esac
EOF
chmod 755 "$work/ctl"

finish() {
  if [[ -f $work/cluster/data/postmaster.pid ]]; then "$work/ctl" stop >/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT
"$work/ctl" start >/dev/null || die "PostgreSQL did not start: $(tail -n 5 "$work/cluster/server.log")"

export KIESKAART_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
export KIESKAART_TEST_POSTGRES_CTL="$work/ctl"
echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
