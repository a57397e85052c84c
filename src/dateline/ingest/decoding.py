"""Bytes to text: UTF-8 first, then a declared charset, then detection; refuse binary and garbled input."""

from __future__ import annotations

import codecs
import re
from types import ModuleType
from typing import Any

charset_normalizer: ModuleType | None
try:
    import charset_normalizer
except ImportError:  # pragma: no cover - trafilatura depends on it, but ingest works without it
    charset_normalizer = None


class DecodingError(Exception):
    """The bytes are not text we can trust; ``str(error)`` is the reason for the user."""


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "gzip data"),
)

# Control bytes other than tab, newline, vertical tab, form feed, carriage return and escape
# (NUL included: scraped text carries a stray one now and then, and clean takes it out).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# C1 controls: in decoded text, the mark of bytes read under the wrong encoding.
_C1_CHARS = re.compile(r"[\x80-\x9f]")
# How much of a file the binary checks look at: enough to tell, without reading a large file twice.
_SAMPLE_BYTES = 65536
# A well-formed UTF-8 sequence of two to four bytes: evidence that a file meant to be UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)

# Share of control bytes above which a "text" is really binary data: below it, a text keeps its
# stray control bytes for clean to strip (with a repair recorded). Plain text has none at all;
# binary formats have several in every hundred bytes.
_MAX_CONTROL_SHARE = 0.02
# Share of C1 control characters above which a decoded text is garbled.
_MAX_C1_SHARE = 0.01
# charset_normalizer's mess ratio (0 = clean) above which its best guess is not readable text.
_MAX_CHAOS = 0.2
# Readings whose mess ratios differ by less than this are equally plausible.
_CHAOS_TIE = 0.02
# Browsers read these labels as windows-1252, which is what such pages really contain.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


def declared_html_charset(head: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(head[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` as text or raise :class:`DecodingError` naming the problem.

    UTF-8 is tried before a declared charset because pages often declare latin-1 while sending
    UTF-8, and text in a legacy encoding almost never happens to be valid UTF-8.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return _refuse_control_characters(data.decode(encoding))
            except UnicodeDecodeError as error:
                raise DecodingError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from error
    _refuse_binary(data)
    try:
        return _refuse_control_characters(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        utf8_error = error
    if declared:
        text = _decode_declared(data, declared)
        if text is not None:
            return _refuse_control_characters(text)
    if _UTF8_MULTIBYTE.search(data):
        raise DecodingError(
            f"mixed encodings: UTF-8 text with an invalid byte 0x{data[utf8_error.start]:02x} "
            f"at offset {utf8_error.start}"
        )
    return _refuse_control_characters(_decode_detected(data, utf8_error))


def _refuse_binary(data: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DecodingError(f"binary file ({kind}), not text")
    share = _share(_CONTROL_BYTES.findall(data[:_SAMPLE_BYTES]), data[:_SAMPLE_BYTES])
    if share > _MAX_CONTROL_SHARE:
        raise DecodingError(f"binary file ({share:.0%} control or NUL bytes), not text")


def _refuse_control_characters(text: str) -> str:
    sample = text[:_SAMPLE_BYTES]
    share = _share(_CONTROL_CHARS.findall(sample), sample)
    if share > _MAX_CONTROL_SHARE:
        raise DecodingError(f"binary file ({share:.0%} control or NUL characters), not text")
    if _share(_C1_CHARS.findall(sample), sample) > _MAX_C1_SHARE:
        raise DecodingError("garbled file (many control characters), not text")
    return text


def _share(found: list[Any], sample: bytes | str) -> float:
    return len(found) / len(sample) if sample else 0.0


def _decode_declared(data: bytes, declared: str) -> str | None:
    label = declared.strip().lower()
    encoding = "cp1252" if label in _WINDOWS_1252_ALIASES else label
    try:
        codecs.lookup(encoding)
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _decode_detected(data: bytes, utf8_error: UnicodeDecodeError) -> str:
    """The text under the one encoding that reads ``data`` cleanly, or an error saying why there is none.

    Short texts in Latin script often read cleanly under several code pages that disagree on a
    few letters (cp1250 ``naďve``, cp1252 ``naïve``); guessing would corrupt names silently, so a
    tie is refused, except that cp1252, the legacy encoding of English and Western European
    news, wins a tie it takes part in.
    """
    where = f"invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}"
    if charset_normalizer is None:
        raise DecodingError(
            f"not valid UTF-8 ({where}) and charset_normalizer is not installed to detect another encoding"
        )
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise DecodingError(f"not valid UTF-8 ({where}) and no other text encoding fits")
    best = min(matches, key=lambda match: match.chaos)
    if best.chaos > _MAX_CHAOS:
        raise DecodingError(
            f"not valid UTF-8 ({where}); the closest encoding, {best.encoding}, gives garbled text"
        )
    contenders = [match for match in matches if match.chaos <= best.chaos + _CHAOS_TIE]
    readings = {str(match) for match in contenders}
    if len(readings) == 1:
        return readings.pop()
    western = list(charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]))
    if western and western[0].chaos <= best.chaos + _CHAOS_TIE:
        return str(western[0])
    names = ", ".join(sorted({match.encoding for match in contenders})[:4])
    raise DecodingError(
        f"not valid UTF-8 ({where}) and its encoding is ambiguous: {names} read it differently"
    )
