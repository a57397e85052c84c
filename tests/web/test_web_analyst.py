"""An analyst's questions of the handmade store: directed dyads, roll-ups, place containment,
confidence, series on a time axis, rankings, evidence, and downloads of exactly what matches."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from dateline.store import Store
from dateline.store import queries as q
from dateline.web import create_app


def _pairs(results: q.Results) -> set[tuple[str, str]]:
    return {(e["source"][0]["actor"], e["target"][0]["actor"]) for e in results.items if e["target"]}


def test_side_is_honoured_with_with(handmade_store: Store) -> None:
    both = q.list_events(handmade_store, q.EventFilter(actor="RUS*", with_actor="AZE*"))
    from_rus = q.list_events(handmade_store, q.EventFilter(actor="RUS*", with_actor="AZE*", side="source"))
    to_rus = q.list_events(handmade_store, q.EventFilter(actor="RUS*", with_actor="AZE*", side="target"))
    assert _pairs(from_rus) == {("RUSMIL", "AZEGOV")}
    assert _pairs(to_rus) == {("AZEGOV", "RUSGOV")}
    # The joint signing (no target) is in the undirected dyad only.
    assert both.total == from_rus.total + to_rus.total + 1


def test_a_plain_code_rolls_up_the_codes_it_heads(handmade_store: Store) -> None:
    assert q.list_events(handmade_store, q.EventFilter(actor="RUS")).total == 6  # RUSGOV and RUSMIL
    assert q.list_events(handmade_store, q.EventFilter(actor="RUSMIL")).total == 1
    profile = q.actor_profile(handmade_store, "RUS")
    assert profile is not None and set(profile["codes"]) == {"RUSGOV", "RUSMIL"}
    assert q.dyad(handmade_store, "RUS", "AZE")["totals"]["events"] == 3
    assert {row["code"] for row in q.list_actors(handmade_store, q.ActorFilter(code="GEO")).items} == {
        "GEO",
        "GEOGOV",
    }
    assert q.list_quotes(handmade_store, q.QuoteFilter(actor="RUS")).total == 1


def test_place_holds_its_places_and_country_and_confidence_filter(handmade_store: Store) -> None:
    in_russia = q.list_events(handmade_store, q.EventFilter(place="Russia"))
    assert {e["place"] for e in in_russia.items} == {"Moscow"} and in_russia.total == 2
    assert q.list_events(handmade_store, q.EventFilter(place="Moscow")).total == 2
    assert q.list_events(handmade_store, q.EventFilter(country="GEO")).total == 2
    assert q.list_events(handmade_store, q.EventFilter(country="ge")).total == 2
    sure = q.list_events(handmade_store, q.EventFilter(min_confidence=0.5))
    assert sure.total == 6 and "051" not in {e["cameo"] for e in sure.items}  # "praised" has 0.4
    assert q.list_events(handmade_store, q.EventFilter(min_confidence=0.4)).total == 7
    with pytest.raises(q.QueryError, match="country"):
        q.EventFilter(country="Atlantis")
    with pytest.raises(q.QueryError, match="min_confidence"):
        q.EventFilter(min_confidence=1.5)


def test_weekly_series_draws_empty_weeks_and_counts_by_quad(handmade_store: Store) -> None:
    weekly = q.event_series(handmade_store, q.EventFilter(), "week")
    starts = [row["start"] for row in weekly["series"]]
    assert starts[0] == "2004-02-02" and starts[-1] == "2004-03-15"  # Mondays
    assert len(starts) == 7 and sum(row["events"] == 0 for row in weekly["series"]) == 5
    assert sum(row["events"] for row in weekly["series"]) == 6  # the negated threat left out
    assert sum(row["q3"] for row in weekly["series"]) == 2
    one_actor = q.event_series(handmade_store, q.EventFilter(actor="GEO*"), "month")
    assert [row["period"] for row in one_actor["series"]] == ["2004-03"]
    with pytest.raises(q.QueryError, match="interval"):
        q.event_series(handmade_store, q.EventFilter(), "hour")


def test_rankings_of_dyads_actors_and_speakers(handmade_store: Store) -> None:
    ranked = q.rankings(handmade_store, q.EventFilter(), top=5)
    conflict = ranked["conflict_dyads"]
    assert {(row["source"], row["target"]) for row in conflict} == {("GEOGOV", "RUSGOV"), ("RUSGOV", "GEO")}
    assert conflict[0]["goldstein_sum"] == -5.0  # equal counts: the harsher first
    assert ranked["cooperation_dyads"][0] == {
        **ranked["cooperation_dyads"][0],
        "source": "AZEGOV",
        "target": "RUSGOV",
        "cooperation": 2,
    }
    assert ranked["actors"][0]["code"] in {"AZEGOV", "RUSGOV"} and ranked["actors"][0]["events"] == 4
    speakers = {row["speaker"]: row for row in ranked["speakers"]}
    assert speakers["Vladimir Putin"]["quotes"] == 1 and speakers["Vladimir Putin"]["examples"]
    by_country = q.rankings(handmade_store, q.EventFilter(), top=5, roll_up=True)
    assert {(row["source"], row["target"]) for row in by_country["conflict_dyads"]} == {
        ("GEO", "RUS"),
        ("RUS", "GEO"),
    }


def test_evidence_of_an_event(handmade_store: Store) -> None:
    met = q.list_events(handmade_store, q.EventFilter(code="036")).items[0]
    evidence = q.event_evidence(handmade_store, met["id"][:8])
    assert evidence is not None
    assert evidence["sentence"]["text"] == (
        "Azerbaijan's President Ilham Aliyev met Russian President Vladimir Putin in Moscow on Friday."
    )
    assert met["sentence_text"] == evidence["sentence"]["text"]
    roles = {mark["role"]: mark["text"] for mark in evidence["marks"]}
    assert roles == {"trigger": "met", "source": "Ilham Aliyev", "target": "Vladimir Putin"}
    assert evidence["rules"] == [{"rule": "handmade", "description": None}]
    assert q.event_evidence(handmade_store, "zzzz") is None


# -- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(handmade_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(handmade_db)) as test_client:
        yield test_client


FILTERED = {"actor": "RUS*", "with": "AZE*", "side": "target", "since": "2004-02", "until": "2004-02-28"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_downloads_hold_every_matching_row_flat_and_typed(client: TestClient, fmt: str) -> None:
    listed = client.get("/api/events", params={**FILTERED, "limit": 1}).json()
    response = client.get("/events", params={**FILTERED, "format": fmt, "limit": 1, "offset": 0})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = io.BytesIO(response.content)
    frame = {
        "csv": lambda: pd.read_csv(data, parse_dates=["date", "published"], dtype={"cameo": str}),
        "jsonl": lambda: pd.read_json(data, lines=True, dtype={"cameo": str}),
        "parquet": lambda: pd.read_parquet(data),
    }[fmt]()
    assert len(frame) == listed["total"] == 1  # all the matches, not the page of one
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert not any(isinstance(value, (dict, list)) for value in frame.iloc[0].tolist())
    row = frame.iloc[0]
    assert (row["source_actor"], row["target_actor"], row["cameo"]) == ("AZEGOV", "RUSGOV", "036")
    assert (row["source_country"], row["target_sector"], row["date_granularity"]) == ("AZE", "GOV", "day")
    assert row["sentence"].startswith("Azerbaijan's President Ilham Aliyev met")


@pytest.mark.parametrize("path", ["/api/articles", "/api/quotes", "/api/quantities", "/api/actors"])
def test_every_list_downloads(client: TestClient, path: str) -> None:
    total = client.get(path).json()["total"]
    frame = pd.read_csv(io.BytesIO(client.get(path, params={"format": "csv"}).content))
    assert len(frame) == total > 0


def test_pages_link_their_downloads_and_series_csv(client: TestClient) -> None:
    page = client.get("/events", params=FILTERED).text
    assert "format=csv" in page and "format=parquet" in page and "format=jsonl" in page
    series = client.get("/series", params={"interval": "week", "format": "csv"})
    frame = pd.read_csv(io.StringIO(series.text))
    assert list(frame["granularity"].unique()) == ["week"] and frame["events"].sum() == 6
    assert client.get("/rankings").status_code == 200
    assert client.get("/api/rankings", params={"roll_up": "country"}).json()["roll_up"] is True


def test_event_link_lands_on_its_marked_sentence_and_back(client: TestClient) -> None:
    event = client.get("/api/events", params={"code": "036"}).json()["items"][0]
    events_page = client.get("/events", params={"code": "036"}).text
    link = f"/articles/{event['article_id']}?event={event['id']}#evidence"
    assert f'href="{link}"' in events_page
    article = client.get(link.split("#")[0], headers={"referer": "http://testserver/events?code=036"}).text
    assert '<mark class="evidence" id="evidence"' in article
    assert (
        "argument-source" in article and "argument-target" in article and "trigger quad-1 chosen" in article
    )
    assert 'href="/events?code=036"' in article  # back to where the reader came from
    assert client.get(f"/events/{event['id'][:8]}").status_code == 200
    assert client.get(f"/articles/{event['article_id']}", params={"event": "nothing"}).status_code == 404


def test_pager_past_the_end_says_so(client: TestClient) -> None:
    page = client.get("/events", params={"offset": 100000}).text
    assert "100000" not in page.split('class="pager"')[1].split("</p>")[0].split("asked")[0]
    assert "Nothing past row 7" in page


def test_docs_are_served_from_here(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "redoc.standalone.js" in client.get("/redoc").text


# -- accessibility ------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_quadclass_badges_meet_wcag_aa_and_say_their_class() -> None:
    import re

    from dateline.web.app import STATIC

    css = (STATIC / "style.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    def rule(selector: str) -> dict[str, str]:
        found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
        assert found, selector
        declarations = dict(re.findall(r"([\w-]+):\s*([^;]+);", found.group(1)))
        return {
            k: re.sub(r"var\(--([\w-]+)\)", lambda m: variables[m.group(1)], v).strip()
            for k, v in declarations.items()
        }

    for quad in (1, 2, 3, 4):
        badge = rule(f".quad-badge.quad-{quad}")
        assert _contrast(badge["color"], badge["background"]) >= 4.5, quad
    # The CAMEO code chips: ink on the light classes, white on the dark ones.
    assert (
        _contrast(variables["ink"], variables["q1"]) >= 4.5
        and _contrast(variables["ink"], variables["q3"]) >= 4.5
    )
    assert _contrast("#ffffff", variables["q2"]) >= 4.5 and _contrast("#ffffff", variables["q4"]) >= 4.5
    assert "a.code.quad-1, a.code.quad-3 { color: var(--ink); }" in css


def test_pages_have_a_skip_link_and_quadclass_in_text(client: TestClient) -> None:
    page = client.get("/events").text
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert "Q3 verbal conflict" in page and "Q1 verbal cooperation" in page
    assert (
        "1 events" not in client.get("/map").text and "None" not in client.get("/map").text.split("<svg")[1]
    )
