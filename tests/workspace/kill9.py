"""kill -9 of `trailmap serve` during saves loses no acknowledged version.

Starts the server on a database, has a few writers save versions of a few maps through the
API as fast as they can (several writers per map, so conflicts happen too), and at a random
moment sends SIGKILL. Then it restarts the server on the same database and checks:

- every version the server acknowledged (201) is there, with exactly the text that was sent;
- the version numbers of each map are 1..latest without gaps;
- every stored version's text is one somebody sent (the import or a save), so nothing torn
  or mixed was stored from a save that was in flight when the server died.

Repeats for several rounds on the same database. Exit code 0 when everything holds, 1 when a
check fails, 2 when the server cannot be run.

    python kill9.py --bin target/debug/trailmap --database sqlite:///tmp/k.db
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import threading
import time

import httpx

from wsclient import Api, Server, bootstrap_admin, default_workspace, small_map


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Ledger:
    """What the writers sent and what the server acknowledged, shared between threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acked: dict[tuple[int, int], str] = {}  # (map, number) -> digest of the text sent
        self.sent: dict[int, set[str]] = {}  # map -> digests of every text ever sent
        self.conflicts = 0
        self.saves = 0
        self.cut_off = 0  # saves sent whose answer never came: the kill hit them mid-request

    def sending(self, map_id: int, text: str) -> None:
        with self.lock:
            self.sent.setdefault(map_id, set()).add(digest(text))

    def ack(self, map_id: int, number: int, text: str) -> None:
        with self.lock:
            key = (map_id, number)
            if key in self.acked and self.acked[key] != digest(text):
                raise AssertionError(f"map {map_id} version {number} acknowledged twice with different texts")
            self.acked[key] = digest(text)
            self.saves += 1


def writer(base: str, token: str, map_id: int, name: str, ledger: Ledger, stop: threading.Event, errors: list) -> None:
    api = Api(base, token, timeout=10)
    try:
        latest = api.map(map_id)["latest_version"]
        text = api.version(map_id, latest)["yaml"]
        k = 0
        while not stop.is_set():
            k += 1
            new = text + f"# {name} save {k} {random.getrandbits(32):08x}\n"
            ledger.sending(map_id, new)
            try:
                r = api.save(map_id, latest, new, f"{name} save {k}")
            except httpx.TransportError:
                with ledger.lock:
                    ledger.cut_off += 1
                raise
            if r.status_code == 201:
                body = r.json()
                if body["yaml"] != new:
                    errors.append(f"map {map_id}: the acknowledgement of version {body['number']} carries other text")
                ledger.ack(map_id, body["number"], new)
                latest, text = body["number"], new
            elif r.status_code == 409:
                with ledger.lock:
                    ledger.conflicts += 1
                latest = r.json()["error"]["latest_version"]
                text = api.version(map_id, latest)["yaml"]
            else:
                errors.append(f"map {map_id}: save answered {r.status_code}: {r.text[:300]}")
                return
    except (httpx.TransportError, httpx.HTTPStatusError):
        # The server died under us: whatever was in flight is not acknowledged.
        pass
    except AssertionError as e:
        if not stop.is_set():
            errors.append(str(e))
    finally:
        api.close()


def verify(api: Api, maps: list[int], ledger: Ledger) -> list[str]:
    problems = []
    for map_id in maps:
        versions = api.versions(map_id)
        numbers = sorted(v["number"] for v in versions)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"map {map_id}: version numbers are not 1..{len(numbers)}: {numbers[:5]}...{numbers[-5:]}")
        latest = api.map(map_id)["latest_version"]
        if numbers and latest != numbers[-1]:
            problems.append(f"map {map_id}: latest_version {latest} but versions go up to {numbers[-1]}")
        present = set(numbers)
        for (m, number) in sorted(ledger.acked):
            if m == map_id and number not in present:
                problems.append(f"map {map_id}: acknowledged version {number} is missing")
        # Every stored text must be whole: one that somebody sent.
        for number in numbers:
            text = api.version(map_id, number)["yaml"]
            got = digest(text)
            want = ledger.acked.get((map_id, number))
            if want is not None and want != got:
                problems.append(f"map {map_id}: version {number} text differs from what was acknowledged")
            elif got not in ledger.sent.get(map_id, set()):
                problems.append(f"map {map_id}: version {number} holds a text nobody sent")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the trailmap binary")
    ap.add_argument("--database", required=True, help="sqlite://PATH or postgres://URL of an empty database")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--maps", type=int, default=2)
    ap.add_argument("--writers-per-map", type=int, default=3)
    ap.add_argument("--min-load", type=float, default=0.0, help="seconds of load after the first saves before the kill, at least")
    ap.add_argument("--max-load", type=float, default=2.0, help="seconds of load after the first saves before the kill, at most")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"kill9: {args.database.split('@')[-1]} seed {seed}", flush=True)

    server = Server(args.bin, args.database)
    ledger = Ledger()
    try:
        base = server.start()
        token = bootstrap_admin(base)
        api = Api(base, token)
        ws = default_workspace(api)
        maps = []
        for i in range(args.maps):
            text = small_map(f"kill-nine-{i}")
            created = api.create_map(ws, text, slug=f"kill-nine-{i}")
            maps.append(created["id"])
            ledger.sent.setdefault(created["id"], set()).add(digest(text))
            ledger.acked[(created["id"], 1)] = digest(text)
        api.close()

        for round_no in range(1, args.rounds + 1):
            stop = threading.Event()
            errors: list[str] = []
            threads = [
                threading.Thread(target=writer, args=(base, token, m, f"w{m}.{j}", ledger, stop, errors), daemon=True)
                for m in maps
                for j in range(args.writers_per_map)
            ]
            before, cut_before = ledger.saves, ledger.cut_off
            for t in threads:
                t.start()
            # Kill at a random moment once saves are flowing (on a busy machine the first
            # acknowledgements can take a while; a round without any would prove nothing).
            started = time.monotonic()
            while ledger.saves - before < 3 and time.monotonic() - started < 60 and not errors:
                time.sleep(0.01)
            time.sleep(rng.uniform(args.min_load, args.max_load))
            elapsed = time.monotonic() - started
            server.kill9()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            base = server.start()
            api = Api(base, token)
            problems = errors + verify(api, maps, ledger)
            api.close()
            print(
                f"  round {round_no}: killed after {elapsed:.2f} s of load, {ledger.saves - before} saves acknowledged "
                f"this round ({ledger.cut_off - cut_before} cut off mid-request), {ledger.saves} in all, {ledger.conflicts} conflicts so far: "
                + ("ok" if not problems else "FAILED"),
                flush=True,
            )
            if problems:
                for p in problems[:20]:
                    print(f"    {p}", flush=True)
                return 1
            if ledger.saves == before:
                print("    no save was acknowledged before the kill: the round proves nothing", flush=True)
                return 1
        print(f"kill9: ok, {ledger.saves} acknowledged saves over {args.rounds} kills, all present and intact")
        return 0
    except AssertionError as e:
        print(f"kill9: cannot run: {e}", file=sys.stderr)
        return 2
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
