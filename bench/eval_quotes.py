"""Quote attribution quality on PolNeAR, beside textacy's direct quotations on the same parses.

    python bench/eval_quotes.py [DIR] [--split dev]

DIR is laid out like PolNeAR (``<split>/text/NAME.txt``, ``<split>/attributions/NAME_ANNOTATOR.ann``
in brat standoff). Each article runs through annotate, the actor stage when it exists, and the
quotes stage, on the raw text (no boilerplate cleaning: the gold offsets are into that text).

Gold attributions are the ``Attribution`` events of the alphabetically first annotator's file,
each with its Content (and Content2) spans, Cue and Source. A prediction is one cue with all the
quotes it introduces (an interrupted quote is one attribution). A prediction matches a gold
content when at least half of the smaller one's words lie in the other, one to one. "Direct"
gold contents hold a double or opening single quote mark (or ``''``); direct predictions hold
a direct or partial quote. "Exact" needs the same words (a leading "that" aside). Speaker
accuracy: over matched attributions whose gold source is not a bare pronoun, the predicted
speaker's name shares a word with the source.

Prints a table and, last, one JSON line; exits 1 below the floors of the quotes issue.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from dateline.nlp import annotate, load_nlp
from dateline.quotes import extract_quotes
from dateline.record import Document, Quote, Record, Span, article_id

DEFAULT_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "quotes" / "polnear"
FLOORS = {"direct_f1": 0.75, "all_f1": 0.45, "speaker": 0.75}
# Double marks, an opening single mark, and the two apostrophes some papers print for a double mark.
DIRECT_MARKS = ('"', "“", "”", "„", "«", "»", "‘", "''")
WORD = re.compile(r"\w+")
PRONOUNS = frozenset(
    WORD.findall("i me my we us our you your he him his she her it its they them their this that who which")
)
# Words too common to say two speaker phrases name the same speaker.
NAME_STOPWORDS = frozenset(WORD.findall("the a an of and for to in on at by with s"))


@dataclass
class Attribution:
    """Gold or predicted: content segments, the source's text, whether the content is a quote."""

    content: list[Span]
    source: str | None
    direct: bool
    words: frozenset[int] = field(default_factory=frozenset)


@dataclass
class Article:
    name: str
    text: str
    gold: list[Attribution]


def words_in(text: str, segments: Iterable[Span]) -> frozenset[int]:
    """The words of the segments, each by its start offset; a leading complementiser "that" aside.

    PolNeAR's contents start with the "that" of "said that ..."; dateline's leave it out.
    """
    words = [match for start, end in sorted(segments) for match in WORD.finditer(text, start, end)]
    if words and words[0].group().lower() == "that" and len(words) > 1:
        words = words[1:]
    return frozenset(match.start() for match in words)


def read_brat(path: Path, text: str) -> list[Attribution]:
    """The attributions of a brat ``.ann`` file: T lines are spans, E lines link them."""
    spans: dict[str, list[Span]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # A text-bound annotation over several lines leaves continuation lines; they carry nothing.
        if re.match(r"T\d+\t", line):
            ident, body = line.split("\t")[:2]
            offsets = body.split(" ", 1)[1]
            spans[ident] = [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]
        elif re.match(r"E\d+\t", line):
            arguments = line.split("\t")[1].split()
            events.append(dict(argument.split(":", 1) for argument in arguments if ":" in argument))
    found: list[Attribution] = []
    for event in events:
        content = sorted(
            span for role in ("Content", "Content2") if role in event for span in spans[event[role]]
        )
        if not content:
            continue
        source = " ".join(text[a:b] for a, b in spans[event["Source"]]) if "Source" in event else None
        direct = any(mark in text[a:b] for a, b in content for mark in DIRECT_MARKS)
        found.append(Attribution(content, source, direct, words_in(text, content)))
    return found


def read_articles(directory: Path, split: str) -> list[Article]:
    annotations: dict[str, list[Path]] = defaultdict(list)
    for path in (directory / split / "attributions").glob("*.ann"):
        annotations[path.stem.rsplit("_", 1)[0]].append(path)
    articles = []
    for name in sorted(annotations):
        text_path = directory / split / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(name, text, read_brat(sorted(annotations[name])[0], text)))
    return articles


def stage_functions() -> list[Callable[[Document], None]]:
    """The stages between annotate and quotes that exist in this checkout."""
    resolve_entities = getattr(importlib.import_module("dateline.actors"), "resolve_entities", None)
    return [resolve_entities] if resolve_entities is not None else []


def analyse(text: str, stages: list[Callable[[Document], None]]) -> Document:
    record = Record(id=article_id(text), raw=text, text=text)
    document = annotate(record, load_nlp())
    for stage in stages:
        stage(document)
    extract_quotes(document)
    return document


def dateline_predictions(quotes: list[Quote], text: str) -> list[Attribution]:
    """One prediction per cue: the quotes it introduces, grouped."""
    grouped: dict[object, list[Quote]] = defaultdict(list)
    for quote in quotes:
        grouped[quote.cue.span if quote.cue else quote.id].append(quote)
    predictions = []
    for group in grouped.values():
        content = sorted(quote.span for quote in group)
        speaker = next((quote.speaker.name for quote in group if quote.speaker), None)
        direct = any(quote.kind in ("direct", "partial") for quote in group)
        predictions.append(Attribution(content, speaker, direct, words_in(text, content)))
    return predictions


