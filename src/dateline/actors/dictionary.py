"""User actor and agent dictionaries in the PETRARCH / Phoenix format.

An actor file is a series of records::

    ILHAM_ALIYEV_  # comment
    +ILHAM_HEYDAR_OGLU_ALIYEV        synonyms, one a line, starting with "+"
        [AZEELI 780101-030804]       date-limited codes, indented
        [AZEGOV >031031]
        [AZEELI]                     the default when no restriction holds

A code may also follow the name on its own line (``UN_ [IGOUNO]``). Restrictions are inclusive:
``<date`` before, ``>date`` after, ``date-date`` between; dates are YYMMDD (years up to 30 are
20YY, as in KEDS, TABARI and PETRARCH) or YYYYMMDD. An agent file maps common nouns to sector
codes (``POLICE [~COP]``), with substitution sets (``!PERSON! = MAN, MEN, ...``), irregular
plurals in braces (``{CHAMBERS_OF_COMMERCE}``; ``{}`` for none) and regular plurals generated.

Words are compared upper-cased, without accents, with ``_``, blanks and hyphens as separators,
so ``SECRETARY-GENERAL_KOFI_ANNAN`` matches "Secretary-General Kofi Annan".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[\s_\-–—]+")
_CODE_BLOCK = re.compile(r"\[([^\]]*)\]")
_SUBSTITUTION = re.compile(r"!([A-Z]+)!")
_TWO_DIGIT_YEAR_PIVOT = 30
# A stem matches words at most this many letters longer (MINIST -> MINISTRIES), if it has at
# least _MIN_STEM letters: shorter stems would match unrelated words.
_STEM_SLACK = 4
_MIN_STEM = 5


@dataclass(frozen=True)
class DatedCode:
    """A code valid from ``start`` to ``end`` inclusive; a missing bound is open."""

    code: str
    start: date | None = None
    end: date | None = None

    @property
    def restricted(self) -> bool:
        return self.start is not None or self.end is not None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class ActorEntry:
    """One actor record: its primary name, its synonyms and its (date-limited) codes."""

    name: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[DatedCode] = field(default_factory=list)

    def code_on(self, day: date | None) -> str | None:
        """The code in force on ``day``: the first restriction that holds, else the default.

        Without a date, the restriction that reaches furthest towards the present is taken (an
        open end counts as the present), so an undated article gets a leader's latest office
        rather than the catch-all default.
        """
        restricted = [code for code in self.codes if code.restricted]
        default = next((code.code for code in self.codes if not code.restricted), None)
        if day is not None:
            return next((code.code for code in restricted if code.holds_on(day)), default)
        if not restricted:
            return default
        latest = max(restricted, key=lambda code: code.end or date.max)
        return latest.code


def normalise_words(text: str) -> tuple[str, ...]:
    """The comparison form of a phrase: upper-cased words without accents or separators."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(word for word in _SEPARATORS.split(plain.upper()) if word)


def _plural(word: str) -> str:
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    if word.endswith(("S", "X", "CH", "SH")):
        return word + "ES"
    return word + "S"


def _parse_day(text: str) -> date | None:
    """A PETRARCH date: YYYYMMDD, or YYMMDD with years up to 30 read as 20YY."""
    digits = text.strip()
    if not digits.isdigit():
        return None
    try:
        if len(digits) == 8:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        if len(digits) == 6:
            year = int(digits[:2])
            year += 2000 if year <= _TWO_DIGIT_YEAR_PIVOT else 1900
            return date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None
    return None


def parse_code(block: str) -> DatedCode | None:
    """One bracketed code: ``AZEGOV``, ``AZEGOV 030804-031104``, ``AZEGOV >031031``, ``<...``."""
    parts = block.split()
    if not parts:
        return None
    code = parts[0].lstrip("~").upper()
    if len(parts) == 1:
        return DatedCode(code)
    restriction = parts[1]
    if restriction.startswith(">"):
        start = _parse_day(restriction[1:])
        return DatedCode(code, start=start) if start else None
    if restriction.startswith("<"):
        end = _parse_day(restriction[1:])
        return DatedCode(code, end=end) if end else None
    first, _, last = restriction.partition("-")
    start, end = _parse_day(first), _parse_day(last) if last else None
    if start is None or (last and end is None):
        return None
    return DatedCode(code, start=start, end=end)


