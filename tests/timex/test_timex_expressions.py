"""resolve_expression on its own: every form the Dates section names, against a fixed anchor."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.timex import resolve_expression

SATURDAY = date(2004, 2, 7)  # the seed's publication day
AUTUMN = date(1989, 10, 27)  # a Friday in the fourth quarter


@pytest.mark.parametrize(
    ("text", "tense", "value", "granularity"),
    [
        ("Friday", "past", "2004-02-06", "day"),
        ("Friday", "future", "2004-02-13", "day"),
        ("Saturday", "past", "2004-02-07", "day"),
        ("last Friday", "past", "2004-02-06", "day"),
        ("next Tuesday", "past", "2004-02-10", "day"),
        ("this coming Monday", "past", "2004-02-09", "day"),
        ("yesterday", "past", "2004-02-06", "day"),
        ("today", "present", "2004-02-07", "day"),
        ("tomorrow", "future", "2004-02-08", "day"),
        ("March 3", "past", "2003-03-03", "day"),
        ("March 3", "future", "2004-03-03", "day"),
        ("Feb. 2", "past", "2004-02-02", "day"),
        ("3 March 2004", "past", "2004-03-03", "day"),
        ("Oct. 15, 1999", "future", "1999-10-15", "day"),
        ("2004-02-06", "past", "2004-02-06", "day"),
        ("02/06/2004", "past", "2004-02-06", "day"),
        ("10 days ago", "past", "2004-01-28", "day"),
        ("Saturday, April 25", "future", "2004-04-25", "day"),
        ("this coming Sunday, March eighth", "present", "2004-03-08", "day"),
    ],
)
def test_days(text: str, tense: str, value: str, granularity: str) -> None:
    assert resolve_expression(text, SATURDAY, tense) == (value, granularity)


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("last month", "past", "2004-01"),
        ("next month", "future", "2004-03"),
        ("this month", "present", "2004-02"),
        ("earlier this month", "past", "2004-02"),
        ("in March", "future", "2004-03"),
        ("in March", "past", "2003-03"),
        ("last December", "past", "2003-12"),
        ("December", "past", "2003-12"),
        ("January this year", "past", "2004-01"),
        ("June last year", "past", "2003-06"),
        ("March 1996", "past", "1996-03"),
    ],
)
def test_months(text: str, tense: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY, tense) == (value, "month")


def test_the_present_tense_takes_the_nearest_reading() -> None:
    # "the offer expires Dec. 7", written in October: the coming December
    assert resolve_expression("January", AUTUMN, "present") == ("1990-01", "month")
    assert resolve_expression("Dec. 7", AUTUMN, "present") == ("1989-12-07", "day")
    assert resolve_expression("Sept. 30", AUTUMN, "present") == ("1989-09-30", "day")
    assert resolve_expression("Friday", SATURDAY, "present") == ("2004-02-06", "day")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("in 2003", "2003"),
        ("fiscal 1989", "1989"),
        ("mid-1996", "1996"),
        ("the end of 1994", "1994"),
        ("this year", "2004"),
        ("last year", "2003"),
        ("next year", "2005"),
        ("early next year", "2005"),
        ("a year ago", "2003"),
        ("two years ago", "2002"),
        ("nineteen ninety-six", "1996"),
        ("the year two thousand", "2000"),
        ("'98", "1998"),
    ],
)
def test_years(text: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY) == (value, "year")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the 1990s", "199X"),
        ("the mid-1980s", "198X"),
        ("the '90s", "199X"),
        ("the nineties", "199X"),
        ("the 21st Century", "20XX"),
        ("the twentieth century", "19XX"),
    ],
)
def test_decades_and_centuries(text: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY) == (value, "decade")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15-year", "P15Y"),
        ("three days", "P3D"),
        ("for two weeks", "P2W"),
        ("the past two years", "P2Y"),
        ("nearly forty years", "P40Y"),
        ("2 1/2 years", "P2Y6M"),
        ("a year and a half", "P1Y6M"),
        ("six months", "P6M"),
        ("two-hour", "PT2H"),
        ("half an hour", "PT30M"),
        ("two decades", "P20Y"),
        ("several years", "PXY"),
        ("the next few days", "PXD"),
        ("recent weeks", "PXW"),
    ],
)
def test_durations_stay_durations(text: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY) == (value, "duration")


def test_a_fraction_is_no_duration() -> None:
    assert resolve_expression("three-quarters", SATURDAY)[0] != "P3Q"
    assert resolve_expression("a quarter", SATURDAY)[1] != "duration"


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("the third quarter", "past", "1989-Q3"),
        ("third-quarter", "future", "1989-Q3"),
        ("the fourth quarter", "present", "1989-Q4"),
        ("the first quarter", "past", "1990-Q1"),
        ("next year's first quarter", "past", "1990-Q1"),
        ("the third quarter of 1990", "past", "1990-Q3"),
        ("the latest quarter", "past", "1989-Q3"),
        ("the year-earlier quarter", "past", "1988-Q3"),
        ("the first half of 1990", "past", "1990-H1"),
        ("this summer", "past", "1989-SU"),
        ("last spring", "past", "1989-SP"),
        ("last week", "past", "1989-W42"),
        ("next week", "future", "1989-W44"),
        ("the weekend", "past", "1989-W42-WE"),
    ],
)
def test_weeks_quarters_halves_and_seasons(text: str, tense: str, value: str) -> None:
    assert resolve_expression(text, AUTUMN, tense)[0] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5 p.m.", "2004-02-07T17:00"),
        ("10 p.m. Wednesday", "2004-02-04T22:00"),
        ("noon Thursday", "2004-02-05T12:00"),
        ("this morning", "2004-02-07TMO"),
        ("last night", "2004-02-06TNI"),
        ("Friday evening", "2004-02-06TEV"),
        ("tonight", "2004-02-07TNI"),
    ],
)
def test_times_of_day(text: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY) == (value, "time")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("now", "PRESENT_REF"),
        ("currently", "PRESENT_REF"),
        ("recently", "PAST_REF"),
        ("the future", "FUTURE_REF"),
    ],
)
def test_vague_references(text: str, value: str) -> None:
    assert resolve_expression(text, SATURDAY)[0] == value


@pytest.mark.parametrize("text", ["the plague", "tons of oil", "", "Azerbaijan", "may"])
def test_text_without_a_time_has_no_value(text: str) -> None:
    if text == "may":
        # a bare month name on its own is still read as the month: callers pass expressions
        assert resolve_expression(text, SATURDAY) == ("2003-05", "month")
    else:
        assert resolve_expression(text, SATURDAY) == (None, "")
