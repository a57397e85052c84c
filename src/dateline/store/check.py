"""`dateline check DB`: is the database whole, and what of it can be read?

Every block DuckDB reads is checked against its checksum, so reading every column of every table
finds every damaged block. A table that cannot be read whole is read again in slices of rows, to
say which rows are readable; ``--salvage OUT`` copies those rows into a new database, keeping
only rows whose article was copied too.

Beyond the blocks: the schema version the file was last migrated to, rows that point at an
article not stored (orphans), ids stored twice, and copies whose original is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from dateline.store.faults import DatabaseFault, Fault, check_database_file, classify
from dateline.store.schema import CHILD_TABLES, META_TABLE, SCHEMA_VERSION, TABLES

# Rows read at a time when a table cannot be read whole; a failing slice is split down to one row.
SLICE = 2048


@dataclass
class TableReport:
    name: str
    rows: int = 0
    readable: int = 0
    damaged_columns: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def whole(self) -> bool:
        return self.error is None


@dataclass
class CheckReport:
    path: str
    schema_version: str | None = None
    tables: list[TableReport] = field(default_factory=list)
    orphans: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    missing_originals: int = 0
    salvaged: dict[str, int] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        found = [
            f"{t.name}: {t.rows - t.readable} of {t.rows} rows unreadable"
            + (f" (columns {', '.join(t.damaged_columns)})" if t.damaged_columns else "")
            + f": {t.error}"
            for t in self.tables
            if not t.whole
        ]
        found += [
            f"{table}: {count} rows whose article is not stored" for table, count in self.orphans.items()
        ]
        found += [f"{table}: {count} ids stored more than once" for table, count in self.duplicates.items()]
        if self.missing_originals:
            found.append(f"articles: {self.missing_originals} copies whose original is not stored")
        if self.schema_version not in (SCHEMA_VERSION, None):
            found.append(
                f"schema version {self.schema_version}, this dateline writes {SCHEMA_VERSION} "
                "(opening it for writing migrates it)"
            )
        return found

    @property
    def status(self) -> int:
        return Fault.DAMAGED.status if self.problems else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "schema_version": self.schema_version,
            "current_schema_version": SCHEMA_VERSION,
            "tables": [
                {
                    "table": t.name,
                    "rows": t.rows,
                    "readable": t.readable,
                    "damaged_columns": t.damaged_columns,
                    "error": t.error,
                }
                for t in self.tables
            ],
            "orphans": self.orphans,
            "duplicates": self.duplicates,
            "missing_originals": self.missing_originals,
            "problems": self.problems,
            "salvaged": self.salvaged,
        }


def _first_line(error: BaseException) -> str:
    fault = classify(error, "")
    text = fault.reason if fault else str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _read_all(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], where: str = "") -> None:
    """Read every value (every block) of ``columns`` in the rows ``where`` selects."""
    hashed = ", ".join(f"sum(hash({_quoted(c)}))" for c in columns)
    con.execute(f"SELECT count(*), {hashed} FROM {table} {where}").fetchall()


def _readable_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: int) -> list[int]:
    """The rowids of rows whose every value reads, found slice by slice, split where one fails."""
    found: list[int] = []
    pending = [(start, min(start + SLICE, rows)) for start in range(0, rows, SLICE)]
    while pending:
        start, end = pending.pop()
        try:
            _read_all(con, table, columns, f"WHERE rowid >= {start} AND rowid < {end}")
        except duckdb.Error:
            if end - start > 1:
                middle = (start + end) // 2
                pending += [(start, middle), (middle, end)]
            continue
        found.extend(range(start, end))
    return sorted(found)


def _check_table(con: duckdb.DuckDBPyConnection, table: str) -> tuple[TableReport, list[int] | None]:
    report = TableReport(table)
    columns = _columns(con, table)
    # The row count lives in the table's metadata: it reads even when data blocks do not.
    report.rows = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    try:
        _read_all(con, table, columns)
        report.readable = report.rows
        return report, None
    except duckdb.Error as error:
        report.error = _first_line(error)
    for column in columns:
        try:
            _read_all(con, table, [column])
        except duckdb.Error:
            report.damaged_columns.append(column)
    readable = _readable_rows(con, table, columns, report.rows)
    report.readable = len(readable)
    return report, readable


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    try:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]
    except duckdb.Error:
        return 0  # a damaged table is reported as such; its orphans cannot be counted


def _consistency(con: duckdb.DuckDBPyConnection, report: CheckReport, tables: set[str]) -> None:
    if "articles" not in tables:
        return
    for table in CHILD_TABLES:
        if table in tables:
            count = _count(
                con, f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
            )
            if count:
                report.orphans[table] = count
    for table in ("articles", *CHILD_TABLES):
        if table in tables and table != "mentions":
            count = _count(con, f"SELECT count(*) - count(DISTINCT id) FROM {table}")
            if count:
                report.duplicates[table] = count
    report.missing_originals = _count(
        con,
        "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL "
        "AND duplicate_of NOT IN (SELECT id FROM articles)",
    )


def check(path: str | Path, salvage: str | Path | None = None) -> CheckReport:
    """Check the database at ``path``; with ``salvage``, copy its readable rows into a new file."""
    target = Path(path)
    try:
        check_database_file(target)
    except DatabaseFault as fault:
        # Damage found by the quick look (a cut-short file) is what check is for: read on.
        if fault.fault is not Fault.DAMAGED:
            raise
    report = CheckReport(str(target))
    readable_rows: dict[str, list[int] | None] = {}
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error as error:
        raise classify(error, target) or DatabaseFault(
            Fault.DAMAGED, str(target), _first_line(error)
        ) from None
    with con:
        tables = {
            row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if "articles" not in tables:
            raise DatabaseFault(Fault.NOT_A_DATABASE, str(target), "a DuckDB file without dateline's tables")
        if META_TABLE in tables:
            row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
            report.schema_version = str(row[0]) if row else None
        for table in TABLES:
            if table not in tables:
                report.tables.append(TableReport(table, error="missing"))
                continue
            table_report, rows = _check_table(con, table)
            report.tables.append(table_report)
            readable_rows[table] = rows
        _consistency(con, report, tables)
    if salvage is not None:
        report.salvaged = _salvage(target, Path(salvage), readable_rows)
    return report


def _row_slices(rows: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive rowids as [start, end) ranges."""
    start = previous = None
    for row in rows:
        if start is None:
            start = previous = row
        elif row == previous + 1:  # type: ignore[operator]
            previous = row
        else:
            yield start, previous + 1  # type: ignore[operator]
            start = previous = row
    if start is not None:
        yield start, previous + 1  # type: ignore[operator]


