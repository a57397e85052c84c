"""The seed article: damaged punctuation, a wire dateline and a site trailer naming the publisher."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.clean import clean
from dateline.record import RawDoc, Record


@pytest.fixture(scope="module")
def seed_record(seed_text: str, seed_expected: dict[str, Any]) -> Record:
    return clean(RawDoc("moscow-declaration.txt", seed_text), published=seed_expected["published_given"])


def test_seed_text_has_every_expected_string(seed_record: Record, seed_expected: dict[str, Any]) -> None:
    article = seed_expected["article"]
    missing = [wanted for wanted in article["text_must_contain"] if wanted not in seed_record.text]
    present = [unwanted for unwanted in article["text_must_not_contain"] if unwanted in seed_record.text]
    assert missing == []
    assert present == []


def test_seed_title_and_dateline(seed_record: Record, seed_expected: dict[str, Any]) -> None:
    article = seed_expected["article"]
    assert seed_record.title == article["title"]
    assert seed_record.dateline is not None
    assert seed_record.dateline.place == article["dateline"]["place"] == "Moscow"
    assert seed_record.dateline.agency == article["dateline"]["agency"] == "Combined Sources"
    # Headline and dateline are fields of their own, not part of the body.
    assert not seed_record.text.startswith(article["title"])
    assert seed_record.text.startswith("Azerbaijan’s President")


def test_seed_repairs_are_recorded(seed_record: Record) -> None:
    kinds = [repair.kind for repair in seed_record.repairs]
    assert kinds.count("dash_for_comma") == 11
    assert kinds.count("apostrophe_s_for_ts") == 2
    for repair in seed_record.repairs:
        assert seed_record.text[repair.start : repair.end] == repair.after
        raw_start = seed_record.raw_offset(repair.start)
        assert seed_record.raw[raw_start : raw_start + len(repair.before)] == repair.before
    dashes = {repair.before for repair in seed_record.repairs if repair.kind == "dash_for_comma"}
    assert dashes == {"–"}
    words = sorted(
        seed_record.text[seed_record.text.rfind(" ", 0, r.start) + 1 : r.end]
        for r in seed_record.repairs
        if r.kind == "apostrophe_s_for_ts"
    )
    assert words == ["developments", "documents"]


def test_seed_keeps_real_possessives_and_curly_quotes(seed_record: Record) -> None:
    assert "Azerbaijan’s President" in seed_record.text
    assert "Defense Ministry’s main department" in seed_record.text
    assert "the countries’ mutual commitment" in seed_record.text


def test_seed_publisher_comes_from_removed_trailer(seed_record: Record) -> None:
    assert seed_record.publisher == "Asbarez"
    removed = " ".join(item.text for item in seed_record.removed)
    assert "Discussion Policy" in removed
    assert "Asbarez reserves the right" in removed
    for item in seed_record.removed:
        assert seed_record.raw[item.raw_start : item.raw_end] == item.text


def test_seed_published_language_and_id(seed_record: Record, seed_text: str) -> None:
    assert seed_record.published == "2004-02-07"
    assert seed_record.language == "en"
    assert seed_record.raw == seed_text
    # The id does not depend on what cleaning did.
    assert clean(RawDoc("other-name", seed_text)).id == seed_record.id
