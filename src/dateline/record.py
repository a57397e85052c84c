"""The record of one article: the single schema every stage reads and extends.

Offsets are Python string indices into the cleaned ``text``. ``offset_map`` maps them back
into ``raw`` (see :func:`Record.raw_offset`). Ids are stable whatever else was ingested: the
article id hashes the whitespace-normalised ``raw``; each child id hashes (article id, kind,
span, code).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]

_WHITESPACE = re.compile(r"\s+")


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def article_id(raw: str, provenance: str = "") -> str:
    """Id of an article: a hash of its whitespace-normalised raw text.

    ``provenance`` is only given for a syndicated copy of an article already stored (same raw
    text, other url or publisher), so that the copy gets a row of its own.
    """
    normalised = _WHITESPACE.sub(" ", raw).strip()
    return _digest(normalised, provenance) if provenance else _digest(normalised)


def child_id(article: str, kind: str, span: Span, code: str = "") -> str:
    return _digest(article, kind, span[0], span[1], code)


@dataclass
class Dateline:
    place: str | None = None
    agency: str | None = None
    date: str | None = None


@dataclass
class Repair:
    """One repair of text damage; offsets into the cleaned text, ``before`` as found in raw."""

    kind: str
    start: int
    end: int
    before: str
    after: str


@dataclass
class Removed:
    """A span of raw text left out of the article (boilerplate); offsets into ``raw``."""

    raw_start: int
    raw_end: int
    text: str
    reason: str


@dataclass
class Place:
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    geonames_id: int | None = None
    # How exact the point is, as GDELT's geo type: 1 country, 2 US state, 3 US city or town,
    # 4 city or town elsewhere, 5 first-order region elsewhere (state, province).
    precision: int | None = None


@dataclass
class Entity:
    id: str
    name: str
    type: str
    role: str | None = None
    actor: str | None = None
    country: str | None = None
    place: Place | None = None
    mentions: list[Span] = field(default_factory=list)
    # Mentions in the headline: offsets into ``title``, not ``text`` (an entity may have only these).
    title_mentions: list[Span] = field(default_factory=list)


@dataclass
class Argument:
    """An event's source or target: an entity (by id) with its actor code and evidence span."""

    entity: str | None
    name: str
    actor: str | None
    span: Span


@dataclass
class Trigger:
    text: str
    span: Span


@dataclass
class Plover:
    type: str
    mode: str | None = None


@dataclass
class Event:
    id: str
    sentence: int
    trigger: Trigger
    source: list[Argument]
    target: list[Argument]
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: Plover | None = None
    date: str | None = None
    date_text: str | None = None
    date_kind: Literal["text", "published"] | None = None
    place: Place | None = None
    negated: bool = False
    modality: str | None = None
    confidence: float = 1.0
    rule: str = ""


@dataclass
class Cue:
    text: str
    span: Span


@dataclass
class Speaker:
    entity: str | None
    name: str
    role: str | None
    actor: str | None
    span: Span


@dataclass
class Quote:
    id: str
    span: Span
    text: str
    kind: Literal["direct", "partial", "indirect"]
    cue: Cue | None
    speaker: Speaker | None


@dataclass
class Quantity:
    id: str
    span: Span
    text: str
    value: float
    unit: str | None
    measure: str | None = None
    when: str | None = None
    qualifier: str | None = None


