"""Normalise one temporal expression against an anchor date (the publication date).

Values follow TimeML/ISO 8601 at the expression's granularity: "2004-02-06", "2004-02",
"2004-W06", "2004-Q1", "2004-SU", "2004", "199X" (a decade), "20XX" (a century),
"2004-02-06T15:30" or "2004-02-06TMO" (a time or a part of a day), "P15Y" (a duration),
"PRESENT_REF", "PAST_REF", "FUTURE_REF". Rules are tried most specific first; the first that
reads the text decides.

``tense`` ("past", "present" or "future") says which way an underspecified expression points:
"Friday" in "met on Friday" is the Friday on or before the anchor, in "will meet on Friday" the
Friday on or after it; in the present tense the nearest one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateline.timex.lexicon import (
    DECADE_WORDS,
    DURATION_UNITS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    TIME_UNITS,
    UNIT_WORDS,
    WEEKDAYS,
    digits_for_number_words,
)

Granularity = Literal["day", "month", "year", "decade", "time", "duration"]
Tense = Literal["past", "present", "future"]

PRESENT_REF = "PRESENT_REF"
PAST_REF = "PAST_REF"
FUTURE_REF = "FUTURE_REF"


@dataclass(frozen=True)
class Resolution:
    value: str | None
    granularity: Granularity


# -- patterns over the normalised text (lower case, numbers as digits, one space) ----------------

# Abbreviations only with their full stop or before a number ("Sept. 30", "Jan 3"): "sat", "wed",
# "sun" and "mar" are words too.
_MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|" + (
    r"december|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|(?=\s+\d)))"
)
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|" + (
    r"(?:mon|tues|tue|wed|thurs|thu|fri|sat|sun)\.)"
)
_ORDINAL_WORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_DAY = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<dayword>{_ORDINAL_WORD})"
_YEAR = r"(?P<year>1[0-9]\d\d|20\d\d)"
_UNIT = r"(?P<unit>" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")"
_NUMBER = r"(?P<number>\d+(?:\.\d+)?(?:\s+1/2)?|an?|several|a\s+few|few|many|some|a\s+couple\s+of|a\s+dozen)"
_RELATIVE = r"(?P<rel>this\s+coming|this\s+past|last|next|this|coming|past|previous|following|current|" + (
    r"latest|same|that)"
)

_ISO_DATE = re.compile(
    r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:t(?P<hh>\d{2}):(?P<mm>\d{2}))?\b"
)
_ISO_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?:the\s+)?(?:{_DAY})\b(?:,?\s*(?:of\s+)?{_YEAR})?")
_DAY_MONTH = re.compile(rf"\b(?:the\s+)?(?:{_DAY})\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?")
_MONTH_YEAR = re.compile(
    rf"(?:\b{_RELATIVE}\s+)?\b{_MONTH}(?:\s+|$)(?:(?:of\s+)?{_YEAR}|(?P<yrel>this|last|next)\s+year)?"
)
_AGO = re.compile(
    rf"(?:^|\s){_NUMBER}[\s-]+{_UNIT}\s+(?P<direction>ago|earlier|before|previously|later|after|from\s+now|hence)"
)
_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<meridiem>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
    r"|\b(?P<hhmm>\d{1,2}):(?P<mm>\d{2})\b|\b(?P<noon>noon|midday|midnight)\b"
)
_PART_OF_DAY = re.compile(r"\b(?P<part>morning|afternoon|evening|night|tonight|overnight)s?\b")
_DAY_WORD = re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight)\b")
_WEEKDAY_REF = re.compile(rf"(?:\b{_RELATIVE}\s+)?\b{_WEEKDAY}(?!\w)")
_QUARTER = re.compile(
    r"(?:\b(?P<rel>this|last|next|current|latest|previous|year-earlier|year-ago|same|its|the)\s+"
    r"(?:(?:fiscal|calendar)[\s-]+)?)?(?:(?P<midyear>\d{4})\s+)?"
    r"(?:\b(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th|q[1-4]|final|last)[\s-]+)?"
    r"(?:(?:fiscal|calendar)[\s-]+)?"
    r"\b(?P<unit>quarter|half|period)\b(?:\s+(?:of\s+)?(?P<year>\d{4}))?"
)
_QUARTER_YEAR_OWNER = re.compile(r"\b(?P<owner>this|last|next)\s+year'?s?\b|\b(?P<year>\d{4})'?s?\b")
_SEASON = re.compile(
    r"(?:\b(?P<rel>this\s+past|this\s+coming|this|last|next|coming|past|the)\s+)?\b(?P<season>spring|summer|fall|"
    r"autumn|winter)\b(?:\s+(?:of\s+)?(?P<year>\d{4}))?"
)
_WEEKEND = re.compile(rf"(?:\b{_RELATIVE}\s+)?\bweekend\b")
_RELATIVE_PERIOD = re.compile(
    rf"\b{_RELATIVE}\s+(?:(?:fiscal|calendar|financial)\s+)?(?P<unit>day|week|month|year|decade|century)\b"
)
_THE_PERIOD = re.compile(r"^(?:the\s+)?(?:(?:fiscal|full|calendar|financial)\s+)?(?P<unit>week|month|year)$")
_DECADE = re.compile(
    r"(?:^|\s)(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?"
    r"(?:(?P<century>1[0-9]|20)(?P<decade>\d)0|'?(?P<short>\d)0)'?s\b"
    r"|\b(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?(?P<word>" + "|".join(DECADE_WORDS) + r")\b"
)
_CENTURY = re.compile(
    rf"\b(?P<ordinal>\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_WORD})[\s-]+century\b|\b(?P<rel>this|last|next|past)\s+century\b"
)
_DURATION = re.compile(
    rf"(?:^|\s){_NUMBER}(?:\s+and\s+a\s+half)?(?:\s+(?:more|additional|further|full|straight|trading|"
    rf"consecutive|calendar|business|working))?[\s-]+{_UNIT}(?P<half>\s+and\s+a\s+half)?\b"
)
_HALF_DURATION = re.compile(rf"\bhalf\s+an?\s+{_UNIT}\b")
_VAGUE_DURATION = re.compile(
    r"^(?:(?:the|these|those|recent|past|coming|next|last|many|early)\s+)*" + _UNIT + "$"
)
_YEAR_ALONE = re.compile(r"(?:^|[\s(])(?:'(?P<short>\d\d)\b|(?P<year>1[0-9]\d\d|20\d\d)\b)")
_SET = re.compile(
    r"\b(?P<adverb>daily|weekly|monthly|quarterly|annually|yearly|hourly)\b"
    r"|\b(?:each|every|per)\s+(?P<unit>hour|day|week|month|quarter|year)\b"
    r"|\b(?:each|every)\s+" + _WEEKDAY
)

_PRESENT_WORDS = re.compile(
    r"^(?:right\s+)?(?:now|currently|current|nowadays|these\s+days|at\s+present|present|the\s+present|"
    r"presently|this\s+time|the\s+moment|this\s+moment|today's)$"
)
_PAST_WORDS = re.compile(
    r"^(?:(?:more|most|very)\s+)?(?:recently|recent|previously|formerly|once|earlier|lately|the\s+past|past|"
    r"in\s+the\s+past|before|then|the\s+time|former\s+times|years\s+ago|long\s+ago|some\s+time\s+ago|"
    r"(?:several|a\s+few|few|many|some)\s+(?:days|weeks|months|years)\s+ago)$"
)
_FUTURE_WORDS = re.compile(
    r"^(?:the\s+)?(?:future|soon|shortly|near\s+future|near\s+term|short\s+term|long\s+term|medium\s+term|"
    r"future\s+(?:quarters|years)|later|a\s+later\s+date|eventually|as\s+soon\s+as\s+possible|some\s+day|"
    r"someday)$"
)

_MODIFIERS = re.compile(
    r"^(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid|middle\s+of|end\s+of|beginning\s+of|start\s+of|close\s+of|"
    r"first\s+half\s+of|second\s+half\s+of|spring\s+of|remainder\s+of|rest\s+of)|earlier|later|around|about|"
    r"approximately|nearly|almost|more\s+than|less\s+than|no\s+more\s+than|at\s+least|up\s+to|within|"
    r"since|until|till|by|from|through|throughout|during|over|in|on|at|as\s+of|sometime|some\s+time|"
    r"just|only|fiscal|calendar|roughly|some|as\s+early\s+as|as\s+late\s+as)[\s-]+"
)


def normalise_text(text: str) -> str:
    """Lower case, one space, plain hyphens and apostrophes, numbers as digits."""
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    lowered = re.sub(r"[‐‑‒–—]", "-", lowered)
    lowered = re.sub(r"(?<=\d),(?=\d{3}\b)", "", lowered)
    lowered = re.sub(r"\s+", " ", lowered).strip(' ,.;:!?"()[]')
    lowered = re.sub(r"'s$", "", lowered)
    lowered = re.sub(r"\b(?:a\s+)?couple\s+of\b", "2", lowered)
    lowered = re.sub(r"\b(?:a|one)\s+dozen\b", "12", lowered)
    return digits_for_number_words(lowered)


def strip_modifiers(text: str) -> str:
    """Leave out the words that only shade an expression ("early", "the end of", "about")."""
    previous = None
    while previous != text:
        previous = text
        text = _MODIFIERS.sub("", text, count=1).strip()
    return text


# -- calendar helpers --------------------------------------------------------------------------


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# How far back (or ahead) the tense may send a month or a day named without its year. Writers add
# the year to a date more than half a year away ("last March", "March 2003"), and a past-tense
# sentence often names an upcoming date ("declared a dividend payable Dec. 7").
HALF_YEAR = 183


def _choose(
    candidates: list[date], anchor: date, tense: Tense, strict: bool = False, window: int | None = None
) -> date:
    """The candidate that fits the tense: the latest on/before the anchor for the past, the
    earliest on/after it for the future, the nearest for the present. With ``window`` (days),
    a reading that fits the tense but lies further away than that gives way to the nearest."""
    before = [c for c in candidates if c < anchor or (c == anchor and not strict)]
    after = [c for c in candidates if c > anchor or (c == anchor and not strict)]
    fitting: date | None = None
    if tense == "past" and before:
        fitting = max(before)
    elif tense == "future" and after:
        fitting = min(after)
    if fitting is not None and (window is None or abs((fitting - anchor).days) <= window):
        return fitting
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _iso_week(day: date) -> str:
    iso_year, week, _ = day.isocalendar()
    return f"{iso_year}-W{week:02d}"


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _day(value: date) -> Resolution:
    return Resolution(value.isoformat(), "day")


def _month(year: int, month: int) -> Resolution:
    return Resolution(f"{year:04d}-{month:02d}", "month")


def _year(year: int) -> Resolution:
    return Resolution(f"{year:04d}", "year")


def _amount(text: str) -> float | None:
    """The number of a duration: digits, "a"/"an", "2 1/2"; None for the vague ones ("several")."""
    text = text.strip()
    if re.fullmatch(r"an?", text):
        return 1.0
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    halves = re.fullmatch(r"(\d+)\s+1/2", text)
    if halves:
        return int(halves.group(1)) + 0.5
    if text in ("a couple of", "2"):
        return 2.0
    if text == "a dozen":
        return 12.0
    return None


# -- the rules -----------------------------------------------------------------------------------


def _numeric_date(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _ISO_DATE.search(text)
    if match:
        day = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day is None:
            return None
        if match["hh"]:
            return Resolution(f"{day.isoformat()}T{match['hh']}:{match['mm']}", "time")
        return _day(day)
    match = _ISO_MONTH.match(text)
    if match and 1 <= int(match["month"]) <= 12:
        return _month(int(match["year"]), int(match["month"]))
    match = _NUMERIC_DATE.search(text)
    if match:
        first, second = int(match["a"]), int(match["b"])
        year = int(match["year"])
        if year < 100:
            year += 1900 if year > (anchor.year % 100) + 10 else 2000
        # Month first, as American wire copy writes it, unless the first number cannot be a month.
        month, day_of_month = (second, first) if first > 12 else (first, second)
        day = _valid_date(year, month, day_of_month)
        return _day(day) if day else None
    return None


def _day_of_month(match: re.Match[str]) -> int | None:
    if match["day"]:
        return int(match["day"])
    if match["dayword"]:
        return ORDINALS.get(match["dayword"])
    return None


def _month_day(text: str, anchor: date, tense: Tense) -> Resolution | None:
    if re.search(r"\b(?:coming|next)\b", text):
        tense = "future"
    elif re.search(r"\b(?:last|past|previous)\b", text):
        tense = "past"
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.search(text)
        if not match:
            continue
        month = MONTHS[match["month"].rstrip(".")]
        day_of_month = _day_of_month(match)
        if day_of_month is None or not 1 <= day_of_month <= 31:
            continue
        if match["year"]:
            day = _valid_date(int(match["year"]), month, day_of_month)
            return _day(day) if day else None
        candidates = [
            d
            for y in (anchor.year - 1, anchor.year, anchor.year + 1)
            if (d := _valid_date(y, month, day_of_month))
        ]
        if candidates:
            return _day(_choose(candidates, anchor, tense, window=None))
    return None


def _relative_day(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _DAY_WORD.search(text)
    if not match:
        return None
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[match["word"]]
    if re.search(r"\bday\s+before\s+yesterday\b", text):
        offset = -2
    elif re.search(r"\bday\s+after\s+tomorrow\b", text):
        offset = 2
    return _day(anchor + timedelta(days=offset))


def _weekday_date(weekday: int, rel: str | None, anchor: date, tense: Tense) -> date:
    candidates = [anchor + timedelta(days=delta) for delta in range(-7, 8)]
    candidates = [c for c in candidates if c.weekday() == weekday]
    if rel in ("last", "previous", "this past", "past"):
        return _choose(candidates, anchor, "past", strict=True)
    if rel in ("next", "coming", "this coming", "following"):
        return _choose(candidates, anchor, "future", strict=True)
    if rel == "this":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=weekday)
    return _choose(candidates, anchor, tense)


def _weekday(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _WEEKDAY_REF.search(text)
    if not match:
        return None
    weekday = WEEKDAYS[match["weekday"].rstrip(".")]
    return _day(_weekday_date(weekday, match["rel"], anchor, tense))


def _date_part(text: str, anchor: date, tense: Tense) -> date | None:
    """The day a time of day belongs to ("Thursday" in "10 p.m. Wednesday"), if the text names one."""
    for rule in (_numeric_date, _month_day, _relative_day, _weekday):
        found = rule(text, anchor, tense)
        if found and found.value and found.granularity == "day":
            return date.fromisoformat(found.value)
    return None


def _time_of_day(text: str, anchor: date, tense: Tense) -> Resolution | None:
    clock = _CLOCK.search(text)
    part = _PART_OF_DAY.search(text)
    if not clock and not part:
        return None
    if part and re.search(r"\b(?:every|each)\b|nights\b|mornings\b|evenings\b", text):
        return None
    day = _date_part(text, anchor, tense)
    if part and part["part"] == "night" and re.search(r"\blast\s+night\b", text):
        day = anchor - timedelta(days=1)
    if day is None:
        day = anchor
    if clock:
        if clock["noon"]:
            hour, minute = (24 if clock["noon"] == "midnight" else 12), 0
        elif clock["hhmm"]:
            hour, minute = int(clock["hhmm"]), int(clock["mm"])
        else:
            hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
            meridiem = clock["meridiem"].replace(".", "").replace(" ", "")
            if meridiem == "pm" and hour < 12:
                hour += 12
            elif meridiem == "am" and hour == 12:
                hour = 0
        if hour > 24 or minute > 59:
            return None
        return Resolution(f"{day.isoformat()}T{hour:02d}:{minute:02d}", "time")
    assert part is not None
    return Resolution(f"{day.isoformat()}T{PARTS_OF_DAY[part['part']]}", "time")


def _ago(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _AGO.search(text)
    if not match:
        return None
    amount = _amount(match["number"])
    unit = UNIT_WORDS[match["unit"]]
    forward = match["direction"] in ("later", "after", "from now", "hence")
    if amount is None:
        return Resolution(FUTURE_REF if forward else PAST_REF, "year")
    steps = int(amount) * (1 if forward else -1)
    if unit == "day":
        return _day(anchor + timedelta(days=steps))
    if unit == "week":
        return Resolution(_iso_week(anchor + timedelta(weeks=steps)), "month")
    if unit == "month":
        return _month(*_shift_months(anchor.year, anchor.month, steps))
    if unit == "quarter":
        year, month = _shift_months(anchor.year, anchor.month, 3 * steps)
        return Resolution(f"{year}-Q{(month - 1) // 3 + 1}", "year")
    if unit == "year":
        return _year(anchor.year + steps)
    if unit == "decade":
        return Resolution(f"{(anchor.year + 10 * steps) // 10}X", "decade")
    return _day(anchor)  # hours or minutes ago: the day is all the anchor tells


def _quarter(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    unit, ordinal, rel = match["unit"], match["ordinal"], match["rel"]
    if (
        unit == "period"
        and rel not in ("latest", "current", "year-earlier", "year-ago")
        and not match["midyear"]
    ):
        return None
    if not ordinal and rel in (None, "its"):
        return None
    current = _quarter_of(anchor)
    per_year = 4 if unit in ("quarter", "period") else 2
    position = (current + 1) // 2 if per_year == 2 else current
    year = anchor.year
    if match["year"] or match["midyear"]:
        year = int(match["year"] or match["midyear"])
    owner = _QUARTER_YEAR_OWNER.search(text[: match.start("unit")])
    if owner and owner["owner"]:
        year += {"this": 0, "last": -1, "next": 1}[owner["owner"]]
    elif owner and owner["year"] and not match["year"]:
        year = int(owner["year"])
    explicit_year = bool(match["year"] or match["midyear"]) or bool(owner)
    if ordinal:
        number = {"first": 1, "1st": 1, "q1": 1, "second": 2, "2nd": 2, "q2": 2, "third": 3, "3rd": 3}.get(
            ordinal, per_year if ordinal in ("fourth", "4th", "q4", "final", "last") else 4
        )
        if per_year == 2 and number > 2:
            return None
        if not explicit_year:
            starts = [date(y, 3 * number - 2, 1) for y in (year - 1, year, year + 1)]
            if per_year == 2:
                starts = [date(y, 6 * number - 5, 1) for y in (year - 1, year, year + 1)]
            current_start = date(anchor.year, anchor.month - (anchor.month - 1) % (12 // per_year), 1)
            year = _choose(starts, current_start, tense, window=HALF_YEAR).year
    else:
        # A company's "latest quarter" or "the quarter" is the one it has just reported on.
        number = position if rel in ("this", "current", "same") else position - 1
        if rel == "next":
            number = position + 1
        if number < 1:
            number += per_year
            year -= 1
        elif number > per_year:
            number -= per_year
            year += 1
        if rel in ("year-earlier", "year-ago"):
            year -= 1
        elif match["midyear"]:
            year = int(match["midyear"])
    code = "Q" if per_year == 4 else "H"
    return Resolution(f"{year:04d}-{code}{number}", "year")


def _season(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _SEASON.search(text)
    if not match:
        return None
    code, start_month = SEASONS[match["season"]]
    if match["year"]:
        return Resolution(f"{match['year']}-{code}", "year")
    rel = match["rel"]
    if rel in ("this",):
        return Resolution(f"{anchor.year:04d}-{code}", "year")
    starts = [date(y, start_month, 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if rel in ("last", "this past", "past"):
        chosen = _choose(starts, anchor, "past", strict=True)
    elif rel in ("next", "coming", "this coming"):
        chosen = _choose(starts, anchor, "future", strict=True)
    else:
        chosen = _choose(starts, anchor, tense, window=HALF_YEAR)
    return Resolution(f"{chosen.year:04d}-{code}", "year")


def _month_name(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _MONTH_YEAR.search(text)
    if not match:
        return None
    word = match["month"].rstrip(".")
    # "may" and "march" are also words; as bare lower-case words they need a year or a relative word.
    bare = not (match["year"] or match["yrel"] or match["rel"])
    if word in ("may", "march") and bare and text.strip() != match.group(0).strip():
        return None
    month = MONTHS[word]
    if match["year"]:
        return _month(int(match["year"]), month)
    if match["yrel"]:
        return _month(anchor.year + {"this": 0, "last": -1, "next": 1}[match["yrel"]], month)
    starts = [_month_start(y, month) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    current = _month_start(anchor.year, anchor.month)
    rel = match["rel"]
    if rel == "this":
        return _month(anchor.year, month)
    if rel in ("last", "past", "previous", "this past"):
        chosen = _choose(starts, current, "past", strict=True)
    elif rel in ("next", "coming", "this coming", "following"):
        chosen = _choose(starts, current, "future", strict=True)
    else:
        chosen = _choose(starts, current, tense, window=None)
    return _month(chosen.year, chosen.month)


def _weekend(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _WEEKEND.search(text)
    if not match:
        return None
    saturdays = [anchor + timedelta(days=delta) for delta in range(-8, 9)]
    saturdays = [d for d in saturdays if d.weekday() == 5]
    rel = match["rel"]
    if rel == "this":
        saturday = anchor - timedelta(days=anchor.weekday()) + timedelta(days=5)
    elif rel in ("last", "past", "previous", "this past"):
        saturday = _choose(saturdays, anchor - timedelta(days=1), "past")
    elif rel in ("next", "coming", "this coming", "following"):
        saturday = _choose(saturdays, anchor + timedelta(days=1), "future")
    else:
        saturday = _choose(saturdays, anchor, tense)
    return Resolution(f"{_iso_week(saturday)}-WE", "day")


_REL_STEP = {
    "last": -1,
    "past": -1,
    "previous": -1,
    "this past": -1,
    "next": 1,
    "coming": 1,
    "this coming": 1,
    "following": 1,
    "this": 0,
    "current": 0,
    "latest": 0,
    "same": 0,
    "that": 0,
}


def _relative_period(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _RELATIVE_PERIOD.search(text)
    step: int
    if match:
        step = _REL_STEP[match["rel"]]
        unit = match["unit"]
    else:
        match = re.search(r"\b(?:a|one)\s+(?P<unit>year|month|week)\s+(?:ago|earlier|before)\b", text)
        if match:
            step, unit = -1, match["unit"]
        else:
            match = re.search(r"^(?:the\s+)?year[\s-](?:earlier|ago)\b", text)
            if not match:
                return None
            step, unit = -1, "year"
    if unit == "day":
        return _day(anchor + timedelta(days=step))
    if unit == "week":
        return Resolution(_iso_week(anchor + timedelta(weeks=step)), "month")
    if unit == "month":
        return _month(*_shift_months(anchor.year, anchor.month, step))
    if unit == "year":
        return _year(anchor.year + step)
    if unit == "decade":
        return Resolution(f"{anchor.year // 10 + step}X", "decade")
    return Resolution(f"{anchor.year // 100 + step}XX", "decade")


def _decade(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _DECADE.search(text)
    if not match:
        return None
    if match["century"]:
        return Resolution(f"{match['century']}{match['decade']}X", "decade")
    digit = match["short"] or str(DECADE_WORDS[match["word"]])
    century = anchor.year // 100
    if int(digit) * 10 > anchor.year % 100 + 5:
        century -= 1  # "the '90s" written in 2004 are the 1990s
    return Resolution(f"{century}{digit}X", "decade")


def _century(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _CENTURY.search(text)
    if not match:
        return None
    if match["rel"]:
        step = {"this": 0, "last": -1, "past": -1, "next": 1}[match["rel"]]
        return Resolution(f"{anchor.year // 100 + step:02d}XX", "decade")
    ordinal = match["ordinal"]
    number = int(re.sub(r"\D", "", ordinal)) if ordinal[0].isdigit() else ORDINALS[ordinal]
    return Resolution(f"{number - 1:02d}XX", "decade")


def _duration_value(amount: float | None, unit: str) -> str:
    """ISO 8601 duration: whole units, a half carried into the next smaller unit."""
    if amount is None:
        designator = DURATION_UNITS[unit]
        return f"PTX{designator}" if unit in TIME_UNITS else f"PX{designator}"
    if unit == "decade":
        amount, unit = amount * 10, "year"
    elif unit == "century":
        amount, unit = amount * 100, "year"
    whole = int(amount)
    fraction = amount - whole
    smaller = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7), "day": ("hour", 24)}
    smaller.update({"hour": ("minute", 60), "minute": ("second", 60)})
    parts = [(whole, unit)]
    if fraction and unit in smaller:
        next_unit, factor = smaller[unit]
        parts.append((round(fraction * factor), next_unit))
    date_part = "".join(f"{n}{DURATION_UNITS[u]}" for n, u in parts if n and u not in TIME_UNITS)
    time_part = "".join(f"{n}{DURATION_UNITS[u]}" for n, u in parts if n and u in TIME_UNITS)
    if not date_part and not time_part:
        date_part = f"0{DURATION_UNITS[unit]}"
    return "P" + date_part + (f"T{time_part}" if time_part else "")


def _is_fraction(match: re.Match[str], text: str) -> bool:
    """ "three-quarters", "a quarter of the votes": parts of a whole, not spans of three months."""
    return bool(
        re.match(r"an?$", match["number"])
        or "-" in match.group(0)
        or re.match(r"\s+of\b", text[match.end() :])
    )


def _duration(text: str, anchor: date, tense: Tense) -> Resolution | None:
    half = _HALF_DURATION.search(text)
    if half:
        return Resolution(_duration_value(0.5, UNIT_WORDS[half["unit"]]), "duration")
    match = _DURATION.search(text)
    if match and re.fullmatch(r"1[0-9]\d\d|20\d\d", match["number"]) and "-" not in match.group(0):
        match = None  # "the 1988 quarter" names a year
    if match and match["unit"].startswith("quarter") and _is_fraction(match, text):
        match = None
    if match:
        unit = UNIT_WORDS[match["unit"]]
        amount = _amount(match["number"])
        if amount is not None and (match["half"] or "and a half" in match.group(0)):
            amount += 0.5
        return Resolution(_duration_value(amount, unit), "duration")
    match = _VAGUE_DURATION.match(text)
    if match and match["unit"] in UNIT_WORDS and match["unit"].endswith(("s", "ies")):
        return Resolution(_duration_value(None, UNIT_WORDS[match["unit"]]), "duration")
    return None


def _the_period(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _THE_PERIOD.match(text)
    if not match:
        return None
    return Resolution(_duration_value(1.0, match["unit"]), "duration")


def _explicit_year(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _YEAR_ALONE.search(text)
    if not match:
        return None
    if match["short"]:
        short = int(match["short"])
        century = anchor.year // 100 if short <= anchor.year % 100 + 10 else anchor.year // 100 - 1
        return _year(century * 100 + short)
    return _year(int(match["year"]))


def _set(text: str, anchor: date, tense: Tense) -> Resolution | None:
    match = _SET.search(text)
    if not match:
        return None
    if match["weekday"]:
        return Resolution(f"XXXX-WXX-{WEEKDAYS[match['weekday'].rstrip('.')] + 1}", "duration")
    unit = (
        match["unit"]
        or {
            "daily": "day",
            "weekly": "week",
            "monthly": "month",
            "quarterly": "quarter",
            "annually": "year",
            "yearly": "year",
            "hourly": "hour",
        }[match["adverb"]]
    )
    return Resolution(_duration_value(1.0, unit), "duration")


def _reference(text: str, anchor: date, tense: Tense) -> Resolution | None:
    if _PRESENT_WORDS.match(text):
        return Resolution(PRESENT_REF, "year")
    if _PAST_WORDS.match(text):
        return Resolution(PAST_REF, "year")
    if _FUTURE_WORDS.match(text):
        return Resolution(FUTURE_REF, "year")
    return None


Rule = Callable[[str, date, Tense], Resolution | None]

# Most specific first: a duration rule would read "two weeks ago" as "two weeks", a year rule
# would read "Oct. 15, 1999" as "1999".
RULES: tuple[Rule, ...] = (
    _reference,
    _set,
    _ago,
    _time_of_day,
    _numeric_date,
    _month_day,
    _relative_day,
    _weekday,
    _century,
    _quarter,
    _season,
    _month_name,
    _weekend,
    _decade,
    _duration,
    _relative_period,
    _the_period,
    _explicit_year,
)


def resolve(text: str, anchor: date, tense: Tense = "past") -> Resolution | None:
    """The value and granularity of one temporal expression, or None when it holds none."""
    normalised = normalise_text(text)
    if not normalised:
        return None
    stripped = strip_modifiers(normalised)
    period = _THE_PERIOD.match(stripped)
    if stripped != normalised and period:
        # "the end of the year", "earlier in the month": a part of the current period
        return _relative_period(f"this {period['unit']}", anchor, tense)
    for candidate in dict.fromkeys((normalised, stripped)):
        for rule in RULES:
            found = rule(candidate, anchor, tense)
            if found is not None:
                return found
    return None
