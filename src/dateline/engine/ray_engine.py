"""Ingest on Ray: read and clean in tasks, analyse in actors, write Parquet parts for `dateline load`.

    input files -> read + clean (a task per file) -> analyse (N actors, one model each) -> Parquet

A file is read and cleaned by one task, with one boilerplate memory for the file, so a run's
records do not depend on how Ray schedules it; the stages run exactly as in local ingest. What
needs every earlier article in view (new, repeat, syndicated copy, near-duplicate) is decided by
`dateline load` (:mod:`dateline.engine.load`), in local ingest's order, so that ingest on Ray and
then load stores what local ingest stores. One difference: locally the boilerplate memory spans
the whole run; here it spans one file, so a site's furniture is learnt from the articles of that
file (a CC-NEWS WARC file holds thousands).

Ray is an optional dependency (``pip install 'dateline[ray]'``); only this module imports it.
On a cluster every node needs dateline installed, and the input paths and the parts directory
must be visible to every node at the same path (a shared file system).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePath
from typing import Any

import pyarrow as pa
import ray
import ray.data

from dateline.clean import BoilerplateMemory
from dateline.engine.load import PART_COLUMNS
from dateline.ingest import IngestError, IngestOptions, read_sources
from dateline.ingest.detect import format_from_name, inner_name
from dateline.pipeline import PARSE_BATCH, Pipeline, clean_article
from dateline.record import RawDoc, article_id, record_from_dict
from dateline.store.dedup import signature

PART_SCHEMA = pa.schema(
    [
        ("run", pa.string()),
        ("file", pa.int64()),
        ("item", pa.int64()),
        ("name", pa.string()),
        ("url", pa.string()),
        ("record", pa.large_string()),
        ("raw", pa.large_string()),
        ("problem", pa.string()),
        ("repeat", pa.bool_()),
        ("failure", pa.string()),
        ("minhash", pa.list_(pa.uint64())),
    ]
)
assert tuple(PART_SCHEMA.names) == PART_COLUMNS

# Rows a reader hands on at a time, and records an actor analyses at a time (nlp.pipe batches).
READ_BATCH = 64
ANALYSE_BATCH = 2 * PARSE_BATCH
# Logical CPUs a reading task asks for; analysis actors share the rest of the cluster.
READ_CPUS = 0.25
# Without a number of workers, this share of the cluster's CPUs analyses and the rest reads and
# cleans: reading and cleaning an HTML page costs a fraction of parsing and analysing it.
ANALYSIS_SHARE = 0.85
# One block per input file lets files be read in parallel; past this, files share blocks.
MAX_READ_BLOCKS = 2000


@dataclass(frozen=True)
class InputFile:
    """One file to read, by the name local ingest gives it and the absolute path workers open."""

    name: str
    path: str
    error: str | None = None


def input_files(paths: Sequence[str | Path], fmt: str = "auto") -> Iterator[InputFile]:
    """The files `read_sources` would read, in its order, with its directory rules.

    Directories are listed here, once, so that the files can be read in parallel: sorted, hidden
    entries skipped, with ``fmt="auto"`` only names that announce a format we read (or have no
    suffix), linked directories followed once each. A directory that cannot be listed is an
    entry with an error, as read_sources reports it.
    """
    for path in paths:
        if str(path) == "-":
            raise ValueError("the Ray engine cannot read stdin: give files or directories")
        if os.path.isdir(path):
            yield from _directory_files(Path(path), fmt, set())
        else:
            # Named as read_sources names it: the path as a Path ("./a.txt" is "a.txt").
            yield InputFile(str(Path(path)), os.path.abspath(path))


def _directory_files(directory: Path, fmt: str, seen: set[str]) -> Iterator[InputFile]:
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        yield InputFile(str(directory), "", f"cannot list directory: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            yield from _directory_files(path, fmt, seen)
        elif fmt != "auto" or format_from_name(entry.name) or not PurePath(inner_name(entry.name)).suffix:
            yield InputFile(str(path), os.path.abspath(path))


def _options_dict(options: IngestOptions) -> dict[str, Any]:
    """Ingest options as plain values (their field mapping is a read-only proxy, which cannot be pickled)."""
    return {
        "published": options.published,
        "publisher": options.publisher,
        "fields": dict(options.fields),
        "max_chars": options.max_chars,
    }


def _renamed(item: RawDoc | IngestError, path: str, name: str) -> RawDoc | IngestError:
    """An item read from the absolute path, named as local ingest names it (by the path as given)."""
    if path == name or not item.name.startswith(path):
        return item
    return replace(item, name=name + item.name[len(path) :])


def _row(run: str, file: int, item: int, name: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(PART_COLUMNS)
    row.update(run=run, file=file, item=item, name=name, repeat=False)
    row.update(values)
    return row


def _file_rows(
    run: str, file: int, source: InputFile, fmt: str, options: IngestOptions
) -> Iterator[dict[str, Any]]:
    """Each item of one file, read and cleaned as local ingest does, as a part row."""
    if source.error:
        yield _row(run, file, 0, source.name, problem=source.error)
        return
    memory = BoilerplateMemory()
    seen: set[str] = set()
    items = read_sources([source.path], fmt=fmt, options=options)
    for index, read in enumerate(items):
        item = _renamed(read, source.path, source.name)
        if isinstance(item, IngestError):
            yield _row(run, file, index, item.name, problem=item.reason)
            continue
        text_id = article_id(item.text)
        repeat = text_id in seen
        seen.add(text_id)
        try:
            record = clean_article(
                item,
                published=item.published or options.published,
                publisher=item.publisher or options.publisher,
                boilerplate=memory,
            )
        except Exception as error:  # a bad article is reported and skipped, the run goes on
            problem = f"could not be cleaned: {type(error).__name__}: {error}"
            yield _row(run, file, index, item.name, url=item.url, raw=item.text, problem=problem)
            continue
        record_json = json.dumps(record.to_dict(), ensure_ascii=False)
        yield _row(run, file, index, item.name, url=item.url, record=record_json, repeat=repeat)


def read_and_clean(files: pa.Table, run: str, fmt: str, options: dict[str, Any]) -> Iterator[pa.Table]:
    """Ray Data reader: a batch of input files to batches of part rows (records cleaned, not analysed)."""
    ingest_options = IngestOptions(**options)
    rows: list[dict[str, Any]] = []
    for entry in files.to_pylist():
        source = InputFile(entry["name"], entry["path"], entry["error"])
        for row in _file_rows(run, entry["file"], source, fmt, ingest_options):
            rows.append(row)
            if len(rows) >= READ_BATCH:
                yield pa.Table.from_pylist(rows, schema=PART_SCHEMA)
                rows = []
    if rows:
        yield pa.Table.from_pylist(rows, schema=PART_SCHEMA)


class AnalyseParts:
    """Ray Data actor: the analysis stages over cleaned part rows, with the model loaded once."""

    def __init__(self, actor_files: Sequence[str] = ()) -> None:
        self.pipeline = Pipeline.with_dictionaries(actor_files)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        todo = [row for row in rows if row["record"] is not None and not row["repeat"]]
        records = [record_from_dict(json.loads(row["record"])) for row in todo]
        analysed = list(self.pipeline.analyse_many(records))
        failures = dict(self.pipeline.failures)
        self.pipeline.failures.clear()
        for row, record in zip(todo, analysed, strict=True):
            row["record"] = json.dumps(record.to_dict(), ensure_ascii=False)
            row["failure"] = failures.get(record.id)
            row["minhash"] = signature(record.text) if record.text.strip() else None
        return pa.Table.from_pylist(rows, schema=PART_SCHEMA)


@dataclass
class RayRun:
    """What one ingest on Ray wrote."""

    run: str
    parts: Path
    files: int


def new_run_id() -> str:
    """Sortable by start time, so that `dateline load` over several runs keeps their order."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


