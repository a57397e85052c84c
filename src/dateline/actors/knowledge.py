"""The actor knowledge base: countries, leaders, organisations, metonyms, regions and agent words.

The tables are package data written for the project (``dateline/data/*.tsv``, UTF-8, header row,
``|`` between list items). :func:`load_knowledge` reads them once per process; every lookup is
case-insensitive and diacritic-insensitive ("Erdogan" finds "Erdoğan"), ignores a leading "the"
and a trailing possessive ("Azerbaijan's"). Short all-capital acronyms ("US", "UN", "WHO", "IS")
only match when written in capitals, so the pronoun "us" or the word "who" never becomes a
country or an organisation.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

from dateline.actors.lexicon import GENERIC_AGENT_HEADS

# Offices in order of importance: the first an actor held on a day gives their code (a senator
# running for president is a legislator; a candidate holding no office is coded by the party).
_OFFICES_BY_RANK = (
    "head_of_state",
    "federal_head_of_state",
    "head_of_government",
    "federal_head_of_government",
    "presidency_member",
    "party_leader",
    "vice_president",
    "crown_prince",
    "foreign_minister",
    "defense_minister",
    "interior_minister",
    "finance_minister",
    "energy_minister",
    "security_minister",
    "minister",
    "central_bank_governor",
    "chief_of_general_staff",
    "army_chief",
    "intelligence_chief",
    "igo_head",
    "igo_council_president",
    "igo_foreign_minister",
    "speaker",
    "legislator",
    "governor",
    "judge",
    "mayor",
    "opposition_leader",
    "candidate",
    "rival_head_of_state",
)
OFFICE_RANK: Mapping[str, int] = MappingProxyType(
    {office: rank for rank, office in enumerate(_OFFICES_BY_RANK)}
)
# The CAMEO sectors of an office, for rows that leave the code empty. Every minister is
# government first, the defence minister too (GOVMIL: government, in charge of the military, as
# CAMEO and PETRARCH code them); the armed forces' own chiefs are MIL.
OFFICE_SECTORS: Mapping[str, str] = MappingProxyType(
    {
        "head_of_state": "GOV",
        "federal_head_of_state": "GOV",
        "head_of_government": "GOV",
        "federal_head_of_government": "GOV",
        "presidency_member": "GOV",
        "vice_president": "GOV",
        "crown_prince": "GOV",
        "foreign_minister": "GOV",
        "defense_minister": "GOVMIL",
        "interior_minister": "GOV",
        "finance_minister": "GOV",
        "energy_minister": "GOV",
        "security_minister": "GOV",
        "minister": "GOV",
        "central_bank_governor": "GOV",
        "chief_of_general_staff": "MIL",
        "army_chief": "MIL",
        "intelligence_chief": "SPY",
        "governor": "GOV",
        "mayor": "GOV",
        "speaker": "LEG",
        "legislator": "LEG",
        "judge": "JUD",
        "party_leader": "PTY",
        "candidate": "PTY",
        "opposition_leader": "OPP",
    }
)
_UNRANKED = len(OFFICE_RANK)
# Office holders of international bodies carry the body's code in the country column.
_NON_STATE = ("IGO", "NGO")

_TRANSLITERATION = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "ə": "e",
        "Ə": "E",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
_BRACKETED_TAIL = re.compile(r"\s+\([^()]*\)?\s*$")
_EDGE_PUNCTUATION = " \t\"'“”«»()[]{},;:!?"
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){1,3}$")
_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")
_NAME_PARTICLES = frozenset(
    {"de", "del", "della", "da", "di", "do", "dos", "la", "le", "van", "von", "der", "den", "zu", "ter"}
)
_PATRONYMIC_MARKERS = frozenset({"bin", "bint", "ibn", "ben", "al", "el", "abu", "ould"})
_NOT_SURNAMES = frozenset(
    {"jr", "jr.", "sr", "sr.", "king", "queen", "prince", "general", "president"}
    | {"january", "february", "march", "april", "june", "july", "august", "september", "october"}
    | {"november", "december"}
)
_HONORIFICS = (
    "president",
    "vice president",
    "prime minister",
    "premier",
    "chancellor",
    "foreign minister",
    "defense minister",
    "defence minister",
    "energy minister",
    "minister",
    "secretary of state",
    "secretary",
    "king",
    "queen",
    "emir",
    "sultan",
    "crown prince",
    "prince",
    "sheikh",
    "pope",
    "ayatollah",
    "general",
    "gen.",
    "marshal",
    "field marshal",
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "dr.",
    "dr",
    "sir",
    "lord",
    "comrade",
)
# Agent words that decide the sector even when they only modify the head: "rebel soldiers" are
# rebels, "opposition lawmakers" opposition.
_DOMINANT_AGENTS = frozenset({"REB", "INS", "SEP", "OPP", "CRM", "REF"})


def name_key(text: str) -> str:
    """The comparison form of a name: folded case and diacritics, no "the", no possessive, and no
    acronym in brackets after it ("World Health Organization (WHO)", which the NER may cut open)."""
    text = _BRACKETED_TAIL.sub("", text) or text
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLITERATION)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION)
    text = _strip_possessive(text).casefold()
    if text.startswith("the "):
        text = text[4:]
    return text.strip(_EDGE_PUNCTUATION)


def _strip_possessive(text: str) -> str:
    if text.endswith(("'s", "'S")):
        return text[:-2]
    if text.endswith("s'"):
        return text[:-1]
    return text


def _bare(text: str) -> str:
    """The name as written, without edge punctuation, a leading "the" or a possessive."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLITERATION)
    text = _strip_possessive(_SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION))
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.strip(_EDGE_PUNCTUATION)


