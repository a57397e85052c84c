"""Run the pipeline over a stream of inputs in this process and store the results.

Inputs are streamed and results written in batches, each batch in one transaction, so memory does
not grow with the number of articles and a killed run, started again, skips what it stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dateline.clean import BoilerplateMemory
from dateline.ingest import IngestError, IngestOptions, read_sources
from dateline.pipeline import PIPELINE_VERSION, Pipeline, clean_article
from dateline.record import RawDoc, Record
from dateline.store import Store
from dateline.store.admission import COPY, NEW, REPEAT, Admission, Admitted
from dateline.store.dedup import NearDuplicateIndex, signature
from dateline.store.shared import WritableStore

WRITE_BATCH = 64


class Analyser(Protocol):
    """Runs the analysis stages over records, in order: a Pipeline here, or a pool of them."""

    failures: list[tuple[str, str]]

    def analyse_many(self, records: Iterable[Record]) -> Iterator[Record]: ...


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    analysed: int = 0
    duplicates: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    not_english: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 1 if self.skipped else 0

    def count_batch(self, batch: Sequence[Record], admitted: Admitted) -> None:
        """Count what the store did with a batch: what this run stored itself, not what it meant to."""
        for record, (outcome, _) in zip(batch, admitted.outcomes, strict=True):
            if outcome == REPEAT:
                self.already_stored += 1
                continue
            self.stored += 1
            if outcome == COPY:
                self.duplicates += 1
            elif record.language not in (None, "en"):
                self.not_english += 1
            elif record.pipeline_version:
                self.analysed += 1
            if outcome == NEW and record.near_duplicate_of:
                self.near_duplicates += 1


@dataclass
class IngestRun:
    """One `dateline ingest` over some inputs into one store (or the server that holds it)."""

    store: WritableStore
    options: IngestOptions = field(default_factory=IngestOptions)
    fmt: str = "auto"
    analyser: Analyser | None = None
    on_article: Callable[[], None] | None = None
    on_problem: Callable[[str, str], None] | None = None
    summary: IngestSummary = field(default_factory=IngestSummary)
    # Set (by SIGTERM) to stop taking inputs: what was read is analysed and stored, then the run ends.
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.analyser = self.analyser or Pipeline()
        self.admission = Admission(self.store)
        self.boilerplate = BoilerplateMemory()
        self.near = NearDuplicateIndex(self.store.minhashes())
        self.store.release()
        self.minhashes: dict[str, list[int]] = {}

    def _problem(self, name: str, reason: str, *, skipped: bool) -> None:
        (self.summary.skipped if skipped else self.summary.failed).append((name, reason))
        if self.on_problem:
            self.on_problem(name, reason)

    def _cleaned(self, items: Iterable[RawDoc | IngestError]) -> Iterator[Record]:
        for item in items:
            if self.stop.is_set():
                return
            self.summary.read += 1
            if self.on_article:
                self.on_article()
            if isinstance(item, IngestError):
                self._problem(item.name, item.reason, skipped=True)
                continue
            admitted = self.admission.admit(item)
            if admitted is None:
                self.summary.already_stored += 1
                continue
            try:
                record = clean_article(
                    item,
                    published=item.published or self.options.published,
                    publisher=item.publisher or self.options.publisher,
                    boilerplate=self.boilerplate,
                )
            except Exception as error:  # a bad article is reported and skipped, the run goes on
                self._problem(
                    item.name, f"could not be cleaned: {type(error).__name__}: {error}", skipped=True
                )
                continue
            record.id, record.duplicate_of = admitted
            if record.duplicate_of is None:
                if not record.text.strip():
                    self._problem(item.name, "empty article: no text left after cleaning", skipped=True)
                    continue
                self._mark_near_duplicate(record)
            yield record

    def _mark_near_duplicate(self, record: Record) -> None:
        values = signature(record.text)
        record.near_duplicate_of = self.near.nearest(values, exclude=record.id)
        self.near.add(record.id, values)
        self.minhashes[record.id] = values

    def _write(self, batch: list[Record]) -> None:
        # Cleaning runs ahead of analysis, so signatures of later batches wait here for theirs.
        signatures = {r.id: self.minhashes.pop(r.id) for r in batch if r.id in self.minhashes}
        admitted = self.store.admit(batch, signatures)
        # Counted before the file is let go: a checkpoint that then fails leaves the batch stored.
        self.summary.count_batch(batch, admitted)
        self.store.release()

    def run(self, paths: Sequence[str | Path]) -> IngestSummary:
        """Read files, directories or stdin and store what they hold."""
        return self.run_items(read_sources(paths, fmt=self.fmt, options=self.options))

    def run_items(self, items: Iterable[RawDoc | IngestError]) -> IngestSummary:
        """Clean, analyse and store a stream of ingested articles (from files, URLs or feeds).

        Errors in the stream are reported and skipped. The summary counts on across calls, so a
        long-running caller (``watch``) may hand over one stream per round.
        """
        assert self.analyser is not None
        batch: list[Record] = []
        cleaned = self._cleaned(items)
        for record in self.analyser.analyse_many(cleaned):
            batch.append(record)
            if len(batch) >= WRITE_BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        for article, reason in self.analyser.failures:
            self._problem(article, reason, skipped=False)
        self.analyser.failures.clear()
        return self.summary


def reclean(record: Record) -> RawDoc:
    """The ingest output a stored record came from, to run every stage again on its raw text.

    A title that opens the raw text was found there by clean; any other came with the page.
    """
    title = record.title if record.title and not record.raw.lstrip().startswith(record.title) else None
    return RawDoc(
        name=record.source or record.id,
        text=record.raw,
        title=title,
        url=record.url,
        published=record.published,
        publisher=record.publisher,
        author=record.author,
    )


def reprocess(
    store: Store,
    pipeline: Pipeline,
    *,
    everything: bool = False,
    on_article: Callable[[], None] | None = None,
) -> int:
    """Run the current stages again on stored articles of an older pipeline version."""
    boilerplate = BoilerplateMemory()
    stale = store.stale_ids(PIPELINE_VERSION, everything=everything)
    done = 0
    for start in range(0, len(stale), WRITE_BATCH):
        batch = []
        for article in stale[start : start + WRITE_BATCH]:
            old = store.get(article)
            if old is None:
                continue
            record = clean_article(reclean(old), published=old.published, boilerplate=boilerplate)
            record.id, record.near_duplicate_of = old.id, old.near_duplicate_of
            batch.append(record)
        analysed = list(pipeline.analyse_many(batch))
        store.write(analysed)
        done += len(analysed)
        if on_article:
            for _ in analysed:
                on_article()
    return done
