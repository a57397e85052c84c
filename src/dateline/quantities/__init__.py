"""Quantities: which numbers an article gives, of what, when, and how hedged.

``extract_quantities(document)`` fills ``document.record.quantities``; it runs after the dates
stage, whose ``document.times`` tell years and dates (not amounts) from durations (amounts of time).
"""

from __future__ import annotations

from dateline.quantities.extract import extract_quantities

__all__ = ["extract_quantities"]
