"""Train the event-type model from the PLV training split: ``make model``.

    python -m dateline.events.training [--data DIR] [--out FILE] [--limit N]

Each training sentence goes through the pipeline up to the events; its candidate event is the
rule event whose source covers the gold source phrase (else the rule event coded with most
confidence, else the main verb's frame), and its label is the gold PLOVER type. The report
prints 5-fold cross-validated figures on plv-train (type P/R/F1, strict type + source recall),
then the figures on the PLOVER dev set, which is never trained on, and the gap between them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline

SEED = 13
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "events"
OUT = Path(__file__).resolve().parents[1] / "data" / "event_model.joblib"
DRAFT_NAMES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "CONCEDE": "YIELD",
    "RETREAT": "YIELD",
}


@dataclass
class Example:
    text: str
    label: str
    features: dict[str, float] | None
    rule_type: str | None
    fallback: bool
    source_ok: bool


def _document(text: str) -> Any:
    from dateline.actors import resolve_entities
    from dateline.nlp import annotate
    from dateline.quotes import extract_quotes
    from dateline.record import Record, article_id
    from dateline.timex import resolve_times

    record = Record(id=article_id(text), raw=text, text=text)
    document = annotate(record)
    resolve_times(document)
    resolve_entities(document)
    extract_quotes(document)
    return document


def _covers(spans: list[tuple[int, int]], phrase_span: tuple[int, int] | None) -> bool:
    if phrase_span is None:
        return False
    return any(start < phrase_span[1] and phrase_span[0] < end for start, end in spans)


def example(text: str, label: str, source: str) -> Example:
    """The one candidate a training sentence gives the model, and whether its source is right."""
    from dateline.events.coder import code_candidates, training_type

    document = _document(text)
    at = text.find(source) if source else -1
    source_span = (at, at + len(source)) if at >= 0 else None
    coded = [item for item in code_candidates(document) if not item.event.negated]
    if not coded:
        return Example(text, label, None, None, False, False)

    def source_ok(item: Any) -> bool:
        return _covers([argument.span for argument in item.event.source], source_span)

    rules = [item for item in coded if not item.fallback]
    chosen = next((item for item in rules if source_ok(item)), None)
    if chosen is None and rules:
        chosen = max(rules, key=lambda item: item.event.confidence)
    if chosen is None:
        chosen = coded[0]
    rule_type = None if chosen.fallback else training_type(chosen.event)
    return Example(text, label, chosen.features, rule_type, chosen.fallback, source_ok(chosen))


def build_pipeline() -> Pipeline:
    return make_pipeline(
        DictVectorizer(),
        LogisticRegression(C=4.0, max_iter=3000, random_state=SEED),
    )


def decide(example: Example, kind: str, probability: float) -> str | None:
    """The type the coder would give: the model's above its floor, else the rule's own."""
    from dateline.events.model import FALLBACK_MIN, KEEP_RULE_BELOW

    if example.features is None:
        return None
    if example.fallback:
        return kind if probability >= FALLBACK_MIN else None
    floor = KEEP_RULE_BELOW if example.rule_type is not None else FALLBACK_MIN
    return kind if probability >= floor else example.rule_type


def figures(examples: list[Example], predicted: list[str | None]) -> dict[str, float]:
    correct = sum(p == e.label for e, p in zip(examples, predicted, strict=True))
    made = sum(p is not None for p in predicted)
    strict = sum(p == e.label and e.source_ok for e, p in zip(examples, predicted, strict=True))
    precision = correct / made if made else 0.0
    recall = correct / len(examples) if examples else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "strict_recall": round(strict / len(examples), 4) if examples else 0.0,
        "n": len(examples),
    }


def cross_validate(examples: list[Example], folds: int = 5) -> dict[str, float]:
    usable = [e for e in examples if e.features is not None]
    rows = [e.features or {} for e in usable]
    labels = [e.label for e in usable]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    probabilities = cross_val_predict(build_pipeline(), rows, labels, cv=splitter, method="predict_proba")
    classes = sorted(set(labels))
    by_text: dict[int, str | None] = {}
    for item, row in zip(usable, probabilities, strict=True):
        best = int(row.argmax())
        by_text[id(item)] = decide(item, classes[best], float(row[best]))
    return figures(examples, [by_text.get(id(e)) for e in examples])


def train(examples: list[Example]) -> Pipeline:
    usable = [e for e in examples if e.features is not None]
    pipeline = build_pipeline()
    pipeline.fit([e.features or {} for e in usable], [e.label for e in usable])
    return pipeline


def read_plv(path: Path, limit: int | None = None) -> list[Example]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    return [example(str(row["text"]), str(row["type"]), str(row.get("source") or "")) for row in rows]


def dev_figures(path: Path) -> dict[str, float]:
    """PLOVER dev with the shipped pipeline: a sentence counts when the gold type comes out."""
    from dateline.events.coder import extract_events, training_type

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = 0
    for row in rows:
        gold = str(row["event"]).strip().upper()
        gold = DRAFT_NAMES.get(gold, gold)
        document = _document(str(row["text"]).strip())
        extract_events(document)
        found = {training_type(e) for e in document.record.events if not e.negated and e.plover}
        tp += gold in found
        fp += len(found - {gold})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(rows) if rows else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "n": len(rows)}


def main(argv: list[str] | None = None) -> int:
    import joblib

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N sentences only")
    parser.add_argument("--no-dev", action="store_true", help="skip the PLOVER dev figures")
    args = parser.parse_args(argv)
    train_file = args.data / "plv-train.jsonl"
    if not train_file.exists():
        print(f"{train_file}: no such file", file=sys.stderr)
        return 2
    from dateline.nlp import load_nlp

    load_nlp()
    examples = read_plv(train_file, args.limit)
    folds = min(5, min(sum(e.label == k for e in examples) for k in {e.label for e in examples}))
    cv = cross_validate(examples, max(2, folds)) if folds >= 2 else {}
    print(f"{max(2, folds)}-fold CV on plv-train: {json.dumps(cv)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(train(examples), args.out, compress=3)
    print(f"model written to {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    result: dict[str, Any] = {"cv": cv}
    dev_file = args.data / "plover-gsr-dev.jsonl"
    if not args.no_dev and dev_file.exists() and args.out.resolve() == OUT.resolve():
        from dateline.events.model import load_model

        load_model.cache_clear()
        dev = dev_figures(dev_file)
        print(f"PLOVER dev (never trained on): {json.dumps(dev)}")
        result["dev"] = dev
        result["gap_f1"] = round(dev["f1"] - cv.get("f1", 0.0), 4)
        print(f"gap (dev F1 - CV F1): {result['gap_f1']:+.3f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
