"""Quoted stretches of text: pairing quote marks into content spans.

News text mixes straight and curly marks (even within one quote: an opening ``"`` closed by
``”``), uses single marks for quotes and apostrophes alike, and runs long quotes over several
paragraphs with an opening mark on each paragraph and a closing mark only at the end. Marks are
read by their shape where it tells the direction and by their surroundings where it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dateline.record import Span

DOUBLE_OPENING = "“„«"
DOUBLE_CLOSING = "”»"
DOUBLE_STRAIGHT = '"'
DOUBLE_MARKS = DOUBLE_OPENING + DOUBLE_CLOSING + DOUBLE_STRAIGHT
SINGLE_OPENING = "‘‹"
SINGLE_CLOSING = "’›"
SINGLE_STRAIGHT = "'"
QUOTE_MARKS = DOUBLE_MARKS + SINGLE_OPENING + SINGLE_CLOSING + SINGLE_STRAIGHT

# Characters after which a mark opens rather than closes a quote.
_BEFORE_OPENING = " \t\n\r([{—–-/:"
# Characters before which a mark closes rather than opens a quote.
_AFTER_CLOSING = " \t\n\r.,;:!?)]}—–-…"
# Straight-apostrophe elisions that look like an opening single mark ('90s, 'em, 'til).
_ELISION = re.compile(r"'(?:\d0s|\d\d\b|em\b|til\b|cause\b|n\b|tis\b)", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
# Markup left in extracted text (<tweet author="...">): its quoted attribute values are not quotes.
_MARKUP = re.compile(r"<[A-Za-z/][^<>\n]*>")
# Two apostrophes stand for a straight double mark in some newspapers' text (''like this'').
_DOUBLE_MARK = re.compile(r"''|[" + DOUBLE_MARKS + "]")


@dataclass
class QuotedSpan:
    """The content between a pair of quote marks, marks excluded.

    A quote running over paragraphs has one segment per paragraph; ``start``/``end`` cover
    them all. ``opening``/``closing`` are the positions of the outer marks (``closing`` is None
    for a quote whose closing mark is missing: it then ends with its paragraph).
    """

    start: int
    end: int
    opening: int
    closing: int | None
    double: bool = True
    segments: list[Span] = field(default_factory=list)

    @property
    def span(self) -> Span:
        return self.start, self.end


class QuoteMap:
    """The quoted spans of one text, indexed for lookups by position and by mark."""

    def __init__(self, text: str, quoted_spans: list[QuotedSpan]):
        self.text = text
        self.spans = quoted_spans
        self._inside = bytearray(len(text) + 1)
        for quoted in quoted_spans:
            self._inside[quoted.start : quoted.end] = b"\x01" * (quoted.end - quoted.start)
        self.by_opening = {quoted.opening: quoted for quoted in quoted_spans}
        self.by_closing = {quoted.closing: quoted for quoted in quoted_spans if quoted.closing is not None}

    def inside(self, position: int) -> bool:
        """Whether ``position`` lies in the content of a quote."""
        return bool(self._inside[position]) if 0 <= position < len(self._inside) else False


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in _PARAGRAPH_BREAK.finditer(text))
    return starts


def _paragraph_index(starts: list[int], position: int) -> int:
    low, high = 0, len(starts)
    while high - low > 1:
        middle = (low + high) // 2
        if starts[middle] <= position:
            low = middle
        else:
            high = middle
    return low


def _direction(text: str, start: int, end: int) -> str:
    """'open', 'close' or '?' for the mark at ``text[start:end]``, from its neighbours."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    opens = (before in _BEFORE_OPENING or before in QUOTE_MARKS) and not after.isspace()
    closes = (after in _AFTER_CLOSING or after in QUOTE_MARKS) and not before.isspace()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "?"


def _double_direction(text: str, start: int, end: int) -> str:
    mark = text[start]
    context = _direction(text, start, end)
    if mark in DOUBLE_OPENING:
        return "close" if context == "close" else "open"
    if mark in DOUBLE_CLOSING:
        return "open" if context == "open" else "close"
    return context


def _paragraph_end(text: str, starts: list[int], paragraph: int) -> int:
    end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(text)
    while end > starts[paragraph] and text[end - 1].isspace():
        end -= 1
    return end


def _opens_paragraph(text: str, starts: list[int], position: int) -> bool:
    paragraph_start = starts[_paragraph_index(starts, position)]
    return not text[paragraph_start:position].strip()


