"""Pages from the web to RawDocs: URL lists, RSS/Atom feeds, and feeds watched on an interval.

Pages are fetched politely (see :mod:`dateline.ingest.http_client`) and go through the same
HTML extraction as a page read from a file. A URL that cannot be fetched or holds no article
becomes a :class:`PageError` in the stream, which an ingest run reports and skips.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.ingest.decoding import DecodingError
from dateline.ingest.feeds import FeedItem, Validators, clean_url, feed_item_urls, is_web_url
from dateline.ingest.http_client import USER_AGENT, Fetcher, FetchError, FetchSettings
from dateline.ingest.options import IngestError, IngestOptions
from dateline.ingest.records import finish, normalise_date
from dateline.ingest.webpage import extract_html
from dateline.record import RawDoc

Item = RawDoc | IngestError

# A URL that failed for a passing reason (timeout, 503) is tried again in this many rounds of a
# watch before it is given up on until the watch restarts.
TRANSIENT_ROUNDS = 3
# A watch remembers the URLs it has dealt with for this many rounds after a feed last listed
# them; older ones are forgotten (the store still knows the stored ones), so memory stays bounded.
REMEMBER_ROUNDS = 100

_INTERVAL_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_INTERVAL_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([smhd]?)", re.IGNORECASE)
_TRAILING_COMMENT = re.compile(r"\s+#.*$")

__all__ = [
    "USER_AGENT",
    "FeedItem",
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "PageError",
    "feed_item_urls",
    "fetch_items",
    "fetch_urls",
    "parse_interval",
    "read_url_list",
    "watch",
]


@dataclass(frozen=True)
class PageError(IngestError):
    """A URL that could not be fetched or read; a ``transient`` one may succeed if tried later."""

    transient: bool = False


def parse_interval(text: str) -> float:
    """Seconds in an interval such as ``30s``, ``15m``, ``1h``, ``1h30m``, ``2d`` or ``90`` (seconds)."""
    compact = text.strip()
    if not compact or _INTERVAL_PART.sub("", compact).strip():
        raise ValueError(f"not an interval: {text!r} (expected e.g. 30s, 15m, 1h or 1h30m)")
    parts = _INTERVAL_PART.findall(compact)
    seconds = sum(float(number) * _INTERVAL_UNITS[unit.lower()] for number, unit in parts)
    if seconds <= 0:
        raise ValueError(f"interval must be longer than zero: {text!r}")
    return seconds


def read_url_list(path: str | Path) -> Iterator[str]:
    """The URLs in a file (``-`` for stdin), one a line; blank lines and ``#`` comments are passed over.

    A comment may also follow a URL after white space; a ``#`` inside a URL is its fragment.
    """
    if str(path) == "-":
        yield from _urls_in(sys.stdin)
        return
    with open(path, encoding="utf-8-sig") as lines:
        yield from _urls_in(lines)


def _urls_in(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        url = _TRAILING_COMMENT.sub("", line).strip()
        if url and not url.startswith("#"):
            yield url


def fetch_urls(
    urls: Iterable[str],
    *,
    fetcher: Fetcher | None = None,
    options: IngestOptions | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """Fetch each page and yield its article, or a :class:`PageError` naming the URL and the reason.

    A URL listed twice is fetched once, and one for which ``skip(url)`` is true (stored already)
    not at all. Without a ``fetcher`` one with the default settings is made and closed at the end.
    Raises ``ValueError`` at once for an ``options.published`` that is not a date.
    """
    return fetch_items((FeedItem(url=url) for url in urls), fetcher=fetcher, options=options, skip=skip)


def fetch_items(
    items: Iterable[FeedItem],
    *,
    fetcher: Fetcher | None = None,
    options: IngestOptions | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """:func:`fetch_urls` for feed items, whose titles and dates fill in what their pages lack."""
    options = options or IngestOptions()
    if options.published is not None and normalise_date(options.published) is None:
        raise ValueError(f"not a date: {options.published!r}")
    return _fetch_all(items, fetcher, options, skip)


def _fetch_all(
    items: Iterable[FeedItem],
    fetcher: Fetcher | None,
    options: IngestOptions,
    skip: Callable[[str], bool] | None,
) -> Iterator[Item]:
    own = fetcher is None
    active = fetcher or Fetcher()
    seen: set[str] = set()
    try:
        for item in items:
            url = clean_url(item.url)
            if not url or url in seen:
                continue
            seen.add(url)
            if not is_web_url(url):
                yield PageError(item.url, "not an http(s) URL")
            elif not (skip and skip(url)):
                yield fetch_page(FeedItem(url, item.title, item.published, item.feed), active, options)
    finally:
        if own:
            active.close()


def fetch_page(item: FeedItem, fetcher: Fetcher, options: IngestOptions) -> Item:
    """One page to a RawDoc named and addressed by the URL asked for (as stored and skipped by)."""
    try:
        page = fetcher.get(item.url)
        html = page.text()
    except FetchError as error:
        return PageError(item.url, error.reason, transient=error.transient)
    except DecodingError as error:
        return PageError(item.url, str(error))
    # The page's own URL (after redirects) resolves its relative links; the listed one is kept.
    doc = extract_html(html, name=item.url, url=page.final_url)
    if isinstance(doc, IngestError):
        return PageError(item.url, doc.reason)
    doc.url = item.url
    doc.title = doc.title or item.title
    doc.published = _publication_date(doc.published, item.published)
    return finish(doc, options)


def _publication_date(page: str | None, feed: str | None) -> str | None:
    """The page's date, or the feed's when the page has none or gives only the feed's day without its time."""
    if page and feed and len(page) == len("2024-01-31") and feed.startswith(page):
        return feed
    return page or feed


