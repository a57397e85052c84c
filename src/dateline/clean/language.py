"""Offline language identification (py3langid's bundled model)."""

from __future__ import annotations

import py3langid

# Fewer letters than this say too little about a language to overrule what the page declared.
MIN_LETTERS = 40
# Enough text to judge; long articles add time, not certainty.
_SAMPLE_CHARS = 2000


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; a short text keeps the ``declared`` language when there is one."""
    letters = sum(1 for char in text[:_SAMPLE_CHARS] if char.isalpha())
    if letters == 0:
        return _primary(declared)
    if letters < MIN_LETTERS and declared:
        return _primary(declared)
    language, _score = py3langid.classify(text[:_SAMPLE_CHARS])
    return str(language)


def _primary(declared: str | None) -> str | None:
    """ "en-GB" -> "en"."""
    if not declared:
        return None
    return declared.replace("_", "-").split("-")[0].strip().lower() or None
