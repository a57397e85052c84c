"""The actor knowledge base: the package data is consistent, and lookups answer as analysts expect."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta

import pytest

from dateline.actors.knowledge import (
    OFFICE_RANK,
    OFFICE_SECTORS,
    Knowledge,
    Leader,
    Metonym,
    Organization,
    load_knowledge,
    name_key,
)

G20 = {"ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS"}
G20 |= {"SAU", "ZAF", "TUR", "GBR", "USA"}
COVERED_REGIONS = ("Europe", "Caucasus", "Central Asia", "Middle East")
COVERAGE_DAYS = (date(1995, 1, 1), date(2005, 1, 1), date(2015, 1, 1), date(2025, 1, 1))
MINISTER_COUNTRIES = ["USA", "RUS", "CHN", "GBR", "FRA", "DEU", "TUR", "IRN", "ISR", "UKR", "AZE", "ARM"]
MINISTER_COUNTRIES += ["GEO", "IND", "PAK", "JPN"]
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "INS", "SEP", "BUS", "MED", "EDU", "CVL", "REF"}
SECTORS |= {"SPY", "CRM", "HLH", "LAB", "AGR", "ELI", "IGO", "NGO", "REL", "ENV", "UAF", "PTY"}
TRANSNATIONAL_PREFIXES = ("IGO", "NGO", "IMG")
HANDOVER = timedelta(days=3)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


# data integrity --------------------------------------------------------------------------------


def test_loaded_once_per_process(kb: Knowledge) -> None:
    assert load_knowledge() is kb


def test_country_codes_are_valid_and_unique(kb: Knowledge) -> None:
    codes = [c.code for c in kb.countries]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in codes)
    iso2 = [c.iso2 for c in kb.countries]
    assert len(iso2) == len(set(iso2))
    assert all(len(code) == 2 and code.isupper() for code in iso2)
    assert len(kb.countries) >= 198  # the UN members and the observers and disputed states asked for
    assert all(c.name and c.capital and c.region for c in kb.countries)


def test_country_names_do_not_collide(kb: Knowledge) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for country in kb.countries:
        for name in (country.name, *country.aliases, *country.demonyms):
            owners[name_key(name)].add(country.code)
    shared = {name: codes for name, codes in owners.items() if len(codes) > 1}
    assert not shared


def test_every_leader_row_is_well_formed(kb: Knowledge) -> None:
    countries = {c.code for c in kb.countries}
    # Domestic politics (us_politics.tsv, parliaments.tsv) is unranked: any of these offices.
    domestic = {
        "legislator",
        "speaker",
        "governor",
        "mayor",
        "judge",
        "cabinet",
        "candidate",
        "opposition_leader",
    }
    for leader in kb.leaders:
        assert leader.office in OFFICE_RANK or leader.office in domestic, leader
        if leader.country.startswith("IGO"):
            assert leader.code == leader.country and leader.office.startswith("igo_"), leader
            continue
        assert leader.country in countries, leader
        assert leader.code.startswith(leader.country), leader
        sectors = {
            "GOV",
            "MIL",
            "REB",
            "SPY",
            "COP",
            "LEG",
            "JUD",
            "OPP",
            "PTY",
            "ELI",
            *OFFICE_SECTORS.values(),
        }
        assert leader.code[3:] in sectors, leader
        assert leader.end is None or leader.start <= leader.end, leader
        assert leader.name and leader.title, leader
        assert all(alias.strip() for alias in leader.aliases), leader
    # CAMEO's convention: a defence minister is government first (GOVMIL), the armed forces' chiefs military.
    military = {"chief_of_general_staff", "army_chief"}
    assert all(leader.code.endswith("MIL") for leader in kb.leaders if leader.office in military)
    assert all(leader.code[3:] == "GOVMIL" for leader in kb.leaders if leader.office == "defense_minister")
    assert len(kb.leaders) >= 1500


# Offices of domestic politics: held by many at once (senators, justices, candidates, cabinet
# members, opposition figures), or one seat per title (a chamber's speaker, a state's governor).
_MANY_SEATS = frozenset({"legislator", "judge", "cabinet", "candidate", "opposition_leader"})
_SEAT_PER_TITLE = frozenset({"speaker", "governor", "mayor", "presidency_member", "party_leader"})


def _seat(leader: Leader) -> tuple[str, ...] | None:
    if leader.office in _MANY_SEATS:
        return None
    # The presidency of Bosnia and Herzegovina has three members at once, one seat each; each
    # party has its leader (co-chairs share the seat).
    if leader.office in _SEAT_PER_TITLE:
        return None if leader.title.startswith("Co-chair") else (leader.country, leader.office, leader.title)
    return (leader.country, leader.office)


def test_no_two_people_hold_one_office_at_once(kb: Knowledge) -> None:
    by_seat: dict[tuple[str, ...], list[Leader]] = defaultdict(list)
    for leader in kb.leaders:
        seat = _seat(leader)
        if seat is not None:
            by_seat[seat].append(leader)
    overlaps = []
    for terms in by_seat.values():
        terms.sort(key=lambda leader: leader.start)
        for before, after in itertools.pairwise(terms):
            end = before.end or date.max
            if end - after.start > HANDOVER:
                overlaps.append((before.name, before.start, before.end, after.name, after.start))
    assert not overlaps


def test_other_tables_reference_known_countries_and_codes(kb: Knowledge) -> None:
    countries = {c.code for c in kb.countries}
    entries: list[Organization | Metonym] = [*kb.organizations, *kb.metonyms]
    for entry in entries:
        if entry.country:
            assert entry.country in countries, entry
        if entry.code.startswith(TRANSNATIONAL_PREFIXES):
            continue
        assert entry.country and entry.code.startswith(entry.country), entry
        assert entry.code[3:6] in SECTORS, entry
    for region in kb.regions:
        assert region.country is None or region.country in countries, region
        assert region.kind in {"region", "disputed", "geographic"}, region
    assert {o.kind for o in kb.organizations} <= {
        "igo",
        "ngo",
        "militant",
        "party",
        "agency",
        "cartel",
        "business",
    }
    # An agent may carry two sectors, the first its own ("defense ministry": GOVMIL).
    assert {code[i : i + 3] for code in kb.agents.values() for i in range(0, len(code), 3)} <= SECTORS
    assert all(len(code) % 3 == 0 for code in kb.agents.values())


def test_table_sizes(kb: Knowledge) -> None:
    assert len(kb.regions) >= 80
    assert len(kb.organizations) >= 80
    assert len(kb.metonyms) >= 40
    assert len(kb.agents) >= 150


# lookups ---------------------------------------------------------------------------------------


def test_putin_by_the_article_date(kb: Knowledge) -> None:
    president = kb.leader_role("Putin", date(2004, 2, 7))
    assert president is not None
    assert (president.name, president.office, president.code) == ("Vladimir Putin", "head_of_state", "RUSGOV")
    premier = kb.leader_role("Putin", date(2009, 6, 1))
    assert premier is not None
    assert (premier.office, premier.code) == ("head_of_government", "RUSGOV")


def test_aliyev_father_then_son(kb: Knowledge) -> None:
    son = kb.leader_role("Aliyev", date(2004, 2, 7))
    assert son is not None and son.name == "Ilham Aliyev" and son.code == "AZEGOV"
    father = kb.leader_role("Aliyev", date(2003, 6, 1))
    assert father is not None and father.name == "Heydar Aliyev"
    # Ilham Aliyev was prime minister for three months before his father's term ended.
    terms = kb.leaders_named("Ilham Aliyev", date(2003, 9, 1))
    assert [t.office for t in terms] == ["head_of_government"]


def test_seed_ministers_and_surname_ambiguity(kb: Knowledge) -> None:
    day = date(2004, 2, 7)
    ivanovs = kb.leaders_named("Ivanov", day)
    assert {(t.name, t.code) for t in ivanovs} == {("Igor Ivanov", "RUSGOV"), ("Sergey Ivanov", "RUSGOVMIL")}
    assert [t.name for t in kb.leaders_named("Sergei Ivanov", day)] == ["Sergey Ivanov"]
    yusufov = kb.leader_role("Yusufov", day)
    assert yusufov is not None and (yusufov.office, yusufov.code) == ("energy_minister", "RUSGOV")
    assert kb.leaders_named("Yusufov", date(2010, 1, 1)) == []


def test_names_are_folded_and_titles_ignored(kb: Knowledge) -> None:
    day = date(2010, 6, 1)
    assert kb.leader_role("Erdogan", day) == kb.leader_role("Erdoğan", day)
    assert kb.leader_role("President Putin", day) == kb.leader_role("Putin", day)
    assert kb.leader_role("Assad", day) is not None
    lukashenko = kb.leader_role("Lukashenka", day)
    assert lukashenko is not None and lukashenko.country == "BLR"
    assert kb.leader_role("von der Leyen", date(2015, 6, 1)) is not None


def test_offices_are_ranked(kb: Knowledge) -> None:
    terms = kb.leaders_named("Netanyahu", date(2019, 1, 1))
    assert [t.office for t in terms][:1] == ["head_of_government"]
    assert {t.office for t in terms} == {"head_of_government", "foreign_minister", "defense_minister"}
    holders = kb.office_holders("USA", "head_of_state", date(2004, 2, 7))
    assert [h.name for h in holders] == ["George W. Bush"]


def test_countries_by_name_demonym_and_code(kb: Knowledge) -> None:
    expect = {
        "Azeri": "AZE",
        "Azerbaijani": "AZE",
        "Azerbaijan's": "AZE",
        "the United States": "USA",
        "U.S.": "USA",
        "US": "USA",
        "America's": "USA",
        "Russian Federation": "RUS",
        "Russians": "RUS",
        "Britain": "GBR",
        "Great Britain": "GBR",
        "RUS": "RUS",
        "Côte d'Ivoire": "CIV",
        "Cote d’Ivoire": "CIV",
        "Türkiye": "TUR",
        "Kosovo": "XKX",
    }
    for text, code in expect.items():
        found = kb.country(text)
        assert found is not None and found.code == code, text
    assert kb.country("us") is None  # the pronoun
    assert kb.country("Karabagh") is None and kb.country("Caucasus") is None


def test_capitals(kb: Knowledge) -> None:
    assert kb.capital_of("AZE") == "Baku"
    assert kb.country_of_capital("Kiev") == "UKR"
    assert kb.country_of_capital("Kyiv") == "UKR"
    assert kb.country_of_capital("Moscow") == "RUS"
    assert kb.country_of_capital("Washington, D.C.") == "USA"
    assert kb.capital_of("XXX") is None


def test_metonyms_regions_organizations(kb: Knowledge) -> None:
    kremlin = kb.metonym("the Kremlin")
    assert kremlin is not None and kremlin.code == "RUSGOV"
    pentagon = kb.metonym("Pentagon")
    assert pentagon is not None and pentagon.code == "USAMIL"
    elysee = kb.metonym("Élysée")
    assert elysee is not None and elysee == kb.metonym("Elysee")
    for name in ("Karabagh", "Caucasus", "Nagorno-Karabakh", "Gaza", "Crimea", "Kashmir"):
        assert kb.region(name) is not None, name
    karabakh = kb.region("Karabagh")
    assert karabakh is not None and karabakh.country == "AZE"
    nato = kb.organization("Nato")
    assert nato is not None and nato.code == "IGOWSTNAT"
    assert kb.organization("U.N.") == kb.organization("UN") == kb.organization("United Nations")
    assert kb.organization("who") is None  # the pronoun, not the World Health Organization
    hamas = kb.organization("Hamas")
    assert hamas is not None and hamas.code == "PSEREB" and hamas.kind == "militant"


def test_agent_words(kb: Knowledge) -> None:
    expect = {
        "police": "COP",
        "policemen": "COP",
        "riot police": "COP",
        "soldiers": "MIL",
        "American warplanes": "MIL",
        "lieutenant-general": "MIL",
        "rebels": "REB",
        "rebel soldiers": "REB",
        "opposition lawmakers": "OPP",
        "minister": "GOV",
        "prime minister": "GOV",
        "authorities": "GOV",
        "court": "JUD",
        "journalists": "MED",
        "refugees": "REF",
        "students": "EDU",
        "businessmen": "BUS",
        "smugglers": "CRM",
        "doctors": "HLH",
        "police chief": "COP",
    }
    for phrase, code in expect.items():
        assert kb.agent(phrase) == code, phrase
    assert kb.agent("weather") is None


# coverage --------------------------------------------------------------------------------------


def test_every_covered_country_has_a_leader_on_each_checked_day(kb: Knowledge) -> None:
    covered = G20 | {c.code for c in kb.countries if c.region in COVERED_REGIONS}
    seats = {"head_of_state", "head_of_government"}
    missing = [
        (code, day)
        for code in sorted(covered)
        for day in COVERAGE_DAYS
        if not any(
            leader.country == code and leader.office in seats and leader.holds_on(day)
            for leader in kb.leaders
        )
    ]
    assert not missing


def test_key_ministers_since_2000(kb: Knowledge) -> None:
    days = [date(year, 7, 1) for year in range(2000, 2026)]
    missing = [
        (code, office, day)
        for code in MINISTER_COUNTRIES
        for office in ("foreign_minister", "defense_minister")
        for day in days
        if not kb.office_holders(code, office, day)
    ]
    # Short vacancies are real (caretaker weeks, reshuffles); a year without a minister is a gap.
    assert len(missing) <= 6, missing
