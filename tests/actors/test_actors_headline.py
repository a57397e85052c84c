"""The headline's entities: found, clustered with the body's, their mentions offsets into the title."""

from __future__ import annotations

import pytest

from dateline.clean.language import detect_language
from dateline.pipeline import Pipeline, process
from dateline.record import Record, record_from_dict


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _by_name(record: Record) -> dict[str, object]:
    return {entity.name: entity for entity in record.entities}


def test_a_one_word_input_is_analysed(pipeline: Pipeline) -> None:
    record = process("Kazakhstan", "2024-03-01", pipeline=pipeline)
    assert [(e.name, e.type, e.actor) for e in record.entities] == [("Kazakhstan", "GPE", "KAZ")]


def test_a_bare_headline_gives_its_people_and_places(pipeline: Pipeline) -> None:
    record = process("Ministers Meet Putin in Moscow Over Grain Deal", "2023-07-10", pipeline=pipeline)
    by_name = _by_name(record)
    assert "Moscow" in by_name
    # The knowledge base may name the person in full: the surname is what the headline gives.
    putin = [entity for name, entity in by_name.items() if name.endswith("Putin")]
    assert len(putin) == 1 and str(getattr(putin[0], "actor", "")).startswith("RUS")
    assert all(entity.mentions for entity in record.entities)


def test_short_lines_of_names_are_english_and_other_languages_still_known() -> None:
    assert detect_language("Tokayev Meets Putin in Moscow") == "en"
    assert detect_language("Kazakhstan") == "en"
    assert detect_language("Der Präsident traf sich am Montag mit dem Kanzler") == "de"
    assert detect_language("Le président rencontre les ministres à Paris") == "fr"


TEXT = (
    "Putin and Lula Sign Grain Pact in Brasilia\n\n"
    "BRASILIA (Wire) — Russian President Vladimir Putin met Brazilian President Luiz Inacio "
    "Lula da Silva on Tuesday and signed an agreement on grain shipments, officials said. "
    "Putin said the deal would last ten years."
)


def test_title_mentions_join_the_body_entity_with_offsets_into_the_title(pipeline: Pipeline) -> None:
    record = process(TEXT, "2024-05-14", pipeline=pipeline)
    assert record.title == "Putin and Lula Sign Grain Pact in Brasilia"
    putin = [entity for entity in record.entities if "Putin" in entity.name]
    assert len(putin) == 1
    assert putin[0].name == "Vladimir Putin" and putin[0].actor == "RUSGOV"
    assert [record.title[start:end] for start, end in putin[0].title_mentions] == ["Putin"]
    assert all(record.text[start:end] == "Putin" for start, end in putin[0].mentions[1:])
    # Every title mention is a span of the title; no span of the title belongs to two entities.
    title_spans = [span for entity in record.entities for span in entity.title_mentions]
    assert len(title_spans) == len(set(title_spans))
    assert all(0 <= start < end <= len(record.title) for start, end in title_spans)


def test_an_entity_only_the_title_names_is_kept_and_round_trips(pipeline: Pipeline) -> None:
    text = (
        "Putin Visits Kremlin Hospital\n\n"
        "MOSCOW (Wire) — The president toured a hospital on Friday and spoke with doctors, "
        "the Kremlin said."
    )
    record = process(text, "2019-11-08", pipeline=pipeline)
    only_title = [entity for entity in record.entities if not entity.mentions]
    assert [entity.name for entity in only_title] == ["Vladimir Putin"]
    assert only_title[0].actor == "RUSGOV"
    assert [record.title[a:b] for a, b in only_title[0].title_mentions] == ["Putin"]  # type: ignore[index]
    assert len({entity.id for entity in record.entities}) == len(record.entities)
    assert record_from_dict(record.to_dict()) == record
