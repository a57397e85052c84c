"""The seed article through the whole chain: the events its expectations list, and nothing forbidden."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dateline.actors import resolve_entities
from dateline.clean import clean
from dateline.events import explain, extract_events
from dateline.nlp import annotate
from dateline.quotes import extract_quotes
from dateline.record import Event, RawDoc, Record
from dateline.timex import resolve_times
from shared_data import shared_path


def _expected() -> dict[str, Any]:
    return json.loads(shared_path("seed", "moscow-declaration.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_record() -> Record:
    raw = shared_path("seed", "moscow-declaration.txt").read_text(encoding="utf-8")
    record = clean(RawDoc(name="moscow-declaration.txt", text=raw), published=_expected()["published_given"])
    document = annotate(record)
    resolve_times(document)
    resolve_entities(document)
    extract_quotes(document)
    try:
        from dateline.quantities import extract_quantities
    except ImportError:  # the quantities stage is not needed by events
        pass
    else:
        extract_quantities(document)
    extract_events(document)
    return record


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _fits(event: Event, expected: dict[str, Any]) -> bool:
    if event.negated or event.cameo not in _as_list(expected["cameo"]):
        return False
    sources = {argument.actor for argument in event.source}
    targets = {argument.actor for argument in event.target}
    wanted_sources, wanted_targets = set(_as_list(expected["source"])), set(_as_list(expected["target"]))
    forward = bool(sources & wanted_sources) and bool(targets & wanted_targets)
    backward = bool(sources & wanted_targets) and bool(targets & wanted_sources)
    if not (forward or (expected.get("symmetric") and backward)):
        return False
    if "date" in expected and event.date != expected["date"]:
        return False
    return not ("place" in expected and (event.place is None or event.place.name != expected["place"]))


def test_at_least_six_of_the_nine_seed_events(seed_record: Record) -> None:
    expected_events = _expected()["events"]
    found = [item["what"] for item in expected_events if any(_fits(e, item) for e in seed_record.events)]
    missing = [item["what"] for item in expected_events if item["what"] not in found]
    coded = [
        f"{e.cameo} {[a.actor for a in e.source]}->{[a.actor for a in e.target]} {e.rule}"
        for e in seed_record.events
    ]
    assert len(found) >= 6, f"missing {missing}; coded {coded}"


def test_the_dateline_place_is_never_a_source(seed_record: Record) -> None:
    dateline = seed_record.dateline
    assert dateline is not None and dateline.place
    for event in seed_record.events:
        for argument in event.source:
            assert argument.name.lower() != dateline.place.lower(), event
            assert argument.actor, event


def test_every_seed_event_explains_itself(seed_record: Record) -> None:
    assert seed_record.events
    for event in seed_record.events:
        text = explain(seed_record, event)
        assert "[TRIGGER:" in text and event.cameo in text
        assert event.rule.split(">")[-1] in text
        sentence = text.splitlines()[1]
        for argument in event.source:
            if seed_record.text[argument.span[0] : argument.span[1]] in sentence.replace("<SRC:", ""):
                assert "<SRC:" in text
