"""The CAMEO event codebook with each code's QuadClass, Goldstein score and PLOVER type.

The table is package data (``data/cameo.tsv``) written for the project: one row a code, roots
("01".."20") included. PLOVER is the successor ontology; every CAMEO code maps onto one PLOVER
event type (and sometimes a mode), except the statement and appeal roots 01 and 02, which PLOVER
leaves out.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# PLOVER types as the PLV training data and the learned model read them: CONCEDE and RETREAT are one.
MERGED_TYPES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
# Event names of PLOVER's drafts that gold records still use, with the type they became.
DRAFT_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}

QUAD_CLASS_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float
    plover_type: str | None
    plover_mode: str | None

    @property
    def is_root(self) -> bool:
        return len(self.code) == 2


class Ontology:
    """Look-ups over the CAMEO table; unknown codes raise ``KeyError`` naming the code."""

    def __init__(self, codes: list[CameoCode]) -> None:
        self._by_code = {item.code: item for item in codes}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def codes(self) -> list[CameoCode]:
        return list(self._by_code.values())

    def code(self, code: str) -> CameoCode:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown CAMEO code {code!r}") from None

    def parent(self, code: str) -> str | None:
        """The next coarser code: 0312 -> 031 -> 03; a root has none."""
        if len(code) == 4:
            return code[:3]
        if len(code) == 3:
            return code[:2]
        return None

    def plover_type(self, code: str) -> str | None:
        return self.code(code).plover_type


def _optional(value: str) -> str | None:
    value = value.strip()
    return value or None


def _read_table() -> list[CameoCode]:
    text = resources.files("dateline").joinpath("data", "cameo.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return [
        CameoCode(
            code=row["code"],
            name=row["name"],
            root=row["root"],
            quad_class=int(row["quad_class"]),
            goldstein=float(row["goldstein"]),
            plover_type=_optional(row["plover_type"]),
            plover_mode=_optional(row["plover_mode"]),
        )
        for row in rows
    ]


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    return Ontology(_read_table())
