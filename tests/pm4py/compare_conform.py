#!/usr/bin/env python3
"""Compares `trailmap conform`'s fitness with pm4py's alignments on the same journeys.

trailmap writes the events mapped to the map's steps with `export-xes` (each trace with its
`persona`); pm4py reads that XES, removes back-to-back repeats of a step (trailmap's *visits*,
docs/conformance.md), and aligns each trace with its persona's designed path, built as a Petri
net: the path's steps in map order, with a silent (tau) transition beside each step that may
be skipped (marked `optional`, or, for customers without a persona, meant only for some
personas). `pm4py.algo.conformance.alignments` computes the optimal alignments with its
standard cost function (10,000 per move on log or on visible model transitions, 1 per silent
move).

Compared, for everyone and for each persona: the log fitness `1 - sum(cost) / sum(bwc)` with
costs in moves (pm4py's cost and best worst cost floor-divided by 10,000, which leaves out the 1
per silent move; pm4py's own `log_fitness` keeps it, a difference of about 1e-7),
the mean trace fitness (pm4py's own per-trace `fitness`, which does the same), and the number of
perfectly fitting traces. Relative tolerance 1e-9.

Exit status 1 when a number differs; `--self-test` first shows that a one-trace change is caught.

Usage:
  compare_conform.py --trailmap BIN MAP --events EVENTS [--customers CUSTOMERS]
"""

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")
warnings.filterwarnings("ignore")
with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
    import pm4py
    from pm4py.algo.conformance.alignments.petri_net import algorithm as alignments
    from pm4py.objects.log.obj import Event, EventLog, Trace
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils import petri_utils

MOVE = 10000
REL = 1e-9


def trailmap(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"trailmap failed ({out.returncode}): {' '.join(args)}\n{out.stderr}")
    return out.stdout


def paths(map_json):
    """Per persona id (None: no persona): the path as [(step id, may be skipped)]."""
    # A step without `match` cannot be seen in data: it is on nobody's path.
    steps = [s for stage in map_json["stages"] for s in stage["steps"] if s.get("match")]
    personas = [p["id"] for p in map_json.get("personas", [])]
    out = {}
    for p in personas:
        out[p] = [
            (s["id"], bool(s.get("optional")))
            for s in steps
            if not s.get("personas") or p in s["personas"]
        ]
    out[None] = [(s["id"], bool(s.get("optional")) or bool(s.get("personas"))) for s in steps]
    return out


def net_of(path):
    net = PetriNet("designed path")
    places = [PetriNet.Place(f"p{i}") for i in range(len(path) + 1)]
    for p in places:
        net.places.add(p)
    for i, (step, skippable) in enumerate(path):
        moves = [PetriNet.Transition(f"t{i}", step)]
        if skippable:
            moves.append(PetriNet.Transition(f"skip{i}", None))
        for t in moves:
            net.transitions.add(t)
            petri_utils.add_arc_from_to(places[i], t, net)
            petri_utils.add_arc_from_to(t, places[i + 1], net)
    return net, Marking({places[0]: 1}), Marking({places[-1]: 1})


def visits(trace):
    """The trace with back-to-back repeats of an activity removed."""
    out = Trace(attributes=dict(trace.attributes))
    last = None
    for e in trace:
        name = e["concept:name"]
        if name != last:
            out.append(Event({"concept:name": name}))
        last = name
    return out


def pm4py_figures(xes, path_of):
    log = pm4py.read_xes(xes, return_legacy_log_object=True)
    by_persona = {}
    for trace in log:
        by_persona.setdefault(trace.attributes.get("persona"), EventLog()).append(visits(trace))
    totals = {}
    for persona, traces in by_persona.items():
        net, im, fm = net_of(path_of[persona])
        aligned = alignments.apply_log(traces, net, im, fm)
        rows = [(a["cost"] // MOVE, a["bwc"] // MOVE, a["fitness"]) for a in aligned]
        for scope in ("everyone", persona):
            if scope is None:
                continue
            t = totals.setdefault(scope, {"cost": 0, "worst": 0, "fit": 0.0, "n": 0, "perfect": 0})
            for cost, worst, fitness in rows:
                t["cost"] += cost
                t["worst"] += worst
                t["fit"] += fitness
                t["n"] += 1
                t["perfect"] += fitness == 1.0
    return {
        scope: {
            "customers": t["n"],
            "log": 1 - t["cost"] / t["worst"],
            "mean": t["fit"] / t["n"],
            "perfect": t["perfect"],
        }
        for scope, t in totals.items()
    }


def ours(conformance):
    scopes = {"everyone": conformance["everyone"], **conformance["personas"]}
    return {
        scope: {
            "customers": f["customers"],
            "log": f["fitness"]["log"],
            "mean": f["fitness"]["mean"],
            "perfect": f["fitness"]["perfect"],
        }
        for scope, f in scopes.items()
        if f["customers"] > 0
    }


def differences(a, b):
    problems = []
    for scope in sorted(set(a) | set(b), key=str):
        x, y = a.get(scope), b.get(scope)
        if x is None or y is None:
            problems.append(f"{scope}: only in {'trailmap' if y is None else 'pm4py'}")
            continue
        for key in ("customers", "perfect"):
            if x[key] != y[key]:
                problems.append(f"{scope} {key}: trailmap {x[key]}, pm4py {y[key]}")
        for key in ("log", "mean"):
            if abs(x[key] - y[key]) > REL * max(1.0, abs(y[key])):
                problems.append(f"{scope} fitness.{key}: trailmap {x[key]!r}, pm4py {y[key]!r}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trailmap", required=True)
    parser.add_argument("map")
    parser.add_argument("--events", required=True)
    parser.add_argument("--customers")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()

    extra = ["--customers", args.customers] if args.customers else []
    conformance = json.loads(
        trailmap(args.trailmap, "conform", args.map, "--events", args.events, "--format", "json", *extra)
    )
    path_of = paths(json.loads(trailmap(args.trailmap, "export", args.map, "--to", "json")))
    with tempfile.TemporaryDirectory() as tmp:
        xes = os.path.join(tmp, "steps.xes")
        trailmap(args.trailmap, "export-xes", args.map, "--events", args.events, "-o", xes, *extra)
        theirs = pm4py_figures(xes, path_of)
    mine = ours(conformance)
    if args.self_test:
        changed = json.loads(json.dumps(mine))
        changed["everyone"]["log"] += 1e-6
        changed["everyone"]["perfect"] += 1
        if len(differences(changed, theirs)) != 2:
            sys.exit("self-test failed: a changed fitness and count were not both caught")
    problems = differences(mine, theirs)
    label = os.path.basename(args.map)
    if problems:
        print(f"{label}: {len(problems)} differences from pm4py:")
        for p in problems:
            print(f"  {p}")
        sys.exit(1)
    e = mine["everyone"]
    print(
        f"{label}: fitness equal to pm4py's alignments for {len(mine)} scopes "
        f"({e['customers']} customers: log {e['log']:.6f}, mean {e['mean']:.6f}, {e['perfect']} perfect)"
    )


if __name__ == "__main__":
    main()
