#!/usr/bin/env python3
"""The evidence engine's core figures, computed independently with DuckDB SQL.

For every step of a map: reach, continued, time to next (median and p90, quantile_cont),
NPS (score and n) and, for every outcome, rate_after; plus each outcome's baseline. The
definitions are those of `crates/trailmap-engine/src/measure.rs`, written as set-based SQL:

  first_at(c, S)  = min(ts) of c's events matching S
  continued       = c has an event matching a later step with ts > first_at; time to next is
                    the first such ts - first_at
  NPS             = an answer (nps not null) matching steps' `feedback:` expressions counts for
                    those steps; any other answer is ASOF-joined to the customer's latest event
                    (at or before it) of a step without a `feedback:` expression, within the
                    feedback window, and counts for each such step that event matches
  rate_after(O)   = share of reaching customers with an O event in (first_at, first_at + window]
  baseline(O)     = share of customers (any event) with an O event

Used two ways: as a correctness test against `trailmap analyze` on small generated data
(tests/duckdb/run.sh), and as the peer in the benchmark (bench/analyze_vs_duckdb.sh).

Usage: duckdb_reference.py MAP EVENTS_GLOB [--feedback-days 30] [--outcome-days 90] [-o out.json]
"""

import argparse
import json
import sys
import time

import duckdb
import yaml


def days(duration):
    """A map duration (`30d`, `12h`, `2w`) in days."""
    scale = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[duration[-1]]
    return int(duration[:-1]) * scale / 86400


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("map")
    parser.add_argument("events", help="a Parquet or CSV file or glob")
    parser.add_argument("--feedback-days", type=float, help="default: the map's data.windows.feedback, else 30")
    parser.add_argument("--outcome-days", type=float, help="default: the map's data.windows.outcome, else 90")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("-o", "--output")
    args = parser.parse_args()

    with open(args.map) as f:
        # BaseLoader keeps every scalar as text, like YAML 1.2 for our purposes.
        doc = yaml.load(f, Loader=yaml.BaseLoader)
    steps = [(st["id"], st.get("match")) for stage in doc["stages"] for st in stage["steps"]]
    feedback = [st.get("feedback") for stage in doc["stages"] for st in stage["steps"]]
    outcomes = list((doc.get("outcomes") or {}).items())
    windows = (doc.get("data") or {}).get("windows") or {}
    if args.feedback_days is None:
        args.feedback_days = days(windows.get("feedback", "30d"))
    if args.outcome_days is None:
        args.outcome_days = days(windows.get("outcome", "90d"))

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    started = time.time()
    reader = "read_parquet" if args.events.endswith((".parquet", ".pq", "*")) and "csv" not in args.events else "read_csv_auto"
    source = f"{reader}('{args.events}')"
    step_cols = ",\n".join(
        f"coalesce(({m}), false) AS s{k}" if m else f"false AS s{k}" for k, (_, m) in enumerate(steps)
    )
    outcome_cols = "".join(f",\n coalesce(({expr}), false) AS o{k}" for k, (_, expr) in enumerate(outcomes))
    outcome_cols += "".join(
        f",\n coalesce(({expr}), false) AS f{k}" if expr else f",\n false AS f{k}" for k, expr in enumerate(feedback)
    )
    con.execute(
        f"""
        CREATE TEMP TABLE m0 AS
        SELECT customer_id, epoch_us(CAST(timestamp AS TIMESTAMPTZ)) AS ts, nps,
               row_number() OVER () AS seq,
               {step_cols}{outcome_cols}
        FROM {source}
        """
    )
    # Order within a customer: time, ties in input order (the engine's definition).
    con.execute(
        """
        CREATE TEMP TABLE m AS
        SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY ts, seq) AS r FROM m0
        """
    )
    n_customers = con.execute("SELECT count(DISTINCT customer_id) FROM m").fetchone()[0]
    window_fb = int(args.feedback_days * 86400e6)
    window_out = int(args.outcome_days * 86400e6)

    result = {"customers": n_customers, "outcomes": {}, "steps": []}
    for k, (name, _) in enumerate(outcomes):
        hits = con.execute(f"SELECT count(DISTINCT customer_id) FROM m WHERE o{k}").fetchone()[0]
        result["outcomes"][name] = {"customers": hits, "baseline": hits / n_customers if n_customers else None}

    # Answers that match steps' own `feedback:` expressions go to those steps; the others go to
    # the latest event, at or before them, of a step without one (ASOF join), within the window.
    own = [k for k, expr in enumerate(feedback) if expr]
    time_steps = [k for k in range(len(steps)) if k not in own]
    any_own = " OR ".join(f"f{k}" for k in own) or "false"
    any_time_step = " OR ".join(f"s{k}" for k in time_steps) or "false"
    step_list = ", ".join(
        f"(s.s{k} AND {'false' if k in own else 'true'}) AS s{k}" for k in range(len(steps))
    )
    con.execute(
        f"""
        CREATE TEMP TABLE fb AS
        SELECT a.nps, {step_list}
        FROM (SELECT customer_id, ts, r, nps FROM m WHERE nps IS NOT NULL AND NOT ({any_own})) a
        ASOF JOIN (SELECT * FROM m WHERE {any_time_step}) s
          ON a.customer_id = s.customer_id AND a.r >= s.r
        WHERE a.ts - s.ts <= {window_fb}
        UNION ALL
        SELECT nps, {", ".join(f"f{k} AS s{k}" for k in range(len(steps)))}
        FROM m WHERE nps IS NOT NULL AND ({any_own})
        """
    )

    for k, (step_id, _) in enumerate(steps):
        later = " OR ".join(f"m.s{j}" for j in range(k + 1, len(steps))) or "false"
        row = con.execute(
            f"""
            WITH f AS (SELECT customer_id, min(ts) AS f FROM m WHERE s{k} GROUP BY customer_id),
            nxt AS (
                SELECT f.customer_id, min(m.ts) AS nt
                FROM f JOIN m ON m.customer_id = f.customer_id AND m.ts > f.f AND ({later})
                GROUP BY f.customer_id
            )
            SELECT count(*) AS reach,
                   count(nxt.nt) AS continued,
                   quantile_cont((nxt.nt - f.f) / 1e6, 0.5) AS median_s,
                   quantile_cont((nxt.nt - f.f) / 1e6, 0.9) AS p90_s
            FROM f LEFT JOIN nxt USING (customer_id)
            """
        ).fetchone()
        reach, continued, median_s, p90_s = row
        nps = con.execute(
            f"""
            SELECT count(*), 100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / nullif(count(*), 0)
            FROM fb WHERE s{k}
            """
        ).fetchone()
        figures = {
            "id": step_id,
            "reach": reach,
            "continued": continued if k + 1 < len(steps) else 0,
            "median_s": median_s,
            "p90_s": p90_s,
            "nps": {"n": nps[0], "score": nps[1]},
            "outcomes": {},
        }
        for j, (name, _) in enumerate(outcomes):
            hits = con.execute(
                f"""
                WITH f AS (SELECT customer_id, min(ts) AS f FROM m WHERE s{k} GROUP BY customer_id)
                SELECT count(DISTINCT f.customer_id)
                FROM f JOIN m ON m.customer_id = f.customer_id AND m.o{j}
                 AND m.ts > f.f AND m.ts <= f.f + {window_out}
                """
            ).fetchone()[0]
            figures["outcomes"][name] = {"n": hits, "rate_after": hits / reach if reach else None}
        result["steps"].append(figures)
    result["seconds"] = time.time() - started
    text = json.dumps(result, indent=2)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
