#!/usr/bin/env bash
# Benchmark: `trailmap render` against `trailmap check` on the same wide map (15 personas,
# 80 steps, every lane filled; bench/gen_wide_map.py). The goal is render time / check time
# <= 5: drawing a map may cost a few checks, not an order of magnitude more. `render` checks
# the map first, so the ratio is at least 1.
#
# Usage: bench/render_vs_check.sh            (from anywhere; results are printed as Markdown)
# Environment:
#   RUNS=20             timed runs per command (after 3 warm-up runs)
#   BENCH_DIR=/tmp/trailmap-bench-render   where the map and the outputs go
#   TRAILMAP_BIN        a trailmap binary to time instead of building one (release)
#   CARGO_TARGET_DIR    as for cargo
# Needs: cargo, python3 (standard library only). Uses hyperfine when it is installed (`apt-get install hyperfine`), and
# a plain timing loop otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
BENCH_DIR="${BENCH_DIR:-/tmp/trailmap-bench-render}"
TODAY=2026-12-01 # the generated evidence is dated 2026: a fixed date keeps every run the same
mkdir -p "$BENCH_DIR"

step() { printf '\n=== %s\n' "$*" >&2; }

if [ -n "${TRAILMAP_BIN:-}" ]; then
  BIN="$TRAILMAP_BIN"
else
  step "build (release)"
  cargo build --release --locked -p trailmap-cli >&2
  BIN="${CARGO_TARGET_DIR:-target}/release/trailmap"
fi

step "generate a map of 15 personas and 80 steps"
MAP="$BENCH_DIR/wide.yaml"
python3 bench/gen_wide_map.py "$MAP"

step "the map must be valid and render"
if ! "$BIN" check --today "$TODAY" --format short "$MAP" >"$BENCH_DIR/check.out" 2>&1; then
  head -20 "$BENCH_DIR/check.out" >&2
  echo "render_vs_check.sh: the generated map has errors; fix bench/gen_wide_map.py" >&2
  exit 1
fi
"$BIN" render --today "$TODAY" "$MAP" -o "$BENCH_DIR/wide.html"
"$BIN" render --today "$TODAY" "$MAP" -o "$BENCH_DIR/wide.svg"

step "measure it: synthetic data (trailmap demo) through trailmap analyze"
# Evidence adds three lanes, a second curve and a data block, and the result.json of a map
# with 15 personas is large (every step has figures per persona), so it is timed too.
DATA="$BENCH_DIR/data"
"$BIN" demo generate --map "$MAP" --customers 3000 --seed 1 -o "$DATA" >&2
RESULT="$BENCH_DIR/result.json"
# `analyze` exits 1 when KPI targets are missed, which made-up data does.
rm -f "$RESULT"
"$BIN" analyze "$MAP" -e "$DATA/events.parquet" --customers "$DATA/customers.parquet" -o "$RESULT" >/dev/null || true
[ -s "$RESULT" ] || { echo "render_vs_check.sh: trailmap analyze wrote no result" >&2; exit 1; }

CMD_CHECK="$BIN check --today $TODAY --format short $MAP"
CMD_HTML="$BIN render --today $TODAY $MAP -o $BENCH_DIR/wide.html"
CMD_SVG="$BIN render --today $TODAY $MAP -o $BENCH_DIR/wide.svg"
CMD_HTML_EVIDENCE="$BIN render --today $TODAY $MAP --evidence $RESULT -o $BENCH_DIR/wide-evidence.html"
CMD_SVG_EVIDENCE="$BIN render --today $TODAY $MAP --evidence $RESULT -o $BENCH_DIR/wide-evidence.svg"

