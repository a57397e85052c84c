"""The HTTP API and the web pages: thin skins over :mod:`dateline.store.queries`.

Every page answers as JSON too (``?format=json``), and each has an ``/api`` twin. The server
holds the database file; requests read through cursors of a shared connection, and an ingest in
another process writes through the loopback-only ``/_writer`` endpoints (see
:mod:`dateline.web.database` and :mod:`dateline.store.shared`).
"""

from __future__ import annotations

import csv
import hmac
import inspect
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_type_hints
from urllib.parse import urlencode, urlsplit

import anyio.to_thread
import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from dateline.record import record_from_dict
from dateline.store import Store
from dateline.store import queries as q
from dateline.store.export import FLAT_FORMATS as EXPORT_FORMATS
from dateline.store.export import MEDIA_TYPES, export_rows
from dateline.store.faults import DatabaseFault, Fault, classify
from dateline.store.shared import TOKEN_HEADER, WRITER_PREFIX, ServerInfo, remove_sidecar, write_sidecar
from dateline.web import render
from dateline.web.database import DatabaseBusy, ServedDatabase

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

RETRY_AFTER_SECONDS = 2
logger = logging.getLogger("dateline.web")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def default_threads() -> int:
    """Request threads: queries run in DuckDB, which parallelises each one over the cores itself,
    so a few threads a core keep them busy without piling up work that only waits."""
    return min(32, 4 * (os.cpu_count() or 1) + 4)


_DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
_CODE_PATTERN = r"^[A-Za-z0-9*?]{0,40}$"

