"""The headline of a plain-text article: its first line, when that line looks like one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dateline.clean.boilerplate import text_lines

_MAX_WORDS = 25
_MAX_CHARS = 200
_MIN_WORDS = 2
# Short function words stay lower-case in a title-case headline.
_MINOR_WORDS = {
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "off", "on", "per", "to", "up", "via", "vs", "with", "from", "into", "over", "than", "amid",
    "after", "about", "out", "is", "are", "be", "was", "its",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_BYLINE = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)


@dataclass(frozen=True)
class Headline:
    start: int
    end: int
    text: str


def is_title_case(line: str) -> bool:
    """Most content words capitalised, as in "Aliyev and Putin Sign Declaration"."""
    words = [word for word in _WORD.findall(line) if word.lower() not in _MINOR_WORDS]
    if len(words) < _MIN_WORDS:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised / len(words) >= 0.75


def looks_like_headline(line: str, following: str | None) -> bool:
    """A short line starting with a capital, with no final period (unless title-cased)."""
    words = line.split()
    if not _MIN_WORDS <= len(words) <= _MAX_WORDS or len(line) > _MAX_CHARS:
        return False
    if following is None or _BYLINE.match(line):
        return False
    first = next((char for char in line if char.isalnum()), "")
    if not (first.isupper() or first.isdigit()):
        return False
    if line[-1] in ",;:–—-":
        return False
    if line.endswith(".") and not line.endswith("...") and not is_title_case(line):
        return False
    # A line that runs into the next one without a break is the start of a paragraph.
    return not (line[-1].isalnum() and following[:1].islower())


def find_headline(text: str, known_title: str | None = None) -> Headline | None:
    """The headline line of ``text``.

    With a title known from the page's metadata, the first line is the headline only when it
    says the same thing; otherwise it is judged by its looks.
    """
    lines = text_lines(text)
    if len(lines) < 2:
        return None
    first, following = lines[0], lines[1]
    if known_title is not None:
        return Headline(first.start, first.end, first.text) if _same(first.text, known_title) else None
    if looks_like_headline(first.text, following.text):
        return Headline(first.start, first.end, first.text)
    return None


def _same(line: str, title: str) -> bool:
    return _comparable(line) == _comparable(title)


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()
