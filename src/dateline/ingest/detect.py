"""Which reader a source needs: by its file name first, then by sniffing its first bytes."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path, PurePath

# What ``read_sources(fmt=...)`` accepts; every name but ``auto`` is a reader.
FORMATS = ("auto", "text", "html", "jsonl", "json", "warc")
GZIP_MAGIC = b"\x1f\x8b"
HEAD_SIZE = 65536

_FORMAT_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jl": "jsonl",
    ".json": "json",
    ".warc": "warc",
    ".arc": "warc",
}
_GZIP_SUFFIXES = (".gz", ".gzip")
_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|article|div|p|!--)[\s>/]", re.IGNORECASE
)
_HTML_ANYWHERE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def inner_name(name: str) -> str:
    """The name without a compression suffix: ``a.warc.gz`` -> ``a.warc``."""
    lowered = name.lower()
    for suffix in _GZIP_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_compressed_name(name: str) -> bool:
    return name.lower().endswith(_GZIP_SUFFIXES)


def format_from_name(name: str) -> str | None:
    """The format a file name announces (``.gz`` looked through), or None when it says nothing."""
    return _FORMAT_BY_SUFFIX.get(PurePath(inner_name(name)).suffix.lower())


def gunzip_head(head: bytes) -> bytes:
    """As much of the decompressed start of a gzip stream as ``head`` holds."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_SIZE)
    except zlib.error:
        return b""


def sniff_format(head: bytes) -> str:
    """The format of (uncompressed) content, judged from its first bytes."""
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0]
        try:
            return "jsonl" if isinstance(json.loads(first_line), dict) else "json"
        except ValueError:
            return "json"
    if _HTML_START.match(start) or _HTML_ANYWHERE.search(start[:2048]):
        return "html"
    return "text"


def detect_format(path: str | Path) -> str:
    """The format of a file: one of ``text``, ``html``, ``jsonl``, ``json``, ``warc``.

    A gzip file has the format of what it holds (``x.html.gz`` is ``html``); a name that says
    nothing (``x.gz``, ``x.dat``) is settled by sniffing the content.
    """
    named = format_from_name(str(path))
    if named:
        return named
    with open(path, "rb") as stream:
        head = stream.read(HEAD_SIZE)
    return sniff_format(gunzip_head(head) if head.startswith(GZIP_MAGIC) else head)
