"""The `dateline` command: a thin skin over the library (ingest, process, store queries)."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup
from typer.exceptions import TyperException

from dateline.engine.commands import load as load_parts
from dateline.engine.fetching import watch as watch_feeds
from dateline.events.model import MODEL_ENVIRONMENT
from dateline.store import DEFAULT_DB, Store
from dateline.store import queries as q
from dateline.store.faults import INTERNAL_STATUS, INTERRUPTED_STATUS, classify
from dateline.training.commands import evaluate as evaluate_gold
from dateline.training.commands import train as train_model
from dateline.web.commands import COMMANDS as EXPLORE_COMMANDS
from dateline.web.commands import (
    ActorOption,
    ArticleOption,
    CodeOption,
    ConfidenceOption,
    CountryOption,
    DbOption,
    JsonOption,
    PlaceOption,
    QuadOption,
    SideOption,
    WaitOption,
    WithOption,
    emit,
    emit_page,
    event_filter,
    open_held,
    stream_rows,
)

out = Console()
err = Console(stderr=True, soft_wrap=True)
# Set by --debug (or DATELINE_DEBUG=1): errors then show their traceback.
_debug = bool(os.environ.get("DATELINE_DEBUG"))


def _db_argument(args: list[str]) -> str:
    """The database a command was given (--db), for a message about it."""
    for index, arg in enumerate(args):
        if arg == "--db" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--db="):
            return arg[len("--db=") :]
    return DEFAULT_DB


class _Commands(TyperGroup):
    """Every command, with every fault said in one line and its own exit status, never a traceback.

    The statuses are listed in the README ("Faults and exit statuses").
    """

    def invoke(self, ctx: Any) -> Any:
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/yellow]")
            raise typer.Exit(INTERRUPTED_STATUS) from None
        except Exception as error:
            if _debug:
                raise
            fault = classify(error, _db_argument(args))
            if fault is not None:
                err.print(f"[red]error[/red] {fault}", markup=True, highlight=False)
                raise typer.Exit(fault.status) from None
            first_line = str(error).splitlines()[0] if str(error) else ""
            err.print(
                f"[red]internal error[/red] {type(error).__name__}: {first_line}"
                " (a bug: `dateline --debug ...` shows where)",
                highlight=False,
            )
            raise typer.Exit(INTERNAL_STATUS) from None


app = typer.Typer(
    cls=_Commands,
    help="News in, event data out: clean articles, actors, events, quotes and quantities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error (for a bug report).")
    ] = False,
    model: Annotated[
        Path | None,
        typer.Option(help="an event-type model made by `dateline train`, used instead of the shipped one"),
    ] = None,
) -> None:
    """News in, event data out: clean articles, actors, events, quotes and quantities."""
    global _debug
    _debug = _debug or debug
    if model is not None:
        if not model.is_file():
            err.print(f"[red]{model}[/red]: no such model file")
            raise typer.Exit(2)
        # Through the environment, so that the worker processes of an ingest read it too.
        os.environ[MODEL_ENVIRONMENT] = str(model.resolve())


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def _store(db: Path, *, read_only: bool = True, transient: bool = False) -> Iterator[Store]:
    if read_only and not db.exists():
        err.print(f"[red]No database at {db}[/red]: run `dateline ingest PATH --db {db}` first.")
        raise typer.Exit(2)
    store = open_held(db, read_only=read_only, transient=transient)
    try:
        yield store
    finally:
        store.close()


def _parse_fields(fields: list[str]) -> dict[str, str]:
    mapping = {}
    for item in fields:
        name, sep, key = item.partition("=")
        if not sep or not name or not key:
            raise typer.BadParameter(f"expected NAME=KEY, got {item!r}", param_hint="--field")
        mapping[name] = key
    return mapping


def _check_date(value: str | None, option: str) -> str | None:
    from dateline.pipeline import iso_date

    try:
        return iso_date(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO date: {value!r}", param_hint=option) from None


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, directories, or - for stdin.")] = None,
    db: DbOption = Path(DEFAULT_DB),
    published: Annotated[str | None, typer.Option(help="Publication date for articles without one.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher for articles without one.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="auto, text, html, jsonl or warc.", case_sensitive=False)
    ] = "auto",
    field: Annotated[
        list[str], typer.Option(help="JSONL field name, as NAME=KEY (e.g. text=body). Repeatable.")
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    actors: Annotated[list[Path], typer.Option(help="PETRARCH/Phoenix actor dictionary. Repeatable.")] = [],  # noqa: B006
    max_chars: Annotated[int, typer.Option(help="Skip articles longer than this.")] = 2_000_000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Analysis processes (one model each).")] = 1,
    urls: Annotated[
        Path | None, typer.Option("--urls", help="File of page URLs to fetch, one a line (- for stdin).")
    ] = None,
    rate: Annotated[float, typer.Option(help="--urls: requests per second to any one host.")] = 1.0,
    timeout: Annotated[float, typer.Option(help="--urls: seconds to wait for a server.")] = 10.0,
    engine: Annotated[str, typer.Option(help="local (this machine) or ray (a Ray cluster).")] = "local",
    address: Annotated[
        str | None,
        typer.Option(help="--engine ray: cluster address (auto, ray://HOST:10001); local if absent."),
    ] = None,
    parts: Annotated[
        Path | None, typer.Option(help="--engine ray: folder for the Parquet parts (default DB.parts).")
    ] = None,
    parts_only: Annotated[
        bool, typer.Option("--parts-only", help="--engine ray: write the parts; merge later with `load`.")
    ] = False,
    wait: WaitOption = 600.0,
) -> None:
    """Read articles (files, directories, stdin or fetched URLs), analyse them and store them."""
    from dateline.engine.commands import ingest_on_ray, print_summary
    from dateline.engine.fetching import fetch_settings, ingest_urls
    from dateline.engine.local import Analyser, IngestRun
    from dateline.engine.pool import PoolAnalyser
    from dateline.ingest import FORMATS, IngestOptions
    from dateline.pipeline import Pipeline
    from dateline.store.shared import SharedStore

    if not paths and urls is None:
        raise typer.BadParameter("give PATHS or --urls")
    settings = fetch_settings(rate, timeout)
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", param_hint="--format"
        )
    try:
        options = IngestOptions(
            published=_check_date(published, "--published"),
            publisher=publisher,
            max_chars=max_chars,
            fields=_parse_fields(field),
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    if engine not in ("local", "ray"):
        raise typer.BadParameter("local or ray", param_hint="--engine")
    if engine == "ray":
        if urls is not None or not paths:
            raise typer.BadParameter("the Ray engine reads files and directories, not --urls")
        ray_workers = workers if workers > 1 else None
        ray_summary = ingest_on_ray(
            paths, db, options=options, fmt=fmt, workers=ray_workers, actors=actors,
            address=address, parts=parts, parts_only=parts_only,
        )  # fmt: skip
        if ray_summary is not None:
            print_summary(ray_summary, f"dateline ingest --engine ray → {db}")
            raise typer.Exit(ray_summary.exit_status)
        return
    # The file itself, or the running `dateline serve` that holds it (dateline.store.shared); a
    # file that cannot be written is refused here, before the model is loaded.
    store = SharedStore(db, wait=wait, on_note=lambda note: err.print(f"[cyan]note[/cyan] {note}"))
    analyser: Analyser = PoolAnalyser(workers, actors) if workers > 1 else Pipeline.with_dictionaries(actors)
    with store, _progress() as advance, _stopped_by_sigterm() as stop:
        run = IngestRun(
            store=store,
            options=options,
            fmt=fmt,
            analyser=analyser,
            on_article=advance,
            on_problem=lambda name, reason: err.print(f"[yellow]skipped[/yellow] {name}: {reason}"),
            stop=stop,
        )
        try:
            summary = run.run(paths) if paths else run.summary
            if urls is not None and not stop.is_set():
                summary = ingest_urls(run, urls, settings=settings)
        except Exception as error:
            fault = classify(error, db)
            if fault is None or _debug:
                raise
            err.print(
                f"[red]error[/red] {fault}; this run stored {run.summary.stored} articles before "
                "(kept; run the ingest again to finish)",
                highlight=False,
            )
            raise typer.Exit(fault.status) from None
        finally:
            if isinstance(analyser, PoolAnalyser):
                analyser.close()
    if stop.is_set():
        err.print(f"stopped (SIGTERM) after storing {summary.stored} articles; run the ingest again to go on")
    print_summary(summary, f"dateline ingest → {db}")
    raise typer.Exit(summary.exit_status)


@contextmanager
def _stopped_by_sigterm() -> Iterator[threading.Event]:
    """An event set by SIGTERM: the ingest stops taking inputs, writes what it has and exits 0."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress() -> Iterator[Any]:
    """A progress bar (articles/s) on a terminal; nothing when stderr is a pipe or a file."""
    if not err.is_terminal:
        yield None
        return
    progress = Progress(
        TextColumn("articles"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with progress:
        task = progress.add_task("ingest", total=None, rate="")

        def advance() -> None:
            progress.advance(task)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:.1f}/s" if speed else "")

        yield advance


@app.command()
def process(
    file: Annotated[Path, typer.Argument(help="One article: a file in any format, or - for stdin text.")],
    published: Annotated[str | None, typer.Option(help="Publication date (ISO).")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher, if the article does not say.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the whole record of one article, without a database."""
    import dateline

    published = _check_date(published, "--published")
    try:
        source: Path | str = sys.stdin.read() if str(file) == "-" else file
        if isinstance(source, Path) and not source.exists():
            raise typer.BadParameter(f"no such file: {source}", param_hint="FILE")
        record = dateline.process(source, published=published, publisher=publisher)
    except ValueError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(1) from None
    if as_json:
        _print_json(record.to_dict())
        return
    _show_record(record.to_dict())


def _show_record(data: dict[str, Any]) -> None:
    dl = data.get("dateline") or {}
    out.print(f"[bold]{data.get('title') or '(no title)'}[/bold]  [dim]{data['id']}[/dim]")
    out.print(
        f"published {data.get('published') or '?'} · publisher {data.get('publisher') or '?'} · "
        f"language {data.get('language') or '?'} · "
        f"dateline {dl.get('place') or '-'} ({dl.get('agency') or '-'})"
    )
    if data.get("duplicate_of"):
        out.print(f"syndicated copy of {data['duplicate_of']}")
    if data.get("near_duplicate_of"):
        out.print(f"near-duplicate of {data['near_duplicate_of']}")
    out.print(
        f"{len(data['text'])} characters, {len(data['repairs'])} repairs, "
        f"{len(data['removed'])} removed spans"
    )
    if data["entities"]:
        emit(data["entities"], ["name", "type", "role", "actor", "country"], title="entities")
    if data["events"]:
        rows = [
            {
                "cameo": e["cameo"],
                "source": ", ".join(a["actor"] or a["name"] for a in e["source"]),
                "target": ", ".join(a["actor"] or a["name"] for a in e["target"]),
                "trigger": e["trigger"]["text"],
                "date": e["date"],
                "id": e["id"],
            }
            for e in data["events"]
        ]
        emit(rows, ["cameo", "source", "target", "trigger", "date", "id"], title="events")
    if data["quotes"]:
        rows = [
            {"kind": q["kind"], "speaker": (q["speaker"] or {}).get("name"), "text": q["text"][:90]}
            for q in data["quotes"]
        ]
        emit(rows, ["kind", "speaker", "text"], title="quotes")
    if data["quantities"]:
        emit(data["quantities"], ["value", "unit", "measure", "when", "qualifier"], title="quantities")


@app.command()
def reprocess(
    db: DbOption = Path(DEFAULT_DB),
    everything: Annotated[bool, typer.Option("--all", help="Every article, not only stale ones.")] = False,
    actors: Annotated[list[Path], typer.Option(help="PETRARCH/Phoenix actor dictionary. Repeatable.")] = [],  # noqa: B006
) -> None:
    """Run the current stages again on stored articles of an older pipeline version."""
    from dateline.engine.local import reprocess as run_reprocess
    from dateline.pipeline import Pipeline

    with _store(db, read_only=False) as store, _progress() as advance:
        pipeline = Pipeline.with_dictionaries(actors)
        done = run_reprocess(store, pipeline, everything=everything, on_article=advance)
    out.print(f"reprocessed {done} articles")


@app.command()
def show(
    article: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Show one stored article with its entities, events, quotes and quantities."""
    with _store(db) as store:
        record = store.get(article)
    if record is None:
        err.print(f"[red]No article {article!r}[/red] in {db}")
        raise typer.Exit(1)
    if as_json:
        _print_json(record.to_dict())
    else:
        _show_record(record.to_dict())


@app.command()
def articles(
    db: DbOption = Path(DEFAULT_DB),
    since: Annotated[
        str | None, typer.Option(help="Published on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (inclusive).")] = None,
    publisher: Annotated[str | None, typer.Option(help="Part of the publisher's name.")] = None,
    words: Annotated[
        str | None, typer.Option("--words", help="Words in the title or text (all of them).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language code, like en.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=q.MAX_LIMIT, help=f"Rows, at most {q.MAX_LIMIT}.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Rows to skip.")] = 0,
    as_json: JsonOption = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print every matching article as CSV (flat layout).")
    ] = False,
) -> None:
    """List stored articles, newest first, filtered as on the articles page."""
    try:
        filters = q.ArticleFilter(
            q=words,
            since=since,
            until=until,
            publisher=publisher,
            language=language,
            limit=limit,
            offset=offset,
        )
    except q.QueryError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from None
    if as_csv:
        stream_rows(db, filters, "csv")
        return
    with _store(db) as store:
        results = q.list_articles(store, filters)
    emit_page(
        results,
        ["id", "published", "publisher", "title", "language", "events", "duplicate_of"],
        as_json=as_json,
        as_csv=False,
        title="articles",
        rows=[{**row, "id": row["id"][:12]} for row in results.items] if not as_json else None,
        narrow=["id", "published", "publisher", "title", "events"],
    )


@app.command()
def explain(
    event: Annotated[str, typer.Argument(help="Event id (a unique prefix is enough).")],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Show why an event was coded: its sentence with trigger and arguments marked, and the rule.
    The web page /events/ID shows the same."""
    from dateline.events import explain as explain_event

    with _store(db) as store:
        found, matches = q.find_event_id(store, event)
        record = None
        if found is not None:
            article_id = store.query("SELECT article_id FROM events WHERE id = ?", [found])[0]["article_id"]
            record = store.get(article_id)
    chosen = [e for e in record.events if e.id == found] if record else []
    if not chosen or record is None:
        err.print(
            f"[red]No event {event!r}[/red] in {db}" + (" (the prefix is ambiguous)" if matches > 1 else "")
        )
        raise typer.Exit(1)
    out.print(explain_event(record, chosen[0]), markup=False, highlight=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="gdelt, parquet, jsonl or csv.")] = "gdelt",
    table: Annotated[
        str,
        typer.Option(
            help="What to write in parquet, jsonl or csv: events, articles, quotes or quantities in the flat "
            "layout of the downloads, or another store table (entities, mentions, event_groups) as stored."
        ),
    ] = "events",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (gdelt, csv, jsonl: stdout when absent)."),
    ] = None,
    header: Annotated[
        bool, typer.Option("--header", help="gdelt: a first line of GDELT's column names.")
    ] = False,
    actor: ActorOption = None,
    with_actor: WithOption = None,
    side: SideOption = "any",
    code: CodeOption = None,
    since: Annotated[str | None, typer.Option(help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (inclusive).")] = None,
    quad: QuadOption = None,
    place: PlaceOption = None,
    country: CountryOption = None,
    min_confidence: ConfidenceOption = None,
    article: ArticleOption = None,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Write events (the same filters as `dateline events` and the events page) as GDELT 2.0 event
    rows or in a flat, typed layout as Parquet, CSV or JSON Lines; or any store table."""
    from dateline.store.export import EXPORTABLE, FORMATS, export_rows, export_table, write_gdelt, write_rows

    if fmt not in FORMATS:
        raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    if table not in EXPORTABLE:
        raise typer.BadParameter(f"one of {', '.join(EXPORTABLE)}", param_hint="--table")
    filtered = (
        any(
            value is not None
            for value in (
                actor,
                with_actor,
                code,
                since,
                until,
                quad,
                place,
                country,
                min_confidence,
                article,
            )
        )
        or side != "any"
    )
    filters = event_filter(
        actor, with_actor, side, code, quad, since, until, place, country, min_confidence, article
    )
    flat: dict[str, object] = {
        "events": filters,
        "articles": q.ArticleFilter(),
        "quotes": q.QuoteFilter(),
        "quantities": q.QuantityFilter(),
    }
    if filtered and fmt != "gdelt" and table != "events":
        raise typer.BadParameter(
            "the filters choose events: use them with --table events", param_hint="--table"
        )
    with _store(db) as store:
        if fmt == "gdelt":
            chosen = filters if filtered else None
            if output is None:
                write_gdelt(store, sys.stdout, header=header, filters=chosen)
                return
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = write_gdelt(store, handle, header=header, filters=chosen)
            err.print(f"wrote {count} event groups to {output}")
            return
        if output is None:
            if fmt == "parquet" or table not in flat:
                raise typer.BadParameter(f"{fmt} of {table} needs a file", param_hint="--output")
            write_rows(store, flat[table], fmt, sys.stdout)
            return
        count = (
            export_rows(store, flat[table], fmt, output)
            if table in flat
            else export_table(store, table, fmt, output)
        )
    err.print(f"wrote {count} rows of {table} to {output}")


@app.command()
def check(
    db: Annotated[Path, typer.Argument(help="The database file to check.")],
    salvage: Annotated[
        Path | None, typer.Option(help="Copy every readable row into this new database file.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Verify a database: every block against its checksum, schema version, orphans, duplicates.

    Exit status 0 when it is whole, 6 when something is damaged (what is readable is listed).
    """
    from dateline.store.check import check as check_database
    from dateline.store.shared import find_server

    if not db.is_file():
        err.print(f"[red]No database at {db}[/red]")
        raise typer.Exit(2)
    server = find_server(db, timeout=2.0)
    if server is not None:
        err.print(
            f"[red]error[/red] {db}: held by the dateline server at {server.url}; stop it to check the file"
        )
        raise typer.Exit(3)
    report = check_database(db, salvage)
    if as_json:
        _print_json(report.to_dict())
        raise typer.Exit(report.status)
    rows = [
        {
            "table": t.name,
            "rows": t.rows,
            "readable": t.readable,
            "state": "ok" if t.whole else f"damaged: {t.error}",
        }
        for t in report.tables
    ]
    emit(rows, ["table", "rows", "readable", "state"], title=f"dateline check {db}")
    out.print(f"schema version {report.schema_version or '(not recorded)'}")
    for problem in report.problems:
        out.print(f"[red]problem[/red] {problem}", highlight=False)
    if salvage is not None:
        copied = ", ".join(f"{table} {count}" for table, count in report.salvaged.items())
        out.print(f"salvaged into {salvage}: {copied}", highlight=False)
    if not report.problems:
        out.print("[green]ok[/green]: every block read and matched its checksum; no orphans, no duplicates")
    raise typer.Exit(report.status)


for _command in EXPLORE_COMMANDS:
    app.command()(_command)
app.command("watch")(watch_feeds)
app.command("load")(load_parts)
app.command("evaluate")(evaluate_gold)
app.command("train")(train_model)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
