"""Property-based: whatever bytes, encodings, cut-off files and link trees ingest is given, it
never raises, and every good record comes out exactly once (issue 12)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import article_page, split, write_warc

from dateline.ingest import IngestError, read_sources
from dateline.record import RawDoc

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
NAMES = st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.json", "e.warc", "f.gz", "g", "h.txt.gz"])
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "koi8-r", "shift_jis", "utf-8-sig"])
WORDS = st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=80)


def _all_items(paths: list[Path]) -> list[RawDoc | IngestError]:
    items = list(read_sources(paths))
    assert all(isinstance(item, RawDoc | IngestError) for item in items)
    return items


@SETTINGS
@given(files=st.lists(st.tuples(NAMES, st.binary(max_size=600)), max_size=5))
def test_random_bytes_never_raise(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for index, (name, data) in enumerate(files):
            (Path(folder) / f"{index}{name}").write_bytes(data)
        _all_items([Path(folder)])


@SETTINGS
@given(text=WORDS, encoding=ENCODINGS, cut=st.floats(0, 1))
def test_random_encodings_and_truncated_gzip_never_raise(text: str, encoding: str, cut: float) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    packed = gzip.compress(data)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "plain.txt").write_bytes(data)
        (Path(folder) / "cut.txt.gz").write_bytes(packed[: int(len(packed) * cut)])
        _all_items([Path(folder)])


@SETTINGS
@given(cut=st.floats(0, 1), compress=st.booleans())
def test_truncated_warc_never_raises_and_keeps_whole_records(cut: float, compress: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("crawl.warc.gz" if compress else "crawl.warc")
        pages = [
            (f"https://example.org/{n}", "200 OK", article_page(f"Story {n}").encode(), "text/html")
            for n in range(3)
        ]
        write_warc(path, pages, compress=compress)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * cut)])
        docs, _errors = split(_all_items([path]))
        titles = [doc.title for doc in docs]
        assert len(titles) == len(set(titles)) and set(titles) <= {"Story 0", "Story 1", "Story 2"}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WORDS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
    max_leaves=8,
)


@SETTINGS
@given(
    good=st.lists(WORDS.filter(lambda text: text.strip() != ""), min_size=1, max_size=8, unique=True),
    junk=st.lists(
        st.one_of(JSON_VALUES.map(json.dumps), st.binary(max_size=40).map(lambda b: b.decode("latin-1"))),
        max_size=6,
    ),
)
def test_random_jsonl_keeps_every_good_record_once(good: list[str], junk: list[str]) -> None:
    lines = [json.dumps({"text": text}) for text in good]
    # Junk lines go between the good ones; none of them may swallow or repeat a good record.
    mixed = [line for pair in zip(lines, [*junk, *[""] * len(lines)], strict=False) for line in pair]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(line.replace("\n", " ") for line in mixed) + "\n", encoding="utf-8")
        docs, _errors = split(_all_items([path]))
    texts = [doc.text for doc in docs]
    for text in good:
        assert texts.count(text) == 1


TREE = st.lists(
    st.tuples(
        st.sampled_from(["file", "dir", "link-up", "link-self", "link-dangling", "link-sibling"]),
        st.integers(0, 3),
    ),
    max_size=10,
)


@SETTINGS
@given(tree=TREE)
def test_random_directory_trees_with_links_read_each_file_once(tree: list[tuple[str, int]]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        directories = [folder]
        stories: list[str] = []
        for index, (kind, where) in enumerate(tree):
            parent = directories[where % len(directories)]
            path = parent / f"n{index}"
            if kind == "file":
                story = f"Story number {index} from the random tree."
                (path.with_suffix(".txt")).write_text(story, encoding="utf-8")
                stories.append(story)
            elif kind == "dir":
                path.mkdir()
                directories.append(path)
            elif kind == "link-up":
                path.symlink_to("..")
            elif kind == "link-self":
                path.symlink_to(path.name)
            elif kind == "link-dangling":
                path.symlink_to(parent / "nowhere")
            else:
                path.symlink_to(directories[-1])
        docs, errors = split(_all_items([folder]))
        assert sorted(doc.text for doc in docs) == sorted(stories)
        assert all(os.path.lexists(error.name) for error in errors)
    finally:
        shutil.rmtree(folder)
