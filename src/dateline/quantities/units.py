"""The unit tables (package data): unit words, currency signs, the words that count people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class UnitWord:
    alias: str
    unit: str
    factor: float
    kind: str  # measure, percent, duration, currency


@dataclass(frozen=True)
class UnitTables:
    words: dict[str, UnitWord]  # by alias, lower case for words of four letters or more
    symbols: dict[str, str]  # currency sign or code before an amount -> ISO 4217 code
    people_nouns: frozenset[str]
    people_verbs: frozenset[str]
    word_pattern: re.Pattern[str]
    symbol_pattern: str


def _rows(name: str) -> list[list[str]]:
    text = files("dateline").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def _folded(alias: str) -> bool:
    """Long lower-case words match in any case; short symbols ("MW", "ha", "kt") only as written."""
    return len(alias) >= 4 and alias.lower() == alias


@lru_cache(maxsize=1)
def unit_tables() -> UnitTables:
    words: dict[str, UnitWord] = {}
    for alias, unit, factor, kind in _rows("quantity_units.tsv"):
        words[alias.lower() if _folded(alias) else alias] = UnitWord(alias, unit, float(factor), kind)
    symbols = {symbol: code for symbol, code in _rows("currency_symbols.tsv")}
    people = _rows("quantity_people.tsv")
    by_length = sorted(words.values(), key=lambda word: -len(word.alias))
    alternatives = [
        (f"(?i:{re.escape(word.alias)})" if _folded(word.alias) else re.escape(word.alias)).replace(
            r"\ ", r"\s+"
        )
        for word in by_length
    ]
    word_pattern = re.compile(r"(?:" + "|".join(alternatives) + r")(?![\w²³])")
    symbol_pattern = "|".join(re.escape(symbol) for symbol in sorted(symbols, key=len, reverse=True))
    return UnitTables(
        words=words,
        symbols=symbols,
        people_nouns=frozenset(word.lower() for word, kind in people if kind == "noun"),
        people_verbs=frozenset(word for word, kind in people if kind == "verb"),
        word_pattern=word_pattern,
        symbol_pattern=symbol_pattern,
    )


def unit_word(text: str) -> UnitWord | None:
    """The table entry for a unit word as found in text (any spacing, long words in any case)."""
    tables = unit_tables()
    spaced = re.sub(r"\s+", " ", text)
    folded = tables.words.get(spaced.lower())
    return tables.words.get(spaced) or (folded if folded and _folded(folded.alias) else None)
