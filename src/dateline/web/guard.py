"""The server's protection against clients that hold connections or send half a request.

uvicorn closes a keep-alive connection idle after a response, but not one that never sends a
request, nor one that sends half of its headers or body and stops: enough of those use up the
process's file descriptors and lock every other client out. Here:

- a connection must send its request headers within :data:`HEADER_SECONDS` of opening (or of
  its last response), and a request body must keep arriving (no pause over :data:`BODY_SECONDS`);
- at most :func:`connection_limit` connections are open at once; one more is closed at once,
  so that the process keeps descriptors for its database and for the clients it serves;
- a client's fault (a disconnect mid-upload, a malformed request) is logged in one line, and
  "out of file descriptors" in one line a second at most, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
BODY_SECONDS = 30.0
# Descriptors kept back from clients: the database, its WAL, the log, worker threads' files.
RESERVED_DESCRIPTORS = 64
MAX_CONNECTIONS = 1000

_log = logging.getLogger("dateline.web")


def connection_limit() -> int:
    """Connections served at once: at most MAX_CONNECTIONS, and fewer under a low `ulimit -n`."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft - RESERVED_DESCRIPTORS))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with time limits on reading a request, and a bound on connections."""

    limit = MAX_CONNECTIONS
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limit:
            # Over the bound: let go at once rather than hold a descriptor for a client we
            # would not serve (it may try again in a moment; idle ones are closed meanwhile).
            transport.abort()
            return
        self._arm(HEADER_SECONDS)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm(BODY_SECONDS)  # the body is coming: each piece buys it more time
        elif state is not h11.IDLE:
            self._disarm()  # the request is in: the app answers in its own time

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # The keep-alive timer covers the silence after a response; once bytes arrive it is
        # off, so headers started and never finished need a limit of their own.
        self._arm(HEADER_SECONDS + float(self.timeout_keep_alive))

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        state = self.conn.their_state
        if self.transport.is_closing() or state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.cycle is not None and not self.cycle.response_complete and state is h11.IDLE:
            return  # an answer is still being written
        self.transport.close()


class OneLineClientFaults(logging.Filter):
    """Client faults and descriptor exhaustion as one line each, the latter once a second at most."""

    CLIENT_FAULTS = ("ClientDisconnect", "RemoteProtocolError", "LocalProtocolError", "EndOfStream")

    def __init__(self) -> None:
        super().__init__()
        self._last_exhausted = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        message = record.getMessage()
        if "out of system resource" in message or (isinstance(error, OSError) and error.errno == 24):
            now = time.monotonic()
            if now - self._last_exhausted < 1.0:
                return False
            self._last_exhausted = now
            _strip(record, f"out of file descriptors (ulimit -n): {error or message}")
            return True
        if error is not None and type(error).__name__ in self.CLIENT_FAULTS:
            _strip(record, f"client fault: {type(error).__name__}: {error}".rstrip(": "))
        return True


def _strip(record: logging.LogRecord, message: str) -> None:
    record.msg, record.args, record.exc_info, record.exc_text = message, None, None, None


def install_log_filters() -> None:
    """Put the filter on the loggers uvicorn and asyncio report client faults through."""
    guard = OneLineClientFaults()
    for name in ("uvicorn.error", "asyncio", "dateline.web"):
        logging.getLogger(name).addFilter(guard)


def server_options() -> dict[str, Any]:
    """uvicorn settings that go with the guarded protocol."""
    GuardedH11Protocol.limit = connection_limit()
    return {"http": GuardedH11Protocol, "timeout_keep_alive": 5, "backlog": 128}


__all__ = [
    "GuardedH11Protocol",
    "OneLineClientFaults",
    "connection_limit",
    "install_log_filters",
    "server_options",
]
