"""The coder on sentences written for the project, with entities built by hand (no actor stage).

One sentence or more for every CAMEO root (01-20), and for negation, passive voice, coordination,
intent, reported speech and nominal events.
"""

from __future__ import annotations

import re

import pytest

from dateline.events import extract_events
from dateline.nlp import annotate
from dateline.record import Document, Entity, Event, Place, Quote, Record, Speaker, TimeExpression

# name -> (type, actor code); places carry no actor but a country.
ACTORS = {
    "Aliyev": ("PERSON", "AZEGOV"),
    "Putin": ("PERSON", "RUSGOV"),
    "Ivanov": ("PERSON", "RUSMIL"),
    "Yusufov": ("PERSON", "RUSGOV"),
    "Russia": ("GPE", "RUS"),
    "Azerbaijan": ("GPE", "AZE"),
    "Armenia": ("GPE", "ARM"),
    "Georgia": ("GPE", "GEO"),
    "Turkey": ("GPE", "TUR"),
    "Iran": ("GPE", "IRN"),
    "Ukraine": ("GPE", "UKR"),
    "the United Nations": ("ORG", "IGOUNO"),
    "the Azerbaijani government": ("ORG", "AZEGOV"),
    "the Armenian army": ("ORG", "ARMMIL"),
    "Armenian rebels": ("NORP", "ARMREB"),
    "Azerbaijani police": ("ORG", "AZECOP"),
    "Azerbaijani students": ("NORP", "AZEEDU"),
    "Georgian soldiers": ("NORP", "GEOMIL"),
    "the opposition": ("ORG", "AZEOPP"),
    "Azerbaijani": ("NORP", "AZE"),
}
PLACES = {
    "Baku": Place("Baku", 40.38, 49.89, "AZE", 587084),
    "Moscow": Place("Moscow", 55.75, 37.62, "RUS", 524901),
    "Yerevan": Place("Yerevan", 40.18, 44.51, "ARM", 616052),
}


def _document(
    text: str, published: str | None = "2004-02-07", times: tuple[tuple[str, str], ...] = ()
) -> Document:
    record = Record(id="test", raw=text, text=text, published=published)
    for index, (name, (kind, actor)) in enumerate(sorted(ACTORS.items(), key=lambda item: -len(item[0]))):
        taken = [m for e in record.entities for m in e.mentions]
        mentions = [
            (m.start(), m.end())
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", text)
            if not any(s < m.end() and m.start() < e for s, e in taken)
        ]
        if mentions:
            record.entities.append(
                Entity(f"a{index}", name, kind, actor=actor, country=actor[:3], mentions=mentions)
            )
    for index, (name, place) in enumerate(PLACES.items()):
        mentions = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
        if mentions:
            record.entities.append(
                Entity(f"p{index}", name, "GPE", country=place.country, place=place, mentions=mentions)
            )
    document = annotate(record)
    for phrase, value in times:
        start = text.index(phrase)
        document.times.append(TimeExpression((start, start + len(phrase)), phrase, value, "day"))
    return document


def _events(text: str, **options: object) -> list[Event]:
    document = _document(text, **options)  # type: ignore[arg-type]
    extract_events(document)
    return document.record.events


def _one(text: str, code_prefix: str) -> Event:
    events = [event for event in _events(text) if event.cameo.startswith(code_prefix)]
    assert events, f"no {code_prefix} event in {text!r}"
    return events[0]


