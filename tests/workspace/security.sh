#!/usr/bin/env bash
# Hostile input over HTTP against `trailmap serve` on SQLite and on PostgreSQL (security.py):
# XSS payloads come back escaped on every page, SQL-injection attempts are harmless.
#
#   TRAILMAP_BIN=target/debug/trailmap PYTHON=venv/bin/python tests/workspace/security.sh [sqlite] [postgres]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${PYTHON:-python3}"
source "$here/lib.sh"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(sqlite postgres)
for kind in "${kinds[@]}"; do
  ws_fresh_db "$kind" security
  (cd "$here" && "$PYTHON" security.py --bin "$TRAILMAP_BIN" --database "$WS_DB")
done
