#!/usr/bin/env python3
"""Checks that trailmap and pm4py gave the same answer in bench/discover_vs_pm4py.sh.

  compare_discover_bench.py TRAILMAP.json PM4PY.json

TRAILMAP.json is `trailmap discover --format json` (top 10 variants); PM4PY.json is written by
bench/pm4py_discover.py. Compared: events and cases; every directly-follows pair with its
count and its mean, median, min, max, sum and stdev duration (relative 1e-6, like
tests/pm4py/compare_discover.py); start and end activity counts; the number of distinct
variants; the 10 most frequent variants in order with their counts; the case duration mean,
median, p90, min and max. Prints one line; exit status 1 when any number differs.
Plain Python (no pm4py needed).
"""

import json
import math
import sys

REL = 1e-6
ABS = 1e-6
STATS = {"mean": "mean_s", "median": "median_s", "min": "min_s", "max": "max_s", "sum": "sum_s", "stdev": "stdev_s"}


def main():
    ours = json.load(open(sys.argv[1]))
    ref = json.load(open(sys.argv[2]))
    problems = []
    checked = 0

    def check(what, a, b, near=False):
        nonlocal checked
        checked += 1
        if near:
            same = (a is None and b is None) or (
                a is not None and b is not None and math.isclose(a, b, rel_tol=REL, abs_tol=ABS)
            )
        else:
            same = a == b
        if not same:
            problems.append(f"{what}: trailmap {a!r}, pm4py {b!r}")

    check("events", ours["events"], ref["events"])
    check("cases", ours["cases"], ref["cases"])
    our_edges = {(e["from"], e["to"]): e for e in ours["edges"]}
    ref_edges = {(e["from"], e["to"]): e for e in ref["edges"]}
    check("directly-follows pairs", sorted(our_edges), sorted(ref_edges))
    for pair in sorted(set(our_edges) & set(ref_edges)):
        check(f"count {pair}", our_edges[pair]["count"], ref_edges[pair]["count"])
        for theirs, mine in STATS.items():
            check(f"{theirs} {pair}", our_edges[pair][mine], ref_edges[pair][theirs], near=True)
    for kind, key in [("start", "start_activities"), ("end", "end_activities")]:
        check(f"{kind} activities", {a["activity"]: a["cases"] for a in ours[key]}, ref[kind])
    check("distinct variants", ours["variants"]["distinct"], ref["variants_distinct"])
    top = [(v["activities"], v["count"]) for v in ours["variants"]["top"]]
    check("top variants", top, [(v["activities"], v["count"]) for v in ref["variants_top"][: len(top)]])
    for m in ["mean", "median", "p90", "min", "max"]:
        check(f"case duration {m}", ours["case_duration"][f"{m}_s"], ref["case_duration"][m], near=True)

    if problems:
        print(f"{len(problems)} of {checked} numbers DIFFER: " + "; ".join(problems[:5]))
        sys.exit(1)
    print(f"same answer: {checked} numbers equal")


if __name__ == "__main__":
    main()
