"""`stats` keeps events dated only to a month or a year apart from the days (issue 12)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from web_fixtures import handmade_records  # type: ignore[import-not-found]

from dateline.record import Record
from dateline.store import open_store
from dateline.store import queries as q


def _with_vague_dates() -> list[Record]:
    records = handmade_records()
    events = [event for record in records for event in record.events]
    events[0].date, events[1].date, events[2].date = "2023-04", "2026", "199X"
    return records


def test_stats_shows_days_apart_from_months_and_years(tmp_path: Path) -> None:
    with open_store(tmp_path / "stats.duckdb") as store:
        store.write(_with_vague_dates())
        stats = q.stats(store)
    assert stats["by_day"] and all(len(row["day"]) == 10 for row in stats["by_day"])
    assert {(row["period"], row["granularity"], row["events"]) for row in stats["by_period"]} == {
        ("2023-04", "month", 1),
        ("2026", "year", 1),
        ("199X", "decade", 1),
    }
    # Every dated event is counted once, among the days or the periods.
    total = sum(row["events"] for row in stats["by_day"]) + sum(row["events"] for row in stats["by_period"])
    assert total == 7


def test_a_database_made_before_the_language_columns_opens_and_takes_new_records(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with open_store(path) as store:
        store.write(handmade_records()[:1])
    connection = duckdb.connect(str(path))
    connection.execute("ALTER TABLE articles DROP COLUMN language_confidence")
    connection.execute("ALTER TABLE articles DROP COLUMN language_reason")
    connection.close()
    record = handmade_records()[1]
    record.language, record.language_confidence, record.language_reason = "en", 0.97, "identified"
    with open_store(path) as store:
        store.write([record])
        stored = store.get(record.id)
        old = store.get(handmade_records()[0].id)
    assert stored is not None and (stored.language_confidence, stored.language_reason) == (0.97, "identified")
    assert old is not None and old.language_reason is None


def test_stats_command_and_page_list_the_vague_dates_apart(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from dateline.cli import app
    from dateline.web import create_app

    path = tmp_path / "stats.duckdb"
    with open_store(path) as store:
        store.write(_with_vague_dates())
    result = CliRunner().invoke(app, ["stats", "--db", str(path)])
    assert result.exit_code == 0, result.output
    by_day, _, rest = result.output.partition("granularity")
    assert "2023-04" not in by_day and "2026 " not in by_day
    assert "2023-04" in rest and "month" in rest and "decade" in rest
    page = TestClient(create_app(path)).get("/stats").text
    assert "<td>2023-04</td><td>month</td>" in page
