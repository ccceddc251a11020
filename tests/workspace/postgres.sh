#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on this machine for the tests, and prints its URL.
#
# Installs Debian's postgresql if there is no server, creates and starts a cluster if none
# runs, and makes a superuser role `trailmap` (password `trailmap`) with a database of the
# same name. Safe to run again: every step checks first. Needs root (CI runs as root).
# The URL printed on stdout is what TRAILMAP_TEST_POSTGRES and the workspace tests use; the
# tests make their own databases under it and drop them afterwards.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }

# Everything but the URL goes to stderr, because callers capture stdout with $(...) and
# pg_ctlcluster prints notes such as "Removed stale pid file." on stdout. No extra file
# descriptor is opened for the URL: the server started below would inherit it and keep the
# caller's $(...) waiting for ever.
url=
prepare() {

server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

if ! server_installed; then
  log "installing postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  log "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
fi

# The first cluster is the one the tests use.
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  log "starting cluster $version/$cluster"
  # A server killed hard leaves backends holding the socket lock for a moment: retry.
  for attempt in 1 2 3 4 5; do
    pg_ctlcluster "$version" "$cluster" start && break
    [ "$attempt" = 5 ] && { log "could not start cluster $version/$cluster"; exit 2; }
    sleep 2
  done
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not become ready on port $port"; exit 2; }

as_postgres() { runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -p "$port" "$@"; }
as_postgres -d postgres >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trailmap') THEN
    CREATE ROLE trailmap LOGIN SUPERUSER PASSWORD 'trailmap';
  ELSE
    ALTER ROLE trailmap LOGIN SUPERUSER PASSWORD 'trailmap';
  END IF;
END
$$;
SQL
if [ "$(as_postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'trailmap'")" != 1 ]; then
  as_postgres -d postgres -c 'CREATE DATABASE trailmap OWNER trailmap' >/dev/null
fi

url="postgres://trailmap:trailmap@127.0.0.1:$port/trailmap"
psql -q -X "$url" -Atc 'SELECT 1' >/dev/null || { log "cannot connect as trailmap to $url"; exit 2; }
}
prepare >&2
printf '%s\n' "$url"
