"""Which articles a run stores: new ones, not repeats of a stored input; copies marked as copies.

One rule, decided twice:

- *before analysis*, from what the run knows (the ids stored when it started, and what it has
  admitted since), so that a repeat is not parsed again: :meth:`Admission.admit`;
- *in the transaction that stores the batch*, against what the database holds at that moment:
  :func:`admit_in_transaction`. Only this decision counts. Two ingests of the same text (a
  syndicated copy in two folders) may both think it new; whichever commits second finds the
  first's row and stores its own as a copy (``duplicate_of``), or nothing if it is a repeat.

The article id hashes the raw text alone; a copy of a stored text from another url or file gets
an id that also hashes its provenance, and points at the original with ``duplicate_of``.

The local engine, `dateline load` (after Ray) and the server's writer all store through
:func:`admit_in_transaction` (by :meth:`dateline.store.Store.admit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import duckdb

from dateline.record import RawDoc, Record, article_id

if TYPE_CHECKING:  # the store imports this module
    from dateline.store.database import StoredArticle


class KnownArticles(Protocol):
    """What the early decision asks of a store (a local one, or a server's)."""

    def ids(self) -> set[str]: ...
    def stored(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]: ...


def provenance(url: str | None, name: str | None) -> str:
    """Where an article came from, as admission compares it: its url, else its input name."""
    return url or name or ""


NEW, COPY, REPEAT = "new", "copy", "repeat"


@dataclass
class Admitted:
    """What the transaction did with each record of a batch, in order: (outcome, id stored).

    Sent back by a server to the ingest that wrote through it, so each run counts what it stored.
    """

    outcomes: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for kind, _ in self.outcomes if kind == outcome)

    @property
    def stored(self) -> list[str]:
        return [article for kind, article in self.outcomes if kind != REPEAT]

    def to_dict(self) -> dict[str, list[list[str]]]:
        return {"outcomes": [[kind, article] for kind, article in self.outcomes]}

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]]) -> Admitted:
        return cls([(str(kind), str(article)) for kind, article in data["outcomes"]])


def as_copy(record: Record, original: str) -> Record:
    """A record stored as a syndicated copy: cleaned, not analysed (its original carries the analysis)."""
    record.id = article_id(record.raw, provenance(record.url, record.source))
    record.duplicate_of = original
    record.entities, record.events, record.quotes, record.quantities = [], [], [], []
    record.near_duplicate_of = None
    return record


def admit_in_transaction(
    connection: duckdb.DuckDBPyConnection, records: Sequence[Record]
) -> tuple[list[Record], Admitted]:
    """The records of a batch to insert, decided against the rows the open transaction sees.

    A record the run thought new whose text is stored under another provenance becomes a copy;
    one stored under its own provenance (or a copy already stored) is a repeat and is dropped.
    """
    originals = {article_id(record.raw) for record in records}
    copies = {article_id(r.raw, provenance(r.url, r.source)) for r in records}
    rows = connection.execute(
        "SELECT id, url, source FROM articles WHERE id IN (SELECT unnest(?))",
        [sorted(originals | copies)],
    ).fetchall()
    # Provenance of every id stored, or inserted earlier in this batch.
    held: dict[str, str] = {row[0]: provenance(row[1], row[2]) for row in rows}
    keep: list[Record] = []
    admitted = Admitted()
    for record in records:
        here = provenance(record.url, record.source)
        original = article_id(record.raw)
        owner = held.get(original)
        if owner is None:
            if record.duplicate_of is not None and record.duplicate_of != original:
                raise ValueError(f"{record.id}: a copy must point at the id of its raw text")
            # New here (or a copy whose original never got stored: it stays as it was admitted).
            target = record.id if record.duplicate_of is not None else original
            if target in held:
                admitted.outcomes.append((REPEAT, target))
                continue
            record.id = target
        elif owner == here:
            admitted.outcomes.append((REPEAT, original))
            continue
        else:
            copy_id = article_id(record.raw, here)
            if copy_id in held:
                admitted.outcomes.append((REPEAT, copy_id))
                continue
            if record.duplicate_of is None:
                as_copy(record, original)
        held[record.id] = here
        admitted.outcomes.append((NEW if record.duplicate_of is None else COPY, record.id))
        keep.append(record)
    return keep, admitted


class Admission:
    """The early decision: what a run takes to be new, a repeat or a copy before it analyses it.

    Ids stored before the run are held in memory so that most articles need no look-up and the
    store can let go of the file between write batches.
    """

    def __init__(self, store: KnownArticles):
        self.store = store
        self.known = store.ids()
        # Ids admitted in this run but perhaps not yet written: provenance of each.
        self.seen: dict[str, str] = {}

    def _provenance_of(self, article: str) -> str | None:
        if article in self.seen:
            return self.seen[article]
        if article not in self.known:
            return None
        stored = self.store.stored([article]).get(article)
        return provenance(stored.url, stored.source) if stored else None

    def admit(self, raw: RawDoc) -> tuple[str, str | None] | None:
        """(id, duplicate_of) for an article to analyse and store, or None when it is stored already."""
        original = article_id(raw.text)
        here = provenance(raw.url, raw.name)
        known = self._provenance_of(original)
        if known is None:
            self.seen[original] = here
            return original, None
        if known == here:
            return None
        copy = article_id(raw.text, here)
        if self._provenance_of(copy) is not None:
            return None
        self.seen[copy] = here
        return copy, original


__all__ = ["COPY", "NEW", "REPEAT", "Admission", "Admitted", "admit_in_transaction", "as_copy", "provenance"]
