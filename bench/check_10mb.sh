#!/usr/bin/env bash
# Benchmark: `trailmap check` on a 10 MB map, next to what a team would do without Trailmap
# (PyYAML to load the file, then the `jsonschema` package against `trailmap schema`).
#
# Usage: bench/check_10mb.sh            (from anywhere; results are printed as Markdown)
# Environment:
#   SIZE=10MiB          size of the generated map (see bench/gen_big_map.py)
#   RUNS=10             timed runs of `trailmap check`; PEER_RUNS=3 for the (slow) peers
#   BENCH_DIR=/tmp/trailmap-bench   where the map, the schema and the Python venv go
#   CARGO_TARGET_DIR    as for cargo
#   TRAILMAP_BIN        a trailmap binary to use instead of building one
# Needs: cargo, python3 (with venv and pip: the peer's packages are installed into a venv under
# BENCH_DIR), /usr/bin/time (Debian package `time`) for peak memory. Uses hyperfine when it is
# installed (`apt-get install hyperfine`), and a plain timing loop otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${SIZE:-10MiB}"
RUNS="${RUNS:-10}"
PEER_RUNS="${PEER_RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/trailmap-bench}"
TODAY=2026-12-01 # the generated evidence is dated 2026: a fixed date keeps the run deterministic
mkdir -p "$BENCH_DIR"

step() { printf '\n=== %s\n' "$*" >&2; }

if [ -n "${TRAILMAP_BIN:-}" ]; then
  BIN="$TRAILMAP_BIN"
else
  step "build (release)"
  cargo build --release --locked -p trailmap-cli >&2
  BIN="${CARGO_TARGET_DIR:-target}/release/trailmap"
fi

step "generate a $SIZE map"
MAP="$BENCH_DIR/big.yaml"
python3 bench/gen_big_map.py "$SIZE" "$MAP"
"$BIN" schema >"$BENCH_DIR/schema.json"

step "the map must be valid"
if ! "$BIN" check --today "$TODAY" --format short "$MAP" >"$BENCH_DIR/check.out" 2>&1; then
  head -20 "$BENCH_DIR/check.out" >&2
  echo "check_10mb.sh: the generated map has errors; fix bench/gen_big_map.py" >&2
  exit 1
fi

step "peer: PyYAML + jsonschema in a venv"
VENV="$BENCH_DIR/venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pyyaml jsonschema
fi
# PyYAML follows YAML 1.1 and turns `verified: 2026-08-30` into a date object, which fails the
# schema's `type: string`; a team would drop the timestamp resolver, as done here. Otherwise
# this is `yaml.safe_load` (pure Python), or `yaml.CSafeLoader` (libyaml) for the C variant.
cat >"$BENCH_DIR/peer.py" <<'EOF'
import json, sys
import jsonschema, yaml

base = yaml.CSafeLoader if sys.argv[1] == "c" else yaml.SafeLoader
class Loader(base):
    pass
Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in base.yaml_implicit_resolvers.items()
}
with open(sys.argv[2], encoding="utf-8") as f:
    data = yaml.load(f, Loader=Loader)
with open(sys.argv[3], encoding="utf-8") as f:
    schema = json.load(f)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
