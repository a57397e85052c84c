"""The CAMEO table written for the project against the public CAMEO and PLOVER tables."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from dateline.events.ontology import load_ontology
from shared_data import shared_path


def _shared_file(name: str) -> Path:
    return shared_path("eval", "events", name)


def _words(name: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", name.lower()) if len(word) > 3}


def test_every_root_and_code_is_consistent() -> None:
    ontology = load_ontology()
    assert 300 <= len(ontology) <= 320
    for item in ontology.codes():
        assert item.root == item.code[:2]
        assert item.root in ontology
        assert 1 <= int(item.root) <= 20
        assert -10 <= item.goldstein <= 10
        root = int(item.root)
        expected_quad = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert item.quad_class == expected_quad, item.code
        parent = ontology.parent(item.code)
        assert parent is None or parent in ontology, item.code


def test_codes_names_goldstein_and_roots_match_the_cameo_table() -> None:
    ontology = load_ontology()
    with _shared_file("cameo-codes.tsv").open(encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle, delimiter="\t"))
    reference_codes = {row["code"] for row in reference}
    ours = {item.code for item in ontology.codes()}
    assert sorted(reference_codes - ours) == []
    assert sorted(ours - reference_codes) == []
    problems = []
    for row in reference:
        item = ontology.code(row["code"])
        if abs(item.goldstein - float(row["goldstein"])) > 1e-6:
            problems.append(f"{item.code} goldstein {item.goldstein} != {row['goldstein']}")
        if item.root != row["root_code"].zfill(2):
            problems.append(f"{item.code} root {item.root} != {row['root_code']}")
        if not _words(item.name) & _words(row["name"]) and _words(row["name"]):
            problems.append(f"{item.code} name {item.name!r} vs {row['name']!r}")
    assert not problems, "\n".join(problems)


def _plover_reference() -> dict[str, tuple[str, str]]:
    mapping: dict[str, tuple[str, str]] = {}
    for line in _shared_file("CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?", line)
        if match and len(match.group(1)) > 2:
            mapping[match.group(1)] = (match.group(2), (match.group(3) or "").strip())
    return mapping


def test_plover_types_and_modes_match_the_plover_conversion_table() -> None:
    ontology = load_ontology()
    reference = _plover_reference()
    assert len(reference) > 200
    problems = []
    for code, (plover_type, mode) in reference.items():
        if code not in ontology:
            continue  # the PLOVER table lists a few codes (1214) that CAMEO itself never defined
        item = ontology.code(code)
        if item.plover_type != plover_type:
            problems.append(f"{code} type {item.plover_type} != {plover_type}")
        if mode and item.plover_mode != mode:
            problems.append(f"{code} mode {item.plover_mode} != {mode}")
    for item in ontology.codes():
        if item.root in {"01", "02"}:
            assert item.plover_type is None, item.code
    assert not problems, "\n".join(problems)
