"""CAMEO below the root: the finest code of the event's own PLOVER type that the rule path and the
words around the trigger support, on sentences written for these tests."""

from __future__ import annotations

import pytest

from dateline.events import extract_events
from dateline.events.ontology import load_ontology
from dateline.events.refine import is_generic, load_cues, refine_codes
from dateline.pipeline import document_before_events
from dateline.record import Event, Plover, Trigger


def _refined(text: str, trigger: str, cameo: str, rule: str) -> Event:
    """An event as the coder leaves it before this step, on ``trigger``, refined."""
    document = document_before_events(text)
    at = text.index(trigger)
    entry = load_ontology().code(cameo)
    event = Event(
        id="before",
        sentence=0,
        trigger=Trigger(trigger, (at, at + len(trigger))),
        source=[],
        target=[],
        cameo=cameo,
        root=entry.root,
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        plover=Plover(entry.plover_type) if entry.plover_type else None,
        rule=rule,
    )
    refine_codes(document, [event])
    return event


@pytest.mark.parametrize(
    ("text", "trigger", "cameo", "rule", "expected"),
    [
        # The model typed a main-verb candidate and left the type's broadest code.
        (
            "Government troops shelled the rebel town with heavy artillery overnight.",
            "shelled",
            "18",
            "model:ASSAULT=0.90,COERCE=0.05,THREATEN=0.01>main-verb",
            "194",
        ),
        (
            "The Gulf states donated 300 million dollars to rebuild the flooded province.",
            "donated",
            "07",
            "model:AID=0.80,SUPPORT=0.10,AGREE=0.05>main-verb",
            "071",
        ),
        # The rule path (a demand over a release) is finer than the model's broad code.
        (
            "The union demanded that the junta free the jailed strike leaders.",
            "demanded",
            "10",
            "model:REQUEST=0.90,ACCUSE=0.05,YIELD=0.01>demand>release",
            "1053",
        ),
        # A rule's generic code, confirmed by the model, goes below itself.
        (
            "Lawmakers accused the interior minister of corruption.",
            "accused",
            "112",
            "model:ACCUSE=0.97,REQUEST=0.01,REJECT=0.01>accuse",
            "1121",
        ),
        # Where the model typed it YIELD, a generic yield may become a RETREAT code.
        (
            "Tehran let foreign inspectors into the enrichment plant.",
            "let",
            "080",
            "model:YIELD=0.90,AID=0.05,AGREE=0.01>allow",
            "0862",
        ),
    ],
)
def test_finest_code_of_the_same_type(text: str, trigger: str, cameo: str, rule: str, expected: str) -> None:
    ontology = load_ontology()
    kind = ontology.code(cameo).plover_type
    event = _refined(text, trigger, cameo, rule)
    assert event.cameo == expected
    assert event.root == expected[:2] and event.plover is not None
    merged = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
    assert merged.get(event.plover.type, event.plover.type) == merged.get(kind or "", kind)
    assert event.id != "before"  # the id follows the code, as every child id does
    again = _refined(text, trigger, cameo, rule)
    assert again.cameo == event.cameo  # deterministic


def test_without_the_model_a_generic_yield_keeps_its_half() -> None:
    event = _refined("Tehran let foreign inspectors into the enrichment plant.", "let", "080", "allow")
    assert event.plover is not None and event.plover.type == "CONCEDE"


@pytest.mark.parametrize(
    ("text", "trigger", "cameo"),
    [
        ("The militia struck again on Tuesday.", "struck", "18"),
        # "nuclear" here names the plant, two words from the trigger: no cue for nuclear weapons.
        ("Troops occupied the nuclear power plant near the river.", "occupied", "18"),
    ],
)
def test_no_cue_near_the_trigger_keeps_the_broad_code(text: str, trigger: str, cameo: str) -> None:
    event = _refined(text, trigger, cameo, "model:ASSAULT=0.60,COERCE=0.30,AID=0.01>main-verb")
    assert event.cameo == cameo


def test_statements_are_left_alone() -> None:
    event = _refined("The minister expressed condolences to the families.", "expressed", "018", "condolences")
    assert event.cameo == "018"


def test_frame_codes_take_the_cues_of_their_act() -> None:
    cues = load_cues()
    assert set(cues.cues("071")) <= set(cues.cues("0331"))  # intent over 071 is 0331
    assert set(cues.cues("0841")) <= set(cues.cues("1053"))  # a demand over a release
    family = cues.family("18", {"ASSAULT"}, anywhere=True)
    ontology = load_ontology()
    assert "195" in family and "1712" in family and "191" not in family
    assert all(ontology.code(code).plover_type == "ASSAULT" and not is_generic(code) for code in family)
    assert cues.family("112", {"ACCUSE"}, anywhere=False) == ["1121", "1122", "1123", "1124", "1125"]


def test_pipeline_codes_below_the_root() -> None:
    document = document_before_events("Lawmakers accused the interior minister of corruption.")
    extract_events(document)
    assert [event.cameo for event in document.record.events if not event.negated] == ["1121"]
