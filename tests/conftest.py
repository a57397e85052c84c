"""Fixtures shared by the whole suite (helpers to import are in shared_data.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared_data import shared_path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "moscow-declaration.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected() -> dict[str, Any]:
    return json.loads(shared_path("seed", "moscow-declaration.expected.json").read_text(encoding="utf-8"))
