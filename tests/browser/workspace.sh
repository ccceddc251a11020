#!/usr/bin/env bash
# Browser tests of the shared workspace (workspace.test.mjs): starts `trailmap serve` from
# $TRAILMAP_BIN on a fresh database of each kind asked for (sqlite, postgres; default both),
# runs the tests in Debian's headless Chromium against it, and stops it again, also on failure.
# PostgreSQL needs TRAILMAP_TEST_POSTGRES (tests/workspace/postgres.sh prints it).
# Screenshots go to $BROWSER_OUT (default: a new temporary folder, printed by the test).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary to test}"
TRAILMAP_BIN="$(cd "$(dirname "$TRAILMAP_BIN")" && pwd)/$(basename "$TRAILMAP_BIN")"
export TRAILMAP_BIN
source "$here/../workspace/lib.sh"
cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(sqlite postgres)
for kind in "${kinds[@]}"; do
  echo "workspace browser tests on $kind"
  ws_fresh_db "$kind" browser
  ws_start_server "$WS_DB"
  WORKSPACE_URL="$WS_SERVER_URL" WORKSPACE_LABEL="$kind" node --test workspace.test.mjs
  ws_stop_server
done