def _actors(arguments: list) -> list[str | None]:  # type: ignore[type-arg]
    return [argument.actor for argument in arguments]


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        ("Aliyev declined to comment on the dispute with Armenia.", "011", "AZEGOV", None),
        ("Aliyev expressed his condolences to Putin after the explosion.", "018", "AZEGOV", "RUSGOV"),
        ("Armenia urged Russia to send peacekeepers to the region.", "02", "ARM", "RUS"),
        ("Russia is ready to provide military aid to Armenia.", "0332", "RUS", "ARM"),
        ("Aliyev met Putin in the Kremlin.", "040", "AZEGOV", "RUSGOV"),
        ("Putin praised Aliyev for his efforts.", "051", "RUSGOV", "AZEGOV"),
        ("Russia and Azerbaijan cooperate closely on energy.", "061", "RUS", "AZE"),
        ("Turkey sent humanitarian aid to Azerbaijan.", "073", "TUR", "AZE"),
        ("Azerbaijani police released Armenian rebels on Monday.", "084", "AZECOP", "ARMREB"),
        (
            "the United Nations opened an investigation into the killings by Georgian soldiers.",
            "09",
            "IGOUNO",
            None,
        ),
        ("Armenia demanded the withdrawal of Azerbaijani police from the border.", "10", "ARM", "AZECOP"),
        ("Iran sharply criticized Turkey over the pipeline.", "111", "IRN", "TUR"),
        ("Azerbaijan rejected Armenia's proposal for new talks.", "12", "AZE", "ARM"),
        ("Russia threatened to impose sanctions on Georgia.", "13", "RUS", "GEO"),
        (
            "Azerbaijani students protested against the Azerbaijani government in Baku.",
            "14",
            "AZEEDU",
            "AZEGOV",
        ),
        ("Russia mobilized troops against Georgia.", "15", "RUS", "GEO"),
        ("Russia broke off diplomatic relations with Georgia.", "161", "RUS", "GEO"),
        ("Azerbaijani police arrested dozens of opposition activists in Baku.", "173", "AZECOP", None),
        ("Armenian rebels kidnapped Georgian soldiers near the border.", "181", "ARMREB", "GEOMIL"),
        ("the Armenian army shelled Azerbaijani positions.", "194", "ARMMIL", "AZE"),
        ("Armenian rebels massacred Azerbaijani villagers.", "1", "ARMREB", "AZE"),
    ],
)
def test_every_root_category(text: str, prefix: str, source: str, target: str | None) -> None:
    event = _one(text, prefix)
    assert source in _actors(event.source), event
    if target is not None:
        assert target in _actors(event.target), event


def test_massacre_is_root_20() -> None:
    events = _events("Armenian rebels committed a massacre of Azerbaijani villagers.")
    assert any(event.root == "20" for event in events), events


def test_negation_never_reports_the_positive_event() -> None:
    events = _events("Aliyev did not sign the agreement with Putin.")
    assert events and all(event.negated for event in events if event.cameo == "057")
    refusal = _one("Azerbaijan refused to sign the agreement with Armenia.", "12")
    assert not any(
        event.cameo == "057" for event in _events("Azerbaijan refused to sign the agreement with Armenia.")
    )
    assert refusal.source[0].actor == "AZE"
    future = _one("Russia will not meet Georgia's demands.", "12")
    assert future.modality == "refusal"


def test_passive_voice_takes_the_source_from_the_by_phrase() -> None:
    event = _one("Georgian soldiers were attacked by Armenian rebels on Friday.", "1")
    assert _actors(event.source) == ["ARMREB"]
    assert _actors(event.target) == ["GEOMIL"]


def test_coordinated_subjects_give_one_symmetric_event() -> None:
    events = [
        event
        for event in _events("Aliyev and Putin signed a declaration on cooperation.")
        if event.cameo == "057"
    ]
    assert len(events) == 1
    assert {*_actors(events[0].source), *_actors(events[0].target)} == {"AZEGOV", "RUSGOV"}


def test_intent_and_readiness_code_intent_not_the_act() -> None:
    ready = _one("Russia is ready for military cooperation with Azerbaijan.", "03")
    assert ready.cameo == "0312" and ready.modality == "intent"
    wants = _one("Russia wants to invest in Azerbaijani oil fields.", "03")
    assert wants.cameo == "0311"
    will = _one("Aliyev will visit Moscow next week.", "03")
    assert will.cameo == "036"
    assert not any(e.cameo == "042" for e in _events("Aliyev will visit Moscow next week."))


