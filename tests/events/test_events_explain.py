"""explain shows the model's three best types with their probabilities on every event the model
saw, and the parse path from the trigger to each argument."""

from __future__ import annotations

import re

from dateline.events import explain
from event_chain import coded

PAIR = r"[A-Z]+ [01]\.\d\d"
TOP_THREE = re.compile(rf"model \(learned event type, top 3\): {PAIR}, {PAIR}, {PAIR}")


def test_top_three_types_and_argument_paths() -> None:
    record = coded("Egyptian police arrested twelve opposition activists in Cairo on Monday.")
    event = next(event for event in record.events if event.cameo.startswith("17"))
    shown = explain(record, event)
    assert TOP_THREE.search(shown), shown
    assert "rule " in shown  # the rule that found the trigger
    source_line = next(line for line in shown.splitlines() if line.startswith("  source "))
    assert "←nsubj– arrested" in source_line


def test_target_path_through_a_preposition() -> None:
    record = coded("The Chilean president met with Argentina's foreign minister in Santiago.")
    event = next(event for event in record.events if event.root == "04")
    target_line = next(line for line in explain(record, event).splitlines() if line.startswith("  target "))
    assert "←pobj– with ←prep– met" in target_line


def test_the_ranking_shows_where_the_rule_code_stands() -> None:
    # A statement code (root 01) the model does not overrule: its ranking is still shown.
    record = coded("The Kenyan president sent his condolences to the families of the victims.")
    event = next(event for event in record.events if event.cameo == "018")
    shown = explain(record, event)
    assert TOP_THREE.search(shown), shown
    assert "the rule's code stands" in shown
