"""Pairing quote marks: straight, curly, single, two apostrophes, quotes over several paragraphs."""

from __future__ import annotations

from dateline.quotes.marks import find_quoted_spans


def contents(text: str) -> list[str]:
    return [text[quoted.start : quoted.end] for quoted in find_quoted_spans(text)]


def test_straight_and_curly_double_marks() -> None:
    text = '"We are ready," the envoy said. She said “talks went well.”'
    assert contents(text) == ["We are ready", "talks went well."]


def test_mixed_straight_opening_and_curly_closing() -> None:
    text = '"I don’t think it’s getting attention,” the senator said.'
    assert contents(text) == ["I don’t think it’s getting attention"]


def test_single_marks_beside_apostrophes() -> None:
    text = (
        "The minister’s aide called it ‘a historic day’ in the leaders’ talks, and the ’90s were mentioned."
    )
    assert contents(text) == ["a historic day"]


def test_straight_single_marks_and_elisions() -> None:
    text = "He said the plan was 'dead on arrival' and that rock 'n' roll of the '90s was better."
    assert contents(text) == ["dead on arrival"]


def test_single_marks_inside_double_marks_stay_inside() -> None:
    text = "“She told me ‘never again’ and left,” he said."
    found = find_quoted_spans(text)
    assert [text[q.start : q.end] for q in found] == ["She told me ‘never again’ and left"]


def test_two_apostrophes_stand_for_a_double_mark() -> None:
    text = "''I hate the term 'Manhattan poor,' '' she said. Later: ''They were not living large.''"
    assert contents(text) == ["I hate the term 'Manhattan poor,'", "They were not living large."]


def test_quote_over_several_paragraphs_has_one_segment_a_paragraph() -> None:
    text = (
        "The minister said:\n\n"
        "“We will build the pipeline this year.\n\n"
        "“We will also open the border crossings.\n\n"
        "“Nothing will stop us,” he added.\n\nThe talks ended."
    )
    found = find_quoted_spans(text)
    assert len(found) == 1
    quoted = found[0]
    assert text[quoted.start : quoted.end].startswith("We will build the pipeline")
    assert text[quoted.start : quoted.end].endswith("Nothing will stop us")
    assert [text[start:end] for start, end in quoted.segments] == [
        "We will build the pipeline this year.",
        "We will also open the border crossings.",
        "Nothing will stop us",
    ]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'The mayor said: "we will rebuild the bridge\n\nThe council met on Monday.'
    found = find_quoted_spans(text)
    assert [text[q.start : q.end] for q in found] == ["we will rebuild the bridge"]
    assert found[0].closing is None


def test_comma_before_the_closing_mark_is_not_content() -> None:
    text = '"The risk is real," said the economist.'
    assert contents(text) == ["The risk is real"]


def test_attribute_values_in_markup_are_not_quotes() -> None:
    text = (
        '<tweet author="GovMikeHuckabee" timestamp="1449075600">Praying for those "impacted" today.</tweet>'
    )
    assert contents(text) == ["impacted"]
