"""Dates: every temporal expression of an article, normalised against its publication date.

``resolve_times(document)`` fills ``document.times``; ``resolve_expression(text, anchor, tense)``
normalises one expression on its own (for tests, and for stages that meet a date elsewhere).
"""

from __future__ import annotations

from datetime import date

from dateline.timex.extract import ParsedText, find_times, resolve_in_context, resolve_times
from dateline.timex.normalize import Resolution, Tense, resolve

__all__ = [
    "ParsedText",
    "Resolution",
    "Tense",
    "find_times",
    "resolve",
    "resolve_expression",
    "resolve_in_context",
    "resolve_times",
]


def resolve_expression(text: str, anchor: date, tense: str = "past") -> tuple[str | None, str]:
    """The value and granularity of ``text`` read against ``anchor``; ``(None, "")`` if it names no time.

    ``tense`` is "past", "present" or "future": the direction an underspecified expression
    ("Friday", "in March") points from the anchor.
    """
    direction: Tense = tense if tense in ("past", "present", "future") else "past"  # type: ignore[assignment]
    found = resolve(text, anchor, direction)
    return (found.value, found.granularity) if found else (None, "")
