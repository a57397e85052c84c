"""What went wrong with a database file, said in one line, with an exit status of its own.

DuckDB reports a full disk, a read-only medium, a foreign file or a damaged block as exceptions
whose class says little (most are ``IOException``) and whose first line is often a follow-up
error (a ROLLBACK after a failed COMMIT). :func:`classify` reads the cause from the whole chain;
:func:`check_before_writing` refuses a file that must not be opened for writing (DuckDB rewrites
the header and metadata of a file it opens for writing, even a damaged one).
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import duckdb


class Fault(Enum):
    """A cause, with its exit status (documented in the README, "Faults and exit statuses")."""

    MISSING = (2, "no such directory")
    HELD_BY_SERVER = (3, "held by a dateline server")
    HELD = (4, "held by another process")
    NOT_A_DATABASE = (5, "not a dateline database")
    DAMAGED = (6, "damaged")
    DISK_FULL = (7, "disk full")
    READ_ONLY = (8, "read-only")
    PERMISSION = (9, "permission denied")
    SERVER_FAILED = (10, "the server holding it failed")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


# Not causes of a database fault, but statuses every command shares.
USAGE_STATUS = 2
INTERNAL_STATUS = 70
INTERRUPTED_STATUS = 130


@dataclass
class DatabaseFault(Exception):
    """A database file that cannot be used, with the cause, for a one-line message."""

    fault: Fault
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.fault.label}: {self.reason}"

    @property
    def status(self) -> int:
        return self.fault.status


# Text of the cause, as DuckDB and the OS put it, to the fault it names (first match wins).
_PATTERNS: tuple[tuple[re.Pattern[str], Fault], ...] = (
    (re.compile(r"no space left on device|file too large|disk quota exceeded", re.I),
     Fault.DISK_FULL),
    (re.compile(r"read-only file system|operation not permitted", re.I), Fault.READ_ONLY),
    (re.compile(r"permission denied", re.I), Fault.PERMISSION),
    (re.compile(r"not a valid duckdb database file|not a dateline database", re.I), Fault.NOT_A_DATABASE),
    (re.compile(r"could not read enough bytes|checksum|corrupt|invalid block|failed to read block|"
                r"serialization error|deserializ", re.I), Fault.DAMAGED),
    (re.compile(r"conflicting lock|could not set lock", re.I), Fault.HELD),
)  # fmt: skip
_ERRNO = {
    errno.ENOSPC: Fault.DISK_FULL,
    errno.EFBIG: Fault.DISK_FULL,
    errno.EDQUOT: Fault.DISK_FULL,
    errno.EROFS: Fault.READ_ONLY,
    errno.EPERM: Fault.READ_ONLY,
    errno.EACCES: Fault.PERMISSION,
}
# DuckDB's messages quote the file; the first line of the message is the one worth showing.
_QUOTED_FILE = re.compile(r'"(/[^"]+)"')


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _reason(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else text
    # "IO Error: ...", "TransactionContext Error: Failed to commit: ..." read as the cause alone.
    return re.sub(r"^(\w+ )*Error: (Failed to commit: )?", "", line)


def classify(error: BaseException, path: str | Path) -> DatabaseFault | None:
    """The database fault behind an error (anywhere in its chain), or None if it is not one."""
    for link in _chain(error):
        if isinstance(link, DatabaseFault):
            return link
    for link in _chain(error):
        if isinstance(link, OSError) and link.errno in _ERRNO:
            return DatabaseFault(_ERRNO[link.errno], str(path), link.strerror or str(link))
        if isinstance(link, (duckdb.Error, OSError)):
            text = str(link)
            for pattern, fault in _PATTERNS:
                if pattern.search(text):
                    return DatabaseFault(fault, str(path), _reason(text))
    return None


def writable_fault(path: str | Path) -> DatabaseFault | None:
    """Why the file (or, for a new file, its directory) may not be written, asked without writing;
    None when it may."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    target = path if path.exists() else directory
    if not directory.is_dir():
        return DatabaseFault(Fault.MISSING, str(path), f"{directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        return _access_fault(directory, "its directory cannot be written", path)
    if target is path:
        try:
            # Opened for writing and closed at once: nothing is written, but the OS answers as
            # it would for DuckDB (immutable files, read-only media, modes root ignores).
            with path.open("r+b"):
                pass
        except OSError as error:
            fault = _ERRNO.get(error.errno or 0, Fault.PERMISSION)
            return DatabaseFault(fault, str(path), f"cannot be opened for writing ({error.strerror})")
    return None


def _access_fault(directory: Path, what: str, path: Path) -> DatabaseFault:
    # os.access does not say why; a read-only mount and an immutable directory say so on a write.
    try:
        statvfs = os.statvfs(directory)
        if statvfs.f_flag & os.ST_RDONLY:
            return DatabaseFault(Fault.READ_ONLY, str(path), f"{what} (read-only file system)")
    except OSError:
        pass
    if os.geteuid() == 0:
        return DatabaseFault(Fault.READ_ONLY, str(path), f"{what} (immutable or read-only)")
    return DatabaseFault(Fault.PERMISSION, str(path), f"{what} (permission denied)")


def check_database_file(path: str | Path) -> None:
    """Raise :class:`DatabaseFault` unless an existing file reads as a DuckDB database.

    Opened read-only, so that a damaged or foreign file is never rewritten. A file held by another
    process cannot be opened even to read: that is for the caller to find out.
    """
    target = Path(path)
    try:
        with target.open("rb") as handle:
            header = handle.read(16)
    except OSError as error:
        raise classify(error, target) or DatabaseFault(Fault.PERMISSION, str(target), str(error)) from None
    if len(header) < 12 or header[8:12] != b"DUCK":
        reason = "empty file" if not header else "no DuckDB header"
        raise DatabaseFault(Fault.NOT_A_DATABASE, str(target), reason)
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            tables = {
                row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
            if tables and "articles" not in tables:
                raise DatabaseFault(
                    Fault.NOT_A_DATABASE, str(target), "a DuckDB file without dateline's tables"
                )
            if tables:
                # Reads every block of the id column, which every writer reads anyway.
                con.execute("SELECT sum(length(id)) FROM articles").fetchall()
            _check_length(con, target)
    except duckdb.Error as error:
        fault = classify(error, target)
        if fault is None:
            raise
        if fault.fault is not Fault.HELD:
            raise fault from None


# A DuckDB file opens with its header blocks, then holds its blocks of data.
_HEADER_BYTES = 3 * 4096


def _check_length(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A file shorter than the blocks its header counts was cut short (a copy, a full disk)."""
    row = con.execute("SELECT block_size, total_blocks FROM pragma_database_size()").fetchone()
    if row is None:
        return
    expected = _HEADER_BYTES + int(row[0]) * int(row[1])
    actual = path.stat().st_size
    if actual < expected:
        raise DatabaseFault(
            Fault.DAMAGED, str(path), f"truncated: {actual:,} bytes where its blocks need {expected:,}"
        )


def check_before_writing(path: str | Path) -> None:
    """Raise :class:`DatabaseFault` if ``path`` must not be opened for writing: a foreign or
    damaged file, a read-only file or directory, or one the user may not write."""
    target = Path(path)
    if target.exists():
        if target.is_dir():
            raise DatabaseFault(Fault.NOT_A_DATABASE, str(target), "a directory, not a file")
        check_database_file(target)
    fault = writable_fault(target)
    if fault is not None:
        raise fault


def fault_of_message(message: str, path: str | Path) -> DatabaseFault:
    """A fault from a message alone (a server's answer), read as :func:`classify` reads errors."""
    for pattern, fault in _PATTERNS:
        if pattern.search(message):
            return DatabaseFault(fault, str(path), _reason(message))
    return DatabaseFault(Fault.SERVER_FAILED, str(path), message)


def quoted_file(message: str) -> str | None:
    """The file a DuckDB message names, if it names one."""
    found = _QUOTED_FILE.search(message)
    return found.group(1) if found else None


__all__ = [
    "INTERNAL_STATUS",
    "INTERRUPTED_STATUS",
    "USAGE_STATUS",
    "DatabaseFault",
    "Fault",
    "check_before_writing",
    "check_database_file",
    "classify",
    "fault_of_message",
    "quoted_file",
    "writable_fault",
]
