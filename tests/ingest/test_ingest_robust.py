"""What real crawls throw at ingest (issue 12): links, unreadable entries, stray NULs, deep pages."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import split

from dateline.clean import clean
from dateline.ingest import read_sources, webpage
from dateline.ingest.webpage import extract_html
from dateline.record import RawDoc

STORY = (
    "GENEVA (AP) - Negotiators from both sides met on Monday and agreed to extend the ceasefire "
    "by another month, a United Nations spokesman said."
)


def test_dangling_link_and_link_loop_are_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    docs, errors = split(read_sources([tmp_path]))
    assert [doc.text for doc in docs] == [STORY]
    reasons = {Path(error.name).name: error.reason for error in errors}
    assert set(reasons) == {"gone.txt", "self", "up"}
    assert reasons["gone.txt"].startswith("dangling link")
    assert "symbolic links" in reasons["self"] and reasons["up"].startswith("link loop")


def test_a_file_reached_twice_through_links_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    docs, errors = split(read_sources([tmp_path]))
    assert len(docs) == 1 and [Path(error.name).name for error in errors] == ["b.txt"]


def test_unreadable_file_and_directory_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "x.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "locked.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "open.txt").write_text(STORY + " More.", encoding="utf-8")
    # Simulated, as root (which CI may be) reads whatever the mode says.
    real_scandir, real_open = os.scandir, open

    def scandir(path: Any) -> Any:
        if Path(str(path)).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def opener(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(path)).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr("dateline.ingest.sources.open", opener, raising=False)
    docs, errors = split(read_sources([tmp_path]))
    assert len(docs) == 1
    assert {Path(error.name).name: error.reason for error in errors} == {
        "closed": "cannot list directory: Permission denied",
        "locked.txt": "cannot read file: Permission denied",
    }


def test_a_stray_nul_is_stripped_with_a_repair(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(STORY.replace("met on", "met\x00\x00 on").encode("utf-8"))
    (doc,), errors = split(read_sources([path]))
    assert errors == []
    record = clean(doc)
    assert "met on Monday" in record.text and "\x00" not in record.text
    (repair,) = record.repairs
    assert (repair.kind, repair.before, repair.after) == ("control_character", "\x00\x00", "")
    assert record.raw_offset(record.text.index(" on Monday")) == doc.text.index(" on Monday")


def test_a_mostly_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"Some words then \x00\x01\x02\x03 binary" * 40)
    docs, (error,) = split(read_sources([path]))
    assert docs == [] and error.reason.startswith("binary file (") and "control or NUL bytes" in error.reason


def _deep_page(depth: int, body: str) -> str:
    return (
        f"<html><head><title>Deep</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    )


def test_a_deeply_nested_page_keeps_its_text() -> None:
    doc = extract_html(_deep_page(30000, f"<p>{STORY}</p><script>var x = 1;</script>"), name="deep.html")
    assert isinstance(doc, RawDoc) and doc.text == STORY and doc.title == "Deep"


def test_a_shallow_page_without_an_article_is_still_refused() -> None:
    page = "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><div>Menu</div></body></html>"
    assert not isinstance(extract_html(page, name="menu.html"), RawDoc)


def test_a_page_that_hangs_the_extractor_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: Any, **kwargs: Any) -> None:
        time.sleep(30)

    monkeypatch.setattr(webpage.trafilatura, "bare_extraction", hang)
    monkeypatch.setattr(webpage, "EXTRACTION_SECONDS", 0.2)
    started = time.monotonic()
    doc = extract_html(f"<html><body><p>{STORY}</p></body></html>", name="slow.html")
    assert time.monotonic() - started < 5
    assert isinstance(doc, RawDoc) and doc.text == STORY
