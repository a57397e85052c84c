"""No false repairs: real news with ordinary commas and dashes passes the repair stage untouched.

Runs only the damage detection (no spaCy), over every PolNeAR text and every AEB gold body.
"""

from __future__ import annotations

import json
from collections import Counter

from dateline.clean.repair import damage_edits
from shared_data import shared_path


def _count_repairs(texts: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        for edit in damage_edits(text):
            counts[edit.repair or "?"] += 1
    return counts


def test_no_repairs_on_polnear_texts() -> None:
    folder = shared_path("eval", "quotes", "polnear")
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*/text/*.txt"))]
    counts = _count_repairs(texts)
    print(f"polnear: {len(texts)} texts, repairs {dict(counts)}")
    assert len(texts) > 900
    assert sum(counts.values()) == 0


def test_no_repairs_on_aeb_gold_bodies() -> None:
    truth = json.loads(shared_path("eval", "extraction", "aeb", "ground-truth.json").read_text("utf-8"))
    texts = [page["articleBody"] for page in truth.values()]
    counts = _count_repairs(texts)
    print(f"aeb: {len(texts)} texts, repairs {dict(counts)}")
    assert len(texts) > 150
    assert sum(counts.values()) == 0
