"""The AEB pages (Zyte article-extraction-benchmark layout), shared by the extraction benchmarks.

A benchmark directory holds ``ground-truth.json`` (page id -> ``{"articleBody": ...}``) and
``html/ID.html.gz``.
"""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO / ".." / "shared" / "eval" / "extraction" / "aeb"


@dataclass(frozen=True)
class Page:
    id: str
    path: Path
    gold: str

    def html(self) -> str:
        # The benchmark's pages are stored as UTF-8, as its own scripts read them.
        return gzip.decompress(self.path.read_bytes()).decode("utf-8", errors="replace")


def load_pages(directory: Path) -> list[Page]:
    """The pages with gold bodies, in id order; exits with status 2 when the directory is not there."""
    truth_path = directory / "ground-truth.json"
    if not truth_path.is_file():
        print(f"no ground-truth.json in {directory}", file=sys.stderr)
        raise SystemExit(2)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return [
        Page(page_id, directory / "html" / f"{page_id}.html.gz", entry.get("articleBody") or "")
        for page_id, entry in sorted(truth.items())
    ]
