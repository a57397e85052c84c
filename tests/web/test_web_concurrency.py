"""`dateline serve` keeps answering while another process writes to the same database file.

DuckDB allows one writing process and, while it writes, no reader in another process; the
server shares the file by holding it only briefly (see dateline.web.database).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from dateline.store import open_store
from dateline.web import create_app

WRITER = r"""
import sys, time
from dateline.record import Record, article_id
from dateline.store import Store

path, batches, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
for batch in range(batches):
    records = []
    for n in range(3):
        text = f"Batch {batch} article {n}: ministers met in Geneva on Monday."
        records.append(Record(id=article_id(text), raw=text, text=text, published="2004-05-0%d" % (n + 1),
                              title=f"batch {batch} article {n}"))
    store = Store(path, retries=40)  # a short write: open, write one batch, close
    store.write(records)
    time.sleep(hold)  # an ingest that keeps the file while it works
    store.close()
    print("wrote", batch, flush=True)
    time.sleep(0.05)
"""


def _writer(path: Path, batches: int, hold: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(batches), str(hold)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.duckdb"
    open_store(path).close()
    return path


def test_server_answers_throughout_short_write_batches(tmp_path: Path) -> None:
    path = _empty_db(tmp_path)
    client = TestClient(create_app(path))
    writer = _writer(path, batches=4, hold=0.0)
    statuses: Counter[int] = Counter()
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while writer.poll() is None and time.monotonic() < deadline:
        response = client.get("/api/articles", params={"limit": 1})
        statuses[response.status_code] += 1
        if response.status_code == 200:
            seen.append(response.json()["total"])
        time.sleep(0.02)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert out.count("wrote") == 4
    assert set(statuses) == {200}, statuses
    assert seen == sorted(seen)  # each answer sees a committed state, never a half-written batch
    assert all(count % 3 == 0 for count in seen)
    assert client.get("/api/articles").json()["total"] == 12


def test_server_says_busy_while_a_writer_keeps_the_file_then_recovers(tmp_path: Path) -> None:
    path = _empty_db(tmp_path)
    client = TestClient(create_app(path))
    writer = _writer(path, batches=1, hold=10.0)
    time.sleep(1.5)  # the writer has the file now
    busy = client.get("/api/stats")
    assert busy.status_code == 503
    assert busy.headers["retry-after"] and "busy" in busy.json()["detail"]
    page = client.get("/")
    assert page.status_code == 503 and "Database busy" in page.text
    writer.communicate(timeout=60)
    assert writer.returncode == 0
    assert client.get("/api/stats").json()["tables"]["articles"] == 3
