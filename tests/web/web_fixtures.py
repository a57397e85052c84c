"""Stores for the query, API and page tests.

``handmade_db``: records written by hand (every table filled, known answers), so the query layer
is tested whatever the pipeline stages find. ``pipeline_db``: the real pipeline over ``samples/``
and the seed article, as a user would build it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dateline.record import (
    Argument,
    Cue,
    Dateline,
    Entity,
    Event,
    Place,
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

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "moscow-declaration.txt"
SEED_PUBLISHED = "2004-02-07"

MOSCOW = Place("Moscow", 55.7558, 37.6173, "RU", 524901)
TBILISI = Place("Tbilisi", 41.6941, 44.8337, "GE", 611717)


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


class RecordBuilder:
    """Children of one article, with spans found in its text and ids made the pipeline's way."""

    def __init__(self, text: str, published: str, publisher: str, title: str):
        self.record = Record(
            id=article_id(text), raw=text, text=text, published=published, publisher=publisher, title=title
        )
        self.record.url = f"https://news.example/{self.record.id}"

    def entity(self, name: str, kind: str, actor: str | None, *surfaces: str, **extra: object) -> Entity:
        mentions = [span_of(self.record.text, surface) for surface in surfaces or (name,)]
        entity = Entity(
            id=child_id(self.record.id, "entity", mentions[0], name),
            name=name,
            type=kind,
            actor=actor,
            mentions=mentions,
            **extra,  # type: ignore[arg-type]
        )
        self.record.entities.append(entity)
        return entity

    def argument(self, entity: Entity) -> Argument:
        return Argument(entity.id, entity.name, entity.actor, entity.mentions[0])

    def event(
        self,
        trigger: str,
        source: list[Entity],
        target: list[Entity],
        cameo: str,
        quad: int,
        goldstein: float,
        **extra: object,
    ) -> Event:
        span = span_of(self.record.text, trigger)
        event = Event(
            id=child_id(self.record.id, "event", span, cameo),
            sentence=self.record.text[: span[0]].count(". "),
            trigger=Trigger(trigger, span),
            source=[self.argument(e) for e in source],
            target=[self.argument(e) for e in target],
            cameo=cameo,
            root=cameo[:2],
            quad_class=quad,
            goldstein=goldstein,
            rule="handmade",
            **extra,  # type: ignore[arg-type]
        )
        self.record.events.append(event)
        return event

    def quote(self, text: str, speaker: Entity | None, cue: str, kind: str = "direct") -> None:
        span = span_of(self.record.text, text)
        cue_span = span_of(self.record.text, cue)
        self.record.quotes.append(
            Quote(
                id=child_id(self.record.id, "quote", span),
                span=span,
                text=text,
                kind=kind,  # type: ignore[arg-type]
                cue=Cue(cue, cue_span),
                speaker=Speaker(speaker.id, speaker.name, speaker.role, speaker.actor, speaker.mentions[-1])
                if speaker
                else None,
            )
        )

    def quantity(self, text: str, value: float, unit: str | None, measure: str | None = None) -> None:
        span = span_of(self.record.text, text)
        self.record.quantities.append(
            Quantity(
                id=child_id(self.record.id, "quantity", span),
                span=span,
                text=text,
                value=value,
                unit=unit,
                measure=measure,
            )
        )


