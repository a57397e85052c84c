"""Filtered exports of a synthetic database: rows/s and peak memory, against the rows written.

The database holds ``--events`` events (made with DuckDB SQL by serve_load.make_database). Each
export runs in a process of its own (the `dateline export` code path: queries.export_query and
DuckDB COPY) and its peak RSS is read from the kernel (wait4). Filters are chosen to match about
a tenth and all of the events, so a memory that grew with the rows would show as a ratio well
above 1; a baseline process that only opens the database and counts its events gives the memory
every export needs anyway.

    python bench/export_bench.py --events 1000000 --workdir /tmp/dateline-bench

The last line is JSON; the exit status is 1 when the peak RSS of the largest export is more than
1.5 times that of the smallest (memory not flat in the rows).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_load import make_database  # noqa: E402

# (name, filter keyword arguments of queries.EventFilter): about 9 %, 45 % and all the events.
FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("until 2020-06", {"until": "2020-06"}),
    ("actor RUS* (roll-up of its codes), either side", {"actor": "RUS"}),
    ("since 2022-07", {"since": "2022-07"}),
    ("all events", {}),
]

CHILD = """
import json, sys, time
from pathlib import Path
from dateline.store import open_store
from dateline.store import queries as q
from dateline.store.export import export_rows
db, fmt, out, raw = sys.argv[1:5]
options = json.loads(raw)
if "with" in options:
    options["with_actor"] = options.pop("with")
store = open_store(db, read_only=True)
started = time.perf_counter()
if fmt == "none":
    rows = store.query("SELECT count(*) AS n FROM events")[0]["n"]
else:
    rows = export_rows(store, q.EventFilter(**options), fmt, Path(out))
print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))
"""


def run_child(db: Path, fmt: str, out: Path, options: dict[str, Any]) -> dict[str, Any]:
    """One export in a fresh process: its rows, seconds and peak RSS (MB)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), fmt, str(out), json.dumps(options)],
        env=env,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"export {fmt} {options} failed with status {process.returncode}")
    result: dict[str, Any] = json.loads(output)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    result["file_mb"] = round(out.stat().st_size / 2**20, 1) if out.exists() else 0.0
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the synthetic database")
    parser.add_argument("--workdir", type=Path, default=None, help="keep (and reuse) the database here")
    parser.add_argument("--formats", default="csv,parquet", help="formats to measure, comma-separated")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dateline-export-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"synthetic-{args.events}.duckdb"
    if not db.exists():
        started = time.perf_counter()
        make_database(db, args.events)
        print(f"built {db} ({args.events} events) in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    baseline = run_child(db, "none", workdir / "none", {})
    print(f"baseline (open the database, count its events): peak RSS {baseline['peak_rss_mb']} MB")
    runs: list[dict[str, Any]] = []
    print(f"{'format':8} {'filter':44} {'rows':>9} {'s':>6} {'rows/s':>9} {'RSS MB':>7} {'file MB':>8}")
    for fmt in args.formats.split(","):
        for name, options in FILTERS:
            out = workdir / f"export.{fmt}"
            result = run_child(db, fmt, out, options)
            out.unlink(missing_ok=True)
            result.update(
                format=fmt,
                filter=name,
                rows_per_s=round(result["rows"] / result["seconds"]) if result["seconds"] else None,
            )
            runs.append(result)
            print(
                f"{fmt:8} {name:44} {result['rows']:>9} {result['seconds']:>6.1f} {result['rows_per_s']:>9} "
                f"{result['peak_rss_mb']:>7} {result['file_mb']:>8}"
            )
    ratios = {}
    for fmt in args.formats.split(","):
        mine = [run for run in runs if run["format"] == fmt]
        smallest = min(mine, key=lambda run: run["rows"])
        largest = max(mine, key=lambda run: run["rows"])
        ratios[fmt] = {
            "rows_small": smallest["rows"],
            "rows_large": largest["rows"],
            "rss_small_mb": smallest["peak_rss_mb"],
            "rss_large_mb": largest["peak_rss_mb"],
            "rss_ratio": round(largest["peak_rss_mb"] / smallest["peak_rss_mb"], 2),
            "rows_per_s_all": largest["rows_per_s"],
        }
    flat = all(item["rss_ratio"] <= 1.5 for item in ratios.values())
    print(
        json.dumps(
            {
                "events": args.events,
                "baseline_rss_mb": baseline["peak_rss_mb"],
                "by_format": ratios,
                "runs": runs,
                "memory_flat": flat,
            }
        )
    )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