def _is_acronym(alias: str) -> bool:
    return bool(_ACRONYM.match(alias))


T = TypeVar("T")


class _NameIndex(Generic[T]):
    """Names to entries; short capital acronyms are kept apart and matched case-sensitively."""

    def __init__(self) -> None:
        self._folded: dict[str, list[T]] = {}
        self._acronyms: dict[str, list[T]] = {}

    def add(self, name: str, entry: T) -> None:
        name = name.strip()
        if not name:
            return
        if _is_acronym(name):
            bucket = self._acronyms.setdefault(name.replace(".", ""), [])
        else:
            key = name_key(name)
            if not key:
                return
            bucket = self._folded.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def get(self, text: str) -> list[T]:
        bare = _bare(text)
        if _is_acronym(bare):
            return list(self._acronyms.get(bare.replace(".", ""), ()))
        return list(self._folded.get(name_key(bare), ()))


@dataclass(frozen=True)
class Country:
    code: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    capital_aliases: tuple[str, ...]
    region: str


@dataclass(frozen=True)
class Leader:
    name: str
    aliases: tuple[str, ...]
    country: str
    office: str
    title: str
    code: str
    start: date
    end: date | None

    def holds_on(self, day: date) -> bool:
        """True when ``day`` falls in the term, both ends included (handover days count for both)."""
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def rank(self) -> int:
        return OFFICE_RANK.get(self.office, _UNRANKED)


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None


@dataclass(frozen=True)
class Metonym:
    name: str
    aliases: tuple[str, ...]
    code: str
    country: str | None


@dataclass(frozen=True)
class Region:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str


def surnames(full_name: str) -> tuple[str, ...]:
    """The short forms a full name is cited by: "Putin", "von der Leyen", "Leyen".

    None for names built on patronymics or dynasties ("Salman bin Abdulaziz Al Saud",
    "Bashar al-Assad"): their short forms are listed as aliases in the data instead.
    """
    tokens = full_name.split()
    if len(tokens) < 2 or tokens[0].casefold() == "pope":
        return ()
    if any(t.casefold() in _PATRONYMIC_MARKERS or t.casefold().startswith(("al-", "el-")) for t in tokens):
        return ()
    while len(tokens) > 2 and tokens[-1].casefold() in {"jr", "jr.", "sr", "sr."}:
        tokens = tokens[:-1]
    last = tokens[-1]
    if _ROMAN_NUMERAL.match(last) or last.casefold() in _NOT_SURNAMES:
        return ()
    forms = [last]
    first_particle = len(tokens) - 1
    while first_particle > 1 and tokens[first_particle - 1].casefold() in _NAME_PARTICLES:
        first_particle -= 1
    if first_particle < len(tokens) - 1:
        forms.insert(0, " ".join(tokens[first_particle:]))
    return tuple(forms)