class _Trie:
    """Word sequences to values; the longest match at a position wins.

    A sequence may end in a stem (TABARI's ``DEFENSE_MINIST``): its last word then matches any
    text word that starts with it and runs at most ``_STEM_SLACK`` letters longer.
    """

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.stems: dict[str, int] = {}
        self.value: int | None = None

    def insert(self, words: Sequence[str], value: int, stem: bool = False) -> None:
        node = self
        for word in words[:-1] if stem else words:
            node = node.children.setdefault(word, _Trie())
        if stem:
            node.stems.setdefault(words[-1], value)
        elif node.value is None:
            node.value = value

    def longest(self, words: Sequence[str], start: int) -> tuple[int, int] | None:
        """(number of words, value) of the longest entry starting at ``words[start]``."""
        node, best = self, None
        for index in range(start, len(words)):
            word = words[index]
            if node.stems:
                stemmed = _stem_value(node.stems, word)
                if stemmed is not None and (best is None or best[0] <= index - start):
                    best = (index - start + 1, stemmed)
            child = node.children.get(word)
            if child is None:
                break
            node = child
            if node.value is not None:
                best = (index - start + 1, node.value)
        return best


def _stem_value(stems: dict[str, int], word: str) -> int | None:
    for length in range(len(word), max(_MIN_STEM - 1, len(word) - _STEM_SLACK - 1), -1):
        value = stems.get(word[:length])
        if value is not None:
            return value
    return None


@dataclass
class ActorDictionary:
    """Actors (names with dated codes) and agents (nouns with sector codes), ready for lookups."""

    entries: list[ActorEntry] = field(default_factory=list)
    agent_codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: int = 0
    _actors: _Trie = field(default_factory=_Trie, repr=False)
    _agents: _Trie = field(default_factory=_Trie, repr=False)
    # What the actor stage derives from these dictionaries once (its cached lookups).
    cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.entries)

    def __getstate__(self) -> dict[str, object]:
        # The cache holds per-process lookups (functools caches): a copy starts without them.
        state = dict(self.__dict__)
        state["cache"] = {}
        return state

    @property
    def agent_count(self) -> int:
        return len(self.agent_codes)

    def add_actor(self, entry: ActorEntry) -> None:
        index = len(self.entries)
        self.entries.append(entry)
        for name in (entry.name, *entry.synonyms):
            words = normalise_words(name)
            if words:
                self._actors.insert(words, index)

    def add_agent(self, phrase: str, code: str, stem: bool = False) -> None:
        """Add an agent phrase; with ``stem``, its last word also matches longer words."""
        words = normalise_words(phrase)
        if not words:
            return
        index = len(self.agent_codes)
        self.agent_codes.append(code)
        self._agents.insert(words, index)
        if stem and len(words[-1]) >= _MIN_STEM:
            self._agents.insert(words, index, stem=True)

    def entry(self, phrase: str) -> ActorEntry | None:
        """The actor whose name or synonym is exactly ``phrase``."""
        words = normalise_words(phrase)
        found = self._actors.longest(words, 0)
        return self.entries[found[1]] if found and found[0] == len(words) else None

    def actor(self, phrase: str, on: date | None = None) -> str | None:
        """The code of the actor named exactly ``phrase`` on the day ``on``."""
        entry = self.entry(phrase)
        return entry.code_on(on) if entry else None

    def agent(self, phrase: str) -> str | None:
        """The sector code (without ``~``) of the agent noun phrase ``phrase``, exactly."""
        words = normalise_words(phrase)
        found = self._agents.longest(words, 0)
        return self.agent_codes[found[1]] if found and found[0] == len(words) else None

    def match_actor(self, words: Sequence[str], start: int) -> tuple[int, ActorEntry] | None:
        """The longest actor name starting at ``words[start]`` (normalised words)."""
        found = self._actors.longest(words, start)
        return (found[0], self.entries[found[1]]) if found else None

    def match_agent(self, words: Sequence[str], start: int) -> tuple[int, str] | None:
        """The longest agent phrase starting at ``words[start]`` (normalised words)."""
        found = self._agents.longest(words, start)
        return (found[0], self.agent_codes[found[1]]) if found else None


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _read_actor_file(lines: Iterable[str], dictionary: ActorDictionary) -> None:
    current: ActorEntry | None = None

    def close() -> None:
        if current is not None:
            dictionary.add_actor(current)

    for raw_line in lines:
        if raw_line.lstrip().startswith(("#", "<!")):
            continue
        line = _strip_comment(raw_line)
        if not line.strip():
            continue
        codes = [parse_code(block) for block in _CODE_BLOCK.findall(line)]
        phrase = _CODE_BLOCK.sub(" ", line).strip()
        if current is not None and line[0] in " \t" and not phrase:
            valid = [code for code in codes if code is not None]
            dictionary.skipped += len(codes) - len(valid)
            current.codes.extend(valid)
        elif current is not None and phrase.startswith("+"):
            current.synonyms.append(phrase[1:].strip())
        elif phrase:
            close()
            current = ActorEntry(name=phrase)
            valid = [code for code in codes if code is not None]
            dictionary.skipped += len(codes) - len(valid)
            current.codes.extend(valid)
    close()


