"""Offline language identification that is sure before it calls a text foreign.

An article marked as another language is stored but never analysed, so a wrong "not English"
loses its events silently, while a wrong "English" only costs a parse. The identifier (py3langid's
bundled model) is therefore restricted to languages news is written in, and a Latin-script text
is called foreign only when it is long enough, the model is confident by a clear margin, and its
everyday words are not English words. Otherwise the text keeps the declared language, or the
collection's default (English). The decision, its confidence and its reason go into the record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

# Languages with a news press of their own that the model knows. Creoles, regional and
# historical languages (pcm, bcl, grc, la, ...) are left out: on a short English sentence full
# of names they win by accident far more often than they are the real language of a news text.
NEWS_LANGUAGES = frozenset(
    """
    af am ar az be bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl gu ha he hi hr hu hy id
    ig is it ja ka kk km kn ko ku ky lb lo lt lv mk ml mn mr ms mt my ne nl no pa pl ps pt ro ru
    rw si sk sl so sq sr sv sw ta te th tl tr uk ur uz vi yo zh
    """.split()  # noqa: SIM905 - a table of codes reads better as words
)
DEFAULT_LANGUAGE = "en"

# Fewer letters than this say too little about a language to overrule what the page declared.
MIN_LETTERS = 40
# A Latin-script text shorter than this (about two sentences) is called foreign only when the
# model is nearly certain: one sentence of names and numbers reads as half the languages of Europe.
SHORT_LETTERS = 200
# The model's probability that a Latin-script text is not in the fallback language, and the
# lead of the language it names over the fallback, needed to call the text foreign; a short
# text needs the stricter pair.
MIN_CONFIDENCE = 0.9
MIN_MARGIN = 0.5
SHORT_MIN_CONFIDENCE = 0.99
SHORT_MIN_MARGIN = 0.6
# Share of a text's lower-case words that are common English words above which it is English
# whatever the model says (when they are not also, as often, common in the model's language).
ENGLISH_WORD_SHARE = 0.6
# wordfreq's Zipf frequency of a common word (3 = once per million words).
_COMMON_ZIPF = 3.0
# Enough text to judge; long articles add time, not certainty.
_SAMPLE_CHARS = 2000
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

IDENTIFIED = "identified"
DECLARED = "declared"
SHORT = "short"
UNCERTAIN = "uncertain"
ENGLISH_WORDS = "english words"
NO_TEXT = "no text"


@dataclass(frozen=True)
class LanguageDecision:
    """The language of a text, how sure the identifier was of it (0-1), and why it was chosen.

    ``reason`` is one of ``identified`` (the model's choice, sure enough), ``declared`` (too little
    text: the source's own language), ``short`` or ``uncertain`` (the model named another language
    without being sure: the default kept), ``english words`` (the model named another language
    but the words are English), ``no text``. ``confidence`` is the model's probability for the
    language it named, whether or not that language was kept.
    """

    language: str | None
    confidence: float | None
    reason: str


@cache
def _identifier() -> Any:
    # A private instance: restricting py3langid's shared one would change it for every caller.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(NEWS_LANGUAGES)
    return identifier


def identify_language(
    text: str, declared: str | None = None, *, default: str | None = DEFAULT_LANGUAGE
) -> LanguageDecision:
    """The language of ``text``: the model's when it is sure, else ``declared``, else ``default``."""
    sample = text[:_SAMPLE_CHARS]
    letters = [char for char in sample if char.isalpha()]
    fallback = _primary(declared) or default
    if not letters:
        return LanguageDecision(_primary(declared), None, NO_TEXT)
    if len(letters) < MIN_LETTERS and declared:
        return LanguageDecision(_primary(declared), None, DECLARED)
    ranked = dict(_identifier().rank(sample))
    best = max(ranked, key=ranked.__getitem__)
    confidence = round(float(ranked[best]), 4)
    if best == fallback or not _mostly_latin(letters):
        # Other scripts narrow the choice to a few languages, which the model tells apart well.
        return LanguageDecision(best, confidence, IDENTIFIED)
    # Sure it is not the fallback language, and the named language well ahead of it; a close
    # neighbour (ms beside id, da beside no) sharing the rest does not make the call less sure.
    kept = float(ranked.get(fallback or "", 0.0))
    short = len(letters) < SHORT_LETTERS
    needed, margin = (SHORT_MIN_CONFIDENCE, SHORT_MIN_MARGIN) if short else (MIN_CONFIDENCE, MIN_MARGIN)
    if 1.0 - kept < needed or confidence - kept < margin:
        return LanguageDecision(fallback, confidence, SHORT if short else UNCERTAIN)
    if fallback == "en" and _reads_as_english(sample, best):
        return LanguageDecision("en", confidence, ENGLISH_WORDS)
    return LanguageDecision(best, confidence, IDENTIFIED)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; a short text keeps the ``declared`` language when there is one."""
    return identify_language(text, declared).language


def _mostly_latin(letters: list[str]) -> bool:
    latin = sum(1 for char in letters if char < "\u0250" or "LATIN" in unicodedata.name(char, ""))
    return latin * 2 > len(letters)


def _reads_as_english(text: str, other: str) -> bool:
    """Most lower-case words are common English words, and fewer of them common in ``other``.

    Capitalised words are left out: names (Rawalpindi, Erdogan) belong to no language.
    """
    from wordfreq import available_languages, zipf_frequency

    words = [word for word in _WORD.findall(text) if word[0].islower()]
    if not words:
        return True
    english = sum(1 for word in words if zipf_frequency(word, "en") >= _COMMON_ZIPF) / len(words)
    if english < ENGLISH_WORD_SHARE:
        return False
    if other not in available_languages():
        return True
    theirs = sum(1 for word in words if zipf_frequency(word, other) >= _COMMON_ZIPF) / len(words)
    return english > theirs


def _primary(declared: str | None) -> str | None:
    """ "en-GB" -> "en"."""
    if not declared:
        return None
    return declared.replace("_", "-").split("-")[0].strip().lower() or None
