"""Whole articles against two blind coders: what an analyst who loads articles sees.

The gold format is that of ``articles-dev`` (``../shared/eval/events/articles-dev/``): a folder
with ``articles/ID.json`` (``id``, ``published``, ``text``, ``sentences``) and ``labels/A*.jsonl``,
``labels/B*.jsonl``, one coder's events a line (``article``, ``sent``, ``cameo``, ``source``,
``negated``...). Scoring follows that folder's README:

- a coded event counts when it is not negated and has a PLOVER type; its sentence is the gold
  sentence its trigger falls in;
- **precision**: it is right when either coder listed a non-negated event of its type in that
  sentence; **strict** precision also wants its source to share a word with that coder's source;
- **recall** over the (sentence, type) pairs both coders listed, and over their union;
- **false events** per 1,000 sentences in which neither coder listed any event.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.evaluation import f1_score, ratio
from dateline.events.ontology import DRAFT_NAMES, load_ontology
from dateline.record import Event, Record

CODERS = ("A", "B")
# Words a source phrase shares with any other without naming the same actor.
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "on",
        "to",
        "'s",
        "s",
        "u.s",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "president",
        "former",
    ]
)
_WORD = re.compile(r"[\w.]+")


@dataclass(frozen=True)
class GoldEvent:
    sentence: int
    type: str
    cameo: str
    source: str
    trigger: str
    background: bool


@dataclass
class GoldArticle:
    id: str
    published: str | None
    text: str
    sentences: list[str]
    # Each coder's non-negated events with a PLOVER type.
    events: dict[str, list[GoldEvent]] = field(default_factory=dict)

    @property
    def corpus(self) -> str:
        return self.id.split(":", 1)[0]

    def pairs(self, coder: str) -> set[tuple[int, str]]:
        return {(event.sentence, event.type) for event in self.events.get(coder, [])}

    def agreed(self) -> set[tuple[int, str]]:
        return self.pairs("A") & self.pairs("B")

    def union(self) -> set[tuple[int, str]]:
        return self.pairs("A") | self.pairs("B")

    def eventful_sentences(self) -> set[int]:
        return {event.sentence for events in self.events.values() for event in events}


def gold_type(cameo: str) -> str | None:
    """A gold CAMEO code's PLOVER type, the draft names mapped as the data's README says."""
    ontology = load_ontology()
    code = cameo.strip()
    while code and code not in ontology:
        code = code[:-1]
    if not code:
        return None
    kind = ontology.plover_type(code)
    return DRAFT_NAMES.get(kind, kind) if kind else None


def event_type(event: Event) -> str | None:
    """A coded event's PLOVER type, or None when it does not count (negated, roots 01 and 02)."""
    if event.negated or event.plover is None:
        return None
    return DRAFT_NAMES.get(event.plover.type, event.plover.type)


