"""One database file, one writing process: how `dateline ingest` and `watch` write beside `serve`.

DuckDB lets one process open a file for writing, and then no other process may open it at all.
So the process that holds the file does every write:

- ``dateline serve`` holds the file for as long as it runs (readers and its one writer share one
  connection, under DuckDB's MVCC), and writes a *sidecar* beside it, ``DB.server.json``, with its
  URL, process id and a secret token (the file is readable by its owner only).
- An ingest looks for that sidecar. When a live server answers there, the ingest analyses its
  articles itself (spaCy runs in the ingest's processes, never in the server's) and sends each
  batch of finished records to the server's loopback-only writer endpoints (:class:`RemoteStore`);
  the server writes the batch in one transaction, and its next request sees it.
- With no server, the ingest opens the file itself and lets go of it between batches. If the
  file is held by another process that is not a dateline server (another ingest), the ingest
  says so and waits, trying again, up to a time limit; then it stops with a message, not a
  traceback (:class:`DatabaseLocked`).

A server that starts while an ingest holds the file answers 503 with Retry-After until it gets
the file (between two of the ingest's batches); the ingest then finds the server and sends the
rest of its batches there.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import httpx

from dateline.record import Record
from dateline.store.admission import NEW, REPEAT, Admitted
from dateline.store.database import Store, StoredArticle, open_store
from dateline.store.faults import DatabaseFault, Fault, classify

SIDECAR_SUFFIX = ".server.json"
TOKEN_HEADER = "X-Dateline-Token"
WRITER_PREFIX = "/_writer"
# How long an ingest waits for a file held by a process that is not a dateline server.
DEFAULT_WAIT = 600.0
# A batch of 64 long articles can take a while to write on a busy machine: no time limit on the
# write itself, but the server is pinged this often meanwhile, and given up after this many
# pings unanswered (a stopped or hung server is found in seconds, not minutes).
PING_EVERY = 3.0
PINGS_MISSED = 2
PING_TIMEOUT = 2.0
# The other writer calls are small; a server that takes longer than this is not answering.
CALL_TIMEOUT = 60.0
# How long an ingest keeps trying a server that holds the file but does not answer.
SILENT_SERVER_LIMIT = 10.0


class DatabaseLocked(DatabaseFault):
    """The database file is held by another process, and no dateline server there takes writes."""


class ServerRefused(Exception):
    """The dateline server holding the database answered a writer call with an error."""


class WritableStore(Protocol):
    """What an ingest needs of the place it writes to: a :class:`Store`, or a server holding one."""

    def ids(self) -> set[str]: ...
    def stored(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]: ...
    def minhashes(self) -> Iterator[tuple[str, list[int]]]: ...
    def has_url(self, url: str) -> bool: ...
    def admit(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> Admitted: ...
    def release(self) -> None: ...
    def close(self) -> None: ...


# -- the sidecar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerInfo:
    """Where the server holding a database takes writes."""

    url: str
    pid: int
    token: str
    db: str


def sidecar_path(db: str | Path) -> Path:
    path = Path(db)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def write_sidecar(db: str | Path, info: ServerInfo) -> Path:
    """Write the sidecar atomically, readable by its owner only (it holds the write token)."""
    target = sidecar_path(db)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(asdict(info), handle)
    os.replace(temporary, target)
    return target


def remove_sidecar(db: str | Path, token: str) -> None:
    """Remove the sidecar if it is still this server's (a newer server may have replaced it)."""
    info = read_sidecar(db)
    if info is not None and info.token == token:
        sidecar_path(db).unlink(missing_ok=True)


