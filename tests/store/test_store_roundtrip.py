"""The store keeps every part of a record and gives it back unchanged."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dateline.record import (
    Argument,
    Cue,
    Dateline,
    Entity,
    Event,
    Place,
    Plover,
    Quantity,
    Quote,
    Record,
    Removed,
    Repair,
    Speaker,
    Trigger,
    article_id,
    child_id,
)
from dateline.store import open_store

TEXT = "Ministers of Ruritania and Freedonia met in Zenda on Monday, officials said."


def _record(text: str = TEXT, *, publisher: str = "Wire") -> Record:
    rid = article_id(text)
    ruritania = Entity(
        id=child_id(rid, "entity", (13, 22)),
        name="Ruritania",
        type="GPE",
        actor="RURGOV",
        country="RUR",
        mentions=[(13, 22)],
    )
    freedonia = Entity(
        id=child_id(rid, "entity", (27, 36)), name="Freedonia", type="GPE", mentions=[(27, 36)]
    )
    zenda = Place(name="Zenda", lat=48.1, lon=17.2, country="RUR", geonames_id=1234)
    meeting = Event(
        id=child_id(rid, "event", (37, 40), "040"),
        sentence=0,
        trigger=Trigger("met", (37, 40)),
        source=[Argument(ruritania.id, "Ruritania", "RURGOV", (13, 22))],
        target=[Argument(freedonia.id, "Freedonia", "FRE", (27, 36))],
        cameo="040",
        root="04",
        quad_class=1,
        goldstein=1.0,
        plover=Plover("CONSULT", "in-person"),
        date="2024-03-04",
        date_text="on Monday",
        date_kind="text",
        place=zenda,
        rule="verb:meet",
    )
    return Record(
        id=rid,
        raw=text,
        text=text,
        offset_map=[(0, 0)],
        source="wire.txt",
        publisher=publisher,
        title="Ministers meet",
        published="2024-03-05",
        language="en",
        dateline=Dateline("Zenda", "Wire", None),
        repairs=[Repair("dash_for_comma", 58, 60, "–", ", ")],
        removed=[Removed(80, 95, "Share this story", "share block")],
        pipeline_version="test",
        entities=[ruritania, freedonia],
        events=[meeting],
        quotes=[
            Quote(
                id=child_id(rid, "quote", (0, 59), "indirect"),
                span=(0, 59),
                text=text[:59],
                kind="indirect",
                cue=Cue("said", (70, 74)),
                speaker=Speaker(None, "officials", None, None, (60, 69)),
            )
        ],
        quantities=[Quantity(child_id(rid, "quantity", (0, 9), "t"), (0, 9), "Ministers", 2.0, "people")],
    )


def test_a_record_reads_back_unchanged(tmp_path: Path) -> None:
    record = _record()
    with open_store(tmp_path / "a.duckdb") as store:
        store.write([record])
        assert store.get(record.id) == record
        assert store.get(record.id[:8]) == record


def test_writing_again_replaces_rather_than_adds(tmp_path: Path) -> None:
    record = _record()
    with open_store(tmp_path / "a.duckdb") as store:
        store.write([record])
        record.events = []
        store.write([record])
        counts = store.counts()
    assert counts["articles"] == 1
    assert counts["entities"] == 2
    assert counts["mentions"] == 2
    assert counts["events"] == 0


def test_a_failed_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    good = _record()
    bad = _record("Another article entirely, about Freedonia.")
    bad.events[0].quad_class = "not a number"  # type: ignore[assignment]
    with open_store(tmp_path / "a.duckdb") as store:
        with pytest.raises(duckdb.Error):
            store.write([good, bad])
        assert store.counts()["articles"] == 0
        assert store.counts()["entities"] == 0


def test_event_groups_count_syndicated_copies_as_articles_and_sources(tmp_path: Path) -> None:
    original = _record()
    copy = Record(
        id=article_id(original.raw, "other.txt"),
        raw=original.raw,
        text=original.text,
        source="other.txt",
        publisher="Other Wire",
        duplicate_of=original.id,
    )
    with open_store(tmp_path / "a.duckdb") as store:
        store.write([original, copy])
        (group,) = store.query("SELECT * FROM event_groups")
    assert (group["source_actor"], group["target_actor"], group["cameo"]) == ("RURGOV", "FRE", "040")
    assert group["num_mentions"] == 2
    assert group["num_articles"] == 2
    assert group["num_sources"] == 2


def test_negated_events_are_not_counted_in_groups(tmp_path: Path) -> None:
    record = _record()
    record.events[0].negated = True
    with open_store(tmp_path / "a.duckdb") as store:
        store.write([record])
        assert store.query("SELECT * FROM event_groups") == []


def test_stale_ids_follow_the_pipeline_version(tmp_path: Path) -> None:
    record = _record()
    with open_store(tmp_path / "a.duckdb") as store:
        store.write([record])
        assert store.stale_ids("test") == []
        assert store.stale_ids("newer") == [record.id]
        assert store.stale_ids("test", everything=True) == [record.id]