def read_gold(folder: Path) -> list[GoldArticle]:
    """The articles of a gold folder with both coders' counting events."""
    articles: dict[str, GoldArticle] = {}
    for path in sorted((folder / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles[data["id"]] = GoldArticle(
            id=data["id"], published=data.get("published"), text=data["text"], sentences=data["sentences"]
        )
    for coder in CODERS:
        for path in sorted((folder / "labels").glob(f"{coder}*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                row = json.loads(line)
                article = articles.get(row["article"])
                if article is None:
                    continue
                listed = article.events.setdefault(coder, [])
                if row.get("none") or row.get("negated"):
                    continue
                kind = gold_type(str(row.get("cameo", "")))
                if kind is None:
                    continue
                listed.append(
                    GoldEvent(
                        sentence=int(row["sent"]),
                        type=kind,
                        cameo=str(row["cameo"]),
                        source=row.get("source") or "",
                        trigger=row.get("trigger") or "",
                        background=bool(row.get("background")),
                    )
                )
    return list(articles.values())


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sentence_spans(text: str, sentences: list[str]) -> list[tuple[int, int] | None]:
    """Where each gold sentence lies in ``text`` (the cleaned article), searched in order.

    Cleaning may have changed whitespace or taken a line out; a sentence not found is None, and
    no coded event can fall in it."""
    squeezed_chars: list[int] = []  # squeezed index -> index in text
    pieces: list[str] = []
    previous_space = True
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            pieces.append(" ")
            previous_space = True
        else:
            pieces.append(char)
            previous_space = False
        squeezed_chars.append(index)
    squeezed = "".join(pieces)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for sentence in sentences:
        wanted = _squeeze(sentence)
        found = squeezed.find(wanted, cursor) if wanted else -1
        if found < 0:
            found = squeezed.find(wanted) if wanted else -1
        if found < 0:
            spans.append(None)
            continue
        end = found + len(wanted)
        spans.append((squeezed_chars[found], squeezed_chars[end - 1] + 1))
        cursor = end
    return spans


def _sentence_of(start: int, spans: list[tuple[int, int] | None]) -> int | None:
    for index, span in enumerate(spans):
        if span is not None and span[0] <= start < span[1]:
            return index
    return None


def _words(phrase: str) -> set[str]:
    return {word.strip(".").lower() for word in _WORD.findall(phrase)} - _FUNCTION_WORDS - {""}


def source_words(event: Event, record: Record) -> set[str]:
    words: set[str] = set()
    for argument in event.source:
        words |= _words(argument.name)
        start, end = argument.span
        words |= _words(record.text[start:end])
    return words


@dataclass
class CodedEvent:
    article: str
    sentence: int | None
    type: str
    cameo: str
    trigger: str
    source: str
    right: bool
    strict: bool


@dataclass
class ArticleOutcome:
    gold: GoldArticle
    coded: list[CodedEvent]


def score_article(gold: GoldArticle, record: Record) -> ArticleOutcome:
    # The gold sentences are searched in ``raw`` (the text as given, before cleaning took out a
    # dateline or a headline) and each trigger is mapped back into it.
    spans = sentence_spans(record.raw, gold.sentences)
    coded: list[CodedEvent] = []
    for event in record.events:
        kind = event_type(event)
        if kind is None:
            continue
        sentence = _sentence_of(record.raw_offset(event.trigger.span[0]), spans)
        listed = [
            gold_event
            for coder in CODERS
            for gold_event in gold.events.get(coder, [])
            if gold_event.sentence == sentence and gold_event.type == kind
        ]
        words = source_words(event, record)
        coded.append(
            CodedEvent(
                article=gold.id,
                sentence=sentence,
                type=kind,
                cameo=event.cameo,
                trigger=event.trigger.text,
                source="; ".join(argument.name for argument in event.source),
                right=bool(listed),
                strict=any(words & _words(gold_event.source) for gold_event in listed),
            )
        )
    return ArticleOutcome(gold=gold, coded=coded)


@dataclass
class Figures:
    coded: int
    right: int
    strict: int
    agreed: int
    agreed_found: int
    union: int
    union_found: int
    quiet_sentences: int
    false_events: int

    @property
    def precision(self) -> float:
        return ratio(self.right, self.coded)

    @property
    def strict_precision(self) -> float:
        return ratio(self.strict, self.coded)

    @property
    def recall(self) -> float:
        return ratio(self.agreed_found, self.agreed)

    @property
    def union_recall(self) -> float:
        return ratio(self.union_found, self.union)

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)

    @property
    def false_per_1000(self) -> float:
        return 1000 * ratio(self.false_events, self.quiet_sentences)

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "strict_precision": round(self.strict_precision, 4),
            "recall": round(self.recall, 4),
            "union_recall": round(self.union_recall, 4),
            "f1": round(self.f1, 4),
            "false_per_1000": round(self.false_per_1000, 1),
            "coded": self.coded,
            "agreed": self.agreed,
            "n": self.coded,
        }


def figures(outcomes: Iterable[ArticleOutcome]) -> Figures:
    totals = Counter[str]()
    for outcome in outcomes:
        gold = outcome.gold
        found = {(event.sentence, event.type) for event in outcome.coded}
        agreed, union = gold.agreed(), gold.union()
        quiet = set(range(len(gold.sentences))) - gold.eventful_sentences()
        totals["coded"] += len(outcome.coded)
        totals["right"] += sum(event.right for event in outcome.coded)
        totals["strict"] += sum(event.strict for event in outcome.coded)
        totals["agreed"] += len(agreed)
        totals["agreed_found"] += len(agreed & found)
        totals["union"] += len(union)
        totals["union_found"] += len(union & found)
        totals["quiet_sentences"] += len(quiet)
        totals["false_events"] += sum(event.sentence in quiet for event in outcome.coded)
    return Figures(**{name: totals[name] for name in Figures.__dataclass_fields__})


def per_type(outcomes: list[ArticleOutcome]) -> dict[str, dict[str, float]]:
    """Precision and agreed recall by PLOVER type."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        found = {(event.sentence, event.type) for event in outcome.coded}
        for event in outcome.coded:
            counts[event.type]["coded"] += 1
            counts[event.type]["right"] += event.right
        for sentence, kind in outcome.gold.agreed():
            counts[kind]["agreed"] += 1
            counts[kind]["found"] += (sentence, kind) in found
    table: dict[str, dict[str, float]] = {}
    for kind, count in sorted(counts.items()):
        precision = ratio(count["right"], count["coded"])
        recall = ratio(count["found"], count["agreed"])
        table[kind] = {
            "coded": count["coded"],
            "agreed": count["agreed"],
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1_score(precision, recall), 3),
        }
    return table


@dataclass
class Miss:
    article: str
    sentence: int
    type: str
    text: str


def misses(outcomes: Iterable[ArticleOutcome]) -> list[Miss]:
    """Agreed (sentence, type) pairs that no coded event found."""
    listed: list[Miss] = []
    for outcome in outcomes:
        found = {(event.sentence, event.type) for event in outcome.coded}
        for sentence, kind in sorted(outcome.gold.agreed() - found):
            listed.append(Miss(outcome.gold.id, sentence, kind, outcome.gold.sentences[sentence]))
    return listed


def evaluate_articles(
    folder: Path, analyse: Callable[[GoldArticle], Record], *, limit: int | None = None
) -> list[ArticleOutcome]:
    """Run ``analyse`` on every gold article of ``folder`` and score what it coded."""
    golds = read_gold(folder)[:limit] if limit else read_gold(folder)
    return [score_article(gold, analyse(gold)) for gold in golds]


REPO = Path(__file__).resolve().parents[3]
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
    columns = ("coded", "P", "strict", "agreed", "R", "Runion", "F1", "false‰")
    print(f"{'corpus':<14} " + " ".join(f"{name:>6}" for name in columns))
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
    from dateline.pipeline import Pipeline, process

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