class Knowledge:
    """Lookups over the loaded tables. Build it with :func:`load_knowledge`."""

    def __init__(
        self,
        countries: Iterable[Country],
        leaders: Iterable[Leader],
        organizations: Iterable[Organization],
        metonyms: Iterable[Metonym],
        regions: Iterable[Region],
        agents: Mapping[str, str],
    ) -> None:
        self.countries: tuple[Country, ...] = tuple(countries)
        self.leaders: tuple[Leader, ...] = tuple(leaders)
        self.organizations: tuple[Organization, ...] = tuple(organizations)
        self.metonyms: tuple[Metonym, ...] = tuple(metonyms)
        self.regions: tuple[Region, ...] = tuple(regions)
        self.agents: Mapping[str, str] = MappingProxyType({name_key(k): v for k, v in agents.items()})

        self._country_by_code = {c.code: c for c in self.countries}
        self._country_names: _NameIndex[Country] = _NameIndex()
        self._capitals: _NameIndex[Country] = _NameIndex()
        for country in self.countries:
            for name in (country.name, *country.aliases, *country.demonyms):
                self._country_names.add(name, country)
            for name in (country.capital, *country.capital_aliases):
                self._capitals.add(name, country)

        self._leader_names: _NameIndex[Leader] = _NameIndex()
        self._leader_surnames: _NameIndex[Leader] = _NameIndex()
        for leader in self.leaders:
            for name in (leader.name, *leader.aliases):
                self._leader_names.add(name, leader)
            for short in surnames(leader.name):
                self._leader_surnames.add(short, leader)

        self._organizations = _index(self.organizations)
        self._metonyms = _index(self.metonyms)
        self._regions = _index(self.regions)

    # countries -----------------------------------------------------------------------------

    def country(self, name_or_demonym_or_code: str) -> Country | None:
        """The country a name, alias, demonym or ISO alpha-3 code (in capitals) stands for."""
        bare = _bare(name_or_demonym_or_code)
        if len(bare) == 3 and bare.isupper() and bare in self._country_by_code:
            return self._country_by_code[bare]
        found = self._country_names.get(bare)
        return found[0] if found else None

    def country_by_code(self, code: str) -> Country | None:
        return self._country_by_code.get(code)

    def capital_of(self, code: str) -> str | None:
        country = self._country_by_code.get(code)
        return country.capital if country and country.capital else None

    def country_of_capital(self, name: str) -> str | None:
        """The code of the country whose capital (or a spelling or former capital of it) is ``name``."""
        found = self._capitals.get(name)
        return found[0].code if found else None

    # leaders ---------------------------------------------------------------------------------

    def leaders_named(self, name: str, on: date | None = None) -> list[Leader]:
        """Terms of office held by the person called ``name`` (full name, alias or surname).

        With ``on``, only terms that include that day. Most important office first (head of state,
        then of government, then ministers), later terms before earlier ones.
        """
        candidates = self._leaders_matching(name)
        if on is not None:
            candidates = [leader for leader in candidates if leader.holds_on(on)]
        return sorted(candidates, key=lambda leader: (leader.rank, -leader.start.toordinal()))

    def leader_role(self, name: str, on: date | None = None) -> Leader | None:
        """The most important office ``name`` held on ``on`` (or ever, without a date)."""
        found = self.leaders_named(name, on)
        return found[0] if found else None

    def is_office_holder(self, full_name: str) -> bool:
        """True when ``full_name`` is a known office holder's full name or alias (not a bare surname)."""
        return bool(self._leader_names.get(full_name))

    def former_office(
        self, name: str, on: date, countries: Iterable[str] = (), sector: str | None = None
    ) -> Leader | None:
        """The last term of the one person called ``name`` who held no office on ``on``.

        For "Angela Merkel" in 2022: her last chancellorship, so that she stays German as an
        elite. None when the name fits people of more than one country, or someone in office
        on that day. With ``countries``, only people of those countries count; with ``sector``,
        only offices of that sector ("President Obama": GOV).
        """
        terms = self._leaders_matching(name)
        wanted = set(countries)
        if wanted:
            terms = [term for term in terms if term.country in wanted]
        if sector:
            terms = [term for term in terms if term.code[3:6] == sector]
        if not terms or any(term.holds_on(on) for term in terms):
            return None
        # A former UN Secretary-General who was a minister at home is an elite of that country.
        national = [term for term in terms if not term.country.startswith(_NON_STATE)]
        terms = national or terms
        if len({term.country for term in terms}) != 1:
            return None
        past = [term for term in terms if term.end is not None and term.end < on]
        return max(past or terms, key=lambda term: term.start)

    def office_holders(self, country: str, office: str, on: date) -> list[Leader]:
        """Who held ``office`` in ``country`` on ``on`` ("the Russian president" in 2004: Putin)."""
        return [
            leader
            for leader in self.leaders
            if leader.country == country and leader.office == office and leader.holds_on(on)
        ]

    def _leaders_matching(self, name: str) -> list[Leader]:
        for candidate in _without_honorifics(name):
            found = self._leader_names.get(candidate) or self._leader_surnames.get(candidate)
            if found:
                return found
        return []

    # organisations, metonyms, regions, agents ------------------------------------------------

    def organization(self, name: str) -> Organization | None:
        found = self._organizations.get(name)
        return found[0] if found else None

    def metonym(self, name: str) -> Metonym | None:
        found = self._metonyms.get(name)
        return found[0] if found else None

    def region(self, name: str) -> Region | None:
        found = self._regions.get(name)
        return found[0] if found else None

    def agent(self, word_or_phrase: str) -> str | None:
        """The sector code of an agent word or phrase: "riot police" COP, "American warplanes" MIL.

        A head that names no trade ("police *chief*", "rebel *group*") takes its modifier's
        sector. Otherwise the longest known ending of the phrase is its head; a modifier that names rebels,
        opposition, criminals or refugees outranks it ("rebel soldiers" REB).
        """
        words = name_key(word_or_phrase).split()
        if len(words) > 1 and _singular(words[-1]) in GENERIC_AGENT_HEADS:
            exact = self._agent_words(words)
            modifier = None if exact else self.agent(" ".join(words[:-1]))
            if exact or modifier:
                return exact or modifier
        for start in range(len(words)):
            head = self._agent_words(words[start:])
            if head is not None:
                for modifier in words[:start]:
                    code = self._agent_words([modifier])
                    if code in _DOMINANT_AGENTS:
                        return code
                return head
        # No known ending ("police chief"): the rightmost word that is an agent.
        for word in reversed(words):
            code = self._agent_words([word])
            if code is not None:
                return code
        return None

    def _agent_words(self, words: list[str]) -> str | None:
        phrase = " ".join(words)
        if phrase in self.agents:
            return self.agents[phrase]
        singular = " ".join([*words[:-1], _singular(words[-1])])
        return self.agents.get(singular)


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound=_Named)