def read_sidecar(db: str | Path) -> ServerInfo | None:
    try:
        data = json.loads(sidecar_path(db).read_text(encoding="utf-8"))
        return ServerInfo(str(data["url"]), int(data["pid"]), str(data["token"]), str(data["db"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def find_server(db: str | Path, timeout: float = 5.0) -> ServerInfo | None:
    """The live dateline server that holds ``db`` and takes writes, or None.

    A sidecar left behind by a killed server names a dead process, or one that does not answer.
    """
    info = read_sidecar(db)
    if info is None or not _alive(info.pid):
        return None
    try:
        response = httpx.get(
            f"{info.url}{WRITER_PREFIX}/ping", headers={TOKEN_HEADER: info.token}, timeout=timeout
        )
    except httpx.HTTPError:
        return None
    return info if response.status_code == 200 else None


# -- writing through the server -----------------------------------------------------------------


class RemoteStore:
    """The store of a running dateline server, written through its loopback writer endpoints.

    ``on_note`` hears progress while the server writes a batch (a line for the user).
    """

    transient = False

    def __init__(self, server: ServerInfo, on_note: Callable[[str], None] | None = None):
        self.server = server
        self.path = server.db
        self.on_note = on_note or (lambda _message: None)
        self._client = httpx.Client(
            base_url=server.url + WRITER_PREFIX,
            headers={TOKEN_HEADER: server.token},
            timeout=httpx.Timeout(CALL_TIMEOUT, connect=10.0),
        )

    def _answer(self, path: str, response: httpx.Response) -> Any:
        if response.status_code != 200:
            detail: Any = None
            with suppress(ValueError):
                detail = response.json()
            if isinstance(detail, dict) and detail.get("fault") in Fault.__members__:
                # The server met a fault of the file (a full disk): the same cause, the same status.
                raise DatabaseFault(Fault[detail["fault"]], self.path, str(detail.get("reason", "")))
            raise ServerRefused(
                f"the dateline server at {self.server.url} refused {path}: "
                f"{response.status_code} {response.text[:300]}"
            )
        return response.json()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        return self._answer(path, self._client.request(method, path, json=body))

    def ping(self) -> bool:
        try:
            response = httpx.get(
                f"{self.server.url}{WRITER_PREFIX}/ping",
                headers={TOKEN_HEADER: self.server.token},
                timeout=PING_TIMEOUT,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def _watched_call(self, method: str, path: str, body: Any) -> Any:
        """A call that may take long (a batch write), with the server pinged while it runs."""
        outcome: list[Any] = []

        def call() -> None:
            try:
                outcome.append(
                    self._client.request(method, path, json=body, timeout=httpx.Timeout(None, connect=10.0))
                )
            except BaseException as error:  # handed to the waiting thread, which raises it
                outcome.append(error)

        # A daemon thread: a server that never answers must not keep the ingest from exiting.
        worker = threading.Thread(target=call, name="dateline-write", daemon=True)
        started = time.monotonic()
        worker.start()
        missed = 0
        while True:
            worker.join(PING_EVERY)
            if outcome:
                break
            waited = time.monotonic() - started
            if self.ping():
                missed = 0
                self.on_note(f"the server at {self.server.url} is still writing a batch ({waited:.0f} s)")
                continue
            missed += 1
            if missed >= PINGS_MISSED:
                raise DatabaseFault(
                    Fault.SERVER_FAILED,
                    self.path,
                    f"the dateline server at {self.server.url} (pid {self.server.pid}) stopped answering "
                    f"while writing a batch (no answer for {waited:.0f} s)",
                )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return self._answer(path, result)

    def ids(self) -> set[str]:
        return set(self._call("GET", "/ids"))

    def stored(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]:
        ids = list(article_ids)
        if not ids:
            return {}
        rows = self._call("POST", "/stored", ids)
        return {row["id"]: StoredArticle(**row) for row in rows}

    def minhashes(self) -> Iterator[tuple[str, list[int]]]:
        for article, values in self._call("GET", "/minhashes"):
            yield str(article), list(values)

    def has_url(self, url: str) -> bool:
        return bool(self._call("POST", "/has_url", {"url": url}))

    def admit(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> Admitted:
        if not records:
            return Admitted()
        answer = self._watched_call(
            "POST",
            "/write",
            {"records": [record.to_dict() for record in records], "minhashes": minhashes or {}},
        )
        return Admitted.from_dict(answer)

    def release(self) -> None:
        pass

    def close(self) -> None:
        self._client.close()


# -- the store an ingest writes to --------------------------------------------------------------


def _is_lock_conflict(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()


class SharedStore:
    """The database file for an ingest: itself while nobody else holds it, else its server's.

    ``on_note`` hears why the ingest waits, or where it now writes (a line for the user).
    """

    transient = True

    def __init__(
        self,
        path: str | Path,
        *,
        wait: float = DEFAULT_WAIT,
        on_note: Callable[[str], None] | None = None,
    ):
        self.path = str(path)
        self.wait = wait
        self.on_note = on_note or (lambda _message: None)
        self._local: Store | None = None
        self._remote: RemoteStore | None = None
        self._target()

    @property
    def remote(self) -> RemoteStore | None:
        return self._remote

    def _target(self) -> Store | RemoteStore:
        if self._remote is not None:
            return self._remote
        if self._local is not None and self._local._connection is not None:
            return self._local
        deadline = time.monotonic() + self.wait
        silent_since: float | None = None
        pause = 0.1
        told = False
        while True:
            server = find_server(self.path)
            if server is not None:
                self._use_server(server)
                assert self._remote is not None
                return self._remote
            silent = read_sidecar(self.path)
            if silent is not None and _alive(silent.pid):
                # A live server that does not answer its ping: stopped, hung or swamped.
                silent_since = silent_since or time.monotonic()
                waited = time.monotonic() - silent_since
                if waited >= SILENT_SERVER_LIMIT:
                    raise DatabaseFault(
                        Fault.SERVER_FAILED,
                        self.path,
                        f"the dateline server at {silent.url} (pid {silent.pid}) holds it but does not "
                        f"answer (for {waited:.0f} s): stopped or hung; restart it",
                    )
                if not told:
                    self.on_note(
                        f"{self.path} is held by the dateline server at {silent.url} (pid {silent.pid}), "
                        f"which does not answer; trying for {SILENT_SERVER_LIMIT:g} s"
                    )
                    told = True
                time.sleep(0.5)
                continue
            try:
                if self._local is None:
                    self._local = open_store(self.path, transient=True, retries=1)
                else:
                    self._local.connection  # noqa: B018 - opens the file again
                if told:
                    self.on_note(f"{self.path}: the other process let go of the file; writing")
                return self._local
            except (duckdb.IOException, duckdb.ConnectionException, DatabaseFault) as error:
                fault = error if isinstance(error, DatabaseFault) else classify(error, self.path)
                if fault is None:
                    raise
                if fault.fault is not Fault.HELD:
                    raise fault from None
                if time.monotonic() >= deadline:
                    raise DatabaseLocked(
                        Fault.HELD,
                        self.path,
                        f"another process holds it and no dateline server there takes writes; gave up "
                        f"after {self.wait:g} s (--wait) ({fault.reason})",
                    ) from None
                if not told:
                    self.on_note(
                        f"{self.path} is held by another process that is not a dateline server "
                        f"(another ingest?); waiting up to {self.wait:g} s for it ({fault.reason})"
                    )
                    told = True
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _use_server(self, server: ServerInfo) -> None:
        if self._local is not None:
            self._local.close()
            self._local = None
        self._remote = RemoteStore(server, on_note=self.on_note)
        self.on_note(
            f"{self.path} is held by the dateline server at {server.url} (pid {server.pid}); "
            "sending the articles there to be written"
        )

    def ids(self) -> set[str]:
        return self._target().ids()

    def stored(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]:
        return self._target().stored(article_ids)

    def minhashes(self) -> Iterator[tuple[str, list[int]]]:
        return self._target().minhashes()

    def has_url(self, url: str) -> bool:
        return self._target().has_url(url)

    def admit(self, records: Sequence[Record], minhashes: dict[str, list[int]] | None = None) -> Admitted:
        # A batch written twice is stored once (the second time its articles are repeats), so a
        # batch whose server went away is sent wherever the file is held now. An article the
        # retry finds stored under the very id this run sent was stored by the attempt whose
        # answer was lost: it counts as this run's.
        sent = [record.id for record in records]
        for attempt in range(3):
            target = self._target()
            try:
                admitted = target.admit(records, minhashes)
                if attempt:
                    admitted.outcomes = [
                        (NEW if kind == REPEAT and article == mine else kind, article)
                        for (kind, article), mine in zip(admitted.outcomes, sent, strict=True)
                    ]
                return admitted
            except (httpx.HTTPError, ServerRefused) as error:
                if target is not self._remote or attempt == 2:
                    raise DatabaseFault(
                        Fault.SERVER_FAILED, self.path, f"the batch could not be written: {error}"
                    ) from None
                self.on_note(
                    f"the server at {target.server.url} did not take a batch ({error}); trying again"
                )
                target.close()
                self._remote = None
                time.sleep(1.0)
        raise AssertionError("unreachable")

    def release(self) -> None:
        if self._local is not None:
            self._local.release()

    def close(self, *, checkpoint: bool = True) -> None:
        if self._remote is not None:
            self._remote.close()
        if self._local is not None:
            self._local.close(checkpoint=checkpoint)

    def __enter__(self) -> SharedStore:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(checkpoint=exc_type is None)


__all__ = [
    "DatabaseLocked",
    "RemoteStore",
    "ServerInfo",
    "ServerRefused",
    "SharedStore",
    "WritableStore",
    "find_server",
    "read_sidecar",
    "remove_sidecar",
    "sidecar_path",
    "write_sidecar",
]
