"""CLI commands of the Ray engine: `dateline ingest --engine ray` and `dateline load`.

Typer-compatible functions (annotated parameters), registered by :mod:`dateline.cli`. Importing
this module is cheap; spaCy and the stages load when a command runs, and Ray only when an
ingest on Ray starts, so `dateline load` works without Ray.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from dateline.store import DEFAULT_DB, open_store

if TYPE_CHECKING:  # the engine imports spaCy: registering these commands must not
    from dateline.engine.local import IngestSummary

out = Console()
err = Console(stderr=True)

RAY_MISSING = "Ray is not installed: pip install 'dateline[ray]'"


def _fields(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        name, sep, key = item.partition("=")
        if not sep or not name or not key:
            raise typer.BadParameter(f"expected NAME=KEY, got {item!r}", param_hint="--field")
        mapping[name] = key
    return mapping


def _iso(value: str | None, option: str) -> str | None:
    from dateline.pipeline import iso_date

    try:
        return iso_date(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO date: {value!r}", param_hint=option) from None


def print_summary(summary: IngestSummary, title: str) -> None:
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count")
    for what, count in (
        ("read", summary.read),
        ("stored", summary.stored),
        ("analysed", summary.analysed),
        ("syndicated copies (duplicate_of)", summary.duplicates),
        ("near-duplicates (analysed)", summary.near_duplicates),
        ("already stored", summary.already_stored),
        ("not English (stored, not analysed)", summary.not_english),
        ("skipped", len(summary.skipped)),
        ("analysis failed (stored unanalysed)", len(summary.failed)),
    ):
        table.add_row(what, str(count))
    out.print(table)
    for name, reason in summary.skipped:
        out.print(f"  skipped {name}: {reason}")


def _report(name: str, reason: str) -> None:
    err.print(f"[yellow]skipped[/yellow] {name}: {reason}")


def load(
    parquet_dir: Annotated[
        Path, typer.Argument(help="Directory of Parquet parts from `dateline ingest --engine ray`.")
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file.")] = Path(DEFAULT_DB),
) -> None:
    """Merge Parquet parts written on Ray into the database (repeats skipped, copies marked)."""
    from dateline.engine.load import load_parts, part_files

    if not parquet_dir.exists():
        raise typer.BadParameter(f"no such directory: {parquet_dir}", param_hint="PARQUET_DIR")
    if not part_files(parquet_dir):
        err.print(f"[red]No Parquet parts[/red] under {parquet_dir}")
        raise typer.Exit(1)
    with open_store(db) as store:
        summary = load_parts(parquet_dir, store, on_problem=_report)
    print_summary(summary, f"dateline load {parquet_dir} → {db}")
    raise typer.Exit(summary.exit_status)


def ingest_ray(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (every node must see them).")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file.")] = Path(DEFAULT_DB),
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster address (auto, ray://HOST:10001); a local Ray if not given."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Analysis actors (one model each); one per cluster CPU if not given."),
    ] = None,
    parts: Annotated[
        Path | None,
        typer.Option(help="Directory for the Parquet parts; DB.parts beside the database if not given."),
    ] = None,
    parts_only: Annotated[
        bool,
        typer.Option("--parts-only", help="Write the parts only; merge them later with `dateline load`."),
    ] = False,
    published: Annotated[str | None, typer.Option(help="Publication date for articles without one.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher for articles without one.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, text, html, jsonl or warc.")] = "auto",
    field: Annotated[list[str], typer.Option(help="JSONL field name, as NAME=KEY. Repeatable.")] = [],  # noqa: B006 - typer reads it
    actors: Annotated[list[Path], typer.Option(help="PETRARCH/Phoenix actor dictionary. Repeatable.")] = [],  # noqa: B006
    max_chars: Annotated[int, typer.Option(help="Skip articles longer than this.")] = 2_000_000,
) -> None:
    """Clean and analyse on Ray, write Parquet parts, and merge them into the database."""
    from dateline.ingest import FORMATS, IngestOptions

    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", param_hint="--format"
        )
    if "-" in paths:
        raise typer.BadParameter(
            "the Ray engine cannot read stdin: give files or directories", param_hint="PATHS"
        )
    try:
        options = IngestOptions(
            published=_iso(published, "--published"),
            publisher=publisher,
            max_chars=max_chars,
            fields=_fields(field),
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    try:
        from dateline.engine.ray_engine import ingest_to_parts
    except ImportError as error:
        if getattr(error, "name", None) not in ("ray", "pyarrow") and "ray" not in str(error):
            raise
        err.print(f"[red]{RAY_MISSING}[/red]")
        raise typer.Exit(2) from None
    target = parts or db.with_name(db.name + ".parts")
    run = ingest_to_parts(
        paths, target, options=options, fmt=fmt, workers=workers, actor_files=actors, address=address
    )
    out.print(f"Ray run {run.run}: {run.files} input files, parts in {run.parts}")
    if parts_only:
        out.print(f"merge them with: dateline load {run.parts} --db {db}")
        return
    # No parts when there was nothing to read: then the load stores nothing, as local ingest does.
    from dateline.engine.load import load_parts

    with open_store(db) as store:
        summary = load_parts(run.parts, store, on_problem=_report)
    print_summary(summary, f"dateline ingest --engine ray → {db}")
    raise typer.Exit(summary.exit_status)
