"""Offline geocoding: capitals first, the article's countries next, metonyms at their capital."""

from __future__ import annotations

import pytest

from dateline.actors import geocode
from dateline.actors.places import place_key


def test_capitals_and_big_cities() -> None:
    moscow = geocode("Moscow")
    assert moscow is not None and moscow.country == "RUS"
    assert moscow.lat == pytest.approx(55.75, abs=0.2) and moscow.lon == pytest.approx(37.62, abs=0.2)
    assert moscow.geonames_id is not None
    assert geocode("MOSCOW") == moscow  # datelines come in capitals
    paris = geocode("Paris", ["USA"])
    assert paris is not None and paris.country == "FRA"  # the capital beats a Texan namesake


def test_the_kremlin_is_not_in_a_paris_suburb() -> None:
    kremlin = geocode("Kremlin")
    assert kremlin is None or kremlin.country == "RUS"
    assert geocode("the Kremlin") == kremlin


def test_context_countries_pick_among_namesakes() -> None:
    alone = geocode("Hyderabad")
    assert alone is not None and alone.country == "IND"
    in_pakistan = geocode("Hyderabad", ["PAK"])
    assert in_pakistan is not None and in_pakistan.country == "PAK"


def test_countries_and_states() -> None:
    georgia = geocode("Georgia")
    assert georgia is not None and georgia.country == "GEO"
    state = geocode("Georgia", ["USA"])
    assert state is not None and state.country == "USA"
    russia = geocode("Russia")
    assert russia is not None and russia.country == "RUS" and russia.precision == 1
    # A country is placed inside it: Russia's point lies in Russia's latitudes, east of Moscow.
    assert russia.lat is not None and russia.lon is not None
    assert 45 < russia.lat < 70 and russia.lon > 37
    assert state.precision == 2 and state.lat is not None and 30 < state.lat < 35


def test_towns_of_a_named_state_win_over_bigger_namesakes() -> None:
    alone = geocode("Paris")
    assert alone is not None and alone.country == "FRA" and alone.precision == 4
    in_texas = geocode("Paris", context_states=["TX"])
    assert in_texas is not None and in_texas.country == "USA" and in_texas.precision == 3
    assert in_texas.lat is not None and 32 < in_texas.lat < 35


def test_demonyms_regions_and_unknown_names_are_not_places() -> None:
    assert geocode("Russian") is None
    assert geocode("Caucasus") is None or geocode("Caucasus").country is None  # type: ignore[union-attr]
    assert geocode("Xqzzyvillé") is None
    assert geocode("") is None


def test_place_keys() -> None:
    assert place_key("The Hague") == "hague"
    assert place_key("São  Paulo") == "sao paulo"
    assert place_key("Khanty–Mansiysk") == place_key("Khanty-Mansiysk") == "khanty mansiysk"


def test_context_does_not_beat_a_much_bigger_place() -> None:
    geneva = geocode("Geneva", ["USA", "RUS"])
    assert geneva is not None and geneva.country == "CHE"
