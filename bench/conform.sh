#!/usr/bin/env bash
# Times `trailmap conform` and `trailmap draft` on generated subscription customers, next to
# `trailmap discover --map` on the same files (the same read of the events by step, without the
# comparison): wall time and peak memory, best of three runs each.
# Usage: bench/conform.sh [CUSTOMERS]   (default 200000, about 1.9M events)
# Needs a release build: cargo build --release -p trailmap-cli
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${TRAILMAP_BIN:-${CARGO_TARGET_DIR:-target}/release/trailmap}"
customers="${1:-200000}"
map=examples/subscription-success.yaml
data="${TMPDIR:-/tmp}/trailmap-bench-conform-$customers"
if [ ! -f "$data/events.parquet" ]; then
  "$bin" demo generate --map "$map" --customers "$customers" -o "$data" >/dev/null 2>&1
fi
events=(--events "$data/events.parquet" --customers "$data/customers.parquet")

best() {
  local label="$1"
  shift
  local runs=() out
  out="$(mktemp)"
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1
    runs+=("$(tail -1 "$out")")
  done
  rm -f "$out"
  printf '%s\n' "${runs[@]}" | sort -n | head -1 | awk -v l="$label" '{printf "%-34s %6.2f s  %6.0f MB\n", l, $1, $2 / 1024}'
}

echo "$customers customers, $(du -h "$data/events.parquet" | cut -f1) of Parquet events; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
best "discover --map (read by step)" "$bin" discover --map "$map" "${events[@]}" --format json
best "conform (everyone + 3 personas)" "$bin" conform "$map" "${events[@]}" --format json
best "conform --value-col order_value" "$bin" conform "$map" "${events[@]}" --value-col order_value --format json
best "draft (by event, channels, initiators)" "$bin" draft --events "$data/events.parquet"
