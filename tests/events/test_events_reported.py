"""A coded act stays only as a political event the text reports as fact (events/reported.py).

Every sentence here was written for these tests; each goes through the chain a real article
does (parse, dates, actors, quotes, events with the shipped model)."""

from __future__ import annotations

import pytest

import dateline
from dateline.events import extract_events
from dateline.pipeline import document_before_events
from dateline.record import Event


def _events(text: str, published: str = "2023-05-10") -> list[Event]:
    document = document_before_events(text, published)
    extract_events(document)
    return [event for event in document.record.events if event.plover is not None and not event.negated]


def _types(text: str) -> set[str]:
    return {event.plover.type for event in _events(text) if event.plover}


@pytest.mark.parametrize(
    "text",
    [
        # sports
        "The Tigers crushed the Hawks 41-3 in Saturday's final at the Dome.",
        "Ramos struck out eleven batters as the Owls beat the Foxes 4-1.",
        # business and markets
        "Corvell Motors plans to release a cheaper electric hatchback next spring.",
        "Investors attacked the stock after the chipmaker cut its forecast.",
        # celebrity and health
        "The singer was flown to a clinic in Geneva after collapsing on stage.",
        # crime between private people
        "A shopkeeper was stabbed by a robber in a suburb of Leeds on Sunday night.",
        "Burglars raided a jewellery shop in Porto and escaped with watches.",
        # a question, a condition, a possibility, a habit
        "Will the Kenyan government expel the envoy?",
        "If Serbia recognised Kosovo, the talks would move quickly, analysts said.",
        "Candidates usually accuse the press of bias in the last week of a campaign.",
        # metaphors
        "The mayor battled for the nomination against two better-funded rivals.",
        "The senator's joke stirred a hornet's nest among her own donors.",
    ],
)
def test_no_political_event_is_coded(text: str) -> None:
    assert _events(text) == [], [(e.cameo, e.trigger.text) for e in _events(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Senator Dana Whitfield attacked the governor over the delayed budget on Tuesday.",
        "Representative Omar Lutz slammed the Pentagon over the delayed audit.",
        "The opposition leader lashed out at the prime minister over the pension cuts.",
        "Governor Ellen Marsh took aim at the Senate majority leader during the debate.",
    ],
)
def test_verbal_conflict_is_criticism_never_force(text: str) -> None:
    kinds = _types(text)
    assert "ACCUSE" in kinds
    assert "ASSAULT" not in kinds


def test_an_attack_with_violence_near_stays_an_attack() -> None:
    kinds = _types("Rebels attacked an army post near Goma, killing three soldiers, the army said.")
    assert "ASSAULT" in kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A federal court ruled against the state's new voting law on Friday.", "ACCUSE"),
        ("The appeals court struck down the governor's ban on public gatherings.", "REJECT"),
        ("Police arrested 14 protesters outside the parliament in Tbilisi on Monday.", "COERCE"),
    ],
)
def test_court_and_police_acts_are_found(text: str, kind: str) -> None:
    assert kind in _types(text)


def test_a_visit_goes_to_a_place_or_an_actor() -> None:
    assert "CONSULT" in _types("The Indian prime minister arrived in Tokyo on Monday for a three-day visit.")
    assert _events("The president made a short trip to a military hospital for a routine check-up.") == []


def test_a_release_frees_people() -> None:
    assert _events("The White House released the president's medical letter on Friday.") == []
    kinds = _types("Iran released two French prisoners on Thursday, the French foreign ministry said.")
    assert kinds & {"RETREAT", "CONCEDE"}


def test_organised_citizens_acting_politically_are_political_actors() -> None:
    assert "REQUEST" in _types("Striking teachers demanded that the government raise their pay.")


@pytest.mark.parametrize(
    "text",
    [
        "Germany pledged on Tuesday to raise its aid to Ukraine to $10 billion by 2026.",
        "The Kenyan government expelled two Ugandan diplomats before the November election.",
    ],
)
def test_a_deadline_is_no_event_date(text: str) -> None:
    events = _events(text, published="2024-05-14")
    assert events
    for event in events:
        assert event.date is None or not event.date.startswith(("2026", "2024-11")), event.date


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Senator Ted Cruz called the Russian president a dangerous liar on Thursday.", "ACCUSE"),
        ("Angela Merkel described the Russian blockade as an act of aggression.", "ACCUSE"),
        ("Vladimir Putin called the Chinese leader a great friend of Russia.", "SUPPORT"),
    ],
)
def test_calling_someone_a_name_is_criticism_or_praise(text: str, kind: str) -> None:
    assert kind in _types(text)


def test_a_bombing_needs_no_particle() -> None:
    # "bomb" alone once needed "up", as "blow up" does.
    assert "ASSAULT" in _types(
        "Insurgents bombed a police station in Kandahar on Monday, the Afghan army said."
    )


def test_the_dateline_is_no_place_for_an_event_elsewhere() -> None:
    text = (
        "NEW YORK (AP) — Border fighting between Kyrgyzstan and Tajikistan killed 24 soldiers on "
        "Friday, officials said."
    )
    record = dateline.process(text, published="2022-09-17")
    assert record.events
    for event in record.events:
        assert event.place is None or event.place.country in ("KGZ", "TJK"), event.place
    # Where the sentence names no other country, the dateline still places the event.
    record = dateline.process(
        "MOSCOW (AP) — Police detained 40 protesters on Saturday.", published="2022-09-17"
    )
    assert record.events and record.events[0].place is not None
    assert record.events[0].place.country == "RUS"
