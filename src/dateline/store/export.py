"""Tables out of the store: the flat download layouts (CSV, JSON Lines, Parquet) of every list,
any store table as it is, and GDELT 2.0 event files.

The flat layouts are what analysts load into pandas and R: one value a column, dates as DATE
(with their granularity beside them), no lists or structs; see :func:`queries.export_query`.
DuckDB writes them with COPY, which streams rows from the query to the file: a million events
export in constant memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from dateline.store import queries as q
from dateline.store.database import Store
from dateline.store.schema import TABLES

EXPORTABLE = (*TABLES, "event_groups")
FORMATS = ("gdelt", "parquet", "jsonl", "csv")
FLAT_FORMATS = ("csv", "jsonl", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
_COPY_OPTIONS = {
    "parquet": "FORMAT parquet, ROW_GROUP_SIZE 32768",
    "jsonl": "FORMAT json",
    "csv": "FORMAT csv, HEADER true",
}


def gdelt_event_id(group_id: str) -> str:
    """GDELT's GlobalEventID is an integer: the first 60 bits of the group's hash."""
    return str(int(group_id[:15], 16))


def _gdelt_sql(filters: q.EventFilter | None) -> tuple[str, list[Any]]:
    """Event groups, each with the day GDELT would date it by: its own date when it names a day,
    else (as GDELT does for an event without a date of its own) the first publication day of the
    articles it was read from. With ``filters``, the groups that hold a matching event."""
    parameters: list[Any] = []
    chosen = ""
    if filters is not None:
        matching, parameters = q.export_query(filters)
        chosen = f"WHERE list_has_any(g.event_ids, (SELECT list(event_id) FROM ({matching})))"
    sql = f"""
        WITH groups AS (SELECT * FROM event_groups g {chosen}),
        published AS (
            SELECT g.id, min(substr(a.published, 1, 10)) AS day
            FROM groups g, unnest(g.event_ids) AS u(event_id)
            JOIN events e ON e.id = u.event_id JOIN articles a ON a.id = e.article_id
            WHERE length(coalesce(g.date, '')) <> 10
            GROUP BY g.id
        )
        SELECT g.* EXCLUDE (event_ids),
            CASE WHEN length(coalesce(g.date, '')) = 10 THEN g.date ELSE p.day END AS day
        FROM groups g LEFT JOIN published p USING (id)
        ORDER BY g.date, g.id"""
    return sql, parameters


def gdelt_rows(store: Store, filters: q.EventFilter | None = None) -> Iterator[list[str]]:
    from dateline.events.gdelt import to_gdelt_row

    sql, parameters = _gdelt_sql(filters)
    cursor = store.connection.execute(sql, parameters)
    names = [column[0] for column in cursor.description or []]
    while batch := cursor.fetchmany(1000):
        for values in batch:
            group = dict(zip(names, values, strict=True))
            group["id"] = gdelt_event_id(group["id"])
            group["date"] = group.pop("day")
            yield to_gdelt_row(group)


def write_gdelt(
    store: Store, out: IO[str], *, header: bool = False, filters: q.EventFilter | None = None
) -> int:
    """Event groups as GDELT 2.0 event rows: tab-separated, without a header as GDELT's files
    are (``header`` adds one line of GDELT's column names)."""
    from dateline.events.gdelt import GDELT_COLUMNS

    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    for row in gdelt_rows(store, filters):
        # Tabs and newlines inside a name would break the row; GDELT's files never hold them.
        out.write("\t".join(value.replace("\t", " ").replace("\n", " ") for value in row) + "\n")
        count += 1
    return count


def _quiet(store: Store) -> None:
    """No progress bar: DuckDB draws one on stdout for long queries, into the rows of a pipe."""
    store.connection.execute("SET enable_progress_bar = false")


def _copy(store: Store, sql: str, parameters: list[Any], fmt: str, path: Path) -> int:
    if fmt not in _COPY_OPTIONS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(_COPY_OPTIONS)}")
    _quiet(store)
    # COPY takes no parameter for its file name: the name is quoted as an SQL string instead.
    target = str(path).replace("'", "''")
    found = store.connection.execute(f"COPY ({sql}) TO '{target}' ({_COPY_OPTIONS[fmt]})", parameters)
    written = found.fetchone()
    return int(written[0]) if written else 0


def export_rows(store: Store, filters: object, fmt: str, path: Path) -> int:
    """Every row matching a list's ``filters`` (paging ignored) in its flat layout, written to
    ``path`` as CSV (with a header), JSON Lines or Parquet; returns the rows written."""
    sql, parameters = q.export_query(filters)
    if fmt == "parquet":
        sql = _dates_as_timestamps(store, sql, parameters)
    return _copy(store, sql, parameters, fmt, path)


def _dates_as_timestamps(store: Store, sql: str, parameters: list[Any]) -> str:
    """The query with its DATE columns as TIMESTAMP: pandas reads a Parquet DATE as Python date
    objects, a TIMESTAMP as a datetime64 column (the granularity column says what it means)."""
    described = store.connection.execute(f"SELECT * FROM ({sql}) LIMIT 0", parameters).description or []
    dates = [column[0] for column in described if str(column[1]).upper() == "DATE"]
    if not dates:
        return sql
    replaced = ", ".join(f'"{name}"::TIMESTAMP AS "{name}"' for name in dates)
    return f"SELECT * REPLACE ({replaced}) FROM ({sql})"


def write_rows(store: Store, filters: object, fmt: str, out: IO[str], *, limit: int | None = None) -> int:
    """Every row matching ``filters`` (or the first ``limit``) in its flat layout to a text
    stream, as CSV with a header or as JSON Lines, a batch at a time (for pipes: stdout)."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"a text stream takes csv or jsonl, not {fmt!r}")
    sql, parameters = q.export_query(filters)
    if limit is not None:
        sql, parameters = f"{sql} LIMIT ?", [*parameters, limit]
    _quiet(store)
    cursor = store.connection.execute(sql, parameters)
    names = [column[0] for column in cursor.description or []]
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(names)
    count = 0
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            if fmt == "csv":
                writer.writerow(["" if value is None else _text(value) for value in values])
            else:
                row = {name: _json_value(value) for name, value in zip(names, values, strict=True)}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += len(batch)
    return count


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def export_table(store: Store, table: str, fmt: str, path: Path) -> int:
    """Write one store table as it is stored (nested columns and all) in Parquet, JSONL or CSV;
    returns the rows written."""
    if table not in EXPORTABLE:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(EXPORTABLE)}")
    # The store's own columns (minhash) are internal.
    columns = "* EXCLUDE (minhash)" if table == "articles" else "*"
    return _copy(store, f"SELECT {columns} FROM {table}", [], fmt, path)


__all__ = [
    "EXPORTABLE",
    "FLAT_FORMATS",
    "FORMATS",
    "MEDIA_TYPES",
    "export_rows",
    "export_table",
    "gdelt_event_id",
    "gdelt_rows",
    "write_gdelt",
    "write_rows",
]
