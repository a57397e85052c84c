"""The team's own training corpus (training/data/*_own.jsonl) passes training/check_corpus.py, covers
every CAMEO 3-digit code it must, shares no run of words with the evaluation sets, and the checker
rejects the faults it is there to catch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shared_data import REPO, shared_path

CHECKER = REPO / "training" / "check_corpus.py"
DATA = REPO / "training" / "data"
POSITIVES = DATA / "events_own.jsonl"
# Every own-words file the repository holds: the positives, and the negatives once they are written.
OWN_FILES = sorted(DATA.glob("*_own.jsonl"))
# Eight words in a row shared with another text is copying, not coincidence.
SHINGLE = 8


def run_checker(*paths: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, str(CHECKER), *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


def last_json(stdout: str) -> dict[str, object]:
    result = json.loads(stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def corpus_texts() -> list[str]:
    return [json.loads(line)["text"] for path in OWN_FILES for line in path.open(encoding="utf-8")]


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_each_own_file_passes_the_checker(path: Path) -> None:
    code, stdout, stderr = run_checker(path)
    assert code == 0, stderr
    assert last_json(stdout)["errors"] == 0


def test_all_own_files_together_have_unique_ids_and_texts() -> None:
    code, stdout, stderr = run_checker(*OWN_FILES)
    assert code == 0, stderr
    assert last_json(stdout)["valid"] == len(corpus_texts())


def test_the_positives_cover_every_code_in_every_register() -> None:
    code, stdout, stderr = run_checker(POSITIVES)
    assert code == 0, stderr
    counts = last_json(stdout)
    assert counts["codes_below_minimum"] == []
    assert counts["negatives"] == 0
    assert isinstance(counts["positives"], int) and counts["positives"] >= 700
    per_register = counts["per_register"]
    assert isinstance(per_register, dict)
    # Each news style is there in earnest, not as a token line or two.
    assert set(per_register) == {"wire", "headline", "reported", "passive", "nominal", "quote", "two-clause"}
    assert min(per_register.values()) >= 50
    per_type = counts["per_type"]
    assert isinstance(per_type, dict)
    assert len(per_type) == 16


def test_no_run_of_words_from_the_codebook_style_examples() -> None:
    examples = [json.loads(line)["text"] for line in (REPO / "bench" / "cameo_examples.jsonl").open()]
    theirs = set().union(*map(shingles, examples))
    copied = [text for text in corpus_texts() if shingles(text) & theirs]
    assert copied == []


@pytest.mark.parametrize("name", ["plv-train.jsonl", "plover-gsr-dev.jsonl"])
def test_no_run_of_words_from_the_shared_sentence_sets(name: str) -> None:
    path = shared_path("eval", "events", name)
    theirs: set[tuple[str, ...]] = set()
    for line in path.open(encoding="utf-8"):
        theirs |= shingles(json.loads(line)["text"])
    copied = [text for text in corpus_texts() if shingles(text) & theirs]
    assert copied == []


def test_no_run_of_words_from_the_whole_articles() -> None:
    folder = shared_path("eval", "events", "articles-dev", "articles")
    theirs: set[tuple[str, ...]] = set()
    for path in sorted(folder.glob("*.json")):
        theirs |= shingles(json.loads(path.read_text(encoding="utf-8"))["text"])
    assert theirs
    copied = [text for text in corpus_texts() if shingles(text) & theirs]
    assert copied == []


def test_the_checker_names_each_fault_and_fails(tmp_path: Path) -> None:
    good = {
        "id": "t-1",
        "text": "Police in Lagos arrested twelve protesters on Monday.",
        "cameo": "173",
        "type": "COERCE",
        "trigger": "arrested",
        "source": "Police in Lagos",
        "target": "twelve protesters",
        "register": "wire",
        "negated": False,
    }
    # A negative needs no spans or register; the trap words it has must be in its text.
    negative = {"id": "t-0", "text": "His run was arrested by a save.", "type": "NONE", "cameo": None}
    negative |= {"kind": "sports", "trap": "arrested"}
    # Source and target left empty, so that each bad line has exactly one fault.
    plain = {**good, "source": "", "target": ""}
    bad = [
        {**plain, "id": "t-2", "text": "Police in Accra arrested a mayor.", "trigger": "detained"},
        {**plain, "id": "t-3", "text": "Police in Accra arrested a judge.", "cameo": "999"},
        {**plain, "id": "t-4", "text": "Troops in Accra arrested a chief.", "cameo": "194"},
        {**plain, "id": "t-5", "text": "Police in Accra arrested nobody.", "cameo": "010", "type": ""},
        {**plain, "id": "t-6", "text": "Police in Accra arrested him.", "register": "tweet"},
        {**plain, "id": "t-7", "text": "Nobody was arrested.", "type": "NONE"},
        {**plain, "text": "Police in Kumasi arrested two men."},
        {**good, "id": "t-8"},
        {key: value for key, value in good.items() if key != "target"} | {"id": "t-9"},
        {**negative, "id": "t-10", "text": "The goalkeeper saved it.", "trap": "struck"},
    ]
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(good), json.dumps(negative), *map(json.dumps, bad), "{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, stderr = run_checker(path)
    assert code == 1
    reasons = stderr.splitlines()
    expected = [
        ":3: trigger 'detained' is not in the text",
        ":4: cameo '999' is not a code",
        ":5: type COERCE does not match ASSAULT",
        ":6: cameo 010 has no PLOVER type",
        ":7: register 'tweet'",
        ":8: a negative (type NONE) has cameo '173'",
        ":9: id t-1 already used",
        ":10: same text as",
        ":11: missing field(s) target",
        ":12: trap 'struck' is not in the text",
        ":13: not JSON",
    ]
    for fragment in expected:
        assert any(fragment in reason for reason in reasons), (fragment, reasons)
    assert len(reasons) == len(expected)
    counts = last_json(stdout)
    assert counts["valid"] == 2 and counts["negatives"] == 1 and counts["errors"] == len(expected)


def test_the_checker_says_what_is_wrong_with_a_missing_file(tmp_path: Path) -> None:
    code, stdout, stderr = run_checker(tmp_path / "absent.jsonl")
    assert last_json(stdout)["errors"] == 1
    assert code == 1
    assert "absent.jsonl: cannot be read" in stderr
    assert "Traceback" not in stderr
