"""Knowledge and user dictionaries behind one cached interface.

Every question the stage asks about a string (is it a country, a demonym, a region, an
organisation, a metonym, an agent noun?) goes through :class:`Lookup`, which answers from the
user's dictionaries first and the built-in knowledge base second, and remembers the answers
for the life of the process, so that an article costs dictionary hits, not repeated parsing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dateline.actors.dictionary import ActorDictionary, normalise_words
from dateline.actors.knowledge import Knowledge, Leader, load_knowledge, name_key
from dateline.actors.lexicon import GENERIC_AGENT_HEADS, TITLE_ABBREVIATIONS, TITLE_HEADS, bare
from dateline.actors.places import place_key

_CACHE_SIZE = 1 << 16

# CAMEO's codes for actors that are not one country.
NON_STATE_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC", "INT", "UIS", "REG"})
# Arabic names written with a lower-case article: "al-Shabaab", "al-Qaeda".
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az)-[A-Z]")


@dataclass(frozen=True)
class CountryMatch:
    code: str
    demonym: bool  # "Russian" rather than "Russia"


@dataclass(frozen=True)
class OrgMatch:
    code: str | None
    country: str | None
    name: str | None


@dataclass(frozen=True)
class MetonymMatch:
    code: str
    country: str | None


class Lookup:
    """Cached answers from the user's dictionaries and the knowledge base."""

    def __init__(self, knowledge: Knowledge, dictionaries: ActorDictionary | None = None) -> None:
        self.knowledge = knowledge
        self.dictionaries = dictionaries
        self.country = lru_cache(maxsize=_CACHE_SIZE)(self._country)
        self.region = lru_cache(maxsize=_CACHE_SIZE)(self._region)
        self.organization = lru_cache(maxsize=_CACHE_SIZE)(self._organization)
        self.metonym = lru_cache(maxsize=_CACHE_SIZE)(self._metonym)
        self.capital_country = lru_cache(maxsize=_CACHE_SIZE)(self._capital_country)
        self.agent = lru_cache(maxsize=_CACHE_SIZE)(self._agent)
        self.is_country_code = lru_cache(maxsize=1024)(self._is_country_code)
        self.office_holder = lru_cache(maxsize=_CACHE_SIZE)(self._office_holder)

    def _country(self, text: str) -> CountryMatch | None:
        """The country a name, alias or demonym stands for ("Azeri" -> AZE, demonym)."""
        if not text or not (text[0].isupper() or text[0].isdigit()):
            return None
        country = self.knowledge.country(text)
        if country is None:
            return None
        key = place_key(text)
        names = {place_key(name) for name in (country.name, *(getattr(country, "aliases", ()) or ()))}
        demonyms = {place_key(name) for name in getattr(country, "demonyms", ()) or ()}
        # Three-letter codes are for data, not prose: "ARM" in a headline is not Armenia.
        if key == country.code.casefold() and key not in names:
            return None
        return CountryMatch(country.code, key in demonyms and key not in names)

    def _is_country_code(self, code: str) -> bool:
        if len(code) != 3 or code in NON_STATE_PREFIXES:
            return False
        country = self.knowledge.country(code)
        return country is not None and country.code == code

    def _region(self, text: str) -> str | None:
        """The region's country code ("" when it spans several) or None when not a region."""
        if not text or not text[0].isupper():
            return None
        region = self.knowledge.region(text)
        if region is None:
            return None
        return getattr(region, "country", None) or ""

    def _office_holder(self, text: str) -> bool:
        """A known office holder's full name ("Olaf Scholz"), whatever type the model gave it."""
        return " " in text.strip() and text[:1].isupper() and self.knowledge.is_office_holder(text)

    def _organization(self, text: str) -> OrgMatch | None:
        if not text or not (text[0].isupper() or text[0].isdigit() or _ARTICLE_PREFIX.match(text)):
            return None
        bare_text = text.replace("’s", "").replace("'s", "").strip()
        if len(bare_text) <= 4 and " " not in bare_text and not bare_text.replace(".", "").isupper():
            return None  # "Let's" is not LeT: short names must be written as acronyms
        organization = self.knowledge.organization(text)
        if organization is None:
            return None
        return OrgMatch(organization.code, organization.country, organization.name)

    def _metonym(self, text: str) -> MetonymMatch | None:
        if not text or not text[0].isupper():
            return None
        metonym = self.knowledge.metonym(text)
        return MetonymMatch(metonym.code, metonym.country) if metonym is not None else None

    def _capital_country(self, text: str) -> str | None:
        if not text or not text[0].isupper():
            return None
        return self.knowledge.country_of_capital(text)

    def _agent(self, phrase: str) -> str | None:
        """The sector code of an agent noun phrase ("riot police" -> COP), dictionaries first.

        The phrase's last word must be an agent, or a title that takes its sector from the
        words before it ("police chief"): "military cooperation" is not an agent.
        """
        if self.dictionaries is not None:
            # The user's word for the head outranks knowledge's for the whole phrase: a user
            # who codes mercenaries REB wants "Syrian mercenaries" REB too.
            parts = phrase.split()
            for start in range(len(parts)):
                code = self.dictionaries.agent(" ".join(parts[start:]))
                if code:
                    return code
        words = [TITLE_ABBREVIATIONS.get(bare(word), word) for word in phrase.split()]
        if not words:
            return None
        phrase = " ".join(words)
        code = self.knowledge.agent(phrase)
        if code is None or len(words) == 1:
            return code or None
        last = words[-1]
        if self.knowledge.agent(last) is not None or bare(last) in TITLE_HEADS:
            return code
        if _singular_bare(last) in GENERIC_AGENT_HEADS:
            return code  # "paramilitary organization": the modifier says what the body is
        # A multi-word agent ending in a word that is none by itself ("secretary of state").
        for start in range(len(words) - 1, max(len(words) - 4, 0) - 1, -1):
            ending = " ".join(words[start:])
            if self.knowledge.agent(ending) == code and self._is_exact_agent(ending):
                return code
        return None

    def _is_exact_agent(self, phrase: str) -> bool:
        agents = getattr(self.knowledge, "agents", None)
        return agents is not None and name_key(phrase) in agents

    def dictionary_actor(self, phrase: str, on: date | None) -> str | None:
        if self.dictionaries is None or not normalise_words(phrase):
            return None
        return self.dictionaries.actor(phrase, on)

    def leaders(self, name: str, on: date | None) -> list[Leader]:
        return self.knowledge.leaders_named(name, on)

    def former_office(
        self, name: str, on: date, countries: Sequence[str] = (), sector: str | None = None
    ) -> Leader | None:
        return self.knowledge.former_office(name, on, countries, sector)

    def country_name(self, code: str) -> str | None:
        country = self.knowledge.country(code)
        return country.name if country is not None else None


def _singular_bare(word: str) -> str:
    word = bare(word)
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=1)
def _builtin_lookup() -> Lookup:
    return Lookup(load_knowledge())


def lookup_for(dictionaries: ActorDictionary | None) -> Lookup:
    """The process's lookup for these dictionaries, built once and kept with them."""
    if dictionaries is None:
        return _builtin_lookup()
    cached = dictionaries.cache.get("lookup")
    if not isinstance(cached, Lookup):
        cached = dictionaries.cache["lookup"] = Lookup(load_knowledge(), dictionaries)
    return cached
