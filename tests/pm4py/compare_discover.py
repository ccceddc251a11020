#!/usr/bin/env python3
"""Compares every number of `trailmap discover --format json` with pm4py on the same log.

For each log, pm4py reads it (XES with `pm4py.read_xes`, CSV with pandas), prepares the frame
with `pm4py.format_dataframe` (pm4py's documented preparation: it sorts each case by time,
ties in file order) and computes `discover_dfg`, `discover_performance_dfg`, `get_variants`
and `get_all_case_durations`; trailmap runs `discover --by event --top all --format json`.
Compared: case and event counts, every directly-follows pair and its count, start and end
activity counts, every edge's mean/median/min/max/sum/stdev duration (relative 1e-6), every
variant and its count, the case duration mean/median/p90/min/max (p90 as numpy.percentile)
and events per case, and each activity's event and case counts.

Exit status 1 when any number differs; `--perturb WHAT` changes one of trailmap's numbers
first, and `--self-test` tries every such change, to prove that a difference is caught.

Usage:
  compare_discover.py --trailmap BIN LOG.xes[.gz] ...
  compare_discover.py --trailmap BIN --csv EVENTS.csv --case customer_id --activity event --time timestamp
  compare_discover.py --trailmap BIN --roundtrip MAP --events EVENTS  (export-xes read back by pm4py)
"""

import argparse
import contextlib
import copy
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")
warnings.filterwarnings("ignore")
with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
    import numpy as np
    import pandas as pd
    import pm4py

REL = 1e-6
# Durations are seconds; timestamps have microsecond precision.
ABS = 1e-6

PERTURBATIONS = ["edge-count", "edge-median", "edge-mean", "start", "end", "variant", "p90", "cases"]


def run_trailmap(binary, args):
    cmd = [binary, "discover", "--top", "all", "--format", "json", *args]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"trailmap failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
    return json.loads(out.stdout)


def ours(d):
    """trailmap's JSON as plain dicts keyed like pm4py's results."""
    return {
        "cases": d["cases"],
        "events": d["events"],
        "dfg": {(e["from"], e["to"]): e["count"] for e in d["edges"]},
        "perf": {
            (e["from"], e["to"]): {
                "mean": e["mean_s"],
                "median": e["median_s"],
                "min": e["min_s"],
                "max": e["max_s"],
                "sum": e["sum_s"],
                "stdev": e["stdev_s"],
            }
            for e in d["edges"]
        },
        "start": {a["activity"]: a["cases"] for a in d["start_activities"]},
        "end": {a["activity"]: a["cases"] for a in d["end_activities"]},
        "variants": {tuple(v["activities"]): v["count"] for v in d["variants"]["top"]},
        "variants_distinct": d["variants"]["distinct"],
        "variant_shares": {tuple(v["activities"]): v["share"] for v in d["variants"]["top"]},
        "case_duration": {
            "mean": d["case_duration"]["mean_s"],
            "median": d["case_duration"]["median_s"],
            "p90": d["case_duration"]["p90_s"],
            "min": d["case_duration"]["min_s"],
            "max": d["case_duration"]["max_s"],
        },
        "events_per_case": dict(d["events_per_case"]),
        "activities": {
            a["activity"]: (a["events"], a["cases"]) for a in d["activities"] if a["events"] > 0
        },
    }