def textacy_predictions(doc: Doc) -> list[Attribution]:
    """textacy's direct quotations as it gives them; an article where it raises gives none."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except Exception:
        return []
    grouped: dict[tuple[int, ...], list[Span]] = defaultdict(list)
    speakers: dict[tuple[int, ...], str] = {}
    for triple in triples:
        key = tuple(token.i for token in triple.cue)
        grouped[key].append((triple.content.start_char, triple.content.end_char))
        speakers[key] = " ".join(token.text for token in triple.speaker)
    return [
        Attribution(sorted(content), speakers[key], True, words_in(doc.text, content))
        for key, content in grouped.items()
    ]


def match(predictions: list[Attribution], gold: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one pairs (prediction, gold) where half of the smaller one's words are in the other."""
    candidates = []
    for p, predicted in enumerate(predictions):
        for g, expected in enumerate(gold):
            shared = len(predicted.words & expected.words)
            smaller = min(len(predicted.words), len(expected.words))
            if shared and shared >= smaller / 2:
                candidates.append((shared, p, g))
    pairs, used_p, used_g = [], set(), set()
    for _, p, g in sorted(candidates, reverse=True):
        if p not in used_p and g not in used_g:
            pairs.append((p, g))
            used_p.add(p)
            used_g.add(g)
    return pairs


def exact_matches(predictions: list[Attribution], gold: list[Attribution]) -> int:
    remaining = [expected.words for expected in gold]
    count = 0
    for predicted in predictions:
        if predicted.words and predicted.words in remaining:
            remaining.remove(predicted.words)
            count += 1
    return count


def name_words(phrase: str) -> set[str]:
    return {word.lower() for word in WORD.findall(phrase)} - NAME_STOPWORDS


def is_bare_pronoun(source: str) -> bool:
    words = [word.lower() for word in WORD.findall(source)]
    return len(words) == 1 and words[0] in PRONOUNS


@dataclass
class Tally:
    """Counts summed over articles for one system."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, predictions: list[Attribution], gold: list[Attribution]) -> None:
        direct_predictions = [p for p in predictions if p.direct]
        direct_gold = [g for g in gold if g.direct]
        self.counts["direct_predicted"] += len(direct_predictions)
        self.counts["direct_gold"] += len(direct_gold)
        self.counts["direct_matched"] += len(match(direct_predictions, direct_gold))
        pairs = match(predictions, gold)
        self.counts["all_predicted"] += len(predictions)
        self.counts["all_gold"] += len(gold)
        self.counts["all_matched"] += len(pairs)
        self.counts["exact_matched"] += exact_matches(predictions, gold)
        for p, g in pairs:
            source = gold[g].source
            if source is None or is_bare_pronoun(source):
                continue
            self.counts["speaker_judged"] += 1
            speaker = predictions[p].source or ""
            self.counts["speaker_right"] += bool(name_words(speaker) & name_words(source))

    def f1(self, prefix: str, matched: str | None = None) -> tuple[float, float, float]:
        hits = self.counts[matched or f"{prefix}_matched"]
        predicted, expected = self.counts[f"{prefix}_predicted"], self.counts[f"{prefix}_gold"]
        precision = hits / predicted if predicted else 0.0
        recall = hits / expected if expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def speaker(self) -> float:
        judged = self.counts["speaker_judged"]
        return self.counts["speaker_right"] / judged if judged else 0.0


def table(ours: Tally, textacy: Tally) -> str:
    rows = []
    for label, prefix, matched in (
        ("direct quotes", "direct", None),
        ("all attributions", "all", None),
        ("all, exact span", "all", "exact_matched"),
    ):
        for system, tally in (("dateline", ours), ("textacy", textacy)):
            precision, recall, f1 = tally.f1(prefix, matched)
            rows.append(f"{label:<18} {system:<9} {precision:>9.3f} {recall:>7.3f} {f1:>7.3f}")
    for system, tally in (("dateline", ours), ("textacy", textacy)):
        judged = tally.counts["speaker_judged"]
        rows.append(f"{'speaker accuracy':<18} {system:<9} {tally.speaker():>9.3f}   (of {judged} matched)")
    header = f"{'measure':<18} {'system':<9} {'precision':>9} {'recall':>7} {'f1':>7}"
    return "\n".join([header, "-" * len(header), *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--split", default="dev", help="sub-folder to evaluate (dev for figures, train to tune)"
    )
    arguments = parser.parse_args(argv)
    articles = read_articles(arguments.directory, arguments.split)
    if not articles:
        print(f"{arguments.directory / arguments.split}: no articles with attributions", file=sys.stderr)
        return 2
    stages = stage_functions()
    ours, textacy = Tally(), Tally()
    for article in articles:
        document = analyse(article.text, stages)
        ours.add(dateline_predictions(document.record.quotes, article.text), article.gold)
        textacy.add(textacy_predictions(document.doc), article.gold)
    stage_names = "annotate, " + ("actors, " if stages else "") + "quotes"
    print(f"{len(articles)} articles of {arguments.directory / arguments.split} ({stage_names})")
    print(f"gold: {ours.counts['all_gold']} attributions, {ours.counts['direct_gold']} with quote marks")
    print(table(ours, textacy))
    figures = {
        "direct_f1": round(ours.f1("direct")[2], 4),
        "all_f1": round(ours.f1("all")[2], 4),
        "exact_f1": round(ours.f1("all", "exact_matched")[2], 4),
        "speaker": round(ours.speaker(), 4),
        "textacy_direct_f1": round(textacy.f1("direct")[2], 4),
        "n": len(articles),
    }
    below = [key for key, floor in FLOORS.items() if figures[key] < floor]
    if figures["direct_f1"] <= figures["textacy_direct_f1"]:
        below.append("direct_f1 above textacy")
    if below:
        print("below the floor: " + ", ".join(below))
    print(json.dumps(figures))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
