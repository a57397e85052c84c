"""dateline: news in, event data out.

    >>> import dateline
    >>> record = dateline.process("MOSCOW (AP) — ...", published="2004-02-07")
    >>> record.to_dict()["events"]
"""

from dateline.pipeline import PIPELINE_VERSION, process
from dateline.record import Record
from dateline.store import open_store

__version__ = "0.1.0"
__all__ = ["PIPELINE_VERSION", "Record", "__version__", "open_store", "process"]
