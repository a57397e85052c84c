"""The bundled samples: every file reads cleanly, in every format, with one syndicated copy among them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest_helpers import split

from dateline.ingest import detect_format, read_sources

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_samples_read_without_errors_in_every_format() -> None:
    docs, errors = split(read_sources([SAMPLES]))
    assert errors == []
    formats = Counter(detect_format(doc.name.split("#")[0].rsplit(":", 1)[0]) for doc in docs)
    assert formats["text"] >= 5 and formats["html"] >= 3 and formats["jsonl"] >= 3 and formats["warc"] >= 2
    distinct = {" ".join(doc.text.split()) for doc in docs}
    assert len(distinct) >= 14
    assert all(150 <= len(doc.text.split()) <= 460 for doc in docs)


def test_samples_hold_one_syndicated_copy_under_another_publisher() -> None:
    docs, _ = split(read_sources([SAMPLES]))
    by_text: dict[str, list[str | None]] = {}
    for doc in docs:
        by_text.setdefault(" ".join(doc.text.split()), []).append(doc.publisher)
    copies = [publishers for publishers in by_text.values() if len(publishers) > 1]
    assert len(copies) == 1 and len(set(copies[0])) == 2


def test_web_samples_carry_their_metadata() -> None:
    docs, _ = split(read_sources([SAMPLES]))
    web = [doc for doc in docs if ".html" in doc.name or ".warc" in doc.name]
    assert len(web) == 5
    assert all(doc.title and doc.published and doc.publisher and doc.author for doc in web)
    assert all(doc.published and "2023" <= doc.published[:4] <= "2025" for doc in docs if doc.published)
