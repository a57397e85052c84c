"""Article-body extraction quality on the AEB pages: dateline ingest+clean beside trafilatura alone.

The metric is the benchmark's own: texts are split into ``\\w+`` tokens, compared as multisets of
4-token shingles; precision is averaged over the pages where something was predicted, recall
over the pages that have a gold body (an empty prediction scores 0 there), and F1 is the harmonic
mean of the two averages. Exits 1 when our F1 is more than 0.01 below trafilatura's.

    python bench/eval_extraction.py [DIR]      # DIR defaults to ../shared/eval/extraction/aeb
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from aeb import DEFAULT_DIR, Page, load_pages
from dateline.clean import clean
from dateline.ingest import IngestError, read_sources

SHINGLE = 4
FLOOR = 0.01
_TOKEN = re.compile(r"\w+")

Counts = tuple[float, float, float]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    # A text shorter than a shingle still counts as one (shorter) shingle, as in the benchmark.
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def match(gold: str, predicted: str) -> Counts:
    """True positive, false positive and false negative shingles of one page."""
    expected, found = shingles(gold), shingles(predicted)
    return (
        float(sum((expected & found).values())),
        float(sum((found - expected).values())),
        float(sum((expected - found).values())),
    )


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def scores(counts: list[Counts]) -> dict[str, float]:
    precisions = [page_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [page_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def ours(page: Page) -> str:
    for item in read_sources([page.path]):
        return "" if isinstance(item, IngestError) else clean(item).text
    return ""


def trafilatura_alone(page: Page) -> str:
    return trafilatura.extract(page.html()) or ""


def evaluate(pages: list[Page], extract: Callable[[Page], str]) -> tuple[dict[str, float], list[Counts], int]:
    counts: list[Counts] = []
    empty = 0
    for page in pages:
        predicted = extract(page)
        empty += not predicted.strip()
        counts.append(match(page.gold, predicted))
    return scores(counts), counts, empty


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help="benchmark directory")
    parser.add_argument(
        "--worst", type=int, default=0, help="list the N pages where we trail trafilatura most"
    )
    args = parser.parse_args()
    pages = load_pages(args.dir)
    our_scores, our_counts, our_empty = evaluate(pages, ours)
    their_scores, their_counts, their_empty = evaluate(pages, trafilatura_alone)

    print(f"Article-body extraction on {len(pages)} AEB pages (4-word shingles, averaged per page)")
    print(f"{'extractor':<26}{'precision':>10}{'recall':>10}{'F1':>10}{'empty':>8}")
    for label, figures, empty in (
        ("dateline ingest+clean", our_scores, our_empty),
        ("trafilatura.extract", their_scores, their_empty),
    ):
        print(
            f"{label:<26}{figures['precision']:>10.3f}{figures['recall']:>10.3f}{figures['f1']:>10.3f}{empty:>8}"
        )
    difference = our_scores["f1"] - their_scores["f1"]
    print(f"F1 difference {difference:+.3f} (floor: -{FLOOR})")
    if args.worst:
        f1s = [
            (
                _page_f1(mine) - _page_f1(theirs),
                page.id,
            )
            for page, mine, theirs in zip(pages, our_counts, their_counts, strict=True)
        ]
        for gap, page_id in sorted(f1s)[: args.worst]:
            print(f"  {gap:+.3f} {page_id}")
    print(
        json.dumps(
            {
                "precision": round(our_scores["precision"], 4),
                "recall": round(our_scores["recall"], 4),
                "f1": round(our_scores["f1"], 4),
                "trafilatura_f1": round(their_scores["f1"], 4),
                "n": len(pages),
            }
        )
    )
    return 1 if difference < -FLOOR else 0


def _page_f1(counts: Counts) -> float:
    precision, recall = page_precision(*counts), page_recall(*counts)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