@dataclass
class Record:
    """Everything dateline knows about one article."""

    id: str
    raw: str
    text: str
    offset_map: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])
    source: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    # How sure the identifier was (0-1) and why the language was chosen; see clean/language.py.
    language_confidence: float | None = None
    language_reason: str | None = None
    dateline: Dateline | None = None
    repairs: list[Repair] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None
    pipeline_version: str = ""
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)

    def raw_offset(self, text_offset: int) -> int:
        """Where a position of the cleaned text lies in ``raw``.

        ``offset_map`` holds anchors (text offset, raw offset), sorted; between two anchors the
        texts run in step. A position inside a repaired span maps to the start of its raw span.
        """
        starts = [anchor[0] for anchor in self.offset_map]
        index = max(bisect.bisect_right(starts, text_offset) - 1, 0)
        text_anchor, raw_anchor = self.offset_map[index]
        return raw_anchor + (text_offset - text_anchor)

    def raw_span(self, span: Span) -> Span:
        return self.raw_offset(span[0]), self.raw_offset(span[1])

    def published_date(self) -> date | None:
        return date.fromisoformat(self.published[:10]) if self.published else None

    def to_dict(self) -> dict[str, Any]:
        return _lists_for_tuples(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return record_from_dict(data)


def _lists_for_tuples(value: Any) -> Any:
    """JSON has no tuples: spans become two-element lists, as the DuckDB columns read back."""
    if isinstance(value, dict):
        return {key: _lists_for_tuples(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists_for_tuples(item) for item in value]
    return value


def _span(value: Any) -> Span:
    return int(value[0]), int(value[1])


def _place(data: dict[str, Any] | None) -> Place | None:
    return Place(**data) if data else None


def _argument(data: dict[str, Any]) -> Argument:
    return Argument(data["entity"], data["name"], data["actor"], _span(data["span"]))


def record_from_dict(data: dict[str, Any]) -> Record:
    """Rebuild a record from :meth:`Record.to_dict` output (JSON, JSONL export, Ray parts)."""
    fields = dict(data)
    fields["offset_map"] = [_span(anchor) for anchor in data.get("offset_map") or [(0, 0)]]
    fields["dateline"] = Dateline(**data["dateline"]) if data.get("dateline") else None
    fields["repairs"] = [Repair(**item) for item in data.get("repairs", [])]
    fields["removed"] = [Removed(**item) for item in data.get("removed", [])]
    fields["entities"] = [
        Entity(
            **{
                **item,
                "place": _place(item.get("place")),
                "mentions": [_span(m) for m in item["mentions"]],
                "title_mentions": [_span(m) for m in item.get("title_mentions") or []],
            }
        )
        for item in data.get("entities", [])
    ]
    fields["events"] = [
        Event(
            **{
                **item,
                "trigger": Trigger(item["trigger"]["text"], _span(item["trigger"]["span"])),
                "source": [_argument(a) for a in item["source"]],
                "target": [_argument(a) for a in item["target"]],
                "plover": Plover(**item["plover"]) if item.get("plover") else None,
                "place": _place(item.get("place")),
            }
        )
        for item in data.get("events", [])
    ]
    fields["quotes"] = [
        Quote(
            **{
                **item,
                "span": _span(item["span"]),
                "cue": Cue(item["cue"]["text"], _span(item["cue"]["span"])) if item.get("cue") else None,
                "speaker": Speaker(**{**item["speaker"], "span": _span(item["speaker"]["span"])})
                if item.get("speaker")
                else None,
            }
        )
        for item in data.get("quotes", [])
    ]
    fields["quantities"] = [
        Quantity(**{**item, "span": _span(item["span"])}) for item in data.get("quantities", [])
    ]
    return Record(**fields)


@dataclass
class RawDoc:
    """What ingest hands to clean: one article's extracted text and the metadata found with it.

    ``text`` becomes the record's ``raw``; ``name`` says where it came from (file, line or WARC
    record) for error messages and provenance.
    """

    name: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass
class TimeExpression:
    """A temporal expression resolved against the publication date.

    ``value`` is ISO-like at the expression's granularity ("2004-02-06", "2004-02", "2003",
    "199X" for a decade) or, for a duration, an ISO 8601 duration ("P15Y").
    """

    span: Span
    text: str
    value: str | None
    granularity: Literal["day", "month", "year", "decade", "time", "duration"]
    sentence: int = 0


@dataclass
class Document:
    """The working model the analysis stages share: the record, its spaCy parse, its times.

    Each stage reads what earlier stages wrote and fills its own part (``times``,
    ``record.entities``, ``record.quotes``, ...). ``doc`` is parsed from ``record.text``, so token
    character offsets are record offsets.
    """

    record: Record
    doc: Doc
    times: list[TimeExpression] = field(default_factory=list)
    # The parse of ``record.title`` (its own offsets), for the headline's entities.
    title_doc: Doc | None = None

    # Every mention as (start, end, order, entity), sorted, and the longest mention's length;
    # rebuilt when the entity list is replaced or grows (the actors stage writes it whole, and no
    # later stage adds mentions to an entity).
    _mentions: tuple[tuple[int, int, int, Entity], ...] = field(default=(), repr=False, compare=False)
    _mentions_key: tuple[int, int] = field(default=(-1, -1), repr=False, compare=False)
    _longest_mention: int = field(default=0, repr=False, compare=False)

    def _mention_index(self) -> tuple[tuple[int, int, int, Entity], ...]:
        entities = self.record.entities
        key = (id(entities), len(entities))
        if key != self._mentions_key:
            found = [
                (m_start, m_end, order, entity)
                for order, entity in enumerate(entities)
                for m_start, m_end in entity.mentions
            ]
            self._mentions = tuple(sorted(found, key=lambda item: item[:3]))
            self._longest_mention = max((m_end - m_start for m_start, m_end, _, _ in found), default=0)
            self._mentions_key = key
        return self._mentions

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity one of whose mentions overlaps [start, end), the tightest fit first (on a
        tie, the entity listed first)."""
        mentions = self._mention_index()
        best: tuple[int, int, Entity] | None = None
        # Only mentions starting before ``end`` and no longer ago than the longest one can overlap.
        first = bisect.bisect_left(mentions, (start - self._longest_mention,))
        last = bisect.bisect_left(mentions, (end,))
        for m_start, m_end, order, entity in mentions[first:last]:
            if start < m_end:
                slack = abs(m_start - start) + abs(m_end - end)
                if best is None or (slack, order) < best[:2]:
                    best = (slack, order, entity)
        return best[2] if best else None

    def time_at(self, start: int, end: int) -> TimeExpression | None:
        for time in self.times:
            if time.span[0] < end and start < time.span[1]:
                return time
        return None
