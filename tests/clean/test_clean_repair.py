"""Damage repairs on small texts written for these tests."""

from __future__ import annotations

from dateline.clean import clean
from dateline.clean.repair import (
    apostrophe_edits,
    damage_edits,
    dash_evidence,
    mojibake_edits,
    nfc_edits,
)
from dateline.clean.text_edit import EditableText
from dateline.record import RawDoc

# Every ", " of this report came out as a dash; commas survive only before a closing quote.
DAMAGED = (
    "The foreign ministers met in Vienna on Tuesday–agreeing to resume talks on the pipeline. "
    "The deal covers gas–oil and electricity. Officials said the talks would continue next "
    "week–although no date was set. The two sides also discussed border crossings–trade quotas "
    "and the exchange of prisoners. Analysts said the meeting was the most productive in "
    'years–noting that both delegations stayed longer than planned. "We are close," one envoy '
    "said. Trade between them grew in 2003–2004 and the Russia–Azerbaijan route stays open."
)

# The same kind of report, written properly: commas, and dashes used as dashes.
HEALTHY = (
    "The foreign ministers met in Vienna on Tuesday, agreeing to resume talks on the pipeline. "
    "The deal covers gas, oil and electricity—the three pillars of the relationship. Officials "
    "said the talks would continue next week—although no date was set—and that border "
    "crossings, trade quotas and prisoners were on the table. Analysts said the meeting was the "
    "most productive in years – noting that both delegations stayed longer than planned. Trade "
    "grew in 2003–2004, and the Russia–Azerbaijan route stays open."
)


def _apply(text: str) -> str:
    editable = EditableText(text)
    editable.apply(damage_edits(text))
    return editable.text


def test_damaged_text_is_detected_and_repaired() -> None:
    evidence = dash_evidence(DAMAGED)
    assert evidence.damaged
    assert evidence.ordinary_commas == 0
    repaired = _apply(DAMAGED)
    assert "on Tuesday, agreeing" in repaired
    assert "covers gas, oil and" in repaired
    assert "next week, although" in repaired
    assert "crossings, trade quotas" in repaired
    assert "in years, noting" in repaired
    # Ranges and compounds of names are real dashes.
    assert "2003–2004" in repaired
    assert "Russia–Azerbaijan" in repaired


def test_healthy_text_is_left_alone() -> None:
    assert not dash_evidence(HEALTHY).damaged
    assert damage_edits(HEALTHY) == []


def test_few_dashes_are_not_evidence() -> None:
    text = " ".join(["The talks went on for hours without a break."] * 10) + " It was a long day–again."
    assert not dash_evidence(text).damaged


def test_apostrophe_for_ts_only_where_the_word_needs_it() -> None:
    text = (
        "The agreemen’s were signed after long effor’s by the Ministry’s envoys; "
        "it’s the company’s view that the countries’ interes’s align, Shor’s aide said."
    )
    edits = apostrophe_edits(text)
    repaired = EditableText(text)
    repaired.apply(edits)
    assert repaired.text == (
        "The agreements were signed after long efforts by the Ministry’s envoys; "
        "it’s the company’s view that the countries’ interests align, Shor’s aide said."
    )
    assert {edit.repair for edit in edits} == {"apostrophe_s_for_ts"}


def test_mojibake_is_fixed_and_typography_kept() -> None:
    text = "The minister said â€œyesâ€\x9d to the plan. “Curly” quotes and it’s stay – as does the dash."
    editable = EditableText(text)
    editable.apply(mojibake_edits(text))
    assert (
        editable.text
        == "The minister said “yes” to the plan. “Curly” quotes and it’s stay – as does the dash."
    )
    assert {repair.kind for repair in editable.repairs()} == {"mojibake"}
    assert mojibake_edits(editable.text) == []


def test_nfc_is_applied_but_not_a_repair() -> None:
    record = clean(
        RawDoc("nfc", "The cafe\u0301 in Re\u0301union reopened on Monday after the storm passed.")
    )
    assert "café in Réunion" in record.text
    assert record.repairs == []
    assert nfc_edits(record.text) == []


def test_clean_records_repairs_in_text_offsets() -> None:
    record = clean(RawDoc("damaged", DAMAGED))
    assert [repair.kind for repair in record.repairs].count("dash_for_comma") == 5
    for repair in record.repairs:
        assert record.text[repair.start : repair.end] == repair.after == ", "
        assert record.raw[record.raw_offset(repair.start)] == repair.before == "–"
