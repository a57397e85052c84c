"""Ids after an ingest: one id per row in every table, and one entity per stretch of text."""

from __future__ import annotations

from pathlib import Path

from dateline.engine.local import IngestRun
from dateline.store import open_store

# Stories written for this test. "Marines" is both a demonym-like name to the model and the head
# of a group of people, which once gave two entities (NORP and GROUP) over one span with one id.
STORIES = {
    "marines.txt": (
        "Marines Secure Airfield After Landing\n\n"
        "NORTHPORT (Wire) — Marines landed on the island on Tuesday, officials said. The Marines "
        "were joined by sailors from the fleet, and Marines later secured the airfield. Two Marines "
        'were wounded. "We hold the runway," a commander told reporters.\n'
    ),
    "falluja.txt": (
        "Soldiers and Marines fought in Falluja on Monday. Two Marines were wounded and 14 "
        "insurgents were killed, the Pentagon said. Marines and Iraqi police later searched "
        "houses in the city.\n"
    ),
    "summit.txt": (
        "Aliyev and Putin Sign Declaration in Moscow\n\n"
        "MOSCOW (Wire) — Azerbaijani President Ilham Aliyev and Russian President Vladimir Putin "
        "signed a declaration on allied cooperation on Tuesday. Putin said the two countries "
        '"have never been closer". Aliyev thanked Putin and invited him to Baku.\n'
    ),
    "council.txt": (
        "Harbour council approves grain depot\n\n"
        "DUNMORE (Wire) — The council on Wednesday approved a depot for 30,000 tons of grain, "
        "the mayor said. Protesters gathered outside, and police said 12 people were detained. "
        "The plan costs 11 million dollars.\n"
    ),
    "one-line.txt": "Kazakhstan\n",
}

ID_TABLES = ("articles", "entities", "events", "quotes", "quantities")


def test_every_table_has_unique_ids_after_ingesting_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with open_store(tmp_path / "ids.duckdb") as store:
        summary = IngestRun(store=store).run([folder])
        assert summary.stored == len(STORIES)
        for table in ID_TABLES:
            rows = store.query(f"SELECT count(*) AS n, count(DISTINCT id) AS ids FROM {table}")[0]
            assert rows["n"] == rows["ids"], table
        assert store.query("SELECT count(*) AS n FROM entities")[0]["n"] > 10
        # One stretch of text (of the body or of the title), one entity.
        shared = store.query(
            'SELECT article_id, field, start, "end", count(DISTINCT entity_id) AS n FROM mentions '
            "GROUP BY ALL HAVING n > 1"
        )
        assert shared == []
        overlapping = store.query(
            "SELECT a.entity_id, b.entity_id FROM mentions a JOIN mentions b "
            "ON a.article_id = b.article_id AND a.field = b.field AND a.entity_id < b.entity_id "
            'AND a.start < b."end" AND b.start < a."end"'
        )
        assert overlapping == []
        marines = store.query("SELECT DISTINCT type FROM entities WHERE name = 'Marines'")
        assert [row["type"] for row in marines] == ["GROUP"]
