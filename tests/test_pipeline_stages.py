"""The stage order, declared once in dateline.pipeline: each stage reads only what an earlier stage
wrote (or what it writes itself), and writes only what it declares; partial runs follow it."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, ClassVar

import pytest

from dateline.nlp import annotate
from dateline.pipeline import (
    ANALYSIS_STAGES,
    STAGES,
    Pipeline,
    clean_article,
    document_before_events,
    stages_needed_by,
)
from dateline.record import Document, RawDoc, Record

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RECORD_FIELDS = {f.name for f in fields(Record)}
DOCUMENT_FIELDS = {"doc", "title_doc", "times"}
# What ingest hands to the first stage.
INGESTED = frozenset({"raw"})


class Trace:
    """What the stage running now has read and written (the traced classes cannot hold state)."""

    reads: ClassVar[set[str]] = set()
    writes: ClassVar[set[str]] = set()


class TracedRecord(Record):
    def __getattribute__(self, name: str) -> Any:
        if name in RECORD_FIELDS:
            Trace.reads.add(name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in RECORD_FIELDS:
            Trace.writes.add(name)
        object.__setattr__(self, name, value)


class TracedDocument(Document):
    def __getattribute__(self, name: str) -> Any:
        if name in DOCUMENT_FIELDS:
            Trace.reads.add(name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in DOCUMENT_FIELDS:
            Trace.writes.add(name)
        object.__setattr__(self, name, value)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_every_declared_read_was_written_by_an_earlier_stage() -> None:
    written = set(INGESTED)
    for stage in STAGES:
        assert stage.reads <= written, (
            f"{stage.name} reads {sorted(stage.reads - written)} before any stage writes it"
        )
        written |= stage.writes
    names = [stage.name for stage in STAGES]
    assert names == ["clean", "parse", "dates", "actors", "quotes", "quantities", "events"]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda path: path.stem)
def test_each_stage_reads_and_writes_only_what_it_declares(path: Path, pipeline: Pipeline) -> None:
    record = clean_article(
        RawDoc(name=path.name, text=path.read_text(encoding="utf-8")), published="2024-05-01"
    )
    parsed = annotate(record, pipeline.nlp)
    traced = TracedRecord(**{f.name: getattr(record, f.name) for f in fields(Record)})
    document = TracedDocument(record=traced, doc=parsed.doc, title_doc=parsed.title_doc)
    for stage in ANALYSIS_STAGES:
        Trace.reads, Trace.writes = set(), set()
        assert stage.run is not None
        stage.run(document, None)
        undeclared = Trace.reads - stage.reads - stage.writes
        assert not undeclared, f"{stage.name} reads {sorted(undeclared)} without declaring it"
        assert Trace.writes <= stage.writes, f"{stage.name} writes {sorted(Trace.writes - stage.writes)}"
    assert traced.entities and traced.events, "the sample should give the stages something to do"


def test_the_partial_run_for_the_coder_is_what_a_whole_run_gives_it(pipeline: Pipeline) -> None:
    text = (SAMPLES / "mali-roadside-bomb.txt").read_text(encoding="utf-8")
    assert [stage.name for stage in stages_needed_by("events")] == ["dates", "actors", "quotes"]
    partial = document_before_events(text, "2024-05-01")
    whole = annotate(Record(id=partial.record.id, raw=text, text=text, published="2024-05-01"), pipeline.nlp)
    pipeline.analyse_document(whole)
    assert partial.record.entities == whole.record.entities
    assert partial.record.quotes == whole.record.quotes
    assert partial.times == whole.times
    assert partial.record.events == [] and partial.record.quantities == []