Format = Annotated[Literal["html", "json"], Query(description="html (the page) or json (its data).")]
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description=f"Rows per page, at most {q.MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=q.MAX_OFFSET, description="Rows to skip.")]
Text = Annotated[str | None, Query(max_length=q.MAX_TEXT)]
DateBound = Annotated[
    str | None, Query(pattern=_DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD; until is inclusive.")
]
IntervalParam = Annotated[
    Literal["day", "week", "month", "year"] | None,
    Query(description="Period of the series: day, week, month or year; chosen from the span when absent."),
]
JSON_OR_HTML: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/html": {}, "application/json": {}},
        "description": "The page, or its data as JSON.",
    }
}


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _number(value: str | None, name: str) -> float | None:
    """A number from a form field, where an empty field means no filter."""
    text = _blank_to_none(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise q.QueryError(f"{name} must be a number from 0 to 1 (like 0.5), got {value!r}") from None


T = TypeVar("T")


def _filter(build: Callable[[], T]) -> T:
    try:
        return build()
    except q.QueryError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


# -- filters from query parameters --------------------------------------------------------------


def article_filter(
    q_: Annotated[
        str | None, Query(alias="q", max_length=q.MAX_TEXT, description="Words in title or text.")
    ] = None,
    since: DateBound = None,
    until: DateBound = None,
    publisher: Text = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.ArticleFilter:
    return _filter(
        lambda: q.ArticleFilter(
            q=_blank_to_none(q_),
            since=_blank_to_none(since),
            until=_blank_to_none(until),
            publisher=_blank_to_none(publisher),
            language=_blank_to_none(language),
            limit=limit,
            offset=offset,
        )
    )


def event_filter(
    actor: Annotated[
        str | None,
        Query(
            max_length=q.MAX_TEXT, description="Upper-case actor code or glob (RUSGOV, RUS*), else a name."
        ),
    ] = None,
    with_: Annotated[
        str | None, Query(alias="with", max_length=q.MAX_TEXT, description="The other actor of a dyad.")
    ] = None,
    side: Annotated[Literal["any", "source", "target"], Query(description="The actor's side.")] = "any",
    code: Annotated[
        str | None, Query(pattern=r"^[0-9*?]{0,8}$", description="CAMEO code or glob, like 05* or 0311.")
    ] = None,
    quad: Annotated[str | None, Query(pattern=r"^[1-4]?$", description="QuadClass 1 to 4.")] = None,
    since: DateBound = None,
    until: DateBound = None,
    place: Annotated[
        str | None,
        Query(
            max_length=q.MAX_TEXT, description="Place name, or a country (Russia, RU) that holds the place."
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=60, description="Country of the event's place: RU, RUS or Russia."),
    ] = None,
    min_confidence: Annotated[
        str | None, Query(max_length=20, description="Lowest confidence of the coding, 0 to 1.")
    ] = None,
    article: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9A-Za-z_-]*$")] = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.EventFilter:
    return _filter(
        lambda: q.EventFilter(
            actor=_blank_to_none(actor),
            with_actor=_blank_to_none(with_),
            side=side,
            code=_blank_to_none(code),
            quad=int(quad) if quad else None,
            since=_blank_to_none(since),
            until=_blank_to_none(until),
            place=_blank_to_none(place),
            country=_blank_to_none(country),
            min_confidence=_number(min_confidence, "min_confidence"),
            article=_blank_to_none(article),
            limit=limit,
            offset=offset,
        )
    )


def actor_filter(
    code: Annotated[
        str | None, Query(pattern=_CODE_PATTERN, description="Actor code glob, like RUS*.")
    ] = None,
    name: Text = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.ActorFilter:
    return _filter(
        lambda: q.ActorFilter(
            code=_blank_to_none(code), name=_blank_to_none(name), limit=limit, offset=offset
        )
    )


def quote_filter(
    speaker: Annotated[
        str | None, Query(max_length=q.MAX_TEXT, description="Part of the speaker's name.")
    ] = None,
    actor: Annotated[
        str | None, Query(pattern=_CODE_PATTERN, description="Speaker's actor code glob.")
    ] = None,
    kind: Annotated[Literal["direct", "partial", "indirect"] | None, Query()] = None,
    q_: Annotated[
        str | None, Query(alias="q", max_length=q.MAX_TEXT, description="Words in the quote.")
    ] = None,
    article: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9A-Za-z_-]*$")] = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.QuoteFilter:
    return _filter(
        lambda: q.QuoteFilter(
            speaker=_blank_to_none(speaker),
            actor=_blank_to_none(actor),
            kind=kind,
            q=_blank_to_none(q_),
            article=_blank_to_none(article),
            limit=limit,
            offset=offset,
        )
    )


def quantity_filter(
    unit: Annotated[
        str | None, Query(max_length=q.MAX_TEXT, description="Unit or glob (USD, perc*).")
    ] = None,
    measure: Text = None,
    article: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9A-Za-z_-]*$")] = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.QuantityFilter:
    return _filter(
        lambda: q.QuantityFilter(
            unit=_blank_to_none(unit),
            measure=_blank_to_none(measure),
            article=_blank_to_none(article),
            limit=limit,
            offset=offset,
        )
    )


def search_filter(
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=q.MAX_TEXT, description="Words to find.")],
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> q.SearchFilter:
    return _filter(lambda: q.SearchFilter(q=q_, limit=limit, offset=offset))


# -- the app ------------------------------------------------------------------------------------


def open_db(request: Request) -> Iterator[Store]:
    """The database for one request: a cursor of its own on the server's shared connection."""
    database: ServedDatabase = request.app.state.database
    with database.store() as store:
        yield store


Db = Annotated[Store, Depends(open_db)]


# -- the route table ----------------------------------------------------------------------------
#
# Each resource is declared once: its page path, the function that reads its data (its
# parameters are the query parameters, declared as FastAPI reads them), its template and what it
# downloads. `_register` makes the page (html, or json with ?format=json), its /api twin (json)
# and the downloads (csv, jsonl, parquet) from that one declaration.

Downloads = Literal["rows", "series"] | None


@dataclass(frozen=True)
class Route:
    path: str
    read: Callable[..., Any]
    template: str
    summary: str
    downloads: Downloads = None
    # Extra values for the template (charts drawn on the server), from the request and the data.
    context: Callable[[Request, Any], dict[str, Any]] | None = None
    api: bool = True
    # False when the answer depends on more than the URL and the data (a Referer).
    cached: bool = True


ListFilters = q.ArticleFilter | q.EventFilter | q.ActorFilter | q.QuoteFilter | q.QuantityFilter


def read_home(db: Db) -> dict[str, Any]:
    return {
        "counts": db.counts(),
        "recent_events": q.list_events(db, q.EventFilter(limit=15)).to_dict(),
        "recent_articles": q.list_articles(db, q.ArticleFilter(limit=10)).to_dict(),
        "top_actors": q.list_actors(db, q.ActorFilter(limit=12)).to_dict(),
    }


def read_articles(db: Db, filters: Annotated[q.ArticleFilter, Depends(article_filter)]) -> dict[str, Any]:
    return q.list_articles(db, filters).to_dict()


def read_article(
    db: Db,
    article_id: str,
    event: Annotated[
        str | None,
        Query(
            max_length=64, description="An event of the article: its sentence is marked with its evidence."
        ),
    ] = None,
) -> dict[str, Any]:
    data = _article_or_404(db, article_id)
    if event:
        found = [item for item in data["events"] if item["id"] == event or item["id"].startswith(event)]
        if len(found) != 1:
            raise HTTPException(status_code=404, detail=f"no event {event!r} in article {data['id']}")
        data["evidence"] = q.evidence_of(data, found[0])
    return data


def read_search(
    db: Db,
    q_: Annotated[
        str | None, Query(alias="q", max_length=q.MAX_TEXT, description="Words to find (all of them).")
    ] = None,
    limit: Limit = q.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    text = _blank_to_none(q_)
    if text is None:
        return {**q.Results([], 0, limit, offset).to_dict(), "query": ""}
    found = q.search(db, _filter(lambda: q.SearchFilter(q=text, limit=limit, offset=offset)))
    return {**found.to_dict(), "query": text}


def read_events(db: Db, filters: Annotated[q.EventFilter, Depends(event_filter)]) -> dict[str, Any]:
    return q.list_events(db, filters).to_dict()


def read_event(db: Db, event_id: str) -> dict[str, Any]:
    found = _filter(lambda: q.event_evidence(db, event_id))
    if found is None:
        raise HTTPException(status_code=404, detail=f"no event {event_id!r} (give its id or a unique prefix)")
    return found


def read_actors(db: Db, filters: Annotated[q.ActorFilter, Depends(actor_filter)]) -> dict[str, Any]:
    return q.list_actors(db, filters).to_dict()


def read_actor(
    db: Db, code: str, interval: IntervalParam = None, limit: Limit = q.DEFAULT_LIMIT
) -> dict[str, Any]:
    return _actor_or_404(db, code, interval, limit)


def read_dyad(
    db: Db, a: str, b: str, interval: IntervalParam = None, limit: Limit = q.DEFAULT_LIMIT
) -> dict[str, Any]:
    return _filter(lambda: q.dyad(db, a, b, interval, limit))


def read_quotes(db: Db, filters: Annotated[q.QuoteFilter, Depends(quote_filter)]) -> dict[str, Any]:
    return q.list_quotes(db, filters).to_dict()


def read_quantities(db: Db, filters: Annotated[q.QuantityFilter, Depends(quantity_filter)]) -> dict[str, Any]:
    return q.list_quantities(db, filters).to_dict()


def read_stats(db: Db) -> dict[str, Any]:
    return q.stats(db)


def read_map(db: Db, filters: Annotated[q.EventFilter, Depends(event_filter)]) -> dict[str, Any]:
    return q.event_places(db, filters)


def read_series(
    db: Db, filters: Annotated[q.EventFilter, Depends(event_filter)], interval: IntervalParam = None
) -> dict[str, Any]:
    return _filter(lambda: q.event_series(db, filters, interval))


def read_rankings(
    db: Db,
    filters: Annotated[q.EventFilter, Depends(event_filter)],
    top: Annotated[int, Query(ge=1, le=100, description="Rows in each ranking, 1 to 100.")] = 20,
    roll_up: Annotated[
        Literal["actor", "country"],
        Query(description="actor: codes as they are; country: RUSGOV and RUSMIL counted as RUS."),
    ] = "actor",
) -> dict[str, Any]:
    return _filter(lambda: q.rankings(db, filters, top, roll_up == "country"))


def _article_context(request: Request, data: Any) -> dict[str, Any]:
    return {"text_html": render.article_html(data, data.get("evidence")), "back": _came_from(request)}


def _came_from(request: Request) -> str | None:
    """The page of this site the reader came from (the Referer's path and query), or None."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    if referer.path == request.url.path:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _map_context(request: Request, data: Any) -> dict[str, Any]:
    return {"svg": render.map_svg(data["points"], str(request.url_for("static", path="world-110m.svg").path))}


ROUTES: list[Route] = [
    Route("/", read_home, "home.html", "The front page: counts, recent events and articles", api=False),
    Route("/articles", read_articles, "articles.html", "Articles, newest first", downloads="rows"),
    Route(
        "/articles/{article_id}",
        read_article,
        "article.html",
        "One article with everything found in it",
        context=_article_context,
        cached=False,
    ),
    Route("/search", read_search, "search.html", "Articles whose title or text holds every word"),
    Route("/events", read_events, "events.html", "Coded events, filtered", downloads="rows"),
    Route(
        "/events/{event_id}",
        read_event,
        "event.html",
        "One event with its evidence: sentence, marked spans, rule, model types, confidence",
    ),
    Route("/actors", read_actors, "actors.html", "Actor codes with their counts", downloads="rows"),
    Route(
        "/actors/{code}",
        read_actor,
        "actor.html",
        "An actor: events as source and target over time, partners, quotes",
        context=lambda request, data: {"chart": render.actor_chart(data)},
    ),
    Route(
        "/dyads/{a}/{b}",
        read_dyad,
        "dyad.html",
        "Cooperation against conflict between two actors over time",
        downloads="series",
        context=lambda request, data: {"chart": render.dyad_chart(data)},
    ),
    Route("/quotes", read_quotes, "quotes.html", "Quotes with their speakers", downloads="rows"),
    Route("/quantities", read_quantities, "quantities.html", "Quantities with their units", downloads="rows"),
    Route(
        "/series",
        read_series,
        "series.html",
        "Events over time (any filter): QuadClass counts and mean Goldstein per period",
        downloads="series",
        context=lambda request, data: {"chart": render.series_chart(data)},
    ),
    Route(
        "/rankings",
        read_rankings,
        "rankings.html",
        "Top dyads by conflict and by cooperation, most active actors, most quoted speakers",
    ),
    Route("/map", read_map, "map.html", "Event places as map points", context=_map_context),
    Route("/stats", read_stats, "stats.html", "Counts by table, day, publisher, CAMEO root and QuadClass"),
]

_FORMAT_HELP = (
    "html (the page), json (its data); on lists csv, jsonl or parquet download every matching row "
    "(paging ignored) in a flat layout; on series csv downloads the periods."
)


def _formats(route: Route, *, page: bool) -> tuple[str, ...]:
    downloads = {"rows": EXPORT_FORMATS, "series": ("csv",), None: ()}[route.downloads]
    return (*(("html", "json") if page else ("json",)), *downloads)


def _register(app: FastAPI, route: Route, page: Callable[..., Response]) -> None:
    """The page, its /api twin and their downloads, all from one declaration."""
    hints = get_type_hints(route.read, include_extras=True)
    parameters = [
        parameter.replace(annotation=hints[name], kind=inspect.Parameter.KEYWORD_ONLY)
        for name, parameter in inspect.signature(route.read).parameters.items()
    ]
    name = route.read.__name__.removeprefix("read_") or "home"

    def add(path: str, formats: tuple[str, ...], tags: list[str | Enum]) -> None:
        def answer(request: Request, format: str, values: dict[str, Any]) -> Response:
            data = route.read(**values)
            if format == "csv":
                return _series_csv(data, name)
            if format == "json":
                return JSONResponse(data)
            context = route.context(request, data) if route.context else {}
            return page(request, route.template, data, format, **context)

        def handler(request: Request, format: str, **values: Any) -> Response:
            if format in EXPORT_FORMATS and route.downloads == "rows":
                return _download_rows(values["db"], values["filters"], format, name)
            if not route.cached:
                return answer(request, format, values)
            # The same URL gets the same answer until the data changes: the server keeps the
            # encoded body per data version, so a burst of readers costs one rendering.
            db: Store = values["db"]
            key = response_key(request.url.path, request.scope.get("query_string", b""))

            def render_once() -> tuple[bytes, int, list[tuple[str, str]]]:
                response = answer(request, format, values)
                headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
                return bytes(response.body), response.status_code, headers

            body, status, headers = db.cached(key, render_once)
            return Response(body, status_code=status, headers=dict(headers))

        fmt = Annotated[Literal[formats], Query(description=_FORMAT_HELP)]  # type: ignore[valid-type]
        handler.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
                inspect.Parameter(
                    "format", inspect.Parameter.KEYWORD_ONLY, annotation=fmt, default=formats[0]
                ),
                *parameters,
            ],
            return_annotation=Response,
        )
        extra: dict[str, Any] = {}
        if "html" in formats:
            extra = {"response_class": HTMLResponse, "responses": JSON_OR_HTML}
        app.add_api_route(
            path,
            handler,
            methods=["GET"],
            tags=tags,
            summary=route.summary,
            name=f"{tags[0]}_{name}",
            **extra,
        )

    if route.api:
        add("/api" + (route.path if route.path != "/" else ""), _formats(route, page=False), ["api"])
    add(route.path, _formats(route, page=True), ["pages"])


def response_key(path: str, query: bytes) -> tuple[str, str, bytes]:
    return ("response", path, query)


class CachedAnswers:
    """Answers a GET whose encoded answer the server remembers for the current data version
    before routing: no thread, no cursor, no filter parsing for the pages a crowd is reading."""

    def __init__(self, app: Any, database: ServedDatabase) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = self.database.cache.peek(response_key(scope["path"], scope.get("query_string", b"")))
            if hit is not None:
                body, status, headers = hit
                await Response(body, status_code=status, headers=dict(headers))(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _download_rows(db: Store, filters: ListFilters, fmt: str, name: str) -> Response:
    """Every row matching the filters, written by DuckDB to a temporary file (constant memory)
    and streamed from there; the file goes when the response is sent."""
    folder = Path(tempfile.mkdtemp(prefix="dateline-download-"))
    path = folder / f"{name}.{fmt}"
    try:
        export_rows(db, filters, fmt, path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[fmt],
        filename=f"dateline-{name}.{fmt}",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _series_csv(data: dict[str, Any], name: str) -> Response:
    """A series as CSV: one row a period, then the events dated more coarsely, marked as such."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["granularity", *q.SERIES_COLUMNS])
    for row in data["series"]:
        writer.writerow([data["interval"], *(row.get(column) for column in q.SERIES_COLUMNS)])
    for row in data.get("apart", []):
        writer.writerow([row["granularity"], *(row.get(column) for column in q.SERIES_COLUMNS)])
    return Response(
        out.getvalue(),
        media_type=MEDIA_TYPES["csv"],
        headers={"Content-Disposition": f'attachment; filename="dateline-{name}-series.csv"'},
    )


def _install_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from the assets of the fastapi-offline package, served here: the
    docs work with no network."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="dateline API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="dateline API",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )


def create_app(
    db_path: str | Path,
    *,
    writer_url: str | None = None,
    threads: int | None = None,
    on_busy: Callable[[str], None] | None = None,
    read_only: bool = False,
) -> FastAPI:
    """The web app over one database file, which the app holds while it runs.

    With ``writer_url`` (the address the server listens on), the app publishes a sidecar beside
    the database so that `dateline ingest` in another process finds it and writes through it.
    """
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}: run `dateline ingest PATH --db {path}` first")
    database = ServedDatabase(path, on_change=lambda: _warm_up(database), read_only=read_only)
    token = os.urandom(24).hex()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads or default_threads()
        database.open(on_busy)
        if writer_url:
            write_sidecar(path, ServerInfo(writer_url, os.getpid(), token, str(path)))
        try:
            yield
        finally:
            if writer_url:
                remove_sidecar(path, token)
            database.close()

    app = FastAPI(
        lifespan=lifespan,
        title="dateline",
        description="Articles, actors, CAMEO events, quotes and quantities from a dateline database. "
        "Every page also answers as JSON with `?format=json`; every list downloads all the rows that "
        "match its filters with `?format=csv`, `jsonl` or `parquet`.",
        version=_version(),
        # Served from this server (see _install_docs): the default pages load from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = path
    app.state.database = database
    app.state.writer_token = token
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["actor_url"] = render.actor_url
    templates.env.globals["quad_names"] = q.QUAD_CLASS_NAMES
    templates.env.globals["sentence_html"] = render.sentence_html
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page(request: Request, template: str, data: Any, fmt: str, **context: Any) -> Response:
        if fmt == "json":
            return JSONResponse(data)
        return templates.TemplateResponse(
            request,
            template,
            {"data": data, "page_url": _page_url(request), "query_string": _filter_query(request), **context},
        )

    _install_error_handlers(app, templates)
    _install_writer(app, database, token)
    app.add_middleware(CachedAnswers, database=database)

    for route in ROUTES:
        _register(app, route, page)
    _install_docs(app)

    return app


def _warm_up(database: ServedDatabase) -> None:
    """Compute the pages everyone opens first (default filters) for the new data version, so the
    first burst of requests after a commit waits on one computation that has already begun."""
    with database.store() as store:
        q.stats(store)
        store.counts()
        q.list_actors(store, q.ActorFilter(limit=12))
        q.list_actors(store, q.ActorFilter())
        q.list_events(store, q.EventFilter(limit=15))
        q.list_events(store, q.EventFilter())
        q.list_articles(store, q.ArticleFilter(limit=10))
        q.list_articles(store, q.ArticleFilter())
        q.list_quotes(store, q.QuoteFilter())


def _install_writer(app: FastAPI, database: ServedDatabase, token: str) -> None:
    """Endpoints through which an ingest in another process reads what it needs and writes.

    Only from this machine, and only with the token from the sidecar (which only the server's
    user can read); not in the API docs.
    """

    def check(request: Request) -> None:
        client = request.client.host if request.client else ""
        given = request.headers.get(TOKEN_HEADER, "")
        if client not in LOOPBACK or not hmac.compare_digest(given, token):
            raise HTTPException(status_code=403, detail="writes are taken from this machine's dateline only")

    Checked = Depends(check)

    @app.get(f"{WRITER_PREFIX}/ping", include_in_schema=False, dependencies=[Checked])
    def ping() -> dict[str, Any]:
        return {"db": str(database.path), "version": database.version, "open": database.is_open}

    @app.get(f"{WRITER_PREFIX}/ids", include_in_schema=False, dependencies=[Checked])
    def ids() -> list[str]:
        with database.store() as store:
            return sorted(store.ids())

    @app.post(f"{WRITER_PREFIX}/stored", include_in_schema=False, dependencies=[Checked])
    async def stored(request: Request) -> list[dict[str, Any]]:
        article_ids = [str(article) for article in _json_body(await request.body(), list)]

        def look() -> list[dict[str, Any]]:
            with database.store() as store:
                return [vars(found) for found in store.stored(article_ids).values()]

        return await run_in_threadpool(look)

    @app.get(f"{WRITER_PREFIX}/minhashes", include_in_schema=False, dependencies=[Checked])
    def minhashes() -> list[Any]:
        with database.store() as store:
            return [[article, list(values)] for article, values in store.minhashes()]

    @app.post(f"{WRITER_PREFIX}/has_url", include_in_schema=False, dependencies=[Checked])
    async def has_url(request: Request) -> bool:
        url = str(_json_body(await request.body(), dict).get("url", ""))

        def look() -> bool:
            with database.store() as store:
                return store.has_url(url)

        return await run_in_threadpool(look)

    @app.post(f"{WRITER_PREFIX}/write", include_in_schema=False, dependencies=[Checked])
    async def write(request: Request) -> dict[str, Any]:
        body = await request.body()

        def store_batch() -> dict[str, Any]:
            # Parsed in a worker thread: a batch of long articles is megabytes of JSON.
            data = _json_body(body, dict)
            try:
                records = [record_from_dict(item) for item in data["records"]]
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise HTTPException(status_code=400, detail=f"not a batch of records: {error}") from None
            admitted = database.admit(records, {key: list(value) for key, value in data["minhashes"].items()})
            return {**admitted.to_dict(), "version": database.version}

        return await run_in_threadpool(store_batch)


def _json_body(body: bytes, kind: type) -> Any:
    """A writer call's JSON body, or 400 (a client's fault, not the server's)."""
    try:
        value = json.loads(body)
    except ValueError as error:
        raise HTTPException(status_code=400, detail=f"invalid JSON: {error}") from None
    if not isinstance(value, kind):
        raise HTTPException(status_code=400, detail=f"expected a JSON {kind.__name__}")
    return value


def _version() -> str:
    from dateline import __version__

    return __version__


def _article_or_404(db: Store, article_id: str) -> dict[str, Any]:
    data = q.get_article(db, article_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
    return data


def _actor_or_404(db: Store, code: str, interval: str | None, limit: int) -> dict[str, Any]:
    data = _filter(lambda: q.actor_profile(db, code, interval, limit))
    if data is None:
        raise HTTPException(status_code=404, detail=f"no actor {code!r}")
    return data


def _page_url(request: Request) -> Callable[..., str]:
    """A link to this page with some query parameters changed (None drops one)."""

    def url(**changes: Any) -> str:
        params = {key: value for key, value in request.query_params.items() if key != "format"}
        for key, value in changes.items():
            key = key.rstrip("_")
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return request.url.path + ("?" + urlencode(params) if params else "")

    return url


def _filter_query(request: Request) -> str:
    """This page's filters as a query string (no paging, no format), for links to other views."""
    kept = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("format", "limit", "offset", "interval", "top", "roll_up") and value
    ]
    return urlencode(kept)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/openapi", "/docs", "/redoc", "/static", WRITER_PREFIX)) and (
        request.query_params.get("format") != "json"
    )


# What each query parameter accepts, in words: a validation error names the parameter, what it
# takes and what it got, never a regular expression.
ACCEPTS = {
    "limit": f"a whole number from 1 to {q.MAX_LIMIT}",
    "offset": f"a whole number from 0 to {q.MAX_OFFSET}",
    "since": "a date as YYYY, YYYY-MM or YYYY-MM-DD",
    "until": "a date as YYYY, YYYY-MM or YYYY-MM-DD",
    "quad": "a QuadClass from 1 to 4",
    "code": "a CAMEO code or a glob of digits, * and ? (like 05* or 0311)",
    "actor": "an actor code or glob of letters, digits, * and ? (like RUSGOV or RUS*)",
    "side": "any, source or target",
    "kind": "direct, partial or indirect",
    "interval": "day, week, month or year",
    "article": "an article id (letters, digits, - and _)",
    "min_confidence": "a number from 0 to 1 (like 0.5)",
    "top": "a whole number from 1 to 100",
    "roll_up": "actor or country",
}


def human_message(detail: Any) -> str:
    """One validation error as a sentence: the parameter, what it accepts, what it got."""
    location = [str(part) for part in detail.get("loc", ()) if part not in ("query", "path")]
    name = ".".join(location) or "the request"
    kind = str(detail.get("type", ""))
    given = detail.get("input")
    if kind == "missing":
        return f"{name} is required"
    if kind == "literal_error":
        expected = str(detail.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"{name} must be {expected}, got {given!r}"
    accepts = ACCEPTS.get(name)
    if accepts and kind not in ("string_too_long",):
        return f"{name} must be {accepts}, got {given!r}"
    return f"{name}: {detail.get('msg')}"


def _install_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    def error_page(request: Request, status: int, title: str, messages: list[str]) -> Response:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "title": title, "messages": messages, "data": None},
            status_code=status,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, error: RequestValidationError) -> Response:
        details = [{**d, "msg": human_message(d)} for d in error.errors()]
        if _wants_html(request):
            return error_page(request, 422, "Bad parameters", [d["msg"] for d in details])
        return JSONResponse(
            {"detail": [{k: v for k, v in d.items() if k in ("loc", "msg", "type")} for d in details]},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _wants_html(request):
            title = {404: "Not found", 422: "Bad parameters"}.get(error.status_code, "Error")
            return error_page(request, error.status_code, title, [str(error.detail)])
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, error: ClientDisconnect) -> Response:
        # The client went away mid-upload: nobody reads the answer, and it is no server fault.
        return Response(status_code=400)

    @app.exception_handler(DatabaseFault)
    @app.exception_handler(duckdb.Error)
    async def database_fault(request: Request, error: Exception) -> Response:
        fault = classify(error, request.app.state.db_path)
        if fault is None:
            raise error
        status = 503 if fault.fault in (Fault.HELD, Fault.HELD_BY_SERVER) else 500
        message = str(fault)
        if fault.fault is Fault.DAMAGED:
            message += f"; the rest may still answer: `dateline check {fault.path}` says what is readable"
        logger.warning("%s %s: %s", request.method, request.url.path, message)
        if _wants_html(request):
            return error_page(request, status, "Database fault", [message])
        # The fault's name lets an ingest writing through the server stop with the same status.
        return JSONResponse(
            {"detail": message, "fault": fault.fault.name, "reason": fault.reason}, status_code=status
        )

    @app.exception_handler(DatabaseBusy)
    async def busy(request: Request, error: DatabaseBusy) -> Response:
        message = "the database is busy (another process is writing to it); try again in a moment"
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _wants_html(request):
            response = error_page(request, 503, "Database busy", [message])
            response.headers.update(headers)
            return response
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
