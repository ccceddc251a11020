#!/usr/bin/env bash
# Discovery on generated event logs, trailmap and pm4py side by side in one run, on the same
# file: the directly-follows graph with per-edge durations, the variants and the case durations.
#   trailmap: `trailmap discover --events FILE --by event --format json` (release build)
#   pm4py:    bench/pm4py_discover.py FILE (pandas read, pm4py.format_dataframe, discover_dfg,
#             discover_performance_dfg, get_variants, get_all_case_durations; each step timed)
# Both answers are compared (bench/compare_discover_bench.py): a row only counts when they agree.
#
#   bench/discover_vs_pm4py.sh [SIZE...]        default: 1M 10M; e.g. 1M 10M 100M
#
# Each run is measured with /usr/bin/time -v (wall, user + sys CPU, peak RSS), stopped after
# LIMIT seconds, or when its memory passes MEM_LIMIT_MIB (or the machine has under 1.5 GiB
# left); a stopped pm4py run reports the call it was in.
# Environment:
#   TRAILMAP_BIN   the binary (default: cargo build --release, then the target dir's binary)
#   PYTHON         a Python with pm4py, pandas, numpy, pyarrow (default: a venv made in
#                  $HOME/.cache/trailmap-bench-venv with the versions pinned below)
#   BENCH_DIR      logs and outputs (default bench/out/discover, ignored by git)
#   FORMATS        "parquet" (default), "csv" or "parquet csv"
#   LIMIT          seconds per run (default 1800)
#   MEM_LIMIT_MIB  peak memory per run before it is stopped (default 20480)
#   TOOLS          "trailmap pm4py" (default); one of them to rerun only that side
#   RUNS           runs per tool and size (default 3), the tools taking turns so both meet the
#                  same machine; the tables give the median run (by wall time) and list all walls
# Needs /usr/bin/time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1M 10M)
dir="${BENCH_DIR:-bench/out/discover}"
formats="${FORMATS:-parquet}"
limit="${LIMIT:-1800}"
mem_limit_kib=$((${MEM_LIMIT_MIB:-20480} * 1024))
tools="${TOOLS:-trailmap pm4py}"
runs="${RUNS:-3}"
mkdir -p "$dir"

if [ -z "${TRAILMAP_BIN:-}" ]; then
  cargo build --release --locked -p trailmap-cli >&2
  TRAILMAP_BIN="${CARGO_TARGET_DIR:-target}/release/trailmap"
fi
[ -x "$TRAILMAP_BIN" ] || { echo "no trailmap binary at $TRAILMAP_BIN" >&2; exit 2; }
if [ -z "${PYTHON:-}" ]; then
  venv="$HOME/.cache/trailmap-bench-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    pm4py==2.7.23.11 pandas==3.1.1 numpy==2.4.6 pyarrow==26.0.1 >&2
  PYTHON="$venv/bin/python"
fi

# All processes below $1 (the measured command runs under /usr/bin/time and timeout).
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}

