"""The seed article: every entity its expectations list, with name, type, role and codes."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import pytest

from dateline.actors import resolve_entities
from dateline.clean import clean
from dateline.nlp import annotate
from dateline.record import Entity, RawDoc, Record

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip where it is absent (a failure under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, and CI must run the tests that read it")
        pytest.skip(f"{path} is not here (gold data lives beside the repository, in ../shared)")
    return path


_ROLE_FILLER = {"of", "the", "for", "a", "an", "and", "in"}


@pytest.fixture(scope="module")
def seed_record() -> Record:
    raw = shared_path("seed", "moscow-declaration.txt").read_text(encoding="utf-8")
    expected = _expected()
    record = clean(RawDoc(name="moscow-declaration.txt", text=raw), published=expected["published_given"])
    resolve_entities(annotate(record))
    return record


def _expected() -> dict[str, Any]:
    import json

    path = shared_path("seed", "moscow-declaration.expected.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_words(role: str) -> set[str]:
    """The information a role carries, whatever its wording: its content words."""
    plain = role.lower().replace("’", "'").replace("'s", " ")
    return {word for word in re.findall(r"[a-z][a-z\-]*", plain) if word not in _ROLE_FILLER}


def _find(record: Record, name: str) -> Entity:
    found = [entity for entity in record.entities if entity.name.lower() == name.lower()]
    assert found, f"no entity named {name!r} in {[e.name for e in record.entities]}"
    return max(found, key=lambda entity: len(entity.mentions))


@pytest.mark.parametrize("index", range(13))
def test_expected_entity(seed_record: Record, index: int) -> None:
    expected_entities = _expected()["entities"]
    if index >= len(expected_entities):
        pytest.skip("fewer expected entities")
    expected = expected_entities[index]
    entity = _find(seed_record, expected["name"])
    assert entity.type in _as_list(expected["type"]), (entity.name, entity.type)
    if "not" in expected:
        assert entity.type not in _as_list(expected["not"])
    if "role" in expected:
        assert entity.role, f"{entity.name} has no role"
        missing = _role_words(expected["role"]) - _role_words(entity.role)
        assert not missing, f"{entity.name}: role {entity.role!r} lacks {missing}"
    if "actor" in expected:
        assert entity.actor in _as_list(expected["actor"]), (entity.name, entity.actor)
    if "country" in expected:
        assert entity.country == expected["country"], (entity.name, entity.country)
    if "coordinates_near" in expected:
        assert entity.place is not None and entity.place.lat is not None and entity.place.lon is not None
        lat, lon = expected["coordinates_near"]
        assert math.dist((entity.place.lat, entity.place.lon), (lat, lon)) < 0.5
    assert len(entity.mentions) >= expected.get("mentions_at_least", 1), (entity.name, entity.mentions)


def test_no_headline_person_and_no_wrong_types(seed_record: Record) -> None:
    title_words = set((seed_record.title or "").split())
    for entity in seed_record.entities:
        if entity.type == "PERSON":
            # A person named with the headline's common words is the title-case headline misread.
            assert len(entity.name.split()) <= 3, entity.name
            assert not {"Sign", "Declaration", "Promising", "Cooperation"} & set(entity.name.split())
        if entity.name in ("Azerbaijan", "Karabagh", "Caucasus"):
            assert entity.type not in ("PERSON", "ORG"), (entity.name, entity.type)
    assert title_words  # the headline is there, and none of it became a person


def test_mentions_point_into_the_text(seed_record: Record) -> None:
    text = seed_record.text
    for entity in seed_record.entities:
        assert entity.mentions == sorted(entity.mentions)
        for start, end in entity.mentions:
            assert 0 <= start < end <= len(text)
            assert text[start:end].strip() == text[start:end]
    ivanov = _find(seed_record, "Sergey Ivanov")
    assert "Ivanov" in {text[start:end] for start, end in ivanov.mentions}
    yusufov = _find(seed_record, "Igor Yusufov")
    pronouns = [text[start:end] for start, end in yusufov.mentions if text[start:end].lower() == "he"]
    assert len(pronouns) == 2


def test_entity_ids_are_stable(seed_record: Record) -> None:
    ids = [entity.id for entity in seed_record.entities]
    assert len(set(ids)) == len(ids)
    again = clean(RawDoc(name="again", text=seed_record.raw), published=seed_record.published)
    resolve_entities(annotate(again))
    assert [entity.id for entity in again.entities] == ids