def test_reported_speech_we_stands_for_the_speaker() -> None:
    text = '"We will never negotiate with terrorists," Putin said.'
    document = _document(text)
    putin = next(entity for entity in document.record.entities if entity.name == "Putin")
    start = text.index("We")
    end = text.index(',"')
    speaker_span = putin.mentions[0]
    document.record.quotes.append(
        Quote(
            "q",
            (start, end),
            text[start:end],
            "direct",
            None,
            Speaker(putin.id, "Putin", None, "RUSGOV", speaker_span),
        )
    )
    extract_events(document)
    negotiation = [
        event for event in document.record.events if event.cameo.startswith("12") or event.cameo == "046"
    ]
    assert negotiation and negotiation[0].source[0].actor == "RUSGOV"
    indirect = _one(
        "Yusufov said that Russia wants to participate in the privatization of Azerbaijani grids.", "03"
    )
    assert indirect.source[0].actor == "RUS" and indirect.target[0].actor == "AZE"


def test_nominal_events_and_visits_to_a_capital() -> None:
    visit = _one("Aliyev began his visit to Moscow on Friday.", "042")
    assert _actors(visit.target) == ["RUS"]
    assert visit.place is not None and visit.place.name == "Moscow"
    meeting = _one("The meeting with Putin lasted three hours, Aliyev said.", "040")
    assert "RUSGOV" in _actors(meeting.target)


def test_a_place_alone_is_never_the_source() -> None:
    events = _events("In Baku, the opposition staged a rally against the Azerbaijani government.")
    assert events
    assert all(argument.actor != "AZE" for event in events for argument in event.source)


def test_dates_come_from_the_sentence_or_the_publication() -> None:
    dated = _events("Aliyev met Putin on Friday.", times=(("Friday", "2004-02-06"),))[0]
    assert (dated.date, dated.date_kind, dated.date_text) == ("2004-02-06", "text", "Friday")
    undated = _events("Aliyev met Putin.")[0]
    assert (undated.date, undated.date_kind) == ("2004-02-07", "published")
    nothing = _events("Aliyev met Putin.", published=None)[0]
    assert nothing.date is None and nothing.date_kind is None


def test_event_ids_are_stable_and_carry_evidence() -> None:
    first = _events("Aliyev met Putin.")[0]
    second = _events("Aliyev met Putin.")[0]
    assert first.id == second.id
    assert first.rule.split(">")[-1] == "meet"  # after the model's ranking, the rule that fired
    assert first.trigger.text == "met"
    assert first.plover is not None and first.plover.type == "CONSULT"
    assert first.quad_class == 1 and first.goldstein == 1.0


def test_must_under_a_verb_of_saying_is_a_demand() -> None:
    event = _one("Russia said that Georgia must release Armenian rebels.", "10")
    assert event.cameo == "1053" and event.modality == "demand"
    assert _actors(event.source) == ["RUS"] and _actors(event.target) == ["GEO"]


def test_a_purpose_clause_belongs_to_its_event() -> None:
    events = _events("Azerbaijani students blocked roads in Baku to demand reforms.")
    assert [event.root for event in events] == ["14"]


def test_events_in_background_clauses_are_not_coded() -> None:
    events = _events("Russia imposed sanctions on Georgia after Georgian soldiers attacked Armenian rebels.")
    assert [event.cameo for event in events] == ["163"]


def test_a_thing_in_a_relative_clause_does_not_act() -> None:
    text = "Iran backed a resolution of the United Nations that aims to impose sanctions on Turkey."
    assert not any(event.cameo.startswith("13") or event.cameo == "163" for event in _events(text))


def test_explain_marks_trigger_arguments_and_rule() -> None:
    from dateline.events import explain

    document = _document("Aliyev expressed his condolences to Putin on Friday.")
    extract_events(document)
    event = document.record.events[0]
    text = explain(document.record, event)
    assert "<SRC:Aliyev> [TRIGGER:expressed his condolences] to <TGT:Putin>" in text
    assert "rule condolences" in text and "CAMEO 018" in text


