"""The chain up to the events, for tests that code sentences written for them."""

from __future__ import annotations

from dateline.events import extract_events
from dateline.pipeline import document_before_events
from dateline.record import Record


def coded(text: str) -> Record:
    """The record of ``text`` (taken as it is) with its events coded."""
    document = document_before_events(text)
    extract_events(document)
    return document.record
