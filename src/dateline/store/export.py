"""Tables out of the store: Parquet, JSONL and CSV of any table, and GDELT 2.0 event files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from dateline.events.gdelt import to_gdelt_row
from dateline.store.database import Store
from dateline.store.schema import TABLES

EXPORTABLE = (*TABLES, "event_groups")
FORMATS = ("gdelt", "parquet", "jsonl", "csv")


def gdelt_event_id(group_id: str) -> str:
    """GDELT's GlobalEventID is an integer: the first 60 bits of the group's hash."""
    return str(int(group_id[:15], 16))


def gdelt_rows(store: Store) -> Iterator[list[str]]:
    cursor = store.connection.execute("SELECT * EXCLUDE (event_ids) FROM event_groups ORDER BY date, id")
    names = [column[0] for column in cursor.description or []]
    while batch := cursor.fetchmany(1000):
        for values in batch:
            group = dict(zip(names, values, strict=True))
            group["id"] = gdelt_event_id(group["id"])
            yield to_gdelt_row(group)


def write_gdelt(store: Store, out: IO[str]) -> int:
    """Event groups as GDELT 2.0 event rows: tab-separated, no header, as GDELT's files are."""
    count = 0
    for row in gdelt_rows(store):
        # Tabs and newlines inside a name would break the row; GDELT's files never hold them.
        out.write("\t".join(value.replace("\t", " ").replace("\n", " ") for value in row) + "\n")
        count += 1
    return count


def export_table(store: Store, table: str, fmt: str, path: Path) -> int:
    """Write one table in Parquet, JSONL or CSV with DuckDB's COPY; returns the rows written."""
    if table not in EXPORTABLE:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(EXPORTABLE)}")
    options = {"parquet": "FORMAT parquet", "jsonl": "FORMAT json", "csv": "FORMAT csv, HEADER true"}
    if fmt not in options:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(options)}")
    # The store's own columns (minhash) are internal; COPY takes no parameter for its file name.
    columns = "* EXCLUDE (minhash)" if table == "articles" else "*"
    target = str(path).replace("'", "''")
    store.connection.execute(f"COPY (SELECT {columns} FROM {table}) TO '{target}' ({options[fmt]})")
    return int(store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