def _analysis_cpus(workers: int) -> float:
    """Logical CPUs per analysis actor: one, unless readers would otherwise find none left."""
    cluster = float(ray.cluster_resources().get("CPU", 1.0))
    return max(0.1, min(1.0, (cluster - READ_CPUS) / workers))


def ingest_to_parts(
    paths: Sequence[str | Path],
    parts: Path,
    *,
    options: IngestOptions | None = None,
    fmt: str = "auto",
    workers: int | None = None,
    actor_files: Sequence[str | Path] = (),
    address: str | None = None,
) -> RayRun:
    """Read, clean and analyse the inputs on Ray; write Parquet parts under ``parts/<run id>/``.

    Connects to the cluster at ``address`` (``auto``, ``ray://host:10001``), or uses the Ray
    already started in this process, or starts a local one. ``workers`` is the number of analysis
    actors (each loads the model once); by default one per CPU of the cluster, less a share left
    for reading and cleaning.
    """
    files = list(input_files(paths, fmt))
    run = new_run_id()
    target = parts / run
    if not files:
        return RayRun(run=run, parts=target, files=0)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False)
    try:
        actors = workers or max(1, round(ANALYSIS_SHARE * ray.cluster_resources().get("CPU", 1.0)))
        inputs = ray.data.from_items(
            [{"file": i, "name": f.name, "path": f.path, "error": f.error} for i, f in enumerate(files)],
            override_num_blocks=max(1, min(len(files), MAX_READ_BLOCKS)),
        )
        reader = partial(read_and_clean, run=run, fmt=fmt, options=_options_dict(options or IngestOptions()))
        rows = inputs.map_batches(reader, batch_size=1, batch_format="pyarrow", num_cpus=READ_CPUS)
        analysed = rows.map_batches(
            AnalyseParts,
            batch_size=ANALYSE_BATCH,
            batch_format="pyarrow",
            fn_constructor_kwargs={"actor_files": [os.path.abspath(p) for p in actor_files]},
            concurrency=actors,
            num_cpus=_analysis_cpus(actors),
        )
        analysed.write_parquet(str(target))
    finally:
        if started_here:
            ray.shutdown()
    return RayRun(run=run, parts=target, files=len(files))
