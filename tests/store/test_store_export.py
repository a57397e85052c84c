"""Exports out of a store built by the real pipeline: GDELT rows, Parquet/JSONL/CSV, explain."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.events.gdelt import GDELT_COLUMNS
from shared_data import SAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "samples.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(path), "--published", "2024-06-01"])
    assert result.exit_code == 0, result.output
    return path


def test_gdelt_export_has_the_61_columns_and_the_groups_counts(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--format", "gdelt", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    with duckdb.connect(str(db), read_only=True) as con:
        groups = con.execute("SELECT count(*), sum(num_mentions) FROM event_groups").fetchone()
    assert groups is not None
    assert len(rows) == groups[0] > 0
    assert {len(row) for row in rows} == {len(GDELT_COLUMNS)}
    column = {name: index for index, name in enumerate(GDELT_COLUMNS)}
    assert sum(int(row[column["NumMentions"]]) for row in rows) == groups[1]
    for row in rows:
        assert row[column["GlobalEventID"]].isdigit()
        assert row[column["EventRootCode"]] == row[column["EventCode"]][:2]
        assert row[column["QuadClass"]] in {"1", "2", "3", "4"}
        # Every row has its SQLDATE: the event's own day, else its article's publication day.
        assert len(row[column["Day"]]) == 8 and row[column["Day"]].isdigit()
    with duckdb.connect(str(db), read_only=True) as con:
        undated = con.execute(
            "SELECT count(*) FROM event_groups WHERE length(coalesce(date, '')) <> 10"
        ).fetchone()
    assert undated is not None and undated[0] > 0, "the samples have events without a day of their own"


def test_gdelt_export_with_a_header_and_filters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--format", "gdelt", "--header", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert len(frame) == len(lines) - 1 and (frame["Day"].str.len() == 8).all()
    some = frame["Actor1Code"][frame["Actor1Code"] != ""].iloc[0]
    filtered = tmp_path / "some.tsv"
    args = [
        "export",
        "--format",
        "gdelt",
        "--header",
        "--actor",
        some,
        "--side",
        "source",
        "-o",
        str(filtered),
    ]
    assert runner.invoke(app, [*args, "--db", str(db)]).exit_code == 0
    chosen = pd.read_csv(filtered, sep="\t", dtype=str, keep_default_na=False)
    assert 0 < len(chosen) <= len(frame)
    assert chosen["Actor1Code"].str.startswith(some).any()


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_event_export_is_flat_typed_and_filtered(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    frame = {
        "parquet": lambda: pd.read_parquet(out),
        "csv": lambda: pd.read_csv(out, parse_dates=["date", "published"], dtype={"cameo": str}),
        "jsonl": lambda: pd.read_json(out, lines=True, dtype={"cameo": str}),
    }[fmt]()
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM events").fetchone()
    assert stored is not None and len(frame) == stored[0] > 0
    assert pd.api.types.is_datetime64_any_dtype(frame["date"]) and frame["date"].notna().all()
    assert set(frame["date_granularity"]) <= {"day", "month", "year", "decade"}
    for name in frame.columns:
        assert not frame[name].map(lambda value: isinstance(value, (dict, list))).any(), name
    wanted = {"source_actor", "source_country", "target_sector", "cameo", "quad_class", "goldstein",
              "place_name", "lat", "lon", "sentence", "article_id", "url", "publisher"}  # fmt: skip
    assert wanted <= set(frame.columns)
    assert all(
        trigger in sentence for trigger, sentence in zip(frame["trigger"], frame["sentence"], strict=True)
    )
    code = frame["cameo"].iloc[0][:2]
    some = tmp_path / f"some.{fmt}"
    args = ["export", "--format", fmt, "--code", code, "--since", "2000", "-o", str(some), "--db", str(db)]
    assert runner.invoke(app, args).exit_code == 0
    reader = {"parquet": "read_parquet", "jsonl": "read_json", "csv": "read_csv"}[fmt]
    with duckdb.connect() as con:
        chosen = con.execute(
            f"SELECT count(*), bool_and(cameo::VARCHAR LIKE ?) FROM {reader}(?)", [f"{code}%", str(some)]
        ).fetchone()
    assert chosen is not None and 0 < chosen[0] <= len(frame) and chosen[1]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_any_table_exports_with_all_its_rows(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"quotes.{fmt}"
    result = runner.invoke(
        app, ["export", "--format", fmt, "--table", "quotes", "-o", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    reader = {"parquet": "read_parquet", "jsonl": "read_json", "csv": "read_csv"}[fmt]
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM quotes").fetchone()
        exported = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(out)]).fetchone()
    assert stored == exported and stored is not None and stored[0] > 0


def test_jsonl_export_of_articles_leaves_out_the_store_internals(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    assert (
        runner.invoke(
            app, ["export", "--format", "jsonl", "--table", "articles", "-o", str(out), "--db", str(db)]
        ).exit_code
        == 0
    )
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert "minhash" not in first and {"article_id", "text", "title", "published"} <= set(first)


def test_unknown_table_or_format_is_a_usage_error(db: Path) -> None:
    assert runner.invoke(app, ["export", "--format", "xml", "--db", str(db)]).exit_code == 2
    assert (
        runner.invoke(app, ["export", "--format", "csv", "--table", "secrets", "--db", str(db)]).exit_code
        == 2
    )


def test_explain_marks_the_trigger_and_names_the_rule(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        event_id, trigger, rule = con.execute(
            "SELECT id, trigger.text, rule FROM events ORDER BY id LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    result = runner.invoke(app, ["explain", event_id[:10], "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"[TRIGGER:{trigger}]" in " ".join(result.output.split())
    # The stored path is "model:TYPE=p,...>rule|more": the rule that fired is named in the output.
    assert rule.split(">")[-1].split("|")[0].split(",")[0] in result.output
    assert runner.invoke(app, ["explain", "ffffffffffff", "--db", str(db)]).exit_code == 1
