"""p50/p99 latency of the explorer's list, ranking and series endpoints under concurrent clients.

Builds (or reuses, with ``--workdir``) a synthetic database of ``--events`` events with
serve_load.make_database, starts `dateline serve` on it and sends ``--requests`` GET requests,
``--concurrency`` at a time, over the paths below in turn: filtered lists (pages and API),
rankings and time series with analysts' filters. A first pass warms the server (each answer is
computed once per data version and then remembered); the measured pass follows.

    python bench/explore_load.py --events 1000000 --concurrency 50 --workdir /tmp/dateline-bench

The last line is JSON; the exit status is 1 when a group's p99 is above ``--p99`` seconds or a
request fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_load import make_database, start_server

GROUPS: dict[str, list[str]] = {
    "list": [
        "/api/events",
        "/events?actor=RUS&with=USA&side=source&since=2021",
        "/api/events?actor=RUS*&with=CHN*&since=2021-01&until=2022-12",
        "/api/events?place=Switzerland&quad=4",
        "/api/articles?since=2024",
        "/api/quotes?actor=FRA",
        "/api/actors?code=IND",
    ],
    "ranking": [
        "/api/rankings",
        "/rankings?roll_up=country",
        "/api/rankings?actor=RUS&since=2022",
    ],
    "series": [
        "/api/series",
        "/series?interval=week&actor=RUS",
        "/api/series?interval=month&actor=USA*&with=CHN*",
        "/api/dyads/RUS/UKR?interval=week",
    ],
}


class Connection:
    """One keep-alive HTTP/1.1 connection, read by hand: httpx's async pool spent more CPU per
    request than the server does on this 2-core machine, so it measured the client."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        await self.writer.drain()
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), self.timeout)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
        }
        if "content-length" in headers:
            await asyncio.wait_for(self.reader.readexactly(int(headers["content-length"])), self.timeout)
        else:  # chunked
            while True:
                size = int((await self.reader.readline()).strip() or b"0", 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run(url: str, requests: int, concurrency: int, timeout: float) -> dict[str, Any]:
    paths = [(group, path) for group, items in GROUPS.items() for path in items]
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(paths[n % len(paths)])
    latencies: dict[str, list[float]] = {group: [] for group in GROUPS}
    statuses: Counter[str] = Counter()
    address = httpx.URL(url)
    host, port = address.host, address.port or 80

    async def client_loop() -> None:
        connection = Connection(host, port, timeout)
        while not queue.empty():
            group, path = queue.get_nowait()
            started = time.perf_counter()
            try:
                statuses[str(await connection.get(path))] += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                statuses[type(error).__name__] += 1
                connection.close()
            latencies[group].append(time.perf_counter() - started)
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 2),
        "requests_per_s": round(requests / elapsed, 1),
        "statuses": dict(statuses),
        "groups": {
            group: {"n": len(values), "p50": _quantile(values, 0.5), "p99": _quantile(values, 0.99)}
            for group, values in latencies.items()
        },
    }


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3) if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=700, help="requests in the measured pass")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--p99", type=float, default=2.0, help="the target p99, seconds")
    parser.add_argument("--workdir", type=Path, default=None, help="keep (and reuse) the database here")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dateline-explore-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"synthetic-{args.events}.duckdb"
    if not db.exists():
        make_database(db, args.events)
    server, url = start_server(db)
    try:
        paths = sum(len(items) for items in GROUPS.values())
        warm = asyncio.run(run(url, paths, min(args.concurrency, paths), args.timeout))
        print(f"first pass (every answer computed, {paths} at once): {warm['seconds']} s, {warm['statuses']}")
        for group, figures in warm["groups"].items():
            print(f"  {group:10} slowest first answer {figures['p99']} s")
        result = asyncio.run(run(url, args.requests, args.concurrency, args.timeout))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.requests} requests, {args.concurrency} at a time, {result['requests_per_s']} requests/s")
    print(f"{'group':10} {'n':>5} {'p50 s':>7} {'p99 s':>7}")
    for group, figures in result["groups"].items():
        print(f"{group:10} {figures['n']:>5} {figures['p50']:>7} {figures['p99']:>7}")
    failed = sum(n for status, n in result["statuses"].items() if status != "200")
    slow = [group for group, figures in result["groups"].items() if figures["p99"] > args.p99]
    first = {group: figures["p99"] for group, figures in warm["groups"].items()}
    print(json.dumps({"events": args.events, "concurrency": args.concurrency, **result, "failed": failed,
                      "over_target": slow, "first_answer_max_s": first}))  # fmt: skip
    return 1 if failed or slow else 0


if __name__ == "__main__":
    sys.exit(main())