def reference(df, case="case:concept:name", activity="concept:name", timestamp="time:timestamp"):
    """pm4py's figures for a dataframe prepared with format_dataframe."""
    df = pm4py.format_dataframe(df, case_id=case, activity_key=activity, timestamp_key=timestamp)
    keys = dict(case_id_key="case:concept:name", activity_key="concept:name", timestamp_key="time:timestamp")
    dfg, start, end = pm4py.discover_dfg(df, **keys)
    perf, _, _ = pm4py.discover_performance_dfg(df, perf_aggregation_key="all", **keys)
    variants = pm4py.get_variants(df, **keys)
    durations = pm4py.get_all_case_durations(df, **keys)
    sizes = df.groupby("case:concept:name").size().to_numpy()
    by_activity = df.groupby("concept:name")
    events_per_activity = by_activity.size().to_dict()
    cases_per_activity = by_activity["case:concept:name"].nunique().to_dict()
    n_cases = df["case:concept:name"].nunique()
    return {
        "cases": int(n_cases),
        "events": int(len(df)),
        "dfg": {k: int(v) for k, v in dfg.items()},
        "perf": {
            k: {m: (None if pd.isna(v[m]) else float(v[m])) for m in ["mean", "median", "min", "max", "sum", "stdev"]}
            for k, v in perf.items()
        },
        "start": {k: int(v) for k, v in start.items()},
        "end": {k: int(v) for k, v in end.items()},
        "variants": {tuple(k): int(v) for k, v in variants.items()},
        "variants_distinct": len(variants),
        "variant_shares": {tuple(k): int(v) / n_cases for k, v in variants.items()},
        "case_duration": {
            "mean": float(np.mean(durations)),
            "median": float(np.median(durations)),
            "p90": float(np.percentile(durations, 90)),
            "min": float(np.min(durations)),
            "max": float(np.max(durations)),
        },
        "events_per_case": {
            "mean": float(np.mean(sizes)),
            "median": float(np.median(sizes)),
            "min": int(np.min(sizes)),
            "max": int(np.max(sizes)),
        },
        "activities": {
            a: (int(events_per_activity[a]), int(cases_per_activity[a])) for a in events_per_activity
        },
    }


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)


class Diff:
    def __init__(self, name):
        self.name = name
        self.problems = []
        self.checked = 0

    def equal(self, what, a, b):
        self.checked += 1
        if a != b:
            self.problems.append(f"{what}: trailmap {a!r} != pm4py {b!r}")

    def near(self, what, a, b):
        self.checked += 1
        if not close(a, b):
            self.problems.append(f"{what}: trailmap {a!r} != pm4py {b!r}")

    def keys(self, what, a, b):
        self.checked += 1
        if set(a) != set(b):
            only_a = sorted(set(a) - set(b), key=str)[:5]
            only_b = sorted(set(b) - set(a), key=str)[:5]
            self.problems.append(f"{what}: only trailmap {only_a}, only pm4py {only_b}")
        return sorted(set(a) & set(b), key=str)


def compare(name, o, r):
    d = Diff(name)
    d.equal("cases", o["cases"], r["cases"])
    d.equal("events", o["events"], r["events"])
    for pair in d.keys("directly-follows pairs", o["dfg"], r["dfg"]):
        d.equal(f"count {pair}", o["dfg"][pair], r["dfg"][pair])
    for pair in d.keys("performance pairs", o["perf"], r["perf"]):
        for m in ["mean", "median", "min", "max", "sum", "stdev"]:
            d.near(f"{m} {pair}", o["perf"][pair][m], r["perf"][pair][m])
    for kind in ["start", "end"]:
        for a in d.keys(f"{kind} activities", o[kind], r[kind]):
            d.equal(f"{kind} {a}", o[kind][a], r[kind][a])
    d.equal("distinct variants", o["variants_distinct"], r["variants_distinct"])
    for v in d.keys("variants", o["variants"], r["variants"]):
        d.equal(f"variant {v[:4]}... count", o["variants"][v], r["variants"][v])
        d.near(f"variant {v[:4]}... share", o["variant_shares"][v], r["variant_shares"][v])
    for m in ["mean", "median", "p90", "min", "max"]:
        d.near(f"case duration {m}", o["case_duration"][m], r["case_duration"][m])
    for m in ["mean", "median", "min", "max"]:
        d.near(f"events per case {m}", o["events_per_case"][m], r["events_per_case"][m])
    for a in d.keys("activities", o["activities"], r["activities"]):
        d.equal(f"activity {a} (events, cases)", o["activities"][a], r["activities"][a])
    return d


