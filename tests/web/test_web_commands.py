"""The CLI commands over the query layer (registered by dateline.cli), run through typer."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from dateline.web import commands

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    for command in commands.COMMANDS:
        app.command()(command)
    return app


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(_app(), list(args))
    return result.exit_code, result.stdout


def test_events_as_json_csv_and_table(handmade_db: Path) -> None:
    code, text = _run("events", "--db", str(handmade_db), "--actor", "RUSGOV", "--with", "AZEGOV", "--json")
    assert code == 0
    assert sorted(event["cameo"] for event in json.loads(text)) == ["036", "057"]
    code, text = _run("events", "--db", str(handmade_db), "--code", "05*", "--csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and {row["cameo"] for row in rows} == {"051", "057"}
    assert {row["source_actor"] for row in rows} == {"AZEGOV", "RUSMIL"}  # flat: one value a column
    # --csv and --jsonl print every match (not a page), with the same filters as the page.
    directed = ["--actor", "RUS", "--with", "AZE", "--side", "source"]
    code, text = _run("events", "--db", str(handmade_db), *directed, "--jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and [(row["source_actor"], row["target_actor"]) for row in lines] == [
        ("RUSMIL", "AZEGOV")
    ]
    code, text = _run("events", "--db", str(handmade_db), "--place", "Russia", "--csv", "--limit", "1")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(text)))) == 1
    code, text = _run("events", "--db", str(handmade_db), "--quad", "3", "--since", "2004-03")
    assert code == 0 and "112" in text and "036" not in text


def test_quotes_actors_quantities_search_and_stats(handmade_db: Path) -> None:
    db = str(handmade_db)
    code, text = _run("quotes", "--db", db, "--speaker", "putin", "--json")
    assert code == 0 and json.loads(text)[0]["actor"] == "RUSGOV"
    code, text = _run("actors", "--db", db, "--code", "GEO*", "--json")
    assert code == 0 and {row["code"] for row in json.loads(text)} == {"GEO", "GEOGOV"}
    code, text = _run("quantities", "--db", db, "--unit", "usd", "--json")
    assert code == 0 and json.loads(text)[0]["value"] == 1.5e9
    code, text = _run("search", "Baku", "--db", db, "--json")
    assert code == 0 and [row["title"] for row in json.loads(text)] == ["Oil prices rise"]
    code, text = _run("stats", "--db", db, "--json")
    assert code == 0 and json.loads(text)["tables"]["articles"] == 4
    code, text = _run("stats", "--db", db)
    assert code == 0 and "by publisher" in text


def test_bad_input_is_a_usage_error(handmade_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["events", "--db", str(handmade_db), "--since", "soon"])
    assert result.exit_code == 2 and "since" in result.output
    result = runner.invoke(_app(), ["events", "--db", str(handmade_db), "--quad", "9"])
    assert result.exit_code == 2
    result = runner.invoke(_app(), ["events", "--db", str(handmade_db), "--country", "Atlantis"])
    assert result.exit_code == 2 and "country" in result.output
    result = runner.invoke(_app(), ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "dateline ingest" in result.output
    result = runner.invoke(_app(), ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2


def test_event_table_fits_80_columns(handmade_db: Path, monkeypatch: object) -> None:
    from rich.console import Console

    narrow = Console(width=80, record=True)
    monkeypatch.setattr(commands, "out", narrow)  # type: ignore[attr-defined]
    code, _ = _run("events", "--db", str(handmade_db), "--actor", "RUS")
    text = narrow.export_text()
    assert code == 0 and max(len(line) for line in text.splitlines()) <= 80
    rows = [line for line in text.splitlines() if "036" in line]
    assert rows and "RUSGOV" in rows[0] and "AZEGOV" in rows[0]  # a row reads on one line
