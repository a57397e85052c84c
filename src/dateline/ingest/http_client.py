"""A polite HTTP client for pages and feeds: one host at a time, robots.txt obeyed, bodies bounded.

Every request to a host, robots.txt and retries included, waits for that host's turn: by default
one second after both the start and the end of the previous request to it, or longer when
robots.txt asks for a crawl delay. Connection
failures, 429 and 5xx answers are tried again after an exponentially growing wait, or the wait
the server names in Retry-After; a slow answer (a read timeout) is not, since asking an
overloaded server again only adds to its load. Redirects are followed here rather than inside
httpx so that each hop is checked against its own host's robots.txt and rate limit.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from dateline.ingest.decoding import charset_from_content_type, declared_html_charset, decode_text

USER_AGENT = "dateline/0.1 (+https://example.invalid/dateline)"

# Media types worth downloading: web pages, XML and the feed formats feedparser reads.
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
    }
)
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"
)
_CONNECTION_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# RFC 9309: a robots.txt that cannot be fetched (5xx, no connection) means "disallow all" for now;
# ask again after this long rather than keep a host closed for the whole robots.txt lifetime.
_ROBOTS_UNREACHABLE_TTL = 600.0


class FetchError(Exception):
    """A URL that could not be fetched; ``transient`` when trying later may well succeed."""

    def __init__(self, reason: str, *, transient: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.status = status


class _RetryLater(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch.

    ``requests_per_second`` is per host. ``timeout`` bounds connecting and each wait for data;
    ``total_timeout`` the whole of one response, so a server trickling bytes cannot hold us.
    ``retries`` are the attempts after the first; the first back-off is ``backoff`` seconds and
    each next one twice as long. A Retry-After or crawl delay longer than ``max_wait`` is not
    waited for: the URL fails (as transient) instead. ``max_bytes`` caps a decoded body.
    """

    user_agent: str = USER_AGENT
    requests_per_second: float = 1.0
    timeout: float = 10.0
    total_timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 120.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    robots_ttl: float = 24 * 3600.0
    trust_env: bool = True

    def __post_init__(self) -> None:
        positive = {
            "requests_per_second": self.requests_per_second,
            "timeout": self.timeout,
            "total_timeout": self.total_timeout,
            "max_bytes": self.max_bytes,
        }
        for name, value in positive.items():
            if value <= 0:
                raise ValueError(f"{name} must be positive, not {value}")
        for name, count in {"retries": self.retries, "max_redirects": self.max_redirects}.items():
            if count < 0:
                raise ValueError(f"{name} must not be negative, not {count}")
        if self.backoff < 0 or self.max_wait < 0:
            raise ValueError("backoff and max_wait must not be negative")

    @property
    def interval(self) -> float:
        return 1.0 / self.requests_per_second


@dataclass(frozen=True)
class Page:
    """One successful answer: the URL asked for, where it ended after redirects, and the body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body as text (raises ``DecodingError``): UTF-8, else the declared charset, else detected."""
        declared = charset_from_content_type(self.content_type) or declared_html_charset(self.body)
        return decode_text(self.body, declared)


class HostRateLimiter:
    """Spaces requests to each host: a caller reserves the host's next slot, then sleeps until it.

    Reserving under a lock and sleeping outside it keeps the spacing when several threads share
    one limiter, and lets requests to other hosts go ahead meanwhile.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, interval: float | None = None) -> float:
        """Sleep until ``host`` may be asked again; the seconds slept."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + max(self.interval, interval or 0.0)
        if start > now:
            self._sleep(start - now)
        return start - now

    def defer(self, host: str, seconds: float) -> None:
        """Hold back the next request to ``host`` for at least ``seconds`` from now."""
        with self._lock:
            until = self._clock() + seconds
            self._next[host] = max(self._next.get(host, until), until)


@dataclass
class _RobotsRules:
    parser: urllib.robotparser.RobotFileParser
    expires: float
    unreachable: str | None = None


