"""An experiment kept for the next attempt: a learned political-event detector, and how it generalises.

Measured on 2026-12-08 and not shipped (see docs/history.md): the pipeline does not run it. It
reads each typed event in its article (who acts and is acted on, how the act is reported, its
type, rule, trigger and the sentence's words) and gives the probability that a careful CAMEO coder
would list it.

    python -m dateline.training.detector [--articles DIR] [--own DIR] [--plv FILE] [--out FILE]

Every text goes through the pipeline, and each typed event it codes (not negated, with a PLOVER
type) becomes one example:

- PLV training sentences (``plv-train.jsonl``: one relation a sentence): an event of the gold type
  is a political event, any other type is not;
- the team's own sentences (``training/data/*.jsonl``, see ``training/DATASHEET.md``): positives
  as PLV's, and every event coded in a hard negative (``"type": "NONE"``) is none;
- whole labelled articles (the ``articles-dev`` format): an event is one when either coder
  listed its type in its sentence (what the article evaluation calls right);
- a user's own sentences (``--add``, the PLV format: ``text``, ``type``; ``NONE`` for a sentence
  with no political event).

The report first gives the whole-article figures with each article held out (5 folds grouped by
article: the detector never sees the article it is scored on), at several thresholds, beside the
figures with no detector and with no article in training at all (cross-corpus); then the share of
PLV's gold events a detector trained without PLV keeps. A detector fitted on all of it is written
to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from spacy.tokens import Span as SentenceSpan
from spacy.tokens import Token

from dateline.evaluation.articles import (
    ArticleOutcome,
    GoldArticle,
    event_type,
    figures,
    read_gold,
    score_article,
)
from dateline.events.ontology import DRAFT_NAMES, MERGED_TYPES
from dateline.events.reported import trigger_token, under_condition
from dateline.record import Argument, Document, Entity, Event, RawDoc

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
PLV = SHARED / "eval" / "events" / "plv-train.jsonl"
ARTICLES = SHARED / "eval" / "events" / "articles-dev"
OWN = REPO / "training" / "data"
OUT = Path("event_detector.joblib")
FOLDS = 5
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
# Inverse regularisation strength of the logistic regression.
STRENGTH = 1.0

# An event the detector finds less likely than this to be a reported political event is dropped.
KEEP_MIN = 0.5
# Sectors of actors that are political by themselves (CAMEO's government, opposition, military,
# judicial, police, party, legislative, rebel and armed groups, IGOs and NGOs...).
POLITICAL_SECTORS = frozenset(
    [
        "GOV",
        "MIL",
        "JUD",
        "COP",
        "PTY",
        "LEG",
        "OPP",
        "REB",
        "INS",
        "SEP",
        "IGO",
        "NGO",
        "NGM",
        "ELI",
        "SPY",
        "UAF",
        "MOD",
        "RAD",
        "PRO",
        "LAB",
        "HRI",
        "REF",
    ]
)
MODAL_WORDS = frozenset({"would", "could", "might", "may", "can", "should", "must"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
WORD_WEIGHT = 0.3


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def _sector(actor: str | None) -> str:
    if not actor:
        return "uncoded"
    if actor.startswith("IGO"):
        return "IGO"
    if actor.startswith("NGO"):
        return "NGO"
    rest = actor[3:6]
    return rest or "country"


def _side_features(side: str, arguments: list[Argument], entities: dict[str, Entity]) -> dict[str, float]:
    found: dict[str, float] = {}
    if not arguments:
        found[f"{side}:none"] = 1.0
        return found
    political = False
    for argument in arguments[:2]:
        sector = _sector(argument.actor)
        found[f"{side}:sector={sector}"] = 1.0
        entity = entities.get(argument.entity or "")
        kind = entity.type if entity else "noentity"
        found[f"{side}:type={kind}"] = 1.0
        if entity is not None and entity.role:
            found[f"{side}:role"] = 1.0
        if argument.actor and (sector in POLITICAL_SECTORS or sector == "country"):
            political = True
    found[f"{side}:political={political}"] = 1.0
    return found


def _modals(token: Token) -> set[str]:
    found = set()
    for head in (token, token.head):
        for child in head.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_WORDS | {"will", "'ll", "wo"}:
                found.add(child.lower_)
    return found


def _in_quote(document: Document, event: Event) -> bool:
    start = event.trigger.span[0]
    return any(
        quote.kind != "indirect" and quote.span[0] <= start < quote.span[1]
        for quote in document.record.quotes
    )


def event_features(
    document: Document, event: Event, sentence: SentenceSpan, entities: dict[str, Entity]
) -> dict[str, float]:
    """What the detector reads about one typed event."""
    found: dict[str, float] = {}
    kind = event.plover.type if event.plover else "none"
    found[f"type={kind}"] = 1.0
    found[f"root={event.root}"] = 1.0
    rule = event.rule.rsplit(">", 1)[-1]
    found[f"rule={rule}"] = 1.0
    found[f"modality={event.modality}"] = 1.0
    found["confidence"] = event.confidence
    found.update(_side_features("src", event.source, entities))
    found.update(_side_features("tgt", event.target, entities))
    position = event.sentence
    found[f"position={min(position, 6)}"] = 1.0
    text = sentence.text.strip()
    if text.endswith("?"):
        found["question"] = 1.0
    if _in_quote(document, event):
        found["in_quote"] = 1.0
    token = trigger_token(document, event)
    if token is not None:
        lem = _lemma(token)
        found[f"t={lem}"] = 1.0
        found[f"t+type={lem}|{kind}"] = 1.0
        found[f"tag={token.tag_}"] = 1.0
        found[f"dep={token.dep_}"] = 1.0
        if under_condition(token):
            found["hypothetical"] = 1.0
        for modal in _modals(token):
            found[f"modal={modal}"] = 1.0
    for word in sentence:
        if word.pos_ in _CONTENT_POS and not word.is_stop and word.is_alpha:
            found[f"w={_lemma(word)}"] = WORD_WEIGHT
    return found


def document_rows(document: Document, events: list[Event]) -> list[dict[str, float]]:
    """The detector's features of each event of ``document``."""
    sentences = list(document.doc.sents)
    entities = {entity.id: entity for entity in document.record.entities}
    return [event_features(document, event, sentences[event.sentence], entities) for event in events]


