"""Read-only access to the database for the server, sharing the file with a writing process.

DuckDB lets one process open a file for writing, and then no other process may open it at all,
not even read-only ("Conflicting lock is held"); while any process has it open read-only, no
process may open it for writing. Measured with DuckDB 2.0.

So the server never keeps the file for long: requests share one read-only connection (opening
one costs tens of milliseconds, more than most queries), which is closed as soon as no request
has used it for :data:`IDLE_CLOSE` seconds, and at the latest :data:`MAX_AGE` seconds after it
was opened, with a pause of :data:`WRITER_GAP` before the next opening, in which a writer waiting
for the file gets it. When a writer holds the file, opening is retried with back-off for a few
seconds; after that the request fails with :class:`DatabaseBusy` (the API answers 503 with
Retry-After). A writer that holds the file only while it writes a batch (short transactions,
the file closed between batches) therefore leaves the server answering throughout an ingest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from dateline.store import Store

IDLE_CLOSE = 0.25
MAX_AGE = 1.0
WRITER_GAP = 0.5
# Back-off between tries: 0.05 s, 0.1 s, 0.2 s, ... about three seconds in all.
OPEN_TRIES = 7
FIRST_WAIT = 0.05


class DatabaseBusy(Exception):
    """Another process holds the database file (a running ingest)."""


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    wait = FIRST_WAIT
    for attempt in range(OPEN_TRIES):
        try:
            return duckdb.connect(str(path), read_only=True)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if attempt == OPEN_TRIES - 1:
                raise DatabaseBusy(f"{path}: {error}") from None
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


class SharedReader:
    """One read-only connection shared by the requests of the moment, let go when they end."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._condition = threading.Condition()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._opened_at = 0.0
        self._closed_at = 0.0
        self._in_flight = 0
        self._last_used = 0.0
        self._timer: threading.Timer | None = None

    @contextmanager
    def store(self) -> Iterator[Store]:
        cursor = self._acquire()
        try:
            yield Store.from_connection(cursor, self.path)
        finally:
            cursor.close()
            self._release()

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._condition:
            # An old connection takes no new requests; it closes when its own have ended.
            while self._connection is not None and self._expired() and self._in_flight:
                self._condition.wait(timeout=0.05)
            if self._connection is not None and self._expired():
                self._close()
            if self._connection is None:
                pause = WRITER_GAP - (time.monotonic() - self._closed_at)
                if self._closed_at and pause > 0:
                    time.sleep(pause)
                self._connection = _open_read_only(self.path)
                self._opened_at = time.monotonic()
            self._in_flight += 1
            return self._connection.cursor()

    def _release(self) -> None:
        with self._condition:
            self._in_flight -= 1
            self._last_used = time.monotonic()
            if not self._in_flight:
                self._schedule_close()
            self._condition.notify_all()

    def _expired(self) -> bool:
        return time.monotonic() - self._opened_at > MAX_AGE

    def _schedule_close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(IDLE_CLOSE, self._close_if_idle)
        self._timer.daemon = False  # a daemon closing DuckDB during interpreter exit aborts it
        self._timer.start()

    def _close_if_idle(self) -> None:
        with self._condition:
            if self._connection is not None and not self._in_flight:
                self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._closed_at = time.monotonic()

    def close(self) -> None:
        with self._condition:
            if self._timer is not None:
                self._timer.cancel()
            self._close()

    @property
    def is_open(self) -> bool:
        return self._connection is not None
