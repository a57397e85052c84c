"""WARC and WARC.gz files: every successful HTML response record becomes one article."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dateline.ingest.decoding import (
    DecodingError,
    charset_from_content_type,
    declared_html_charset,
    decode_text,
)
from dateline.ingest.detect import GZIP_MAGIC
from dateline.ingest.options import IngestError, IngestOptions
from dateline.ingest.records import finish
from dateline.ingest.webpage import extract_html
from dateline.record import RawDoc

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# warcio meets a cut or garbled record with any of these (AttributeError for missing headers).
_BROKEN_ARCHIVE = (
    ArchiveLoadFailed,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
)
_CHUNK = 1 << 16


class _TruncatedRecord(Exception):
    pass


def read_warc(stream: IO[bytes], name: str, options: IngestOptions) -> Iterator[RawDoc | IngestError]:
    """Articles from the successful HTML responses of a WARC; other records are passed over silently.

    A record whose page cannot be read is reported by its URI (or offset) and the next one is
    tried; an archive that breaks off is reported with how many whole records came before.
    """
    records = ArchiveIterator(stream)
    whole = 0
    end = 0
    try:
        for record in records:
            payload = _html_payload(record, 16 * options.max_chars)
            # Asking for the offset reads the record to its end: only once the payload is read.
            offset = records.get_record_offset()
            # A whole record is read through a reader limited to its Content-Length, now spent;
            # warcio hands over a record cut inside its headers without one.
            if getattr(record.raw_stream, "limit", None) != 0:
                raise _TruncatedRecord(f"the record at offset {offset} ends early")
            whole += 1
            end = offset + records.get_record_length()
            if payload is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            record_name = f"{name}#{uri}" if uri else f"{name}@{offset}"
            yield _article(payload, record, record_name, uri, offset, options)
        _check_nothing_after(stream, end)
    except (_TruncatedRecord, *_BROKEN_ARCHIVE) as error:
        yield IngestError(
            name, f"truncated or corrupt WARC: {whole} whole records read, then {_describe(error)}"
        )


def _check_nothing_after(stream: IO[bytes], end: int) -> None:
    """Raise when the archive does not end cleanly after its last whole record.

    warcio ends quietly at a record cut inside its headers, so whatever follows the last whole
    record must be blank; an uncompressed WARC must also close that record with its blank lines,
    whose absence is the one trace of a cut at the end of a header line. (A pipe cannot be
    looked at again, so there the check is skipped.)
    """
    if not stream.seekable():
        return
    stream.seek(0)
    compressed = stream.read(2) == GZIP_MAGIC
    stream.seek(end)
    rest = stream.read(_CHUNK)
    if rest.strip():
        raise _TruncatedRecord(f"the {len(rest):,}+ bytes at offset {end} are not a whole record")
    if end and not compressed and not rest:
        raise _TruncatedRecord(f"the last record, ending at offset {end}, lacks its closing blank lines")


def _describe(error: Exception) -> str:
    return str(error) if isinstance(error, _TruncatedRecord) else f"{type(error).__name__}: {error}"


def _html_payload(record: Any, limit: int) -> bytes | None:
    """The body of a successful HTML response (at most ``limit`` + 1 bytes), None for any other record."""
    if record.rec_type != "response" or not _is_html_success(record.http_headers):
        return None
    payload: bytes = record.content_stream().read(limit + 1)
    # Read what is left, so that a record cut short shows as such whatever its size.
    while record.raw_stream.read(_CHUNK):
        pass
    return payload


def _is_html_success(headers: Any) -> bool:
    if headers is None:
        return False
    content_type = (headers.get_header("Content-Type") or "").lower()
    return headers.get_statuscode().startswith("2") and content_type.startswith(_HTML_TYPES)


def _article(
    payload: bytes, record: Any, name: str, uri: str | None, offset: int, options: IngestOptions
) -> RawDoc | IngestError:
    limit = 16 * options.max_chars
    if len(payload) > limit:
        return IngestError(name, f"page too large: over {limit:,} bytes (record at offset {offset})")
    declared = charset_from_content_type(record.http_headers.get_header("Content-Type"))
    try:
        html = decode_text(payload, declared or declared_html_charset(payload))
    except DecodingError as error:
        return IngestError(name, f"{error} (record at offset {offset})")
    extracted = extract_html(html, name=name, url=uri)
    return extracted if isinstance(extracted, IngestError) else finish(extracted, options)
