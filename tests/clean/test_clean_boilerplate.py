"""Site furniture found by its content and by repetition across a source's articles."""

from __future__ import annotations

from dateline.clean import BoilerplateMemory, clean
from dateline.clean.boilerplate import find_furniture, publisher_in
from dateline.record import RawDoc

STORY = (
    "Ministers Agree to Resume Pipeline Talks\n\n"
    "The ministers met in Vienna on Tuesday and agreed to resume talks on the pipeline.\n\n"
    "They declined to comment on the price, officials said.\n\n"
)


def test_furniture_found_by_content() -> None:
    raw = (
        "Skip to content\n\n"
        + STORY.replace("officials said.\n\n", "officials said.\n\nAdvertisement\n\n")
        + "Share this article\n\nFacebook | Twitter | Email\n\nRelated Stories\n\n"
        "Read more: Pipeline plans stall again\n\n"
        "© 2024 The Valley Courier. All rights reserved.\n"
    )
    record = clean(RawDoc("courier", raw))
    assert record.text == (
        "The ministers met in Vienna on Tuesday and agreed to resume talks on the pipeline.\n\n"
        "They declined to comment on the price, officials said."
    )
    assert record.title == "Ministers Agree to Resume Pipeline Talks"
    removed = [item.text for item in record.removed]
    assert "Skip to content" in removed and "Advertisement" in removed
    assert "© 2024 The Valley Courier. All rights reserved." in removed
    assert record.publisher == "The Valley Courier"
    for item in record.removed:
        assert record.raw[item.raw_start : item.raw_end] == item.text


def test_comment_policy_block_and_heading() -> None:
    raw = STORY + (
        "Have Your Say\n\nComments are moderated. The Harbour Post reserves the right to remove "
        "posts that break our community guidelines.\n"
    )
    record = clean(RawDoc("harbour", raw))
    assert record.text.endswith("officials said.")
    assert [item.reason for item in record.removed] == ["furniture heading", "comment policy"]
    assert record.publisher == "The Harbour Post"


def test_given_publisher_wins() -> None:
    raw = STORY + "© 2024 The Valley Courier. All rights reserved.\n"
    assert clean(RawDoc("c", raw, publisher="Courier Group")).publisher == "Courier Group"
    assert (
        clean(RawDoc("c", raw, publisher="Courier Group"), publisher="Valley Media").publisher
        == "Valley Media"
    )


def test_story_lines_stay() -> None:
    raw = (
        "Readers Respond to Pipeline Plan\n\n"
        "Comments on the plan poured in after the ministry opened a consultation.\n\n"
        "The ministry said it reserves judgement until all comments are read."
    )
    assert find_furniture(raw) == []


def test_text_of_nothing_but_furniture_is_kept() -> None:
    assert find_furniture("Share this article\n\nAdvertisement\n") == []


def _article(number: int) -> str:
    return (
        f"Council Report {number}\n\n"
        f"The council met on day {number} and voted on item {number * 7} of the agenda.\n\n"
        "Tip us off: news@courier.example or call the newsroom any time\n"
    )


def test_lines_repeated_across_a_source_are_removed() -> None:
    memory = BoilerplateMemory()
    records = [clean(RawDoc(f"a{n}", _article(n), publisher="Courier"), boilerplate=memory) for n in range(5)]
    tip = "Tip us off: news@courier.example or call the newsroom any time"
    # Seen in fewer than three other articles: kept; from the fourth article on: furniture.
    assert [tip in record.text for record in records] == [True, True, True, False, False]
    assert records[3].removed[-1].reason == "repeated across articles"
    # Another source has its own memory.
    other = clean(RawDoc("b", _article(9), publisher="Gazette"), boilerplate=memory)
    assert tip in other.text


def test_memory_counts_an_article_once() -> None:
    memory = BoilerplateMemory()
    for _ in range(5):
        record = clean(RawDoc("same", _article(1), publisher="Courier"), boilerplate=memory)
    assert "Tip us off" in record.text
    assert memory.articles("Courier") == 1


def test_publisher_patterns() -> None:
    assert publisher_in(["Copyright 2019 Hawaii News Now. All rights reserved."]) == "Hawaii News Now"
    assert publisher_in(["Asbarez reserves the right to block users."]) == "Asbarez"
    assert publisher_in(["© 2019 Associated Press. All Rights Reserved."]) == "Associated Press"
    assert publisher_in(["Share this article", "Comments are welcome."]) is None


def test_a_citation_above_furniture_stays() -> None:
    raw = STORY + "[Annual Report, p. 41]\n\nFiled under: Energy | Vienna\n"
    record = clean(RawDoc("c", raw))
    assert record.text.endswith("[Annual Report, p. 41]")
    assert [item.reason for item in record.removed] == ["navigation"]


def test_a_rule_and_a_one_line_share_bar_end_the_trailer() -> None:
    raw = STORY + (
        "---\n"
        "Comment Policy: The Lakeside Ledger welcomes comments that are civil and on topic.\n"
        "Share this story: Facebook | X | WhatsApp | Email\n"
    )
    record = clean(RawDoc("ledger", raw))
    assert record.text.endswith("officials said.")
    assert [item.reason for item in record.removed] == ["navigation", "comment policy", "share or subscribe"]
    assert record.publisher == "The Lakeside Ledger"
