"""Datelines in the forms wire services use, on sentences written for these tests."""

from __future__ import annotations

import pytest

from dateline.clean import clean
from dateline.clean.dateline import parse_dateline, title_case
from dateline.record import RawDoc


@pytest.mark.parametrize(
    ("opening", "place", "agency", "when", "rest"),
    [
        (
            "MOSCOW (Combined Sources)–Azerbaijan’s president arrived.",
            "Moscow",
            "Combined Sources",
            None,
            "Azerbaijan’s president arrived.",
        ),
        (
            "WASHINGTON (AP) — The Senate voted on Tuesday.",
            "Washington",
            "AP",
            None,
            "The Senate voted on Tuesday.",
        ),
        (
            "LONDON, March 3 (Reuters) - British lawmakers met.",
            "London",
            "Reuters",
            "2021-03-03",
            "British lawmakers met.",
        ),
        ("KYIV: Ukraine's grid held overnight.", "Kyiv", None, None, "Ukraine's grid held overnight."),
        (
            "PARIS, France (AFP) -- Unions called a strike.",
            "Paris, France",
            "AFP",
            None,
            "Unions called a strike.",
        ),
        (
            "BEIRUT, Lebanon — Power returned to the city.",
            "Beirut, Lebanon",
            None,
            None,
            "Power returned to the city.",
        ),
        (
            "NEW YORK, Jan. 5, 2020 (UPI) -- Markets opened higher.",
            "New York",
            "UPI",
            "2020-01-05",
            "Markets opened higher.",
        ),
        (
            "HEMPSTEAD, N.Y., Sept. 26 (UPI) — The debate began.",
            "Hempstead, N.Y.",
            "UPI",
            "2021-09-26",
            "The debate began.",
        ),
        (
            "ST. JOHN'S, Newfoundland — Fishing resumed.",
            "St. John's, Newfoundland",
            None,
            None,
            "Fishing resumed.",
        ),
        ("Geneva (Reuters) - Talks stalled.", "Geneva", "Reuters", None, "Talks stalled."),
    ],
)
def test_dateline_forms(opening: str, place: str, agency: str | None, when: str | None, rest: str) -> None:
    found = parse_dateline(opening, published="2021-03-04")
    assert found is not None
    assert found.dateline.place == place
    assert found.dateline.agency == agency
    assert found.dateline.date == when
    assert opening[found.end :] == rest


@pytest.mark.parametrize(
    "opening",
    [
        "UPDATE: The minister resigned.",
        "HUFFPOLLSTER: A poll shows a tight race.",
        "Moscow – the city of domes – hosted the talks.",
        "NATO-led forces withdrew.",
        "The president said – again – that he would stay.",
        "WASHINGTON is a city of monuments.",
    ],
)
def test_openings_that_are_not_datelines(opening: str) -> None:
    assert parse_dateline(opening) is None


def test_date_without_year() -> None:
    found = parse_dateline("LONDON, March 3 (Reuters) - Talks opened.")
    assert found is not None and found.dateline.date == "XXXX-03-03"
    # A December dateline on a story published in January belongs to the year before.
    found = parse_dateline("OSLO, Dec. 30 (Reuters) - Talks opened.", published="2022-01-02")
    assert found is not None and found.dateline.date == "2021-12-30"


def test_title_case() -> None:
    assert title_case("NEW YORK") == "New York"
    assert title_case("N'DJAMENA") == "N'Djamena"
    assert title_case("ST. JOHN'S") == "St. John's"


def test_clean_strips_the_dateline_and_dates_the_article() -> None:
    raw = (
        "Markets Rally\n\nNEW YORK, Jan. 5, 2020 (UPI) -- Markets opened higher on Monday.\n\n"
        "Traders cheered."
    )
    record = clean(RawDoc("wire", raw))
    assert record.text.startswith("Markets opened higher on Monday.")
    assert record.dateline is not None and record.dateline.place == "New York"
    assert record.published == "2020-01-05"
    # A date given by the caller, or found with the article, wins over the dateline's.
    assert clean(RawDoc("wire", raw, published="2020-01-06")).published == "2020-01-06"
    assert (
        clean(RawDoc("wire", raw, published="2020-01-06"), published="2020-01-07").published == "2020-01-07"
    )


def test_wire_slug_is_furniture_and_the_dateline_below_it_is_read() -> None:
    raw = (
        "AP-US--Pipeline-Talks, 2nd Ld-Writethru\n"
        "VIENNA (AP) — The ministers agreed on Tuesday to resume talks on the pipeline.\n\n"
        "They meet again in May."
    )
    record = clean(RawDoc("wire", raw))
    assert record.dateline is not None
    assert (record.dateline.place, record.dateline.agency) == ("Vienna", "AP")
    assert record.text.startswith("The ministers agreed")
    assert [item.reason for item in record.removed] == ["wire slug"]
