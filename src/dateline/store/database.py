"""Records in an embedded DuckDB database, one table per part of the record.

A batch of records is written in one transaction: a killed run never leaves half an article,
and a run started again skips what is already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from dateline.record import Event, Record, record_from_dict
from dateline.store.admission import Admitted, admit_in_transaction
from dateline.store.faults import check_before_writing, classify
from dateline.store.schema import (
    ADDED_COLUMNS,
    CHILD_TABLES,
    EVENT_GROUPS_VIEW,
    META_TABLE,
    SCHEMA_VERSION,
    TABLES,
)

DEFAULT_DB = "dateline.duckdb"
# The order of the values of Store._article_row; named, as a migrated table adds columns at its end.
_ARTICLE_COLUMNS = (
    "id", "source", "url", "publisher", "author", "title", "published", "language", "text", "raw",
    "offset_map", "dateline", "repairs", "removed", "duplicate_of", "near_duplicate_of",
    "pipeline_version", "minhash", "language_confidence", "language_reason",
)  # fmt: skip

T = TypeVar("T")
Memo = Callable[[Hashable, Callable[[], Any]], Any]


@dataclass(frozen=True)
class StoredArticle:
    """What ingest needs to know of an article already stored, to spot a repeat or a copy."""

    id: str
    source: str | None
    url: str | None
    publisher: str | None


def _span(span: tuple[int, int]) -> list[int]:
    return [span[0], span[1]]


def _event_actors(event: Event) -> tuple[str | None, str | None]:
    """The flat (source, target) actor pair an event is grouped by.

    A symmetric event is coded once with both actors as sources; its second source then stands
    as the target, so that it groups with the same dyad coded the other way.
    """
    source = event.source[0].actor if event.source else None
    if event.target:
        return source, event.target[0].actor
    return source, event.source[1].actor if len(event.source) > 1 else None


class Store:
    """One DuckDB database file (or ``:memory:``) holding records."""

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        retries: int = 20,
        transient: bool = False,
    ):
        """Open ``path``; with ``transient``, the file is let go by :meth:`release` between uses.

        DuckDB lets no other process open a file that one process holds for writing, not even to
        read it; a long ingest therefore opens a transient store and releases it after each batch,
        so that `dateline serve` can read in between.
        """
        self.path = str(path)
        self.read_only = read_only
        self.transient = transient
        self._column_types: dict[str, list[str]] = {}
        self._memo: Memo | None = None
        self.retries = retries
        self._connection: duckdb.DuckDBPyConnection | None = self._connect(retries)
        if not read_only:
            self._create_schema()

    @classmethod
    def from_connection(
        cls, connection: duckdb.DuckDBPyConnection, path: str | Path, *, memo: Memo | None = None
    ) -> Store:
        """A store working through a connection (or cursor) that someone else opened and closes.

        ``memo`` remembers values computed from the data until it changes (the server's cache).
        """
        store = cls.__new__(cls)
        store.path, store.read_only, store.transient, store.retries = str(path), True, False, 0
        store._column_types = {}
        store._connection = connection
        store._memo = memo
        return store

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or the value it gave for ``key`` since the data last changed (a server's)."""
        if self._memo is None:
            return compute()
        value: T = self._memo(key, compute)
        return value

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self._connection = self._connect(self.retries)
        return self._connection

    def release(self) -> None:
        """Let go of the file until the next use, when the store is transient."""
        if self.transient and self._connection is not None:
            self.close()

    def _connect(self, retries: int) -> duckdb.DuckDBPyConnection:
        # Another process may hold the write lock for a moment (a short ingest transaction); any
        # other error (a foreign or damaged file) is not worth waiting for.
        for attempt in range(retries):
            try:
                return duckdb.connect(self.path, read_only=self.read_only)
            except duckdb.IOException as error:
                if attempt == retries - 1 or "lock" not in str(error).lower():
                    raise
                time.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")

    def _create_schema(self) -> None:
        """Create or migrate the tables; a database already at this schema is not written at all
        (so that serving or reading never rewrites a file it need not)."""
        con = self.connection
        if self.schema_version() == SCHEMA_VERSION and self._schema_present():
            return
        for table, columns in TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for table, new_columns in ADDED_COLUMNS.items():
            for column, kind in new_columns:
                con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
        con.execute(EVENT_GROUPS_VIEW)
        con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    def _schema_present(self) -> bool:
        """Every table, added column and the view are there (a stamp alone can be outrun by hand)."""
        present = set(
            self.connection.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
            ).fetchall()
        )
        tables = {table for table, _ in present}
        added = {(table, column) for table, columns in ADDED_COLUMNS.items() for column, _ in columns}
        return set(TABLES) <= tables and added <= present and ("event_groups", "id") in present

    def schema_version(self) -> str | None:
        """The schema version the file was last migrated to (None before versions were kept)."""
        tables = {
            row[0]
            for row in self.connection.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if META_TABLE not in tables:
            return None
        row = self.connection.execute(
            f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'"
        ).fetchone()
        return str(row[0]) if row else None

    def close(self, *, checkpoint: bool = True) -> None:
        """Let go of the file. A writable store first checkpoints, so that a disk that is full
        is said now: DuckDB's own checkpoint at close fails silently (the rows stay in the WAL)."""
        connection = self._connection
        if connection is None:
            return
        try:
            if checkpoint and not self.read_only and self.path != ":memory:":
                connection.execute("CHECKPOINT")
        finally:
            connection.close()  # when this fails (busy), the store keeps it, to close again
            self._connection = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # While an error is on its way out, a second one from the checkpoint would hide it.
        self.close(checkpoint=exc_type is None)

    # -- writing ------------------------------------------------------------------------------

    def write(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> None:
        """Store records (replacing any stored rows of the same ids) in one transaction.

        For records analysed again (`dateline reprocess`); new articles go through :meth:`admit`.
        """
        if records:
            self._in_transaction(lambda: self._replace(records, minhashes))

    def admit(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> Admitted:
        """Store the new articles of a batch, decided in the transaction that stores them.

        A record whose text another writer stored first becomes a copy of it, or is dropped as a
        repeat (:mod:`dateline.store.admission`); what was done is returned.
        """

        def admit_batch() -> Admitted:
            keep, admitted = admit_in_transaction(self.connection, records)
            self._replace(keep, minhashes)
            return admitted

        return self._in_transaction(admit_batch) if records else Admitted()

    def _in_transaction(self, work: Callable[[], T]) -> T:
        con = self.connection
        con.execute("BEGIN TRANSACTION")
        try:
            result = work()
            con.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (a full disk) may have ended the transaction already: the rollback
            # must not hide the error that says why.
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        return result

    def _replace(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None) -> None:
        if not records:
            return
        ids = [record.id for record in records]
        dicts = [record.to_dict() for record in records]
        con = self.connection
        # A record written again (reprocessed) keeps its stored signature unless given one.
        kept = con.execute(
            "SELECT id, minhash FROM articles WHERE id IN (SELECT unnest(?)) AND minhash IS NOT NULL",
            [ids],
        ).fetchall()
        minhashes = {**dict(kept), **(minhashes or {})}
        for table in CHILD_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
        con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [ids])
        con.executemany(
            f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, stored_at) "
            f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}, current_timestamp)",
            [
                self._article_row(record, data, minhashes.get(record.id))
                for record, data in zip(records, dicts, strict=True)
            ],
        )
        self._insert_children(records, dicts)

    @staticmethod
    def _article_row(record: Record, data: dict[str, Any], minhash: list[int] | None) -> list[Any]:
        return [
            record.id,
            record.source,
            record.url,
            record.publisher,
            record.author,
            record.title,
            record.published,
            record.language,
            record.text,
            record.raw,
            data["offset_map"],
            data["dateline"],
            data["repairs"],
            data["removed"],
            record.duplicate_of,
            record.near_duplicate_of,
            record.pipeline_version,
            minhash,
            record.language_confidence,
            record.language_reason,
        ]

    def _insert_children(self, records: Sequence[Record], dicts: Sequence[dict[str, Any]]) -> None:
        entity_rows: list[list[Any]] = []
        mention_rows: list[list[Any]] = []
        event_rows: list[list[Any]] = []
        quote_rows: list[list[Any]] = []
        quantity_rows: list[list[Any]] = []
        for record, data in zip(records, dicts, strict=True):
            for entity, entity_data in zip(record.entities, data["entities"], strict=True):
                entity_rows.append(
                    [
                        entity.id,
                        record.id,
                        entity.name,
                        entity.type,
                        entity.role,
                        entity.actor,
                        entity.country,
                        entity_data["place"],
                        entity_data["mentions"],
                        entity_data["title_mentions"],
                    ]
                )
                mention_rows.extend(
                    [entity.id, record.id, start, end, record.text[start:end], "text"]
                    for start, end in entity.mentions
                )
                mention_rows.extend(
                    [entity.id, record.id, start, end, (record.title or "")[start:end], "title"]
                    for start, end in entity.title_mentions
                )
            for event, event_data in zip(record.events, data["events"], strict=True):
                source_actor, target_actor = _event_actors(event)
                event_rows.append(
                    [
                        event.id,
                        record.id,
                        event.sentence,
                        event_data["trigger"],
                        event_data["source"],
                        event_data["target"],
                        source_actor,
                        target_actor,
                        event.cameo,
                        event.root,
                        event.quad_class,
                        event.goldstein,
                        event_data["plover"],
                        event.date,
                        event.date_text,
                        event.date_kind,
                        event_data["place"],
                        event.negated,
                        event.modality,
                        event.confidence,
                        event.rule,
                    ]
                )
            for quote, quote_data in zip(record.quotes, data["quotes"], strict=True):
                quote_rows.append(
                    [
                        quote.id,
                        record.id,
                        quote_data["span"],
                        quote.text,
                        quote.kind,
                        quote_data["cue"],
                        quote_data["speaker"],
                    ]
                )
            quantity_rows.extend(
                [
                    quantity.id,
                    record.id,
                    _span(quantity.span),
                    quantity.text,
                    quantity.value,
                    quantity.unit,
                    quantity.measure,
                    quantity.when,
                    quantity.qualifier,
                ]
                for quantity in record.quantities
            )
        for table, rows in (
            ("entities", entity_rows),
            ("mentions", mention_rows),
            ("events", event_rows),
            ("quotes", quote_rows),
            ("quantities", quantity_rows),
        ):
            if rows:
                self._insert_columns(table, rows)

    def _insert_columns(self, table: str, rows: list[list[Any]]) -> None:
        """All rows in one statement, as one list per column.

        executemany costs a round trip per row (0.1-0.5 ms); unnesting typed column lists costs
        a few microseconds a row, which keeps the store well below the parse in ingest time.
        """
        if table not in self._column_types:
            self._column_types[table] = [
                column_type
                for (column_type,) in self.connection.execute(
                    "SELECT data_type FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
        columns = [list(column) for column in zip(*rows, strict=True)]
        select = ", ".join(f"unnest(?::{column_type}[])" for column_type in self._column_types[table])
        self.connection.execute(f"INSERT INTO {table} SELECT * FROM (SELECT {select})", columns)

    # -- reading ------------------------------------------------------------------------------

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a parameterised query as dicts."""
        cursor = self.connection.execute(sql, list(parameters))
        names = [column[0] for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def stored(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]:
        ids = list(article_ids)
        if not ids:
            return {}
        rows = self.query(
            "SELECT id, source, url, publisher FROM articles WHERE id IN (SELECT unnest(?))", [ids]
        )
        return {row["id"]: StoredArticle(**row) for row in rows}

    def ids(self) -> set[str]:
        """Every stored article id (originals and copies)."""
        return {row[0] for row in self.connection.execute("SELECT id FROM articles").fetchall()}

    def has_url(self, url: str) -> bool:
        """Whether an article from ``url`` is stored (original or copy), so as not to fetch it again."""
        return (
            self.connection.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1", [url]).fetchone()
            is not None
        )

    def minhashes(self) -> Iterator[tuple[str, list[int]]]:
        """Signatures of the analysed (not duplicate) articles, for near-duplicate search."""
        cursor = self.connection.execute(
            "SELECT id, minhash FROM articles WHERE minhash IS NOT NULL AND duplicate_of IS NULL"
        )
        while batch := cursor.fetchmany(1000):
            yield from batch

    def get(self, article_id: str) -> Record | None:
        """The whole record of a stored article (a unique id prefix is enough)."""
        rows = self.query(
            "SELECT * EXCLUDE (minhash, stored_at) FROM articles WHERE id = ? OR id LIKE ? || '%' LIMIT 2",
            [article_id, article_id],
        )
        exact = [row for row in rows if row["id"] == article_id]
        if exact:
            rows = exact
        if len(rows) != 1:
            return None
        data = rows[0]
        key = [data["id"]]
        data["entities"] = self.query(
            "SELECT * EXCLUDE (article_id) FROM entities WHERE article_id = ? "
            "ORDER BY mentions[1][1], title_mentions[1][1]",
            key,
        )
        data["events"] = self.query(
            "SELECT * EXCLUDE (article_id, source_actor, target_actor) FROM events "
            "WHERE article_id = ? ORDER BY sentence, trigger.span[1]",
            key,
        )
        data["quotes"] = self.query(
            "SELECT * EXCLUDE (article_id) FROM quotes WHERE article_id = ? ORDER BY span[1]", key
        )
        data["quantities"] = self.query(
            "SELECT * EXCLUDE (article_id) FROM quantities WHERE article_id = ? ORDER BY span[1]", key
        )
        return record_from_dict(data)

    def stale_ids(self, pipeline_version: str, *, everything: bool = False) -> list[str]:
        """Ids of stored originals whose pipeline version differs (all with ``everything``)."""
        condition = "duplicate_of IS NULL" + ("" if everything else " AND pipeline_version <> ?")
        parameters = [] if everything else [pipeline_version]
        rows = self.query(f"SELECT id FROM articles WHERE {condition} ORDER BY stored_at, id", parameters)
        return [row["id"] for row in rows]

    def counts(self) -> dict[str, int]:
        def count() -> dict[str, int]:
            counts = {
                table: int(self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
                for table in TABLES
            }
            # One group per distinct key of the view's GROUP BY: counted without building the
            # groups (the view joins every copy and aggregates; seconds on a million events).
            counts["event_groups"] = int(
                self.connection.execute(
                    "SELECT count(*) FROM (SELECT DISTINCT date, source_actor, target_actor, cameo "
                    "FROM events e WHERE NOT e.negated AND e.article_id IN (SELECT id FROM articles))"
                ).fetchone()[0]  # type: ignore[index]
            )
            return counts

        return self.cached("counts", count)


def open_store(
    path: str | Path = DEFAULT_DB, *, read_only: bool = False, transient: bool = False, retries: int = 20
) -> Store:
    """Open (creating if needed) a dateline database.

    A file that must not be written (foreign, damaged, read-only, not the user's to write) is
    refused before DuckDB opens it for writing; any failure raises
    :class:`~dateline.store.faults.DatabaseFault` naming the cause.
    """
    if str(path) == ":memory:":
        return Store(path, read_only=read_only, transient=transient, retries=retries)
    if not read_only:
        check_before_writing(path)
    try:
        return Store(path, read_only=read_only, transient=transient, retries=retries)
    except (duckdb.Error, OSError) as error:
        fault = classify(error, path)
        if fault is None:
            raise
        raise fault from None


__all__ = ["DEFAULT_DB", "Store", "StoredArticle", "open_store"]
