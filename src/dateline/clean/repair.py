"""Repair text damage, before ftfy: first decide from the whole document that it is damaged.

Two kinds of damage are known from the wild:

* ``dash_for_comma``: a converter turned every ", " into an en or em dash (``Friday–meeting``).
  One dash between words proves nothing — writers use dashes — but a body of some length with
  no ordinary commas at all and several unspaced ``word–word`` dashes is damaged. Commas right
  before a closing quote mark survive that damage, so they do not count as ordinary.
* ``apostrophe_s_for_ts``: ``documents`` came out as ``documen’s``. A word qualifies only when
  its stem is rare and stem + "ts" is a common word, so real possessives stay.

Before all that, :func:`control_edits` takes out stray control bytes (NUL and the like) that
scrapers leave in text; ingest refuses a file with more than a few, as that is binary data.

Then :func:`mojibake_edits` runs ftfy with typography kept (curly quotes stay curly), and
:func:`nfc_edits` normalises to NFC; neither straightens or restyles anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
from wordfreq import zipf_frequency

from dateline.clean.text_edit import Edit

DASH_FOR_COMMA = "dash_for_comma"
APOSTROPHE_S_FOR_TS = "apostrophe_s_for_ts"
MOJIBAKE = "mojibake"
CONTROL_CHARACTER = "control_character"

# C0 controls but tab, line feed, vertical tab, form feed and carriage return; and DEL.
_CONTROL_RUN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")

# A dash glued between two word characters; the words around it are read separately.
_GLUED_DASH = re.compile(r"(?<=\w)[–—](?=\w)")
_WORD_BEFORE = re.compile(r"\w+$")
_WORD_AFTER = re.compile(r"^\w+")
_WORD = re.compile(r"\w+")
_COMMA = re.compile(r",")
_CLOSING_QUOTES = "\"”’'»"
_APOSTROPHE_S = re.compile(r"(?<![\w’'])([^\W\d_]+)([’'])s(?![\w’'])")


@dataclass(frozen=True)
class DashEvidence:
    """What the dash-for-comma decision was based on, for reports and tests."""

    words: int
    ordinary_commas: int
    glued_dashes: int
    candidates: int
    damaged: bool


@dataclass(frozen=True)
class RepairSettings:
    # The body must be long enough for an absence of commas to mean something.
    min_words: int = 60
    min_candidates: int = 3
    # "Almost no commas": at most one ordinary comma per this many words ...
    words_per_comma: int = 100
    # ... and at most one per this many candidate dashes.
    candidates_per_comma: int = 4
    # The stem of a "’s" word must be rarer than this (Zipf scale) ...
    max_stem_zipf: float = 2.0
    # ... and stem + "ts" at least this common.
    min_repaired_zipf: float = 3.0
    min_stem_length: int = 3


DEFAULT_SETTINGS = RepairSettings()


def damage_edits(text: str, settings: RepairSettings = DEFAULT_SETTINGS) -> list[Edit]:
    """All damage repairs for a body text, as edits in its coordinates (sorted, disjoint)."""
    edits = dash_for_comma_edits(text, settings) + apostrophe_edits(text, settings)
    return sorted(edits, key=lambda edit: edit.start)


def dash_evidence(text: str, settings: RepairSettings = DEFAULT_SETTINGS) -> DashEvidence:
    words = len(_WORD.findall(text))
    ordinary_commas = sum(1 for match in _COMMA.finditer(text) if _is_ordinary_comma(text, match.start()))
    glued = list(_GLUED_DASH.finditer(text))
    candidates = sum(1 for match in glued if _is_comma_candidate(text, match.start()))
    damaged = (
        words >= settings.min_words
        and candidates >= settings.min_candidates
        and ordinary_commas * settings.words_per_comma <= words
        and ordinary_commas * settings.candidates_per_comma <= candidates
    )
    return DashEvidence(words, ordinary_commas, len(glued), candidates, damaged)


def dash_for_comma_edits(text: str, settings: RepairSettings = DEFAULT_SETTINGS) -> list[Edit]:
    if not dash_evidence(text, settings).damaged:
        return []
    return [
        Edit(match.start(), match.end(), ", ", DASH_FOR_COMMA)
        for match in _GLUED_DASH.finditer(text)
        if _is_comma_candidate(text, match.start())
    ]


def _is_ordinary_comma(text: str, index: int) -> bool:
    following = text[index + 1 : index + 2]
    if following and following in _CLOSING_QUOTES:
        return False
    # A thousands separator ("2,700") is not punctuation between clauses.
    preceding = text[index - 1 : index]
    return not (preceding.isdigit() and following.isdigit())


def _is_comma_candidate(text: str, index: int) -> bool:
    """A glued dash that could stand for ", ": not a range, not a compound of two names."""
    left_match = _WORD_BEFORE.search(text, max(index - 40, 0), index)
    right_match = _WORD_AFTER.search(text[index + 1 : index + 40])
    if left_match is None or right_match is None:
        return False
    left, right = left_match.group(), right_match.group()
    if right[0].isdigit() or right[0] == "_" or left[-1] == "_":
        return False
    if left[-1].isdigit() and not right[0].islower():
        return False
    # "Russia–Azerbaijan" joins two names; a clause after a comma rarely starts that way.
    return not (left[0].isupper() and right[0].isupper())


def apostrophe_edits(text: str, settings: RepairSettings = DEFAULT_SETTINGS) -> list[Edit]:
    edits: list[Edit] = []
    for match in _APOSTROPHE_S.finditer(text):
        stem = match.group(1)
        if _stands_for_ts(stem, settings):
            start = match.start(2)
            edits.append(Edit(start, match.end(), "ts", APOSTROPHE_S_FOR_TS))
    return edits


def _stands_for_ts(stem: str, settings: RepairSettings) -> bool:
    # Capitalised stems are names ("Shor’s", "Putin’s"); damage inside names cannot be told apart.
    if len(stem) < settings.min_stem_length or stem != stem.lower():
        return False
    return (
        _zipf(stem) < settings.max_stem_zipf
        and _zipf(stem + "ts") >= settings.min_repaired_zipf
        and _zipf(stem + "ts") - _zipf(stem) >= 1.0
    )


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return float(zipf_frequency(word, "en"))


# Keep typography as published: quotes, ligatures, full-width forms and line breaks stay.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def control_edits(text: str) -> list[Edit]:
    """Each run of control characters deleted, as a repair: no text means anything by them."""
    return [Edit(match.start(), match.end(), "", CONTROL_CHARACTER) for match in _CONTROL_RUN.finditer(text)]


def mojibake_edits(text: str) -> list[Edit]:
    """ftfy's encoding fixes, line by line, as the smallest edits that turn each line into its fix."""
    if ftfy.fix_text(text, FTFY_CONFIG) == text:
        return []
    edits: list[Edit] = []
    for start, line in _lines(text):
        fixed = ftfy.fix_text(line, FTFY_CONFIG)
        if fixed != line:
            edits.extend(_difference_edits(line, fixed, start, MOJIBAKE))
    return edits


def nfc_edits(text: str) -> list[Edit]:
    """NFC normalisation as edits; not damage, so no repair kind."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits: list[Edit] = []
    for start, line in _lines(text):
        normalised = unicodedata.normalize("NFC", line)
        if normalised != line:
            edits.extend(_difference_edits(line, normalised, start, None))
    return edits


def _lines(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        found.append((position, line))
        position += len(line)
    return found


def _difference_edits(before: str, after: str, offset: int, repair: str | None) -> list[Edit]:
    """The differing runs, with runs split by fewer than three equal characters joined into one."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    runs: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if runs and i1 - runs[-1][1] < 3 and j1 - runs[-1][3] < 3:
            runs[-1][1], runs[-1][3] = i2, j2
        else:
            runs.append([i1, i2, j1, j2])
    return [Edit(offset + i1, offset + i2, after[j1:j2], repair) for i1, i2, j1, j2 in runs]
