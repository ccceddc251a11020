"""Concurrent editors against a running `trailmap serve` on loopback, then a lost-update audit.

Each editor is one keep-alive connection with the admin's API token. It loops until the time is
up: load its map (GET the map, GET its latest version), append one line of its own to the
YAML, and save it with the version it loaded as the base. On a conflict (409) it reloads the
map and applies its edit again to the newer text, until the save goes through. Edits are
additive, so afterwards nothing may be missing:

- each map's version numbers are 1..latest without gaps;
- every acknowledged save (201) is in the history with exactly the text sent;
- the latest text of each map contains every acknowledged edit line (no lost update);
- there is no stored version nobody got an acknowledgement for.

Prints latencies (p50/p95/p99/max) of reads and saves, throughput, and conflict counts, as text
and (with --json) as a JSON object. Exit 0 when the audit holds, 1 when it does not.
Only 127.0.0.1 servers are accepted; the run ends after --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "workspace"))
from wsclient import Api, default_workspace, require_loopback, small_map  # noqa: E402


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process so far, from /proc (Linux)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else None,
    }


class Stats:
    def __init__(self) -> None:
        self.reads: list[float] = []
        self.saves: list[float] = []  # every save request, acknowledged or conflicting
        self.acked: dict[tuple[int, int], str] = {}
        self.edit_lines: dict[int, list[str]] = {}
        self.conflicts = 0
        self.edits_done = 0
        self.errors: list[str] = []


async def editor(base: str, token: str, map_id: int, name: str, deadline: float, stats: Stats) -> None:
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:

        async def timed_get(path: str) -> httpx.Response:
            t = time.perf_counter()
            r = await http.get(path)
            stats.reads.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise AssertionError(f"GET {path}: {r.status_code} {r.text[:200]}")
            return r

        async def load() -> tuple[int, str]:
            latest = (await timed_get(f"/api/v1/maps/{map_id}")).json()["latest_version"]
            return latest, (await timed_get(f"/api/v1/maps/{map_id}/versions/{latest}")).json()["yaml"]

        k = 0
        try:
            while time.monotonic() < deadline:
                k += 1
                line = f"# {name} edit {k}\n"
                base_version, text = await load()
                while True:
                    new = text + line
                    t = time.perf_counter()
                    r = await http.post(f"/api/v1/maps/{map_id}/versions", json={"base_version": base_version, "yaml": new, "message": f"{name} edit {k}"})
                    stats.saves.append(time.perf_counter() - t)
                    if r.status_code == 201:
                        number = r.json()["number"]
                        stats.acked[(map_id, number)] = hashlib.sha256(new.encode()).hexdigest()
                        stats.edit_lines.setdefault(map_id, []).append(line)
                        stats.edits_done += 1
                        break
                    if r.status_code == 409:
                        stats.conflicts += 1
                        # Re-read, then apply the same edit to the newer text. An edit already
                        # under way is finished even after the deadline, so none is half done.
                        base_version, text = await load()
                        continue
                    raise AssertionError(f"save: {r.status_code} {r.text[:200]}")
        except (AssertionError, httpx.HTTPError) as e:
            stats.errors.append(f"{name}: {type(e).__name__}: {e}")


def audit(base: str, token: str, maps: list[int], stats: Stats) -> list[str]:
    problems = []
    api = Api(base, token, timeout=60)
    try:
        for map_id in maps:
            numbers = sorted(v["number"] for v in api.versions(map_id))
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append(f"map {map_id}: version numbers have gaps")
            acked = {n for (m, n) in stats.acked if m == map_id}
            unacked = set(numbers) - acked - {1}
            if unacked:
                problems.append(f"map {map_id}: {len(unacked)} stored version(s) nobody was told about: {sorted(unacked)[:5]}")
            for n in sorted(acked - set(numbers)):
                problems.append(f"map {map_id}: acknowledged version {n} is missing")
            for n in sorted(acked & set(numbers)):
                text = api.version(map_id, n)["yaml"]
                if hashlib.sha256(text.encode()).hexdigest() != stats.acked[(map_id, n)]:
                    problems.append(f"map {map_id}: version {n} differs from the text acknowledged")
            final = api.version(map_id, numbers[-1])["yaml"]
            lost = [line for line in stats.edit_lines.get(map_id, []) if line not in final]
            if lost:
                problems.append(f"map {map_id}: {len(lost)} acknowledged edit(s) missing from the latest text, e.g. {lost[0].strip()}")
    finally:
        api.close()
    return problems


async def run(base: str, token: str, maps: list[int], editors: int, seconds: float, stats: Stats) -> float:
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*[
        editor(base, token, maps[i % len(maps)], f"e{i}", deadline, stats) for i in range(editors)
    ])
    return time.monotonic() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="the server, http://127.0.0.1:PORT")
    ap.add_argument("--token", required=True, help="an API token of a workspace owner")
    ap.add_argument("--editors", type=int, default=50)
    ap.add_argument("--maps", type=int, default=10, help="editors are spread over this many maps")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--label", default="")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--server-pid", type=int, help="the server's process id, to report its CPU time")
    args = ap.parse_args()
    if not 1 <= args.seconds <= 600:
        raise SystemExit("--seconds must be between 1 and 600")
    base = require_loopback(args.url)

    api = Api(base, args.token)
    ws = default_workspace(api)
    stamp = int(time.time())
    maps = [api.create_map(ws, small_map(f"load-{stamp}-{i}"), slug=f"load-{stamp}-{i}")["id"] for i in range(args.maps)]
    api.close()

    stats = Stats()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    server0 = cpu_seconds(args.server_pid)
    load0 = os.getloadavg()[0]
    elapsed = asyncio.run(run(base, args.token, maps, args.editors, args.seconds, stats))
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    server1 = cpu_seconds(args.server_pid)
    load1 = os.getloadavg()[0]
    problems = stats.errors + audit(base, args.token, maps, stats)

    result = {
        "label": args.label,
        "editors": args.editors,
        "maps": args.maps,
        "seconds": round(elapsed, 1),
        "edits_acknowledged": stats.edits_done,
        "conflicts": stats.conflicts,
        "save_requests": len(stats.saves),
        "read_requests": len(stats.reads),
        "saves_per_s": round(stats.edits_done / elapsed, 1),
        "requests_per_s": round((len(stats.saves) + len(stats.reads)) / elapsed, 1),
        "read_latency": summary(stats.reads),
        "save_latency": summary(stats.saves),
        "client_cpu_s": round((cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime), 1),
        "server_cpu_s": round(server1 - server0, 1) if server0 is not None and server1 is not None else None,
        "load_average_1min": [round(load0, 1), round(load1, 1)],
        "lost_updates": sum(1 for p in problems if "missing" in p),
        "problems": problems,
    }
    r, s = result["read_latency"], result["save_latency"]
    print(
        f"{args.label}: {args.editors} editors on {args.maps} maps for {result['seconds']} s: "
        f"{stats.edits_done} edits acknowledged ({result['saves_per_s']}/s), {stats.conflicts} conflicts "
        f"({len(stats.saves)} save requests), {len(stats.reads)} reads; "
        f"reads p50 {r['p50_ms']} p95 {r['p95_ms']} p99 {r['p99_ms']} ms; "
        f"saves p50 {s['p50_ms']} p95 {s['p95_ms']} p99 {s['p99_ms']} ms; "
        f"CPU: client {result['client_cpu_s']} s, server {result['server_cpu_s']} s; load average {load0:.1f} → {load1:.1f}; audit: " + ("ok, no lost update" if not problems else f"{len(problems)} problem(s)")
    )
    for p in problems[:20]:
        print(f"  {p}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
