"""JSON objects to RawDocs, and the checks every document passes before it leaves ingest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from dateline.ingest.options import IngestError, IngestOptions
from dateline.ingest.webpage import extract_html
from dateline.record import RawDoc

_WRITTEN_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%Y%m%d")
# Epoch numbers above this are milliseconds, not seconds (it is 5138 AD in seconds).
_EPOCH_MILLISECONDS = 10**11


def normalise_date(value: object) -> str | None:
    """An ISO 8601 date or date-time for a date given in any common form; None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        seconds = value / 1000 if value > _EPOCH_MILLISECONDS else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text).isoformat()
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for written in _WRITTEN_DATE_FORMATS:
        try:
            return datetime.strptime(text, written).date().isoformat()
        except ValueError:
            pass
    return None


def finish(doc: RawDoc, options: IngestOptions) -> RawDoc | IngestError:
    """Fill in the caller's defaults, normalise the date and refuse empty or oversized articles."""
    if not doc.text.strip():
        return IngestError(doc.name, "empty article: no text")
    if len(doc.text) > options.max_chars:
        return IngestError(
            doc.name, f"article too long: {len(doc.text):,} characters, over the {options.max_chars:,} limit"
        )
    doc.published = normalise_date(doc.published) or normalise_date(options.published)
    doc.publisher = doc.publisher or options.publisher
    return doc


def field_value(record: dict[str, Any], spec: str) -> Any:
    """The first non-empty value among the ``|``-separated keys of ``spec`` (dots reach into objects)."""
    for key in spec.split("|"):
        value: Any = record
        for part in key.strip().split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value not in (None, "", [], {}):
            return value
    return None


def _text_value(record: dict[str, Any], spec: str) -> str | None:
    value = field_value(record, spec)
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None


def doc_from_record(record: object, name: str, options: IngestOptions) -> RawDoc | IngestError:
    """One article from a JSON object; an ``html`` field goes through the HTML extractor."""
    if not isinstance(record, dict):
        return IngestError(name, f"not a JSON object but {type(record).__name__}")
    text = field_value(record, options.key("text"))
    html = field_value(record, options.key("html"))
    url = _text_value(record, options.key("url"))
    if isinstance(text, str) and text.strip():
        doc = RawDoc(name=name, text=text)
    elif isinstance(html, str) and html.strip():
        extracted = extract_html(html, name=name, url=url)
        if isinstance(extracted, IngestError):
            return extracted
        doc = extracted
    else:
        return IngestError(
            name, f"empty article: no text in the {options.key('text')!r} or {options.key('html')!r} field"
        )
    # What the record says outright beats what was guessed from its HTML.
    doc.title = _text_value(record, options.key("title")) or doc.title
    doc.url = url or doc.url
    doc.published = field_value(record, options.key("published")) or doc.published
    doc.publisher = _text_value(record, options.key("publisher")) or doc.publisher
    doc.author = _text_value(record, options.key("author")) or doc.author
    return finish(doc, options)
