#!/usr/bin/env bash
# Run the web tests against a throwaway PostgreSQL cluster (CI runs them on SQLite and on this).
#
#   scripts/pg-test.sh            # uses /usr/lib/postgresql/15/bin (override with PG_BIN)
#
# The cluster lives in a temp folder, listens only on a Unix socket there, and is removed on exit.
# Without PostgreSQL it says so; under CI=true that is a failure, otherwise it exits 0 with a note.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PY="${PY:-$ROOT/.venv/bin/python}"
PORT="${PG_TEST_PORT:-54329}"

if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  msg="pg-test: PostgreSQL was not found in $PG_BIN (install Debian's postgresql package, or set PG_BIN)."
  if [ "${CI:-}" = "true" ]; then echo "$msg The web tests must also run on PostgreSQL in CI." >&2; exit 1; fi
  echo "$msg Skipping the PostgreSQL run outside CI." >&2
  exit 0
fi

DIR="$(mktemp -d /tmp/safecity-pg.XXXXXX)"
RUN=()
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root: run the server as the postgres user.
  id postgres >/dev/null 2>&1 || { echo "pg-test: running as root but there is no postgres user." >&2; exit 1; }
  chown postgres "$DIR"
  RUN=(runuser -u postgres --)
fi
PGUSER_NAME="$("${RUN[@]}" id -un 2>/dev/null || id -un)"
cleanup() {
  "${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN[@]}" "$PG_BIN/initdb" -D "$DIR/data" -A trust -U "$PGUSER_NAME" -E UTF8 --no-locale >/dev/null
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { echo "pg-test: PostgreSQL did not start; its log:" >&2; cat "$DIR/server.log" >&2; exit 1; }
"${RUN[@]}" "$PG_BIN/createdb" -h "$DIR" -p "$PORT" -U "$PGUSER_NAME" safecity_test

export DATABASE_URL="postgres://$PGUSER_NAME@/safecity_test?host=$DIR&port=$PORT"
echo "pg-test: running tests/web on PostgreSQL ($("$PG_BIN/postgres" --version))"
cd "$ROOT"
"$PY" -m pytest tests/web -p no:cacheprovider -q "$@"
