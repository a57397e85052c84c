"""The PETRARCH/Phoenix dictionary loader: on small files written here and on the Phoenix files."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from dateline.actors.dictionary import (
    ActorDictionary,
    DatedCode,
    load_actor_dictionaries,
    normalise_words,
    parse_code,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip where it is absent (a failure under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, and CI must run the tests that read it")
        pytest.skip(f"{path} is not here (gold data lives beside the repository, in ../shared)")
    return path


ACTORS = """\
# a comment line
ILHAM_ALIYEV_  # the president since October 2003
+PRESIDENT_ILHAM_ALIYEV
\t[AZEELI 780101-030804]
\t[AZEGOV 030804-031104]
\t[AZEGOV >031031]
\t[AZEELI]
ROBERT_KOCHARIAN_ [ARMGOV <080409] [ARMELI]
GENERAL_STAFF_OF_ARMENIA [ARMMIL]
NO_CODE_HERE_
BAD_DATE_ [AZEGOV 2004017-20061201]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
POLICE!PERSON! [~COP]
POLICE_ {} [~COP]
DEFENSE_MINIST [~GOVMIL]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
REBEL [~REB]
"""


@pytest.fixture()
def small(tmp_path: Path) -> ActorDictionary:
    actors = tmp_path / "small.actors.txt"
    agents = tmp_path / "small.agents.txt"
    actors.write_text(ACTORS, encoding="utf-8")
    agents.write_text(AGENTS, encoding="utf-8")
    return load_actor_dictionaries([actors, agents])


def test_codes_follow_the_date(small: ActorDictionary) -> None:
    assert small.actor("Ilham Aliyev", date(2002, 5, 1)) == "AZEELI"
    assert small.actor("Ilham Aliyev", date(2003, 9, 1)) == "AZEGOV"
    assert small.actor("Ilham Aliyev", date(2004, 2, 7)) == "AZEGOV"
    assert small.actor("President Ilham Aliyev", date(2012, 1, 1)) == "AZEGOV"
    assert small.actor("ILHAM_ALIYEV", date(1970, 1, 1)) == "AZEELI"


def test_inline_codes_and_defaults(small: ActorDictionary) -> None:
    assert small.actor("Robert Kocharian", date(2005, 1, 1)) == "ARMGOV"
    assert small.actor("Robert Kocharian", date(2010, 1, 1)) == "ARMELI"
    assert small.actor("General Staff of Armenia") == "ARMMIL"
    assert small.actor("no code here") is None
    assert small.actor("Aliyev") is None


def test_undated_lookup_takes_the_latest_office(small: ActorDictionary) -> None:
    assert small.actor("Ilham Aliyev") == "AZEGOV"


def test_malformed_dates_are_skipped_and_counted(small: ActorDictionary) -> None:
    assert small.skipped == 1
    assert small.actor("bad date", date(2005, 1, 1)) is None


def test_agents_with_substitutions_plurals_and_stems(small: ActorDictionary) -> None:
    assert small.agent("policemen") == "COP"
    assert small.agent("police") == "COP"
    assert small.agent("polices") is None  # "_" stops the word and {} forbids the regular plural
    assert small.agent("Defense Ministry") == "GOVMIL"
    assert small.agent("defense ministers") == "GOVMIL"
    assert small.agent("chambers of commerce") == "BUS"
    assert small.agent("rebels") == "REB"
    assert small.agent("rebel") == "REB"


def test_longest_match_in_running_words(small: ActorDictionary) -> None:
    words = normalise_words("talks with President Ilham Aliyev on Friday")
    found = small.match_actor(words, 2)
    assert found is not None
    length, entry = found
    assert length == 3 and entry.name == "ILHAM_ALIYEV_"
    assert small.match_actor(words, 0) is None


def test_code_parsing() -> None:
    assert parse_code("AZEGOV 030804-031104") == DatedCode("AZEGOV", date(2003, 8, 4), date(2003, 11, 4))
    assert parse_code("AZEGOV >031031") == DatedCode("AZEGOV", start=date(2003, 10, 31))
    assert parse_code("AZEGOV <031031") == DatedCode("AZEGOV", end=date(2003, 10, 31))
    assert parse_code("USAELI 18970101-450703") == DatedCode("USAELI", date(1897, 1, 1), date(1945, 7, 3))
    assert parse_code("~COP") == DatedCode("COP")
    assert parse_code("AZEGOV 991399-000101") is None


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nowhere\.txt"):
        load_actor_dictionaries([tmp_path / "nowhere.txt"])


def test_phoenix_dictionaries() -> None:
    folder = shared_path("eval", "actors")
    dictionary = load_actor_dictionaries(sorted(folder.glob("*.txt")))
    assert len(dictionary) > 20_000
    assert dictionary.agent_count > 3_000
    on = date(2004, 2, 7)
    assert dictionary.actor("ILHAM_ALIYEV", on) == "AZEGOV"
    assert dictionary.actor("Heydar Aliyev", date(2000, 1, 1)) == "AZEGOV"
    assert dictionary.actor("Heydar Aliyev", on) is None  # dead by then: no default code
    assert dictionary.actor("Vladimir Putin", on) == "RUSGOV"
    assert dictionary.actor("Putin", date(1995, 1, 1)) == "RUSELI"
    assert dictionary.actor("Kofi Annan", on) == "IGOUNO"
    assert dictionary.actor("NATO", on) is not None and dictionary.actor("NATO", on).startswith("IGO")
    assert dictionary.agent("police") == "COP"
    assert dictionary.agent("soldiers") == "MIL"
    assert dictionary.agent("Defense Minister") == "GOVMIL"
