"""What the caller can tell ingest, and what ingest tells back about an input it could not read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# JSON/JSONL keys read for each part of an article: ``|`` separates alternatives tried in order,
# and a dotted key (``meta.title``) reaches into a nested object.
DEFAULT_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "text": "text",
        "html": "html",
        "title": "title",
        "url": "url",
        "published": "published|date",
        "publisher": "publisher|source",
        "author": "author",
    }
)


@dataclass(frozen=True)
class IngestOptions:
    """Settings for reading sources.

    ``published`` and ``publisher`` fill in what a source does not say itself (a plain text file
    has neither); a date or publisher found in the source wins. ``fields`` renames the JSON/JSONL
    keys, e.g. ``{"text": "body|content", "published": "meta.date"}``; parts it does not name keep
    the keys of :data:`DEFAULT_FIELDS`. ``max_chars`` is the longest article text accepted.
    """

    published: str | None = None
    publisher: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    max_chars: int = 2_000_000

    def __post_init__(self) -> None:
        unknown = sorted(set(self.fields) - set(DEFAULT_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown field {', '.join(unknown)}: expected one of {', '.join(DEFAULT_FIELDS)}"
            )
        if self.max_chars < 1:
            raise ValueError(f"max_chars must be positive, not {self.max_chars}")
        object.__setattr__(self, "fields", MappingProxyType({**DEFAULT_FIELDS, **self.fields}))

    def key(self, part: str) -> str:
        """The JSON key (with its alternatives) read for ``part`` (``text``, ``title``, ...)."""
        return self.fields[part]


@dataclass(frozen=True)
class IngestError:
    """One input (file, JSONL line or WARC record) that could not be read, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"
