"""Language identification on single English sentences, as a feed of one-sentence items.

Every sentence of the gold file (one JSON object a line with a ``text`` field, all English) is
written as one JSONL item, read back through ingest and cleaned, and the language clean decides
is counted: an English sentence marked as another language is an item no analysis stage sees.
The same sentences are also given to py3langid unrestricted (the decision before issue 12) as
the baseline.

    python bench/eval_language.py [FILE]    # default: ../shared/eval/events/plv-train.jsonl

The last line is JSON: n, not_english (target 0), by reason, and the baseline's not_english.
Exits 1 when any sentence is marked as another language.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import py3langid

from dateline.clean import clean
from dateline.ingest import IngestError, read_sources

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "eval" / "events" / "plv-train.jsonl"


def _sentences(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as lines:
        return [text for line in lines if line.strip() and (text := json.loads(line).get("text"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE, help="JSONL with a text field")
    parser.add_argument("--show", type=int, default=10, help="print this many sentences marked foreign")
    args = parser.parse_args(argv)
    sentences = _sentences(args.file)
    reasons: Counter[str] = Counter()
    foreign: list[tuple[str, str]] = []
    unread = 0
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "items.jsonl"
        feed.write_text("".join(json.dumps({"text": text}) + "\n" for text in sentences), encoding="utf-8")
        for item in read_sources([feed]):
            if isinstance(item, IngestError):
                unread += 1
                continue
            record = clean(item)
            reasons[record.language_reason or "none"] += 1
            if record.language not in (None, "en"):
                foreign.append((record.language, item.text))
    baseline = sum(1 for text in sentences if py3langid.classify(text)[0] != "en")
    print(f"{len(sentences)} sentences from {args.file}")
    print(f"{'':<24}{'not English':>12}")
    print(f"{'dateline':<24}{len(foreign):>12}")
    print(f"{'py3langid, all languages':<24}{baseline:>12}")
    print("decided by: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()))
    for language, text in foreign[: args.show]:
        print(f"  {language}: {text}")
    figures = {
        "n": len(sentences),
        "not_english": len(foreign),
        "unread": unread,
        "reasons": dict(reasons),
        "baseline_not_english": baseline,
    }
    print(json.dumps(figures))
    return 1 if foreign or unread else 0


if __name__ == "__main__":
    sys.exit(main())
