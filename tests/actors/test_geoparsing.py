"""Places in whole articles: every toponym gets a point, demonyms and small towns included."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

import dateline
from shared_data import REPO, shared_path


def _places(text: str) -> dict[str, dateline.record.Place]:
    record = dateline.process(text, "2026-11-20")
    return {entity.name: entity.place for entity in record.entities if entity.place is not None}


def test_countries_get_a_point_and_country_precision() -> None:
    places = _places("Ministers from Chile and Kenya met in the capital on Friday to discuss copper prices.")
    chile, kenya = places["Chile"], places["Kenya"]
    assert chile.precision == 1 and chile.country == "CHL" and chile.geonames_id
    assert chile.lat is not None and -56 < chile.lat < -17
    assert kenya.precision == 1 and kenya.lat is not None and -5 < kenya.lat < 5


def test_a_demonym_is_placed_in_its_country() -> None:
    text = "Polish farmers blocked the main road on Wednesday over grain imports."
    record = dateline.process(text, "2026-11-20")
    placed = [entity for entity in record.entities if entity.place is not None]
    assert placed, [(e.name, e.type) for e in record.entities]
    place = placed[0].place
    assert place is not None and place.country == "POL" and place.precision == 1


def test_a_small_town_follows_the_state_written_beside_it() -> None:
    text = "The school board of Paris, Tennessee, approved a new gym on Monday after a long debate."
    place = _places(text)["Paris"]
    assert place.country == "USA" and place.precision == 3
    assert place.lat is not None and place.lon is not None
    assert 35 < place.lat < 37 and -89.5 < place.lon < -87.5


def test_eval_places_runs_on_a_slice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = shared_path("eval", "places", "lgl.jsonl")
    lines = gold.read_text(encoding="utf-8").splitlines()[:3]
    sample = tmp_path / "slice.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("eval_places", REPO / "bench" / "eval_places.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_places"] = module
    spec.loader.exec_module(module)
    status = module.main([str(sample), "--limit", "2"])
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    expected = sum(len(json.loads(line)["toponyms"]) for line in lines[:2])
    assert result["articles"] == 2 and result["toponyms"] == expected
    assert 0.0 <= result["recall"] <= 1.0 and 0.0 <= result["within_161km"] <= 1.0
    assert 0.0 <= result["exact_id"] <= 1.0
    assert result["not_found_share"] == pytest.approx(1.0 - result["recall"], abs=1e-3)
    # Two articles are too few for the floors to mean much; the exit status must follow them.
    above = result["recall"] >= module.RECALL_FLOOR and result["within_161km"] >= module.WITHIN_FLOOR
    assert status == (0 if above else 1)


def test_state_abbreviations_directions_and_counties_are_places() -> None:
    from dateline.actors.places import geocode

    illinois = geocode("Ill.")
    assert illinois is not None and illinois.name == "Illinois" and illinois.precision == 2
    # Without its dot the word is no state.
    assert geocode("Ill") is None or geocode("Ill") != illinois
    state = geocode("Northeast Georgia", context_states=["GA"])
    assert state is not None and state.country == "USA" and state.precision == 2
    county = geocode("Barrow County", context_states=["GA"])
    assert county is not None and county.country == "USA" and county.lat is not None
    assert 30 < county.lat < 35.5  # in Georgia


def test_the_article_area_outweighs_a_famous_namesake() -> None:
    from dateline.actors.places import geocode

    alone = geocode("Athens")
    beside_georgia_towns = geocode("Athens", near=(33.9, -83.4))
    assert alone is not None and alone.country == "GRC"
    assert beside_georgia_towns is not None and beside_georgia_towns.country == "USA"


def test_a_town_body_typed_org_is_placed_in_the_article_area() -> None:
    text = (
        "The Mansfield Police Department said on Tuesday that officers from Arlington and "
        "Grand Prairie in Tarrant County helped with the search."
    )
    places = _places(text)
    mansfield = next(place for name, place in places.items() if name.startswith("Mansfield"))
    # Mansfield, Texas, not the larger Mansfield in England.
    assert mansfield.country == "USA" and mansfield.lat is not None and 31 < mansfield.lat < 34
