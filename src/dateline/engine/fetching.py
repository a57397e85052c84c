"""Runs over the web on the command line: `dateline watch`, and the `--urls` part of `dateline ingest`.

`watch` is a typer command as it stands (``app.command()(watch)``); :func:`ingest_urls` is what
`dateline ingest --urls FILE` calls with the IngestRun it has set up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dateline.ingest.fetch import Fetcher, FetchSettings, fetch_urls, parse_interval, read_url_list
from dateline.ingest.fetch import watch as watch_feeds
from dateline.record import RawDoc
from dateline.store import DEFAULT_DB

if TYPE_CHECKING:
    from dateline.engine.local import IngestRun, IngestSummary
    from dateline.ingest.options import IngestError

err = Console(stderr=True, soft_wrap=True)


def fetch_settings(rate: float = 1.0, timeout: float = 10.0) -> FetchSettings:
    """Fetch settings from the command-line options, or a usage error naming the bad one."""
    try:
        return FetchSettings(requests_per_second=rate, timeout=timeout)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def ingest_urls(
    run: IngestRun, urls_file: str | Path, *, settings: FetchSettings | None = None
) -> IngestSummary:
    """Fetch the pages listed in ``urls_file`` (``-`` for stdin) that are not stored yet, and store them."""
    with Fetcher(settings) as fetcher:
        items = fetch_urls(
            read_url_list(urls_file), fetcher=fetcher, options=run.options, skip=run.store.has_url
        )
        return run.run_items(items)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs.", show_default=False)],
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 1h, 1h30m.")] = "15m",
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file.")] = Path(DEFAULT_DB),
    rounds: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many polls (default: never).")
    ] = None,
    rate: Annotated[float, typer.Option(help="Requests per second to any one host.")] = 1.0,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server.")] = 10.0,
    actors: Annotated[list[Path], typer.Option(help="PETRARCH/Phoenix actor dictionary. Repeatable.")] = [],  # noqa: B006 - typer reads the default, never mutates it
    wait: Annotated[
        float,
        typer.Option(min=0, help="Seconds to wait for a database held by another process (not a server)."),
    ] = 600.0,
) -> None:
    """Poll feeds and store their new articles, until stopped (Ctrl-C) or after --rounds polls.

    Beside a running `dateline serve` of the same database, the articles are written through it.
    """
    from dateline.engine.local import IngestRun, IngestSummary
    from dateline.pipeline import Pipeline
    from dateline.store.faults import DatabaseFault
    from dateline.store.shared import SharedStore

    try:
        seconds = parse_interval(every)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--every") from None
    settings = fetch_settings(rate, timeout)
    totals: Counter[str] = Counter()
    store = SharedStore(db, wait=wait, on_note=lambda note: err.print(f"[cyan]note[/cyan] {note}"))
    with store, Fetcher(settings) as fetcher:
        run = IngestRun(
            store=store,
            analyser=Pipeline.with_dictionaries(actors),
            on_problem=lambda name, reason: err.print(f"[yellow]skipped[/yellow] {name}: {reason}"),
        )

        def run_once(items: Iterator[RawDoc | IngestError]) -> None:
            # A fresh summary each round keeps a long watch from piling up every skipped URL.
            run.summary = IngestSummary()
            round_summary = run.run_items(items)
            totals.update(_counts(round_summary))
            err.print(
                f"poll: {round_summary.stored} stored, {round_summary.already_stored} already stored, "
                f"{len(round_summary.skipped)} skipped"
            )

        try:
            done = watch_feeds(
                feeds, seconds, run_once, max_rounds=rounds, fetcher=fetcher, skip=store.has_url
            )
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="FEEDS") from None
        except KeyboardInterrupt:
            done = -1
        except DatabaseFault as error:
            err.print(f"[red]error[/red] {error}; {totals['stored']} articles stored before", highlight=False)
            raise typer.Exit(error.status) from None
    polls = "stopped" if done < 0 else f"{done} poll{'s' if done != 1 else ''}"
    err.print(
        f"watch {polls}: {totals['stored']} stored ({totals['analysed']} analysed), "
        f"{totals['already_stored']} already stored, {totals['skipped']} skipped, "
        f"{totals['failed']} not analysed → {db}"
    )


def _counts(summary: IngestSummary) -> Counter[str]:
    return Counter(
        stored=summary.stored,
        analysed=summary.analysed,
        already_stored=summary.already_stored,
        skipped=len(summary.skipped),
        failed=len(summary.failed),
    )
