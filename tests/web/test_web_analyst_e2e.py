"""An analyst's session in headless Chromium (Debian's chromium and chromium-driver, selenium),
on a store built by the real pipeline from samples/ and the seed, with no network but loopback.

Filter events by a directed dyad with wildcards and a date range in the form, download that CSV
and compare its rows with the API's; open an event's sentence from the table and come back; draw
a weekly series; rank dyads; open /docs and see the operations listed.
"""

from __future__ import annotations

import csv
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from test_web_e2e import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, _need_chromium
from test_web_e2e import serve as serve  # the fixture, by its name

# Every host name but the loopback address fails to resolve: the pages must need nothing else.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


@pytest.fixture
def offline_browser(tmp_path: Path) -> Iterator[WebDriver]:
    _need_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, OFFLINE, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(tmp_path / "downloads"), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path / "downloads")}
    )
    try:
        yield driver
    finally:
        driver.quit()


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _a_directed_dyad(base: str) -> dict[str, str]:
    """A dyad the store holds, as wildcards on its countries, in its direction, with dates."""
    ranked = _get(f"{base}/api/rankings?top=50")
    dyads = ranked["cooperation_dyads"] + ranked["conflict_dyads"]
    assert dyads, "the samples and the seed hold no dyad between two coded actors"
    first = dyads[0]
    source, target = first["source"][:3] + "*", first["target"][:3] + "*"
    query = urllib.parse.urlencode({"actor": source, "with": target, "side": "source", "limit": 500})
    events = _get(f"{base}/api/events?{query}")["items"]
    days = sorted(event["date"][:10] for event in events if event["date"])
    return {"actor": source, "with": target, "side": "source", "since": days[0][:4], "until": days[-1]}


def _fill(browser: WebDriver, name: str, value: str) -> None:
    field = browser.find_element(By.CSS_SELECTOR, f"form.filters [name='{name}']")
    if field.tag_name == "select":
        field.find_element(By.CSS_SELECTOR, f"option[value='{value}'], option:not([value])").click()
        for option in field.find_elements(By.TAG_NAME, "option"):
            if (option.get_attribute("value") or option.text) == value:
                option.click()
        return
    field.clear()
    field.send_keys(value)


def _wait_for_file(folder: Path, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [path for path in folder.glob(f"*{suffix}") if path.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}")


def test_an_analysts_session(
    pipeline_db: Path,
    serve: Callable[[Path], str],
    offline_browser: WebDriver,
    tmp_path: Path,
) -> None:
    browser = offline_browser
    base = serve(pipeline_db)
    dyad = _a_directed_dyad(base)

    # Filter events by a directed dyad with wildcards and a date range, in the page's form.
    browser.get(f"{base}/events")
    for name in ("actor", "with", "since", "until"):
        _fill(browser, name, dyad[name])
    _fill(browser, "side", "source")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: "side=source" in b.current_url)
    listed_url = browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "table.events tbody tr[id^='event-']")
    assert rows, f"no events for {dyad} at {listed_url}"
    browser.save_screenshot(str(tmp_path / "events.png"))

    # Download that CSV and compare its rows with the API's.
    browser.find_element(By.CSS_SELECTOR, "a.download[href*='format=csv']").click()
    downloaded = _wait_for_file(tmp_path / "downloads", ".csv")
    with downloaded.open(encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    api = _get(f"{base}/api/events?{urllib.parse.urlencode({**dyad, 'limit': 500})}")
    assert {row["event_id"] for row in exported} == {item["id"] for item in api["items"]}
    assert len(exported) == api["total"]
    source_prefix, target_prefix = dyad["actor"][:3], dyad["with"][:3]
    for row in exported:
        assert dyad["since"] <= row["date"] <= dyad["until"] + "~"
        assert row["sentence"] and row["trigger"] in row["sentence"]
    by_id = {item["id"]: item for item in api["items"]}
    for row in exported:  # the direction holds: the actor among the sources, the other among targets
        item = by_id[row["event_id"]]
        assert any((a["actor"] or "").startswith(source_prefix) for a in item["source"])
        assert any((a["actor"] or "").startswith(target_prefix) for a in item["target"])

    # Open an event's sentence from the table, see it marked and scrolled to, and come back.
    link = browser.find_element(By.CSS_SELECTOR, "table.events a.evidence-link")
    event_id = link.get_attribute("href").split("event=")[1].split("#")[0]
    link.click()
    WebDriverWait(browser, 30).until(lambda b: f"event={event_id}" in b.current_url)
    sentence = browser.find_element(By.CSS_SELECTOR, "mark#evidence")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top;", sentence)
    height = browser.execute_script("return window.innerHeight;")
    assert 0 <= top < height, "the marked sentence is not scrolled into view"
    assert sentence.find_elements(By.CSS_SELECTOR, ".trigger.chosen")
    panel = browser.find_element(By.CSS_SELECTOR, ".evidence-box").text
    assert "confidence" in panel and "rule" in panel and "model" in panel
    browser.save_screenshot(str(tmp_path / "evidence.png"))
    browser.find_element(By.CSS_SELECTOR, ".evidence-box a.back").click()
    WebDriverWait(browser, 30).until(lambda b: b.current_url == listed_url)
    assert browser.find_elements(By.CSS_SELECTOR, "table.events tbody tr[id^='event-']")

    # Draw a weekly series of all events.
    browser.find_element(By.LINK_TEXT, "over time").click()
    browser.find_element(By.LINK_TEXT, "week").click()
    WebDriverWait(browser, 30).until(lambda b: "interval=week" in b.current_url)
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 300
    assert chart.find_elements(By.CSS_SELECTOR, "rect[fill] title")  # bars with their tooltips
    weekly = _get(f"{base}/api/series?interval=week")
    assert len(weekly["series"]) > 1 and weekly["interval"] == "week"
    assert browser.find_element(By.CSS_SELECTOR, "a.download[href*='format=csv']")
    browser.save_screenshot(str(tmp_path / "series.png"))

    # Rank dyads.
    browser.find_element(By.LINK_TEXT, "rankings").click()
    ranked = browser.find_elements(
        By.CSS_SELECTOR, "table.ranking-cooperation tbody tr, table.ranking-conflict tbody tr"
    )
    assert any("dyad" in row.text for row in ranked)
    browser.save_screenshot(str(tmp_path / "rankings.png"))

    # The API docs with no network: Swagger UI from this server lists the operations.
    browser.get(f"{base}/docs")
    WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock"))
    operations = {element.text for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/api/events", "/api/rankings", "/api/series"} <= operations
    assert all(
        (tmp_path / f"{name}.png").stat().st_size > 10_000 for name in ("events", "evidence", "series")
    )