# measure TAG CMD...: runs CMD with stdout TAG.out, stderr TAG.err, /usr/bin/time in TAG.time;
# prints "wall cpu peak_mib status stopped" (stopped: -, time, memory or machine-memory).
measure() {
  local tag="$1"
  shift
  rm -f "$tag.stopped"
  /usr/bin/time -v -o "$tag.time" timeout "$limit" "$@" >"$tag.out" 2>"$tag.err" &
  local pid=$! rss avail p v
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    rss=0
    for p in $(descendants "$pid"); do
      # A process that just ended has no VmRSS line (or no status file): count 0.
      v=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
      rss=$((rss + ${v:-0}))
    done
    avail=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
    if [ ! -f "$tag.stopped" ] && { [ "$rss" -gt "$mem_limit_kib" ] || [ "$avail" -lt 1572864 ]; }; then
      if [ "$rss" -gt "$mem_limit_kib" ]; then echo memory >"$tag.stopped"; else echo machine-memory >"$tag.stopped"; fi
      echo "$rss" >>"$tag.stopped"
      # Kill the measured command, not timeout: timeout reaps it, so /usr/bin/time still
      # reports its CPU time and peak memory.
      for p in $(descendants "$(pgrep -P "$pid" | head -n 1)"); do kill -KILL "$p" 2>/dev/null || true; done
    fi
  done
  local status=0
  wait "$pid" || status=$?
  local stopped=-
  [ "$status" = 124 ] && stopped=time
  local seen=0
  if [ -f "$tag.stopped" ]; then
    stopped=$(head -n 1 "$tag.stopped")
    seen=$(sed -n 2p "$tag.stopped")
  fi
  awk -F': ' -v status="$status" -v stopped="$stopped" -v seen="$seen" '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { user = $2 }
    /System time/ { sys = $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END {
      if (seen / 1024 > rss) rss = seen / 1024  # the watchdog saw more than time reports
      printf "%.2f %.2f %.0f %s %s\n", wall, user + sys, rss, status, stopped }' "$tag.time"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.4f", a / b; else printf "-" }'; }
step() { sed -n "s/^done $2: \([0-9.]*\)s.*/\1/p" "$1"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load $(load)"
echo "trailmap: $("$TRAILMAP_BIN" --version) ($TRAILMAP_BIN)"
echo "python: $("$PYTHON" -c 'import sys, pm4py, pandas, numpy, pyarrow
print(sys.version.split()[0], "pm4py", pm4py.__version__, "pandas", pandas.__version__, "numpy", numpy.__version__, "pyarrow", pyarrow.__version__)' 2>/dev/null)"
echo "limits: $limit s, $((mem_limit_kib / 1024)) MiB per run"

rows=()
for size in "${sizes[@]}"; do
  base="$dir/log-$size"
  for format in $formats; do
    file="$base.$format"
    if [ ! -f "$file" ]; then
      echo "generating $file" >&2
      /usr/bin/time -f "generated $file: %e s wall, peak RSS %M KiB" "$PYTHON" bench/gen_event_log.py "$size" "$base" "--$format" >&2
    fi
    echo >&2
    echo "== $size events, $format ($(du -h "$file" | cut -f1)), load $(load)" >&2
    t=(- - - - -)
    p=(- - - - -)
    t_runs=() p_runs=()
    rm -f "$dir/trailmap-$size-$format.json" "$dir/pm4py-$size-$format.json" "$dir/pm4py-$size-$format.out"
    for run in $(seq 1 "$runs"); do
      if [[ " $tools " == *" trailmap "* ]]; then
        tag="$dir/trailmap-$size-$format-run$run"
        read -r -a r < <(measure "$tag" "$TRAILMAP_BIN" discover --events "$file" --by event --format json)
        echo "trailmap run $run: ${r[0]} s wall, ${r[1]} s CPU, ${r[2]} MiB, exit ${r[3]}, stopped ${r[4]}; $(tail -n 1 "$tag.err")" >&2
        t_runs+=("${r[*]}")
        [ "$run" = 1 ] && [ "${r[3]}" = 0 ] && cp "$tag.out" "$dir/trailmap-$size-$format.json"
      fi
      if [[ " $tools " == *" pm4py "* ]]; then
        tag="$dir/pm4py-$size-$format-run$run"
        read -r -a r < <(measure "$tag" "$PYTHON" bench/pm4py_discover.py "$file" "$tag.json")
        echo "pm4py run $run: ${r[0]} s wall, ${r[1]} s CPU, ${r[2]} MiB, exit ${r[3]}, stopped ${r[4]}" >&2
        sed 's/^/  /' "$tag.out" >&2
        p_runs+=("${r[*]} $run")
        [ "$run" = 1 ] && [ -f "$tag.json" ] && cp "$tag.json" "$dir/pm4py-$size-$format.json"
        # A run that did not finish will not finish the next time either.
        [ "${r[3]}" = 0 ] || break
      fi
    done
    # The median run by wall time (of an odd number of runs; the lower middle of an even one).
    median() { printf '%s\n' "$@" | sort -n -k1,1 | sed -n "$(( ($# + 1) / 2 ))p"; }
    walls() { printf '%s\n' "$@" | cut -d' ' -f1 | paste -sd '/' -; }
    [ ${#t_runs[@]} -gt 0 ] && read -r -a t < <(median "${t_runs[@]}")
    if [ ${#p_runs[@]} -gt 0 ]; then
      read -r -a p < <(median "${p_runs[@]}")
      # pm4py's step times (read, compute) are the median run's.
      cp "$dir/pm4py-$size-$format-run${p[5]}.out" "$dir/pm4py-$size-$format.out"
    fi
    t_walls=$([ ${#t_runs[@]} -gt 0 ] && walls "${t_runs[@]}" || echo -)
    p_walls=$([ ${#p_runs[@]} -gt 0 ] && walls "${p_runs[@]}" || echo -)
    t_json="$dir/trailmap-$size-$format.json" p_json="$dir/pm4py-$size-$format.json" p_log="$dir/pm4py-$size-$format.out"
    # Only this run's results count.
    [[ " $tools " == *" trailmap "* ]] || t_json=/nonexistent
    [[ " $tools " == *" pm4py "* ]] || p_log=/nonexistent
    same="-"
    if [ "${p[3]}" = 0 ] && [ -f "$t_json" ]; then
      same=$("$PYTHON" bench/compare_discover_bench.py "$t_json" "$p_json" || true)
    elif [ -f "$p_log" ] && [ "${p[3]}" != 0 ]; then
      doing=$(grep '^begin ' "$p_log" | tail -n 1 | cut -d' ' -f2)
      same="pm4py stopped (${p[4]}, exit ${p[3]}) in ${doing:-startup} after ${p[0]} s at ${p[2]} MiB"
    fi
    echo "$same" >&2
    summary="-"
    if [ -f "$t_json" ]; then
      summary=$("$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("{:,} cases, {} activities, {} pairs, {:,} variants".format(d["cases"], len(d["activities"]), len(d["edges"]), d["variants"]["distinct"]))' "$t_json")
    fi
    # pm4py's compute: format_dataframe and the four calls (not the import, the read or the summary).
    read_s=- compute_s=-
    if [ -f "$p_log" ]; then
      read_s=$(step "$p_log" read)
      compute_s=$(awk '/^done (format_dataframe|discover_dfg|discover_performance_dfg|get_variants|get_all_case_durations):/ { sub(/s,$/, "", $3); s += $3; n++ } END { if (n == 5) printf "%.2f", s; else printf "-" }' "$p_log")
    fi
    bound=""
    [ "${p[3]}" != 0 ] && bound="< "  # pm4py did not finish: its time is at least this
    rows+=("| $size | $format | $summary | ${t[0]} s | ${t[1]} s | ${t[2]} MiB | ${p[0]} s | ${read_s:--} s | ${compute_s} s | ${p[1]} s | ${p[2]} MiB | $bound$(ratio "${t[0]}" "${p[0]}") | $bound$(ratio "${t[1]}" "${p[1]}") | $(ratio "${t[0]}" "$compute_s") | $t_walls | $p_walls | $same |")
  done
done

echo
echo "| events | file | log | trailmap wall | trailmap CPU | trailmap peak RSS | pm4py wall (total) | pm4py read | pm4py compute | pm4py CPU | pm4py peak RSS | wall ratio | CPU ratio | trailmap wall ÷ pm4py compute | trailmap walls | pm4py walls | same answer |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "pm4py steps (seconds, peak RSS so far):"
for size in "${sizes[@]}"; do
  for format in $formats; do
    f="$dir/pm4py-$size-$format.out"
    [ -f "$f" ] && echo "  $size $format: $(grep '^done' "$f" | sed 's/^done //; s/, peak RSS/ @/; s/ (.*//' | paste -sd ';' - | sed 's/;/; /g')"
  done
done
echo "load at the end: $(load)"
