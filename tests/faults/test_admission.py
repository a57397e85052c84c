"""Admission decided in the transaction that stores an article: two writers sharing a syndicated
copy neither lose nor double a row, and each run counts what it stored itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dateline.engine.local import IngestRun
from dateline.pipeline import Pipeline
from dateline.record import Record, article_id
from dateline.store import open_store
from dateline.store.admission import COPY, NEW, REPEAT

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "engine"))
from test_engine_ingest import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def two_folders_sharing_a_copy(root: Path) -> tuple[Path, Path]:
    """h1 and h2, each with stories of its own and the same text under two file names."""
    write_corpus(root / "all", 6)
    h1, h2 = root / "h1", root / "h2"
    h1.mkdir()
    h2.mkdir()
    stories = sorted((root / "all").iterdir())
    shared = stories[0].read_bytes()
    (h1 / "00-shared-a.txt").write_bytes(shared)
    (h2 / "00-shared-b.txt").write_bytes(shared)
    for n, story in enumerate(stories[1:]):
        ((h1 if n % 2 else h2) / story.name).write_bytes(story.read_bytes())
    return h1, h2


def articles(db: Path) -> list[tuple[str, str | None, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT id, duplicate_of, source FROM articles ORDER BY id").fetchall()


def test_two_runs_that_both_think_a_text_new_store_it_once_and_its_copy_once(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    h1, h2 = two_folders_sharing_a_copy(tmp_path)
    db = tmp_path / "c.duckdb"
    with open_store(db) as store:
        # Both runs learn what is stored before either writes: the race of two ingests at once.
        first, second = IngestRun(store=store, analyser=pipeline), IngestRun(store=store, analyser=pipeline)
        one = first.run([h1])
        two = second.run([h2])
    rows = articles(db)
    originals = [row for row in rows if row[1] is None]
    copies = [row for row in rows if row[1] is not None]
    assert len(rows) == 7 and len(originals) == 6 and len(copies) == 1
    assert copies[0][1] in {row[0] for row in originals}
    # Each run counts what it stored: the second stored the shared text as a copy, not as new.
    assert (one.stored, one.duplicates) == (len(list(h1.iterdir())), 0)
    assert (two.stored, two.duplicates) == (len(list(h2.iterdir())), 1)
    assert one.stored + two.stored == len(rows)


def test_a_batch_stored_twice_is_a_repeat_the_second_time(tmp_path: Path) -> None:
    text = "Rain fell on the capital on Monday, officials said."
    record = Record(id=article_id(text), raw=text, text=text, source="a.txt")
    copy = Record(id=article_id(text), raw=text, text=text, source="b.txt")
    with open_store(tmp_path / "r.duckdb") as store:
        assert [kind for kind, _ in store.admit([record, copy]).outcomes] == [NEW, COPY]
        again = store.admit([Record(id=article_id(text), raw=text, text=text, source="a.txt")])
        assert [kind for kind, _ in again.outcomes] == [REPEAT]
        assert store.query("SELECT count(*) AS n FROM articles")[0]["n"] == 2


def test_two_ingest_processes_at_once_keep_the_copy(tmp_path: Path) -> None:
    h1, h2 = two_folders_sharing_a_copy(tmp_path)
    db = tmp_path / "c.duckdb"
    command = [sys.executable, "-m", "dateline.cli", "ingest", "--db", str(db)]
    runs = [
        subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (h1, h2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    rows = articles(db)
    assert len(rows) == 7 and sum(1 for row in rows if row[1] is not None) == 1
