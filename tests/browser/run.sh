#!/usr/bin/env bash
# Browser tests of the rendered maps: installs playwright-core from the lock file, then opens
# every example, rendered by the `trailmap` binary in $TRAILMAP_BIN, in Debian's headless
# Chromium (/usr/bin/chromium, or $CHROMIUM). Screenshots go to $BROWSER_OUT (default: a new
# temporary folder, printed by the test).
set -euo pipefail
cd "$(dirname "$0")"
: "${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary to test}"
TRAILMAP_BIN="$(cd "$(dirname "$TRAILMAP_BIN")" && pwd)/$(basename "$TRAILMAP_BIN")"
export TRAILMAP_BIN
npm ci --no-audit --no-fund --loglevel=error
node --test map.test.mjs paths.test.mjs
