#!/usr/bin/env bash
# Discovery against pm4py: `trailmap discover` must give every number pm4py gives (directly-follows
# counts, start/end activities, edge durations, variants, case durations) on real XES logs from the
# shared data folder and on the Olist e-commerce events; an `export-xes` file read back by pm4py
# must give the DFG `discover --map` gives. The comparator is first shown to catch a changed
# number. Needs TRAILMAP_BIN and a Python with pm4py (PYTHON, default python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${TRAILMAP_BIN:?set TRAILMAP_BIN to the trailmap binary}"
py="${PYTHON:-python3}"
data="$(git rev-parse --show-toplevel)/../shared/data"
if [ ! -d "$data" ]; then
  echo "the shared data folder is missing: expected $data (a sibling of the clone)"
  exit 1
fi
compare=(tests/pm4py/compare_discover.py --trailmap "$bin")

# The comparator must fail when one number differs.
"$py" "${compare[@]}" --self-test "$data/running-example/running-example.xes" 2>/dev/null

"$py" "${compare[@]}" \
  "$data/running-example/running-example.xes" \
  "$data/helpdesk-tickets/helpdesk.xes.gz" \
  "$data/receipt-wabo-permit/receipt.xes.gz" \
  "$data/bpic2013-volvo-it-support/bpic2013_incidents.xes.gz" \
  "$data/bpic2013-volvo-it-support/bpic2013_closed_problems.xes.gz" \
  "$data/road-traffic-fines-sample/roadtraffic100traces.xes" \
  "$data/bpic2012-loan-application/bpic2012.xes.gz" 2>/dev/null
"$py" "${compare[@]}" --csv "$data/receipt-wabo-permit/receipt.csv" \
  --case case:concept:name --activity concept:name --time time:timestamp 2>/dev/null
"$py" "${compare[@]}" --csv examples/olist/events.csv.gz 2>/dev/null
# Round trip: events mapped to steps, written by export-xes, read back by pm4py.
"$py" "${compare[@]}" --roundtrip tests/pm4py/receipt-map.yaml \
  --events "$data/receipt-wabo-permit/receipt.xes.gz" 2>/dev/null
"$py" "${compare[@]}" --roundtrip examples/olist/olist-orders.yaml \
  --events examples/olist/events.csv.gz 2>/dev/null

# Conformance: `conform`'s fitness against pm4py's alignments on each persona's designed path
# (real Olist orders and WABO permit log, generated subscription customers with and without
# personas, and the real helpdesk log against the map `draft` makes of it).
conform=(tests/pm4py/compare_conform.py --trailmap "$bin")
"$py" "${conform[@]}" --self-test examples/olist/olist-orders.yaml \
  --events examples/olist/events.csv.gz --customers examples/olist/customers.csv 2>/dev/null
"$py" "${conform[@]}" tests/pm4py/receipt-map.yaml \
  --events "$data/receipt-wabo-permit/receipt.xes.gz" 2>/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" demo generate --map examples/subscription-success.yaml --customers 2000 --seed 3 -o "$work/demo" >/dev/null 2>&1
"$py" "${conform[@]}" examples/subscription-success.yaml \
  --events "$work/demo/events.parquet" --customers "$work/demo/customers.parquet" 2>/dev/null
"$py" "${conform[@]}" examples/subscription-success.yaml --events "$work/demo/events.parquet" 2>/dev/null
"$bin" draft --events "$data/helpdesk-tickets/helpdesk.xes.gz" -o "$work/helpdesk.yaml" 2>/dev/null
"$py" "${conform[@]}" "$work/helpdesk.yaml" --events "$data/helpdesk-tickets/helpdesk.xes.gz" 2>/dev/null
