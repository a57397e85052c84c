"""The seed article: every quote its expectations list, with kind, cue and speaker.

The article goes through the real stages before quotes (clean, annotate, actors), so speakers
named "he" or by surname only must come out as the full names of the actor stage's entities.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dateline.actors import resolve_entities
from dateline.clean import clean
from dateline.nlp import annotate
from dateline.quotes import extract_quotes
from dateline.record import Quote, RawDoc, Record
from shared_data import shared_path


def _expected() -> dict[str, Any]:
    return json.loads(shared_path("seed", "moscow-declaration.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_record() -> Record:
    raw = shared_path("seed", "moscow-declaration.txt").read_text(encoding="utf-8")
    record = clean(RawDoc(name="moscow-declaration.txt", text=raw), published=_expected()["published_given"])
    document = annotate(record)
    resolve_entities(document)
    extract_quotes(document)
    return record


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _quote_starting(record: Record, starts: str) -> Quote:
    found = [quote for quote in record.quotes if quote.text.startswith(starts)]
    assert len(found) == 1, (starts, [(quote.kind, quote.text[:50]) for quote in record.quotes])
    return found[0]


@pytest.mark.parametrize("index", range(9))
def test_expected_quote(seed_record: Record, index: int) -> None:
    expected = _expected()["quotes"][index]
    quote = _quote_starting(seed_record, expected["starts"])
    assert quote.kind in _as_list(expected["kind"]), (quote.text[:40], quote.kind)
    assert quote.cue is not None
    assert quote.cue.text.lower() == expected["cue"]
    assert seed_record.text[quote.cue.span[0] : quote.cue.span[1]] == quote.cue.text
    assert quote.speaker is not None
    assert quote.speaker.name == expected["speaker"]
    assert quote.speaker.entity in {entity.id for entity in seed_record.entities}


def test_every_expected_quote_is_checked() -> None:
    assert len(_expected()["quotes"]) == 9


def test_spans_point_at_the_quote_text(seed_record: Record) -> None:
    for quote in seed_record.quotes:
        assert seed_record.text[quote.span[0] : quote.span[1]] == quote.text
        assert quote.text.strip() == quote.text
        if quote.kind == "indirect":
            # A reported clause may hold a quote; then it holds both its marks.
            assert sum(quote.text.count(mark) for mark in '"“”') % 2 == 0, quote.text
        else:
            assert quote.text[0] not in "\"“”'‘’" and quote.text[-1] not in "\"“”'‘’,"


def test_direct_speakers_carry_role_and_actor_of_the_entity(seed_record: Record) -> None:
    ivanov = _quote_starting(seed_record, "We mapped out a number of measures")
    assert ivanov.speaker is not None
    assert ivanov.speaker.actor is not None and ivanov.speaker.actor.startswith("RUS")
    assert ivanov.speaker.role is not None and "Defense" in ivanov.speaker.role
