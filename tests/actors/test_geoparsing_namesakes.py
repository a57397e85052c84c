"""Places that survive a namesake: a name is a place only where the text uses it as one, the
famous place wins over a small namesake unless the story's own area says otherwise, and
regions, islands, seas, rivers and mountains are in the gazetteer."""

from __future__ import annotations

import dateline
from dateline.actors.places import geocode, read_places
from place_checks import km_from, places_of


def _entities(text: str) -> dict[str, dateline.record.Entity]:
    record = dateline.process(text, "2026-11-20")
    return {entity.name: entity for entity in record.entities}


def test_a_persons_surname_alone_is_no_town() -> None:
    text = (
        "Officers in Charlotte shot Keith Lamont Scott on Tuesday afternoon. "
        "Scott, 43, was waiting for his son's school bus, his family said."
    )
    entities = _entities(text)
    placed = {name: entity.place for name, entity in entities.items() if entity.place is not None}
    # Scott, Louisiana is a town; here the word is the man's name.
    assert "Scott" not in placed, placed
    assert all(place.country == "USA" and km_from(place, 35.23, -80.84) < 50 for place in placed.values())


def test_a_town_that_is_nobodys_surname_stays_a_town() -> None:
    text = (
        "Water reached homes in Scott, Louisiana, on Friday. "
        "Volunteer Dana Morgan said the pumps had failed overnight."
    )
    places = places_of(text)
    assert "Scott" in places and km_from(places["Scott"], 30.24, -92.09) < 20, places


def test_a_family_is_no_place() -> None:
    for text in (
        "The Kennedy clan gathered at the harbour on Sunday to remember a cousin.",
        "Members of the Hilton family sold their last hotel shares on Friday.",
    ):
        placed = [(e.name, e.place) for e in dateline.process(text, "2026-11-20").entities if e.place]
        assert placed == [], placed


def test_a_team_or_a_brand_is_no_place() -> None:
    for text in (
        "Arsenal beat Chelsea 2-1 on Saturday in front of 60,000 fans.",
        "Shares of Ford fell 4 percent after the carmaker cut its profit forecast.",
    ):
        placed = [(e.name, e.place) for e in dateline.process(text, "2026-11-20").entities if e.place]
        assert placed == [], placed


def test_the_place_of_a_famous_agreement_is_the_famous_place() -> None:
    text = (
        "Senator Mitch McConnell of Kentucky said on Wednesday that the Paris climate agreement "
        "would cost jobs in coal country."
    )
    places = places_of(text)
    assert places["Paris"].country == "FRA", places["Paris"]


def test_a_politicians_state_does_not_move_a_big_city() -> None:
    text = "Governor Andrew Cuomo of New York flew to Phoenix on Monday to meet other governors."
    places = places_of(text)
    assert km_from(places["Phoenix"], 33.45, -112.07) < 30, places["Phoenix"]


def test_a_state_named_elsewhere_does_not_move_a_big_city_to_a_hamlet() -> None:
    # Phoenix, New York has 2,000 people, Phoenix, Arizona 1.6 million.
    chosen = read_places([("New York", None), ("Phoenix", None)])
    assert km_from(chosen["Phoenix"], 33.45, -112.07) < 30, chosen
    # A state written beside the town still settles it.
    beside = read_places([("Phoenix", "NY")])
    assert km_from(beside["Phoenix"], 43.23, -76.30) < 30, beside


def test_local_towns_still_pick_the_small_namesake() -> None:
    # Paris, Tennessee is the seat of Henry County, Tennessee: the story's area says so.
    chosen = read_places([("Paris", None), ("Henry County", None), ("Tennessee", None)])
    assert km_from(chosen["Paris"], 36.30, -88.33) < 30, chosen


