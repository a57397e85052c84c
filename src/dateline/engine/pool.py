"""Analysis in a pool of worker processes, each with its own model, results in input order.

Only records cross the process boundary, never spaCy docs, so no tensors are pickled. Ingest,
admission, cleaning and the single DuckDB writer stay in the parent process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path

from dateline.pipeline import Pipeline
from dateline.record import Record

# Records sent to a worker at a time: large enough for nlp.pipe to batch, small enough to stream.
CHUNK = 16

_worker_pipeline: Pipeline | None = None


def _start_worker(actor_files: Sequence[str]) -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline.with_dictionaries(actor_files)


def _analyse_chunk(records: list[Record]) -> tuple[list[Record], list[tuple[str, str]]]:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    analysed = list(_worker_pipeline.analyse_many(records))
    failures = list(_worker_pipeline.failures)
    _worker_pipeline.failures.clear()
    return analysed, failures


def _chunks(records: Iterable[Record]) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


class PoolAnalyser:
    """The analysis half of :class:`~dateline.pipeline.Pipeline`, spread over worker processes."""

    def __init__(self, workers: int, actor_files: Sequence[str | Path] = ()):
        # spawn, not fork: the parent holds a DuckDB connection and threads that must not be copied.
        context = multiprocessing.get_context("spawn")
        self.pool = context.Pool(
            workers, initializer=_start_worker, initargs=([str(p) for p in actor_files],)
        )
        self.workers = workers
        self.failures: list[tuple[str, str]] = []

    def analyse_many(self, records: Iterable[Record]) -> Iterator[Record]:
        """Analysed records in input order, so the store ends up as with one process.

        At most two chunks per worker are in flight: Pool.imap would drain the input in a thread
        of its own, which reads the whole corpus into memory and runs cleaning (and the store
        look-ups it makes) off the main thread.
        """
        in_flight: deque[AsyncResult[tuple[list[Record], list[tuple[str, str]]]]] = deque()
        for chunk in _chunks(records):
            in_flight.append(self.pool.apply_async(_analyse_chunk, (chunk,)))
            if len(in_flight) >= 2 * self.workers:
                yield from self._collect(in_flight.popleft())
        while in_flight:
            yield from self._collect(in_flight.popleft())

    def _collect(self, result: AsyncResult[tuple[list[Record], list[tuple[str, str]]]]) -> list[Record]:
        analysed, failures = result.get()
        self.failures.extend(failures)
        return analysed

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
