#!/usr/bin/env bash
# 50 concurrent editors for 60 s against `trailmap serve` on loopback, on SQLite and on
# PostgreSQL, then an audit that no acknowledged edit was lost (bench/workspace_load.py).
#
#   TRAILMAP_BIN=target/release/trailmap PYTHON=venv/bin/python bench/workspace_load.sh [sqlite] [postgres]
#
# PYTHON needs httpx. PostgreSQL runs need TRAILMAP_TEST_POSTGRES (tests/workspace/postgres.sh
# prints it); a fresh database is made for the run and dropped afterwards. EDITORS, MAPS and
# LOAD_SECONDS change the load. Results (one JSON file per backend) go to bench/out/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
: "${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary}"
PYTHON="${PYTHON:-python3}"
EDITORS="${EDITORS:-50}" MAPS="${MAPS:-10}" LOAD_SECONDS="${LOAD_SECONDS:-60}"
source "$repo/tests/workspace/lib.sh"
mkdir -p "$repo/bench/out"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(sqlite postgres)

status=0
for kind in "${kinds[@]}"; do
  ws_fresh_db "$kind" load
  ws_start_server "$WS_DB"
  token="$(cd "$repo/tests/workspace" && "$PYTHON" -c "import sys; from wsclient import bootstrap_admin; print(bootstrap_admin(sys.argv[1]))" "$WS_SERVER_URL")"
  "$PYTHON" "$here/workspace_load.py" --url "$WS_SERVER_URL" --token "$token" \
    --editors "$EDITORS" --maps "$MAPS" --seconds "$LOAD_SECONDS" \
    --label "$kind" --json "$repo/bench/out/workspace_load_$kind.json" --server-pid "$WS_SERVER_PID" || status=1
  ws_stop_server
done
exit $status
