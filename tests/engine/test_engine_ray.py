"""Ingest on a local Ray, then `dateline load`: the store ends up as after local ingest."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from dateline.cli import app as dateline_app
from dateline.engine.local import IngestRun
from dateline.ingest import IngestError, read_sources
from dateline.store import open_store

if os.environ.get("CI") == "true":
    import ray  # CI installs the ray extra: its absence there is a failure, not a skip
else:
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'dateline[ray]'")

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
TABLES = ("articles", "entities", "mentions", "events", "quotes", "quantities")

CITIES = ["Lusaka", "Tbilisi", "Quito", "Hanoi", "Accra", "Riga"]
GOODS = ["maize", "copper", "cement", "fuel"]


def write_corpus(folder: Path) -> None:
    """Wire stories in text files and a JSONL feed: a syndicated copy, a non-English item, a bad line."""
    folder.mkdir(parents=True)
    stories = []
    for n in range(12):
        city, good = CITIES[n % len(CITIES)], GOODS[n % len(GOODS)]
        stories.append(
            f"{city} port reopens for {good} shipments\n\n"
            f"{city.upper()} (Coastline News) — Officials in {city} reopened the port to {good} shipments "
            f'on Monday after a {n + 2}-day strike, the transport minister said. "Trade must move," the '
            f"minister told reporters. Police detained {n + 4} protesters near the docks, and the government "
            f"promised {n + 20} million dollars in repairs.\n"
        )
    for n, story in enumerate(stories[:8]):
        (folder / f"port-{n:02d}.txt").write_text(story, encoding="utf-8")
    (folder / "copy-of-port-03.txt").write_text(stories[3], encoding="utf-8")
    lines = [{"text": story, "url": f"https://wire.example/{n}"} for n, story in enumerate(stories[8:])]
    lines.insert(2, {"text": stories[9], "url": "https://mirror.example/9"})
    lines.append(
        {
            "text": "Le gouvernement a annoncé lundi la réouverture du port après une grève de dix jours, "
            "a déclaré le ministre des transports devant les journalistes.",
            "url": "https://presse.example/1",
        }
    )
    feed = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n{not json\n"
    (folder / "feed.jsonl").write_text(feed, encoding="utf-8")


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT * {'EXCLUDE (stored_at)' if table == 'articles' else ''} FROM {table} ORDER BY ALL"
            ).fetchall()
            for table in TABLES
        }


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    return dateline_app


def test_inputs_are_listed_in_the_order_and_by_the_names_local_ingest_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dateline.engine.ray_engine import input_files

    write_corpus(tmp_path / "in")
    (tmp_path / "in" / "notes.md").write_text("not an input", encoding="utf-8")
    (tmp_path / "in" / ".hidden.txt").write_text("hidden", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    inputs = ["./in", "./in/feed.jsonl", "missing.txt", str(SAMPLES)]
    listed = [entry.name for entry in input_files(inputs)]
    read = [item.name for item in read_sources(inputs)]
    # An item of a file is named after it (file:line, file#url): one run of items per file read.
    files_read = [
        name for name, _ in groupby(name.split(":")[0].split("#")[0].split("@")[0] for name in read)
    ]
    assert listed == files_read
    assert listed[:2] == ["in/copy-of-port-03.txt", "in/feed.jsonl"] and "missing.txt" in listed
    assert not any(name.endswith((".md", ".py", ".hidden.txt")) for name in listed)


def test_ray_ingest_and_load_store_what_local_ingest_stores(
    tmp_path: Path, local_ray: None, cli: typer.Typer
) -> None:
    write_corpus(tmp_path / "in")
    inputs = [str(tmp_path / "in"), str(SAMPLES)]
    with open_store(tmp_path / "local.duckdb") as store:
        local = IngestRun(store=store).run(inputs)
    assert local.duplicates >= 2 and local.not_english >= 1 and local.skipped

    runner = CliRunner()
    db, parts = tmp_path / "ray.duckdb", tmp_path / "parts"
    wrote = runner.invoke(
        cli,
        [
            "ingest",
            *inputs,
            "--engine",
            "ray",
            "--db",
            str(db),
            "--parts",
            str(parts),
            "--parts-only",
            "--workers",
            "2",
        ],
    )
    assert wrote.exit_code == 0, wrote.output
    assert not db.exists(), "--parts-only writes parts and leaves the database alone"
    loaded = runner.invoke(cli, ["load", str(parts), "--db", str(db)])
    # Exit status 1, as for local ingest: the corpus holds an unreadable line.
    assert loaded.exit_code == local.exit_status == 1, loaded.output

    expected, stored = table_rows(tmp_path / "local.duckdb"), table_rows(db)
    assert len(expected["articles"]) >= 25 and expected["events"] and expected["quotes"]
    for table in TABLES:
        assert stored[table] == expected[table], table

    again = runner.invoke(cli, ["load", str(parts), "--db", str(db)])
    assert table_rows(db) == expected, "loading the same parts again stores nothing new"
    assert "already stored" in again.output


def test_ray_ingest_loads_into_the_database_by_default(
    tmp_path: Path, local_ray: None, cli: typer.Typer
) -> None:
    from dateline.engine.ray_engine import input_files

    db = tmp_path / "r.duckdb"
    result = CliRunner().invoke(
        cli, ["ingest", str(SAMPLES / "wire-feed.jsonl"), "--engine", "ray", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.duckdb.parts").is_dir()
    with open_store(db, read_only=True) as store:
        rows = store.query("SELECT id, duplicate_of FROM articles")
    readable = [
        item for item in read_sources([SAMPLES / "wire-feed.jsonl"]) if not isinstance(item, IngestError)
    ]
    assert len(rows) == len(readable) and sum(row["duplicate_of"] is not None for row in rows) == 1
    assert [entry.name for entry in input_files([SAMPLES / "wire-feed.jsonl"])] == [
        str(SAMPLES / "wire-feed.jsonl")
    ]


def test_stdin_is_refused_on_ray(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["ingest", "-", "--engine", "ray"])
    assert result.exit_code == 2
