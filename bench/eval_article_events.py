"""Political events in whole articles, against two blind coders: the figure an analyst sees.

Every article of the gold folder (default ``../shared/eval/events/articles-dev/``) goes through the
whole pipeline as ``dateline process`` would take it (its text: headline, blank line, body; its
publication date where the gold gives one). Scoring is that of :mod:`dateline.evaluation.articles`:
precision against either coder (strict: the source too), recall of the events both coders listed
and of their union, false events per 1,000 sentences without any gold event; then the same per
corpus (the part of the article id before ``:``) and per PLOVER type, and the wrong and the missed
events with their sentences.

    python bench/eval_article_events.py [FOLDER] [--show N] [--limit N]

The last line is one JSON object. Exits 1 below the issue's floors (precision 0.70, agreed recall
0.60, at most 15 false events per 1,000 event-free sentences).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from dateline.evaluation.articles import (
    ArticleOutcome,
    GoldArticle,
    evaluate_articles,
    figures,
    misses,
    per_type,
)
from dateline.pipeline import Pipeline, process
from dateline.record import Record

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "eval" / "events" / "articles-dev"
FLOOR_PRECISION = 0.70
FLOOR_RECALL = 0.60
CEILING_FALSE = 15.0


def _line(name: str, outcomes: list[ArticleOutcome]) -> str:
    result = figures(outcomes)
    return (
        f"{name:<14} {result.coded:>6} {result.precision:>6.3f} {result.strict_precision:>7.3f} "
        f"{result.agreed:>6} {result.recall:>7.3f} {result.union_recall:>6.3f} {result.f1:>6.3f} "
        f"{result.false_per_1000:>7.1f}"
    )


def print_report(outcomes: list[ArticleOutcome], show: int) -> None:
    print(
        f"{'corpus':<14} {'coded':>6} {'P':>6} {'strict':>7} {'agreed':>6} {'R':>7} {'Runion':>6} {'F1':>6} {'false‰':>7}"
    )
    by_corpus: dict[str, list[ArticleOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_corpus[outcome.gold.corpus].append(outcome)
    for corpus, part in sorted(by_corpus.items()):
        print(_line(corpus, part))
    print(_line("all", outcomes))
    print()
    print(f"{'type':<12} {'coded':>6} {'agreed':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for kind, row in per_type(outcomes).items():
        print(
            f"{kind:<12} {row['coded']:>6} {row['agreed']:>6} {row['precision']:>6.3f} "
            f"{row['recall']:>6.3f} {row['f1']:>6.3f}"
        )
    if show:
        golds = {outcome.gold.id: outcome.gold for outcome in outcomes}
        wrong = [event for outcome in outcomes for event in outcome.coded if not event.right]
        print(f"\nwrong ({len(wrong)}; first {show}):")
        for event in wrong[:show]:
            sentence = golds[event.article].sentences[event.sentence] if event.sentence is not None else "?"
            print(
                f"  {event.type:<9} {event.cameo:<5} [{event.trigger}] src={event.source!r}  {sentence[:160]}"
            )
        missed = misses(outcomes)
        print(f"\nmissed ({len(missed)}; first {show}):")
        for miss in missed[:show]:
            print(f"  {miss.type:<9} {miss.article[:40]} #{miss.sentence}  {miss.text[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--show", type=int, default=40, help="wrong and missed events to list")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args(argv)
    if not (args.folder / "articles").is_dir():
        print(f"no gold articles in {args.folder}", file=sys.stderr)
        return 2
    pipeline = Pipeline()

    def analyse(gold: GoldArticle) -> Record:
        return process(gold.text, published=gold.published, pipeline=pipeline)

    started = time.perf_counter()
    outcomes = evaluate_articles(args.folder, analyse, limit=args.limit)
    seconds = time.perf_counter() - started
    print_report(outcomes, args.show)
    result = figures(outcomes)
    summary = result.as_dict() | {
        "articles": len(outcomes),
        "seconds": round(seconds, 1),
        "per_corpus": {
            corpus: figures([o for o in outcomes if o.gold.corpus == corpus]).as_dict()
            for corpus in sorted({o.gold.corpus for o in outcomes})
        },
        "per_type": per_type(outcomes),
    }
    print(json.dumps(summary))
    met = (
        result.precision >= FLOOR_PRECISION
        and result.recall >= FLOOR_RECALL
        and result.false_per_1000 <= CEILING_FALSE
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
