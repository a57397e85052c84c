"""Actors named by a common noun, sectors by office, and names read whole, on sentences written
for these tests.

The domestic office holders of the United States (senators, the Speaker, the cabinet, candidates)
come in data files of their own, in the format of ``officials.tsv``; the tests that need them
add the rows they rely on to the built-in knowledge, so that they test the coding of offices
whatever those files hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import dateline.actors.lookup as lookup_module
from dateline.actors import code_span, load_actor_dictionaries, resolve_entities
from dateline.actors.knowledge import Knowledge, Leader, load_knowledge
from dateline.actors.lookup import Lookup
from dateline.nlp import annotate
from dateline.pipeline import Pipeline, process
from dateline.record import Document, Entity, Record, article_id


def analyse(text: str, published: str = "2021-05-04", dictionaries: object = None) -> Document:
    record = Record(id=article_id(text), raw=text, text=text, published=published)
    document = annotate(record)
    resolve_entities(document, dictionaries)  # type: ignore[arg-type]
    return document


def code_of(document: Document, phrase: str) -> str | None:
    start = document.record.text.index(phrase)
    return code_span(document, start, start + len(phrase))


def entities_with(record: Record, text: str) -> list[Entity]:
    """The entities one of whose mentions is ``text`` or contains it."""
    return [
        entity
        for entity in record.entities
        if any(text in record.text[start:end] for start, end in entity.mentions)
    ]


# agents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "code"),
    [
        ("Ordinary Kazakhs queued for hours outside the banks on Friday.", "Ordinary Kazakhs", "KAZCVL"),
        ("Rakhine rebels seized two border outposts overnight.", "Rakhine rebels", "MMRREB"),
        ("Minsk police dispersed a rally of pensioners on Saturday.", "Minsk police", "BLRCOP"),
        ("Syrian mercenaries were flown to the front last week.", "Syrian mercenaries", "SYRMIL"),
        ("Thousands of Nigerians marched through the capital on Monday.", "Nigerians", "NGACVL"),
        ("Bosnian Serbs voted in a referendum on Sunday.", "Bosnian Serbs", "BIHCVL"),
        ("Iraqi Kurds crossed into Turkey after the shelling.", "Iraqi Kurds", "IRQCVL"),
        ("Taxi drivers in Lagos stopped work over the fuel price.", "Taxi drivers", "NGALAB"),
    ],
)
def test_groups_named_by_a_common_noun_get_country_and_sector(text: str, phrase: str, code: str) -> None:
    document = analyse(text)
    assert code_of(document, phrase) == code
    # The group is an entity of the article, which the event coder can take as a party.
    assert any(entity.actor == code for entity in entities_with(document.record, phrase.split()[-1]))


def test_a_body_is_coded_by_the_agent_word_before_its_generic_head() -> None:
    record = analyse(
        "A paramilitary organization claimed the ambush. The Red Crescent Society said its "
        "volunteers had reached the flooded villages. The police chief resigned."
    ).record
    [organization] = entities_with(record, "paramilitary organization")
    assert organization.actor == "MIL"
    [society] = entities_with(record, "Red Crescent Society")
    assert society.actor == "NGO"
    [chief] = entities_with(record, "police chief")
    assert chief.actor == "COP"


def test_a_group_of_people_is_one_entity_from_the_collective_noun() -> None:
    text = "A group of tourists from Norway was robbed near the old harbour."
    record = analyse(text).record
    [tourists] = entities_with(record, "tourists")
    assert tourists.actor is not None and tourists.actor.endswith("CVL")
    # The verb's subject is "group": the entity covers it.
    assert any(text[start:end].startswith("group of") for start, end in tourists.mentions)


def test_a_users_agent_dictionary_still_decides(tmp_path: Path) -> None:
    agents = tmp_path / "mine.agents.txt"
    agents.write_text("MERCENARY [~REB]\nTAXI_DRIVER [~CVL]\n", encoding="utf-8")
    dictionaries = load_actor_dictionaries([agents])
    document = analyse("Syrian mercenaries and taxi drivers blocked the road.", dictionaries=dictionaries)
    record = document.record
    assert [entity.actor for entity in entities_with(record, "mercenaries")] == ["SYRREB"]
    assert code_span(document, *_span(record, "Syrian mercenaries"), dictionaries) == "SYRREB"


def _span(record: Record, phrase: str) -> tuple[int, int]:
    start = record.text.index(phrase)
    return start, start + len(phrase)


# names read whole ---------------------------------------------------------------------------


def test_a_hyphenated_title_is_the_bodys_head_not_a_general() -> None:
    record = analyse("The United Nations Secretary-General urged both sides to observe the truce.").record
    [head] = entities_with(record, "Secretary-General")
    assert head.actor == "IGOUNO"
    assert all(entity.name != "General" and "MIL" not in (entity.actor or "") for entity in record.entities)


def test_a_hyphenated_title_refers_back_to_its_holder() -> None:
    record = analyse(
        "UN Secretary-General Antonio Guterres flew to Nairobi. The Secretary-General met aid groups there."
    ).record
    [guterres] = [entity for entity in record.entities if entity.name == "Antonio Guterres"]
    assert "Secretary-General" in [record.text[start:end] for start, end in guterres.mentions[1:]]


def test_the_two_countries_are_the_two_named_before() -> None:
    text = (
        "Kenya and Uganda signed a border accord in Nairobi on Tuesday. "
        "The two countries agreed to share the lake's fishing grounds."
    )
    record = analyse(text).record
    start = text.index("The two countries")
    parties = [
        entity for entity in record.entities if (start, start + len("The two countries")) in entity.mentions
    ]
    assert sorted(entity.actor or "" for entity in parties) == ["KEN", "UGA"]


def test_the_two_leaders_are_the_two_people_named_before() -> None:
    text = (
        "Chinese President Xi Jinping received Brazilian President Luiz Inacio Lula da Silva in Beijing. "
        "The two leaders signed eleven trade agreements."
    )
    record = analyse(text, "2023-04-14").record
    start = text.index("The two leaders")
    parties = [
        entity for entity in record.entities if (start, start + len("The two leaders")) in entity.mentions
    ]
    assert sorted(entity.actor or "" for entity in parties) == ["BRAGOV", "CHNGOV"]


def test_a_plural_reference_with_too_few_parties_stays_unresolved() -> None:
    text = "Chile sent a delegation to the summit. The two countries will meet again in May."
    record = analyse(text).record
    start = text.index("The two countries")
    assert not [entity for entity in record.entities if any(s == start for s, _ in entity.mentions)]


def test_known_organisations_are_read_whole() -> None:
    record = analyse(
        "Delegates of Law and Justice met the Tigray People's Liberation Front and lawyers of the "
        "Supreme Court of the United States.",
        "2022-06-01",
    ).record
    codes = {entity.name: entity.actor for entity in record.entities}
    assert codes.get("Law and Justice") == "POLPTY"
    assert codes.get("Tigray People's Liberation Front") == "ETHREB"
    assert codes.get("Supreme Court of the United States") == "USAJUD"


# offices ------------------------------------------------------------------------------------


def _term(name: str, office: str, start: str, end: str | None, aliases: tuple[str, ...] = ()) -> Leader:
    """A row as the domestic-politics tables write it: the code left to the office's sector."""
    from dateline.actors.knowledge import _office_code

    return Leader(
        name,
        aliases,
        "USA",
        office,
        office,
        _office_code("USA", office),
        date.fromisoformat(start),
        _day(end),
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


US_TERMS = [
    _term("Mitch McConnell", "legislator", "1985-01-03", None),
    _term("Paul Ryan", "legislator", "1999-01-03", "2019-01-03"),
    _term("Paul Ryan", "speaker", "2015-10-29", "2019-01-03"),
    _term("Bernie Sanders", "legislator", "2007-01-03", None),
    _term("Bernie Sanders", "candidate", "2015-04-30", "2016-07-12"),
    _term("Jeb Bush", "governor", "1999-01-05", "2007-01-02", ("John Ellis Bush",)),
    _term("Jeb Bush", "candidate", "2015-06-15", "2016-02-20"),
    _term("Donald Trump", "candidate", "2015-06-16", "2016-11-08"),
    Leader(
        "Loretta Lynch",
        (),
        "USA",
        "minister",
        "Attorney General",
        "USAGOV",
        date(2015, 4, 27),
        date(2017, 1, 20),
    ),
]


@pytest.fixture()
def us_politics(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lookup]:
    base = load_knowledge()
    knowledge = Knowledge(
        base.countries,
        [*base.leaders, *US_TERMS],
        base.organizations,
        base.metonyms,
        base.regions,
        dict(base.agents),
    )
    lookup = Lookup(knowledge)
    monkeypatch.setattr(lookup_module, "_builtin_lookup", lambda: lookup)
    yield lookup


def people(record: Record) -> dict[str, str | None]:
    return {entity.name: entity.actor for entity in record.entities if entity.type == "PERSON"}


def test_congressional_leaders_have_their_country(us_politics: Lookup) -> None:
    record = analyse(
        "Senate Majority Leader Mitch McConnell blocked the vote on Thursday. "
        "House Speaker Paul Ryan said the chamber would wait.",
        "2016-03-17",
    ).record
    assert people(record) == {"Mitch McConnell": "USALEG", "Paul Ryan": "USALEG"}


def test_without_the_tables_a_title_with_no_country_takes_the_articles() -> None:
    record = analyse("In Ohio, Senator Tom Walden said the bill would fail.", "2016-03-17").record
    assert people(record) == {"Tom Walden": "USALEG"}


def test_a_former_office_holder_running_is_an_elite(us_politics: Lookup) -> None:
    # The shipped candidate rows code a candidate who held office before as an elite (a former
    # governor running in 2016), one who never did as the party.
    text = "Jeb Bush told voters in New Hampshire that he would cut taxes."
    assert people(analyse(text, "2016-01-20").record) == {"Jeb Bush": "USAELI"}
    assert people(analyse(text, "2016-06-01").record) == {"Jeb Bush": "USAELI"}
    assert people(analyse(text, "2003-06-01").record) == {"Jeb Bush": "USAGOV"}


def test_office_knowledge_outranks_the_words_of_a_title(us_politics: Lookup) -> None:
    # "Attorney General" reads as the judiciary; Lynch was a member of the cabinet.
    record = analyse("U.S. Attorney General Loretta Lynch said the inquiry was closed.", "2016-07-06").record
    assert people(record) == {"Loretta Lynch": "USAGOV"}


def test_a_senator_running_for_president_is_a_legislator_when_quoted(us_politics: Lookup) -> None:
    text = (
        'Bernie Sanders spoke in Iowa on Monday. "We are not going anywhere," Sanders said. '
        '"The fight goes on," said Loretta Lynch.'
    )
    record = process(text, "2016-02-01", pipeline=Pipeline())
    assert people(record) == {"Bernie Sanders": "USALEG", "Loretta Lynch": "USAGOV"}
    speakers = {quote.speaker.name: quote.speaker.actor for quote in record.quotes if quote.speaker}
    assert speakers == {"Bernie Sanders": "USALEG", "Loretta Lynch": "USAGOV"}


def test_one_actor_one_code_in_an_article(us_politics: Lookup) -> None:
    text = (
        "Donald Trump said Judge Gonzalo Curiel should step aside from the fraud case. "
        "The judge is hearing two lawsuits against Trump University. "
        "Trump told reporters the judge was unfair, and Trump's lawyers filed a motion."
    )
    record = analyse(text, "2016-06-03").record
    trumps = [entity for entity in record.entities if entity.type == "PERSON" and "Trump" in entity.name]
    assert [(entity.name, entity.actor) for entity in trumps] == [("Donald Trump", "USAPTY")]
    assert people(record)["Gonzalo Curiel"] == "USAJUD"


def test_former_office_holders_are_elites_of_their_country() -> None:
    record = analyse(
        "Former prime minister Tony Blair met the Kosovo delegation in London.", "2012-05-02"
    ).record
    assert people(record) == {"Tony Blair": "GBRELI"}
    record = analyse("Prime Minister Tony Blair met the Kosovo delegation in London.", "2005-05-02").record
    assert people(record) == {"Tony Blair": "GBRGOV"}
    # Any title written with "former" says the office is over, whatever the office was.
    record = analyse("The former German chancellor Angela Merkel opened the library.", "2023-03-01").record
    assert people(record) == {"Angela Merkel": "DEUELI"}


def test_defence_ministers_are_government_first() -> None:
    record = analyse("Defense Minister Lloyd Austin arrived in Manila on Monday.", "2023-02-01").record
    assert people(record) == {"Lloyd Austin": "USAGOVMIL"}


def test_a_title_after_a_known_body_takes_the_bodys_sector() -> None:
    record = analyse(
        "FBI director James Comey testified on Thursday. White House press secretary Josh Earnest "
        "said the president had been briefed.",
        "2016-09-23",
    ).record
    assert people(record) == {"James Comey": "USACOP", "Josh Earnest": "USAGOV"}


def test_the_articles_actors_outvote_a_foreign_name_for_groups() -> None:
    # Barack Obama, named three times, makes the story American; the one British name
    # (a journal's) does not make its critics and its senators British.
    record = analyse(
        "Barack Obama defended the plan on Monday. Critics cited a study in the British Medical "
        "Journal. Obama said the Senate would vote. Obama thanked doctors.",
        "2016-09-15",
    ).record
    codes = {entity.name: entity.actor for entity in record.entities}
    assert codes.get("Critics") == "USAOPP"
    assert codes.get("Senate") == "USALEG"


def test_a_title_with_no_name_is_a_role_of_its_country() -> None:
    record = analyse("The Russian Defense Minister said the exercise would go ahead.", "2004-02-07").record
    [minister] = entities_with(record, "Defense Minister")
    assert minister.actor == "RUSGOVMIL"
    assert [record.text[start:end] for start, end in minister.mentions] == ["Russian Defense Minister"]


def test_a_nominee_is_coded_by_what_they_are_named_for() -> None:
    record = analyse(
        "Democratic nominee Hillary Clinton spoke in Ohio. Supreme Court nominee Merrick Garland waited.",
        "2016-09-20",
    ).record
    assert people(record) == {"Hillary Clinton": "USAPTY", "Merrick Garland": "USAJUD"}


def test_an_unknown_organisation_inside_a_group_phrase_is_that_group() -> None:
    record = analyse("The rebel Kivu Liberation force shelled the town of Sake.").record
    coded = [entity for entity in record.entities if entity.actor and entity.actor.endswith("REB")]
    assert coded, [(entity.name, entity.type, entity.actor) for entity in record.entities]
