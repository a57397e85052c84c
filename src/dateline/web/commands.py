"""CLI commands over the query layer: `serve`, `events`, `quotes`, `actors`, `quantities`, `stats`,
`search`. Plain typer-compatible functions; ``dateline.cli`` registers them (``app.command()(events)``).

On a terminal they print readable tables (rich); ``--json`` or ``--csv`` print data for pipes.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from dateline.store import DEFAULT_DB, Store, open_store
from dateline.store import queries as q

out = Console()
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.", readable=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (for pipes).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (for pipes).")]
LimitOption = Annotated[int, typer.Option(min=1, max=q.MAX_LIMIT, help=f"Rows, at most {q.MAX_LIMIT}.")]
OffsetOption = Annotated[int, typer.Option(min=0, max=q.MAX_OFFSET, help="Rows to skip.")]
SinceOption = Annotated[str | None, typer.Option(help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")]
UntilOption = Annotated[
    str | None, typer.Option(help="On or before (inclusive): YYYY, YYYY-MM or YYYY-MM-DD.")
]


WaitOption = Annotated[
    float,
    typer.Option(
        min=0,
        help="Seconds to wait for a database held by another process that is not a dateline server.",
    ),
]


# How long a read waits for a file another process holds (an ingest writes in short batches and
# lets go of the file in between); said at once, not after the wait.
READ_WAIT_SECONDS = 5.0


def open_held(db: Path, *, read_only: bool, transient: bool = False) -> Store:
    """Open the file, or say at once, in one line, why not: a dateline server holds it (exit
    status 3), another process does (4, after a short wait), or the file itself is at fault."""
    import time

    from dateline.store.faults import DatabaseFault, Fault
    from dateline.store.shared import find_server

    server = find_server(db, timeout=2.0)
    if server is not None:
        raise DatabaseFault(
            Fault.HELD_BY_SERVER,
            str(db),
            f"{server.url} (pid {server.pid}); ask it (its JSON API "
            f"is at {server.url}/docs), or stop it first; `dateline ingest` and `watch` write through it",
        )
    deadline = time.monotonic() + READ_WAIT_SECONDS
    told = False
    while True:
        try:
            return open_store(db, read_only=read_only, transient=transient, retries=1)
        except DatabaseFault as fault:
            if fault.fault is not Fault.HELD or time.monotonic() >= deadline:
                raise
            if not told:
                err.print(
                    f"[cyan]note[/cyan] {db} is held by another process ({fault.reason}); "
                    f"waiting up to {READ_WAIT_SECONDS:g} s"
                )
                told = True
            time.sleep(0.2)


@contextmanager
def _reading(db: Path) -> Iterator[Store]:
    if not db.is_file():
        err.print(f"[red]No database at {db}[/red]: run `dateline ingest PATH --db {db}` first.")
        raise typer.Exit(2)
    store = open_held(db, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _run(db: Path, ask: Callable[[Store], Any]) -> Any:
    """Answer a question of the store; a bad filter is a usage error with its message."""
    try:
        with _reading(db) as store:
            return ask(store)
    except q.QueryError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from None


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# Below this terminal width a table shows only its essential columns: a table folded into 80
# columns a word a line cannot be read.
NARROW = 100


def emit(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    as_json: bool = False,
    as_csv: bool = False,
    title: str = "",
    narrow: list[str] | None = None,
) -> None:
    """Rows as JSON, CSV (every column, nested values as JSON) or a table of ``columns`` (of
    ``narrow`` on a terminal narrower than 100 columns)."""
    if as_json and as_csv:
        raise typer.BadParameter("give --json or --csv, not both")
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if as_csv:
        fields = list(rows[0]) if rows else columns
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _flat(row.get(key)) for key in fields})
        return
    if narrow and out.width < NARROW:
        columns = narrow
    table = Table(title=title or None)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_flat(row.get(column)) for column in columns))
    out.print(table)


def emit_page(
    results: q.Results,
    columns: list[str],
    *,
    as_json: bool,
    as_csv: bool,
    title: str,
    rows: list[dict[str, Any]] | None = None,
    narrow: list[str] | None = None,
) -> None:
    """One page of results (``rows`` when reshaped for a table), then where it lies in the whole."""
    emit(
        results.items if rows is None else rows,
        columns,
        as_json=as_json,
        as_csv=as_csv,
        title=title,
        narrow=narrow,
    )
    if not (as_json or as_csv):
        shown = len(results.items)
        err.print(
            f"[dim]{results.offset + 1 if shown else 0}–{results.offset + shown} of {results.total}[/dim]"
        )


def _names(arguments: list[dict[str, Any]]) -> str:
    return ", ".join(a.get("actor") or a.get("name") or "?" for a in arguments)


# The event filters, the same as the events page's (and its URL parameters).
ActorOption = Annotated[
    str | None,
    typer.Option(help="Actor code or glob (RUSGOV, RUS*; RUS takes in RUSGOV) or part of a name (Putin)."),
]
WithOption = Annotated[
    str | None, typer.Option("--with", help="The other actor of a dyad: events between the two.")
]
SideOption = Annotated[
    str, typer.Option(help="The actor's side: any, source or target (with --with: the direction).")
]
CodeOption = Annotated[str | None, typer.Option(help="CAMEO code or glob, like '05*' (05 takes in 051).")]
QuadOption = Annotated[int | None, typer.Option(min=1, max=4, help="QuadClass 1-4.")]
PlaceOption = Annotated[
    str | None, typer.Option(help="Place name, or a country that holds it (Russia finds Moscow).")
]
CountryOption = Annotated[str | None, typer.Option(help="Country of the event's place: RU, RUS or Russia.")]
ConfidenceOption = Annotated[
    float | None, typer.Option("--min-confidence", min=0, max=1, help="Lowest confidence, 0 to 1.")
]
ArticleOption = Annotated[str | None, typer.Option(help="Article id (or prefix).")]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="Print every matching row as JSON Lines.")]


def event_filter(
    actor: str | None = None,
    with_actor: str | None = None,
    side: str = "any",
    code: str | None = None,
    quad: int | None = None,
    since: str | None = None,
    until: str | None = None,
    place: str | None = None,
    country: str | None = None,
    min_confidence: float | None = None,
    article: str | None = None,
    limit: int = q.DEFAULT_LIMIT,
    offset: int = 0,
) -> q.EventFilter:
    """The filter from the options; a bad value is a usage error naming the option."""
    try:
        return q.EventFilter(
            actor=actor,
            with_actor=with_actor,
            side=side,  # type: ignore[arg-type]
            code=code,
            quad=quad,
            since=since,
            until=until,
            place=place,
            country=country,
            min_confidence=min_confidence,
            article=article,
            limit=limit,
            offset=offset,
        )
    except q.QueryError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from None


def stream_rows(db: Path, filters: object, fmt: str, limit: int | None = None) -> None:
    """Every row matching ``filters`` (or the first ``limit``) to stdout, in the flat layout of
    the downloads, as CSV or JSON Lines, a batch at a time."""
    from dateline.store.export import write_rows

    with _reading(db) as store:
        write_rows(store, filters, fmt, sys.stdout, limit=limit)


def events(
    db: DbOption = Path(DEFAULT_DB),
    actor: ActorOption = None,
    with_actor: WithOption = None,
    side: SideOption = "any",
    code: CodeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    quad: QuadOption = None,
    place: PlaceOption = None,
    country: CountryOption = None,
    min_confidence: ConfidenceOption = None,
    article: ArticleOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help=f"Rows (a table or --json: {q.DEFAULT_LIMIT}, at most {q.MAX_LIMIT}; "
            "--csv and --jsonl: all).",
        ),
    ] = None,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print every matching row as CSV (flat layout).")
    ] = False,
    as_jsonl: JsonlOption = False,
) -> None:
    """Coded events, newest first, filtered as on the events page: actor, directed dyad, CAMEO
    code, dates, QuadClass, place, country, confidence. --csv and --jsonl print all the matches
    in the flat layout of `dateline export`; a table or --json print one page."""
    if as_csv or as_jsonl:
        if as_csv and as_jsonl:
            raise typer.BadParameter("give --csv or --jsonl, not both")
        chosen = event_filter(actor, with_actor, side, code, quad, since, until, place, country,
                              min_confidence, article)  # fmt: skip
        stream_rows(db, chosen, "csv" if as_csv else "jsonl", limit)
        return
    if limit is not None and limit > q.MAX_LIMIT:
        raise typer.BadParameter(
            f"at most {q.MAX_LIMIT} rows a page (--csv or --jsonl print all)", param_hint="--limit"
        )
    filters = event_filter(actor, with_actor, side, code, quad, since, until, place, country, min_confidence,
                           article, limit or q.DEFAULT_LIMIT, offset)  # fmt: skip
    results: q.Results = _run(db, lambda store: q.list_events(store, filters))
    rows = results.items
    if not as_json:
        rows = [
            {
                **row,
                "source": _names(row["source"]),
                "target": _names(row["target"]),
                "article": row["article_id"][:10],
            }
            for row in rows
        ]
    emit_page(
        results,
        [
            "date",
            "source",
            "cameo",
            "cameo_name",
            "target",
            "trigger",
            "quad_class",
            "goldstein",
            "place",
            "article",
        ],
        as_json=as_json,
        as_csv=False,
        title="events",
        rows=rows,
        narrow=["date", "source", "cameo", "target", "quad_class", "goldstein"],
    )


def quotes(
    db: DbOption = Path(DEFAULT_DB),
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    actor: Annotated[str | None, typer.Option(help="Speaker's actor code or glob (RUS*).")] = None,
    kind: Annotated[str | None, typer.Option(help="direct, partial or indirect.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in the quote.")] = None,
    article: Annotated[str | None, typer.Option(help="Article id (or prefix).")] = None,
    limit: LimitOption = q.DEFAULT_LIMIT,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Quotes with their speakers."""
    results: q.Results = _run(
        db,
        lambda store: q.list_quotes(
            store,
            q.QuoteFilter(
                speaker=speaker, actor=actor, kind=kind, q=text, article=article, limit=limit, offset=offset
            ),
        ),
    )
    emit_page(
        results,
        ["published", "speaker", "actor", "kind", "text"],
        as_json=as_json,
        as_csv=as_csv,
        title="quotes",
    )


