"""End to end in headless Chromium (Debian's chromium and chromium-driver, driven by selenium).

A real uvicorn server on 127.0.0.1 and a free port; screenshots go to the test's tmp_path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
]


def _need_chromium() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install -y chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    """Start `uvicorn` over a database; the servers started are stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(db: Path) -> str:
        port = _free_port()
        code = (
            "import sys, uvicorn\n"
            "from dateline.web import create_app\n"
            "app = create_app(sys.argv[1])\n"
            "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
        )
        process = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=5) as response:
                    if response.status == 200:
                        return base
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server on {base} did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    _need_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _seed_article_url(base: str) -> str:
    import json

    with urllib.request.urlopen(f"{base}/api/search?q=Moscow%20Declaration", timeout=30) as response:
        items = json.load(response)["items"]
    assert items, "the seed article is not in the store"
    return f"{base}/articles/{items[0]['id']}"


def test_seed_article_page_highlights_and_links(
    pipeline_db: Path, serve: Callable[[Path], str], browser: WebDriver, tmp_path: Path
) -> None:
    base = serve(pipeline_db)
    browser.get(_seed_article_url(base))
    assert "Aliyev" in browser.title
    browser.save_screenshot(str(tmp_path / "article.png"))

    text = browser.find_element(By.ID, "article-text")
    people = text.find_elements(By.CSS_SELECTOR, "a.entity.entity-person")
    names = {person.text for person in people}
    assert any("Aliyev" in name for name in names), names
    assert any("Ivanov" in name for name in names), names
    assert all(person.get_attribute("href") for person in people)
    assert people[0].value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")

    triggers = text.find_elements(By.CSS_SELECTOR, "a.trigger")
    assert triggers, "no event trigger is highlighted"
    first = triggers[0]
    target_id = first.get_attribute("href").split("#", 1)[1]
    assert browser.find_element(By.ID, target_id).tag_name == "tr"

    actor_links = text.find_elements(By.CSS_SELECTOR, "a.entity.has-actor")
    assert actor_links, "no entity links to an actor page"
    code = actor_links[0].get_attribute("data-actor")
    actor_links[0].click()
    assert browser.current_url.endswith(f"/actors/{code}")
    heading = browser.find_element(By.CSS_SELECTOR, "h1.actor-title")
    assert heading.text.startswith(code)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    browser.save_screenshot(str(tmp_path / "actor.png"))
    assert (tmp_path / "article.png").stat().st_size > 10_000
    assert (tmp_path / "actor.png").stat().st_size > 10_000


def test_dyad_chart_and_map_render(
    handmade_db: Path, serve: Callable[[Path], str], browser: WebDriver, tmp_path: Path
) -> None:
    base = serve(handmade_db)
    browser.get(f"{base}/dyads/RUS*/GEO*?interval=day")
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 300
    bars = chart.find_elements(By.CSS_SELECTOR, "rect[fill]")
    assert len(bars) >= 2  # conflict bars and the legend
    browser.save_screenshot(str(tmp_path / "dyad.png"))
    browser.get(f"{base}/map")
    places = browser.find_elements(By.CSS_SELECTOR, "svg.map a.place circle")
    assert len(places) == 2
    browser.save_screenshot(str(tmp_path / "map.png"))
    browser.find_element(By.CSS_SELECTOR, "svg.map a.place").click()
    assert "/events?place=" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, "table.events tbody tr")