def _salvage(source: Path, output: Path, readable: dict[str, list[int] | None]) -> dict[str, int]:
    """Copy the readable rows into a new database; children whose article was lost are left out."""
    from dateline.store.database import Store

    if output.exists():
        raise DatabaseFault(Fault.NOT_A_DATABASE, str(output), "already exists: salvage writes a new file")
    Store(output).close()
    copied: dict[str, int] = {}
    with duckdb.connect(str(output)) as con:
        con.execute("ATTACH ? AS damaged (READ_ONLY)", [str(source)])
        for table in ("articles", *CHILD_TABLES):
            if table not in readable:
                continue
            wanted = set(_columns(con, table))
            columns = [c for c in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'damaged' "
                "AND table_name = ? ORDER BY ordinal_position", [table]
            ).fetchall()]  # fmt: skip
            names = ", ".join(_quoted(c[0]) for c in columns if c[0] in wanted)
            rows = readable[table]
            slices = [None] if rows is None else list(_row_slices(rows))
            for bounds in slices:
                where = "" if bounds is None else f"WHERE rowid >= {bounds[0]} AND rowid < {bounds[1]}"
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM damaged.{table} {where}")
        con.execute("DETACH damaged")
        for table in CHILD_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
        for table in ("articles", *CHILD_TABLES):
            copied[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    return copied


__all__ = ["CheckReport", "TableReport", "check"]
