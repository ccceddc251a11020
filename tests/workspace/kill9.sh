#!/usr/bin/env bash
# kill -9 of `trailmap serve` in the middle of saves, on SQLite and on PostgreSQL: every
# acknowledged version must be there afterwards, intact (see kill9.py).
#
#   TRAILMAP_BIN=target/debug/trailmap PYTHON=venv/bin/python tests/workspace/kill9.sh [sqlite] [postgres]
#
# PYTHON needs httpx. PostgreSQL needs TRAILMAP_TEST_POSTGRES (postgres.sh prints it).
# ROUNDS sets how many kills per backend (default 4).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${PYTHON:-python3}"
source "$here/lib.sh"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(sqlite postgres)
for kind in "${kinds[@]}"; do
  ws_fresh_db "$kind" kill9
  (cd "$here" && "$PYTHON" kill9.py --bin "$TRAILMAP_BIN" --database "$WS_DB" --rounds "${ROUNDS:-4}")
done
