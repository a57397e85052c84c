"""The HTTP API and pages with FastAPI's TestClient, on hand-made records and on the real pipeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dateline.web import create_app
from dateline.web.app import STATIC, TEMPLATES


@pytest.fixture(scope="module")
def client(handmade_db: Path) -> Iterator[TestClient]:
    # Inside `with`, the app's lifespan runs: the server lets go of the file when the module ends.
    with TestClient(create_app(handmade_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def visit_id(client: TestClient) -> str:
    return client.get("/api/articles", params={"publisher": "Asbarez"}).json()["items"][0]["id"]


API = [
    "/api/articles",
    "/api/events",
    "/api/actors",
    "/api/actors/RUSGOV",
    "/api/dyads/RUSGOV/AZEGOV",
    "/api/quotes",
    "/api/quantities",
    "/api/stats",
    "/api/search?q=putin",
    "/api/map",
]
PAGES = [
    "/",
    "/articles",
    "/events",
    "/actors",
    "/actors/RUSGOV",
    "/dyads/RUSGOV/AZEGOV",
    "/quotes",
    "/quantities",
    "/stats",
    "/map",
    "/search?q=putin",
]


def test_missing_database_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dateline ingest"):
        create_app(tmp_path / "none.duckdb")


@pytest.mark.parametrize("url", API)
def test_api_answers_json(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    joiner = "&" if "?" in url else "?"
    twin = client.get(f"{url}{joiner}format=json")
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    api_url = "/api/stats" if url == "/stats" else "/api/map" if url == "/map" else f"/api{url}"
    if url != "/":
        assert twin.json() == client.get(api_url).json()


def test_article_api_and_page(client: TestClient, visit_id: str) -> None:
    data = client.get(f"/api/articles/{visit_id}").json()
    assert {"text", "entities", "events", "quotes", "quantities", "repairs", "removed"} <= set(data)
    assert client.get(f"/articles/{visit_id}?format=json").json() == data
    page = client.get(f"/articles/{visit_id}").text
    assert (
        'href="/actors/RUSGOV"' in page
        and 'class="trigger quad-1"' in page
        and 'class="quote quote-direct"' in page
    )
    assert "<details" in page and "Comments are welcome" in page


def test_events_filters_through_the_api(client: TestClient) -> None:
    events = client.get("/api/events", params={"actor": "RUSGOV", "with": "AZEGOV"}).json()
    assert events["total"] == 2 and {e["cameo"] for e in events["items"]} == {"036", "057"}
    glob = client.get("/api/events", params={"code": "05*", "quad": 2}).json()
    assert [e["cameo"] for e in glob["items"]] == ["057"]
    paged = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert (paged["limit"], paged["offset"], paged["total"], len(paged["items"])) == (2, 2, 7, 2)
    blank_form = client.get("/events", params={"actor": "", "quad": "", "code": "", "since": ""})
    assert blank_form.status_code == 200


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("/api/events?limit=501", "limit must be a whole number from 1 to 500, got '501'"),
        ("/api/events?limit=0", "limit must be a whole number from 1 to 500"),
        ("/api/events?quad=7", "quad must be a QuadClass from 1 to 4, got '7'"),
        ("/api/events?since=2004-02-30", "not a calendar date"),
        ("/api/events?since=soon", "since must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got 'soon'"),
        ("/api/events?code=05;drop", "code must be a CAMEO code or a glob"),
        ("/api/events?country=Atlantis", "country must be a country code"),
        ("/api/events?min_confidence=2", "min_confidence must be a number from 0 to 1"),
        ("/api/actors/RUS%20GOV", "letters, digits"),
        ("/api/dyads/RUSGOV/%25", "letters, digits"),
        ("/api/quotes?kind=shouted", "kind must be direct, partial or indirect, got 'shouted'"),
        ("/api/actors/RUSGOV?interval=hour", "interval must be day, week, month or year"),
        ("/api/events?format=xml", "format must be json, csv, jsonl or parquet"),
    ],
)
def test_bad_parameters_are_422_with_a_message(client: TestClient, url: str, fragment: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert fragment in response.text
    # Messages name what a parameter takes in words, never as a regular expression.
    assert "should match pattern" not in response.text and "^" not in response.text


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert client.get("/api/articles/0000000000000000").status_code == 404
    assert client.get("/api/actors/NOBODY").status_code == 404
    page = client.get("/articles/0000000000000000")
    assert (
        page.status_code == 404
        and "Not found" in page.text
        and page.headers["content-type"].startswith("text/html")
    )
    assert client.get("/no/such/page").status_code == 404


def test_bad_parameters_on_a_page_give_an_html_page(client: TestClient) -> None:
    page = client.get("/events?since=soon")
    assert page.status_code == 422 and "Bad parameters" in page.text and "since" in page.text


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/events",
        "/api/actors/{code}",
        "/api/dyads/{a}/{b}",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_pages_fetch_nothing_from_outside() -> None:
    for path in [*TEMPLATES.glob("*.html"), *STATIC.glob("*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        assert "@import" not in text and "url(http" not in text, path
    assert (STATIC / "world-110m.svg").stat().st_size > 50_000


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/world-110m.svg").headers["content-type"].startswith("image/svg")


# -- the real pipeline over samples/ and the seed -----------------------------------------------


@pytest.fixture(scope="module")
def seed_client(pipeline_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(pipeline_db)) as test_client:
        yield test_client


def _seed_article(client: TestClient) -> dict:
    found = client.get("/api/search", params={"q": "Moscow Declaration"}).json()["items"]
    assert found, "the seed article is not found by searching for its words"
    return client.get(f"/api/articles/{found[0]['id']}").json()


def test_seed_article_through_the_api(seed_client: TestClient) -> None:
    article = _seed_article(seed_client)
    assert article["published"].startswith("2004-02-07")
    people = [e for e in article["entities"] if e["type"] == "PERSON"]
    assert any("Aliyev" in e["name"] for e in people)
    page = seed_client.get(f"/articles/{article['id']}").text
    for entity in article["entities"]:
        if entity.get("actor"):
            assert f'href="/actors/{entity["actor"]}"' in page
    for event in article["events"]:
        assert f'data-event="{event["id"]}"' in page


def test_seed_actors_events_and_stats(seed_client: TestClient) -> None:
    stats = seed_client.get("/api/stats").json()
    assert stats["tables"]["articles"] >= 1
    actors = seed_client.get("/api/actors", params={"limit": 500}).json()["items"]
    for actor in actors[:5]:
        profile = seed_client.get(f"/api/actors/{actor['code']}")
        assert profile.status_code == 200 and profile.json()["code"] == actor["code"]
    events = seed_client.get("/api/events", params={"limit": 500}).json()
    assert events["total"] == stats["tables"]["events"]
    for url in PAGES:
        assert seed_client.get(url).status_code == 200, url
