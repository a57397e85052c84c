"""Merge Parquet parts written by the Ray engine into a store, as local ingest would have stored them.

A part row is one input item (an article, or an input that could not be read), cleaned and analysed
on the cluster. The rules that need every earlier article in view (which article is new, which
a repeat of a stored input, which a syndicated copy, which a near-duplicate) are applied here, in
one process, in the order local ingest reads the inputs: by run, by input file, by item in the file.
Whether an article is new, a repeat or a copy is settled, as for every writer, in the transaction
that stores it (:mod:`dateline.store.admission`).

Columns of a part (one row per item read):

    run       the ingest run (sortable: UTC time, then a random suffix)
    file      index of the input file in the run, in the order local ingest reads them
    item      index of the item in its file
    name      the item's name (file, JSONL line, WARC record), as local ingest names it
    url       the item's url, if any
    record    the cleaned and analysed record as JSON (Record.to_dict), or null
    raw       the raw text, only when cleaning failed (record is null), for admission
    problem   why the item could not be read or cleaned (record is null)
    repeat    the same raw text came earlier in the same file, so it was not analysed
    failure   why analysis failed (the record is stored unanalysed, as local ingest does)
    minhash   the near-duplicate signature of the cleaned text
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dateline.engine.local import WRITE_BATCH, IngestSummary
from dateline.pipeline import PIPELINE_VERSION
from dateline.record import RawDoc, Record, record_from_dict
from dateline.store import Store
from dateline.store.admission import Admission
from dateline.store.dedup import NearDuplicateIndex, signature

PART_COLUMNS = (
    "run",
    "file",
    "item",
    "name",
    "url",
    "record",
    "raw",
    "problem",
    "repeat",
    "failure",
    "minhash",
)
# Rows fetched from the parts at a time: records are large, so keep few in memory.
FETCH = 256


@dataclass
class PartRow:
    run: str
    file: int
    item: int
    name: str
    url: str | None
    record: str | None
    raw: str | None
    problem: str | None
    repeat: bool
    failure: str | None
    minhash: list[int] | None


def part_files(parts: Path) -> list[Path]:
    """The Parquet files under a directory (any depth), or the one file given."""
    if parts.is_file():
        return [parts]
    return sorted(path for path in parts.rglob("*.parquet") if not path.name.startswith("."))


def read_parts(parts: Path) -> Iterator[PartRow]:
    """The rows of every part under ``parts``, in local ingest's order."""
    files = part_files(parts)
    if not files:
        return
    with duckdb.connect() as con:
        cursor = con.execute(
            f"SELECT {', '.join(PART_COLUMNS)} FROM read_parquet(?, union_by_name = true) "
            "ORDER BY run, file, item",
            [[str(path) for path in files]],
        )
        while rows := cursor.fetchmany(FETCH):
            for row in rows:
                yield PartRow(*row)


class PartsLoad:
    """One `dateline load`: part rows through admission and near-duplicate search into a store."""

    def __init__(self, store: Store, on_problem: Callable[[str, str], None] | None = None):
        self.store = store
        self.on_problem = on_problem
        self.admission = Admission(store)
        self.near = NearDuplicateIndex(store.minhashes())
        self.summary = IngestSummary()
        self._failures: list[tuple[str, str]] = []
        # Signatures of admitted originals, written with their batch.
        self.signatures: dict[str, list[int]] = {}

    def _problem(self, name: str, reason: str, *, skipped: bool) -> None:
        (self.summary.skipped if skipped else self.summary.failed).append((name, reason))
        if self.on_problem:
            self.on_problem(name, reason)

    def admitted(self, row: PartRow) -> Record | None:
        """The record to store for a part row, as local ingest would store it; None if none."""
        self.summary.read += 1
        if row.record is None and row.raw is None:
            self._problem(row.name, row.problem or "could not be read", skipped=True)
            return None
        data = json.loads(row.record) if row.record is not None else None
        raw = data["raw"] if data is not None else row.raw
        admitted = self.admission.admit(RawDoc(name=row.name, text=raw or "", url=row.url))
        if admitted is None:
            self.summary.already_stored += 1
            return None
        if data is None:
            self._problem(row.name, row.problem or "could not be cleaned", skipped=True)
            return None
        record = record_from_dict(data)
        record.id, record.duplicate_of = admitted
        if record.duplicate_of:
            return _unanalysed_copy(record)
        if not record.text.strip():
            self._problem(row.name, "empty article: no text left after cleaning", skipped=True)
            return None
        if row.repeat:
            # Not analysed on the cluster, as an earlier item of its file had the same text and so
            # this one should be a copy or a repeat: without a version, `dateline reprocess` runs it.
            record.pipeline_version = ""
        values = row.minhash or signature(record.text)
        self.signatures[record.id] = values
        record.near_duplicate_of = self.near.nearest(values, exclude=record.id)
        self.near.add(record.id, values)
        if row.failure:
            self._failures.append((record.id, row.failure))
        return record

    def run(self, parts: Path) -> IngestSummary:
        batch: list[Record] = []
        for row in read_parts(parts):
            record = self.admitted(row)
            if record is None:
                continue
            batch.append(record)
            if len(batch) >= WRITE_BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        for article, reason in self._failures:
            self._problem(article, reason, skipped=False)
        self._failures.clear()
        return self.summary

    def _write(self, batch: list[Record]) -> None:
        signatures = {r.id: self.signatures.pop(r.id) for r in batch if r.id in self.signatures}
        self.summary.count_batch(batch, self.store.admit(batch, signatures))


def _unanalysed_copy(record: Record) -> Record:
    """A syndicated copy is stored as local ingest stores it: cleaned, not analysed."""
    record.entities, record.events, record.quotes, record.quantities = [], [], [], []
    record.near_duplicate_of = None
    record.pipeline_version = PIPELINE_VERSION
    return record


def load_parts(
    parts: Path, store: Store, *, on_problem: Callable[[str, str], None] | None = None
) -> IngestSummary:
    """Merge the Parquet parts under ``parts`` into ``store``; loading them again stores nothing new."""
    return PartsLoad(store, on_problem=on_problem).run(parts)
