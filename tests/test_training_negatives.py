"""The team's hand-written hard negatives: a well-formed file a training run can trust."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

NEGATIVES = Path(__file__).resolve().parents[1] / "training" / "data" / "negatives_own.jsonl"
KINDS = {
    "sports",
    "business",
    "markets",
    "entertainment",
    "celebrity",
    "private-crime",
    "accident",
    "disaster",
    "health",
    "weather",
    "science",
    "recipe-lifestyle",
    "campaign-routine",
    "metaphor",
    "hypothetical",
    "question",
    "generic",
    "plan-no-promise",
    "opinion-statement",
    "poll",
    "background-description",
    "other",
}
FIELDS = {"id", "text", "type", "cameo", "kind", "trap"}


def _rows() -> list[dict[str, object]]:
    lines = NEGATIVES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_negative_has_the_fields_of_a_no_event_sentence() -> None:
    for row in _rows():
        assert set(row) == FIELDS, row
        assert row["type"] == "NONE" and row["cameo"] is None, row
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", row
        assert row["kind"] in KINDS, row


def test_ids_and_texts_are_unique() -> None:
    rows = _rows()
    ids = Counter(row["id"] for row in rows)
    texts = Counter(str(row["text"]).casefold() for row in rows)
    assert [key for key, n in ids.items() if n > 1] == []
    assert [key for key, n in texts.items() if n > 1] == []


def test_the_trap_word_is_written_in_its_sentence() -> None:
    for row in _rows():
        trap, text = row["trap"], row["text"]
        assert isinstance(trap, str) and trap.strip() != "" and trap in str(text), row


def test_the_file_is_large_enough_and_covers_every_kind() -> None:
    rows = _rows()
    assert len(rows) >= 900
    kinds = Counter(str(row["kind"]) for row in rows)
    # Each kind needs enough sentences that a model can learn it is no event.
    assert {kind for kind in KINDS if kinds[kind] < 20} == set()
