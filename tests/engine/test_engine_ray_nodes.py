"""Ray across nodes: a real two-node cluster on this machine loses its second node mid-ingest, and
every article ends up stored exactly once (Ray's retries, or a rerun that resumes).

The cluster is made of `ray start` processes (bench/ray_cluster.py); the full form, on a larger
corpus, is a row of bench/faults.py --ray.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

if os.environ.get("CI") == "true":
    import ray  # noqa: F401 - CI installs the ray extra: its absence there is a failure, not a skip
else:
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'dateline[ray]'")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "engine"))
from test_engine_ingest import write_corpus  # noqa: E402

from ray_cluster import killed_node_ingest  # noqa: E402


def test_a_killed_worker_node_loses_and_doubles_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_corpus(corpus, 24)
    shutil.copy(REPO / "samples" / "mali-roadside-bomb.txt", corpus / "mali.txt")
    db = tmp_path / "ray.duckdb"
    message, status = killed_node_ingest(corpus, db, tmp_path / "work", kill_after=15.0)
    assert status == 0, message
    with duckdb.connect(str(db), read_only=True) as con:
        total, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()  # type: ignore[misc]
        orphans = con.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]  # type: ignore[index]
    assert (total, distinct, orphans) == (25, 25, 0), message
