"""Offline language identification (py3langid's bundled model)."""

from __future__ import annotations

import py3langid

# Fewer letters than this say too little about a language to overrule what the page declared.
MIN_LETTERS = 40
# Enough text to judge; long articles add time, not certainty.
_SAMPLE_CHARS = 2000
# Below this many letters the model's first guess is often wrong for English made mostly of names
# ("Kazakhstan" reads as Xhosa, "Tokayev Meets Putin in Moscow" as Nigerian Pidgin): a short
# text with no declared language is English unless another language wins by a clear margin.
SHORT_LETTERS = 200
# log-probability margin; measured on one-line texts written for the tests: English headlines full of
# names trail the first guess by at most 7, German and French lines beat English by 14 to 70.
_CLEAR_MARGIN = 10.0


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; a short text keeps the ``declared`` language when there is one."""
    letters = sum(1 for char in text[:_SAMPLE_CHARS] if char.isalpha())
    if letters == 0:
        return _primary(declared)
    if letters < MIN_LETTERS and declared:
        return _primary(declared)
    sample = text[:_SAMPLE_CHARS]
    if letters < SHORT_LETTERS and not declared:
        scores = dict(py3langid.rank(sample))
        best = max(scores, key=lambda language: scores[language])
        return str(best) if scores[best] - scores.get("en", float("-inf")) > _CLEAR_MARGIN else "en"
    language, _score = py3langid.classify(sample)
    return str(language)


def _primary(declared: str | None) -> str | None:
    """ "en-GB" -> "en"."""
    if not declared:
        return None
    return declared.replace("_", "-").split("-")[0].strip().lower() or None