def handmade_records() -> list[Record]:
    """Three analysed articles and one syndicated copy, over two months of 2004."""
    visit = RecordBuilder(
        "Azerbaijan's President Ilham Aliyev met Russian President Vladimir Putin in Moscow on Friday. "
        "Aliyev and Putin signed a declaration on cooperation. "
        '"We are ready for cooperation on any scale," Putin said. '
        "Defense Minister Sergey Ivanov praised the talks. "
        "Trade between the countries reached 1.5 billion dollars last year.",
        "2004-02-07",
        "Asbarez",
        "Aliyev and Putin sign declaration in Moscow",
    )
    visit.record.dateline = Dateline("Moscow", "Combined Sources", None)
    visit.record.repairs = [Repair("dash_for_comma", 89, 90, "–", ",")]
    visit.record.removed = [Removed(0, 20, "Comments are welcome", "boilerplate")]
    aliyev = visit.entity("Ilham Aliyev", "PERSON", "AZEGOV", "Ilham Aliyev", "Aliyev", role="President")
    putin = visit.entity("Vladimir Putin", "PERSON", "RUSGOV", "Vladimir Putin", "Putin", role="President")
    ivanov = visit.entity("Sergey Ivanov", "PERSON", "RUSMIL", "Sergey Ivanov", role="Defense Minister")
    visit.entity("Moscow", "GPE", None, "Moscow", place=MOSCOW, country="RU")
    visit.event("met", [aliyev], [putin], "036", 1, 4.0, date="2004-02-06", place=MOSCOW)
    visit.event("signed", [aliyev, putin], [], "057", 2, 8.0, date="2004-02-06", place=MOSCOW)
    visit.event("praised", [ivanov], [aliyev], "051", 1, 3.4, date="2004-02-07", confidence=0.4)
    visit.quote('"We are ready for cooperation on any scale,"', putin, "said")
    visit.quantity("1.5 billion dollars", 1.5e9, "USD", "money")

    dispute = RecordBuilder(
        "Russian President Vladimir Putin accused Georgia of provoking unrest in Tbilisi on Monday. "
        "Georgian President Mikheil Saakashvili rejected the accusation. "
        "Putin did not threaten Georgia with sanctions. "
        "Azerbaijan's President Ilham Aliyev called for calm.",
        "2004-03-16",
        "Example Wire",
        "Putin accuses Georgia of 100% provocation_rate",
    )
    putin2 = dispute.entity("Vladimir Putin", "PERSON", "RUSGOV", "Vladimir Putin", "Putin")
    saakashvili = dispute.entity("Mikheil Saakashvili", "PERSON", "GEOGOV")
    georgia = dispute.entity("Georgia", "GPE", "GEO", "Georgia")
    aliyev2 = dispute.entity("Ilham Aliyev", "PERSON", "AZEGOV")
    dispute.event("accused", [putin2], [georgia], "112", 3, -2.0, date="2004-03-15", place=TBILISI)
    dispute.event("rejected", [saakashvili], [putin2], "125", 3, -5.0, date="2004-03-15", place=TBILISI)
    dispute.event("threaten", [putin2], [georgia], "130", 3, -4.4, negated=True)
    dispute.event("called", [aliyev2], [], "010", 1, 0.0, date="2004-03-16")
    dispute.quote("rejected the accusation", saakashvili, "rejected", kind="indirect")

    quiet = RecordBuilder(
        "Oil prices rose by 3 percent in Baku on Tuesday, traders said.",
        "2004-04-06",
        "Example Wire",
        "Oil prices rise",
    )
    quiet.quantity("3 percent", 3.0, "percent", "ratio")

    copy = Record(
        id=article_id(visit.record.raw, "https://copy.example/1"),
        raw=visit.record.raw,
        text=visit.record.text,
        title=visit.record.title,
        published="2004-02-08",
        publisher="Copy Daily",
        url="https://copy.example/1",
        duplicate_of=visit.record.id,
    )
    return [visit.record, dispute.record, quiet.record, copy]


@pytest.fixture(scope="session")
def handmade_records_list() -> list[Record]:
    return handmade_records()


@pytest.fixture(scope="session")
def handmade_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("handmade") / "handmade.duckdb"
    with open_store(path) as store:
        store.write(handmade_records())
    return path


@pytest.fixture
def handmade_store(handmade_db: Path) -> Iterator[object]:
    with open_store(handmade_db, read_only=True) as store:
        yield store


def _seed_or_skip() -> Path:
    if not SEED.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SEED} is missing, and CI must run the tests that read it")
        pytest.skip(f"{SEED} is not here (the seed lives beside the repository, in ../shared)")
    return SEED


def build_pipeline_db(path: Path, seed: Path) -> Path:
    """samples/ and the seed through the real pipeline into a new store."""
    from dateline.engine.local import IngestRun
    from dateline.ingest import IngestOptions
    from dateline.pipeline import Pipeline

    pipeline = Pipeline()
    with open_store(path) as store:
        samples = REPO / "samples"
        if samples.exists():
            IngestRun(store=store, options=IngestOptions(), fmt="auto", analyser=pipeline).run([str(samples)])
        IngestRun(
            store=store, options=IngestOptions(published=SEED_PUBLISHED), fmt="auto", analyser=pipeline
        ).run([str(seed)])
    return path


@pytest.fixture(scope="session")
def pipeline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seed = _seed_or_skip()
    return build_pipeline_db(tmp_path_factory.mktemp("pipeline") / "pipeline.duckdb", seed)
