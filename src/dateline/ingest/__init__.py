"""Ingest: files, directories, stdin, in text, HTML, JSON(L) and WARC, gzipped or not, to RawDocs.

``read_sources`` yields one :class:`~dateline.record.RawDoc` per article and one
:class:`IngestError` per input it could not read, as it goes; clean takes it from there.
"""

from dateline.ingest.detect import FORMATS, detect_format
from dateline.ingest.options import IngestError, IngestOptions
from dateline.ingest.sources import read_sources
from dateline.ingest.webpage import extract_html

__all__ = ["FORMATS", "IngestError", "IngestOptions", "detect_format", "extract_html", "read_sources"]