def test_islands_seas_rivers_and_mountains_are_places() -> None:
    cases = {
        "Easter Island": (-27.12, -109.35, "CHL"),
        "Baltic Sea": (58.0, 20.0, None),
        "Danube": (45.0, 20.0, None),
        "Mount Kilimanjaro": (-3.07, 37.35, "TZA"),
        "Strait of Hormuz": (26.57, 56.25, None),
        "Svalbard": (78.0, 16.0, "NOR"),
    }
    for name, (lat, lon, country) in cases.items():
        place = geocode(name)
        assert place is not None, name
        assert km_from(place, lat, lon) < 200, (name, place)
        assert place.country == country, (name, place)
    # Easter Island is not in Arkansas, even in a story about the United States.
    island = geocode("Easter Island", ["USA"])
    assert island is not None and island.country == "CHL"


def test_regions_abroad_have_geonames_ids() -> None:
    sicily = geocode("Sicily")
    assert sicily is not None and sicily.country == "ITA" and sicily.geonames_id == 2523119
    assert km_from(sicily, 37.5, 14.0) < 100
    bavaria = geocode("Bavaria")
    assert bavaria is not None and bavaria.country == "DEU" and bavaria.precision == 5
    chechnya = geocode("Chechnya")
    assert chechnya is not None and chechnya.country == "RUS" and km_from(chechnya, 43.4, 45.7) < 100
    ontario = geocode("Ontario", ["CAN"])
    assert ontario is not None and ontario.geonames_id == 6093943
    europe = geocode("Europe")
    assert europe is not None and europe.geonames_id == 6255148


def test_a_region_named_like_a_town_keeps_the_town() -> None:
    # Mozambique has a province called Gaza; news means the city.
    gaza = geocode("Gaza")
    assert gaza is not None and gaza.country == "PSE" and km_from(gaza, 31.5, 34.47) < 30
    # Sudan has a state called Red Sea; news means the sea.
    red_sea = geocode("Red Sea")
    assert red_sea is not None and red_sea.country is None


def test_us_counties_have_geonames_ids() -> None:
    text = "Deputies in Laurel County, Kentucky, arrested two men on Friday after a chase near London."
    places = places_of(text)
    county = places["Laurel County"]
    assert county.geonames_id == 4297480 and km_from(county, 37.1, -84.1) < 40, county


def test_people_of_a_state_or_region_are_placed_there() -> None:
    text = (
        "Thousands of Minnesotans lined up to vote on Tuesday, while Ohioans stayed home. "
        "Aid trucks for Gazans waited at the border for a third day."
    )
    entities = _entities(text)
    minnesotans = entities["Minnesotans"].place
    assert minnesotans is not None and minnesotans.country == "USA" and minnesotans.precision == 2
    assert km_from(minnesotans, 46.25, -94.25) < 50
    ohioans = entities["Ohioans"].place
    assert ohioans is not None and km_from(ohioans, 40.25, -83.0) < 50
    gazans = entities["Gazans"].place
    assert gazans is not None and gazans.country == "PSE"


def test_a_demonym_inside_a_group_or_a_body_places_it() -> None:
    text = (
        "The new Israeli government approved the plan on Sunday. "
        "The Georgian Interior Ministry said the border was calm."
    )
    entities = _entities(text)
    government = next(e for name, e in entities.items() if "Israeli" in name)
    assert government.place is not None and government.place.country == "ISR"
    ministry = next(e for name, e in entities.items() if "Georgian" in name)
    assert ministry.place is not None and ministry.place.country == "GEO"


def test_a_town_the_model_missed_after_a_preposition_is_found() -> None:
    text = "Two brothers from Hounslow appeared in court on Monday charged with burglary."
    entities = _entities(text)
    found = [e for e in entities.values() if e.place is not None and e.place.country == "GBR"]
    assert found and km_from(found[0].place, 51.47, -0.36) < 20, entities  # type: ignore[arg-type]


def test_a_famous_island_outweighs_a_small_town_of_its_name() -> None:
    # GeoNames' region of Bali (with its id), not the Indian town called Bāli.
    bali = geocode("Bali")
    assert (
        bali is not None and bali.country == "IDN" and bali.geonames_id and km_from(bali, -8.4, 115.2) < 100
    )
