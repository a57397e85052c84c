"""Make the README's screenshots: the seed article's page, a dyad chart, and the analyst's pages
(events filtered by a directed dyad, an event's evidence, a weekly series, rankings, API docs).

Builds a store from samples/ and the seed article (../shared/seed, published 2004-02-07) with the
real pipeline, serves it with uvicorn on 127.0.0.1 and a free port, and photographs two pages in
headless Chromium (Debian's chromium and chromium-driver, driven by selenium):

    .venv/bin/python docs/make_screenshots.py            # writes docs/*.png
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "moscow-declaration.txt"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def build_store(path: Path, seed: Path) -> None:
    from dateline.engine.local import IngestRun
    from dateline.ingest import IngestOptions
    from dateline.pipeline import Pipeline
    from dateline.store import open_store

    pipeline = Pipeline()
    with open_store(path) as store:
        IngestRun(store=store, analyser=pipeline).run([str(REPO / "samples")])
        IngestRun(store=store, options=IngestOptions(published="2004-02-07"), analyser=pipeline).run(
            [str(seed)]
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get_json(f"{base}/api/stats")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on {base} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--dyad", nargs=2, default=["AZE*", "RUS*"], metavar=("A", "B"))
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    workdir = Path(tempfile.mkdtemp(prefix="dateline-screens-"))
    db = workdir / "demo.duckdb"
    build_store(db, args.seed)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, uvicorn\nfrom dateline.web import create_app\napp = create_app(sys.argv[1])\n"
            "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')",
            str(db),
            str(port),
        ]
    )
    base = f"http://127.0.0.1:{port}"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [*FLAGS, f"--user-data-dir={workdir / 'profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path="/usr/bin/chromedriver"))
    try:
        wait_for(base)
        found = get_json(f"{base}/api/search?q=Moscow%20Declaration")["items"]
        driver.set_window_size(1280, 1250)
        driver.get(f"{base}/articles/{found[0]['id']}")
        driver.save_screenshot(str(args.out / "article-page.png"))
        a, b = (urllib.parse.quote(code, safe="") for code in args.dyad)
        driver.set_window_size(1280, 900)
        driver.get(f"{base}/dyads/{a}/{b}")
        driver.save_screenshot(str(args.out / "dyad-chart.png"))
        filters = urllib.parse.urlencode({"actor": args.dyad[1], "with": args.dyad[0], "side": "source"})
        driver.set_window_size(1280, 1000)
        driver.get(f"{base}/events?{filters}")
        driver.save_screenshot(str(args.out / "events-directed-dyad.png"))
        event = get_json(f"{base}/api/events?{filters}")["items"][0]
        driver.get(f"{base}/articles/{event['article_id']}?event={event['id']}#evidence")
        driver.save_screenshot(str(args.out / "event-evidence.png"))
        driver.get(f"{base}/series?interval=week")
        driver.save_screenshot(str(args.out / "series-week.png"))
        driver.get(f"{base}/rankings")
        driver.save_screenshot(str(args.out / "rankings.png"))
        driver.get(f"{base}/docs")
        time.sleep(3)  # Swagger UI draws the operations after loading
        driver.save_screenshot(str(args.out / "api-docs.png"))
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote the screenshots into {args.out}")


if __name__ == "__main__":
    main()
