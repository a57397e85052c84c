"""Load on `dateline serve`: bounded bursts of concurrent clients, with and without an ingest.

For each database (a small one, and a synthetic one of ``--events`` events made with DuckDB SQL),
the benchmark starts `dateline serve` on loopback and sends ``--requests`` GET requests,
``--concurrency`` at a time, spread over the list endpoints and pages; then the same again while
`dateline ingest` of ``--articles`` generated articles writes into the served database. It prints
requests/s, p50/p99 latency and the count of answers by status (time-outs and connection errors
count as errors), checks the ingest stored every article and that the server lists them, and
times SIGTERM. The last line is JSON; the exit status is 1 when a target of issue #13 is missed.

    python bench/serve_load.py --requests 500 --concurrency 50 --events 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import httpx

REPO = Path(__file__).resolve().parents[1]
PATHS = [
    "/api/events",
    "/api/articles",
    "/api/actors",
    "/api/stats",
    "/",
    "/api/quotes",
    "/events",
    "/actors",
]
LIST_PATHS = {"/api/events", "/api/articles", "/api/actors", "/api/quotes", "/events", "/actors"}
COUNTRIES = ["USA", "RUS", "CHN", "FRA", "DEU", "GBR", "UKR", "IRN", "ISR", "TUR", "IND", "PAK", "BRA",
             "NGA", "EGY", "SAU", "JPN", "KOR", "PRK", "SYR", "IRQ", "AFG", "MEX", "CAN", "POL",
             "ITA", "ESP", "ZAF", "KEN", "ETH"]  # fmt: skip
ROLES = ["", "GOV", "MIL", "BUS", "OPP"]
CAMEO = ["010", "020", "036", "040", "042", "043", "051", "057", "061", "071", "111", "112",
         "120", "130", "138", "141", "163", "172", "173", "190", "193", "195"]  # fmt: skip
QUAD = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 2, "06": 2, "07": 2, "08": 2, "09": 3, "10": 3,
        "11": 3, "12": 3, "13": 3, "14": 3, "15": 4, "16": 4, "17": 4, "18": 4, "19": 4, "20": 4}  # fmt: skip


def make_database(path: Path, events: int) -> None:
    """A database of ``events`` events over events/10 articles, with entities, quotes, quantities."""
    sys.path.insert(0, str(REPO / "src"))
    from dateline.store import open_store

    open_store(path).close()
    articles = max(events // 10, 1)
    codes = [country + role for country in COUNTRIES for role in ROLES]
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TEMP TABLE codes AS "
        "SELECT unnest(?::VARCHAR[]) AS code, generate_subscripts(?::VARCHAR[], 1) - 1 AS n",
        [codes, codes],
    )
    con.execute(
        "CREATE TEMP TABLE cameo AS "
        "SELECT unnest(?::VARCHAR[]) AS code, generate_subscripts(?::VARCHAR[], 1) - 1 AS n",
        [CAMEO, CAMEO],
    )
    quad_case = " ".join(f"WHEN '{root}' THEN {quad}" for root, quad in QUAD.items())
    k, c = len(codes), len(CAMEO)
    con.execute(
        f"""
        INSERT INTO articles (id, source, url, publisher, title, published, language, text, raw,
            pipeline_version)
        SELECT 'art' || i, 'synthetic', 'https://synthetic.example/' || i, 'Publisher ' || (i % 40),
            'Synthetic article ' || i, strftime(DATE '2020-01-01' + CAST(i % 2000 AS INTEGER), '%Y-%m-%d'),
            'en', 'Synthetic text of article ' || i || '. Ministers met and talked.', 'raw ' || i, 'synthetic'
        FROM range({articles}) t(i)"""
    )
    con.execute(
        f"""
        INSERT INTO events (id, article_id, sentence, trigger, source, target, source_actor, target_actor,
            cameo, root, quad_class, goldstein, date, date_kind, place, negated, confidence, rule)
        SELECT 'ev' || i, 'art' || (i % {articles}), CAST(i // {articles} AS INTEGER),
            {{'text': 'met', 'span': [10, 13]}},
            [{{'entity': 'en' || (i % {articles}), 'name': 'Leader ' || s.code, 'actor': s.code,
                'span': [0, 5]}}],
            [{{'entity': 'en2' || (i % {articles}), 'name': 'Leader ' || t.code, 'actor': t.code,
                'span': [20, 25]}}],
            s.code, t.code, m.code, substr(m.code, 1, 2),
            CASE substr(m.code, 1, 2) {quad_case} END, ((i % 21) - 10) / 1.0,
            strftime(DATE '2020-01-01' + CAST((i % {articles}) % 2000 AS INTEGER), '%Y-%m-%d'), 'published',
            CASE WHEN i % 3 = 0 THEN {{'name': 'Geneva', 'lat': 46.2, 'lon': 6.14, 'country': 'CH',
                'geonames_id': 2660646}} END,
            i % 50 = 0, 0.8, 'synthetic'
        FROM range({events}) r(i)
        JOIN codes s ON s.n = i % {k} JOIN codes t ON t.n = (i * 7 + 3) % {k}
        JOIN cameo m ON m.n = (i * 13) % {c}"""
    )
    con.execute(
        f"""
        INSERT INTO entities (id, article_id, name, type, role, actor, country, mentions)
        SELECT 'en' || i, 'art' || i, 'Leader ' || s.code, 'PERSON', 'leader', s.code,
            substr(s.code, 1, 3), [[0, 5]]
        FROM range({articles}) r(i) JOIN codes s ON s.n = i % {k}"""
    )
    con.execute(
        f"""
        INSERT INTO quotes (id, article_id, span, text, kind, cue, speaker)
        SELECT 'qu' || i, 'art' || i, [30, 60], 'We will keep talking, number ' || i, 'direct',
            {{'text': 'said', 'span': [61, 65]}},
            {{'entity': 'en' || i, 'name': 'Leader ' || s.code, 'role': 'leader', 'actor': s.code,
                'span': [66, 72]}}
        FROM range({articles}) r(i) JOIN codes s ON s.n = i % {k}"""
    )
    con.execute(
        f"""
        INSERT INTO quantities (id, article_id, span, text, value, unit, measure, "when", qualifier)
        SELECT 'qa' || i, 'art' || i, [80, 90], (i % 900) || ' tonnes', i % 900, 't', 'mass', NULL, NULL
        FROM range({articles}) r(i)"""
    )
    con.execute("CHECKPOINT")
    con.close()


def write_articles(folder: Path, count: int) -> list[Path]:
    """Short wire stories, each different, for the concurrent ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    people = [("Emmanuel Macron", "France"), ("Olaf Scholz", "Germany"), ("Narendra Modi", "India"),
              ("Recep Tayyip Erdogan", "Turkey"), ("Luiz Inacio Lula da Silva", "Brazil")]  # fmt: skip
    files = []
    for n in range(count):
        speaker, country = people[n % len(people)]
        other = people[(n + 2) % len(people)][1]
        text = (
            f"Load test story {n}\n\nGENEVA, March {n % 27 + 1} (Reuters) - {speaker} met officials from "
            f"{other} in Geneva on Tuesday to discuss trade number {n}, and the two governments agreed to "
            f'hold further talks next month.\n\n"We want cooperation, not conflict," {speaker} told '
            f"reporters, adding that {country} would send {n + 10} tonnes of grain.\n"
        )
        path = folder / f"story-{n:03d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _dateline(*args: str) -> list[str]:
    return [sys.executable, "-c", "from dateline.cli import main; main()", *args]


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        _dateline("serve", "--db", str(db), "--port", str(port)),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/articles?limit=1", timeout=30).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


async def burst(url: str, requests: int, concurrency: int, timeout: float, limit: float) -> dict[str, Any]:
    """``requests`` GETs over PATHS in turn, ``concurrency`` at a time, within ``limit`` seconds."""
    latencies: dict[str, list[float]] = {path: [] for path in PATHS}
    statuses: Counter[str] = Counter()
    retry_after_missing = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(PATHS[n % len(PATHS)])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal retry_after_missing
        while not queue.empty():
            path = queue.get_nowait()
            started = time.perf_counter()
            try:
                response = await client.get(path, timeout=timeout)
                statuses[str(response.status_code)] += 1
                if response.status_code == 503 and not response.headers.get("retry-after"):
                    retry_after_missing += 1
            except httpx.TimeoutException:
                statuses["timeout"] += 1
            except httpx.HTTPError as error:
                statuses[f"error:{type(error).__name__}"] += 1
            latencies[path].append(time.perf_counter() - started)

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, limits=limits) as client:
        tasks = [asyncio.create_task(client_loop(client)) for _ in range(concurrency)]
        _, pending = await asyncio.wait(tasks, timeout=limit)
        for task in pending:
            task.cancel()
        if pending:  # the time limit ran out: what was left counts as failed
            statuses["unfinished"] += queue.qsize() + len(pending)
    elapsed = time.perf_counter() - started
    everything = sorted(value for values in latencies.values() for value in values)
    listed = sorted(value for path in LIST_PATHS for value in latencies[path])
    return {
        "requests": sum(len(values) for values in latencies.values()),
        "seconds": round(elapsed, 2),
        "rps": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "p50": round(_quantile(everything, 0.5), 3),
        "p99": round(_quantile(everything, 0.99), 3),
        "p99_lists": round(_quantile(listed, 0.99), 3),
        "statuses": {key: value for key, value in statuses.items() if value},
        "retry_after_missing": retry_after_missing,
        "by_path_p99": {path: round(_quantile(sorted(v), 0.99), 3) for path, v in latencies.items()},
    }


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[min(int(q * 100), 99) - 1]