def perturb(o, what):
    """Changes one number of trailmap's result, the way a bug would."""
    pair = sorted(o["dfg"], key=str)[0]
    if what == "edge-count":
        o["dfg"][pair] += 1
    elif what == "edge-median":
        o["perf"][pair]["median"] = o["perf"][pair]["median"] * (1 + 1e-5) + 1e-5
    elif what == "edge-mean":
        o["perf"][pair]["mean"] = o["perf"][pair]["mean"] * (1 + 1e-5) + 1e-5
    elif what == "start":
        a = sorted(o["start"])[0]
        o["start"][a] += 1
    elif what == "end":
        a = sorted(o["end"])[0]
        o["end"][a] -= 1
    elif what == "variant":
        v = sorted(o["variants"], key=str)[0]
        o["variants"][v] += 1
    elif what == "p90":
        o["case_duration"]["p90"] = o["case_duration"]["p90"] * (1 + 1e-5) + 1e-5
    elif what == "cases":
        o["cases"] += 1
    else:
        sys.exit(f"unknown perturbation {what}")
    return o


def report(d, seconds):
    status = "ok" if not d.problems else f"{len(d.problems)} DIFFERENCES"
    print(f"{d.name}: {d.checked} numbers compared, {status} ({seconds:.1f}s)")
    for p in d.problems[:20]:
        print(f"  {p}")
    if len(d.problems) > 20:
        print(f"  ... and {len(d.problems) - 20} more")
    return not d.problems


def read_xes(path):
    with contextlib.redirect_stdout(io.StringIO()):
        return pm4py.read_xes(path, show_progress_bar=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trailmap", required=True)
    parser.add_argument("logs", nargs="*", help="XES logs (.xes, .xes.gz)")
    parser.add_argument("--csv", help="a CSV event file")
    parser.add_argument("--case", default="customer_id")
    parser.add_argument("--activity", default="event")
    parser.add_argument("--time", default="timestamp")
    parser.add_argument("--roundtrip", metavar="MAP", help="export-xes MAP --events EVENTS, read back by pm4py")
    parser.add_argument("--events", help="events for --roundtrip")
    parser.add_argument("--perturb", choices=PERTURBATIONS)
    parser.add_argument(
        "--self-test", action="store_true",
        help="on the first log: change each kind of number in turn and fail unless every change is caught",
    )
    args = parser.parse_args()

    if args.self_test:
        o = ours(run_trailmap(args.trailmap, ["--events", args.logs[0], "--by", "event"]))
        r = reference(read_xes(args.logs[0]))
        if compare("unchanged", o, r).problems:
            sys.exit("self-test: the unchanged result already differs")
        missed = [w for w in PERTURBATIONS if not compare(w, perturb(copy.deepcopy(o), w), r).problems]
        if missed:
            sys.exit(f"self-test: a changed number was not caught: {missed}")
        print(f"self-test: each of {len(PERTURBATIONS)} kinds of changed number is caught")
        sys.exit(0)

    ok = True
    for path in args.logs:
        started = time.time()
        o = ours(run_trailmap(args.trailmap, ["--events", path, "--by", "event"]))
        r = reference(read_xes(path))
        if args.perturb:
            perturb(o, args.perturb)
        ok &= report(compare(os.path.basename(path), o, r), time.time() - started)

    if args.csv:
        started = time.time()
        o = ours(
            run_trailmap(
                args.trailmap,
                ["--events", args.csv, "--by", "event", "--case-col", args.case,
                 "--activity-col", args.activity, "--timestamp-col", args.time],
            )
        )
        df = pd.read_csv(args.csv, dtype={args.case: str, args.activity: str})
        r = reference(df, args.case, args.activity, args.time)
        if args.perturb:
            perturb(o, args.perturb)
        ok &= report(compare(os.path.basename(args.csv), o, r), time.time() - started)

    if args.roundtrip:
        started = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            xes = os.path.join(tmp, "export.xes")
            cmd = [args.trailmap, "export-xes", args.roundtrip, "--events", args.events, "-o", xes]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"trailmap failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
            r = reference(read_xes(xes))
        # By step: the export's concept:name is the step id, so pm4py's figures on the export
        # must equal trailmap's on the original events with the map.
        o = ours(run_trailmap(args.trailmap, ["--map", args.roundtrip, "--events", args.events]))
        if args.perturb:
            perturb(o, args.perturb)
        name = f"export-xes {os.path.basename(args.roundtrip)} read back by pm4py"
        ok &= report(compare(name, o, r), time.time() - started)

    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
