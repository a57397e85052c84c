"""An HTML page to a RawDoc: the article body with trafilatura, its metadata with trafilatura and htmldate."""

from __future__ import annotations

from datetime import date
from typing import Any

import trafilatura
from trafilatura.settings import Document as ExtractedPage

from dateline.ingest.options import IngestError
from dateline.record import RawDoc

# Recall mode picks up a stray link ("Home") from a page that holds no article at all; a few
# words are not an article, whereas the shortest news brief still runs to a sentence.
_MIN_ARTICLE_WORDS = 5


def _date_params() -> dict[str, Any]:
    # htmldate's "original" date is the first publication, not the last modification.
    return {"original_date": True, "extensive_search": True, "max_date": date.today().isoformat()}


def extract_html(html: str, *, name: str, url: str | None = None) -> RawDoc | IngestError:
    """The article in a page, or an error when the page holds no article text.

    Recall is favoured so that the whole body survives (clean removes what is left of the site
    furniture, and a lost paragraph cannot be recovered later); comments are left out and tables
    kept, as they often carry an article's figures.
    """
    try:
        page = trafilatura.bare_extraction(
            html,
            url=url,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_date_params(),
        )
    except Exception as error:  # a parser crash on one page must not stop the run
        return IngestError(name, f"HTML extraction failed: {type(error).__name__}: {error}")
    if not isinstance(page, ExtractedPage):
        return IngestError(name, "empty article: no article text found in the page")
    text = page.text or ""
    if len(text.split()) < _MIN_ARTICLE_WORDS:
        found = f" (only {text.strip()!r})" if text.strip() else ""
        return IngestError(name, f"empty article: no article text found in the page{found}")
    return RawDoc(
        name=name,
        text=text,
        title=page.title or None,
        url=url or page.url or None,
        published=page.date or None,
        publisher=page.sitename or None,
        author=page.author or None,
    )