def _read_agent_file(lines: Iterable[str], dictionary: ActorDictionary) -> None:
    substitutions: dict[str, list[str]] = {}
    for raw_line in lines:
        if raw_line.lstrip().startswith(("#", "<!")):
            continue
        line = _strip_comment(raw_line).strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            name, _, values = line.partition("=")
            substitutions[name.strip().strip("!")] = [value.strip() for value in values.split(",")]
            continue
        codes = _CODE_BLOCK.findall(line)
        if not codes:
            continue
        code = codes[0].strip().lstrip("~").upper()
        text = _CODE_BLOCK.sub(" ", line)
        plurals: list[str] | None = None
        if "{" in text:
            inside = text[text.index("{") + 1 : text.index("}")] if "}" in text else ""
            plurals = inside.split()
            text = text[: text.index("{")]
        for phrase in _expand(text.strip(), substitutions):
            # TABARI's convention: a final "_" stops the word; without it the word is a stem.
            dictionary.add_agent(phrase, code, stem=not phrase.endswith("_"))
            words = normalise_words(phrase)
            if plurals is None and words:
                dictionary.add_agent(" ".join((*words[:-1], _plural(words[-1]))), code)
        for plural in plurals or []:
            for phrase in _expand(plural, substitutions):
                dictionary.add_agent(phrase, code)


def _expand(pattern: str, substitutions: dict[str, list[str]]) -> list[str]:
    """Every phrase a pattern with ``!SET!`` placeholders stands for."""
    found = _SUBSTITUTION.search(pattern)
    if found is None:
        return [pattern]
    values = substitutions.get(found.group(1))
    if not values:
        return [pattern.replace(found.group(0), "")]
    expanded: list[str] = []
    for value in values:
        expanded.extend(_expand(pattern[: found.start()] + value + pattern[found.end() :], substitutions))
    return expanded


def _is_agent_file(lines: Sequence[str]) -> bool:
    """Agent files code with ``[~XXX]``; actor files never do."""
    for line in lines:
        stripped = _strip_comment(line)
        if "[" in stripped:
            return "[~" in stripped.replace(" ", "")
    return False


def load_actor_dictionaries(paths: Iterable[str | Path]) -> ActorDictionary:
    """Read PETRARCH/Phoenix actor and agent files into one dictionary.

    The kind of each file is told from its codes (agents are written ``[~COP]``). Malformed date
    restrictions are skipped and counted in ``skipped``; a missing file raises ``FileNotFoundError``
    naming it.
    """
    dictionary = ActorDictionary()
    for path in paths:
        file = Path(path)
        if not file.is_file():
            raise FileNotFoundError(f"actor dictionary not found: {file}")
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        if _is_agent_file(lines):
            _read_agent_file(lines, dictionary)
        else:
            _read_actor_file(lines, dictionary)
        dictionary.sources.append(str(file))
        log.debug("read %s: %d actors, %d agents so far", file, len(dictionary), dictionary.agent_count)
    return dictionary