# mean_sd NAME COMMAND: prints "mean<TAB>sd<TAB>cpu" in seconds (cpu: mean user + system time,
# steadier than wall time on a shared machine; "nan" without hyperfine).
mean_sd() {
  local name="$1" cmd="$2"
  if command -v hyperfine >/dev/null 2>&1; then
    # `check` exits 1 when it finds problems; this map has none, but do not let a warning
    # added to the checker one day stop the benchmark.
    hyperfine --style basic --warmup 3 --runs "$RUNS" --ignore-failure \
      --export-json "$BENCH_DIR/$name.json" "$cmd" >&2
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; m, sd, cpu = r["mean"], r["stddev"] or 0, r["user"] + r["system"]; print(f"{m:.4f}\t{sd:.4f}\t{cpu:.4f}")' "$BENCH_DIR/$name.json"
  else
    local times=() start end
    for _ in 1 2 3; do $cmd >/dev/null 2>&1 || true; done # warm-up
    for _ in $(seq "$RUNS"); do
      start=$(date +%s.%N)
      $cmd >/dev/null 2>&1 || true
      end=$(date +%s.%N)
      times+=("$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$start" "$end")")
    done
    python3 -c 'import statistics as s, sys; t = [float(x) for x in sys.argv[1:]]; print(f"{s.mean(t):.4f}\t{s.stdev(t) if len(t) > 1 else 0:.4f}\tnan")' "${times[@]}"
  fi
}

step "time"
T_CHECK=$(mean_sd check "$CMD_CHECK")
T_HTML=$(mean_sd render-html "$CMD_HTML")
T_SVG=$(mean_sd render-svg "$CMD_SVG")
T_HTML_EVIDENCE=$(mean_sd render-html-evidence "$CMD_HTML_EVIDENCE")
T_SVG_EVIDENCE=$(mean_sd render-svg-evidence "$CMD_SVG_EVIDENCE")

ms() { python3 -c 'import sys; print(f"{float(sys.argv[1]) * 1000:.1f}")' "$1"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "$2"; }
row() { # row LABEL "mean<TAB>sd<TAB>cpu" OUTPUT
  local mean sd cpu
  mean=$(cut -f1 <<<"$2")
  sd=$(cut -f2 <<<"$2")
  cpu=$(cut -f3 <<<"$2")
  printf '| %s | %s ms ± %s ms | %s | %s ms | %s | %s |\n' "$1" "$(ms "$mean")" "$(ms "$sd")" \
    "$(ratio "$mean" "$(cut -f1 <<<"$T_CHECK")")" "$(ms "$cpu")" "$(ratio "$cpu" "$(cut -f3 <<<"$T_CHECK")")" "$3"
}
size() { python3 -c 'import os, sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.2f} MB")' "$1"; }

N_BYTES=$(wc -c <"$MAP")
N_STEPS=$(grep -c '^      - id: ' "$MAP")
N_PERSONAS=$(grep -c '^  - id: p[0-9]' "$MAP")
cat <<EOF

Map: \`bench/gen_wide_map.py\`, $N_BYTES bytes, $N_PERSONAS personas, $N_STEPS steps; \`trailmap check\` reports $(wc -l <"$BENCH_DIR/check.out") problems
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM
Versions: $(rustc --version), $(hyperfine --version 2>/dev/null || echo 'no hyperfine: timing loop'); $RUNS runs each after 3 warm-up runs

Load average when it ended: $(cut -d' ' -f1-3 /proc/loadavg)

| command | time (mean ± sd) | ÷ check | CPU time (user + sys) | ÷ check | output |
|---|---|---|---|---|---|
$(row "\`trailmap check --today $TODAY --format short wide.yaml\`" "$T_CHECK" "")
$(row "\`trailmap render --today $TODAY wide.yaml -o wide.html\`" "$T_HTML" "$(size "$BENCH_DIR/wide.html")")
$(row "\`trailmap render --today $TODAY wide.yaml -o wide.svg\`" "$T_SVG" "$(size "$BENCH_DIR/wide.svg")")
$(row "\`trailmap render --today $TODAY wide.yaml --evidence result.json -o wide.html\`" "$T_HTML_EVIDENCE" "$(size "$BENCH_DIR/wide-evidence.html")")
$(row "\`trailmap render --today $TODAY wide.yaml --evidence result.json -o wide.svg\`" "$T_SVG_EVIDENCE" "$(size "$BENCH_DIR/wide-evidence.svg")")

result.json: $(size "$RESULT"), from \`trailmap demo generate --customers 3000 --seed 1\` ($(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["inputs"]["analysed_events"])' "$RESULT") events) and \`trailmap analyze\`
EOF
