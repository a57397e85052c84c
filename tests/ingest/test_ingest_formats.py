"""Each input format ingest reads, compressed or not, from files, directories and stdin."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from ingest_helpers import PARAGRAPHS, article_page, split, write_warc

from dateline.ingest import IngestOptions, detect_format, read_sources

STORY = (
    "Ports reopen after strike\n\nVALPARAISO (Reuters) - Dock workers ended a four-day strike on Monday.\n"
)


def test_plain_text_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    docs, errors = split(read_sources([path]))
    assert errors == []
    assert [(doc.name, doc.text) for doc in docs] == [(str(path), STORY)]
    assert docs[0].title is None


def test_text_in_a_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    text = "Le ministre a déclaré que l'accord était « un pas décisif » pour la région, selon l'agence."
    path = tmp_path / "depeche.txt"
    path.write_bytes(text.encode("cp1252"))
    docs, errors = split(read_sources([path]))
    assert errors == []
    assert docs[0].text == text


def test_html_gives_the_article_body_and_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_page("Chile and Peru agree on fishing talks"), encoding="utf-8")
    docs, errors = split(read_sources([path]))
    assert errors == []
    doc = docs[0]
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    for furniture in ("Markets close higher", "Subscribe to our newsletter", "All rights reserved"):
        assert furniture not in doc.text
    assert doc.title == "Chile and Peru agree on fishing talks"
    assert doc.published == "2024-05-14"
    assert doc.publisher == "Coastal Times"
    assert doc.author == "Ana Torres"


def test_jsonl_gives_one_article_a_line_named_by_line_number(tmp_path: Path) -> None:
    lines = [
        {"text": "First story.", "title": "One", "url": "https://example.org/1", "published": "2024-02-03"},
        {"text": "Second story.", "title": "Two", "source": "Wire Service", "date": "2024-02-04T10:00:00Z"},
        {"html": article_page("Three"), "publisher": "Coastal Times"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    docs, errors = split(read_sources([path]))
    assert errors == []
    assert [doc.name for doc in docs] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    first, second, third = docs
    assert (first.text, first.title, first.url, first.published) == (
        "First story.",
        "One",
        "https://example.org/1",
        "2024-02-03",
    )
    assert (second.publisher, second.published) == ("Wire Service", "2024-02-04T10:00:00+00:00")
    assert PARAGRAPHS[1] in third.text and third.title == "Three"


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "batch.json"
    array.write_text(json.dumps([{"text": "Alpha story."}, {"text": "Beta story."}]), encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "Gamma story.", "title": "Gamma"}, indent=2), encoding="utf-8")
    docs, errors = split(read_sources([array, single]))
    assert errors == []
    assert [(doc.name, doc.text) for doc in docs] == [
        (f"{array}[0]", "Alpha story."),
        (f"{array}[1]", "Beta story."),
        (str(single), "Gamma story."),
    ]


@pytest.mark.parametrize("compress", [False, True])
def test_warc_reads_html_responses_only(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    write_warc(
        path,
        [
            (
                "https://example.org/fishing",
                "200 OK",
                article_page("Fishing talks").encode(),
                "text/html; charset=utf-8",
            ),
            ("https://example.org/logo.png", "200 OK", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
            ("https://example.org/gone", "404 Not Found", article_page("Gone").encode(), "text/html"),
            (
                "https://example.org/ports",
                "200 OK",
                article_page("Ports").encode("cp1252"),
                "text/html; charset=windows-1252",
            ),
        ],
        compress=compress,
    )
    docs, errors = split(read_sources([path]))
    assert errors == []
    assert [doc.name for doc in docs] == [
        f"{path}#https://example.org/fishing",
        f"{path}#https://example.org/ports",
    ]
    assert [doc.url for doc in docs] == ["https://example.org/fishing", "https://example.org/ports"]
    assert [doc.title for doc in docs] == ["Fishing talks", "Ports"]
    assert all(PARAGRAPHS[0] in doc.text for doc in docs)


@pytest.mark.parametrize("name", ["story.txt.gz", "story.gz"])
def test_gzipped_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(STORY.encode("utf-8")))
    docs, errors = split(read_sources([path]))
    assert errors == [] and docs[0].text == STORY


@pytest.mark.parametrize("name", ["page.html.gz", "page.gz"])
def test_gzipped_html_by_name_or_by_content(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(article_page("Fishing talks").encode("utf-8")))
    assert detect_format(path) == "html"
    docs, errors = split(read_sources([path]))
    assert errors == [] and docs[0].title == "Fishing talks"


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "One."}\n{"text": "Two."}\n'))
    docs, errors = split(read_sources([path]))
    assert errors == [] and [doc.name for doc in docs] == [f"{path}:1", f"{path}:2"]


def test_detect_format_by_name_then_by_content(tmp_path: Path) -> None:
    samples = {
        "a.txt": b"<html>named text wins</html>",
        "b.htm": b"plain words",
        "c.ndjson": b"",
        "d.WARC": b"",
        "e.dat": b"WARC/1.0\r\nWARC-Type: warcinfo\r\n",
        "f.dat": b'{"text": "x"}\n{"text": "y"}\n',
        "g.dat": b'[{"text": "x"}]',
        "h.dat": b'{\n  "text": "x"\n}\n',
        "i.dat": b"  <!DOCTYPE html><html><body><p>x</p></body></html>",
        "j.dat": b"Headline\n\nLONDON (Reuters) - Body.",
    }
    for name, content in samples.items():
        (tmp_path / name).write_bytes(content)
    found = {name: detect_format(tmp_path / name) for name in samples}
    assert found == {
        "a.txt": "text",
        "b.htm": "html",
        "c.ndjson": "jsonl",
        "d.WARC": "warc",
        "e.dat": "warc",
        "f.dat": "jsonl",
        "g.dat": "json",
        "h.dat": "json",
        "i.dat": "html",
        "j.dat": "text",
    }


def test_format_given_by_the_caller_wins(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(article_page("Fishing talks"), encoding="utf-8")
    (as_text,) = read_sources([path], fmt="text")
    (as_html,) = read_sources([path], fmt="html")
    assert "<nav>" in as_text.text  # type: ignore[union-attr]
    assert "<nav>" not in as_html.text and as_html.title == "Fishing talks"  # type: ignore[union-attr]


def test_directories_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b" / "deep" / "z.txt").write_text("Deep story.", encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text("B story.", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"text": "Line story."}\n', encoding="utf-8")
    (tmp_path / "c").write_text("No-suffix story.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".cache" / "x.txt").write_text("Cached.", encoding="utf-8")
    (tmp_path / "make.py").write_text("print('not news')", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not news", encoding="utf-8")
    docs, errors = split(read_sources([tmp_path]))
    assert errors == []
    assert [doc.text for doc in docs] == ["Line story.", "B story.", "Deep story.", "No-suffix story."]


def test_linked_directories_are_followed_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "story.txt").write_text("Linked story.", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / "b").symlink_to(tmp_path / "a")
    docs, errors = split(read_sources([tmp_path]))
    assert [doc.text for doc in docs] == ["Linked story."]
    # Each link not followed is reported by name, with why (issue 12): the loop and the repeat.
    assert [
        (Path(error.name).relative_to(tmp_path).as_posix(), error.reason.split(":")[0]) for error in errors
    ] == [
        ("a/loop", "link loop"),
        ("b", "link to a directory already read (" + str(tmp_path / "a") + ")"),
    ]


def test_directory_is_streamed_not_read_up_front(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "2.txt").write_text("Second.", encoding="utf-8")
    items = read_sources([tmp_path])
    first = next(items)
    (tmp_path / "2.txt").write_text("Second, rewritten after the first was read.", encoding="utf-8")
    second = next(items)
    assert first.text == "First."  # type: ignore[union-attr]
    assert second.text == "Second, rewritten after the first was read."  # type: ignore[union-attr]


def test_stdin_with_a_byte_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.TextIOWrapper(io.BytesIO(gzip.compress(b'{"text": "From a pipe."}\n{"text": "Again."}\n')))
    monkeypatch.setattr(sys, "stdin", piped)
    docs, errors = split(read_sources(["-"]))
    assert errors == []
    assert [(doc.name, doc.text) for doc in docs] == [("<stdin>:1", "From a pipe."), ("<stdin>:2", "Again.")]


def test_stdin_with_a_warc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [("https://example.org/a", "200 OK", article_page("Piped").encode(), "text/html")],
        compress=True,
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    docs, errors = split(read_sources(["-"]))
    assert errors == [] and [(doc.name, doc.title) for doc in docs] == [
        ("<stdin>#https://example.org/a", "Piped")
    ]


def test_stdin_as_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(STORY))
    docs, errors = split(read_sources(["-"]))
    assert errors == [] and docs[0].text == STORY and docs[0].name == "<stdin>"


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    record = {
        "body": "Story text.",
        "headline": "A headline",
        "link": "https://example.org/x",
        "meta": {"when": "March 5, 2024", "outlet": "Daily Wire"},
        "text": "not this one",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    options = IngestOptions(
        fields={
            "text": "content|body",
            "title": "headline",
            "url": "link",
            "published": "meta.when",
            "publisher": "meta.outlet",
        }
    )
    (doc,) = read_sources([path], options=options)
    assert (doc.text, doc.title, doc.url, doc.published, doc.publisher) == (  # type: ignore[union-attr]
        "Story text.",
        "A headline",
        "https://example.org/x",
        "2024-03-05",
        "Daily Wire",
    )


def test_caller_defaults_fill_what_the_source_lacks(tmp_path: Path) -> None:
    text_file = tmp_path / "story.txt"
    text_file.write_text(STORY, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(article_page("Fishing talks"), encoding="utf-8")
    options = IngestOptions(published="2023-11-02", publisher="Wire Service")
    from_text, from_page = read_sources([text_file, page], options=options)
    assert (from_text.published, from_text.publisher) == ("2023-11-02", "Wire Service")  # type: ignore[union-attr]
    assert (from_page.published, from_page.publisher) == ("2024-05-14", "Coastal Times")  # type: ignore[union-attr]


def test_usage_errors_are_raised_before_reading() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        read_sources(["x"], fmt="pdf")
    with pytest.raises(ValueError, match="not a date"):
        read_sources(["x"], options=IngestOptions(published="next Tuesday"))
    with pytest.raises(ValueError, match="unknown field"):
        IngestOptions(fields={"body": "text"})
