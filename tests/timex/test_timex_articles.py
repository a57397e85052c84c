"""resolve_times over parsed text: candidates, extents, tense from the parse, the seed article."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.clean import clean
from dateline.nlp import annotate, load_nlp
from dateline.record import Document, RawDoc, Record, TimeExpression
from dateline.timex import resolve_times
from shared_data import shared_path


def times_of(text: str, published: str | None = "2004-02-07") -> list[TimeExpression]:
    record = Record(id="test", raw=text, text=text, published=published)
    document = Document(record=record, doc=load_nlp()(text))
    resolve_times(document)
    return document.times


def by_text(times: list[TimeExpression]) -> dict[str, tuple[str | None, str]]:
    return {time.text: (time.value, time.granularity) for time in times}


def test_the_governing_verb_sets_the_direction_of_a_weekday() -> None:
    past = by_text(times_of("The two ministers met on Friday in Baku."))
    future = by_text(times_of("The two ministers will meet on Friday in Baku."))
    planned = by_text(times_of("The two ministers plan to meet on Friday in Baku."))
    assert past["Friday"] == ("2004-02-06", "day")
    assert future["Friday"] == ("2004-02-13", "day")
    assert planned["Friday"] == ("2004-02-13", "day")


def test_a_schedule_word_takes_the_nearest_date() -> None:
    found = by_text(times_of("The board declared a dividend payable March 3 to holders.", "2004-02-20"))
    assert found["March 3"] == ("2004-03-03", "day")


def test_relative_dates_months_years_and_durations_in_one_text() -> None:
    text = (
        "Prices rose 5% last week and fell in March. The 15-year deal, signed yesterday, "
        "replaces one from the 1990s. Output in 2003 was the highest this year's report has seen, "
        "and talks went on for two weeks."
    )
    found = by_text(times_of(text))
    assert found["last week"] == ("2004-W05", "month")
    assert found["March"] == ("2003-03", "month")
    assert found["15-year"] == ("P15Y", "duration")
    assert found["yesterday"] == ("2004-02-06", "day")
    assert found["the 1990s"] == ("199X", "decade")
    assert found["2003"] == ("2003", "year")
    assert found["two weeks"] == ("P2W", "duration")


def test_a_clock_time_and_its_day_are_one_expression() -> None:
    found = by_text(times_of("The polls closed at 8 p.m. Thursday, officials said."))
    assert found == {"8 p.m. Thursday": ("2004-02-05T20:00", "time")}


def test_a_year_earlier_is_the_period_in_question_a_year_back() -> None:
    text = "Net income rose 12% in the third quarter from a year earlier."
    found = by_text(times_of(text, "1989-10-27"))
    assert found["the third quarter"] == ("1989-Q3", "year")
    assert found["a year earlier"] == ("1988-Q3", "year")


def test_a_dated_range_in_one_entity_gives_two_expressions() -> None:
    found = by_text(times_of("Sales for the quarter ended Sept. 30 rose sharply.", "1989-10-27"))
    assert found["Sept. 30"] == ("1989-09-30", "day")
    assert "the quarter ended Sept. 30" not in found


def test_counts_and_money_are_not_years() -> None:
    found = by_text(times_of("The army sent 2000 troops and spent $1999 on fuel in 2003."))
    assert list(found) == ["2003"]


def test_without_a_publication_date_only_anchor_free_values_are_kept() -> None:
    found = by_text(times_of("They met on Friday, March 3, 2004, and again last week.", published=None))
    assert found["Friday, March 3, 2004"] == ("2004-03-03", "day")
    assert found["last week"][0] is None


def test_sentence_index_and_offsets_point_at_the_text() -> None:
    text = "Nothing happened. Then on Tuesday it rained."
    (time,) = times_of(text)
    assert text[time.span[0] : time.span[1]] == time.text == "Tuesday"
    assert time.sentence == 1


@pytest.fixture(scope="module")
def seed_document(seed_text: str, seed_expected: dict[str, Any]) -> Document:
    shared_path("seed", "moscow-declaration.txt")
    record = clean(RawDoc("moscow-declaration.txt", seed_text), published=seed_expected["published_given"])
    document = annotate(record)
    resolve_times(document)
    return document


def test_seed_friday_is_the_day_before_publication(seed_document: Document) -> None:
    fridays = [time for time in seed_document.times if time.text == "Friday"]
    assert len(fridays) == 2
    assert all((time.value, time.granularity) == ("2004-02-06", "day") for time in fridays)


def test_seed_fifteen_year_agreement_is_a_duration(seed_document: Document) -> None:
    (duration,) = [time for time in seed_document.times if "15" in time.text]
    assert (duration.text, duration.value, duration.granularity) == ("15-year", "P15Y", "duration")


def test_seed_year_and_century(seed_document: Document) -> None:
    found = by_text(seed_document.times)
    assert found["2003"] == ("2003", "year")
    assert found["the 21st Century"] == ("20XX", "decade")
