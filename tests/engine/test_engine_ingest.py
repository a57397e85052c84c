"""Whole runs of `dateline ingest`: repeats, copies, worker pools and killed runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.engine.local import IngestRun
from dateline.engine.pool import PoolAnalyser
from dateline.store import open_store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
TABLES = ("articles", "entities", "mentions", "events", "quotes", "quantities")

TOWNS = ["Alder", "Birchfield", "Cedarton", "Dunmore", "Elmstead", "Fernhill", "Glenrock", "Hollins"]
ITEMS = ["wheat", "diesel", "cement", "medicine", "fertiliser", "timber", "rice", "steel"]


def write_corpus(folder: Path, count: int) -> None:
    """Distinct small wire stories, each different in its people, places and numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        town, item = TOWNS[n % len(TOWNS)], ITEMS[(n // len(TOWNS)) % len(ITEMS)]
        text = (
            f"{town} council approves {item} depot number {n}\n\n"
            f"{town.upper()} (Wire) — The {town} council on Tuesday approved a depot for {n + 3} thousand "
            f'tons of {item}, the mayor said. "We have waited {n % 9 + 2} years for this," '
            f"the mayor told reporters.\n\nProtesters gathered outside the hall, and police said "
            f"{n % 40 + 5} people were detained. The plan costs {n + 11} million dollars.\n"
        )
        (folder / f"story-{n:04d}.txt").write_text(text, encoding="utf-8")


def stored_articles(db: Path) -> int:
    """Articles stored so far, or 0 while the database is missing or a writer holds it."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    except duckdb.Error:
        return 0


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT * EXCLUDE ({'stored_at' if table == 'articles' else 'article_id'}) FROM {table} "
                "ORDER BY ALL"
            ).fetchall()
            for table in TABLES
        }


def test_ingesting_the_samples_twice_stores_nothing_new(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert first.exit_code == 0, first.output
    before = table_rows(db)
    assert len(before["articles"]) >= 12
    second = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert table_rows(db) == before


def test_a_copy_under_another_name_is_stored_as_a_duplicate(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 1)
    (tmp_path / "in" / "copy.txt").write_bytes((tmp_path / "in" / "story-0000.txt").read_bytes())
    with open_store(tmp_path / "d.duckdb") as store:
        summary = IngestRun(store=store).run([tmp_path / "in"])
        rows = store.query("SELECT id, duplicate_of, source FROM articles ORDER BY source")
    assert summary.stored == 2 and summary.duplicates == 1
    # Files are read in name order, so copy.txt comes first and is the original.
    original, copy = rows
    assert original["source"].endswith("copy.txt")
    assert copy["duplicate_of"] == original["id"] and original["duplicate_of"] is None


def test_two_workers_store_the_same_as_one(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 40)
    with open_store(tmp_path / "one.duckdb") as store:
        IngestRun(store=store).run([tmp_path / "in", SAMPLES])
    pool = PoolAnalyser(2)
    try:
        with open_store(tmp_path / "two.duckdb") as store:
            IngestRun(store=store, analyser=pool).run([tmp_path / "in", SAMPLES])
    finally:
        pool.close()
    one, two = table_rows(tmp_path / "one.duckdb"), table_rows(tmp_path / "two.duckdb")
    assert len(one["articles"]) >= 52
    assert one == two


def test_a_killed_run_resumes_with_every_article_stored_once(tmp_path: Path) -> None:
    count = 400
    write_corpus(tmp_path / "in", count)
    db = tmp_path / "k.duckdb"
    command = [sys.executable, "-m", "dateline.cli", "ingest", str(tmp_path / "in"), "--db", str(db)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    # Kill once some batches are committed. Ingest lets go of the file between batches, so a
    # reader gets in now and then to count them.
    while time.monotonic() < deadline and child.poll() is None and not stored_articles(db):
        time.sleep(0.1)
    assert child.poll() is None, "the run finished before it could be killed: make the corpus larger"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with duckdb.connect(str(db), read_only=True) as con:
        partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
    assert 0 < partial < count, "the kill should land mid-run"

    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        total, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()  # type: ignore[misc]
        orphans = con.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]  # type: ignore[index]
    assert (total, distinct, orphans) == (count, count, 0)


@pytest.mark.parametrize(
    "args", [["ingest"], ["ingest", "x", "--format", "pdf"], ["ingest", "x", "--workers", "0"]]
)
def test_usage_errors_exit_with_2(args: list[str]) -> None:
    assert CliRunner().invoke(app, args).exit_code == 2
