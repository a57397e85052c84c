"""The query layer over a store of hand-made records whose answers are known."""

from __future__ import annotations

import pytest

from dateline.store import Store
from dateline.store import queries as q


def test_glob_becomes_escaped_like() -> None:
    assert q.glob_to_like("05*") == "05%"
    assert q.glob_to_like("RUS?OV") == "RUS_OV"
    assert q.glob_to_like("100%_x") == "100\\%\\_x"
    assert q.contains_pattern("a\\b") == "%a\\\\b%"


@pytest.mark.parametrize(
    "build",
    [
        lambda: q.EventFilter(limit=0),
        lambda: q.EventFilter(limit=q.MAX_LIMIT + 1),
        lambda: q.EventFilter(offset=-1),
        lambda: q.EventFilter(quad=5),
        lambda: q.EventFilter(code="05; DROP TABLE events"),
        lambda: q.EventFilter(since="2004-13-01"),
        lambda: q.EventFilter(until="yesterday"),
        lambda: q.EventFilter(actor=" "),
        lambda: q.EventFilter(actor="x" * (q.MAX_TEXT + 1)),
        lambda: q.QuoteFilter(kind="shouted"),
        lambda: q.ActorFilter(code="RUS GOV"),
        lambda: q.SearchFilter(q=" ".join(["word"] * (q.MAX_SEARCH_WORDS + 1))),
    ],
)
def test_bad_filters_are_refused_with_a_message(build: object) -> None:
    with pytest.raises(q.QueryError, match=r"\w"):
        build()  # type: ignore[operator]


def test_articles_newest_first_with_counts(handmade_store: Store) -> None:
    page = q.list_articles(handmade_store, q.ArticleFilter())
    assert page.total == 4
    published = [row["published"] for row in page.items]
    assert published == sorted(published, reverse=True)
    visit = next(row for row in page.items if row["publisher"] == "Asbarez")
    assert (visit["events"], visit["quotes"], visit["quantities"], visit["entities"]) == (3, 1, 1, 4)


def test_article_filters_and_pages(handmade_store: Store) -> None:
    wire = q.list_articles(handmade_store, q.ArticleFilter(publisher="wire"))
    assert {row["publisher"] for row in wire.items} == {"Example Wire"}
    assert q.list_articles(handmade_store, q.ArticleFilter(since="2004-03", until="2004-03")).total == 1
    first = q.list_articles(handmade_store, q.ArticleFilter(limit=2))
    second = q.list_articles(handmade_store, q.ArticleFilter(limit=2, offset=2))
    assert first.total == second.total == 4
    assert not {row["id"] for row in first.items} & {row["id"] for row in second.items}


def test_get_article_has_every_part_and_a_prefix_finds_it(handmade_store: Store) -> None:
    visit = q.list_articles(handmade_store, q.ArticleFilter(publisher="Asbarez")).items[0]
    article = q.get_article(handmade_store, visit["id"][:8])
    assert article is not None and article["id"] == visit["id"]
    assert len(article["events"]) == 3 and article["events"][0]["cameo_name"]
    assert article["quotes"][0]["speaker"]["actor"] == "RUSGOV"
    assert article["quantities"][0]["unit"] == "USD"
    assert [copy["publisher"] for copy in article["copies"]] == ["Copy Daily"]
    assert q.get_article(handmade_store, "no-such-article") is None
    assert q.get_article(handmade_store, "%") is None


def test_events_by_actor_code_name_and_side(handmade_store: Store) -> None:
    by_code = q.list_events(handmade_store, q.EventFilter(actor="RUSGOV"))
    by_name = q.list_events(handmade_store, q.EventFilter(actor="putin"))
    assert {e["id"] for e in by_code.items} == {e["id"] for e in by_name.items}
    assert by_code.total == 5
    as_target = q.list_events(handmade_store, q.EventFilter(actor="RUSGOV", side="target"))
    assert all(any(t["actor"] == "RUSGOV" for t in e["target"]) for e in as_target.items)
    assert {e["cameo"] for e in as_target.items} == {"036", "125"}
    assert q.list_events(handmade_store, q.EventFilter(actor="RUS*")).total == 6


def test_events_by_dyad_code_glob_quad_dates_and_place(handmade_store: Store) -> None:
    dyad = q.list_events(handmade_store, q.EventFilter(actor="RUSGOV", with_actor="AZEGOV"))
    assert sorted(e["cameo"] for e in dyad.items) == ["036", "057"]
    assert {e["cameo"] for e in q.list_events(handmade_store, q.EventFilter(code="05*")).items} == {
        "051",
        "057",
    }
    assert all(e["quad_class"] == 3 for e in q.list_events(handmade_store, q.EventFilter(quad=3)).items)
    march = q.list_events(handmade_store, q.EventFilter(since="2004-03-01", until="2004-03-15"))
    assert {e["date"] for e in march.items} == {"2004-03-15"}
    assert {e["place"] for e in q.list_events(handmade_store, q.EventFilter(place="tbilisi")).items} == {
        "Tbilisi"
    }
    assert q.list_events(handmade_store, q.EventFilter(negated=True)).total == 1


