"""The offset map: every character of the cleaned text points at its source in raw."""

from __future__ import annotations

import random
import unicodedata

from dateline.clean import BoilerplateMemory, clean
from dateline.clean.text_edit import Edit, EditableText
from dateline.record import RawDoc, Record


def _random_edits(rng: random.Random, length: int) -> list[Edit]:
    edits: list[Edit] = []
    position = 0
    while position <= length and len(edits) < 4:
        start = rng.randint(position, length)
        end = rng.randint(start, min(length, start + 5))
        replacement = rng.choice(["", "X", "YZ", "QQQ"])
        if start < end or replacement:
            edits.append(Edit(start, end, replacement, rng.choice([None, "kind"])))
        position = end + 1
    return edits


def test_random_edits_keep_text_and_map_in_step() -> None:
    rng = random.Random(20040207)
    for _ in range(2000):
        raw = "".join(rng.choice("abcdef \n") for _ in range(rng.randint(0, 40)))
        editable = EditableText(raw)
        for _ in range(rng.randint(1, 5)):
            edits = _random_edits(rng, len(editable.text))
            expected = editable.text
            for edit in reversed(edits):
                expected = expected[: edit.start] + edit.text + expected[edit.end :]
            editable.apply(edits)
            assert editable.text == expected
        record = Record(id="x", raw=raw, text=editable.text, offset_map=editable.offset_map())
        changed = editable.changed_spans()
        for index, char in enumerate(editable.text):
            assert record.raw_offset(index) == editable.raw_offset(index)
            if not any(start <= index < end for start, end in changed):
                assert raw[record.raw_offset(index)] == char
        for repair in editable.repairs():
            assert editable.text[repair.start : repair.end] == repair.after


def test_replacement_maps_inside_its_raw_span() -> None:
    editable = EditableText("on Friday–meeting")
    editable.replace(9, 10, ", ", "dash_for_comma")
    record = Record(id="x", raw=editable.raw, text=editable.text, offset_map=editable.offset_map())
    assert record.text == "on Friday, meeting"
    assert record.raw_offset(9) == 9
    assert record.raw_offset(10) == 9
    assert record.raw_offset(11) == 10
    assert record.raw[record.raw_offset(11) :] == "meeting"


def assert_offsets_point_at_raw(record: Record) -> None:
    """Outside repairs, text[i] is raw[raw_offset(i)], or the NFC composition starting there, or
    the LF that a lone CR became."""
    in_repair = [False] * len(record.text)
    for repair in record.repairs:
        for index in range(repair.start, repair.end):
            in_repair[index] = True
    for index, char in enumerate(record.text):
        if in_repair[index]:
            continue
        position = record.raw_offset(index)
        assert 0 <= position < len(record.raw)
        composed = {unicodedata.normalize("NFC", record.raw[position : position + n]) for n in range(1, 5)}
        line_break = char == "\n" and record.raw[position] == "\r"
        assert record.raw[position] == char or char in composed or line_break, (index, char)


def test_clean_offsets_on_written_examples() -> None:
    examples = [
        "Ministers Meet in Vienna\r\n\r\nVIENNA (AP) — The ministers met   on Tuesday.\r\n\r\n"
        "Advertisement\r\n\r\nThey agreed to meet again in May.\r\n\r\nShare this article\r\n",
        "\ufeffKYIV: The cafe\u0301 reopened.\rOld Mac line.\r  Officials said â€œyesâ€\x9d to the plan."
        "\n\n\n\nMore later.",
        "By JANE DOE\n\nBEIRUT, Lebanon — Talks resumed.\n\n© 2024 The Valley Courier. All rights reserved.",
        "   \n\nA single paragraph with trailing spaces.   \n",
        "",
    ]
    for raw in examples:
        record = clean(RawDoc("example", raw))
        assert_offsets_point_at_raw(record)


def test_clean_offsets_on_the_seed(seed_text: str) -> None:
    record = clean(RawDoc("seed", seed_text), published="2004-02-07", boilerplate=BoilerplateMemory())
    assert record.repairs
    assert_offsets_point_at_raw(record)
    # Spans map to raw spans that hold the same words.
    start = record.text.index("Sergey Ivanov")
    raw_start, raw_end = record.raw_span((start, start + len("Sergey Ivanov")))
    assert record.raw[raw_start:raw_end] == "Sergey Ivanov"
