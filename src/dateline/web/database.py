"""The server's hold on its database file: one connection, a cursor per request, one writer.

The server process owns the file (see :mod:`dateline.store.shared` for why and for how an ingest
in another process writes through it). Within the process DuckDB runs many readers beside one
writer (MVCC): every request reads through a cursor of its own on the shared connection and sees
the last committed state, also while a batch is being written; nothing serialises the readers.

Writes (batches of finished records sent by an ingest) go through one writer, one transaction a
batch. Each commit moves :attr:`ServedDatabase.version` on, and values worth remembering (row
counts for pagination, statistics, the actor table) are cached under the version they were
computed at, so they are computed once per commit however many requests ask.

If another process holds the file when the server starts (an ingest writing without a server),
the server keeps trying in the background; until it has the file, requests raise
:class:`DatabaseBusy` (the API answers 503 with Retry-After).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from dateline.record import Record
from dateline.store import Store
from dateline.store.admission import Admitted
from dateline.store.faults import DatabaseFault, Fault, classify

# Values remembered per data version; each is small (a count, a page of aggregates).
CACHE_ENTRIES = 1024
OPEN_RETRY_SECONDS = 0.2


class DatabaseBusy(Exception):
    """Another process holds the database file (an ingest writing without a server)."""


class VersionCache:
    """Values computed from the data, valid until the next commit (a bounded LRU)."""

    def __init__(self, entries: int = CACHE_ENTRIES):
        self.entries = entries
        self.version = 0
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.version += 1
            self._values.clear()

    def peek(self, key: Hashable) -> Any:
        """The value remembered for ``key`` at the current data version, or None."""
        with self._lock:
            return self._values.get((self.version, key))

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                version = self.version
                entry = (version, key)
                if entry in self._values:
                    self._values.move_to_end(entry)
                    return self._values[entry]
                running = self._running.get(entry)
                if running is None:
                    running = self._running[entry] = threading.Event()
                    break
            # Another request computes this value now: 50 clients asking for the first page at
            # once cost one query, not fifty.
            running.wait(timeout=60)
        try:
            value = compute()
            with self._lock:
                if version == self.version:
                    self._values[entry] = value
                    while len(self._values) > self.entries:
                        self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._running.pop(entry, None)
            running.set()


class ServedDatabase:
    """The database file as the server holds it, read by many requests and written by one writer."""

    def __init__(
        self, path: str | Path, on_change: Callable[[], None] | None = None, *, read_only: bool = False
    ):
        """``on_change`` runs (in a thread of its own) once the file is open and after each commit.

        ``read_only`` serves a file without ever writing to it (read-only media, another user's
        database); it then takes no writes.
        """
        self.path = Path(path)
        self.read_only = read_only
        # A fault of the file itself (not a database, damaged): no use trying again.
        self.fault: DatabaseFault | None = None
        self.on_change = on_change
        self.cache = VersionCache()
        self._store: Store | None = None
        self._ready = threading.Event()
        self._closing = threading.Event()
        self._write_lock = threading.Lock()
        self._active_lock = threading.Lock()
        self._active: set[duckdb.DuckDBPyConnection] = set()
        self.busy_reason = "the database is not open yet"
        self._opener: threading.Thread | None = None
        self._warmers: list[threading.Thread] = []
        self._open_lock = threading.Lock()

    @property
    def version(self) -> int:
        return self.cache.version

    @property
    def is_open(self) -> bool:
        return self._ready.is_set()

    def open(self, on_busy: Callable[[str], None] | None = None) -> None:
        """Take the file now, or keep trying in the background while another process holds it."""
        if self._ready.is_set() or self._try_open():
            return
        if on_busy is not None:
            on_busy(self.busy_reason)
        self._opener = threading.Thread(target=self._keep_trying, name="dateline-db-opener", daemon=True)
        self._opener.start()

    def _try_open(self) -> bool:
        with self._open_lock:
            return self._ready.is_set() or self._open_now()

    def _open_now(self) -> bool:
        try:
            store = Store(self.path, retries=1, read_only=self.read_only)
        except (duckdb.Error, OSError) as error:
            fault = classify(error, self.path)
            if fault is None or fault.fault is not Fault.HELD:
                self.fault = fault or DatabaseFault(Fault.DAMAGED, str(self.path), str(error).splitlines()[0])
                self._closing.set()
            self.busy_reason = str(error).splitlines()[0]
            return False
        if self._closing.is_set():
            store.close()
            return False
        self._store = store
        self._ready.set()
        self._changed()
        return True

    def _changed(self) -> None:
        if self.on_change is not None:
            # Not a daemon: a daemon thread still inside a DuckDB query when the interpreter exits
            # aborts the process; close() interrupts its queries, so joining it at exit is quick.
            warmer = threading.Thread(target=self._run_on_change, name="dateline-warm-up", daemon=False)
            self._warmers = [thread for thread in self._warmers if thread.is_alive()] + [warmer]
            warmer.start()

    def _run_on_change(self) -> None:
        assert self.on_change is not None
        with suppress(Exception):  # a warm-up that fails leaves the requests to compute
            self.on_change()

    def _keep_trying(self) -> None:
        while not self._closing.is_set() and not self._try_open():
            self._closing.wait(OPEN_RETRY_SECONDS)

    def wait_open(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self._ready.is_set() and self._opener is None and not self._closing.is_set():
            # An app used without its lifespan (a test client outside ``with``) opens on first use.
            self._try_open()
        if self.fault is not None:
            raise self.fault
        if not self._ready.is_set() or self._closing.is_set() or self._store is None:
            raise DatabaseBusy(f"{self.path}: {self.busy_reason}")
        cursor = self._store.connection.cursor()
        with self._active_lock:
            self._active.add(cursor)
        try:
            yield cursor
        finally:
            with self._active_lock:
                self._active.discard(cursor)
            cursor.close()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store for one request: its own cursor, the shared cache."""
        with self._cursor() as cursor:
            yield Store.from_connection(cursor, self.path, memo=self.cache.get)

    def admit(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> Admitted:
        """Store one batch of new articles in one transaction, admission decided inside it;
        readers see all of it or none, then new counts."""
        if self.read_only:
            raise DatabaseFault(Fault.READ_ONLY, str(self.path), "served read-only: it takes no writes")
        with self._write_lock, self._cursor() as cursor:
            admitted = Store.from_connection(cursor, self.path).admit(records, minhashes)
            self.cache.bump()
        self._changed()
        return admitted

    def interrupt(self) -> None:
        """Cut off the queries still running (at shutdown, once the grace period is over)."""
        with self._active_lock:
            cursors = list(self._active)
        for cursor in cursors:
            with suppress(duckdb.Error):
                cursor.interrupt()

    def close(self) -> None:
        self._closing.set()
        self.interrupt()
        # A warm-up still inside a query keeps the connection busy, and DuckDB refuses to close a
        # busy connection: interrupted, it ends in moments.
        for warmer in list(self._warmers):
            warmer.join(timeout=5)
        with self._write_lock:
            if self._store is not None:
                store, self._store = self._store, None
                for attempt in range(20):
                    try:
                        store.close(checkpoint=False)
                        break
                    except duckdb.Error:
                        if attempt == 19:
                            raise
                        self.interrupt()
                        time.sleep(0.1)
            self._ready.clear()
        if self._opener is not None:
            self._opener.join(timeout=2)
