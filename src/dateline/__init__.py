"""dateline: news in, event data out.

    >>> import dateline
    >>> record = dateline.process("MOSCOW (AP) — ...", published="2004-02-07")
    >>> record.to_dict()["events"]

The names below load on first use, so that importing one stage does not load them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dateline.pipeline import PIPELINE_VERSION, process
    from dateline.record import Record
    from dateline.store import open_store

__version__ = "0.1.0"
__all__ = ["PIPELINE_VERSION", "Record", "__version__", "open_store", "process"]


def __getattr__(name: str) -> Any:
    if name in ("PIPELINE_VERSION", "process"):
        from dateline import pipeline

        return getattr(pipeline, name)
    if name == "Record":
        from dateline.record import Record

        return Record
    if name == "open_store":
        from dateline.store import open_store

        return open_store
    raise AttributeError(f"module 'dateline' has no attribute {name!r}")
