"""The command line and the Python API over whole articles: process, show, articles, reprocess."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import dateline
from dateline.cli import app
from shared_data import SAMPLES, shared_path

runner = CliRunner()


def test_process_prints_the_whole_record_as_json(seed_expected: dict[str, object]) -> None:
    seed = shared_path("seed", "moscow-declaration.txt")
    result = runner.invoke(app, ["process", str(seed), "--published", "2004-02-07", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    design_keys = {
        "id", "url", "publisher", "title", "published", "language", "text", "raw", "dateline", "repairs",
        "removed", "duplicate_of", "near_duplicate_of", "pipeline_version", "entities", "events", "quotes",
        "quantities",
    }  # fmt: skip
    assert design_keys <= set(record)
    assert record["title"] == seed_expected["article"]["title"]  # type: ignore[index]
    assert record["dateline"]["place"] == "Moscow" and record["publisher"] == "Asbarez"
    assert record["published"] == "2004-02-07"
    for quote in record["quotes"]:
        start, end = quote["span"]
        assert record["text"][start:end] == quote["text"]


def test_the_python_api_takes_a_path_or_the_text_itself() -> None:
    text = (
        "Ministers agree to reopen border crossing\n\n"
        "TBILISI (Wire) — Georgia and Armenia agreed on Tuesday to reopen a border crossing closed "
        "for repairs, Georgia's foreign minister said."
    )
    from_text = dateline.process(text, published="2024-05-02")
    assert from_text.title == "Ministers agree to reopen border crossing"
    assert from_text.dateline is not None and from_text.dateline.place == "Tbilisi"
    from_file = dateline.process(next(SAMPLES.glob("*.txt")))
    assert from_file.text and from_file.pipeline_version == dateline.PIPELINE_VERSION


def test_process_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["process", str(broken)])
    assert result.exit_code == 1
    assert "broken.jsonl" in result.output
    assert runner.invoke(app, ["process", str(tmp_path / "missing.txt")]).exit_code == 2
    assert runner.invoke(app, ["process", str(broken), "--published", "yesterday"]).exit_code == 2


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "samples.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_articles_and_show_read_the_store(db: Path) -> None:
    listed = runner.invoke(app, ["articles", "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) >= 12
    analysed = next(row for row in rows if row["events"] and not row["duplicate_of"])
    shown = runner.invoke(app, ["show", analysed["id"][:8], "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.stdout)
    assert record["id"] == analysed["id"] and len(record["events"]) == analysed["events"]
    assert runner.invoke(app, ["show", "0000000000", "--db", str(db)]).exit_code == 1
    assert runner.invoke(app, ["articles", "--db", str(db.with_name("none.duckdb"))]).exit_code == 2


def test_articles_filter_by_publisher_and_date(db: Path) -> None:
    rows = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--json"]).stdout)
    publisher = next(row["publisher"] for row in rows if row["publisher"])
    published = sorted(row["published"] for row in rows if row["published"])[len(rows) // 2]
    by_publisher = json.loads(
        runner.invoke(app, ["articles", "--db", str(db), "--publisher", publisher.upper(), "--json"]).stdout
    )
    assert by_publisher and all(row["publisher"] == publisher for row in by_publisher)
    since = json.loads(
        runner.invoke(app, ["articles", "--db", str(db), "--since", published, "--json"]).stdout
    )
    assert since and all(row["published"] >= published for row in since)


def test_reprocess_brings_old_articles_up_to_date(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "old.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        before = con.execute("SELECT count(*) FROM events").fetchone()
        con.execute("UPDATE articles SET pipeline_version = '0.0.1' WHERE duplicate_of IS NULL")
        con.execute("DELETE FROM events")
        stale = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()
    result = runner.invoke(app, ["reprocess", "--db", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"reprocessed {stale[0]} articles" in result.output  # type: ignore[index]
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == before
        assert con.execute(
            "SELECT DISTINCT pipeline_version FROM articles WHERE duplicate_of IS NULL"
        ).fetchall() == [(dateline.PIPELINE_VERSION,)]
    again = runner.invoke(app, ["reprocess", "--db", str(copy)])
    assert "reprocessed 0 articles" in again.output