def _trimmed(text: str, span: Span) -> Span:
    """The content without surrounding blanks and the comma that stands for the full stop."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _double_quotes(text: str, starts: list[int]) -> list[QuotedSpan]:
    quotes: list[QuotedSpan] = []
    opening: int | None = None
    segments: list[Span] = []
    segment_start = 0

    def close(at: int, closing: int | None) -> None:
        nonlocal opening, segments
        assert opening is not None
        parts = [*segments, (segment_start, at)]
        parts = [_trimmed(text, part) for part in parts]
        parts = [part for part in parts if part[1] > part[0]]
        if parts:
            quotes.append(QuotedSpan(parts[0][0], parts[-1][1], opening, closing, True, parts))
        opening, segments = None, []

    for match in _DOUBLE_MARK.finditer(text):
        position, after_mark = match.start(), match.end()
        mark = text[position]
        direction = _double_direction(text, position, after_mark)
        paragraph = _paragraph_index(starts, position)
        if opening is not None and paragraph != _paragraph_index(starts, segment_start):
            current = _paragraph_index(starts, segment_start)
            if direction != "close" and _opens_paragraph(text, starts, position):
                # The quote goes on in this paragraph: its earlier paragraph had no closing mark.
                segments.append((segment_start, _paragraph_end(text, starts, current)))
                segment_start = after_mark
                continue
            close(_paragraph_end(text, starts, current), None)
        if opening is None:
            if direction != "close":
                opening, segment_start = position, after_mark
            continue
        if direction == "open" and mark in DOUBLE_OPENING:
            # Two openings in a row: the first one was stray; start again here.
            opening, segments, segment_start = position, [], after_mark
            continue
        close(position, position)
    if opening is not None:
        close(_paragraph_end(text, starts, _paragraph_index(starts, segment_start)), None)
    return quotes


def _single_opening(text: str, position: int) -> bool:
    mark = text[position]
    if mark not in SINGLE_OPENING and mark != SINGLE_STRAIGHT:
        return False
    if mark == SINGLE_STRAIGHT and _ELISION.match(text, position):
        return False
    after = text[position + 1] if position + 1 < len(text) else " "
    before = text[position - 1] if position > 0 else " "
    return (before in _BEFORE_OPENING or before in DOUBLE_MARKS) and (after.isalnum() or after in "…[")


def _single_closing(text: str, position: int) -> bool:
    mark = text[position]
    if mark not in SINGLE_CLOSING and mark != SINGLE_STRAIGHT:
        return False
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return not before.isspace() and (after in _AFTER_CLOSING or after in DOUBLE_MARKS)


def _plural_possessive(text: str, position: int) -> bool:
    """``leaders’ summit``: an apostrophe after s, followed by a lower-case word."""
    return text[position - 1 : position] in ("s", "S") and bool(
        re.match(r"\s[a-z]", text[position + 1 : position + 3])
    )


def _single_quotes(text: str, starts: list[int], taken: list[Span]) -> list[QuotedSpan]:
    quotes: list[QuotedSpan] = []
    position = 0
    while position < len(text):
        if not _single_opening(text, position) or any(s <= position <= e for s, e in taken):
            position += 1
            continue
        paragraph_end = _paragraph_end(text, starts, _paragraph_index(starts, position))
        candidates = [
            index
            for index in range(position + 2, paragraph_end)
            if _single_closing(text, index) and not any(s <= index < e for s, e in taken)
        ]
        closing = next((c for c in candidates if not _plural_possessive(text, c)), None)
        if closing is None:
            position += 1
            continue
        content = _trimmed(text, (position + 1, closing))
        if content[1] > content[0]:
            quotes.append(QuotedSpan(content[0], content[1], position, closing, False, [content]))
        position = closing + 1
    return quotes


def _without_markup(text: str) -> str:
    """``text`` with markup tags blanked out, same length: attribute values are not quotes."""
    return _MARKUP.sub(lambda match: " " * len(match.group()), text)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted stretch of ``text``, in order; quotes nested in a double quote are left inside it."""
    text = _without_markup(text)
    starts = _paragraph_starts(text)
    doubles = _double_quotes(text, starts)
    taken = [
        (quote.opening, quote.closing + 1 if quote.closing is not None else quote.end) for quote in doubles
    ]
    singles = _single_quotes(text, starts, taken)
    return sorted(doubles + singles, key=lambda quote: quote.start)