@dataclass(frozen=True)
class Detector:
    """A fitted pipeline (DictVectorizer + LogisticRegression) whose class 1 is "a political event"."""

    pipeline: Any
    keep_min: float = KEEP_MIN

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        if not rows:
            return []
        classes = list(self.pipeline.classes_)
        positive = classes.index(1)
        return [float(row[positive]) for row in self.pipeline.predict_proba(rows)]


def save_detector(detector: Detector, path: Path) -> None:
    import joblib

    joblib.dump({"pipeline": detector.pipeline, "keep_min": detector.keep_min}, path, compress=3)


@dataclass
class Example:
    features: dict[str, float]
    label: int
    corpus: str
    # The article an example comes from (whole-article corpora), for grouped folds.
    group: str = ""


def _merged(kind: str | None) -> str | None:
    if kind is None:
        return None
    kind = DRAFT_NAMES.get(kind, kind)
    return MERGED_TYPES.get(kind, kind)


def _typed(events: list[Event]) -> list[Event]:
    return [event for event in events if event_type(event) is not None]


def sentence_examples(rows: Iterable[dict[str, Any]], corpus: str) -> list[Example]:
    """Examples from single sentences with their gold type (``NONE``: no political event)."""
    from dateline.events.coder import extract_events
    from dateline.pipeline import document_before_events

    examples: list[Example] = []
    for row in rows:
        gold = _merged(str(row["type"]).strip().upper())
        document = document_before_events(str(row["text"]), row.get("published"))
        extract_events(document)
        events = _typed(document.record.events)
        for event, features in zip(events, document_rows(document, events), strict=True):
            label = int(gold != "NONE" and _merged(event_type(event)) == gold)
            examples.append(Example(features, label, corpus))
    return examples


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def analysed_article(gold: GoldArticle, pipeline: Any) -> Document:
    """A gold article through the pipeline, its parse kept."""
    from dateline.pipeline import clean_article

    record = clean_article(RawDoc(name=gold.id, text=gold.text), published=gold.published)
    document = Document(
        record=record,
        doc=pipeline.nlp(record.text),
        title_doc=pipeline.nlp(record.title) if record.title else None,
    )
    pipeline.analyse_document(document)
    return document


@dataclass
class ArticleExamples:
    gold: GoldArticle
    outcome: ArticleOutcome
    examples: list[Example]


def article_examples(folder: Path, pipeline: Any) -> list[ArticleExamples]:
    found = []
    for gold in read_gold(folder):
        document = analysed_article(gold, pipeline)
        outcome = score_article(gold, document.record)
        events = _typed(document.record.events)
        rows = document_rows(document, events)
        examples = [
            Example(features, int(coded.right), "articles", gold.id)
            for features, coded in zip(rows, outcome.coded, strict=True)
        ]
        found.append(ArticleExamples(gold, outcome, examples))
    return found


def fit(examples: list[Example], strength: float = STRENGTH) -> Detector:
    learner = make_pipeline(
        DictVectorizer(),
        LogisticRegression(C=strength, max_iter=3000, class_weight="balanced"),
    )
    learner.fit([example.features for example in examples], [example.label for example in examples])
    return Detector(pipeline=learner, keep_min=KEEP_MIN)


def _filtered(outcome: ArticleOutcome, probabilities: list[float], threshold: float) -> ArticleOutcome:
    kept = [coded for coded, p in zip(outcome.coded, probabilities, strict=True) if p >= threshold]
    return ArticleOutcome(gold=outcome.gold, coded=kept)


