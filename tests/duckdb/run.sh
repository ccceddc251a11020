#!/usr/bin/env bash
# Correctness of `trailmap analyze` against independent SQL: for each example map, generate
# data with `trailmap demo generate`, analyse it, compute the same figures with DuckDB
# (bench/duckdb_reference.py) and compare: counts equal, rates and times within 1e-9.
# Needs TRAILMAP_BIN (the binary) and a Python with duckdb and pyyaml (PYTHON, default python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary}"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for map in examples/online-retail-purchase.yaml examples/support-contact.yaml examples/subscription-success.yaml; do
  name="$(basename "$map" .yaml)"
  "$bin" demo generate --map "$map" --customers 3000 --seed 7 -o "$work/$name" 2>/dev/null
  status=0
  "$bin" analyze "$map" --events "$work/$name/events*.parquet" -o "$work/$name.ours.json" >/dev/null 2>&1 || status=$?
  # 1 means "analysed; some KPI target breached", which is a result, not a failure.
  if [ "$status" -gt 1 ]; then
    echo "trailmap analyze failed on $map"; exit 1
  fi
  "$py" bench/duckdb_reference.py "$map" "$work/$name/events*.parquet" -o "$work/$name.ref.json"
  echo "$name:"
  "$py" bench/compare_reference.py "$work/$name.ours.json" "$work/$name.ref.json"
done