def test_like_wildcards_in_user_text_match_themselves(handmade_store: Store) -> None:
    assert q.list_events(handmade_store, q.EventFilter(actor="%")).total == 0
    assert q.list_events(handmade_store, q.EventFilter(place="_oscow")).total == 0
    found = q.search(handmade_store, q.SearchFilter(q="100% provocation_rate"))
    assert [row["title"] for row in found.items] == ["Putin accuses Georgia of 100% provocation_rate"]
    assert q.search(handmade_store, q.SearchFilter(q="1_0%")).total == 0


def test_search_needs_every_word_and_ranks_title_hits_first(handmade_store: Store) -> None:
    found = q.search(handmade_store, q.SearchFilter(q="Putin cooperation"))
    assert found.total == 2  # the visit and its syndicated copy
    assert all("cooperation" in row["snippet"].lower() or row["in_title"] for row in found.items)
    oil = q.search(handmade_store, q.SearchFilter(q="Baku"))
    assert [row["title"] for row in oil.items] == ["Oil prices rise"]


def test_actors_with_counts(handmade_store: Store) -> None:
    actors = {row["code"]: row for row in q.list_actors(handmade_store, q.ActorFilter()).items}
    assert actors["RUSGOV"]["names"][0] == "Vladimir Putin"
    assert (actors["RUSGOV"]["as_source"], actors["RUSGOV"]["as_target"]) == (3, 2)
    assert actors["GEOGOV"]["quotes"] == 1
    only_geo = q.list_actors(handmade_store, q.ActorFilter(code="GEO*"))
    assert {row["code"] for row in only_geo.items} == {"GEO", "GEOGOV"}
    assert q.list_actors(handmade_store, q.ActorFilter(name="saakash")).items[0]["code"] == "GEOGOV"


def test_actor_profile_over_time(handmade_store: Store) -> None:
    profile = q.actor_profile(handmade_store, "rusgov")
    assert profile is not None and profile["code"] == "RUSGOV"
    assert profile["interval"] == "day"
    # Every day from the first event to the last is drawn, the empty ones as zeros.
    periods = [row["period"] for row in profile["series"]]
    assert periods[0] == "2004-02-06" and periods[-1] == "2004-03-15" and len(periods) == 39
    busy = {row["period"] for row in profile["series"] if row["as_source"] + row["as_target"]}
    assert busy == {"2004-02-06", "2004-03-15"}
    assert sum(row["as_source"] + row["as_target"] for row in profile["series"]) == 4  # negated left out
    assert {p["code"] for p in profile["partners"]} == {"AZEGOV", "GEO", "GEOGOV"}
    assert profile["quotes"]["items"][0]["speaker"] == "Vladimir Putin"
    by_month = q.actor_profile(handmade_store, "RUSGOV", interval="month")
    assert by_month is not None and [row["period"] for row in by_month["series"]] == ["2004-02", "2004-03"]
    assert q.actor_profile(handmade_store, "NOBODY") is None


def test_dyad_cooperation_against_conflict(handmade_store: Store) -> None:
    friends = q.dyad(handmade_store, "AZEGOV", "RUSGOV")
    assert friends["totals"]["events"] == 2
    assert friends["totals"]["by_quad"] == {"1": 1, "2": 1, "3": 0, "4": 0}
    assert friends["series"][0]["a_to_b"] == 1  # AZEGOV met RUSGOV; the signing is joint
    assert friends["totals"]["goldstein_mean"] == 6.0
    rivals = q.dyad(handmade_store, "RUS*", "GEO*", interval="month")
    assert rivals["totals"]["by_quad"]["3"] == 2 and rivals["series"][0]["conflict"] == 2
    assert q.dyad(handmade_store, "RUSGOV", "USA")["totals"]["events"] == 0


def test_quotes_and_quantities(handmade_store: Store) -> None:
    assert [
        row["speaker"] for row in q.list_quotes(handmade_store, q.QuoteFilter(speaker="putin")).items
    ] == ["Vladimir Putin"]
    assert q.list_quotes(handmade_store, q.QuoteFilter(actor="GEO*")).items[0]["kind"] == "indirect"
    assert q.list_quotes(handmade_store, q.QuoteFilter(kind="direct", q="any scale")).total == 1
    assert [
        row["value"] for row in q.list_quantities(handmade_store, q.QuantityFilter(unit="perc*")).items
    ] == [3.0]
    assert q.list_quantities(handmade_store, q.QuantityFilter(unit="usd")).items[0]["measure"] == "money"


def test_stats_and_map_points(handmade_store: Store) -> None:
    stats = q.stats(handmade_store)
    assert stats["tables"]["articles"] == 4
    assert {row["root"]: row["events"] for row in stats["by_root"]}["05"] == 2
    assert {row["publisher"]: row["articles"] for row in stats["by_publisher"]}["Example Wire"] == 2
    assert sum(row["events"] for row in stats["by_day"]) == 7
    places = q.event_places(handmade_store, q.EventFilter())
    assert {p["name"]: p["events"] for p in places["points"]} == {"Moscow": 2, "Tbilisi": 2}
    assert places["events_without_place"] == 3
    assert q.event_places(handmade_store, q.EventFilter(quad=3))["points"][0]["name"] == "Tbilisi"
