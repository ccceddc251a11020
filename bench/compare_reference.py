#!/usr/bin/env python3
"""Compares `trailmap analyze` output with the DuckDB reference: counts must be equal and rates
and times within 1e-9 (relative for times). Exits 1 on any difference, listing each one.

Usage: compare_reference.py TRAILMAP_RESULT.json REFERENCE.json
"""

import json
import math
import sys


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def main():
    ours = json.load(open(sys.argv[1]))
    ref = json.load(open(sys.argv[2]))
    problems = []
    checked = 0
    if ours["inputs"]["customers_analysed"] != ref["customers"]:
        problems.append(f"customers: {ours['inputs']['customers_analysed']} != {ref['customers']}")
    for name, o in ref["outcomes"].items():
        checked += 1
        if not close(ours["outcomes"][name]["baseline"], o["baseline"]):
            problems.append(f"baseline {name}: {ours['outcomes'][name]['baseline']} != {o['baseline']}")
    for mine, theirs in zip(ours["steps"], ref["steps"], strict=True):
        sid = theirs["id"]
        pairs = [
            ("reach", mine["reach"], theirs["reach"], True),
            ("continued", mine["continued"], theirs["continued"], True),
            ("time_to_next.median_s", mine["time_to_next"]["median_s"], theirs["median_s"], False),
            ("time_to_next.p90_s", mine["time_to_next"]["p90_s"], theirs["p90_s"], False),
            ("nps.n", mine["feedback"]["nps"]["n"], theirs["nps"]["n"], True),
            ("nps.score", mine["feedback"]["nps"]["score"], theirs["nps"]["score"], False),
        ]
        for name, o in theirs["outcomes"].items():
            pairs.append((f"outcomes.{name}.n", mine["outcomes"][name]["n"], o["n"], True))
            pairs.append((f"outcomes.{name}.rate_after", mine["outcomes"][name]["rate_after"], o["rate_after"], False))
        for label, a, b, exact in pairs:
            checked += 1
            ok = (a == b) if exact else close(a, b)
            if not ok:
                problems.append(f"{sid} {label}: trailmap {a} != duckdb {b}")
    for p in problems:
        print("MISMATCH", p)
    print(f"{checked - len(problems)} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
