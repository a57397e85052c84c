"""Paths, directories and stdin to a stream of RawDocs and IngestErrors, one source at a time."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path, PurePath
from typing import IO

from dateline.ingest.decoding import DecodingError, declared_html_charset, decode_text
from dateline.ingest.detect import (
    FORMATS,
    GZIP_MAGIC,
    HEAD_SIZE,
    format_from_name,
    gunzip_head,
    inner_name,
    sniff_format,
)
from dateline.ingest.options import IngestError, IngestOptions
from dateline.ingest.records import doc_from_record, finish, normalise_date
from dateline.ingest.warc import read_warc
from dateline.ingest.webpage import extract_html
from dateline.record import RawDoc

STDIN_NAME = "<stdin>"
_CHUNK = 1 << 20
# An HTML page carries markup, scripts and styles around its text: allow this many bytes per
# character of the text limit before refusing to parse it.
_HTML_BYTES_PER_CHAR = 16
# A JSON file may hold a whole array of articles, each up to the text limit.
_JSON_BYTES_PER_CHAR = 64
# UTF-8 needs at most four bytes a character.
_TEXT_BYTES_PER_CHAR = 4

Item = RawDoc | IngestError


def read_sources(
    paths: Sequence[str | Path], *, fmt: str = "auto", options: IngestOptions | None = None
) -> Iterator[Item]:
    """Read files, directories (recursively) and ``-`` (stdin); yield articles and errors as they come.

    ``fmt`` is ``auto`` (by file name, then by content) or one of ``text``, ``html``, ``jsonl``,
    ``json``, ``warc``; gzip compression is recognised by its magic bytes whatever the format.
    A bad input yields one :class:`IngestError` and the stream goes on. Raises ``ValueError`` at
    once (before reading anything) for an unknown format or an unreadable ``published`` date.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    options = options or IngestOptions()
    if options.published is not None and normalise_date(options.published) is None:
        raise ValueError(f"not a date: {options.published!r}")
    return _read_all(list(paths), fmt, options)


def _read_all(paths: list[str | Path], fmt: str, options: IngestOptions) -> Iterator[Item]:
    for path in paths:
        if str(path) == "-":
            yield from _read_stdin(fmt, options)
        elif os.path.isdir(path):
            yield from _read_directory(Path(path), fmt, options, set())
        else:
            yield from _read_file(Path(path), fmt, options)


def _read_stdin(fmt: str, options: IngestOptions) -> Iterator[Item]:
    stdin = sys.stdin
    stream: IO[bytes] = stdin.buffer if hasattr(stdin, "buffer") else io.BytesIO(stdin.read().encode("utf-8"))
    yield from _read_stream(stream, STDIN_NAME, fmt, options)


def _read_directory(directory: Path, fmt: str, options: IngestOptions, seen: set[str]) -> Iterator[Item]:
    """Files under ``directory`` in sorted order, hidden ones skipped, one directory listed at a time.

    With ``fmt="auto"`` a file whose suffix names no format we read (``.py``, ``.md``, ``.csv``)
    is passed over silently: it is not an input but something kept beside the inputs. Links are
    followed, each real path once: a link loop, a link back to a parent, a dangling link or an
    entry that cannot be listed or opened is reported with its path and the walk goes on. The
    walk keeps its own stack, so no depth of directories exhausts Python's recursion.
    """
    listing = yield from _list_directory(directory, seen)
    if listing is None:
        return
    stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = [listing]
    while stack:
        real, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_directory = entry.is_dir()
            is_link = entry.is_symlink()
            if is_link and not is_directory and not os.path.exists(path):
                yield IngestError(str(path), f"dangling link to {os.readlink(path)!r}: nothing there")
                continue
        except OSError as error:
            yield IngestError(str(path), f"cannot follow link: {error.strerror or error}")
            continue
        if is_directory and is_link and _contains(os.path.realpath(path), real):
            # Following it would walk the tree again from above, and everything beside it.
            yield IngestError(str(path), f"link loop: leads back to {os.path.realpath(path)}, not followed")
        elif is_directory:
            inner = yield from _list_directory(path, seen)
            if inner is not None:
                stack.append(inner)
        elif fmt != "auto" or format_from_name(entry.name) or not PurePath(inner_name(entry.name)).suffix:
            target = os.path.realpath(path)
            if is_link and target in seen:
                yield IngestError(str(path), f"link to a file already read ({target}): not read again")
                continue
            seen.add(target)
            yield from _read_file(path, fmt, options)


def _list_directory(
    directory: Path, seen: set[str]
) -> Generator[IngestError, None, tuple[str, Iterator[os.DirEntry[str]]] | None]:
    """The entries of a directory not read before, sorted by name; None (and why) when there are none."""
    real = os.path.realpath(directory)
    if real in seen:
        yield IngestError(str(directory), f"link to a directory already read ({real}): not read again")
        return None
    seen.add(real)
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield IngestError(str(directory), f"cannot list directory: {error.strerror or error}")
        return None
    return real, iter(entries)


def _contains(ancestor: str, path: str) -> bool:
    return path == ancestor or path.startswith(ancestor.rstrip(os.sep) + os.sep)


