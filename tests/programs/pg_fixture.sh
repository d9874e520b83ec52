# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL server for lal-history's tests and benchmark, sourced:
#   source pg_fixture.sh; pg_start || exit 77; ... "$PG_CONNINFO" ...; pg_stop
# Debian's postgresql package: initdb and pg_ctl on a temporary directory,
# listening on a Unix socket in that directory only (no TCP port), trust
# authentication for the role `lal`, run as an unprivileged user (`nobody`
# when the caller is root: initdb refuses root). pg_start says why it could
# not start (no server binaries: scripts/install-deps.sh installs them).
PG_AS_USER=()
[[ $(id -u) == 0 ]] && PG_AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=
PG_CONNINFO=

pg_start() {
  if [[ -z $PG_BINDIR || ! -x $PG_BINDIR/initdb ]]; then
    echo "skip: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): scripts/install-deps.sh installs the postgresql package"
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/lal-history-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [[ ${#PG_AS_USER[@]} -gt 0 ]] && chown nobody:nogroup "$PG_DIR"
  if ! "${PG_AS_USER[@]}" "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U lal --auth=trust -E UTF8 \
      --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log"
    echo "FAIL: initdb"
    return 2
  fi
  # -F: no fsync (a test server; durability across a crash is not tested here)
  if ! "${PG_AS_USER[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-k $PG_DIR -c listen_addresses= -p 5432 -F" start >"$PG_DIR/pg_ctl.log" 2>&1; then
    cat "$PG_DIR/pg_ctl.log" "$PG_DIR/server.log"
    echo "FAIL: pg_ctl start"
    return 2
  fi
  PG_CONNINFO="host=$PG_DIR port=5432 user=lal dbname=postgres"
}

pg_stop() {
  [[ -n $PG_DIR ]] || return 0
  "${PG_AS_USER[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=
}

pg_sql() { "$PG_BINDIR/psql" -q -X -A -t -d "$PG_CONNINFO" -c "$1"; }
