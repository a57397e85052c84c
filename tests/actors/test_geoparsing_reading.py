"""Places read with the whole article in view: the article's other places choose among namesakes,
US counties and states sit at their own points, villages and features the towns list lacks."""

from __future__ import annotations

import dateline
from dateline.actors.places import geocode, load_gazetteer, place_key, read_places
from place_checks import km_from, places_of


def test_a_county_named_beside_a_town_chooses_its_state_without_the_state_named() -> None:
    text = (
        "A Paris man was arrested on Sunday after a chase through Henry County, deputies said. "
        "The man had fled a traffic stop near the courthouse and was held without bond."
    )
    places = places_of(text)
    paris = places["Paris"]
    # Paris, Tennessee is the seat of Tennessee's Henry County; no other Paris has a Henry County.
    assert paris.country == "USA" and km_from(paris, 36.30, -88.33) < 30, paris
    assert km_from(places["Henry County"], 36.30, -88.33) < 40


def test_the_reading_weighs_every_name_of_the_article() -> None:
    chosen = read_places([("Huntsville", None), ("Walker County", None)])
    huntsville, walker = chosen["Huntsville"], chosen["Walker County"]
    # Huntsville, Alabama is bigger, but only Huntsville, Texas lies in a Walker County.
    assert huntsville.country == "USA" and km_from(huntsville, 30.72, -95.55) < 20, huntsville
    assert walker.precision == 2 and km_from(walker, 30.72, -95.55) < 40
    alone = read_places([("Huntsville", None)])["Huntsville"]
    assert km_from(alone, 34.73, -86.59) < 20  # without the county, the biggest Huntsville


def test_a_capital_stays_itself_when_the_other_places_are_abroad() -> None:
    chosen = read_places([("Paris", None), ("France", None), ("Lyon", None)])
    assert chosen["Paris"].country == "FRA"


def test_us_counties_and_states_have_their_own_points() -> None:
    laurel = geocode("Laurel County", context_states=["KY"])
    assert laurel is not None and laurel.precision == 2
    assert km_from(laurel, 37.13, -84.08) < 30  # around London, its seat, not Kentucky's middle
    virginia = geocode("Virginia", ["USA"])
    assert virginia is not None and virginia.precision == 2
    # GeoNames puts Virginia at Richmond; the middle of its towns is 150 km further west.
    assert km_from(virginia, 37.55, -77.46) < 10


def test_counties_listed_before_counties_are_counties() -> None:
    text = "School boards in Walton and Oconee counties voted on Monday to cut the number of bus routes."
    places = places_of(text)
    assert "Walton" in places and "Oconee" in places, places
    walton, oconee = places["Walton"], places["Oconee"]
    assert walton.precision == 2 and oconee.precision == 2
    # Both are Georgia's: Walton County, Florida is 400 km from any Oconee County.
    assert km_from(walton, 33.78, -83.73) < 40 and km_from(oconee, 33.83, -83.44) < 40


def test_a_village_from_the_zip_list_needs_its_state_in_the_story() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.knows("Niota", post_towns=True) and not gazetteer.knows("Niota")
    in_tennessee = geocode("Niota", context_states=["TN"])
    assert in_tennessee is not None and in_tennessee.geonames_id is None
    assert km_from(in_tennessee, 35.51, -84.55) < 30
    assert geocode("Niota", context_states=["CA"]) is None  # alone, a name is not yet a village


def test_a_river_the_gazetteer_lacks_is_put_in_the_story_area() -> None:
    text = (
        "A body was found on Sunday in the Kishwaukee River near DeKalb, Illinois, police said. "
        "Divers from Sycamore helped DeKalb officers recover it near the bridge."
    )
    river = places_of(text).get("Kishwaukee River")
    assert river is not None and river.precision == 5
    assert km_from(river, 41.93, -88.75) < 150
    lone = places_of("A body was found on Sunday in the Kishwaukee River, police said.")
    assert "Kishwaukee River" not in lone  # no area to put it in


