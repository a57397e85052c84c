"""RSS and Atom feeds to the article URLs they list, with the titles and dates the feed gives them."""

from __future__ import annotations

import io
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser

from dateline.ingest.http_client import Fetcher, FetchError
from dateline.ingest.records import normalise_date

# Request headers that make the next fetch of a feed conditional, by feed URL.
Validators = MutableMapping[str, dict[str, str]]


@dataclass(frozen=True)
class FeedItem:
    """A page to fetch, with what its feed said of it: fallbacks for what the page itself lacks."""

    url: str
    title: str | None = None
    published: str | None = None
    feed: str | None = None


def clean_url(url: str) -> str:
    """A URL as stored and compared: surrounding space and the #fragment (the same page) removed."""
    return urldefrag(url.strip())[0]


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def feed_item_urls(
    feed_url: str, fetcher: Fetcher, *, validators: Validators | None = None
) -> list[FeedItem]:
    """The items of an RSS, Atom or JSON feed, in feed order, each page URL once.

    With ``validators`` the request is conditional on the ETag or Last-Modified of the previous
    fetch of this feed: an unchanged feed answers 304 and gives no items. Raises
    :class:`FetchError` when the feed cannot be fetched, or is so malformed that no item with a
    link can be read from it (a feed with a recoverable fault still gives its items).
    """
    headers = validators.get(feed_url) if validators is not None else None
    page = fetcher.get(feed_url, headers=headers)
    if page.status == 304:
        return []
    if validators is not None:
        _remember_validators(validators, feed_url, page.headers)
    # A BytesIO, never bytes or str: feedparser opens a str naming a URL or a file, and fetching
    # or reading files is not what a feed's body should be able to make it do.
    parsed = feedparser.parse(
        io.BytesIO(page.body),
        response_headers={"content-type": page.content_type, "content-location": page.final_url},
    )
    items = _items(parsed.get("entries", []), page.final_url, feed_url)
    if items:
        return items
    if parsed.get("bozo") and not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise FetchError(f"malformed feed: {problem or 'not RSS, Atom or a JSON feed'}")
    return []


def _remember_validators(validators: Validators, feed_url: str, headers: Mapping[str, str]) -> None:
    conditional = {}
    if headers.get("etag"):
        conditional["If-None-Match"] = headers["etag"]
    if headers.get("last-modified"):
        conditional["If-Modified-Since"] = headers["last-modified"]
    validators[feed_url] = conditional


def _items(entries: list[Any], base: str, feed_url: str) -> list[FeedItem]:
    items: dict[str, FeedItem] = {}
    for entry in entries:
        url = _entry_url(entry, base)
        if url is None or url in items:
            continue
        title = (entry.get("title") or "").strip() or None
        items[url] = FeedItem(url=url, title=title, published=_entry_date(entry), feed=feed_url)
    return list(items.values())


def _entry_url(entry: Any, base: str) -> str | None:
    """The entry's page: its link, else an id that is itself a web address (Atom ids often are)."""
    for candidate in (entry.get("link"), entry.get("id")):
        if isinstance(candidate, str) and candidate.strip():
            url = clean_url(urljoin(base, candidate.strip()))
            if is_web_url(url):
                return url
    return None


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC).isoformat()
            except ValueError:
                continue
    for key in ("published", "updated"):
        found = normalise_date(entry.get(key))
        if found:
            return found
    return None
