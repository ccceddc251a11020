# Shared by the workspace test scripts (source it): fresh databases, and a `trailmap serve`
# started in the background on a port the system picks, stopped again on exit.
#
# Needs TRAILMAP_BIN (the binary under test). PostgreSQL databases are made under
# TRAILMAP_TEST_POSTGRES (a superuser URL, see postgres.sh) and dropped by cleanup_all.

: "${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary to test}"

WS_TMP="$(mktemp -d "${TMPDIR:-/tmp}/trailmap-ws-XXXXXX")"
WS_PG_DBS=()
WS_SERVER_PID=""
WS_SERVER_URL=""

# `url` with its database name replaced.
ws_pg_with_db() {
  local url="$1" name="$2"
  local base="${url%%\?*}" query=""
  [ "$base" != "$url" ] && query="?${url#*\?}"
  printf '%s/%s%s\n' "${base%/*}" "$name" "$query"
}

# Sets WS_DB to the URL of a new, empty database of the given kind (sqlite | postgres).
# (Not printed: a command substitution would run it in a subshell, which forgets what to drop.)
ws_fresh_db() {
  local kind="$1" label="${2:-db}"
  case "$kind" in
    sqlite) WS_DB="sqlite://$WS_TMP/$label-$RANDOM$RANDOM.db" ;;
    postgres)
      : "${TRAILMAP_TEST_POSTGRES:?set TRAILMAP_TEST_POSTGRES (tests/workspace/postgres.sh prints it)}"
      local name="tm_ws_${label//[^a-z0-9]/_}_$$_$RANDOM"
      psql -q -X -v ON_ERROR_STOP=1 "$TRAILMAP_TEST_POSTGRES" -c "CREATE DATABASE \"$name\"" >/dev/null
      WS_PG_DBS+=("$name")
      WS_DB="$(ws_pg_with_db "$TRAILMAP_TEST_POSTGRES" "$name")"
      ;;
    *) echo "unknown database kind: $kind (sqlite or postgres)" >&2; return 2 ;;
  esac
}

# Whether GET /healthz of the server at http://HOST:PORT answers 200 (bash only: no curl needed).
ws_healthy() {
  local hostport="${1#http://}"
  (
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 1
    printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
    IFS= read -r -t 2 status <&3 && [[ "$status" == *" 200 "* ]]
  ) 2>/dev/null
}

# Starts `trailmap serve` on DATABASE_URL, waits until it answers, sets WS_SERVER_URL and
# WS_SERVER_PID. The server's output goes to $WS_TMP/server-N.log.
ws_start_server() {
  local database="$1" log
  log="$WS_TMP/server-$(date +%s%N).log"
  "$TRAILMAP_BIN" serve --database "$database" --bind 127.0.0.1:0 >"$log" 2>&1 &
  WS_SERVER_PID=$!
  WS_SERVER_LOG="$log"
  WS_SERVER_URL=""
  for _ in $(seq 1 200); do
    if ! kill -0 "$WS_SERVER_PID" 2>/dev/null; then
      echo "trailmap serve exited at start:" >&2; cat "$log" >&2; WS_SERVER_PID=""; return 2
    fi
    WS_SERVER_URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -n 1 || true)"
    if [ -n "$WS_SERVER_URL" ] && ws_healthy "$WS_SERVER_URL"; then
      return 0
    fi
    sleep 0.1
  done
  echo "trailmap serve did not answer within 20 s:" >&2; cat "$log" >&2; return 2
}

# Stops the server started last: politely, then firmly.
ws_stop_server() {
  [ -n "$WS_SERVER_PID" ] || return 0
  kill "$WS_SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$WS_SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$WS_SERVER_PID" 2>/dev/null || true
  wait "$WS_SERVER_PID" 2>/dev/null || true
  WS_SERVER_PID=""
}

# Stops the server, drops the PostgreSQL databases, removes the temporary folder.
ws_cleanup_all() {
  ws_stop_server
  local name
  for name in "${WS_PG_DBS[@]}"; do
    psql -q -X "$TRAILMAP_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  WS_PG_DBS=()
  [ -n "${WS_KEEP_TMP:-}" ] || rm -rf "$WS_TMP"
}
trap ws_cleanup_all EXIT
