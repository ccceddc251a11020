#!/usr/bin/env python3
"""Recompute the figures of `trailmap analyze` for the Olist example independently, and compare.

Usage (from the repository root, after analyze has written the result):

    target/debug/trailmap analyze examples/olist/olist-orders.yaml \\
        --events examples/olist/events.csv.gz --customers examples/olist/customers.csv \\
        -o /tmp/olist-result.json
    python3 examples/olist/verify.py /tmp/olist-result.json

Python 3 standard library only. It reads events.csv.gz and customers.csv itself, evaluates the
map's `match`, outcome and persona expressions as Python predicates (the table below; the
script first checks that the map still holds exactly these expressions), and recomputes, from
the definitions in docs (crates/trailmap-engine/src/measure.rs):

- per step, for all customers and per persona: reach, continued, continue and drop-off rates,
  time to next (n, median, p90), CSAT score and n, and every outcome's rate_after;
- per stage: reach, reached_next, median time in stage;
- per outcome: customers and baseline, for all customers and per persona;
- customers per persona, event rows, customers analysed, unmapped events.

Counts must be equal; rates, scores and seconds must agree within 1e-9 (seconds: relative).
Exit status 0 when everything agrees, 1 on any mismatch (each one is printed).

Definitions (measure.rs): events are ordered per customer by time (UTC), ties in file order;
map order is stage order, then step order. For step S and a customer c reaching it,
t0 = the time of c's first event matching S.
  continued      c has an event matching a later step (map order) with time > t0;
                 time to next = the first such event's time - t0.
  csat           an event with csat that matches steps' `feedback:` expressions counts for
                 those steps. Any other is attributed to the steps (without `feedback:`) of c's
                 most recent event at or before it (itself included) that matches such a step,
                 if that event is at most the feedback window (30d) before it.
                 score = 100 * share of 4 and 5.
  rate_after(O)  share of c reaching S with an O event at t0 < t <= t0 + outcome window (90d).
  baseline(O)    share of all customers with an event (any event) who have an O event.
  stage          reach = customers with an event of any of its steps; reached_next = those with
                 an event of the next stage after their first event of this stage.
Naive times are local times in America/Sao_Paulo (the map's data.time_zone); a time in the
autumn overlap (clocks go back) is read as the earlier instant, like the engine.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("America/Sao_Paulo")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
DAY_US = 86_400 * 1_000_000
FEEDBACK_US = 30 * DAY_US
OUTCOME_US = 90 * DAY_US


def is_true(v: str) -> bool:
    return v.strip().lower() == "true"


def is_false(v: str) -> bool:
    return v.strip().lower() == "false"


# (stage, step id, the map's match expression, the same as a Python predicate over an event row)
STEPS: list[tuple] = [
    ("purchase", "places-order", "event = 'order_purchased'", lambda e: e["event"] == "order_purchased"),
    ("purchase", "payment-approved", "event = 'payment_approved'", lambda e: e["event"] == "payment_approved"),
    ("fulfilment", "handed-to-carrier", "event = 'handed_to_carrier'", lambda e: e["event"] == "handed_to_carrier"),
    ("delivery", "delivered-on-time", "event = 'order_delivered' AND late IS FALSE",
     lambda e: e["event"] == "order_delivered" and is_false(e["late"])),
    ("delivery", "delivered-late", "event = 'order_delivered' AND late IS TRUE",
     lambda e: e["event"] == "order_delivered" and is_true(e["late"])),
    ("after-delivery", "asked-for-review", "event = 'review_requested'", lambda e: e["event"] == "review_requested"),
    ("after-delivery", "rates-order", "event = 'review_answered'", lambda e: e["event"] == "review_answered"),
]
OUTCOMES = [
    ("repeat_purchase", "event = 'repeat_purchase'", lambda e: e["event"] == "repeat_purchase"),
    ("canceled", "event IN ('order_canceled', 'order_unavailable')",
     lambda e: e["event"] in ("order_canceled", "order_unavailable")),
]
# Steps with their own `feedback:` expression: step id -> (expression, predicate).
FEEDBACK = {
    "delivered-on-time": ("event = 'review_answered' AND late IS FALSE",
                          lambda e: e["event"] == "review_answered" and is_false(e["late"])),
    "delivered-late": ("event = 'review_answered' AND late IS TRUE",
                       lambda e: e["event"] == "review_answered" and is_true(e["late"])),
    "rates-order": ("event = 'review_answered'", lambda e: e["event"] == "review_answered"),
}
PERSONAS = [
    ("boleto-payer", "first_payment_type = 'boleto'", lambda c: c["first_payment_type"] == "boleto"),
    ("card-sao-paulo", "first_payment_type IN ('credit_card', 'debit_card') AND state = 'SP'",
     lambda c: c["first_payment_type"] in ("credit_card", "debit_card") and c["state"] == "SP"),
    ("card-elsewhere", "first_payment_type IN ('credit_card', 'debit_card') AND state <> 'SP'",
     lambda c: c["first_payment_type"] in ("credit_card", "debit_card") and c["state"] != "SP"),
]
STAGES = list(dict.fromkeys(stage for stage, *_ in STEPS))
OWN_FEEDBACK = {s for s, (_, sid, _, _) in enumerate(STEPS) if sid in FEEDBACK}


def check_map(path: Path) -> list[str]:
    """The map must hold exactly the expressions above, in this order."""
    text = path.read_text(encoding="utf-8")
    problems = []
    steps = re.findall(r"^ *- id: (\S+)\n(?:(?: {8,}.*)\n)*? *match: \"(.*)\"$", text, re.M)
    want = [(s, m) for _, s, m, _ in STEPS]
    if steps != want:
        problems.append(f"map steps and matches {steps} differ from verify.py's {want}")
    for sid, (expr, _) in FEEDBACK.items():
        if not re.search(rf"^ *- id: {re.escape(sid)}\n(?: {{8,}}.*\n)*? *feedback: \"{re.escape(expr)}\"$", text, re.M):
            problems.append(f"step {sid}: the map no longer says feedback {expr!r}")
    if text.count("feedback: \"") != len(FEEDBACK):
        problems.append(f"the map has a different number of `feedback:` expressions than verify.py's {len(FEEDBACK)}")
    if len(re.findall(r"^  [a-z_]+: \"", text.split("\noutcomes:\n", 1)[-1].split("\ndata:\n")[0], re.M)) != len(OUTCOMES):
        problems.append(f"the map has a different number of outcomes than verify.py's {len(OUTCOMES)}")
    for name, expr, _ in OUTCOMES:
        if f'  {name}: "{expr}"' not in text:
            problems.append(f"outcome {name}: the map no longer says {expr!r}")
    for pid, rule, _ in PERSONAS:
        if f'rule: "{rule}"' not in text:
            problems.append(f"persona {pid}: the map no longer says rule {rule!r}")
    for key, want_window in (("feedback", "30d"), ("outcome", "90d")):
        if not re.search(rf"^    {key}: {want_window}$", text, re.M):
            problems.append(f"data.windows.{key} is no longer {want_window}")
    if "time_zone: America/Sao_Paulo" not in text:
        problems.append("data.time_zone is no longer America/Sao_Paulo")
    return problems


def micros(naive: str) -> int:
    local = datetime.strptime(naive, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZONE, fold=0)
    back = local.astimezone(timezone.utc).astimezone(ZONE).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise SystemExit(f"verify.py: {naive} does not exist in America/Sao_Paulo (a DST gap)")
    return (local - EPOCH) // timedelta(microseconds=1)


def quantile_cont(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (pos - lo) * (sorted_values[hi] - sorted_values[lo])


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


class Group:
    def __init__(self) -> None:
        self.customers = 0
        self.outcome_customers = [0] * len(OUTCOMES)
        self.reach = [0] * len(STEPS)
        self.continued = [0] * len(STEPS)
        self.ttn: list[list[float]] = [[] for _ in STEPS]
        self.csat: list[list[int]] = [[] for _ in STEPS]
        self.hits = [[0] * len(OUTCOMES) for _ in STEPS]
        self.stage_reach = [0] * len(STAGES)
        self.stage_next = [0] * len(STAGES)
        self.stage_times: list[list[float]] = [[] for _ in STAGES]

    def add(self, rows: list[dict]) -> None:
        self.customers += 1
        for o in range(len(OUTCOMES)):
            if any(o in r["outcomes"] for r in rows):
                self.outcome_customers[o] += 1
        for s in range(len(STEPS)):
            first = next((i for i, r in enumerate(rows) if s in r["steps"]), None)
            if first is None:
                continue
            t0 = rows[first]["ts"]
            self.reach[s] += 1
            nxt = next((r for r in rows[first + 1:] if r["ts"] > t0 and any(k > s for k in r["steps"])), None)
            if nxt is not None and s + 1 < len(STEPS):
                self.continued[s] += 1
                self.ttn[s].append((nxt["ts"] - t0) / 1e6)
            for o in range(len(OUTCOMES)):
                if any(o in r["outcomes"] and t0 < r["ts"] <= t0 + OUTCOME_US for r in rows):
                    self.hits[s][o] += 1
        last = None
        for r in rows:
            if r["steps"] - OWN_FEEDBACK:
                last = r
            if r["csat"] is None:
                continue
            if r["feedback"]:
                targets = r["feedback"]
            elif last is not None and r["ts"] - last["ts"] <= FEEDBACK_US:
                targets = last["steps"] - OWN_FEEDBACK
            else:
                targets = set()
            for s in targets:
                self.csat[s].append(r["csat"])
        for k, stage in enumerate(STAGES):
            members = {s for s, step in enumerate(STEPS) if step[0] == stage}
            first = next((i for i, r in enumerate(rows) if r["steps"] & members), None)
            if first is None:
                continue
            self.stage_reach[k] += 1
            if k + 1 < len(STAGES):
                t0 = rows[first]["ts"]
                following = {s for s, step in enumerate(STEPS) if step[0] == STAGES[k + 1]}
                nxt = next((r for r in rows[first + 1:] if r["ts"] > t0 and r["steps"] & following), None)
                if nxt is not None:
                    self.stage_next[k] += 1
                    self.stage_times[k].append((nxt["ts"] - t0) / 1e6)

    def step(self, s: int) -> dict:
        last = s + 1 == len(STEPS)
        rate = None if last else ratio(self.continued[s], self.reach[s])
        ttn = sorted(self.ttn[s])
        csat = self.csat[s]
        return {
            "reach": self.reach[s],
            "continued": self.continued[s],
            "continue_rate": rate,
            "drop_off_rate": None if rate is None else 1 - rate,
            "time_to_next.n": len(ttn),
            "time_to_next.median_s": quantile_cont(ttn, 0.5),
            "time_to_next.p90_s": quantile_cont(ttn, 0.9),
            "feedback.csat.n": len(csat),
            "feedback.csat.score": 100 * sum(1 for x in csat if x >= 4) / len(csat) if csat else None,
            **{f"outcomes.{name}.n": self.hits[s][o] for o, (name, *_) in enumerate(OUTCOMES)},
            **{f"outcomes.{name}.rate_after": ratio(self.hits[s][o], self.reach[s]) for o, (name, *_) in enumerate(OUTCOMES)},
        }

    def stage(self, k: int) -> dict:
        last = k + 1 == len(STAGES)
        return {
            "reach": self.stage_reach[k],
            "reached_next": self.stage_next[k],
            "conversion": None if last else ratio(self.stage_next[k], self.stage_reach[k]),
            "median_time_in_stage_s": quantile_cont(sorted(self.stage_times[k]), 0.5),
        }


def get(obj: dict, dotted: str):
    for part in dotted.split("."):
        obj = obj[part]
    return obj


class Compare:
    def __init__(self) -> None:
        self.checked = 0
        self.mismatches: list[str] = []

    def __call__(self, where: str, expected, actual) -> None:
        self.checked += 1
        if isinstance(expected, float) or isinstance(actual, float):
            if expected is None or actual is None:
                ok = expected is None and actual is None
            else:
                ok = abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
        else:
            ok = expected == actual
        if not ok:
            self.mismatches.append(f"{where}: verify.py {expected!r}, trailmap {actual!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Check trailmap analyze's result for the Olist example.")
    parser.add_argument("result", type=Path, nargs="?", default=Path("/tmp/olist-result.json"))
    parser.add_argument("--events", type=Path, default=HERE / "events.csv.gz")
    parser.add_argument("--customers", type=Path, default=HERE / "customers.csv")
    parser.add_argument("--map", type=Path, default=HERE / "olist-orders.yaml")
    args = parser.parse_args()

    problems = check_map(args.map)
    if problems:
        print("verify.py is out of date with the map:", *problems, sep="\n  ")
        sys.exit(1)

    with args.customers.open(newline="", encoding="utf-8") as f:
        attributes = {c["customer_id"]: c for c in csv.DictReader(f)}
    persona_of = {}
    for cid, c in attributes.items():
        persona_of[cid] = next((pid for pid, _, rule in PERSONAS if rule(c)), "unassigned")

    by_customer: dict[str, list[dict]] = defaultdict(list)
    unmapped: Counter[str] = Counter()
    n_rows = 0
    with gzip.open(args.events, "rt", newline="", encoding="utf-8") as f:
        for e in csv.DictReader(f):
            n_rows += 1
            steps = {s for s, (*_, match) in enumerate(STEPS) if match(e)}
            if not steps:
                unmapped[e["event"]] += 1
            by_customer[e["customer_id"]].append({
                "ts": micros(e["timestamp"]),
                "steps": steps,
                "outcomes": {o for o, (*_, match) in enumerate(OUTCOMES) if match(e)},
                "feedback": {s for s, (_, sid, _, _) in enumerate(STEPS) if sid in FEEDBACK and FEEDBACK[sid][1](e)},
                "csat": int(e["csat"]) if e["csat"].strip() else None,
                "event": e,
            })

    groups: dict[str, Group] = defaultdict(Group)
    for cid, rows in by_customer.items():
        rows.sort(key=lambda r: r["ts"])  # stable: ties stay in file order
        groups["all"].add(rows)
        groups[persona_of.get(cid, "unassigned")].add(rows)

    result = json.loads(args.result.read_text(encoding="utf-8"))
    same = Compare()
    same("inputs.event_rows", n_rows, result["inputs"]["event_rows"])
    same("inputs.customers_analysed", groups["all"].customers, result["inputs"]["customers_analysed"])
    same("unmapped.events", sum(unmapped.values()), result["unmapped"]["events"])
    same("unmapped.top", sorted(unmapped.items()), sorted((t["event"], t["count"]) for t in result["unmapped"]["top"]))
    times = [r["ts"] for rows in by_customer.values() for r in rows]
    span = [datetime.fromtimestamp(t / 1e6, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") for t in (min(times), max(times))]
    same("inputs.time_span", span, [result["inputs"]["time_span"]["from"], result["inputs"]["time_span"]["to"]])
    personas = {g: grp.customers for g, grp in groups.items() if g != "all"}
    same("personas", personas, result["personas"])
    same("step ids", [s for _, s, _, _ in STEPS], [s["id"] for s in result["steps"]])
    for s, (stage, sid, _, _) in enumerate(STEPS):
        step = result["steps"][s]
        same(f"steps.{sid}.stage", stage, step["stage"])
        for key, value in groups["all"].step(s).items():
            same(f"steps.{sid}.{key}", value, get(step, key))
        for g in personas:
            for key, value in groups[g].step(s).items():
                same(f"steps.{sid}.personas.{g}.{key}", value, get(step["personas"][g], key))
    for k, stage in enumerate(STAGES):
        got = result["stages"][k]
        same(f"stages[{k}].id", stage, got["id"])
        for key, value in groups["all"].stage(k).items():
            same(f"stages.{stage}.{key}", value, got[key])
        for g in personas:
            for key, value in groups[g].stage(k).items():
                same(f"stages.{stage}.personas.{g}.{key}", value, got["personas"][g][key])
    for o, (name, _, _) in enumerate(OUTCOMES):
        got = result["outcomes"][name]
        same(f"outcomes.{name}.customers", groups["all"].outcome_customers[o], got["customers"])
        same(f"outcomes.{name}.baseline", ratio(groups["all"].outcome_customers[o], groups["all"].customers), got["baseline"])
        for g in personas:
            same(f"outcomes.{name}.personas.{g}", ratio(groups[g].outcome_customers[o], groups[g].customers), got["personas"][g])

    everyone = groups["all"]
    print(f"verify.py: {n_rows} events, {everyone.customers} customers; {same.checked} figures compared.")
    print()
    print(f"{'step':20} {'reach':>6} {'contin.':>7} {'drop-off':>8} {'median to next':>15} {'CSAT':>6} {'n':>5}")
    for s, (_, sid, _, _) in enumerate(STEPS):
        f = everyone.step(s)
        median = f["time_to_next.median_s"]
        drop = f["drop_off_rate"]
        score = f["feedback.csat.score"]
        print(f"{sid:20} {f['reach']:6} {f['continued']:7} "
              f"{'' if drop is None else f'{100 * drop:7.1f}%':>8} "
              f"{'' if median is None else f'{median / 86400:12.2f} d':>15} "
              f"{'' if score is None else f'{score:6.1f}':>6} {f['feedback.csat.n']:5}")
    print()
    for o, (name, _, _) in enumerate(OUTCOMES):
        print(f"outcome {name}: {everyone.outcome_customers[o]} customers, baseline "
              f"{everyone.outcome_customers[o] / everyone.customers:.4%}")
    facts(by_customer)
    print()
    if same.mismatches:
        print(f"MISMATCH: {len(same.mismatches)} of {same.checked} figures differ:")
        for m in same.mismatches:
            print("  " + m)
        sys.exit(1)
    print(f"OK: all {same.checked} figures agree (counts exactly, rates and seconds within 1e-9).")


def facts(by_customer: dict[str, list[dict]]) -> None:
    """Order-level figures that are not in result.json, for the README: CSAT by late delivery."""
    late_of: dict[str, bool] = {}
    scores: list[tuple[str, int]] = []
    reviewed_before_delivery = Counter()
    delivered_at: dict[str, int] = {}
    for rows in by_customer.values():
        for r in rows:
            e = r["event"]
            if e["event"] == "order_delivered":
                late_of[e["order_id"]] = is_true(e["late"])
                delivered_at[e["order_id"]] = r["ts"]
    for rows in by_customer.values():
        for r in rows:
            e = r["event"]
            if e["event"] == "review_answered":
                scores.append((e["order_id"], r["csat"]))
                if e["order_id"] in delivered_at:
                    before = r["ts"] < delivered_at[e["order_id"]]
                    reviewed_before_delivery[(late_of[e["order_id"]], before)] += 1
    print()
    print("Not in result.json (reviews joined to their order's delivery by order_id):")
    for label, want in (("on time", False), ("late", True), ("not delivered", None)):
        xs = [c for oid, c in scores if late_of.get(oid) is want]
        good = sum(1 for c in xs if c >= 4)
        poor = sum(1 for c in xs if c <= 2)
        print(f"  reviews of orders delivered {label:13}: {len(xs):5}, CSAT {100 * good / len(xs):5.1f}, "
              f"1-2 stars {100 * poor / len(xs):5.1f}%, mean {sum(xs) / len(xs):.2f}")
    for late in (False, True):
        before = reviewed_before_delivery[(late, True)]
        total = before + reviewed_before_delivery[(late, False)]
        print(f"  {'late' if late else 'on-time'} deliveries reviewed before the parcel arrived: "
              f"{before} of {total} ({before / total:.1%})")


if __name__ == "__main__":
    main()
