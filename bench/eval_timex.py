"""Date normalisation against TimeML gold (TimeBank): our resolver beside dateparser.

For every gold TIMEX3 but the creation time, both systems read the gold span and the document's
creation time; the figure is exact match of the normalised value with the gold ``value``,
overall and per TIMEX3 type. Our resolver also sees the parse (the tense of the governing
verb), dateparser gets the span text with the creation time as its relative base, preferring
the past (news). Beside that, our own detection is scored: extents found in the text against
the gold extents (overlap, one to one), and value accuracy over the matched ones.

Two notational differences are mapped before comparing: our decade "199X" is TimeML's "199",
and a clock time on the hour "T17:00" equals TimeML's "T17".

    python bench/eval_timex.py [DIR]      # DIR: a folder of .tml files

The last line is JSON: accuracy, n, dateparser_accuracy, per-type accuracies, and the extent
figures (precision, recall, f1, value_accuracy). Exits 1 below the floor (accuracy >= 0.70 and
above dateparser).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dateline.nlp import load_nlp
from dateline.timex import ParsedText, Resolution, find_times, resolve_in_context

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "eval" / "timex" / "timebank"
FLOOR = 0.70


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDocument:
    name: str
    text: str
    creation: date
    creation_time: datetime
    timexes: list[GoldTimex] = field(default_factory=list)


def _walk(node: ET.Element, parts: list[str], timexes: list[GoldTimex]) -> None:
    """Collect the plain text under ``node`` and the offsets of its TIMEX3 elements."""
    start = sum(len(part) for part in parts)
    if node.text:
        parts.append(node.text)
    for child in node:
        _walk(child, parts, timexes)
        if child.tail:
            parts.append(child.tail)
    if node.tag == "TIMEX3":
        end = sum(len(part) for part in parts)
        text = "".join(parts)[start:end]
        timexes.append(GoldTimex(start, end, text, node.get("type", ""), node.get("value", "")))


def read_timeml(path: Path) -> TimeMLDocument | None:
    root = ET.parse(path).getroot()
    creation_value = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            creation_value = timex.get("value", "")
            break
    body = root.find("TEXT")
    if creation_value is None or body is None or not re.match(r"\d{4}-\d{2}-\d{2}", creation_value):
        return None
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    _walk(body, parts, timexes)
    creation_time = datetime.fromisoformat(
        creation_value[:19] if "T" in creation_value else creation_value[:10]
    )
    return TimeMLDocument(
        path.name, "".join(parts), creation_time.date(), creation_time, sorted(timexes, key=lambda t: t.start)
    )


def timeml_value(value: str | None) -> str | None:
    """Our value in TimeML's notation where the two differ."""
    if value is None:
        return None
    value = re.sub(r"^(\d{3})X$", r"\1", value)
    return re.sub(r"(T\d{2}):00$", r"\1", value)


def same_value(ours: str | None, gold: str) -> bool:
    return ours is not None and timeml_value(ours) == timeml_value(gold)


def dateparser_value(parser: object, text: str, creation: datetime) -> str | None:
    """dateparser's reading of ``text`` written at its own granularity (day, week, month, year, time)."""
    from dateparser.date import DateDataParser

    assert isinstance(parser, DateDataParser)
    try:
        data = parser.get_date_data(text)
    except Exception:  # dateparser raises on some inputs; that is no reading
        return None
    found = data.date_obj
    if found is None:
        return None
    period = data.period
    if period == "year":
        return f"{found.year:04d}"
    if period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    if period == "week":
        iso_year, week, _ = found.isocalendar()
        return f"{iso_year}-W{week:02d}"
    if period == "time":
        return found.strftime("%Y-%m-%dT%H:%M")
    return found.date().isoformat()


