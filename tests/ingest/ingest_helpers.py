"""Builders for the ingest tests: article pages, WARC files and a way to split a stream's items."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.ingest import IngestError
from dateline.record import RawDoc

PARAGRAPHS = (
    "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss fishing rights "
    "along their maritime border, officials from both governments said after the talks ended.",
    "The two delegations agreed to set up a joint commission that will report within six months "
    "on catch limits for anchovy, a stock that supports thousands of coastal jobs in both countries.",
    "Environmental groups welcomed the meeting but warned that warmer waters had already cut the "
    "catch by a third this season, and asked both governments to publish the commission's data.",
)


def article_page(title: str, paragraphs: Iterable[str] = PARAGRAPHS, *, published: str = "2024-05-14") -> str:
    """A whole news page: navigation, the article with its metadata, related links and a footer."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Coastal Times</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Coastal Times">
<meta property="article:published_time" content="{published}T08:30:00Z">
<meta name="author" content="Ana Torres">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{title}</h1><p class="byline">By Ana Torres</p>
{body}
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Markets close higher</a></li>
<li><a href="/b">Storm warning</a></li></ul></aside>
</main>
<footer><p>Subscribe to our newsletter</p><p>Copyright 2024 Coastal Times. All rights reserved.</p></footer>
</body></html>"""


def write_warc(path: Path, responses: Iterable[tuple[str, str, bytes, str]], *, compress: bool) -> None:
    """A WARC of response records, each given as (URI, HTTP status line, body, content type)."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for uri, status, body, content_type in responses:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def split(items: Iterable[RawDoc | IngestError]) -> tuple[list[RawDoc], list[IngestError]]:
    docs: list[RawDoc] = []
    errors: list[IngestError] = []
    for item in items:
        (errors if isinstance(item, IngestError) else docs).append(item)  # type: ignore[arg-type]
    return docs, errors
