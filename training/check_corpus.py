"""Validate the team's own training sentences (training/data/*_own.jsonl) and print their counts.

Usage: python training/check_corpus.py FILE.jsonl [FILE.jsonl ...]

Every line is one JSON object. A positive sentence has all of id, text, cameo, type, trigger, source,
target, register and negated; its cameo is a code of src/dateline/data/cameo.tsv and its type the
PLOVER type that table gives the code, its register one of the news styles below. A negative one
(training/data/negatives_own.jsonl) has type "NONE" and cameo null, and needs only id and text besides.
Trigger, source, target and trap, where given, are substrings of the text (source and target may be
empty). Ids and texts are unique across all files checked together. Errors go one a line to stderr,
naming the file, the line and the reason; the counts go to stdout, the last line one JSON object.
The exit status is 1 when any line is wrong.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CAMEO_TABLE = REPO / "src" / "dateline" / "data" / "cameo.tsv"

REGISTERS = frozenset({"wire", "headline", "reported", "passive", "nominal", "quote", "two-clause"})
FIELDS = ("id", "text", "cameo", "type", "trigger", "source", "target", "register", "negated")
# A negative sentence needs only these; the spans it has (trigger, or trap: the event-like words that
# make it hard) are checked like a positive's.
NEGATIVE_FIELDS = ("id", "text", "cameo", "type")
STRING_FIELDS = ("id", "text", "type", "register", "kind")
SPAN_FIELDS = ("trigger", "source", "target", "trap")
NEGATIVE_TYPE = "NONE"
# The 3-digit codes the corpus must cover, and how many sentences each needs at least.
COVERED_CODES = ("030", "204")
MIN_PER_CODE = 4


def plover_types(table: Path = CAMEO_TABLE) -> dict[str, str]:
    """Each CAMEO code of the table and its PLOVER type ("" for 01x/02x, which have none)."""
    with table.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["plover_type"] for row in csv.DictReader(handle, delimiter="\t")}


def line_errors(record: Any, types: dict[str, str]) -> list[str]:
    """What is wrong with one parsed line, as short reasons (empty when it is right)."""
    if not isinstance(record, dict):
        return ["not a JSON object"]
    negative = record.get("type") == NEGATIVE_TYPE
    missing = [name for name in (NEGATIVE_FIELDS if negative else FIELDS) if name not in record]
    if missing:
        return [f"missing field(s) {', '.join(missing)}"]
    errors: list[str] = []
    for name in (*STRING_FIELDS, *SPAN_FIELDS):
        if name in record and not isinstance(record[name], str):
            errors.append(f"{name} is not a string")
    if "negated" in record and not isinstance(record["negated"], bool):
        errors.append("negated is not true or false")
    if errors:
        return errors
    text: str = record["text"]
    if not record["id"].strip() or not text.strip():
        errors.append("empty id or text")
    for name in SPAN_FIELDS:
        if record.get(name) and record[name] not in text:
            errors.append(f"{name} {record[name]!r} is not in the text")
    code = record["cameo"]
    if negative:
        if code is not None:
            errors.append(f"a negative (type NONE) has cameo {code!r}, not null")
        if "register" in record and not record["register"].strip():
            errors.append("empty register")
        return errors
    if record["register"] not in REGISTERS:
        errors.append(f"register {record['register']!r} is not one of {', '.join(sorted(REGISTERS))}")
    if not record["trigger"]:
        errors.append("a positive sentence has no trigger")
    if not isinstance(code, str) or code not in types:
        errors.append(f"cameo {code!r} is not a code of {CAMEO_TABLE.name}")
    elif not types[code]:
        errors.append(f"cameo {code} has no PLOVER type (01x/02x are not training events)")
    elif record["type"] != types[code]:
        errors.append(f"type {record['type']} does not match {types[code]}, the PLOVER type of cameo {code}")
    return errors


def check_files(paths: list[Path], types: dict[str, str]) -> tuple[list[str], list[dict[str, Any]]]:
    """Errors (as 'file:line: reason') and the valid records of all files; ids, texts unique across them."""
    errors: list[str] = []
    records: list[dict[str, Any]] = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{path}: cannot be read ({exc.__class__.__name__}: {exc})")
            continue
        for number, line in enumerate(lines, 1):
            where = f"{path}:{number}"
            if not line.strip():
                errors.append(f"{where}: empty line")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: not JSON ({exc.msg})")
                continue
            problems = line_errors(record, types)
            if problems:
                errors.extend(f"{where}: {problem}" for problem in problems)
                continue
            if record["id"] in seen_ids:
                errors.append(f"{where}: id {record['id']} already used at {seen_ids[record['id']]}")
                continue
            # Case and spacing differences do not make a sentence new.
            text_key = " ".join(record["text"].lower().split())
            if text_key in seen_texts:
                errors.append(f"{where}: same text as {seen_texts[text_key]}")
                continue
            seen_ids[record["id"]] = where
            seen_texts[text_key] = where
            records.append(record)
    return errors, records


def required_codes(types: dict[str, str]) -> list[str]:
    """The 3-digit codes with a PLOVER type that the positive corpus must cover."""
    low, high = COVERED_CODES
    return sorted(code for code, kind in types.items() if len(code) == 3 and low <= code <= high and kind)


def summary(records: list[dict[str, Any]], types: dict[str, str], error_count: int) -> dict[str, Any]:
    """The counts of the checked records, and the codes with fewer sentences than MIN_PER_CODE."""
    positives = [r for r in records if r["type"] != NEGATIVE_TYPE]
    per_code = Counter(r["cameo"] for r in positives)
    return {
        "valid": len(records),
        "errors": error_count,
        "positives": len(positives),
        "negatives": len(records) - len(positives),
        "per_type": dict(sorted(Counter(r["type"] for r in records).items())),
        "per_register": dict(sorted(Counter(r["register"] for r in records if "register" in r).items())),
        "per_kind": dict(sorted(Counter(r["kind"] for r in records if "kind" in r).items())),
        "per_code": dict(sorted(per_code.items())),
        "codes_below_minimum": [c for c in required_codes(types) if per_code[c] < MIN_PER_CODE]
        if positives
        else [],
    }


def main(argv: list[str]) -> int:
    if not argv or any(arg.startswith("-") for arg in argv):
        print("usage: python training/check_corpus.py FILE.jsonl [FILE.jsonl ...]", file=sys.stderr)
        return 2
    types = plover_types()
    errors, records = check_files([Path(arg) for arg in argv], types)
    for error in errors:
        print(error, file=sys.stderr)
    counts = summary(records, types, len(errors))
    print(f"{counts['valid']} valid lines ({counts['positives']} positive, {counts['negatives']} negative)")
    print("per type:", ", ".join(f"{k} {v}" for k, v in counts["per_type"].items()))
    print("per register:", ", ".join(f"{k} {v}" for k, v in counts["per_register"].items()))
    if counts["per_kind"]:
        print("per kind:", ", ".join(f"{k} {v}" for k, v in counts["per_kind"].items()))
    if counts["codes_below_minimum"]:
        print(f"codes with fewer than {MIN_PER_CODE} sentences:", " ".join(counts["codes_below_minimum"]))
    print(json.dumps(counts, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader (head, less) stopped reading: say nothing more, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