def _overlap_matches(
    predicted: list[tuple[int, int, str | None]], gold: list[GoldTimex]
) -> list[tuple[tuple[int, int, str | None], GoldTimex]]:
    """One-to-one pairs of overlapping spans, the largest overlaps first."""
    pairs = []
    for p_index, (p_start, p_end, _) in enumerate(predicted):
        for g_index, timex in enumerate(gold):
            overlap = min(p_end, timex.end) - max(p_start, timex.start)
            if overlap > 0:
                pairs.append((overlap, p_index, g_index))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for _, p_index, g_index in sorted(pairs, reverse=True):
        if p_index in used_p or g_index in used_g:
            continue
        used_p.add(p_index)
        used_g.add(g_index)
        matches.append((predicted[p_index], gold[g_index]))
    return matches


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def evaluate(directory: Path, show_errors: int = 0) -> dict[str, object]:
    from dateparser.date import DateDataParser

    documents = [read for path in sorted(directory.glob("*.tml")) if (read := read_timeml(path))]
    if not documents:
        raise SystemExit(f"{directory}: no TimeML documents with a creation time")
    nlp = load_nlp()
    totals: Counter[str] = Counter()
    ours_right: Counter[str] = Counter()
    baseline_right: Counter[str] = Counter()
    found = matched = matched_right = gold_count = 0
    errors: list[str] = []
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
            parser = DateDataParser(
                languages=["en"],
                settings={"RELATIVE_BASE": document.creation_time, "PREFER_DATES_FROM": "past"},
            )
            parsed = ParsedText.of(doc)
            earlier: list[tuple[int, int, Resolution]] = []
            for timex in document.timexes:
                resolution = resolve_in_context(parsed, timex.start, timex.end, document.creation, earlier)
                if resolution is not None:
                    earlier.append((timex.start, timex.end, resolution))
                ours = resolution.value if resolution else None
                baseline = dateparser_value(parser, timex.text, document.creation_time)
                for key in ("ALL", timex.type):
                    totals[key] += 1
                    ours_right[key] += same_value(ours, timex.value)
                    baseline_right[key] += same_value(baseline, timex.value)
                if not same_value(ours, timex.value) and len(errors) < show_errors:
                    errors.append(
                        f"{document.name}\t{timex.type}\t{timex.text!r}\tgold={timex.value}\tours={ours}"
                    )
            predicted = [(start, end, r.value) for start, end, r in find_times(parsed, document.creation)]
            pairs = _overlap_matches(predicted, document.timexes)
            found += len(predicted)
            gold_count += len(document.timexes)
            matched += len(pairs)
            matched_right += sum(same_value(p[2], g.value) for p, g in pairs)
    precision = _ratio(matched, found)
    recall = _ratio(matched, gold_count)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {
        "accuracy": _ratio(ours_right["ALL"], totals["ALL"]),
        "n": totals["ALL"],
        "dateparser_accuracy": _ratio(baseline_right["ALL"], totals["ALL"]),
        "per_type": {
            key: {
                "n": totals[key],
                "accuracy": _ratio(ours_right[key], totals[key]),
                "dateparser": _ratio(baseline_right[key], totals[key]),
            }
            for key in sorted(totals)
            if key != "ALL"
        },
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "value_accuracy": _ratio(matched_right, matched),
        "documents": len(documents),
        "seconds": round(time.perf_counter() - started, 1),
        "_errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR, help="a folder of .tml files")
    parser.add_argument("--errors", type=int, default=0, help="print this many of our wrong values")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"{args.directory}: not a folder", file=sys.stderr)
        return 2
    result = evaluate(args.directory, args.errors)
    errors = result.pop("_errors")
    assert isinstance(errors, list)
    for line in errors:
        print(line)
    per_type = result["per_type"]
    assert isinstance(per_type, dict)
    print(f"TimeML values, gold spans ({result['documents']} documents, {result['seconds']} s)")
    print(f"{'type':<10}{'n':>6}{'dateline':>10}{'dateparser':>12}")
    for key, row in per_type.items():
        print(f"{key:<10}{row['n']:>6}{row['accuracy']:>10.3f}{row['dateparser']:>12.3f}")
    print(f"{'overall':<10}{result['n']:>6}{result['accuracy']:>10.3f}{result['dateparser_accuracy']:>12.3f}")
    print(
        f"detection (overlap): precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
        f"f1 {result['f1']:.3f}  value accuracy over matched {result['value_accuracy']:.3f}"
    )
    print(json.dumps(result))
    accuracy, baseline = result["accuracy"], result["dateparser_accuracy"]
    assert isinstance(accuracy, float) and isinstance(baseline, float)
    return 0 if accuracy >= FLOOR and accuracy > baseline else 1


if __name__ == "__main__":
    sys.exit(main())
