"""Words of the English calendar: months, weekdays, seasons, units, numbers written out."""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

# TimeML season codes; the month a season starts in, so "this past spring" can be placed.
SEASONS: dict[str, tuple[str, int]] = {
    "spring": ("SP", 3),
    "summer": ("SU", 6),
    "fall": ("FA", 9),
    "autumn": ("FA", 9),
    "winter": ("WI", 12),
}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}

# ISO 8601 designators of duration units; the time units sit after the "T".
DURATION_UNITS: dict[str, str] = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "E",
    "century": "C",
}
TIME_UNITS = frozenset({"second", "minute", "hour"})

UNIT_WORDS: dict[str, str] = {
    "second": "second",
    "seconds": "second",
    "sec": "second",
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "year": "year",
    "years": "year",
    "yr": "year",
    "decade": "decade",
    "decades": "decade",
    "century": "century",
    "centuries": "century",
}

ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "twenty-second": 22,
    "twenty-third": 23,
    "twenty-fourth": 24,
    "twenty-fifth": 25,
    "twenty-sixth": 26,
    "twenty-seventh": 27,
    "twenty-eighth": 28,
    "twenty-ninth": 29,
    "thirtieth": 30,
    "thirty-first": 31,
}

SMALL_NUMBERS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

DECADE_WORDS: dict[str, int] = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|" + (
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand)"
)
_NUMBER_RUN = re.compile(
    rf"\b(?:an?\s+(?=hundred|thousand|dozen))?{NUMBER_WORD}(?:(?:[\s-]+|[\s-]+and[\s-]+){NUMBER_WORD})*\b"
)


def _value_of_words(words: list[str]) -> int | None:
    """The number a run of number words spells: "twenty five", "two thousand four", "nineteen ninety-six"."""
    groups: list[int] = []  # values below one hundred, in order, for the "nineteen ninety-six" year form
    total = 0
    current = 0
    scaled = False
    for word in words:
        if word in ("a", "an"):
            current = 1
        elif word == "and":
            continue
        elif word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
            groups.append(SMALL_NUMBERS[word])
        elif word in TENS:
            current += TENS[word]
            groups.append(TENS[word])
        elif word in SCALES:
            scaled = True
            factor = SCALES[word]
            if factor == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * factor
                current = 0
        else:
            return None
    if not scaled and len(groups) >= 2:
        first, rest = groups[0], groups[1:]
        if 10 < first < 100 and first % 10 != 0 and sum(rest) >= 10 and rest[0] >= 10:
            return first * 100 + sum(rest)  # a year said the spoken way: nineteen ninety-six
    return total + current


def digits_for_number_words(text: str) -> str:
    """``text`` (lower case) with each run of number words replaced by its digits."""

    def replace(match: re.Match[str]) -> str:
        words = re.split(r"[\s-]+", match.group(0))
        value = _value_of_words(words)
        return str(value) if value is not None else match.group(0)

    return _NUMBER_RUN.sub(replace, text)