class _Memory:
    """What a watch has dealt with: URLs settled (stored, skipped or failed for good), and URLs
    that failed for a passing reason, to try again in later rounds whether or not a feed lists
    them again (an unchanged feed answers 304 and lists nothing)."""

    def __init__(self) -> None:
        self.last_listed: dict[str, int] = {}
        self.pending: dict[str, tuple[FeedItem, int]] = {}

    def known(self, url: str) -> bool:
        return url in self.last_listed or url in self.pending

    def listed(self, url: str, round_number: int) -> None:
        if url in self.last_listed:
            self.last_listed[url] = round_number

    def settle(self, url: str, round_number: int) -> None:
        self.last_listed[url] = round_number
        self.pending.pop(url, None)

    def record(self, item: FeedItem, result: Item, round_number: int) -> None:
        if not (isinstance(result, PageError) and result.transient):
            self.settle(item.url, round_number)
            return
        failures = self.pending.get(item.url, (item, 0))[1] + 1
        if failures >= TRANSIENT_ROUNDS:
            self.settle(item.url, round_number)
        else:
            self.pending[item.url] = (item, failures)

    def forget_before(self, round_number: int) -> None:
        for url in [url for url, last in self.last_listed.items() if last < round_number]:
            del self.last_listed[url]


def watch(
    feed_urls: Iterable[str],
    every_seconds: float,
    run_once: Callable[[Iterator[Item]], None],
    stop: threading.Event | None = None,
    max_rounds: int | None = None,
    *,
    fetcher: Fetcher | None = None,
    options: IngestOptions | None = None,
    skip: Callable[[str], bool] | None = None,
) -> int:
    """Poll the feeds every ``every_seconds`` and hand each round's new items to ``run_once``.

    A round fetches every feed (conditionally: an unchanged feed costs one 304) and streams the
    pages of items not seen before, nor ``skip``-ped, to ``run_once``; a feed that fails is one
    :class:`PageError` in that stream. An item that failed for a passing reason is tried again in
    later rounds. Rounds start ``every_seconds`` apart (at once after a round that overran). Ends
    when ``stop`` is set (checked between pages, too) or after ``max_rounds``; the rounds run.
    """
    if every_seconds <= 0:
        raise ValueError(f"every_seconds must be positive, not {every_seconds}")
    feeds = list(dict.fromkeys(clean_url(url) for url in feed_urls))
    if not feeds:
        raise ValueError("no feed to watch")
    bad = [url for url in feeds if not is_web_url(url)]
    if bad:
        raise ValueError(f"not an http(s) URL: {bad[0]}")
    options = options or IngestOptions()
    if options.published is not None and normalise_date(options.published) is None:
        raise ValueError(f"not a date: {options.published!r}")
    stop = stop or threading.Event()
    own = fetcher is None
    active = fetcher or Fetcher()
    memory = _Memory()
    validators: Validators = {}
    rounds = 0
    try:
        while not stop.is_set() and (max_rounds is None or rounds < max_rounds):
            started = time.monotonic()
            rounds += 1
            run_once(_round(feeds, rounds, active, options, skip, memory, validators, stop))
            memory.forget_before(rounds - REMEMBER_ROUNDS)
            if max_rounds is not None and rounds >= max_rounds:
                break
            stop.wait(max(0.0, every_seconds - (time.monotonic() - started)))
    finally:
        if own:
            active.close()
    return rounds


def _round(
    feeds: list[str],
    round_number: int,
    fetcher: Fetcher,
    options: IngestOptions,
    skip: Callable[[str], bool] | None,
    memory: _Memory,
    validators: Validators,
    stop: threading.Event,
) -> Iterator[Item]:
    retries = [item for item, _ in memory.pending.values()]
    for feed in feeds:
        if stop.is_set():
            return
        try:
            items = feed_item_urls(feed, fetcher, validators=validators)
        except FetchError as error:
            yield PageError(feed, f"feed: {error.reason}", transient=error.transient)
            continue
        for item in items:
            memory.listed(item.url, round_number)
            if stop.is_set():
                return
            if memory.known(item.url):
                continue
            if skip and skip(item.url):
                memory.settle(item.url, round_number)
                continue
            result = fetch_page(item, fetcher, options)
            memory.record(item, result, round_number)
            yield result
    for item in retries:
        if stop.is_set():
            return
        result = fetch_page(item, fetcher, options)
        memory.record(item, result, round_number)
        yield result
