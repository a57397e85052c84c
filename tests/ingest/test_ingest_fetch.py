"""Fetching pages and feeds from a small news site served on 127.0.0.1, and nowhere else."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from dateline.ingest import IngestError, IngestOptions
from dateline.ingest.fetch import (
    TRANSIENT_ROUNDS,
    USER_AGENT,
    FeedItem,
    Fetcher,
    FetchError,
    FetchSettings,
    PageError,
    feed_item_urls,
    fetch_items,
    fetch_urls,
    parse_interval,
    read_url_list,
    watch,
)
from dateline.ingest.http_client import HostRateLimiter, retry_after_seconds
from dateline.record import RawDoc

LOCALHOST = "127.0.0.1"
SLOW_SECONDS = 1.0
# Small waits so that each test takes a fraction of a second; the slow page outlasts the timeout.
FAST = FetchSettings(
    requests_per_second=200,
    timeout=0.3,
    total_timeout=2.0,
    retries=2,
    backoff=0.01,
    max_wait=5.0,
    max_bytes=100_000,
    trust_env=False,
)

ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n"


def article(title: str | None, paragraphs: list[str], published: str | None = None) -> str:
    """A news page with site furniture around the story; the date and title only when given."""
    head = f"<title>{title} - Harbour Gazette</title>" if title else ""
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    heading = f"<h1>{title}</h1>" if title else ""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
        '<nav><a href="/">Front page</a> <a href="/business">Business</a></nav>'
        f"<article>{heading}{body}</article>"
        "<footer><p>Harbour Gazette, all rights reserved.</p></footer></body></html>"
    )


HARBOUR = article(
    "Port workers end strike after pay deal",
    [
        "Dock workers at the northern container port returned to work on Monday after union leaders "
        "accepted a pay offer that had been rejected twice during the three-week stoppage.",
        "The port authority said ships waiting at anchor would be unloaded within ten days, and that "
        "exporters of fruit and timber had lost millions while the cranes stood idle.",
    ],
    "2024-03-11T07:15:00Z",
)
# No title and no date on the page: the feed's title and date fill them in.
UNDATED = article(
    None,
    [
        "The city council voted to rebuild the old swing bridge over the river rather than replace it "
        "with a fixed crossing, after boat owners argued that a low bridge would close the upper harbour.",
        "Engineers told councillors that the repairs would keep the bridge open to road traffic for all "
        "but a few weeks, and that the steel for the new deck would come from the local mill.",
    ],
)
BRIDGE = article(
    "Ferry service resumes across the bay",
    [
        "The island ferry made its first crossing in a month on Thursday after inspectors cleared the "
        "repaired hull, and the operator said the timetable would be back to normal by the weekend.",
        "Shopkeepers on the island said the closure had emptied their streets, while the regional "
        "government promised a review of how the only ferry came to be out of service for so long.",
    ],
    "2024-03-14T09:00:00Z",
)
SECRET = article("Not for robots", ["This page is behind a robots.txt rule and must never be fetched."] * 3)


def rss(base: str) -> str:
    items = [
        ("Port workers end strike after pay deal", "/news/harbour.html", "Tue, 12 Mar 2024 07:00:00 GMT"),
        ("Council keeps the swing bridge", "/news/undated.html", "Tue, 12 Mar 2024 16:45:00 GMT"),
        ("Hidden page", "/private/secret.html", "Tue, 12 Mar 2024 17:00:00 GMT"),
        ("Strike comments", "/news/harbour.html#comments", "Mon, 11 Mar 2024 08:00:00 GMT"),
    ]
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for title, path, date in items
    )
    no_link = "<item><title>Announcement without a page</title></item>"
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Gazette</title>'
        f"<link>{base}/</link><description>Local news</description>{entries}{no_link}</channel></rss>"
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Gazette: transport</title>
<id>urn:uuid:6c1f27c4-5f7c-4a43-9a43-2f3c0e1a9b10</id><updated>2024-03-14T09:00:00Z</updated>
<entry><title>Ferry service resumes across the bay</title><link href="/news/bridge.html"/>
<id>urn:uuid:1b0e7a44-0c55-4d0e-a2a2-3f1f2a77d001</id><updated>2024-03-14T09:05:00Z</updated></entry>
<entry><title>Timetable changes</title><id>urn:uuid:1b0e7a44-0c55-4d0e-a2a2-3f1f2a77d002</id>
<updated>2024-03-14T10:00:00Z</updated></entry>
</feed>"""