def _index(entries: Iterable[N]) -> _NameIndex[N]:
    index: _NameIndex[N] = _NameIndex()
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            index.add(name, entry)
    return index


def _without_honorifics(name: str) -> Iterator[str]:
    """``name`` itself, then with leading titles removed ("President Putin" -> "Putin")."""
    yield name
    rest = _bare(name)
    stripped = True
    while stripped:
        stripped = False
        folded = rest.casefold()
        for title in sorted(_HONORIFICS, key=len, reverse=True):
            if folded.startswith(title + " ") and len(rest) > len(title) + 1:
                rest = rest[len(title) + 1 :].lstrip()
                stripped = True
                yield rest
                break


def _singular(word: str) -> str:
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word == "children":
        return "child"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# loading -------------------------------------------------------------------------------------


def _rows(table: str) -> Iterator[dict[str, str]]:
    text = files("dateline").joinpath("data", f"{table}.tsv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        yield {key: (value or "").strip() for key, value in row.items()}


def _items(field: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in field.split("|") if item.strip())


def _day(field: str) -> date | None:
    return date.fromisoformat(field) if field else None


def _countries() -> Iterator[Country]:
    for row in _rows("countries"):
        yield Country(
            code=row["code"],
            iso2=row["iso2"],
            name=row["name"],
            aliases=_items(row["aliases"]),
            demonyms=_items(row["demonyms"]),
            capital=row["capital"],
            capital_aliases=_items(row["capital_aliases"]),
            region=row["region"],
        )


# Heads of state and government in one table, the other office holders (ministers, central
# bankers, chiefs of staff) in another, domestic politics (legislators, judges, governors,
# candidates, parties) in more; all have the same columns and are read as one.
LEADER_TABLES = ("leaders", "officials", "us_politics", "parliaments")


def _leaders() -> Iterator[Leader]:
    for row in (row for table in LEADER_TABLES for row in _rows(table)):
        start = _day(row["start"])
        if start is None:
            raise ValueError(f"leader without a start date: {row['name']}")
        yield Leader(
            name=row["name"],
            aliases=_items(row["aliases"]),
            country=row["country"],
            office=row["office"],
            title=row["title"],
            code=row["code"] or _office_code(row["country"], row["office"]),
            start=start,
            end=_day(row["end"]),
        )


def _office_code(country: str, office: str) -> str:
    """The code of an office written without one: the country and the office's sector."""
    if country.startswith(_NON_STATE):
        return country
    return country + OFFICE_SECTORS.get(office, "")


def _organizations() -> Iterator[Organization]:
    for row in _rows("organizations"):
        yield Organization(
            code=row["code"],
            name=row["name"],
            aliases=_items(row["aliases"]),
            kind=row["kind"],
            country=row["country"] or None,
        )


def _metonyms() -> Iterator[Metonym]:
    for row in _rows("metonyms"):
        yield Metonym(
            name=row["name"], aliases=_items(row["aliases"]), code=row["code"], country=row["country"] or None
        )


def _regions() -> Iterator[Region]:
    for row in _rows("regions"):
        yield Region(
            name=row["name"], aliases=_items(row["aliases"]), country=row["country"] or None, kind=row["kind"]
        )


def _agents() -> dict[str, str]:
    return {row["word"]: row["code"] for row in _rows("agents")}


@functools.lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The knowledge base, read from the package data once per process."""
    return Knowledge(_countries(), _leaders(), _organizations(), _metonyms(), _regions(), _agents())
