"""Throughput of dateline ingest+clean on the AEB pages beside trafilatura.extract alone, same run.

Both sides read and gunzip the same ``html/*.html.gz`` files; ours then runs the whole ingest
(format detection, decoding, trafilatura with metadata and htmldate) and clean. Ingest alone is
timed too, to show where the time goes. The contenders take turns over several rounds and each
keeps its best round, so that load from other processes on a shared machine hurts all alike.
The ratio is our pages/s over trafilatura's.

    python bench/ingest_speed.py [DIR] [--rounds N]   # DIR defaults to ../shared/eval/extraction/aeb
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from aeb import DEFAULT_DIR, Page, load_pages
from dateline.clean import clean
from dateline.ingest import IngestError, read_sources


def ingest_only(page: Page) -> None:
    for _ in read_sources([page.path]):
        pass


def ingest_and_clean(page: Page) -> None:
    for item in read_sources([page.path]):
        if not isinstance(item, IngestError):
            clean(item)


def trafilatura_alone(page: Page) -> None:
    trafilatura.extract(page.html())


def pages_per_second(pages: list[Page], work: Callable[[Page], None]) -> float:
    started = time.perf_counter()
    for page in pages:
        work(page)
    return len(pages) / (time.perf_counter() - started)


def best_rates(
    pages: list[Page], contenders: dict[str, Callable[[Page], None]], rounds: int
) -> dict[str, float]:
    for work in contenders.values():
        work(pages[0])  # warm-up: imports, caches and lazily built tables are not throughput
    best = dict.fromkeys(contenders, 0.0)
    for _ in range(rounds):
        for label, work in contenders.items():
            best[label] = max(best[label], pages_per_second(pages, work))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help="benchmark directory")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per contender; the best one counts")
    args = parser.parse_args()
    pages = load_pages(args.dir)
    rates = best_rates(
        pages,
        {
            "trafilatura.extract": trafilatura_alone,
            "dateline ingest": ingest_only,
            "dateline ingest+clean": ingest_and_clean,
        },
        max(1, args.rounds),
    )
    ours, theirs = rates["dateline ingest+clean"], rates["trafilatura.extract"]
    ratio = ours / theirs
    print(f"Throughput on {len(pages)} AEB pages (one process, best of {max(1, args.rounds)} rounds)")
    print(f"{'pipeline':<26}{'pages/s':>10}{'ms/page':>10}")
    for label, rate in rates.items():
        print(f"{label:<26}{rate:>10.1f}{1000 / rate:>10.1f}")
    print(f"ratio (ours / trafilatura): {ratio:.2f}")
    print(
        json.dumps(
            {
                "pages": len(pages),
                "pages_per_s": round(ours, 2),
                "trafilatura_pages_per_s": round(theirs, 2),
                "ratio": round(ratio, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