def _read_file(path: Path, fmt: str, options: IngestOptions) -> Iterator[Item]:
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as error:
        yield IngestError(name, f"cannot read file: {error.strerror or error}")
        return
    with stream:
        yield from _read_stream(stream, name, fmt, options)


def _read_stream(stream: IO[bytes], name: str, fmt: str, options: IngestOptions) -> Iterator[Item]:
    try:
        head, stream = _peek(stream)
    except OSError as error:
        yield IngestError(name, f"cannot read file: {error.strerror or error}")
        return
    compressed = head.startswith(GZIP_MAGIC)
    if fmt == "auto":
        fmt = format_from_name(name) or sniff_format(gunzip_head(head) if compressed else head)
    if fmt == "warc":
        # warcio reads gzip members itself, and needs them to tell records apart.
        yield from read_warc(stream, name, options)
        return
    content: IO[bytes] = (
        gzip.GzipFile(fileobj=stream, mode="rb") if compressed else stream  # type: ignore[assignment]
    )
    if fmt == "jsonl":
        yield from _read_jsonl(content, name, options)
        return
    bytes_per_char = {"html": _HTML_BYTES_PER_CHAR, "json": _JSON_BYTES_PER_CHAR}.get(
        fmt, _TEXT_BYTES_PER_CHAR
    )
    limit = options.max_chars * bytes_per_char
    data = _read_limited(content, name, limit, compressed)
    if isinstance(data, IngestError):
        yield data
    elif not data.strip():
        yield IngestError(name, "empty file")
    elif fmt == "json":
        yield from _read_json(data, name, options)
    else:
        yield _read_document(data, name, fmt, options)


def _peek(stream: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """The first bytes of ``stream`` and a stream that still starts with them."""
    head = stream.read(HEAD_SIZE)
    if stream.seekable():
        stream.seek(0)
        return head, stream
    return head, io.BufferedReader(_Prefixed(head, stream))


class _Prefixed(io.RawIOBase):
    """A one-way stream (stdin, a pipe) with the bytes already peeked at put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_limited(content: IO[bytes], name: str, limit: int, compressed: bool) -> bytes | IngestError:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := content.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                return IngestError(name, f"file too large: over {limit:,} bytes")
            chunks.append(chunk)
    except EOFError as error:
        return IngestError(name, f"truncated gzip: {size:,} bytes read before the data broke off ({error})")
    except (gzip.BadGzipFile, zlib.error) as error:
        return IngestError(name, f"corrupt gzip: {size:,} bytes read before the error ({error})")
    except OSError as error:
        what = "truncated or corrupt gzip" if compressed else "cannot read file"
        return IngestError(name, f"{what}: {size:,} bytes read before the error ({error.strerror or error})")
    return b"".join(chunks)


def _read_document(data: bytes, name: str, fmt: str, options: IngestOptions) -> Item:
    declared = declared_html_charset(data) if fmt == "html" else None
    try:
        text = decode_text(data, declared)
    except DecodingError as error:
        return IngestError(name, str(error))
    if fmt == "html":
        extracted = extract_html(text, name=name)
        return extracted if isinstance(extracted, IngestError) else finish(extracted, options)
    return finish(RawDoc(name=name, text=text), options)


def _read_json(data: bytes, name: str, options: IngestOptions) -> Iterator[Item]:
    try:
        parsed = json.loads(decode_text(data))
    except DecodingError as error:
        yield IngestError(name, str(error))
        return
    except json.JSONDecodeError as error:
        yield IngestError(name, f"malformed JSON: {error.msg} at line {error.lineno}, column {error.colno}")
        return
    if isinstance(parsed, list):
        for index, record in enumerate(parsed):
            yield doc_from_record(record, f"{name}[{index}]", options)
    else:
        yield doc_from_record(parsed, name, options)


def _read_jsonl(content: IO[bytes], name: str, options: IngestOptions) -> Iterator[Item]:
    """One article a line, read line by line so that a large or piped file never sits in memory."""
    limit = options.max_chars * _HTML_BYTES_PER_CHAR
    line_number = 0
    try:
        while line := content.readline(limit + 1):
            line_number += 1
            line_name = f"{name}:{line_number}"
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_rest_of_line(content)
                yield IngestError(line_name, f"line too long: over {limit:,} bytes")
            elif line.strip():
                yield _jsonl_line(line, line_name, line_number, options)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as error:
        yield IngestError(
            name,
            f"truncated or corrupt gzip: stopped after line {line_number} ({type(error).__name__}: {error})",
        )


def _skip_rest_of_line(content: IO[bytes]) -> None:
    while (rest := content.readline(_CHUNK)) and not rest.endswith(b"\n"):
        pass


def _jsonl_line(line: bytes, name: str, line_number: int, options: IngestOptions) -> Item:
    try:
        record = json.loads(line.decode("utf-8-sig" if line_number == 1 else "utf-8"))
    except UnicodeDecodeError as error:
        return IngestError(name, f"line {line_number} is not valid UTF-8 (byte {error.start})")
    except json.JSONDecodeError as error:
        return IngestError(name, f"malformed JSON on line {line_number}: {error.msg} at column {error.colno}")
    return doc_from_record(record, name, options)
