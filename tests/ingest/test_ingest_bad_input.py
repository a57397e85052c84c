"""Bad input: each kind gives one IngestError naming the input and the reason, and reading goes on."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from ingest_helpers import article_page, split, write_warc

from dateline.ingest import IngestError, IngestOptions, read_sources

GOOD = "Talks resume\n\nGENEVA (AP) - Negotiators returned to the table on Thursday.\n"


def read_with_a_good_file(tmp_path: Path, bad: Path, **kwargs: object) -> list[IngestError]:
    """Read ``bad`` followed by a good file; the good one must come through whatever ``bad`` did."""
    good = tmp_path / "zz-good.txt"
    good.write_text(GOOD, encoding="utf-8")
    docs, errors = split(read_sources([bad, good], **kwargs))  # type: ignore[arg-type]
    assert docs[-1].name == str(good) and docs[-1].text == GOOD
    return errors


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    (error,) = read_with_a_good_file(tmp_path, missing)
    assert error.name == str(missing) and "cannot read" in error.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    (error,) = read_with_a_good_file(tmp_path, locked)
    assert error.name == str(locked) and "permission denied" in error.reason.lower()


def test_dangling_link_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "removed.txt")
    (error,) = read_with_a_good_file(tmp_path, link)
    assert error.name == str(link) and "cannot read" in error.reason


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + bytes(range(256)) * 4)
    (error,) = read_with_a_good_file(tmp_path, binary)
    assert error.name == str(binary) and "binary" in error.reason


def test_pdf_is_binary_even_without_nul_bytes(tmp_path: Path) -> None:
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")
    (error,) = read_with_a_good_file(tmp_path, pdf)
    assert "PDF" in error.reason


def test_mixed_encodings(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("Déjà vu in Zürich, ".encode() + "and again in Besançon.".encode("latin-1"))
    (error,) = read_with_a_good_file(tmp_path, mixed)
    assert error.name == str(mixed)
    assert "encoding" in error.reason and "offset" in error.reason


def test_undecidable_encoding(tmp_path: Path) -> None:
    # Short Cyrillic text in cp1251 reads just as cleanly in other code pages: guessing would be a coin toss.
    ambiguous = tmp_path / "novosti.txt"
    ambiguous.write_bytes("Привет мир, как дела? Всё хорошо.".encode("cp1251"))
    (error,) = read_with_a_good_file(tmp_path, ambiguous)
    assert "not valid UTF-8" in error.reason and "encoding" in error.reason


def test_truncated_gzip(tmp_path: Path) -> None:
    packed = gzip.compress(("A long story about a port strike. " * 400).encode("utf-8"))
    truncated = tmp_path / "story.txt.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    (error,) = read_with_a_good_file(tmp_path, truncated)
    assert error.name == str(truncated)
    assert "truncated gzip" in error.reason and "bytes read" in error.reason


def test_truncated_gzip_jsonl_keeps_the_lines_before_the_break(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Story number {n} " + "words " * n}) + "\n" for n in range(400))
    packed = gzip.compress(lines.encode("utf-8"))
    truncated = tmp_path / "feed.jsonl.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    docs, errors = split(read_sources([truncated]))
    assert 0 < len(docs) < 400
    (error,) = errors
    assert error.name == str(truncated)
    assert f"after line {len(docs)}" in error.reason


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_warc_keeps_the_records_before_the_break(tmp_path: Path, compress: bool) -> None:
    whole = tmp_path / "whole.warc"
    pages = [
        (f"https://example.org/{n}", "200 OK", article_page(f"Story {n}").encode(), "text/html")
        for n in range(3)
    ]
    write_warc(whole, pages, compress=compress)
    data = whole.read_bytes()
    truncated = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    truncated.write_bytes(data[: len(data) * 5 // 6])
    docs, errors = split(read_sources([truncated]))
    assert [doc.title for doc in docs] == ["Story 0", "Story 1"]
    (error,) = errors
    assert error.name == str(truncated)
    assert "truncated or corrupt WARC" in error.reason and "2 whole records" in error.reason


def test_warc_record_that_fails_is_named_by_its_uri(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    pages = [
        ("https://example.org/blob", "200 OK", b"\x00\x01binary\x00 mislabelled as html", "text/html"),
        ("https://example.org/ok", "200 OK", article_page("Fine").encode(), "text/html"),
    ]
    write_warc(path, pages, compress=True)
    docs, errors = split(read_sources([path]))
    assert [doc.title for doc in docs] == ["Fine"]
    (error,) = errors
    assert error.name == f"{path}#https://example.org/blob"
    assert "binary" in error.reason and "offset 0" in error.reason


def test_malformed_json_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "One."}\n{"text": "Two.",, }\n{"text": "Three."}\n', encoding="utf-8")
    docs, errors = split(read_sources([feed]))
    assert [doc.text for doc in docs] == ["One.", "Three."]
    (error,) = errors
    assert error.name == f"{feed}:2" and "malformed JSON on line 2" in error.reason


def test_malformed_json_file(tmp_path: Path) -> None:
    broken = tmp_path / "batch.json"
    broken.write_text('[{"text": "One."}, {"text": ', encoding="utf-8")
    (error,) = read_with_a_good_file(tmp_path, broken)
    assert error.name == str(broken) and "malformed JSON" in error.reason


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.txt", b" \n\n\t \n"),
        ("empty.jsonl", b'{"text": "   ", "title": "Headline only"}\n'),
        ("navigation.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    ],
)
def test_empty_article(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (error,) = read_with_a_good_file(tmp_path, path)
    assert error.name.startswith(str(path))
    assert "empty" in error.reason or "no article text" in error.reason


def test_article_over_the_size_limit(tmp_path: Path) -> None:
    long_story = tmp_path / "long.txt"
    long_story.write_text("word " * 100, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "x" * 501}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8"
    )
    options = IngestOptions(max_chars=450)
    docs, errors = split(read_sources([long_story, feed], options=options))
    assert [doc.text for doc in docs] == ["short"]
    assert [error.name for error in errors] == [str(long_story), f"{feed}:1"]
    assert all("too long" in error.reason and "450" in error.reason for error in errors)


def test_one_error_per_bad_input_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a-binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "c-cut.txt.gz").write_bytes(gzip.compress(b"story " * 2000)[:40])
    (tmp_path / "d-good.txt").write_text(GOOD, encoding="utf-8")
    docs, errors = split(read_sources([tmp_path]))
    assert [doc.text for doc in docs] == [GOOD]
    assert [Path(error.name).name for error in errors] == ["a-binary.txt", "b-empty.txt", "c-cut.txt.gz"]
    assert all(error.reason and str(error).startswith(error.name + ": ") for error in errors)
