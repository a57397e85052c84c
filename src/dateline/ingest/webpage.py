"""An HTML page to a RawDoc: the article body with trafilatura, its metadata with trafilatura and htmldate."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html.parser import HTMLParser
from typing import Any

import trafilatura
from trafilatura.settings import Document as ExtractedPage

from dateline.ingest.options import IngestError
from dateline.record import RawDoc

# Recall mode picks up a stray link ("Home") from a page that holds no article at all; a few
# words are not an article, whereas the shortest news brief still runs to a sentence.
_MIN_ARTICLE_WORDS = 5
# No page may hold up a run longer than this (seconds) in the main extractor.
EXTRACTION_SECONDS = 20.0
# libxml2 stops building the tree below this depth, so trafilatura sees no text deeper down.
_LXML_MAX_DEPTH = 255
# Elements whose text is never article text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form"})
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote"}
)
_VOID = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
)


class _Timeout(Exception):
    pass


def _date_params() -> dict[str, Any]:
    # htmldate's "original" date is the first publication, not the last modification.
    return {"original_date": True, "extensive_search": True, "max_date": date.today().isoformat()}


def extract_html(html: str, *, name: str, url: str | None = None) -> RawDoc | IngestError:
    """The article in a page, or an error when the page holds no article text.

    Recall is favoured so that the whole body survives (clean removes what is left of the site
    furniture, and a lost paragraph cannot be recovered later); comments are left out and tables
    kept, as they often carry an article's figures.
    """
    started = time.monotonic()
    try:
        with _time_limit(EXTRACTION_SECONDS):
            page = trafilatura.bare_extraction(
                html,
                url=url,
                favor_recall=True,
                include_comments=False,
                include_tables=True,
                with_metadata=True,
                date_extraction_params=_date_params(),
            )
    except _Timeout:
        why = f"the extractor took over {EXTRACTION_SECONDS:.0f} s"
        return _fallback(html, name, url, why) or IngestError(name, f"HTML extraction gave up: {why}")
    except Exception as error:  # a parser crash on one page must not stop the run
        why = f"{type(error).__name__}: {error}"
        return _fallback(html, name, url, why) or IngestError(name, f"HTML extraction failed: {why}")
    text = (page.text or "") if isinstance(page, ExtractedPage) else ""
    if len(text.split()) < _MIN_ARTICLE_WORDS:
        fallback = _fallback(html, name, url, None, time.monotonic() - started)
        if fallback is not None:
            return fallback
        found = f" (only {text.strip()!r})" if text.strip() else ""
        return IngestError(name, f"empty article: no article text found in the page{found}")
    assert isinstance(page, ExtractedPage)
    return RawDoc(
        name=name,
        text=text,
        title=page.title or None,
        url=url or page.url or None,
        published=page.date or None,
        publisher=page.sitename or None,
        author=page.author or None,
    )


def _fallback(html: str, name: str, url: str | None, why: str | None, spent: float = 0.0) -> RawDoc | None:
    """The page's text by a plain pass over its tags, when the tree defeated the extractor.

    Taken when trafilatura failed or ran out of time (``why``), or found nothing in a page nested
    deeper than libxml2 builds; a shallow page where it found nothing holds no article, and its
    menus are not one either.
    """
    reader = _TextPass()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # the plain pass is the last resort: if it fails too, the page is lost
        return None
    if why is None and reader.max_depth <= _LXML_MAX_DEPTH:
        return None
    text = reader.text()
    if len(text.split()) < _MIN_ARTICLE_WORDS:
        return None
    return RawDoc(name=name, text=text, title=reader.title.strip() or None, url=url)


class _TextPass(HTMLParser):
    """Text of a page in document order, a paragraph per block element, scripts and menus left out.

    html.parser keeps no tree, so no depth or size of DOM stops it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.max_depth = 0
        self._skipping: list[str] = []
        self._parts: list[str] = []
        self._in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag == "title":
            self._in_title = True
        if tag in _BLOCKS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(self.depth - 1, 0)
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag == "title":
            self._in_title = False
        if tag in _BLOCKS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self._parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        return "\n\n".join(line for line in lines if line)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_Timeout` in the block after ``seconds``, where a timer signal can be had.

    Signals reach only the main thread; elsewhere (a worker thread) the block runs unlimited. A
    timer already set by the caller (pytest-timeout, an outer limit) is put back afterwards.
    """
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if not usable:
        yield
        return
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_remaining and outer_remaining <= seconds:
        yield  # the outer timer fires first anyway
        return

    def expire(signum: int, frame: object) -> None:
        raise _Timeout

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining:
            signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - (time.monotonic() - started), 0.001))
