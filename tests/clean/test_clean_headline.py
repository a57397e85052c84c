"""Headline detection on plain texts written for these tests."""

from __future__ import annotations

from dateline.clean import clean
from dateline.clean.headline import find_headline, is_title_case
from dateline.record import RawDoc

BODY = "The ministers met in Vienna on Tuesday and agreed to resume talks on the pipeline."


def test_title_case_headline() -> None:
    record = clean(RawDoc("a", f"Ministers Agree to Resume Pipeline Talks\n\n{BODY}"))
    assert record.title == "Ministers Agree to Resume Pipeline Talks"
    assert record.text == BODY


def test_sentence_case_headline_without_period() -> None:
    record = clean(RawDoc("a", f"Ministers agree to resume pipeline talks in Vienna\n\n{BODY}"))
    assert record.title == "Ministers agree to resume pipeline talks in Vienna"
    assert record.text == BODY


def test_title_case_headline_with_period() -> None:
    record = clean(RawDoc("a", f"Ministers Agree to Resume Pipeline Talks.\n\n{BODY}"))
    assert record.title == "Ministers Agree to Resume Pipeline Talks."


def test_first_paragraph_is_not_a_headline() -> None:
    raw = f"{BODY}\n\nThey will meet again in May, officials said."
    record = clean(RawDoc("a", raw))
    assert record.title is None
    assert record.text == raw


def test_sentence_with_period_is_not_a_headline_unless_a_dateline_follows() -> None:
    raw = f"Ministers agree to resume talks.\n\n{BODY}"
    assert clean(RawDoc("a", raw)).title is None
    wire = f"Ministers agree to resume talks.\n\nVIENNA (AP) — {BODY}"
    record = clean(RawDoc("a", wire))
    assert record.title == "Ministers agree to resume talks."
    assert record.text == BODY


def test_wrapped_first_line_is_not_a_headline() -> None:
    assert find_headline("The ministers met in Vienna on Tuesday and\nagreed to resume talks.") is None


def test_single_line_has_no_headline() -> None:
    assert find_headline("Ministers Agree to Resume Pipeline Talks") is None


def test_known_title_from_the_page() -> None:
    raw = f"Ministers Agree to Resume Pipeline Talks\n\n{BODY}"
    record = clean(RawDoc("a", raw, title="Ministers agree to resume pipeline talks"))
    assert record.title == "Ministers agree to resume pipeline talks"
    assert record.text == BODY
    other = clean(RawDoc("a", f"{BODY}\n\nMore later.", title="Pipeline talks"))
    assert other.title == "Pipeline talks"
    assert other.text.startswith(BODY)


def test_is_title_case() -> None:
    assert is_title_case("Aliyev and Putin Sign Declaration Promising Cooperation During Moscow Visit")
    assert not is_title_case("Aliyev and Putin sign a declaration in Moscow")


def test_byline_gives_the_author() -> None:
    raw = f"Ministers Agree to Resume Pipeline Talks\n\nBy JANE DOE, Staff Writer\n\nVIENNA (AP) — {BODY}"
    record = clean(RawDoc("a", raw))
    assert record.title == "Ministers Agree to Resume Pipeline Talks"
    assert record.author == "Jane Doe"
    assert record.text == BODY
    assert [item.reason for item in record.removed] == ["byline"]
    # An author known from the page wins.
    assert clean(RawDoc("a", raw, author="J. Doe")).author == "J. Doe"


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    raw = f"By the end of the day the ministers had agreed.\n\n{BODY}"
    record = clean(RawDoc("a", raw))
    assert record.author is None
    assert record.text.startswith("By the end of the day")