def run_database(name: str, db: Path, args: argparse.Namespace, stories: list[Path]) -> dict[str, Any]:
    process, url = start_server(db)
    result: dict[str, Any] = {"db": name}
    try:
        before = httpx.get(f"{url}/api/articles?limit=1", timeout=60).json()["total"]
        result["idle"] = asyncio.run(burst(url, args.requests, args.concurrency, args.timeout, args.limit))
        ingest = subprocess.Popen(
            _dateline("ingest", *map(str, stories), "--db", str(db)),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Bursts until the ingest is done (at least one), so the load overlaps its writes.
        bursts = []
        while True:
            bursts.append(asyncio.run(burst(url, args.requests, args.concurrency, args.timeout, args.limit)))
            if ingest.poll() is not None or len(bursts) >= args.max_ingest_bursts:
                break
        _, ingest_err = ingest.communicate(timeout=600)
        after = httpx.get(f"{url}/api/articles?limit=1", timeout=60).json()["total"]
        listed = httpx.get(f"{url}/api/articles", params={"q": "Load test story", "limit": 100}, timeout=60)
        found = listed.json()["total"] if listed.status_code == 200 else -1
        result["ingest"] = {
            "exit": ingest.returncode,
            "stored": after - before,
            "listed": found,
            "articles": len(stories),
            "traceback": "Traceback" in (ingest_err or ""),
            "bursts": bursts,
        }
    finally:
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        result["sigterm_seconds"] = round(time.monotonic() - started, 2)
    return result


def _merged(bursts: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    for item in bursts:
        statuses.update(item["statuses"])
    return {
        "requests": sum(item["requests"] for item in bursts),
        "rps": round(statistics.mean(item["rps"] for item in bursts), 1),
        "p50": max(item["p50"] for item in bursts),
        "p99": max(item["p99"] for item in bursts),
        "statuses": dict(statuses),
        "retry_after_missing": sum(item["retry_after_missing"] for item in bursts),
    }


def check(result: dict[str, Any], idle_p99: float, lists_only: bool) -> list[str]:
    missed = []
    idle = result["idle"]
    name = result["db"]
    if set(idle["statuses"]) != {"200"}:
        missed.append(f"{name}: not all 200 without ingest: {idle['statuses']}")
    p99 = idle["p99_lists"] if lists_only else idle["p99"]
    if p99 > idle_p99:
        missed.append(f"{name}: p99 {p99} s > {idle_p99} s without ingest")
    ingest = result["ingest"]
    merged = _merged(ingest["bursts"])
    if ingest["exit"] != 0 or ingest["stored"] != ingest["articles"] or ingest["traceback"]:
        missed.append(f"{name}: ingest exit {ingest['exit']}, stored {ingest['stored']}/{ingest['articles']}")
    if ingest["listed"] < ingest["articles"]:
        missed.append(f"{name}: server lists {ingest['listed']} of the new articles")
    if set(merged["statuses"]) - {"200", "503"} or merged["retry_after_missing"]:
        missed.append(f"{name}: during ingest {merged['statuses']}")
    if merged["p99"] > 3.0:
        missed.append(f"{name}: p99 {merged['p99']} s > 3 s during ingest")
    if result["sigterm_seconds"] > 10:
        missed.append(f"{name}: SIGTERM took {result['sigterm_seconds']} s")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=500, help="requests per burst")
    parser.add_argument("--concurrency", type=int, default=50, help="clients at once")
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="events in the large database (0: skip)"
    )
    parser.add_argument("--small-events", type=int, default=200, help="events in the small database")
    parser.add_argument("--articles", type=int, default=20, help="articles ingested during the load")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a request may take")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds a burst may take")
    parser.add_argument("--max-ingest-bursts", type=int, default=6, help="bursts at most while ingesting")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        work = args.workdir or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        results, missed = [], []
        sizes = [("small", args.small_events, 1.0, False)]
        if args.events:
            sizes.append((f"{args.events}-events", args.events, 2.0, True))
        for name, events, idle_p99, lists_only in sizes:
            db = work / f"{name}.duckdb"
            for stale in (db, db.with_name(db.name + ".wal")):
                stale.unlink(missing_ok=True)
            started = time.perf_counter()
            make_database(db, events)
            print(f"{name}: built {events} events in {time.perf_counter() - started:.1f} s", flush=True)
            stories = write_articles(work / f"stories-{name}", args.articles)
            result = run_database(name, db, args, stories)
            results.append(result)
            missed.extend(check(result, idle_p99, lists_only))
            idle, during = result["idle"], _merged(result["ingest"]["bursts"])
            print(f"\n{name} ({events} events), {args.concurrency} clients")
            print(f"{'phase':<14}{'requests':>9}{'req/s':>8}{'p50 s':>8}{'p99 s':>8}  statuses")
            for phase, row in (("idle", idle), ("with ingest", during)):
                figures = f"{row['requests']:>9}{row['rps']:>8}{row['p50']:>8}{row['p99']:>8}"
                print(f"{phase:<14}{figures}  {row['statuses']}")
            ingest = result["ingest"]
            print(
                f"ingest: exit {ingest['exit']}, stored {ingest['stored']}/{ingest['articles']}, "
                f"listed {ingest['listed']}; SIGTERM {result['sigterm_seconds']} s"
            )
            print("p99 by path (idle):", idle["by_path_p99"], flush=True)
        for line in missed:
            print("MISSED", line)
        summary = {
            "concurrency": args.concurrency,
            "requests": args.requests,
            "databases": [
                {
                    "db": r["db"],
                    "idle": {k: r["idle"][k] for k in ("rps", "p50", "p99", "p99_lists", "statuses")},
                    "with_ingest": _merged(r["ingest"]["bursts"]),
                    "ingest": {k: v for k, v in r["ingest"].items() if k != "bursts"},
                    "sigterm_seconds": r["sigterm_seconds"],
                }
                for r in results
            ],
            "targets_met": not missed,
        }
        print(json.dumps(summary))
        return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