for error in errors[:5]:
    print(error.message, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
PY="$VENV/bin/python"
"$PY" "$BENCH_DIR/peer.py" py "$MAP" "$BENCH_DIR/schema.json" # must pass too

# The same map in ASCII only: the YAML reader keeps a byte offset per character for non-ASCII
# text, so this row shows what that table costs.
ASCII_MAP="$BENCH_DIR/big-ascii.yaml"
sed -e 's/£/GBP /g' -e 's/é/e/g' -e 's/—/-/g' "$MAP" >"$ASCII_MAP"
"$BIN" check --today "$TODAY" --format short "$ASCII_MAP" >/dev/null

CMD_TRAILMAP="$BIN check --today $TODAY --format short $MAP"
CMD_TRAILMAP_ASCII="$BIN check --today $TODAY --format short $ASCII_MAP"
CMD_PEER="$PY $BENCH_DIR/peer.py py $MAP $BENCH_DIR/schema.json"
CMD_PEER_C="$PY $BENCH_DIR/peer.py c $MAP $BENCH_DIR/schema.json"

# mean_sd NAME RUNS COMMAND: prints "NAME<TAB>mean<TAB>sd" in seconds.
mean_sd() {
  local name="$1" runs="$2" cmd="$3"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$BENCH_DIR/$name.json" "$cmd" >&2
    python3 -c 'import json, sys; r = json.load(open(sys.argv[2]))["results"][0]; m, sd = r["mean"], r["stddev"] or 0; print(f"{sys.argv[1]}\t{m:.3f}\t{sd:.3f}")' "$name" "$BENCH_DIR/$name.json"
  else
    local times=() start end
    $cmd >/dev/null # warm-up
    for _ in $(seq "$runs"); do
      start=$(date +%s.%N)
      $cmd >/dev/null
      end=$(date +%s.%N)
      times+=("$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$start" "$end")")
    done
    python3 -c 'import statistics as s, sys; t = [float(x) for x in sys.argv[2:]]; print(f"{sys.argv[1]}\t{s.mean(t):.3f}\t{s.stdev(t) if len(t) > 1 else 0:.3f}")' "$name" "${times[@]}"
  fi
}

# peak_rss COMMAND: the maximum resident set size in MiB.
peak_rss() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'
}

step "time"
T_TRAILMAP=$(mean_sd trailmap "$RUNS" "$CMD_TRAILMAP")
T_TRAILMAP_ASCII=$(mean_sd trailmap-ascii "$RUNS" "$CMD_TRAILMAP_ASCII")
T_PEER=$(mean_sd pyyaml-jsonschema "$PEER_RUNS" "$CMD_PEER")
T_PEER_C=$(mean_sd pyyaml-libyaml-jsonschema "$PEER_RUNS" "$CMD_PEER_C")

step "peak memory"
M_TRAILMAP=$(peak_rss $CMD_TRAILMAP)
M_TRAILMAP_ASCII=$(peak_rss $CMD_TRAILMAP_ASCII)
M_PEER=$(peak_rss $CMD_PEER)
M_PEER_C=$(peak_rss $CMD_PEER_C)

row() { # row LABEL "name<TAB>mean<TAB>sd" RSS
  local mean sd
  mean=$(cut -f2 <<<"$2")
  sd=$(cut -f3 <<<"$2")
  printf '| %s | %s s ± %s s | %s MiB |\n' "$1" "$mean" "$sd" "$3"
}

N_BYTES=$(wc -c <"$MAP")
N_STEPS=$(grep -c '^      - id: ' "$MAP")
cat <<EOF

Map: $N_BYTES bytes, $N_STEPS steps ($SIZE requested), \`trailmap check\` exits 0 with $(wc -l <"$BENCH_DIR/check.out") lines of diagnostics
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM
Versions: $(rustc --version), Python $("$PY" -c 'import platform, yaml, jsonschema; from importlib.metadata import version; print(platform.python_version(), "PyYAML", yaml.__version__, "jsonschema", version("jsonschema"))'), $(hyperfine --version 2>/dev/null || echo 'no hyperfine: timing loop')

| command | time (mean ± sd) | peak RSS |
|---|---|---|
$(row "\`trailmap check --format short\` ($RUNS runs)" "$T_TRAILMAP" "$M_TRAILMAP")
$(row "same, map made ASCII-only ($RUNS runs)" "$T_TRAILMAP_ASCII" "$M_TRAILMAP_ASCII")
$(row "PyYAML \`SafeLoader\` + \`jsonschema\` ($PEER_RUNS runs)" "$T_PEER" "$M_PEER")
$(row "PyYAML \`CSafeLoader\` (libyaml) + \`jsonschema\` ($PEER_RUNS runs)" "$T_PEER_C" "$M_PEER_C")
EOF