def _rule_codes(text: str) -> list[str]:
    document = _document(text)
    extract_events(document, use_model=False)
    return [event.cameo for event in document.record.events]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Aliyev announced a three-day cease-fire with Armenian rebels.", "0871"),
        ("Putin declared a cessation of hostilities with Georgia.", "0871"),
        ("Aliyev granted a pardon to Armenian rebels on Monday.", "0841"),
        ("Russia returned stolen paintings to the Azerbaijani government.", "0842"),
        ("Turkey rolled back tariffs on Iran.", "085"),
        ("Turkey cut tariffs on Azerbaijani goods.", "085"),
        ("the Azerbaijani government reversed its decision on Armenian rebels.", "08"),
        ("Azerbaijani police filed charges against Armenian rebels.", "112"),
        ("Iran launched legal action against Turkey.", "115"),
        ("Putin launched a mediation effort between Armenia and Azerbaijan.", "045"),
        ("Georgian soldiers remained on alert along the border with Russia.", "152"),
        ("Azerbaijani police issued an arrest warrant for Yusufov.", "173"),
        ("Russia shared evidence with Azerbaijan about the attack.", "064"),
        ("Azerbaijan summoned the Armenian ambassador on Monday.", "111"),
        ("Russia completed its withdrawal of troops from Georgia.", "087"),
        ("Azerbaijani students burned an Armenian flag in Baku.", "14"),
        ("Azerbaijan awarded a state medal to Ivanov.", "051"),
        ("On Monday the Armenian army intensified its shelling of Azerbaijani villages.", "19"),
        ("Russia waged war against Georgia in 2008.", "19"),
        ("Turkey gave 20 million euros to Azerbaijan for reconstruction.", "07"),
        ("Russia flew ten tons of medicine to Armenia.", "07"),
        ("The Azerbaijani government granted Turkey permission to use its airspace.", "08"),
        ("Putin backed down over the gas prices on Monday.", "080"),
        ("Aliyev pardoned Armenian rebels on Monday.", "0841"),
        ("Putin issued a warning to Azerbaijan on Monday.", "130"),
        ("Putin issued an ultimatum to Azerbaijan on Monday.", "139"),
    ],
)
def test_cameo_acts_beyond_the_first_lexicon(text: str, code: str) -> None:
    assert any(found.startswith(code) for found in _rule_codes(text))


def test_an_attack_is_military_unless_its_words_make_it_verbal_or_a_suicide_bombing() -> None:
    assert _rule_codes("Armenian rebels launched an attack on Azerbaijani police.") == ["190"]
    assert _rule_codes("Aliyev launched a scathing attack on the Armenian government.") == ["111"]
    assert _rule_codes("Armenian rebels carried out a suicide attack on Azerbaijani police.") == ["1831"]
    assert _rule_codes("Armenian rebels carried out a car bombing against Azerbaijani police.") == ["1832"]


def test_a_month_is_no_march_and_a_clause_is_no_object() -> None:
    # "March" inside a date is no protest march.
    assert _rule_codes("Azerbaijani students will leave Baku on March 4.") == []
    # The clause's verb is its own event, not the object of "announced" (163, a boycott imposed).
    assert _rule_codes("Armenian rebels announced they are boycotting the election.") == ["143"]


def test_fighting_an_epidemic_is_no_assault() -> None:
    codes = _rule_codes("the Azerbaijani government fought the epidemic.")
    assert not any(code.startswith("19") for code in codes)
    assert _rule_codes("the Armenian army fought Azerbaijani police near Yerevan.") == ["190"]


def test_who_condemns_an_attack_did_not_carry_it_out() -> None:
    document = _document("Aliyev condemned the attack on Azerbaijani police.")
    extract_events(document, use_model=False)
    events = document.record.events
    assert any(event.cameo.startswith("11") and event.source for event in events)
    assert all(not event.source for event in events if event.cameo.startswith("19"))
    # A verb that carries the act out still gives it its subject.
    assert _rule_codes("Armenian rebels carried out an attack on Azerbaijani police.") == ["190"]


def test_a_hyphenated_object_is_one_word_for_the_patterns() -> None:
    # The tokenizer splits "cease-fire" into three tokens; the pattern names the whole word.
    assert _rule_codes("Aliyev observed the cease-fire with Armenia.") == ["0871"]
    assert _rule_codes("Aliyev observed the fire with Armenia.") == []
