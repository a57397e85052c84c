"""`dateline serve` and `dateline ingest` on the same database file at once.

The server holds the file; an ingest in another process finds it through the sidecar and writes
through it (see dateline.store.shared). These tests run the real commands as subprocesses.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dateline.store import open_store
from dateline.store.shared import read_sidecar, sidecar_path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))

HOLDER = r"""
import sys, time
from dateline.record import Record, article_id
from dateline.store import Store

path, hold = sys.argv[1], float(sys.argv[2])
store = Store(path)
text = "Ministers met in Geneva on Monday."
store.write([Record(id=article_id(text), raw=text, text=text, published="2004-05-01", title="held")])
print("holding", flush=True)
time.sleep(hold)
store.close()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _dateline(*args: str) -> list[str]:
    return [sys.executable, "-c", "from dateline.cli import main; main()", *args]


def _wait_for(url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.duckdb"
    open_store(path).close()
    return path


def _start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    """``dateline serve`` on a free port, and the address it will answer on."""
    port = _free_port()
    process = subprocess.Popen(
        _dateline("serve", "--db", str(db), "--port", str(port)),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture
def server(empty_db: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = _start_server(empty_db)
    try:
        _wait_for(f"{url}/api/stats")
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _stop_within(process: subprocess.Popen[str], seconds: float) -> float:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=seconds)
    return time.monotonic() - started


@pytest.mark.timeout(300)
def test_ingest_beside_a_running_server_writes_through_it(
    empty_db: Path, server: tuple[subprocess.Popen[str], str]
) -> None:
    process, url = server
    info = read_sidecar(empty_db)
    assert info is not None and info.pid == process.pid and info.url == url
    assert sidecar_path(empty_db).stat().st_mode & 0o077 == 0  # the token is the owner's alone
    assert httpx.get(f"{url}/api/articles").json()["total"] == 0

    ingest = subprocess.run(
        _dateline("ingest", *map(str, SAMPLES), "--db", str(empty_db)),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "dateline server" in ingest.stderr and "Traceback" not in ingest.stderr

    # The new articles are visible to the running server, without a restart.
    listed = httpx.get(f"{url}/api/articles", params={"limit": 100}).json()
    assert listed["total"] == len(SAMPLES)
    assert {item["title"] for item in listed["items"]} and all(item["id"] for item in listed["items"])
    assert httpx.get(f"{url}/api/stats").json()["tables"]["articles"] == len(SAMPLES)
    assert httpx.get(f"{url}/api/events").json()["total"] > 0

    # Ingesting the same files again stores nothing new, through the same server.
    again = subprocess.run(
        _dateline("ingest", *map(str, SAMPLES), "--db", str(empty_db)),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert again.returncode == 0, again.stderr
    assert httpx.get(f"{url}/api/articles").json()["total"] == len(SAMPLES)

    assert _stop_within(process, 10) < 10
    assert not sidecar_path(empty_db).exists()


def test_writer_endpoints_need_the_token(server: tuple[subprocess.Popen[str], str]) -> None:
    _, url = server
    assert httpx.get(f"{url}/_writer/ping").status_code == 403
    assert httpx.post(f"{url}/_writer/write", json={"records": [], "minhashes": {}}).status_code == 403


def test_sigterm_stops_a_busy_server_within_ten_seconds(server: tuple[subprocess.Popen[str], str]) -> None:
    process, url = server
    clients = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import httpx, sys\n"
                "for _ in range(200):\n"
                "    try: httpx.get(sys.argv[1], timeout=30)\n"
                "    except httpx.HTTPError: break\n",
                f"{url}/api/actors",
            ]
        )
        for _ in range(4)
    ]
    time.sleep(1.0)
    try:
        assert _stop_within(process, 10) < 10
    finally:
        for client in clients:
            client.kill()
            client.wait()


@pytest.mark.timeout(120)
def test_server_answers_503_while_another_process_holds_the_file_then_takes_it(empty_db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(empty_db), "4"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    process, url = _start_server(empty_db)
    try:
        busy = _wait_for(f"{url}/api/stats")
        if holder.poll() is None:
            assert busy.status_code == 503 and busy.headers["retry-after"]
        holder.wait(timeout=60)
        deadline = time.monotonic() + 30
        while (answer := httpx.get(f"{url}/api/stats", timeout=10)).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert answer.json()["tables"]["articles"] == 1
        assert _stop_within(process, 10) < 10
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
        if holder.poll() is None:
            holder.kill()
