"""The coder's rules as data: event patterns, frames and refinements (package data under data/).

``verb_patterns.tsv`` says which words (with a particle or an object) code which CAMEO event,
``cameo_frames.tsv`` how intent, refusal, threat, demand and appeal recode the event under them,
and ``cameo_refinements.tsv`` which modifiers make a code finer ("military cooperation" -> 062).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DEFAULT_TARGET_SLOTS = ("dobj", "with", "to", "against", "on")
# The code of a pattern that marks a use of an event word as no event ("fight the epidemic").
NO_EVENT = "-"


@dataclass(frozen=True)
class Pattern:
    rule: str
    kind: str
    lemmas: frozenset[str]
    particle: str | None
    objects: frozenset[str]
    cameo: str | None
    frame: str | None
    target_slots: tuple[str, ...]
    target_required: bool
    description: str

    @property
    def is_event(self) -> bool:
        return self.cameo != NO_EVENT

    @property
    def specificity(self) -> float:
        """Object and particle given > object > particle > lemma alone."""
        return 1.0 + (0.9 if self.particle else 0.0) + (1.0 if self.objects else 0.0)


@dataclass(frozen=True)
class Refinement:
    code: str
    words: frozenset[str]
    refined: str


class PatternBook:
    """All patterns, indexed by lemma, with the frame and refinement tables."""

    def __init__(
        self, patterns: list[Pattern], frames: dict[str, dict[str, str]], refinements: list[Refinement]
    ):
        self.patterns = patterns
        self.frames = frames
        self.refinements = refinements
        self._by_lemma: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            for lemma in pattern.lemmas:
                self._by_lemma.setdefault(lemma, []).append(pattern)
        self._by_rule = {pattern.rule: pattern for pattern in patterns}

    def for_lemma(self, lemma: str) -> list[Pattern]:
        return self._by_lemma.get(lemma, [])

    def rule(self, rule: str) -> Pattern | None:
        return self._by_rule.get(rule)

    def apply_frame(self, frame: str, code: str) -> str:
        """The code a frame gives the act ``code`` under it: the longest listed prefix wins."""
        table = self.frames.get(frame, {})
        for length in range(len(code), 1, -1):
            result = table.get(code[:length])
            if result is not None:
                return code if result == "=" else result
        result = table.get("*", "=")
        return code if result == "=" else result

    def refine(self, code: str, words: set[str]) -> str:
        for refinement in self.refinements:
            if refinement.code == code and refinement.words & words:
                return refinement.refined
        return code


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("dateline").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(lines, delimiter="\t")
    ]


def _alternatives(value: str) -> frozenset[str]:
    return frozenset(word.strip().lower() for word in value.split("|") if word.strip())


def _pattern(row: dict[str, str]) -> Pattern:
    slots = row["target"]
    required = slots.startswith("!")
    slot_names = tuple(slot.strip() for slot in slots.lstrip("!").split(",") if slot.strip())
    return Pattern(
        rule=row["rule"],
        kind=row["kind"],
        lemmas=_alternatives(row["lemma"]),
        particle=row["particle"].lower() or None,
        objects=_alternatives(row["object"]),
        cameo=row["cameo"] or None,
        frame=row["frame"] or None,
        target_slots=slot_names or DEFAULT_TARGET_SLOTS,
        target_required=required,
        description=row["description"],
    )


@lru_cache(maxsize=1)
def load_patterns() -> PatternBook:
    patterns = [_pattern(row) for row in _rows("verb_patterns.tsv")]
    frames: dict[str, dict[str, str]] = {}
    for row in _rows("cameo_frames.tsv"):
        frames.setdefault(row["frame"], {})[row["act"]] = row["result"]
    refinements = [
        Refinement(row["code"], _alternatives(row["words"]), row["refined"])
        for row in _rows("cameo_refinements.tsv")
    ]
    return PatternBook(patterns, frames, refinements)