def test_abbreviated_saints_and_forts_match_geonames_names() -> None:
    assert place_key("St. Petersburg") == place_key("Saint Petersburg")
    assert place_key("Ft. Worth") == place_key("Fort Worth")
    assert place_key("Main St") == "main st"  # a street's last word is left alone
    place = geocode("St. Petersburg", ["RUS"])
    assert place is not None and place.country == "RUS"


def test_a_canadian_province_is_a_region_of_canada() -> None:
    text = "Ontario's finance minister said on Thursday that Toronto and Ottawa would get more money."
    ontario = places_of(text)["Ontario"]
    assert ontario.country == "CAN" and ontario.precision == 5
    assert ontario.lat is not None and ontario.lat > 45  # the province, not the Californian city


def test_an_upper_case_dateline_is_a_place() -> None:
    text = "City raises water rates. COLUMBUS, Ohio — The city council voted on Monday to raise water rates."
    record = dateline.process(text, "2026-11-20")
    placed = [e for e in record.entities if e.place is not None and e.name.upper() == "COLUMBUS"]
    assert placed, [(e.name, e.type) for e in record.entities]
    assert km_from(placed[0].place, 39.96, -83.0) < 30  # type: ignore[arg-type]


def test_georgia_beside_tbilisi_is_the_country() -> None:
    text = "Opposition activists were detained in Tbilisi on Friday, and Georgia's parliament met in haste."
    georgia = places_of(text)["Georgia"]
    assert georgia.country == "GEO" and georgia.precision == 1
    us = places_of("Farmers in Georgia and Alabama expect a smaller peanut crop after the dry summer.")
    assert us["Georgia"].country == "USA" and us["Georgia"].precision == 2


def test_a_town_written_with_the_country_s_name_as_its_state_is_abroad() -> None:
    # "Georgia" after the comma is the country when the town is none of the state's.
    text = (
        "Activists kept in custody in Georgia. "
        "TBILISI, Georgia — A judge ruled on Thursday that six activists stay in custody. The "
        "hearing lasted four hours, and lawyers for the activists said they would appeal."
    )
    places = places_of(text)
    assert places["Georgia"].country == "GEO"
    assert places["TBILISI"].country == "GEO"


def test_an_abbreviated_saint_in_an_upper_case_dateline_is_the_whole_town() -> None:
    text = (
        "Man charged over threats\n\n"
        "Officials said a man was charged on Monday. ST. PAUL -- A man who phoned threats to a "
        "county office in Minnesota was charged on Monday, prosecutors said."
    )
    placed = [e for e in dateline.process(text, "2026-11-20").entities if e.name.upper() == "ST. PAUL"]
    assert placed and placed[0].place is not None, [(e.name, e.type) for e in placed]
    assert km_from(placed[0].place, 44.94, -93.09) < 30


def test_a_spelling_of_a_smaller_town_does_not_stand_for_a_city_called_exactly_so() -> None:
    # The Californian Pittsburg is also written "Pittsburgh"; a story that names California
    # still means the Pennsylvania city by that exact name.
    text = (
        "Soldiers from Fresno, Calif., and one from Pittsburgh trained together at the base, "
        "the army said on Tuesday."
    )
    assert km_from(places_of(text)["Pittsburgh"], 40.44, -80.0) < 30


def test_an_other_spelling_of_a_town_in_the_story_s_country_beats_a_namesake_abroad() -> None:
    # GeoNames writes the West Bank town "Janin"; the Polish village is written "Jenin".
    text = (
        "Israeli troops entered the Jenin refugee camp in the West Bank on Monday, Palestinian "
        "officials said, and clashes went on in Jenin into the night."
    )
    jenin = places_of(text)["Jenin"]
    assert jenin.country == "PSE"
    assert km_from(jenin, 32.46, 35.3) < 30
