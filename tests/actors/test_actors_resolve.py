"""The actor stage on sentences written for these tests: codes, metonyms, agents, coreference."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import dateline
from dateline.actors import code_span, load_actor_dictionaries, resolve_entities
from dateline.actors.dictionary import ActorDictionary
from dateline.nlp import annotate
from dateline.record import Dateline, Document, Entity, Record, article_id


def analyse(
    text: str,
    published: str | None = "2004-02-07",
    *,
    title: str | None = None,
    dateline: str | None = None,
    dictionaries: ActorDictionary | None = None,
) -> Document:
    record = Record(
        id=article_id(text),
        raw=text,
        text=text,
        title=title,
        published=published,
        dateline=Dateline(place=dateline) if dateline else None,
    )
    document = annotate(record)
    resolve_entities(document, dictionaries)
    return document


def resolve(text: str, published: str | None = "2004-02-07", **options: object) -> Record:
    return analyse(text, published, **options).record  # type: ignore[arg-type]


def named(record: Record, name: str) -> Entity:
    found = [entity for entity in record.entities if entity.name == name]
    assert found, f"no {name!r} among {[(e.name, e.type, e.actor) for e in record.entities]}"
    return found[0]


def mention_texts(record: Record, entity: Entity) -> list[str]:
    return [record.text[start:end] for start, end in entity.mentions]


def test_titles_of_other_countries() -> None:
    record = resolve(
        "German Foreign Minister Joschka Fischer met Turkey's Prime Minister Recep Tayyip Erdogan "
        "in Ankara on Tuesday."
    )
    fischer = named(record, "Joschka Fischer")
    assert fischer.type == "PERSON" and fischer.actor == "DEUGOV"
    assert fischer.role == "German Foreign Minister"
    erdogan = named(record, "Recep Tayyip Erdogan")
    assert erdogan.actor == "TURGOV" and erdogan.country == "TUR"
    assert "Prime Minister" in (erdogan.role or "") and "Turkey" in (erdogan.role or "")
    ankara = named(record, "Ankara")
    assert ankara.type == "GPE" and ankara.country == "TUR"
    assert ankara.place is not None and ankara.place.lat == pytest.approx(39.9, abs=0.5)


def test_apposition_and_relative_clause_roles() -> None:
    record = resolve(
        "Mario Soares, the Portuguese president, said on Tuesday that he would travel to Brazil. "
        "Colonel Joao Pires, who commands the Portuguese army's northern region, stayed at home."
    )
    soares = named(record, "Mario Soares")
    assert soares.role == "Portuguese president"
    assert soares.actor == "PRTGOV"
    pires = named(record, "Joao Pires")
    assert pires.role is not None and pires.role.startswith("Colonel, commander of the Portuguese army")
    assert pires.actor == "PRTMIL"


def test_metonyms_stand_for_governments() -> None:
    record = resolve(
        "The Kremlin said on Tuesday that Russia would respond. The White House rejected the offer, "
        "and the Pentagon sent more troops. Beijing warned that it would retaliate."
    )
    kremlin = named(record, "Kremlin")
    assert kremlin.actor == "RUSGOV" and kremlin.country == "RUS"
    assert kremlin.place is None or kremlin.place.country == "RUS"
    assert named(record, "White House").actor == "USAGOV"
    assert named(record, "Pentagon").actor in ("USAMIL", "USAGOVMIL", "USAGOV")
    beijing = [entity for entity in record.entities if entity.name == "Beijing"]
    assert any(entity.actor == "CHNGOV" for entity in beijing)


def test_capital_as_a_place_is_not_a_government() -> None:
    record = resolve("Thousands of tourists visited Beijing last summer.")
    beijing = named(record, "Beijing")
    assert beijing.actor is None and beijing.country == "CHN"


def test_agent_phrases_become_groups() -> None:
    record = resolve(
        "Iranian police arrested dozens of protesters in Tehran on Monday. "
        "American warplanes bombed rebel positions near the border."
    )
    police = named(record, "Iranian police")
    assert police.type == "GROUP" and police.actor == "IRNCOP"
    protesters = named(record, "protesters")
    assert protesters.actor is not None and protesters.actor.startswith("IRN")
    assert named(record, "American warplanes").actor == "USAMIL"
    # The demonym inside the group is part of it, not an entity of its own.
    assert not any(entity.name == "Iranian" for entity in record.entities)


def test_groups_take_the_dateline_country() -> None:
    record = resolve("Protesters marched through the city centre on Sunday.", dateline="Tbilisi")
    protesters = [entity for entity in record.entities if entity.type == "GROUP"]
    assert protesters and protesters[0].actor is not None and protesters[0].actor.startswith("GEO")


def test_pronouns_and_role_references_join_people() -> None:
    record = resolve(
        "German Chancellor Angela Merkel met French President Nicolas Sarkozy in Berlin on Monday. "
        "She said the talks had been useful. The president said France agreed."
    )
    merkel = named(record, "Angela Merkel")
    assert "She" in mention_texts(record, merkel)
    sarkozy = named(record, "Nicolas Sarkozy")
    assert "president" in mention_texts(record, sarkozy)
    assert sarkozy.actor == "FRAGOV"


def test_surnames_join_the_full_name() -> None:
    record = resolve(
        "Interior Minister Hamid Karzai spoke first. Later, Karzai said the police were ready. "
        "Mr. Karzai left."
    )
    karzai = [entity for entity in record.entities if entity.type == "PERSON"]
    assert len(karzai) == 1
    assert karzai[0].name == "Hamid Karzai"
    assert len(karzai[0].mentions) >= 3


def test_pronoun_in_quotes_is_left_alone() -> None:
    record = resolve('Lavrov spoke to reporters. "He is wrong," a diplomat said of the plan.')
    for entity in record.entities:
        assert '"He' not in record.text[entity.mentions[0][0] - 1 : entity.mentions[0][1]]
        assert all(record.text[start:end] != "He" for start, end in entity.mentions)


@pytest.mark.parametrize(
    ("published", "full_name"), [("2002-05-01", "Heydar Aliyev"), ("2005-05-01", "Ilham Aliyev")]
)
def test_surname_alone_is_the_leader_in_office(published: str, full_name: str) -> None:
    record = resolve("Azerbaijan's President Aliyev arrived in Moscow for talks.", published)
    aliyev = next(entity for entity in record.entities if entity.type == "PERSON")
    assert aliyev.name == full_name
    assert aliyev.actor == "AZEGOV"


def test_leader_codes_follow_the_date() -> None:
    record = resolve("Putin met Bush in Russia to discuss Iraq.", "2004-02-07")
    assert named(record, "Vladimir Putin").actor == "RUSGOV"
    earlier = resolve("Putin met Bush in Russia to discuss Iraq.", "1995-06-01")
    putin = next(entity for entity in earlier.entities if "Putin" in entity.name)
    assert putin.actor != "RUSGOV"


def test_known_names_are_never_people() -> None:
    record = resolve(
        "Azerbaijan and Armenia discussed Karabagh. Tensions in the Caucasus rose as Azeri and "
        "Armenian officials met."
    )
    for name in ("Azerbaijan", "Armenia"):
        entity = named(record, name)
        assert entity.type == "GPE" and entity.actor in ("AZE", "ARM")
    assert named(record, "Karabagh").type in ("LOC", "GPE")
    assert named(record, "Caucasus").type == "LOC"


def test_user_dictionaries_take_precedence(tmp_path: Path) -> None:
    actors = tmp_path / "mine.actors.txt"
    actors.write_text(
        "ILHAM_ALIYEV_\n\t[AZEELI 780101-030804]\n\t[AZEGOV >031031]\nGLOBAL_OIL_PARTNERS_ [MNCBUS]\n",
        encoding="utf-8",
    )
    agents = tmp_path / "mine.agents.txt"
    agents.write_text("PROTESTER [~CVL]\n", encoding="utf-8")
    dictionaries = load_actor_dictionaries([actors, agents])
    text = "Ilham Aliyev met protesters in Baku, and Global Oil Partners signed a deal."
    early = resolve(text, "2002-01-01", dictionaries=dictionaries)
    assert named(early, "Ilham Aliyev").actor == "AZEELI"
    assert named(early, "protesters").actor == "AZECVL"
    assert any(entity.actor == "MNCBUS" for entity in early.entities)
    later = resolve(text, "2004-02-07", dictionaries=dictionaries)
    assert named(later, "Ilham Aliyev").actor == "AZEGOV"


def test_title_case_lines_do_not_become_people() -> None:
    text = (
        "Putin And Aliyev Sign Declaration Promising Cooperation\n\n"
        "Russian President Vladimir Putin and Azerbaijan's President Ilham Aliyev signed a declaration."
    )
    record = resolve(text)
    for entity in record.entities:
        if entity.type == "PERSON":
            assert entity.name in ("Vladimir Putin", "Ilham Aliyev")


def test_code_span_codes_any_phrase() -> None:
    document = analyse("Afghan rebel leaders said they would meet Russian negotiators in Geneva.")
    text = document.record.text
    start = text.index("Afghan rebel leaders")
    assert code_span(document, start, start + len("Afghan rebel leaders")) == "AFGREB"
    start = text.index("Russian negotiators")
    coded = code_span(document, start, start + len("Russian negotiators"))
    assert coded is not None and coded.startswith("RUS")


def test_empty_and_entity_free_texts() -> None:
    assert resolve("").entities == []
    assert resolve("   \n\n  ").entities == []
    assert resolve("It rained all day and nobody went out.").entities == []


def test_unusual_unicode_and_very_long_names() -> None:
    long_name = "Abdul " + " ".join(["Rahman"] * 60) + " Al-Østergaard"
    text = (
        f"Ğülşen Çağlayan-Øye met {long_name} in İstanbul. "
        "Ζήτω said nothing\u200b. 北京 replied 🙂. Ｍｏｓｃｏｗ stayed calm."
    )
    record = resolve(text)
    for entity in record.entities:
        for start, end in entity.mentions:
            assert 0 <= start < end <= len(text)


def _timed(sentences: int) -> tuple[float, int]:
    sentence = (
        "Russian President Vladimir Putin met Azerbaijan's President Ilham Aliyev in Moscow, "
        "and Iranian police said he had arrived. "
    )
    text = sentence * sentences
    record = Record(id=article_id(text), raw=text, text=text, published="2004-02-07")
    document = annotate(record)
    started = time.perf_counter()
    resolve_entities(document)
    return time.perf_counter() - started, sum(len(entity.mentions) for entity in record.entities)


def test_thousands_of_mentions_in_linear_time() -> None:
    _timed(5)  # caches warm
    small, small_mentions = _timed(150)
    large, large_mentions = _timed(600)
    assert large_mentions >= 4 * small_mentions - 10 and large_mentions > 2000
    # Four times the text: well under sixteen times the time (quadratic would be 16x).
    assert large < 8 * small + 0.5, (small, large)


def test_the_army_is_the_army_of_the_troops_named_before() -> None:
    record = resolve("Israeli troops killed three Palestinian militants in Gaza on Tuesday, the army said.")
    assert named(record, "Israeli troops").actor == "ISRMIL"
    assert named(record, "Palestinian militants").actor == "PSEREB"
    assert named(record, "army").actor == "ISRMIL"


def test_roles_in_international_bodies() -> None:
    record = resolve(
        "EU foreign policy chief Federica Mogherini said the bloc would keep the deal alive.", "2019-06-20"
    )
    mogherini = named(record, "Federica Mogherini")
    assert mogherini.role == "EU foreign policy chief"
    assert mogherini.actor is not None and mogherini.actor.startswith("IGO")
    assert mogherini.country is None


def test_a_known_organisation_the_model_cut_short_gets_its_whole_name() -> None:
    # The model tags only "Islamic" of "the Islamic State"; the knowledge base knows the group.
    text = "The Islamic State attacked an army post near the border on Friday."
    record = dateline.process(text, "2026-11-20")
    named = {entity.name: entity.actor for entity in record.entities}
    assert named.get("Islamic State") == "IMGMOSISI", named