def held_out_probabilities(
    articles: list[ArticleExamples], others: list[Example], folds: int = FOLDS
) -> list[list[float]]:
    """Each article's event probabilities from a detector trained without that article."""
    probabilities: list[list[float]] = [[] for _ in articles]
    for fold in range(folds):
        held = [index for index in range(len(articles)) if index % folds == fold]
        training = list(others)
        for index, item in enumerate(articles):
            if index % folds != fold:
                training.extend(item.examples)
        detector = fit(training)
        for index in held:
            probabilities[index] = detector.probabilities([e.features for e in articles[index].examples])
    return probabilities


def article_table(
    articles: list[ArticleExamples], probabilities: list[list[float]]
) -> dict[float, dict[str, Any]]:
    table = {}
    for threshold in THRESHOLDS:
        outcomes = [
            _filtered(item.outcome, p, threshold) for item, p in zip(articles, probabilities, strict=True)
        ]
        table[threshold] = figures(outcomes).as_dict()
    return table


def _print_table(title: str, table: dict[float, dict[str, Any]]) -> None:
    print(title)
    print(
        f"  {'keep >=':>7} {'coded':>6} {'P':>6} {'strict':>7} {'R':>6} {'Runion':>7} {'F1':>6} {'false‰':>7}"
    )
    for threshold, row in table.items():
        print(
            f"  {threshold:>7.2f} {row['coded']:>6} {row['precision']:>6.3f} "
            f"{row['strict_precision']:>7.3f} {row['recall']:>6.3f} {row['union_recall']:>7.3f} "
            f"{row['f1']:>6.3f} {row['false_per_1000']:>7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--own", type=Path, default=OWN)
    parser.add_argument("--plv", type=Path, default=PLV)
    parser.add_argument(
        "--add", type=Path, action="append", default=[], help="your own sentences (PLV format)"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-report", action="store_true", help="fit and write only")
    args = parser.parse_args(argv)

    from dateline.pipeline import Pipeline

    pipeline = Pipeline()
    sentence_sets: dict[str, list[Example]] = {}
    if args.plv.is_file():
        sentence_sets["plv"] = sentence_examples(read_jsonl(args.plv), "plv")
    for path in sorted(args.own.glob("*.jsonl")) if args.own.is_dir() else []:
        sentence_sets[f"own:{path.stem}"] = sentence_examples(read_jsonl(path), f"own:{path.stem}")
    for path in args.add:
        sentence_sets[f"add:{path.stem}"] = sentence_examples(read_jsonl(path), f"add:{path.stem}")
    articles = article_examples(args.articles, pipeline) if (args.articles / "articles").is_dir() else []
    sentences = [example for examples in sentence_sets.values() for example in examples]
    for name, examples in sentence_sets.items():
        print(f"{name}: {len(examples)} typed events, {sum(e.label for e in examples)} political")
    print(f"articles: {sum(len(a.examples) for a in articles)} typed events in {len(articles)} articles")

    report: dict[str, Any] = {}
    if articles and not args.no_report:
        print()
        baseline = figures([item.outcome for item in articles]).as_dict()
        print(
            f"no detector: coded {baseline['coded']}, P {baseline['precision']:.3f}, "
            f"R {baseline['recall']:.3f}, false‰ {baseline['false_per_1000']:.1f}"
        )
        held = held_out_probabilities(articles, sentences)
        held_table = article_table(articles, held)
        _print_table("articles, each held out (5 folds by article):", held_table)
        cross = fit(sentences) if sentences else None
        if cross is not None:
            cross_table = article_table(
                articles, [cross.probabilities([e.features for e in a.examples]) for a in articles]
            )
            _print_table("articles, no article in training (cross-corpus):", cross_table)
            report["cross_corpus"] = cross_table[KEEP_MIN]
        report["no_detector"] = baseline
        report["held_out"] = held_table[KEEP_MIN]
    if "plv" in sentence_sets and not args.no_report:
        others = [e for name, examples in sentence_sets.items() if name != "plv" for e in examples]
        others += [e for item in articles for e in item.examples]
        if others:
            plv = sentence_sets["plv"]
            detector = fit(others)
            kept = detector.probabilities([e.features for e in plv if e.label])
            share = sum(p >= KEEP_MIN for p in kept) / len(kept) if kept else 0.0
            print(
                f"\nplv-train gold events kept by a detector trained without plv: {share:.3f} of {len(kept)}"
            )
            report["plv_gold_kept_cross_corpus"] = round(share, 4)
    everything = sentences + [e for item in articles for e in item.examples]
    if not everything:
        print("no training data found", file=sys.stderr)
        return 2
    save_detector(fit(everything), args.out)
    print(f"wrote {args.out} ({len(everything)} examples)")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