def host_key(url: str) -> str:
    """The host a URL is rate-limited under: its name and port, without user info."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _accepted(content_type: str) -> bool:
    kind = media_type(content_type)
    # No Content-Type at all: let the parser judge the body rather than refuse a page outright.
    return not kind or kind in ACCEPTED_TYPES or kind.endswith("+xml")


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches URLs politely; one per run, so that rate limits and robots.txt are shared."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings or FetchSettings()
        self._own_client = client is None
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            trust_env=self.settings.trust_env,
        )
        self._clock = clock
        self.limiter = HostRateLimiter(self.settings.interval, clock=clock, sleep=sleep)
        self._robots: dict[str, _RobotsRules] = {}
        # Hosts that asked (by Retry-After) for a longer rest than we wait for, and until when.
        self._resting: dict[str, float] = {}
        self.requests = 0

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Page:
        """The page at ``url`` (a 304 too, when ``headers`` make the request conditional).

        Raises :class:`FetchError` for a URL robots.txt disallows, an error status, a media
        type that is neither HTML, XML nor a feed, a body over the size cap, or a network failure.
        """
        return self._follow(url, headers, check_robots=True)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (robots.txt is fetched once per host and cached)."""
        rules = self._robots_rules(url)
        return rules.unreachable is None and rules.parser.can_fetch(self.settings.user_agent, url)

    def _follow(self, url: str, headers: Mapping[str, str] | None, *, check_robots: bool) -> Page:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {current}")
            if check_robots:
                self._check_robots(current)
            page = self._with_retries(current, headers, check_type=check_robots)
            if page.status not in _REDIRECTS:
                return Page(url, current, page.status, page.content_type, page.body, page.headers)
            location = page.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {page.status} redirect without a Location", status=page.status)
            current = urljoin(current, location)
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _check_robots(self, url: str) -> None:
        rules = self._robots_rules(url)
        if rules.unreachable is not None:
            raise FetchError(
                f"robots.txt of {_origin(url)} could not be read ({rules.unreachable}): not fetching",
                transient=True,
            )
        if not rules.parser.can_fetch(self.settings.user_agent, url):
            raise FetchError(f"disallowed by {_origin(url)}/robots.txt")

    def _robots_rules(self, url: str) -> _RobotsRules:
        origin = _origin(url)
        rules = self._robots.get(origin)
        if rules is None or rules.expires <= self._clock():
            rules = self._read_robots(origin)
            self._robots[origin] = rules
        return rules

    def _read_robots(self, origin: str) -> _RobotsRules:
        """The rules of one origin, after RFC 9309: a 4xx means no rules, a failure means no access."""
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        expires = self._clock() + self.settings.robots_ttl
        try:
            page = self._follow(f"{origin}/robots.txt", None, check_robots=False)
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500 and error.status != 429:
                parser.parse([])
                return _RobotsRules(parser, expires)
            parser.parse(["User-agent: *", "Disallow: /"])
            return _RobotsRules(parser, self._clock() + _ROBOTS_UNREACHABLE_TTL, unreachable=error.reason)
        parser.parse(page.body.decode("utf-8", errors="replace").splitlines())
        rules = _RobotsRules(parser, expires)
        # The crawl delay holds from the fetch of robots.txt itself, before the first page.
        self.limiter.defer(host_key(origin), self._delay_in(rules))
        return rules

    def _crawl_delay(self, url: str) -> float:
        rules = self._robots.get(_origin(url))
        return self._delay_in(rules) if rules else 0.0

    def _delay_in(self, rules: _RobotsRules) -> float:
        delay = rules.parser.crawl_delay(self.settings.user_agent)
        try:
            return min(float(delay or 0.0), self.settings.max_wait)
        except (TypeError, ValueError):
            return 0.0

    def _with_retries(self, url: str, headers: Mapping[str, str] | None, *, check_type: bool) -> Page:
        host = host_key(url)
        attempt = 0
        while True:
            try:
                return self._request(url, headers, check_type=check_type)
            except _RetryLater as retry:
                tries = attempt + 1
                if attempt >= self.settings.retries:
                    raise FetchError(
                        f"{retry.reason} (gave up after {tries} attempt{'s' if tries > 1 else ''})",
                        transient=True,
                    ) from None
                wait = max(self.settings.backoff * 2**attempt, retry.retry_after or 0.0)
                if wait > self.settings.max_wait:
                    self._resting[host] = self._clock() + wait
                    raise FetchError(
                        f"{retry.reason}; asked to wait {wait:.0f} s, "
                        f"longer than the {self.settings.max_wait:.0f} s we wait",
                        transient=True,
                    ) from None
                # Deferring the host, not sleeping here, also holds back every other URL of that host.
                self.limiter.defer(host, wait)
                attempt += 1

    def _request(self, url: str, headers: Mapping[str, str] | None, *, check_type: bool) -> Page:
        host = host_key(url)
        resting_for = self._resting.get(host, 0.0) - self._clock()
        if resting_for > 0:
            raise FetchError(
                f"{host} asked us to wait another {resting_for:.0f} s: not fetching", transient=True
            )
        spacing = max(self.settings.interval, self._crawl_delay(url))
        self.limiter.wait(host, spacing)
        self.requests += 1
        started = self._clock()
        try:
            with self._client.stream("GET", url, headers=self._headers(headers)) as response:
                return self._read_response(url, response, started, check_type=check_type)
        except _CONNECTION_ERRORS as error:
            raise _RetryLater(f"connection failed: {type(error).__name__}: {error}") from None
        except httpx.TimeoutException:
            raise FetchError(
                f"no answer within {self.settings.timeout:g} s (timed out)", transient=True
            ) from None
        except httpx.InvalidURL as error:
            raise FetchError(f"invalid URL: {error}") from None
        except httpx.DecodingError as error:
            raise FetchError(f"undecodable body: {error}") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{type(error).__name__}: {error}", transient=True) from None
        finally:
            # Counted from the end of this answer as well as from its start: a slow server gets
            # its full pause, and scheduling delays on our side never bunch two requests up.
            self.limiter.defer(host, spacing)

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        # Set on each request, not on the client, so that a client passed in identifies us too.
        return {"User-Agent": self.settings.user_agent, "Accept": _ACCEPT, **(extra or {})}

    def _read_response(self, url: str, response: httpx.Response, started: float, *, check_type: bool) -> Page:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _RetryLater(f"HTTP {status}", retry_after_seconds(response.headers.get("retry-after")))
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip(), status=status)
        content_type = response.headers.get("content-type", "")
        headers = dict(response.headers)
        if status in _REDIRECTS or status == 304:
            return Page(url, url, status, content_type, b"", headers)
        if check_type and not _accepted(content_type):
            raise FetchError(f"not a page or feed: content type {media_type(content_type)}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_bytes:
            raise FetchError(
                f"too large: {int(declared):,} bytes, over the {self.settings.max_bytes:,} byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise FetchError(f"too large: over the {self.settings.max_bytes:,} byte limit")
            if self._clock() - started > self.settings.total_timeout:
                raise FetchError(
                    f"body not received within {self.settings.total_timeout:g} s", transient=True
                )
            chunks.append(chunk)
        return Page(url, url, status, content_type, b"".join(chunks), headers)
