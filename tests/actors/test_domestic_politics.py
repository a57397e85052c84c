"""Domestic politics in the knowledge base: legislators, judges, governors, cabinet, candidates.

The tables are checked with bench/check_leaders.py; the sentences are written for these tests
and the codes come from the tables and the article's publication date.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from dateline.actors import resolve_entities
from dateline.nlp import annotate
from dateline.record import Entity, Record, article_id

REPO = Path(__file__).resolve().parents[2]


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_leaders", REPO / "bench" / "check_leaders.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def person(text: str, published: str, name: str) -> Entity:
    record = Record(id=article_id(text), raw=text, text=text, published=published)
    document = annotate(record)
    resolve_entities(document)
    found = [entity for entity in document.record.entities if name in entity.name]
    assert found, (name, [(e.name, e.type, e.actor) for e in document.record.entities])
    return found[0]


def test_the_shipped_office_tables_pass_their_checks() -> None:
    checker = _checker()
    assert checker.main([]) == 0


def test_the_check_finds_each_kind_of_problem(tmp_path: Path) -> None:
    checker = _checker()
    header = "\t".join(checker.COLUMNS)
    rows = [
        "Ann Example\t\tUSA\tlegislator\tUS Senator from Ohio\tUSALEG\t2001-01-03\t2007-01-03",
        "Ann Example\t\tUSA\tlegislator\tUS Senator from Ohio\tUSALEG\t2001-01-03\t2007-01-03",  # duplicate
        "Ann Example\t\tUSA\tlegislator\tUS Senator from Ohio\tUSALEG\t2005-01-03\t",  # overlaps both
        "Bob Example\t\tUSA\tjudge\tJudge\tUSAJUD\t2010-05-01\t2009-01-01",  # ends before it starts
        "Cy Example\t\tXYZ\tspeaker\tSpeaker\tXYZLEG\t2010-05-01\t",  # unknown country
        "Di Example\t\tUSA\tgovernor\tGovernor\tFRAGOV\t2010-05-01\t",  # another country's code
        "Ed Example\t\tUSA\tgovernor\tGovernor\tUSAXYZ\t2010-05-01\t",  # no such sector
        "Flo Example\t\tUSA\tjester\tCourt jester\tUSAGOV\t2010-05-01\t",  # no such office
        "Gus Example\t\tUSA\tmayor\tMayor\tUSAGOV\t2010-13-01\t",  # no such date
        "Hal Example\tUSA\tmayor",  # too few fields
        # A party leadership over days the same person was a minister would hide the ministry.
        "Ida Example\t\tDEU\tfinance_minister\tFinance Minister\tDEUGOV\t2021-12-08\t2024-11-07",
        "Ida Example\t\tDEU\tparty_leader\tParty chair\tDEUPTY\t2013-12-07\t2025-05-16",
        "Ida Example\t\tDEU\tlegislator\tMember of the Bundestag\tDEULEG\t2017-10-24\t",  # a seat may
    ]
    table = tmp_path / "bad.tsv"
    table.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    counts, messages = checker.check([table])
    assert counts == {
        "malformed": 1,
        "bad_dates": 2,
        "unknown_countries": 1,
        "bad_codes": 2,
        "unknown_offices": 1,
        "duplicates": 1,
        "overlaps": 2,
        "hidden_offices": 1,
        "rows": 13,
    }
    assert any("bad.tsv:3: same term as bad.tsv:2" in message for message in messages)
    assert checker.main([str(table)]) == 1


@pytest.mark.parametrize(
    ("text", "published", "name", "code"),
    [
        # A senator in the middle of a presidential primary keeps the office he holds.
        (
            "Bernie Sanders told supporters in Iowa that the bill was a giveaway.",
            "2016-01-20",
            "Sanders",
            "USALEG",
        ),
        (
            "Mitch McConnell said the chamber would not take up the nomination.",
            "2016-03-17",
            "McConnell",
            "USALEG",
        ),
        (
            "Paul Ryan said the House would vote on the spending bill on Thursday.",
            "2016-06-09",
            "Ryan",
            "USALEG",
        ),
        (
            "Ruth Bader Ginsburg wrote that the law placed an undue burden on women.",
            "2016-06-28",
            "Ginsburg",
            "USAJUD",
        ),
        (
            "Loretta Lynch said the department had opened a civil rights inquiry.",
            "2016-07-07",
            "Lynch",
            "USAJUD",
        ),
        (
            "Andrew Cuomo ordered all non-essential businesses in the state to close.",
            "2020-03-21",
            "Cuomo",
            "USAGOV",
        ),
        ("James Comey told the committee that no charges were appropriate.", "2016-07-07", "Comey", "USACOP"),
        # A former governor running for president is an elite; a candidate who never held office, the party.
        (
            "Jeb Bush attacked his rivals over immigration at a rally in Nevada.",
            "2016-02-12",
            "Bush",
            "USAELI",
        ),
        (
            "Donald Trump attacked his rivals over immigration at a rally in Nevada.",
            "2016-02-12",
            "Trump",
            "USAPTY",
        ),
    ],
)
def test_domestic_office_holders_are_coded_by_their_office_on_the_day(
    text: str, published: str, name: str, code: str
) -> None:
    assert person(text, published, name).actor == code


@pytest.mark.parametrize(
    ("text", "published", "name", "code"),
    [
        ("Om Birla adjourned the house after members shouted slogans.", "2021-07-20", "Birla", "INDLEG"),
        (
            "Vyacheslav Volodin said the deputies would pass the law this week.",
            "2020-03-10",
            "Volodin",
            "RUSLEG",
        ),
        (
            "Kemi Badenoch accused the government of breaking its promises.",
            "2025-03-04",
            "Badenoch",
            "GBROPP",
        ),
        (
            "Pierre Poilievre accused the government of doubling the debt.",
            "2023-06-01",
            "Poilievre",
            "CANOPP",
        ),
        (
            "Alexei Navalny called on his supporters to take to the streets.",
            "2018-01-28",
            "Navalny",
            "RUSOPP",
        ),
        # Leader of the opposition between two premierships.
        ("Benjamin Netanyahu accused the government of weakness.", "2022-03-01", "Netanyahu", "ISROPP"),
        ("Benjamin Netanyahu accused the government of weakness.", "2023-03-01", "Netanyahu", "ISRGOV"),
        # A party chair coded by the party, and by the ministry while a minister.
        ("Christian Lindner said his party would not raise taxes.", "2018-06-01", "Lindner", "DEUPTY"),
        ("Christian Lindner said his party would not raise taxes.", "2022-06-01", "Lindner", "DEUGOV"),
    ],
)
def test_speakers_opposition_and_party_leaders_of_other_countries(
    text: str, published: str, name: str, code: str
) -> None:
    assert person(text, published, name).actor == code


def test_an_office_ends_with_its_term() -> None:
    text = "Nancy Pelosi said the vote would be held on Friday."
    assert person(text, "2020-01-10", "Pelosi").actor == "USALEG"
    # Before her first election to the House she held no office in the tables: the country alone.
    assert person(text, "1986-05-10", "Pelosi").actor == "USA"
