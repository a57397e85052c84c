"""Where the tests find the repository's samples and the gold data beside it.

Tests that read the gold data in ``../shared`` skip where it is absent (a user's fresh clone), but
never under CI, where its absence is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "samples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip (a failure under CI) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, and CI must run the tests that read it")
        pytest.skip(f"{path} is not here (gold data lives beside the repository, in ../shared)")
    return path