def actors(
    db: DbOption = Path(DEFAULT_DB),
    code: Annotated[str | None, typer.Option(help="Actor code glob, like 'RUS*'.")] = None,
    name: Annotated[str | None, typer.Option(help="Part of a name the actor is known by.")] = None,
    limit: LimitOption = q.DEFAULT_LIMIT,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Actor codes with their names and how often each is a source, a target and a speaker."""
    results: q.Results = _run(
        db,
        lambda store: q.list_actors(store, q.ActorFilter(code=code, name=name, limit=limit, offset=offset)),
    )
    rows = results.items
    if not (as_json or as_csv):
        rows = [{**row, "names": ", ".join(row["names"][:3])} for row in rows]
    emit_page(
        results,
        ["code", "names", "as_source", "as_target", "quotes", "articles"],
        as_json=as_json,
        as_csv=as_csv,
        title="actors",
        rows=rows,
    )


def quantities(
    db: DbOption = Path(DEFAULT_DB),
    unit: Annotated[str | None, typer.Option(help="Unit or glob (USD, 'perc*').")] = None,
    measure: Annotated[str | None, typer.Option(help="Measure, like money.")] = None,
    article: Annotated[str | None, typer.Option(help="Article id (or prefix).")] = None,
    limit: LimitOption = q.DEFAULT_LIMIT,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Quantities found in articles, with their units."""
    results: q.Results = _run(
        db,
        lambda store: q.list_quantities(
            store, q.QuantityFilter(unit=unit, measure=measure, article=article, limit=limit, offset=offset)
        ),
    )
    emit_page(
        results,
        ["published", "text", "value", "unit", "measure", "when", "qualifier"],
        as_json=as_json,
        as_csv=as_csv,
        title="quantities",
    )


def search(
    words: Annotated[str, typer.Argument(help="Words to find (all of them) in titles and text.")],
    db: DbOption = Path(DEFAULT_DB),
    limit: LimitOption = q.DEFAULT_LIMIT,
    offset: OffsetOption = 0,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Articles whose title or text holds every word (no DuckDB extension needed)."""
    results: q.Results = _run(
        db, lambda store: q.search(store, q.SearchFilter(q=words, limit=limit, offset=offset))
    )
    emit_page(
        results,
        ["id", "published", "publisher", "title"],
        as_json=as_json,
        as_csv=as_csv,
        title="search",
    )


def stats(db: DbOption = Path(DEFAULT_DB), as_json: JsonOption = False) -> None:
    """Counts: rows per table, articles and events per day, articles per publisher, events per root."""
    result: dict[str, Any] = _run(db, q.stats)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    tables = [{"table": table, "rows": count} for table, count in result["tables"].items()]
    emit(tables, ["table", "rows"], title="stored")
    emit(
        result["by_day"],
        ["day", "articles", "events"],
        title=f"by day (the latest {len(result['by_day'])}; every day: /series?interval=day)",
    )
    if result["by_period"]:
        emit(
            result["by_period"],
            ["period", "granularity", "events"],
            as_json=False,
            as_csv=False,
            title="events dated only to a month or a year",
        )
    emit(result["by_publisher"], ["publisher", "articles"], title="by publisher")
    if result["by_root"]:
        emit(
            result["by_root"],
            ["root", "name", "events"],
            as_json=False,
            as_csv=False,
            title="events by CAMEO root",
        )
    if result["by_quad"]:
        emit(
            result["by_quad"],
            ["quad_class", "name", "events", "goldstein_mean"],
            as_json=False,
            as_csv=False,
            title="events by QuadClass",
        )


# Seconds in-flight requests get to finish after SIGTERM or Ctrl-C; then they are cut off.
GRACEFUL_STOP = 3


def _writer_url(host: str, port: int) -> str | None:
    """Where an ingest on this machine reaches the server, or None when it cannot (the server
    takes writes from loopback only)."""
    if host in ("0.0.0.0", "::", ""):
        return f"http://127.0.0.1:{port}"
    if host == "localhost" or host.startswith("127."):
        return f"http://{host}:{port}"
    if host == "::1":
        return f"http://[::1]:{port}"
    return None


def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    threads: Annotated[
        int | None, typer.Option(min=1, max=256, help="Request threads (default: 4 a core + 4, at most 32).")
    ] = None,
) -> None:
    """Serve the web pages and the JSON API (docs at /docs) over the database.

    The server holds the database file while it runs; `dateline ingest` and `dateline watch` on
    this machine find it (DB.server.json beside the file) and write through it, and the pages
    show their articles as soon as each batch is committed. SIGTERM or Ctrl-C stop it.
    """
    import signal

    import uvicorn

    from dateline.store.faults import check_database_file, writable_fault
    from dateline.web import create_app
    from dateline.web.guard import install_log_filters, server_options

    if not db.is_file():
        err.print(f"[red]No database at {db}[/red]: run `dateline ingest PATH --db {db}` first.")
        raise typer.Exit(2)
    # A foreign or damaged file is refused now, with its reason, not answered 503 for ever.
    check_database_file(db)
    # Media it cannot write, and databases of another user, are served without a single write.
    cannot_write = writable_fault(db)
    read_only = cannot_write is not None or db.stat().st_uid != os.geteuid()
    if read_only:
        why = cannot_write.reason if cannot_write else "the file is another user's"
        err.print(f"[yellow]note[/yellow] serving {db} read-only ({why}): it takes no writes")
    writer_url = None if read_only else _writer_url(host, port)
    if writer_url is None and not read_only:
        err.print(f"[yellow]note[/yellow] listening on {host} only: ingests cannot write through this server")

    def busy(reason: str) -> None:
        err.print(
            f"[yellow]note[/yellow] {db} is held by another process ({reason}); answering 503 "
            "until it lets go"
        )

    app = create_app(db, writer_url=writer_url, threads=threads, on_busy=busy, read_only=read_only)
    install_log_filters()
    err.print(f"dateline: serving {db} on http://{host}:{port}/ (API docs at /docs)")
    # uvicorn stops gracefully on SIGTERM and then raises the signal again, which would end the
    # process with status 143; a stop asked for is a clean exit (0).
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: None)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=GRACEFUL_STOP,
            **server_options(),
        )
    finally:
        signal.signal(signal.SIGTERM, previous)


COMMANDS: list[Callable[..., None]] = [serve, events, quotes, actors, quantities, search, stats]

__all__ = [
    "COMMANDS",
    "WaitOption",
    "actors",
    "emit",
    "events",
    "open_held",
    "quantities",
    "quotes",
    "search",
    "serve",
    "stats",
]
