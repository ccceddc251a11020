#!/usr/bin/env python3
"""The pm4py side of bench/discover_vs_pm4py.sh: the figures `trailmap discover` computes, with
pm4py's pandas-dataframe API, on the same file.

  pm4py_discover.py EVENTS.parquet|EVENTS.csv RESULT.json

Steps: import (pm4py, pandas), read (pandas read_parquet, or read_csv with the timestamp
parsed), format_dataframe (pm4py's documented preparation: column names, types, each case
sorted by time), then the four calls discover_dfg, discover_performance_dfg (all aggregations),
get_variants and get_all_case_durations, then the summary (mean, median, p90, min, max of the
case durations; the 10 most frequent variants in pm4py's order). Each step prints a line when it
begins and one when it ends (seconds, peak RSS so far), flushed, so a run that is stopped
shows which call it was in. RESULT.json gets the figures, for bench/compare_discover_bench.py.
Columns: customer_id, timestamp, event.
"""

import heapq
import json
import os
import resource
import sys
import time

BEGIN = time.perf_counter()
os.environ.setdefault("TQDM_DISABLE", "1")
TOP = 10


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Steps:
    def __init__(self):
        self.seconds = {}

    def run(self, name, fn, detail=lambda _: ""):
        print(f"begin {name}", flush=True)
        started = time.perf_counter()
        value = fn()
        took = time.perf_counter() - started
        self.seconds[name] = took
        print(f"done {name}: {took:.2f}s, peak RSS {peak_mib():.0f} MiB {detail(value)}".rstrip(), flush=True)
        return value


def main():
    path, out = sys.argv[1], sys.argv[2]
    steps = Steps()

    def imports():
        import contextlib
        import io
        import warnings

        warnings.filterwarnings("ignore")
        with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
            import numpy
            import pandas
            import pm4py
        return numpy, pandas, pm4py

    np, pd, pm4py = steps.run("import", imports)

    def read():
        if path.endswith(".parquet"):
            return pd.read_parquet(path)
        df = pd.read_csv(path, dtype={"customer_id": str, "event": str})
        df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
        return df

    df = steps.run("read", read, lambda d: f"({len(d):,} rows)")
    df = steps.run(
        "format_dataframe",
        lambda: pm4py.format_dataframe(df, case_id="customer_id", activity_key="event", timestamp_key="timestamp"),
    )
    keys = dict(case_id_key="case:concept:name", activity_key="concept:name", timestamp_key="time:timestamp")
    dfg, start, end = steps.run("discover_dfg", lambda: pm4py.discover_dfg(df, **keys), lambda r: f"({len(r[0])} pairs)")
    perf, _, _ = steps.run(
        "discover_performance_dfg", lambda: pm4py.discover_performance_dfg(df, perf_aggregation_key="all", **keys)
    )
    variants = steps.run("get_variants", lambda: pm4py.get_variants(df, **keys), lambda v: f"({len(v):,} variants)")
    durations = steps.run(
        "get_all_case_durations", lambda: pm4py.get_all_case_durations(df, **keys), lambda d: f"({len(d):,} cases)"
    )

    def summary():
        # pm4py's own order of variants (get_variants_sorted_by_count): by (count, variant), greatest first.
        top = heapq.nlargest(TOP, variants.items(), key=lambda kv: (kv[1], kv[0]))
        number = lambda v: None if pd.isna(v) else float(v)  # noqa: E731
        return {
            "events": int(len(df)),
            "cases": int(len(durations)),
            "edges": [
                {"from": a, "to": b, "count": int(n), **{m: number(perf[(a, b)][m]) for m in perf[(a, b)]}}
                for (a, b), n in dfg.items()
            ],
            "start": {a: int(n) for a, n in start.items()},
            "end": {a: int(n) for a, n in end.items()},
            "variants_distinct": len(variants),
            "variants_top": [{"activities": list(v), "count": int(n)} for v, n in top],
            "case_duration": {
                "mean": float(np.mean(durations)),
                "median": float(np.median(durations)),
                "p90": float(np.percentile(durations, 90)),
                "min": float(np.min(durations)),
                "max": float(np.max(durations)),
            },
        }

    result = steps.run("summary", summary)
    result["seconds"] = steps.seconds
    result["versions"] = {"pm4py": pm4py.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    with open(out, "w") as f:
        json.dump(result, f)
    print(f"total {time.perf_counter() - BEGIN:.2f}s", flush=True)


if __name__ == "__main__":
    main()
