"""The engines on the command line: `dateline ingest --engine ray`, `dateline load`, and the summary
every ingest prints.

:func:`load` is a typer command, registered by :mod:`dateline.cli`. Importing
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
    from dateline.ingest import IngestOptions

out = Console()
err = Console(stderr=True, soft_wrap=True)

RAY_MISSING = "Ray is not installed: pip install 'dateline[ray]'"


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


def report_problem(name: str, reason: str) -> None:
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
        summary = load_parts(parquet_dir, store, on_problem=report_problem)
    print_summary(summary, f"dateline load {parquet_dir} → {db}")
    raise typer.Exit(summary.exit_status)


def ingest_on_ray(
    paths: list[str],
    db: Path,
    *,
    options: IngestOptions,
    fmt: str,
    workers: int | None,
    actors: list[Path],
    address: str | None,
    parts: Path | None,
    parts_only: bool,
) -> IngestSummary | None:
    """`dateline ingest --engine ray`: clean and analyse on Ray into Parquet parts, then load them.

    Returns the load's summary, or None with ``parts_only`` (the parts are merged later with
    `dateline load`).
    """
    if "-" in paths:
        raise typer.BadParameter(
            "the Ray engine cannot read stdin: give files or directories", param_hint="PATHS"
        )
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
        return None
    # No parts when there was nothing to read: then the load stores nothing, as local ingest does.
    from dateline.engine.load import load_parts

    with open_store(db) as store:
        return load_parts(run.parts, store, on_problem=report_problem)
