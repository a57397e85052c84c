"""Event dates are calendar dates: a sentence's vague time reference leaves the publication date."""

from __future__ import annotations

from dateline.pipeline import process


def test_a_vague_present_reference_is_not_an_event_date() -> None:
    record = process(
        "OTTAWA (Wire) — Canada has now sanctioned 31 officials of the ruling party of Freedonia, "
        "the foreign ministry said.",
        published="2024-05-02",
    )
    assert record.events, "the sanction should be coded"
    for event in record.events:
        assert event.date == "2024-05-02" and event.date_kind == "published"


def test_a_weekday_gives_the_event_its_day() -> None:
    record = process(
        "ANKARA (Wire) — Turkey's foreign minister met his Greek counterpart in Athens on Monday.",
        published="2024-05-02",
    )
    assert [(e.date, e.date_kind) for e in record.events if e.root == "04"] == [("2024-04-29", "text")]
