"""Signals a local story gives for its places without naming them outright: a state written
after one town, towns the model typed PERSON, counties and towns that lie in one state, the
story's own capital among namesakes."""

from __future__ import annotations

from dateline.actors.places import Vicinity, geocode, read_places, reading_states
from place_checks import km_from, places_of


def test_a_state_written_after_one_town_places_the_others() -> None:
    text = (
        "Two bodies were found on Monday in a condominium in Hanover, police said. "
        "The couple had moved there from Bethel, Vt., last year."
    )
    places = places_of(text)
    # Bethel, Vermont is a village the towns list lacks (Bethel, Connecticut is bigger); Hanover,
    # New Hampshire lies 30 km from it across the river, Hanover, Maryland 600 km away.
    assert km_from(places["Bethel"], 43.83, -72.63) < 20, places["Bethel"]
    assert km_from(places["Hanover"], 43.70, -72.29) < 20, places["Hanover"]


def test_a_town_typed_as_a_person_is_read_with_the_otherplaces_of() -> None:
    text = (
        "An Alexandria man was hurt in a crash near Brandon on Friday, "
        "the Douglas County Sheriff's Office said."
    )
    places = places_of(text)
    # Only Minnesota has an Alexandria, a Brandon and a Douglas County side by side.
    assert km_from(places["Alexandria"], 45.89, -95.38) < 20, places["Alexandria"]
    assert km_from(places["Brandon"], 45.97, -95.60) < 20, places["Brandon"]


def test_a_country_named_once_beside_a_county_can_be_its_town() -> None:
    text = (
        "The school board in Lebanon voted on Tuesday to close two schools, and the Boone County "
        "sheriff said deputies would patrol the new bus routes."
    )
    places = places_of(text)
    # Lebanon, Indiana is the seat of Indiana's Boone County.
    assert places["Lebanon"].country == "USA" and km_from(places["Lebanon"], 40.05, -86.47) < 20
    assert km_from(places["Boone County"], 40.05, -86.47) < 40


def test_the_states_of_the_towns_read_let_a_village_of_that_state_be_read() -> None:
    names = [("Middletown", None), ("Hartford", None), ("Berlin", None)]
    first = read_places(names)
    assert first["Berlin"].country == "DEU"  # a village is not read without its state
    states = reading_states(first)
    assert states == ["CT"]
    berlin = read_places(names, context_states=states)["Berlin"]
    assert berlin.country == "USA" and km_from(berlin, 41.62, -72.75) < 10
    assert read_places([("Berlin", None)])["Berlin"].country == "DEU"  # alone, the capital


def test_a_county_read_in_one_state_is_enough_to_read_its_villages() -> None:
    names = [("Swansea", None), ("Lexington County", None)]
    first = read_places(names)
    assert first["Swansea"].country == "GBR"
    assert reading_states(first) == ["SC"]
    swansea = read_places(names, context_states=["SC"])["Swansea"]
    assert km_from(swansea, 33.74, -81.10) < 15
    assert reading_states(read_places([("Hartford", None)])) == []  # one town is not a state


def test_the_story_s_own_capital_wins_over_a_namesake_beside_its_counties() -> None:
    text = (
        "The two counties' sheriffs met in Washington on Tuesday; Clarke County and Oconee County "
        "deputies will share a jail."
    )
    washington = places_of(text)["Washington"]
    assert km_from(washington, 38.90, -77.04) < 15, washington
    written = places_of(
        "Deputies from Clarke County and Oconee County drove to Washington, Ga., "
        "on Tuesday to pick up the prisoner."
    )["Washington"]
    assert km_from(written, 33.74, -82.74) < 15, written  # the state written beside it settles it


def test_dublin_beside_ohio_towns_is_ohio_s_and_in_a_world_story_ireland_s() -> None:
    local = places_of("Voters in Dublin, Hilliard and Worthington will decide in May on a new library levy.")
    assert km_from(local["Dublin"], 40.10, -83.11) < 15, local["Dublin"]
    world = places_of("Irish ministers met in Dublin on Monday before flying to Brussels for talks.")
    assert world["Dublin"].country == "IRL"


def test_another_name_of_a_far_town_yields_to_the_article_s_area() -> None:
    # "Springfield City" is an alternate name of Springfield, Massachusetts in GeoNames.
    alone = geocode("Springfield City")
    assert alone is not None and km_from(alone, 42.10, -72.59) < 15
    ohio = Vicinity(39.9, -83.8, ((39.924, -83.809),))  # a story the reading put in Springfield, Ohio
    placed = geocode("Springfield City", near=ohio)
    assert placed is not None and km_from(placed, 39.92, -83.81) < 15, placed


def test_a_politician_s_party_and_town_is_the_town() -> None:
    place = geocode("D-Iowa City", context_states=["IA"])
    assert place is not None and place.precision == 3 and km_from(place, 41.66, -91.53) < 10, place
    texas = geocode("R-Texas")
    assert texas is not None and texas.precision == 2 and texas.country == "USA"
