"""The learned event-type model: it loads, types sentences written for these tests the same way
every time, keeps quiet on sentences with no political relation, and trains on a small slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.events import extract_events
from dateline.events.model import load_model
from dateline.pipeline import document_before_events
from dateline.record import Event
from event_chain import coded
from shared_data import shared_path


def _events(text: str) -> list[Event]:
    return [event for event in coded(text).events if not event.negated]


def _types(text: str) -> set[str]:
    return {event.plover.type for event in _events(text) if event.plover}


def test_shipped_model_loads_with_probabilities() -> None:
    model = load_model()
    assert model is not None
    assert {"ASSAULT", "AGREE", "ACCUSE", "YIELD"} <= set(model.classes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian troops shelled villages in eastern Ukraine on Tuesday, killing five civilians.", "ASSAULT"),
        ("The Kenyan government condemned the attack by Somali militants.", "ACCUSE"),
        ("Japan sent humanitarian aid to flood victims in Pakistan.", "AID"),
    ],
)
def test_types_sentences_written_for_the_tests(text: str, expected: str) -> None:
    first = _types(text)
    assert expected in first
    assert _types(text) == first  # the same sentence, the same answer


def test_explain_shows_model_types() -> None:
    from dateline.events import explain

    record = coded("Russian troops shelled villages in eastern Ukraine on Tuesday, killing five civilians.")
    shown = explain(record, record.events[0])
    assert "model (learned event type, top 3)" in shown


@pytest.mark.parametrize(
    "text",
    [
        "The weather was mild for most of the week, with light rain in the evenings.",
        "The recipe calls for two cups of flour and a pinch of salt.",
        "Shares of the company rose three percent in early trading.",
        "She has lived in the same small house near the river for forty years.",
    ],
)
def test_abstains_on_sentences_without_a_political_relation(text: str) -> None:
    assert _events(text) == []


def test_training_on_a_small_slice(tmp_path: Path) -> None:
    from dateline.events import training
    from dateline.events.model import NONE, EventTypeModel

    data = shared_path("eval", "events", "plv-train.jsonl")
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = ("ASSAULT", "AGREE", "ACCUSE")
    picked = [row for kind in kinds for row in [r for r in rows if r["type"] == kind][:12]]
    examples = [training.example(row["text"], row["type"], row["source"], row["target"]) for row in picked]
    fitted = training.train(examples)
    # Twelve sentences a type: every one of them too rare to learn well.
    assert set(fitted["rare_types"]) == set(kinds)
    assert set(fitted["sentence"].classes_) <= set(kinds)
    assert set(fitted["candidate"].classes_) <= {*kinds, NONE}
    model = EventTypeModel(fitted["sentence"], fitted["candidate"])
    predicted = [training.predict_types(model, e) for e in examples]
    # On what it was fitted, a working learner gets most right.
    right = sum(e.label in {kind for kind, _ in found} for e, found in zip(examples, predicted, strict=True))
    assert right >= 0.8 * len(examples)
    assert training.figures(examples, predicted)["recall"] >= 0.8


def test_news_sentences_are_learned_as_no_relation(tmp_path: Path) -> None:
    from dateline.events import training
    from dateline.events.model import NONE

    # News text written for the test: candidates the coder finds, in sentences of no relation.
    (tmp_path / "a.txt").write_text(
        "The Kenyan minister met farmers at the market on Monday. He said the rains came late.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Police arrested two men in Mombasa after a football match.\n", encoding="utf-8"
    )
    negatives = training.negative_rows(tmp_path, slice(0, 2))
    assert negatives and all(any(name.startswith("t=") for name in row) for row in negatives)
    data = shared_path("eval", "events", "plv-train.jsonl")
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked = [row for kind in ("ASSAULT", "AGREE") for row in [r for r in rows if r["type"] == kind][:8]]
    examples = [training.example(row["text"], row["type"], row["source"], row["target"]) for row in picked]
    fitted = training.train(examples, negatives)
    assert NONE in set(fitted["sentence"].classes_)
    assert NONE not in training.train(examples)["sentence"].classes_


def test_a_sentence_of_no_relation_keeps_only_the_rules_own_codes() -> None:
    from dateline.events.model import NO_RELATION_MIN, NONE, CandidateView, Typed, choose

    quiet = Typed((("AID", 0.3),), ((NONE, NO_RELATION_MIN), ("AID", 0.3)))
    views = [CandidateView(False, "CONSULT"), CandidateView(True, None)]
    typed = [Typed((("AID", 0.7),), (("AID", 0.7),)), Typed((("AID", 0.6),), (("AID", 0.6),))]
    # The rule's CONSULT keeps its own code, not the sentence's AID; the fallback is dropped.
    assert [(c.index, c.kind) for c in choose(quiet, views, typed)] == [(0, None)]
    fallback_first = list(reversed(typed))
    assert choose(quiet, views, fallback_first) == []
    # Sure of a relation, the same sentence gives the fallback the sentence's type.
    sure = Typed((("AID", 0.8),), (("AID", 0.8), (NONE, 0.1)))
    assert next((c.index, c.kind) for c in choose(sure, views, fallback_first)) == (1, "AID")


def test_a_candidate_sure_of_its_type_sways_an_unsure_sentence() -> None:
    from dateline.events.model import CANDIDATE_WEIGHT, NONE, Typed, blend

    sentence = Typed((("ACCUSE", 0.4), ("ASSAULT", 0.3)), (("ACCUSE", 0.4), ("ASSAULT", 0.3), (NONE, 0.3)))
    typed = [
        Typed((("ACCUSE", 0.5),), ((NONE, 0.5), ("ACCUSE", 0.5))),
        Typed((("ASSAULT", 0.9),), (("ASSAULT", 0.9), (NONE, 0.1))),
    ]
    blended = blend(sentence, typed)
    assert blended.ranked[0][0] == "ASSAULT"
    assert sum(p for _, p in blended.full) == pytest.approx(1.0)
    # Each type takes the most any candidate gives it; NONE is the sentence model's alone.
    mixed = {
        "ACCUSE": (1 - CANDIDATE_WEIGHT) * 0.4 + CANDIDATE_WEIGHT * 0.5,
        "ASSAULT": (1 - CANDIDATE_WEIGHT) * 0.3 + CANDIDATE_WEIGHT * 0.9,
        NONE: 0.3,
    }
    assert dict(blended.full)[NONE] == pytest.approx(0.3 / sum(mixed.values()))
    assert blend(sentence, []) is sentence


def test_choose_gives_the_sentence_type_to_the_fitting_candidate() -> None:
    from dateline.events.model import NONE, CandidateView, Typed, choose

    sentence = Typed((("ASSAULT", 0.7), ("COERCE", 0.2)))
    views = [CandidateView(False, "ACCUSE"), CandidateView(False, "ASSAULT"), CandidateView(True, None)]
    typed = [
        Typed((("ACCUSE", 0.3),), ((NONE, 0.6), ("ACCUSE", 0.3), ("ASSAULT", 0.1))),
        Typed((("ASSAULT", 0.8),), (("ASSAULT", 0.8), (NONE, 0.2))),
        Typed((("ASSAULT", 0.95),), (("ASSAULT", 0.95), (NONE, 0.05))),
    ]
    chosen = choose(sentence, views, typed)
    # The main-verb fallback fits ASSAULT best, and the sentence model's 0.7 clears its floor; the
    # rule's ASSAULT stays beside it with its own code; the ACCUSE candidate (NONE) is dropped.
    assert [(c.index, c.kind) for c in chosen] == [(2, "ASSAULT"), (1, None)]
    unsure = Typed((("ASSAULT", 0.3), ("COERCE", 0.2)))
    chosen = choose(unsure, views[:2], typed[:2])
    # Below the floor the rule's own code stands; the background candidate (NONE) is dropped.
    assert [(c.index, c.kind) for c in chosen] == [(1, None)]


def test_us_the_country_is_a_source_not_the_pronoun() -> None:
    # "US" lower-cases to the pronoun "us"; spelt in capitals and found as an entity, it acts.
    sources = [
        argument.actor
        for event in _events("US authorities deported an Irish businessman on Monday.")
        for argument in event.source
    ]
    assert sources and str(sources[0]).startswith("USA")


def test_a_named_source_without_a_code_still_says_who_acted() -> None:
    # A body the actor tables do not know, in a relation with a government: the event names it,
    # with no code, and the coded target stays.
    events = _events("The Harbour Relief Fund sued the Iraqi government on Tuesday over seized food parcels.")
    assert events, "no event"
    event = events[0]
    assert [(argument.name, argument.actor) for argument in event.source] == [("Harbour Relief Fund", None)]
    assert event.target and str(event.target[0].actor).startswith("IRQ")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("NAIROBI -- A judge in Mombasa has ordered the arrest of two Somali businessmen.", "NAIROBI"),
        ("LIMA, Peru - Police have arrested a dozen miners during a protest in the capital.", "LIMA"),
    ],
)
def test_a_dateline_left_in_raw_text_is_no_source(text: str, place: str) -> None:
    events = _events(text)
    assert events, "no event"
    assert all(argument.name != place for event in events for argument in event.source)


def test_a_pronoun_under_a_verb_of_saying_names_its_uncoded_speaker() -> None:
    from dateline.events.coder import code_candidates

    text = "Northwind Shipping said it will not end the strike."
    candidates = code_candidates(document_before_events(text))
    assert candidates, "no candidate"
    [source] = candidates[0].event.source
    # The pronoun is the evidence; the entity is the one who said it.
    assert (source.name, source.actor) == ("Northwind Shipping", None)
    assert text[source.span[0] : source.span[1]] == "it"
    assert candidates[0].event.cameo.startswith("124")


def test_a_company_acting_alone_is_no_political_event() -> None:
    # A business is a political actor only in a relation with one (the labelling guide of the
    # whole-article gold, after CAMEO): agreeing to share its data with nobody named is business.
    text = "Northwind Shipping has agreed to share its data."
    assert _events(text) == []
    document = document_before_events(text)
    extract_events(document, use_model=False)
    assert document.record.events == []


def test_an_event_whose_only_party_has_no_code_needs_a_sure_sentence_model() -> None:
    from dateline.events.model import NAMED_ONLY_MIN, NONE, CandidateView, Typed, choose

    views = [CandidateView(False, "AGREE", named_only=True)]
    typed = [Typed((("AGREE", 0.7),), (("AGREE", 0.7), (NONE, 0.3)))]
    sure = Typed((("AGREE", NAMED_ONLY_MIN),))
    unsure = Typed((("AGREE", NAMED_ONLY_MIN - 0.05),))
    assert [(c.index, c.kind) for c in choose(sure, views, typed)] == [(0, "AGREE")]
    # Below the floor the rule's own type does not stand in for it, as it does for coded parties.
    assert choose(unsure, views, typed) == []
    # Nor does such a candidate ride along beside the sentence's relation.
    beside = [CandidateView(False, "ASSAULT"), CandidateView(False, "ASSAULT", named_only=True)]
    both = [Typed((("ASSAULT", 0.9),), (("ASSAULT", 0.9),)), Typed((("ASSAULT", 0.8),), (("ASSAULT", 0.8),))]
    assert [c.index for c in choose(Typed((("ASSAULT", 0.9),)), beside, both)] == [0]


@pytest.mark.parametrize(
    "text",
    [
        "A spokesman for the Kenyan army declined to elaborate.",
        "President Obama refused to confirm the report.",
    ],
)
def test_declining_to_say_is_no_rejection(text: str) -> None:
    codes = [event.cameo for event in coded(text).events]
    assert codes and all(code == "011" for code in codes)


def test_the_bodies_of_several_countries_are_each_a_party() -> None:
    events = _events("The defence ministers of Georgia and Turkey met in Batumi on Monday.")
    assert events, "no event"
    parties = {argument.actor for event in events for argument in [*event.source, *event.target]}
    # One sector for both: the plural phrase names the same body of each country (defence
    # ministers are government first, GOVMIL, by the README's sector convention).
    assert {"GEOGOVMIL", "TURGOVMIL"} <= parties


def test_speaking_with_someone_is_consultation_and_speaking_to_the_press_is_not() -> None:
    call = _events("The Japanese prime minister spoke by telephone with the Australian prime minister.")
    assert [(event.cameo, event.target[0].actor) for event in call] == [("041", "AUSGOV")]
    assert _events("The prime minister spoke to reporters in Canberra on Friday.") == []


def test_sending_peacekeepers_is_peacekeeping() -> None:
    codes = [event.cameo for event in _events("Ghana deployed 500 peacekeepers to Mali last year.")]
    assert codes == ["074"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("MADRID -- A Spanish court on Monday jailed two Moroccan smugglers.", "ESPJUD"),
        ("LAGOS, Nigeria - Soldiers have arrested three Ghanaian fishermen near the port.", "NGAMIL"),
    ],
)
def test_a_dateline_misparsed_as_a_second_subject_leaves_the_clause_its_own(text: str, source: str) -> None:
    events = _events(text)
    assert events, "no event"
    assert [argument.actor for argument in events[0].source] == [source]


def test_his_or_her_country_is_the_referent_s_country() -> None:
    text = "In Tbilisi, President Salome Zourabichvili said her country would expel two Russian diplomats."
    events = _events(text)
    assert events, "no event"
    assert [argument.actor for argument in events[0].source] == ["GEO"]


def test_a_ban_on_a_country_s_goods_is_an_embargo() -> None:
    events = _events("Turkey imposed a ban on Syrian textile imports.")
    assert [(event.cameo, [a.actor for a in event.target]) for event in events] == [("163", ["SYR"])]


def test_custody_with_nobody_named_is_the_state_s_where_it_happened() -> None:
    events = _events("Two journalists were detained in Goma on Monday for filming a protest by miners.")
    assert events, "no event"
    assert events[0].cameo.startswith("17")
    assert [argument.actor for argument in events[0].source] == ["COD"]
    assert [argument.actor for argument in events[0].target] == ["CODMED"]


def test_a_passive_s_subject_is_its_target_coded_or_not() -> None:
    # The activist has no code, but it is who was arrested: not the miners of the charge.
    events = _events("The activist was arrested by police in Kigali for helping striking miners.")
    assert events, "no event"
    assert [argument.actor for argument in events[0].source] == ["RWACOP"]
    assert events[0].target == []


def test_a_dated_dateline_with_its_agency_is_no_part_of_the_source() -> None:
    events = _events("Islamabad, May 2, APP - Pakistan condemned the drone strike in Waziristan.")
    assert events, "no event"
    assert [(argument.name, argument.actor) for argument in events[0].source] == [("Pakistan", "PAK")]


def test_a_named_subject_without_a_code_is_not_replaced_by_a_place() -> None:
    # The front has no code, but it declared the ceasefire: Somalia did not.
    events = _events("The Northern Liberation Front declared a unilateral ceasefire in Somalia on Sunday.")
    assert all(argument.actor != "SOM" for event in events for argument in event.source)


def test_a_verb_of_saying_that_reports_the_act_is_no_feature_of_it() -> None:
    from dateline.events.model import features

    document = document_before_events("Uganda has granted asylum to the rebels, an official said.")
    sentence = next(iter(document.doc.sents))
    granted = next(token for token in sentence if token.lemma_ == "grant")
    assert granted.head.lemma_ == "say"
    assert not any(name.startswith(("head=", "head+dep=")) for name in features(sentence, granted, "075"))
    document = document_before_events("Uganda plans to grant asylum to the rebels.")
    sentence = next(iter(document.doc.sents))
    grant = next(token for token in sentence if token.lemma_ == "grant")
    assert "head=plan" in features(sentence, grant, "075")


def test_a_threat_named_by_its_verb_stays_a_threat() -> None:
    from dateline.events.coder import code_candidates
    from dateline.events.model import CandidateView

    # The sentence's words are an assault's; the verb says it is a threat of one.
    text = "Hamas threatened on Monday to resume terrorist activities in Israel during the uprising."
    [event] = _events(text)
    assert event.cameo.startswith("13") and event.plover is not None and event.plover.type == "THREATEN"
    document = document_before_events("Hamas threatened Israel on Monday.")
    [act] = code_candidates(document)
    assert act.frame_coded and CandidateView.of(False, "THREATEN", False, True, True, frozenset()).trusted
    document = document_before_events("Hamas attacked Israel on Monday.")
    [act] = code_candidates(document)
    assert not act.frame_coded
    assert not CandidateView.of(False, "ASSAULT", False, True, False, frozenset()).trusted


def test_a_type_too_rare_to_learn_keeps_the_rule_s_code_unless_under_a_frame() -> None:
    from dateline.events.model import CandidateView, Typed, choose

    model = load_model()
    assert model is not None and "MOBILIZE" in model.rare_types
    # plv-train's deployments are all peacekeeping (AID); deploying troops is mobilising.
    events = _events("Russia deployed troops to the border with Ukraine.")
    assert [(event.cameo, [a.actor for a in event.target]) for event in events] == [("154", ["UKR"])]
    # Under a frame the act is not told as done, so the model's type stays: an offer is no mobilising.
    offered = _events("The United States offered to send troops to Uganda.")
    assert offered and all(event.cameo != "154" for event in offered)
    sure = Typed((("AID", 0.9),))
    views = [CandidateView(False, "MOBILIZE", trusted=True)]
    typed = [Typed((("AID", 0.8),), (("AID", 0.8),))]
    assert [(c.index, c.kind) for c in choose(sure, views, typed)] == [(0, None)]
    # A verb alone will do ("demonstrated"): the rule's PROTEST stands against a sure REJECT.
    rare = frozenset({"PROTEST"})
    protest = CandidateView.of(False, "PROTEST", False, True, False, rare)
    refusal = Typed((("REJECT", 0.6),), (("REJECT", 0.6), ("PROTEST", 0.2)))
    assert protest.trusted and [c.kind for c in choose(refusal, [protest], [refusal])] == [None]
    assert not CandidateView.of(False, "PROTEST", False, False, False, rare).trusted
    from dateline.events.coder import code_candidates

    document = document_before_events("Thousands of Georgians demonstrated in Tbilisi on Monday.")
    [act] = [item for item in code_candidates(document) if not item.fallback]
    assert act.event.cameo == "141" and act.unframed
