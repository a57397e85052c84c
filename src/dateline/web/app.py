"""The HTTP API and the web pages: thin skins over :mod:`dateline.store.queries`.

Every page answers as JSON too (``?format=json``), and each has an ``/api`` twin. The server
holds the database file; requests read through cursors of a shared connection, and an ingest in
another process writes through the loopback-only ``/_writer`` endpoints (see
:mod:`dateline.web.database` and :mod:`dateline.store.shared`).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

import anyio.to_thread
import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from dateline.record import record_from_dict
from dateline.store import Store
from dateline.store import queries as q
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
    Literal["day", "month", "year"] | None,
    Query(description="Bucket size; chosen from the span when absent."),
]
JSON_OR_HTML: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/html": {}, "application/json": {}},
        "description": "The page, or its data as JSON.",
    }
}


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


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
    place: Text = None,
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
        "Every page also answers as JSON with `?format=json`.",
        version=_version(),
    )
    app.state.db_path = path
    app.state.database = database
    app.state.writer_token = token
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["actor_url"] = render.actor_url
    templates.env.globals["quad_names"] = q.QUAD_CLASS_NAMES
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page(request: Request, template: str, data: Any, fmt: str, **context: Any) -> Response:
        if fmt == "json":
            return JSONResponse(data)
        return templates.TemplateResponse(
            request, template, {"data": data, "page_url": _page_url(request), **context}
        )

    _install_error_handlers(app, templates)
    _install_writer(app, database, token)

    # -- JSON API ---------------------------------------------------------------------------------

    @app.get("/api/articles", tags=["api"], summary="Articles, newest first")
    def api_articles(db: Db, filters: Annotated[q.ArticleFilter, Depends(article_filter)]) -> dict[str, Any]:
        return q.list_articles(db, filters).to_dict()

    @app.get("/api/articles/{article_id}", tags=["api"], summary="One article with everything found in it")
    def api_article(db: Db, article_id: str) -> dict[str, Any]:
        return _article_or_404(db, article_id)

    @app.get("/api/search", tags=["api"], summary="Articles whose title or text holds every word")
    def api_search(db: Db, filters: Annotated[q.SearchFilter, Depends(search_filter)]) -> dict[str, Any]:
        return q.search(db, filters).to_dict()

    @app.get("/api/events", tags=["api"], summary="Coded events, filtered")
    def api_events(db: Db, filters: Annotated[q.EventFilter, Depends(event_filter)]) -> dict[str, Any]:
        return q.list_events(db, filters).to_dict()

    @app.get("/api/actors", tags=["api"], summary="Actor codes with their counts")
    def api_actors(db: Db, filters: Annotated[q.ActorFilter, Depends(actor_filter)]) -> dict[str, Any]:
        return q.list_actors(db, filters).to_dict()

    @app.get(
        "/api/actors/{code}", tags=["api"], summary="An actor: events as source and target over time, quotes"
    )
    def api_actor(
        db: Db, code: str, interval: IntervalParam = None, limit: Limit = q.DEFAULT_LIMIT
    ) -> dict[str, Any]:
        return _actor_or_404(db, code, interval, limit)

    @app.get("/api/dyads/{a}/{b}", tags=["api"], summary="Cooperation against conflict between two actors")
    def api_dyad(
        db: Db, a: str, b: str, interval: IntervalParam = None, limit: Limit = q.DEFAULT_LIMIT
    ) -> dict[str, Any]:
        return _filter(lambda: q.dyad(db, a, b, interval, limit))

    @app.get("/api/quotes", tags=["api"], summary="Quotes with their speakers")
    def api_quotes(db: Db, filters: Annotated[q.QuoteFilter, Depends(quote_filter)]) -> dict[str, Any]:
        return q.list_quotes(db, filters).to_dict()

    @app.get("/api/quantities", tags=["api"], summary="Quantities with their units")
    def api_quantities(
        db: Db, filters: Annotated[q.QuantityFilter, Depends(quantity_filter)]
    ) -> dict[str, Any]:
        return q.list_quantities(db, filters).to_dict()

    @app.get("/api/stats", tags=["api"], summary="Counts by table, day, publisher, CAMEO root and QuadClass")
    def api_stats(db: Db) -> dict[str, Any]:
        return q.stats(db)

    @app.get("/api/map", tags=["api"], summary="Event places as map points")
    def api_map(db: Db, filters: Annotated[q.EventFilter, Depends(event_filter)]) -> dict[str, Any]:
        return q.event_places(db, filters)

    # -- pages ------------------------------------------------------------------------------------

    @app.get("/", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def home(request: Request, db: Db, format: Format = "html") -> Response:
        data = {
            "counts": db.counts(),
            "recent_events": q.list_events(db, q.EventFilter(limit=15)).to_dict(),
            "recent_articles": q.list_articles(db, q.ArticleFilter(limit=10)).to_dict(),
            "top_actors": q.list_actors(db, q.ActorFilter(limit=12)).to_dict(),
        }
        return page(request, "home.html", data, format)

    @app.get("/articles", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def articles_page(
        request: Request,
        db: Db,
        filters: Annotated[q.ArticleFilter, Depends(article_filter)],
        format: Format = "html",
    ) -> Response:
        return page(request, "articles.html", q.list_articles(db, filters).to_dict(), format)

    @app.get("/articles/{article_id}", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def article_page(request: Request, db: Db, article_id: str, format: Format = "html") -> Response:
        data = _article_or_404(db, article_id)
        if format == "json":
            return JSONResponse(data)
        return page(request, "article.html", data, format, text_html=render.article_html(data))

    @app.get("/search", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def search_page(
        request: Request,
        db: Db,
        q_: Annotated[str | None, Query(alias="q", max_length=q.MAX_TEXT)] = None,
        limit: Limit = q.DEFAULT_LIMIT,
        offset: Offset = 0,
        format: Format = "html",
    ) -> Response:
        text = _blank_to_none(q_)
        data = (
            q.search(db, _filter(lambda: q.SearchFilter(q=text, limit=limit, offset=offset))).to_dict()
            if text
            else q.Results([], 0, limit, offset).to_dict()
        )
        return page(request, "search.html", data, format, query=text or "")

    @app.get("/events", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def events_page(
        request: Request,
        db: Db,
        filters: Annotated[q.EventFilter, Depends(event_filter)],
        format: Format = "html",
    ) -> Response:
        return page(request, "events.html", q.list_events(db, filters).to_dict(), format)

    @app.get("/actors", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def actors_page(
        request: Request,
        db: Db,
        filters: Annotated[q.ActorFilter, Depends(actor_filter)],
        format: Format = "html",
    ) -> Response:
        return page(request, "actors.html", q.list_actors(db, filters).to_dict(), format)

    @app.get("/actors/{code}", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def actor_page(
        request: Request,
        db: Db,
        code: str,
        interval: IntervalParam = None,
        limit: Limit = q.DEFAULT_LIMIT,
        format: Format = "html",
    ) -> Response:
        data = _actor_or_404(db, code, interval, limit)
        chart = render.actor_chart(data) if format == "html" else None
        return page(request, "actor.html", data, format, chart=chart)

    @app.get("/dyads/{a}/{b}", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def dyad_page(
        request: Request,
        db: Db,
        a: str,
        b: str,
        interval: IntervalParam = None,
        limit: Limit = q.DEFAULT_LIMIT,
        format: Format = "html",
    ) -> Response:
        data = _filter(lambda: q.dyad(db, a, b, interval, limit))
        chart = render.dyad_chart(data) if format == "html" else None
        return page(request, "dyad.html", data, format, chart=chart)

    @app.get("/quotes", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def quotes_page(
        request: Request,
        db: Db,
        filters: Annotated[q.QuoteFilter, Depends(quote_filter)],
        format: Format = "html",
    ) -> Response:
        return page(request, "quotes.html", q.list_quotes(db, filters).to_dict(), format)

    @app.get("/quantities", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def quantities_page(
        request: Request,
        db: Db,
        filters: Annotated[q.QuantityFilter, Depends(quantity_filter)],
        format: Format = "html",
    ) -> Response:
        return page(request, "quantities.html", q.list_quantities(db, filters).to_dict(), format)

    @app.get("/stats", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def stats_page(request: Request, db: Db, format: Format = "html") -> Response:
        return page(request, "stats.html", q.stats(db), format)

    @app.get("/map", tags=["pages"], response_class=HTMLResponse, responses=JSON_OR_HTML)
    def map_page(
        request: Request,
        db: Db,
        filters: Annotated[q.EventFilter, Depends(event_filter)],
        format: Format = "html",
    ) -> Response:
        data = q.event_places(db, filters)
        svg = render.map_svg(data["points"], str(request.url_for("static", path="world-110m.svg").path))
        return page(request, "map.html", data, format, svg=svg if format == "html" else None)

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


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/openapi", "/docs", "/redoc", "/static", WRITER_PREFIX)) and (
        request.query_params.get("format") != "json"
    )


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
        details = error.errors()
        if _wants_html(request):
            messages = [f"{'.'.join(str(p) for p in d.get('loc', ()))}: {d.get('msg')}" for d in details]
            return error_page(request, 422, "Bad parameters", messages)
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
