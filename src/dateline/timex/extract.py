"""Find the temporal expressions of an article and resolve each against its publication date.

Candidates come from spaCy's DATE and TIME entities and from surface patterns of our own (the
small model misses many weekdays, relative dates and durations). Overlapping candidates are
settled by taking the longest one that resolves; adjacent ones that together name one moment
("10 p.m. Wednesday") are joined.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span

from dateline.record import Document, TimeExpression
from dateline.timex.lexicon import NUMBER_WORD
from dateline.timex.normalize import Resolution, Tense, resolve
from dateline.timex.tense import expression_tense

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_PART = r"(?i:morning|afternoon|evening|night)"
_REL = r"(?i:this\s+coming|this\s+past|last|next|this|coming|past|previous|following|current|latest|same)"
_SHADE_WORD = r"(?i:earlier|later|early|late|mid)"
_SHADE = rf"(?:{_SHADE_WORD}[\s-]+)"
_NUMBER_WORDS = rf"{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})*"
_NUMBER = rf"(?i:\d+(?:\.\d+)?(?:\s+1/2)?|{_NUMBER_WORDS}|an?|a\s+few|several|a\s+couple\s+of)"
_UNIT = r"(?i:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?|centuries|century)"
_ORDINAL = r"(?i:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|" + (
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|twenty-first|twenty-second)"
)


def _compiled(pattern: str) -> re.Pattern[str]:
    # A pattern that opens with optional words is tried by `re` at every character; a match
    # starts a word, and saying so first lets the engine skip the middles of words at once
    # (timex took about 8% of an article's CPU time, mostly here).
    return re.compile(pattern if pattern.startswith(r"\b") else rf"\b(?=\w)(?:{pattern})")


_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    _compiled(pattern)
    for pattern in (
        # weekdays, with a date or a part of the day
        rf"(?:{_REL}\s+)?(?:{_SHADE})?\b{_WEEKDAY}(?:,?\s+{_MONTH}\s+{_DAY_NUMBER}\b(?:,?\s+{_YEAR})?)?"
        rf"(?:\s+{_PART})?\b",
        # month and day, day and month
        rf"\b{_MONTH}\s+{_DAY_NUMBER}\b(?:,?\s+{_YEAR}\b)?",
        rf"\b{_DAY_NUMBER}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
        # month alone, with a year or a relative word
        rf"(?:(?:{_REL}|{_SHADE_WORD})\s*)?\b{_MONTH}(?!\w)(?:\s+(?:of\s+)?{_YEAR}\b|\s+(?i:this|last|next)\s+year\b)?",
        # numbers that are dates
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
        # today, yesterday, tomorrow, tonight, with a part of the day
        rf"(?:{_SHADE})?\b(?i:today|yesterday|tomorrow|tonight)\b(?:\s+{_PART}\b)?",
        rf"\b(?i:this|last|yesterday|tomorrow)\s+{_PART}\b",
        # this week, last month, the coming year, earlier this month
        rf"(?:{_SHADE})?(?:\b(?i:the)\s+)?\b{_REL}\s+(?i:(?:fiscal\s+)?(?:week|weekend|month|quarter|year|"
        r"decade|century|spring|summer|fall|autumn|winter))\b",
        r"\b(?i:the\s+weekend)\b",
        # durations, and the dates they measure back or forward ("two weeks ago")
        rf"(?:\b(?i:the)\s+)?(?:\b(?i:past|last|next|first|coming|previous|following|latest|additional|"
        rf"further|recent)\s+)?(?:\b(?i:nearly|almost|about|more\s+than|less\s+than|at\s+least)\s+)?"
        rf"\b{_NUMBER}(?i:\s+and\s+a\s+half)?[\s-]+(?:(?i:more|full|straight|trading|consecutive|business|"
        rf"working)\s+)?{_UNIT}\b(?i:\s+and\s+a\s+half)?(?:[\s-]+(?i:ago|earlier|later|from\s+now|long|old)\b)?",
        # years, decades, centuries
        rf"(?:(?i:fiscal|mid-|early|late|the\s+end\s+of)\s*)?\b{_YEAR}\b(?!-\d)",
        r"\b(?i:the\s+)?(?i:(?:early|late|mid)[\s-]*)?(?:1[0-9]|20)\d0'?s\b",
        r"\b(?i:the\s+)(?i:(?:early|late|mid)[\s-]*)?'?\d0'?s\b",
        r"\b(?i:the\s+)(?i:(?:early|late|mid)[\s-]*)?(?i:twenties|thirties|forties|fifties|sixties|seventies|"
        r"eighties|nineties)\b",
        rf"\b(?i:the\s+){_ORDINAL}[\s-]+(?i:century)\b",
        # quarters and halves
        r"(?:\b(?i:the|its|this|last|next|latest|current)\s+)?(?:(?i:fiscal|calendar)[\s-]+)?"
        r"\b(?i:first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:(?i:fiscal)[\s-]+)?(?i:quarter|half)\b"
        rf"(?:\s+(?i:of\s+)?{_YEAR})?",
        r"\b(?i:the\s+(?:latest|current|year-earlier|year-ago)\s+(?:quarter|period))\b",
        # seasons
        r"\b(?i:spring|summer|autumn|winter)\s+(?:of\s+)?" + _YEAR + r"\b",
        # present, past and future references
        r"\b(?i:currently|recently|previously|formerly|nowadays|these\s+days|lately|soon|"
        r"the\s+(?:near\s+|distant\s+)?(?:past|future))\b",
        r"\b(?i:right\s+)?(?i:now)\b",
        # clock times
        r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.m\.|[ap]m\b)(?:\s+[A-Z]{3}\b)?",
        r"\b(?i:noon|midnight)\b",
        # recurrences
        rf"\b(?i:each|every)\s+(?:(?i:day|week|month|quarter|year)\b|{_WEEKDAY})",
        r"\b(?i:annually|hourly)\b",
    )
)

_NOT_TIME_ENTITIES = frozenset(
    {"PERSON", "ORG", "WORK_OF_ART", "FAC", "PRODUCT", "LAW", "NORP", "GPE", "MONEY"}
)
_YEAR_CONTEXT = frozenset(
    {
        "in",
        "since",
        "by",
        "until",
        "of",
        "from",
        "before",
        "after",
        "during",
        "through",
        "to",
        "between",
        "and",
        "or",
        "early",
        "late",
        "mid",
        "fiscal",
        "the",
        "year",
        "around",
        "circa",
        "throughout",
        "for",
    }
)
_LEADING_JUNK = re.compile(r"^(?:(?:in|on|at|since|by|until|till|from|during|for|of|as\s+of|over)\s+)+", re.I)
# The article of the noun a duration describes: "a 15-year agreement" holds the duration "15-year".
_ATTRIBUTIVE_ARTICLE = re.compile(
    r"^(?:the|a|an)\s+(?=[\w.]+-(?:second|minute|hour|day|week|month|quarter|year|decade|century)\b)", re.I
)
_TRAILING_JUNK = re.compile(r"(?:'s|’s|[\s,.;:!?'\"’)])+$")
# A full stop that belongs to the expression: "5 p.m.", "Sept.".
_ABBREVIATION_END = re.compile(r"(?:\b[ap]\.m|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))\.$")
_JOINABLE_GAP = re.compile(r"^(?:[\s,]{0,3}|\s+(?:on|of)\s+)$")
# Where spaCy's DATE entities hold two expressions: "the quarter ended Sept. 30", "Aug. 26 to Oct. 20".
_ENTITY_SPLIT = re.compile(
    r"\s+(?:ended|ending|ends|beginning|begun|starting|through|to|until|till|and|or|from|versus|vs\.|compared\s+with)\s+",
    re.I,
)
# Adjectives spaCy tags DATE that describe a rhythm, not a time: "a quarterly dividend".
_RHYTHM_ADJECTIVES = frozenset({"daily", "weekly", "monthly", "quarterly", "yearly", "annual", "biannual"})
_COORDINATION = re.compile(r"\b(?:and|or|to|through|until|till|between)\b|[-–]")


@dataclass(frozen=True)
class ParsedText:
    """A parse with what the rules ask of it again and again, worked out once: spaCy rebuilds
    ``Doc.text`` and ``Doc.ents`` on every access."""

    doc: Doc
    text: str
    ents: tuple[Span, ...]
    sentence_starts: list[int]

    @classmethod
    def of(cls, doc: Doc) -> ParsedText:
        return cls(doc, doc.text, tuple(doc.ents), [sentence.start_char for sentence in doc.sents] or [0])

    def sentence_index(self, char: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, char) - 1, 0)

    def sentence_bounds(self, char: int) -> tuple[int, int]:
        index = self.sentence_index(char)
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[index], end


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    from_pattern: bool


_YEAR_BACK = re.compile(r"\byear[\s-](?:ago|earlier)\b|\b(?:a|one)\s+year\s+(?:ago|earlier|before)\b", re.I)
_SAME_PERIOD = re.compile(r"^(?:that|the\s+same)\s+(?P<unit>year|month|day)$", re.I)
_PERIOD_VALUE = re.compile(r"^(?P<year>\d{4})(?P<rest>-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?$")
_SIZES = {"year": 4, "month": 7, "day": 10}


def _referent(
    parsed: ParsedText, start: int, earlier: list[tuple[int, int, Resolution]], finer: bool
) -> str | None:
    """The latest value resolved before ``start`` in the same or the previous sentence."""
    index = parsed.sentence_index(start)
    sentence_start = parsed.sentence_starts[max(index - 1, 0)]
    for e_start, _, found in reversed(earlier):
        if e_start >= start or e_start < sentence_start or found.value is None:
            continue
        match = _PERIOD_VALUE.match(found.value)
        if match and (match["rest"] or not finer):
            return found.value
    return None


def _in_context(
    parsed: ParsedText, start: int, end: int, found: Resolution, earlier: list[tuple[int, int, Resolution]]
) -> Resolution:
    """Read expressions that point at another one: "a year earlier" after "the third quarter"
    is that quarter a year back, "that year" is the year last named."""
    expression = parsed.text[start:end]
    same = _SAME_PERIOD.match(expression.strip())
    if _YEAR_BACK.search(expression) and found.value and found.value[:4].isdigit():
        referent = _referent(parsed, start, earlier, finer=True)
        if referent:
            match = _PERIOD_VALUE.match(referent)
            assert match is not None
            return Resolution(f"{int(match['year']) - 1:04d}{match['rest']}", found.granularity)
    if same:
        referent = _referent(parsed, start, earlier, finer=False)
        if referent and len(referent) >= _SIZES[same["unit"].lower()]:
            return Resolution(referent[: _SIZES[same["unit"].lower()]], found.granularity)
    return found


def resolve_in_context(
    parsed: ParsedText | Doc,
    start: int,
    end: int,
    anchor: date,
    earlier: list[tuple[int, int, Resolution]] | None = None,
) -> Resolution | None:
    """Resolve the text at [start, end) of a parsed article, taking the tense from the parse and,
    for expressions that point at another ("a year earlier"), the ``earlier`` resolutions."""
    if isinstance(parsed, Doc):
        parsed = ParsedText.of(parsed)
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    tense: Tense = expression_tense(span) if span is not None and len(span) else "past"
    found = resolve(parsed.text[start:end], anchor, tense)
    if found is None or not earlier:
        return found
    return _in_context(parsed, start, end, found, earlier)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    leading = _LEADING_JUNK.match(piece) or _ATTRIBUTIVE_ARTICLE.match(piece)
    if leading:
        start += leading.end()
    trailing = _TRAILING_JUNK.search(text[start:end])
    if trailing and trailing.start() > 0:
        kept = start + trailing.start()
        if text[kept] == "." and _ABBREVIATION_END.search(text[start : kept + 1]):
            kept += 1
        end = kept
    return start, end


def _inside_other_entity(parsed: ParsedText, start: int, end: int) -> bool:
    return any(
        ent.label_ in _NOT_TIME_ENTITIES and ent.start_char <= start and end <= ent.end_char
        for ent in parsed.ents
    )


def _plausible_year(parsed: ParsedText, start: int, end: int) -> bool:
    """A four-digit number read as a year unless it counts something ("sent 2000 troops")."""
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not re.fullmatch(r"\d{4}", parsed.text[start:end]):
        return True
    token = span[-1]
    if token.ent_type_ in ("MONEY", "QUANTITY", "PERCENT"):
        return False
    before = parsed.doc[token.i - 1] if token.i > 0 else None
    after = parsed.doc[token.i + 1] if token.i + 1 < len(parsed.doc) else None
    if before is not None and (before.lower_ in _YEAR_CONTEXT or before.text in ("$", "€", "£")):
        return before.text not in ("$", "€", "£")
    return not (after is not None and after.pos_ in ("NOUN", "PROPN") and after.tag_ in ("NNS", "NNPS"))


def _candidates(parsed: ParsedText) -> list[_Candidate]:
    text = parsed.text
    found: list[_Candidate] = []
    for ent in parsed.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if re.fullmatch(r"\d{4}", ent.text) and not _plausible_year(parsed, ent.start_char, ent.end_char):
            continue
        if ent.text.lower() in _RHYTHM_ADJECTIVES and ent.root.dep_ == "amod":
            continue
        piece_start = ent.start_char
        for separator in [*_ENTITY_SPLIT.finditer(ent.text), None]:
            piece_end = ent.start_char + separator.start() if separator else ent.end_char
            start, end = _trimmed(text, piece_start, piece_end)
            if start < end:
                found.append(_Candidate(start, end, False))
            if separator:
                piece_start = ent.start_char + separator.end()
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = _trimmed(text, match.start(), match.end())
            if start >= end or _inside_other_entity(parsed, start, end):
                continue
            piece = text[start:end]
            if re.fullmatch(r"(?:fiscal\s+)?\d{4}", piece) and not _plausible_year(parsed, start, end):
                continue
            if piece == "May" and _is_modal(parsed, start):
                continue
            if piece.lower() in ("now", "right now") and not _is_adverb(parsed, start, end):
                continue
            found.append(_Candidate(start, end, True))
    return sorted(set(found), key=lambda c: (c.start, -c.end))


def _is_modal(parsed: ParsedText, start: int) -> bool:
    span = parsed.doc.char_span(start, start + 3, alignment_mode="expand")
    return span is not None and span[0].tag_ == "MD"


def _is_adverb(parsed: ParsedText, start: int, end: int) -> bool:
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    return (
        span is not None
        and span[-1].pos_ == "ADV"
        and not (span[-1].i + 1 < len(parsed.doc) and span[-1].nbor().lower_ == "that")
    )


def _clusters(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    clusters: list[list[_Candidate]] = []
    cluster_end = -1
    for candidate in candidates:
        if clusters and candidate.start < cluster_end:
            clusters[-1].append(candidate)
            cluster_end = max(cluster_end, candidate.end)
        else:
            clusters.append([candidate])
            cluster_end = candidate.end
    return clusters


def _pieces(cluster: list[_Candidate], longest: _Candidate, text: str) -> list[_Candidate] | None:
    """Pattern matches inside a coordinated entity ("2003 and 2004"), when there are several."""
    if not _COORDINATION.search(text[longest.start : longest.end]):
        return None
    inner = sorted(
        (c for c in cluster if c.from_pattern and c is not longest), key=lambda c: -(c.end - c.start)
    )
    chosen: list[_Candidate] = []
    for candidate in inner:
        if all(candidate.end <= other.start or other.end <= candidate.start for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start) if len(chosen) >= 2 else None


def _settle(
    parsed: ParsedText, cluster: list[_Candidate], anchor: date
) -> list[tuple[_Candidate, Resolution]]:
    ordered = sorted(cluster, key=lambda c: (-(c.end - c.start), c.from_pattern))
    for candidate in ordered:
        found = resolve_in_context(parsed, candidate.start, candidate.end, anchor)
        if found is None:
            continue
        pieces = _pieces(cluster, candidate, parsed.text)
        if pieces:
            resolved = [
                (piece, resolve_in_context(parsed, piece.start, piece.end, anchor)) for piece in pieces
            ]
            return [(piece, value) for piece, value in resolved if value is not None]
        return [(candidate, found)]
    return []


def _joined(
    parsed: ParsedText, settled: list[tuple[_Candidate, Resolution]], anchor: date
) -> list[tuple[_Candidate, Resolution]]:
    """Join neighbours that name one moment together: a clock time and its day, a weekday and its date."""
    joined: list[tuple[_Candidate, Resolution]] = []
    for candidate, found in settled:
        if joined:
            previous, previous_found = joined[-1]
            gap = parsed.text[previous.end : candidate.start]
            if _JOINABLE_GAP.match(gap) and "\n" not in gap:
                union = _Candidate(previous.start, candidate.end, True)
                together = resolve_in_context(parsed, union.start, union.end, anchor)
                kinds = {previous_found.granularity, found.granularity}
                if (
                    together is not None
                    and together.granularity in ("day", "time")
                    and kinds <= {"day", "time"}
                ):
                    joined[-1] = (union, together)
                    continue
        joined.append((candidate, found))
    return joined


def find_times(parsed: ParsedText | Doc, anchor: date) -> list[tuple[int, int, Resolution]]:
    """Every temporal expression of a parsed text with its resolution, in text order."""
    if isinstance(parsed, Doc):
        parsed = ParsedText.of(parsed)
    settled: list[tuple[_Candidate, Resolution]] = []
    for cluster in _clusters(_candidates(parsed)):
        settled.extend(_settle(parsed, cluster, anchor))
    settled.sort(key=lambda item: item[0].start)
    times: list[tuple[int, int, Resolution]] = []
    for candidate, found in _joined(parsed, settled, anchor):
        times.append(
            (
                candidate.start,
                candidate.end,
                _in_context(parsed, candidate.start, candidate.end, found, times),
            )
        )
    return [(start, end, _dated_time_of_day(parsed, start, end, found, times)) for start, end, found in times]


_NAMES_A_DAY = re.compile(
    rf"\b(?:{_WEEKDAY}|{_MONTH}|\d{{4}}-\d\d-\d\d|\d+/\d+/\d+)"
    r"|\b(?i:today|yesterday|tomorrow|tonight|last\s+night)\b"
)


def _dated_time_of_day(
    parsed: ParsedText, start: int, end: int, found: Resolution, times: list[tuple[int, int, Resolution]]
) -> Resolution:
    """A time of day that names no day ("the morning") belongs to the day named nearest to it in
    its sentence ("... during the morning rush hour on Friday"); failing one, to the anchor."""
    if found.granularity != "time" or found.value is None or _NAMES_A_DAY.search(parsed.text[start:end]):
        return found
    bounds = parsed.sentence_bounds(start)
    days = [
        (min(abs(o_start - end), abs(start - o_end)), other.value)
        for o_start, o_end, other in times
        if other.granularity == "day" and other.value and re.fullmatch(r"\d{4}-\d\d-\d\d", other.value)
        if bounds[0] <= o_start < bounds[1] and (o_start, o_end) != (start, end)
    ]
    if not days:
        return found
    return Resolution(min(days)[1] + found.value[10:], "time")


# Two far-apart anchors for an article without a publication date: what resolves the same
# against both does not depend on the anchor; the rest is left without a value.
_PROBE_ANCHORS = (date(2001, 3, 14), date(2017, 9, 27))


def _times_without_anchor(parsed: ParsedText) -> list[tuple[int, int, Resolution]]:
    first, second = (find_times(parsed, anchor) for anchor in _PROBE_ANCHORS)
    other = {(start, end): found for start, end, found in second}
    return [
        (start, end, found if other.get((start, end)) == found else Resolution(None, found.granularity))
        for start, end, found in first
    ]


def resolve_times(document: Document) -> None:
    """Fill ``document.times``. Without a publication date, expressions that need one get no value."""
    anchor = document.record.published_date()
    parsed = ParsedText.of(document.doc)
    found_times = find_times(parsed, anchor) if anchor else _times_without_anchor(parsed)
    document.times = [
        TimeExpression(
            span=(start, end),
            text=parsed.text[start:end],
            value=found.value,
            granularity=found.granularity,
            sentence=parsed.sentence_index(start),
        )
        for start, end, found in found_times
    ]