BROKEN_FEED = "<<< this was meant to be a feed &&& but the generator crashed"


@dataclass
class Request:
    at: float
    path: str
    headers: Message


@dataclass
class Site:
    """A news site on 127.0.0.1 that logs every request it gets."""

    base: str = ""
    robots: str = ROBOTS
    log: list[Request] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requested(self, path: str) -> list[Request]:
        with self.lock:
            return [request for request in self.log if request.path == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [request.path for request in self.log]


Response = tuple[int, dict[str, str], bytes]


def respond(site: Site, path: str, headers: Message) -> Response | None:
    html = {"Content-Type": "text/html; charset=utf-8"}
    hit = site.hits[path]
    pages = {
        "/news/harbour.html": HARBOUR,
        "/news/undated.html": UNDATED,
        "/news/bridge.html": BRIDGE,
        "/private/secret.html": SECRET,
    }
    if path in pages:
        return 200, html, pages[path].encode()
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, site.robots.encode()
    if path == "/feed.rss":
        if headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, rss(site.base).encode()
    if path == "/feed.atom":
        return 200, {"Content-Type": "application/atom+xml"}, ATOM.encode()
    if path == "/broken.rss":
        return 200, {"Content-Type": "application/rss+xml"}, BROKEN_FEED.encode()
    if path == "/flaky.html":
        if hit <= 2:
            return 503, {"Retry-After": "0", "Content-Type": "text/plain"}, b"busy"
        return 200, html, BRIDGE.encode()
    if path == "/busy.html":
        if hit == 1:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
        return 200, html, HARBOUR.encode()
    if path in ("/closed.html", "/down.html"):
        return 503, {"Retry-After": "3600" if path == "/closed.html" else "0"}, b"closed for the night"
    if path == "/report.pdf":
        return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not an article"
    if path == "/huge.html":
        return 200, html, b"<html><body><p>" + b"word " * 40_000 + b"</p></body></html>"
    if path == "/moved.html":
        return 301, {"Location": "/news/harbour.html"}, b""
    if path == "/moved-private.html":
        return 302, {"Location": "/private/secret.html"}, b""
    if path == "/feed-with-down-item.rss":
        item = f"<item><title>Down</title><link>{site.base}/down.html</link></item>"
        feed = f'<rss version="2.0"><channel><title>t</title>{item}</channel></rss>'
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"d"'} if hit == 1 else {}, feed.encode()
    return None


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.log.append(Request(time.monotonic(), path, self.headers))
                site.hits[path] = site.hits.get(path, 0) + 1
                hit = site.hits[path]
            if path == "/slow.html":
                time.sleep(SLOW_SECONDS)
            if path == "/drop-once.html" and hit == 1:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if path == "/drop-once.html":
                found: Response | None = (200, {"Content-Type": "text/html"}, HARBOUR.encode())
            elif path == "/slow.html":
                found = (200, {"Content-Type": "text/html"}, HARBOUR.encode())
            else:
                found = respond(site, path, self.headers)
            status, headers, body = found or (404, {"Content-Type": "text/plain"}, b"no such page")
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer((LOCALHOST, 0), make_handler(state))
    server.daemon_threads = True
    state.base = f"http://{LOCALHOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as polite:
        yield polite


def split(items: Iterator[RawDoc | IngestError]) -> tuple[dict[str, RawDoc], dict[str, IngestError]]:
    docs: dict[str, RawDoc] = {}
    errors: dict[str, IngestError] = {}
    for item in items:
        if isinstance(item, IngestError):
            errors[item.name] = item
        else:
            docs[item.name] = item
    return docs, errors


def fetch(site: Site, fetcher: Fetcher, *paths: str, **kwargs: object) -> tuple[dict, dict]:
    return split(fetch_urls([site.base + path for path in paths], fetcher=fetcher, **kwargs))  # type: ignore[arg-type]


# -- pages ------------------------------------------------------------------------------------


def test_a_page_becomes_a_raw_doc_with_its_metadata(site: Site, fetcher: Fetcher) -> None:
    docs, errors = fetch(site, fetcher, "/news/harbour.html")
    assert not errors
    doc = docs[site.base + "/news/harbour.html"]
    assert doc.url == site.base + "/news/harbour.html"
    assert doc.title == "Port workers end strike after pay deal"
    assert doc.published is not None and doc.published.startswith("2024-03-11")
    assert "pay offer that had been rejected twice" in doc.text
    assert "all rights reserved" not in doc.text
    assert site.requested("/news/harbour.html")[0].headers["User-Agent"] == USER_AGENT


def test_robots_txt_is_read_once_and_a_disallowed_page_never_requested(site: Site, fetcher: Fetcher) -> None:
    docs, errors = fetch(site, fetcher, "/private/secret.html", "/news/harbour.html", "/moved-private.html")
    assert list(docs) == [site.base + "/news/harbour.html"]
    assert "robots.txt" in errors[site.base + "/private/secret.html"].reason
    # A redirect into the disallowed folder is stopped before the hop is taken.
    assert "robots.txt" in errors[site.base + "/moved-private.html"].reason
    assert not any(path.startswith("/private/") for path in site.paths())
    assert len(site.requested("/robots.txt")) == 1
    assert fetcher.allowed(site.base + "/news/anything.html")
    assert not fetcher.allowed(site.base + "/private/anything.html")


def test_a_failing_page_is_tried_again_until_it_answers(site: Site, fetcher: Fetcher) -> None:
    docs, errors = fetch(site, fetcher, "/flaky.html", "/drop-once.html")
    assert not errors
    assert "first crossing in a month" in docs[site.base + "/flaky.html"].text
    assert len(site.requested("/flaky.html")) == 3
    # A connection closed without an answer is a connection error, tried again too.
    assert len(site.requested("/drop-once.html")) == 2
    assert site.base + "/drop-once.html" in docs


def test_retry_after_is_honoured(site: Site, fetcher: Fetcher) -> None:
    docs, _ = fetch(site, fetcher, "/busy.html")
    assert site.base + "/busy.html" in docs
    first, second = site.requested("/busy.html")
    assert second.at - first.at >= 0.95


def test_a_retry_after_longer_than_we_wait_fails_at_once_and_rests_the_host(
    site: Site, fetcher: Fetcher
) -> None:
    _, errors = fetch(site, fetcher, "/closed.html", "/news/harbour.html")
    closed = errors[site.base + "/closed.html"]
    assert isinstance(closed, PageError) and closed.transient and "asked to wait 3600 s" in closed.reason
    assert len(site.requested("/closed.html")) == 1
    # The host asked for an hour's rest, so its other pages are not asked for either.
    assert "asked us to wait" in errors[site.base + "/news/harbour.html"].reason
    assert not site.requested("/news/harbour.html")


def test_a_server_that_keeps_failing_is_given_up_on(site: Site, fetcher: Fetcher) -> None:
    _, errors = fetch(site, fetcher, "/down.html")
    down = errors[site.base + "/down.html"]
    assert isinstance(down, PageError) and down.transient
    assert "HTTP 503" in down.reason and "3 attempts" in down.reason
    assert len(site.requested("/down.html")) == 1 + FAST.retries


def test_a_slow_page_times_out_and_is_not_asked_again(site: Site, fetcher: Fetcher) -> None:
    started = time.monotonic()
    _, errors = fetch(site, fetcher, "/slow.html")
    assert time.monotonic() - started < SLOW_SECONDS
    slow = errors[site.base + "/slow.html"]
    assert isinstance(slow, PageError) and slow.transient and "timed out" in slow.reason
    assert len(site.requested("/slow.html")) == 1


def test_missing_pages_other_media_and_oversized_bodies_are_errors(site: Site, fetcher: Fetcher) -> None:
    docs, errors = fetch(site, fetcher, "/missing.html", "/report.pdf", "/huge.html")
    assert not docs
    assert errors[site.base + "/missing.html"].reason == "HTTP 404 Not Found"
    assert len(site.requested("/missing.html")) == 1
    assert "content type application/pdf" in errors[site.base + "/report.pdf"].reason
    assert "too large" in errors[site.base + "/huge.html"].reason
    assert not any(isinstance(error, PageError) and error.transient for error in errors.values())


def test_a_connection_refused_is_retried_then_reported(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now: even robots.txt cannot be read, so nothing is fetched.
    _, errors = split(fetch_urls([f"http://{LOCALHOST}:{port}/news.html"], fetcher=fetcher))
    error = errors[f"http://{LOCALHOST}:{port}/news.html"]
    assert isinstance(error, PageError) and error.transient
    assert "robots.txt" in error.reason and "connection failed" in error.reason


def test_redirects_are_followed_and_the_listed_url_kept(site: Site, fetcher: Fetcher) -> None:
    docs, _ = fetch(site, fetcher, "/moved.html")
    assert docs[site.base + "/moved.html"].url == site.base + "/moved.html"
    assert "/news/harbour.html" in site.paths()


def test_stored_repeated_and_non_web_urls_are_not_fetched(site: Site, fetcher: Fetcher) -> None:
    stored = {site.base + "/news/harbour.html"}
    urls = [
        site.base + "/news/harbour.html",
        site.base + "/news/bridge.html",
        site.base + "/news/bridge.html#top",
        " " + site.base + "/news/bridge.html ",
        "ftp://" + LOCALHOST + "/file.txt",
    ]
    docs, errors = split(fetch_urls(urls, fetcher=fetcher, skip=stored.__contains__))
    assert list(docs) == [site.base + "/news/bridge.html"]
    assert errors["ftp://" + LOCALHOST + "/file.txt"].reason == "not an http(s) URL"
    assert not site.requested("/news/harbour.html")
    assert len(site.requested("/news/bridge.html")) == 1


def test_the_rate_limit_spaces_requests_to_one_host(site: Site) -> None:
    sent: list[float] = []
    client = httpx.Client(
        trust_env=False, event_hooks={"request": [lambda request: sent.append(time.monotonic())]}
    )
    settings = FetchSettings(requests_per_second=10, timeout=1.0, trust_env=False)
    with client, Fetcher(settings, client=client) as polite:
        docs, _ = fetch(site, polite, "/news/harbour.html", "/news/bridge.html", "/news/undated.html")
    assert len(docs) == 3
    assert len(site.log) == len(sent) == 4  # robots.txt and the three pages
    # Sent at least 0.1 s apart; received so too, give or take the server's scheduling.
    assert min(later - earlier for earlier, later in itertools.pairwise(sent)) >= 0.1 - 0.002
    assert site.log[-1].at - site.log[0].at >= 0.3 - 0.05
    assert site.log[1].headers["User-Agent"] == USER_AGENT


def test_a_crawl_delay_in_robots_txt_slows_us_down(site: Site) -> None:
    site.robots = "User-agent: dateline\nCrawl-delay: 5\nDisallow: /private/\n"
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with Fetcher(FAST, clock=lambda: now[0], sleep=sleep) as polite:
        docs, _ = fetch(site, polite, "/news/harbour.html", "/news/bridge.html", "/private/secret.html")
    assert len(docs) == 2 and not site.requested("/private/secret.html")
    # robots.txt at once, then each page five (pretend) seconds after the request before it.
    assert slept == [pytest.approx(5.0)] * 2


def test_the_rate_limiter_reserves_slots_per_host() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(0.5, clock=lambda: now[0], sleep=sleep)
    assert [limiter.wait("a:80"), limiter.wait("a:80"), limiter.wait("b:80")] == [0.0, 0.5, 0.0]
    limiter.defer("b:80", 3.0)
    assert limiter.wait("b:80") == pytest.approx(3.0)
    assert limiter.wait("a:80", interval=2.0) == 0.0 and limiter.wait("a:80") == pytest.approx(2.0)


def test_retry_after_reads_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 3, 11, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Mon, 11 Mar 2024 12:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_options_fill_in_and_bad_dates_fail_at_once(site: Site, fetcher: Fetcher) -> None:
    options = IngestOptions(published="2024-03-12")
    docs, _ = fetch(site, fetcher, "/news/undated.html", "/news/harbour.html", options=options)
    assert docs[site.base + "/news/undated.html"].published == "2024-03-12"
    assert docs[site.base + "/news/harbour.html"].published.startswith("2024-03-11")
    with pytest.raises(ValueError, match="not a date"):
        fetch_urls([site.base + "/news/undated.html"], options=IngestOptions(published="someday"))


# -- feeds ------------------------------------------------------------------------------------


def test_rss_items_give_urls_titles_and_dates(site: Site, fetcher: Fetcher) -> None:
    items = feed_item_urls(site.base + "/feed.rss", fetcher)
    assert [item.url for item in items] == [
        site.base + "/news/harbour.html",
        site.base + "/news/undated.html",
        site.base + "/private/secret.html",
    ]
    assert items[1].title == "Council keeps the swing bridge"
    assert items[1].published == "2024-03-12T16:45:00+00:00"
    assert {item.feed for item in items} == {site.base + "/feed.rss"}


def test_feed_metadata_fills_what_the_page_lacks(site: Site, fetcher: Fetcher) -> None:
    items = feed_item_urls(site.base + "/feed.rss", fetcher)
    docs, errors = split(fetch_items(items, fetcher=fetcher))
    undated = docs[site.base + "/news/undated.html"]
    assert undated.title == "Council keeps the swing bridge"
    assert undated.published == "2024-03-12T16:45:00+00:00"
    # The page's own date beats the feed's when they disagree on the day.
    assert docs[site.base + "/news/harbour.html"].published == "2024-03-11"
    # A feed's time of day makes more precise the bare date found on its page.
    bridge = split(fetch_items(feed_item_urls(site.base + "/feed.atom", fetcher), fetcher=fetcher))[0]
    assert bridge[site.base + "/news/bridge.html"].published == "2024-03-14T09:05:00+00:00"
    assert "robots.txt" in errors[site.base + "/private/secret.html"].reason
    assert not site.requested("/private/secret.html")


def test_atom_links_are_resolved_against_the_feed(site: Site, fetcher: Fetcher) -> None:
    items = feed_item_urls(site.base + "/feed.atom", fetcher)
    assert items == [
        FeedItem(
            url=site.base + "/news/bridge.html",
            title="Ferry service resumes across the bay",
            published="2024-03-14T09:05:00+00:00",
            feed=site.base + "/feed.atom",
        )
    ]


def test_a_malformed_or_missing_feed_is_an_error(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="malformed feed"):
        feed_item_urls(site.base + "/broken.rss", fetcher)
    with pytest.raises(FetchError, match="HTTP 404"):
        feed_item_urls(site.base + "/gone.rss", fetcher)


def test_watch_hands_on_new_items_and_polls_feeds_conditionally(site: Site, fetcher: Fetcher) -> None:
    rounds: list[tuple[dict[str, RawDoc], dict[str, IngestError]]] = []
    feeds = [site.base + "/feed.rss", site.base + "/feed.atom", site.base + "/broken.rss"]
    done = watch(feeds, 0.01, lambda items: rounds.append(split(items)), max_rounds=2, fetcher=fetcher)
    assert done == 2
    (first_docs, first_errors), (second_docs, second_errors) = rounds
    assert sorted(first_docs) == [
        site.base + path for path in ("/news/bridge.html", "/news/harbour.html", "/news/undated.html")
    ]
    assert set(first_errors) == {site.base + "/private/secret.html", site.base + "/broken.rss"}
    assert first_errors[site.base + "/broken.rss"].reason.startswith("feed: malformed feed")
    # The atom feed lists the same page again and the RSS feed answers 304: nothing new.
    assert not second_docs and set(second_errors) == {site.base + "/broken.rss"}
    assert site.requested("/feed.rss")[1].headers["If-None-Match"] == '"v1"'
    assert len(site.requested("/news/harbour.html")) == 1


def test_watch_tries_a_passing_failure_again_for_a_few_rounds(site: Site, fetcher: Fetcher) -> None:
    errors_by_round: list[list[str]] = []

    def run_once(items: Iterator[RawDoc | IngestError]) -> None:
        errors_by_round.append(sorted(split(items)[1]))

    watch(
        [site.base + "/feed-with-down-item.rss"],
        0.01,
        run_once,
        max_rounds=TRANSIENT_ROUNDS + 1,
        fetcher=fetcher,
    )
    down = site.base + "/down.html"
    assert errors_by_round == [[down]] * TRANSIENT_ROUNDS + [[]]
    assert len(site.requested("/down.html")) == TRANSIENT_ROUNDS * (1 + FAST.retries)


def test_watch_stops_when_told_and_skips_stored_items(site: Site, fetcher: Fetcher) -> None:
    stop = threading.Event()
    handed: list[str] = []

    def run_once(items: Iterator[RawDoc | IngestError]) -> None:
        handed.extend(item.name for item in items)
        stop.set()

    stored = {site.base + "/news/harbour.html"}
    done = watch(
        [site.base + "/feed.rss"], 3600, run_once, stop=stop, fetcher=fetcher, skip=stored.__contains__
    )
    assert done == 1
    assert site.base + "/news/harbour.html" not in handed and site.base + "/news/undated.html" in handed
    assert not site.requested("/news/harbour.html")


def test_watch_refuses_bad_arguments(fetcher: Fetcher) -> None:
    def ignore(items: Iterator[RawDoc | IngestError]) -> None:
        pass

    with pytest.raises(ValueError, match="no feed"):
        watch([], 60, ignore, fetcher=fetcher)
    with pytest.raises(ValueError, match="http"):
        watch(["file:///etc/hosts"], 60, ignore, fetcher=fetcher)
    with pytest.raises(ValueError, match="positive"):
        watch([f"http://{LOCALHOST}:9/feed"], 0, ignore, fetcher=fetcher)


# -- lists and intervals ----------------------------------------------------------------------


def test_a_url_list_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "\ufeff# morning run\nhttp://127.0.0.1:8000/a.html\n\n   \n"
        "http://127.0.0.1:8000/b.html#part  # the second half\n"
        "  http://127.0.0.1:8000/c.html\n",
        encoding="utf-8",
    )
    assert list(read_url_list(listing)) == [
        "http://127.0.0.1:8000/a.html",
        "http://127.0.0.1:8000/b.html#part",
        "http://127.0.0.1:8000/c.html",
    ]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("90", 90),
        ("1.5m", 90),
        ("2d", 172800),
        (" 15M ", 900),
    ],
)
def test_intervals_are_read(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15 minutes", "0s", "-5m", "1h-30m", "m"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="requests_per_second"):
        FetchSettings(requests_per_second=0)
    with pytest.raises(ValueError, match="retries"):
        FetchSettings(retries=-1)


# -- into the store ---------------------------------------------------------------------------


def test_watch_and_url_lists_store_articles_and_skip_stored_urls(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer
    from typer.testing import CliRunner

    from dateline.engine.fetching import ingest_urls
    from dateline.engine.fetching import watch as watch_command
    from dateline.engine.local import IngestRun
    from dateline.store import open_store

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    app = typer.Typer()
    app.command()(watch_command)
    app.command("noop")(lambda: None)  # two commands, so that typer keeps the command name
    db = tmp_path / "web.duckdb"
    feeds = [site.base + "/feed.rss", site.base + "/feed.atom"]
    result = CliRunner().invoke(
        app, ["watch", *feeds, "--every", "1s", "--rounds", "1", "--rate", "100", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    stored = [site.base + path for path in ("/news/bridge.html", "/news/harbour.html", "/news/undated.html")]
    with open_store(db) as store:
        rows = store.query("SELECT url, title, published FROM articles ORDER BY url")
        assert [row["url"] for row in rows] == stored
        assert all(store.has_url(url) for url in stored)
        assert not store.has_url(site.base + "/flaky.html")
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join([*stored, site.base + "/flaky.html"]) + "\n", encoding="utf-8")
        run = IngestRun(store=store)
        summary = ingest_urls(run, listing, settings=FAST)
        assert summary.stored == 1 and not summary.skipped
        assert store.has_url(site.base + "/flaky.html")
    assert [len(site.requested(path)) for path in ("/news/bridge.html", "/news/harbour.html")] == [1, 1]


def test_the_watch_command_refuses_a_bad_interval(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from dateline.engine.fetching import watch as watch_command

    app = typer.Typer()
    app.command()(watch_command)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(
        app,
        ["watch", f"http://{LOCALHOST}:9/feed.rss", "--every", "soon", "--db", str(tmp_path / "w.duckdb")],
    )
    assert result.exit_code == 2 and "not an interval" in result.output
    assert not (tmp_path / "w.duckdb").exists()


def test_the_ingest_command_fetches_a_url_list_once(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dateline.cli import app
    from dateline.store import open_store

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    listing = tmp_path / "urls.txt"
    pages = [site.base + "/news/bridge.html", site.base + "/news/harbour.html"]
    listing.write_text("# two pages\n" + "\n".join(pages) + "\n", encoding="utf-8")
    db = tmp_path / "urls.duckdb"
    command = ["ingest", "--urls", str(listing), "--rate", "100", "--db", str(db)]
    for _ in range(2):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert [row["url"] for row in store.query("SELECT url FROM articles ORDER BY url")] == pages
    assert [len(site.requested(path)) for path in ("/news/bridge.html", "/news/harbour.html")] == [1, 1]
