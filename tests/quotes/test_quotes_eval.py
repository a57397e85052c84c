"""bench/eval_quotes.py reads brat attributions, scores a PolNeAR-like folder, ends with its JSON."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]

TEXT = """Ministers meet in Geneva.

"We will sign the treaty," Foreign Minister Anna Lind said on Monday.

She said the border would reopen next week.

"The first paragraph of a long statement.

"The second paragraph ends it," the spokesman added.
"""

# Offsets into TEXT; a discontinuous content span for the quote over two paragraphs.
FIRST_ANNOTATOR = """T1\tSource 54 80\tForeign Minister Anna Lind
T2\tCue 81 85\tsaid
T3\tContent 27 53\t"We will sign the treaty,"
T4\tAttribution 81 85\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tSource 98 101\tShe
T6\tCue 102 106\tsaid
T7\tContent 107 140\tthe border would reopen next week
T8\tAttribution 102 106\tsaid
E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5
T9\tSource 218 231\tthe spokesman
T10\tCue 232 237\tadded
T11\tContent 143 184;186 217\t"The first paragraph of a long statement.
"The second paragraph ends it,"
T12\tAttribution 232 237\tadded
E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9
"""

LATER_ANNOTATOR = """T1\tContent 0 9\tMinisters
T2\tCue 10 14\tmeet
T3\tAttribution 10 14\tmeet
E1\tAttribution:T3 Content:T1 Cue:T2
"""


@pytest.fixture(scope="module")
def eval_quotes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_quotes", REPO / "bench" / "eval_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_quotes"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "wire_geneva.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "wire_geneva_a1b2.ann").write_text(FIRST_ANNOTATOR, encoding="utf-8")
    (split / "attributions" / "wire_geneva_f9e8.ann").write_text(LATER_ANNOTATOR, encoding="utf-8")
    return tmp_path


def test_reads_the_first_annotators_attributions(corpus: Path, eval_quotes: ModuleType) -> None:
    articles = eval_quotes.read_articles(corpus, "dev")
    assert [article.name for article in articles] == ["wire_geneva"]
    gold = articles[0].gold
    assert len(gold) == 3
    assert [attribution.direct for attribution in gold] == [True, False, True]
    assert gold[2].content == [(143, 184), (186, 217)]
    assert gold[0].source == "Foreign Minister Anna Lind"


def test_half_of_the_smaller_ones_words_match_one_to_one(eval_quotes: ModuleType) -> None:
    text = "one two three four five six seven eight"
    attribution = eval_quotes.Attribution

    def make(start: int, end: int) -> object:
        return attribution([(start, end)], None, False, eval_quotes.words_in(text, [(start, end)]))

    gold = [make(0, 13), make(14, 40)]
    # "three four" shares both its words with the first gold; "five six" with the second.
    predictions = [make(8, 18), make(8, 13), make(24, 32)]
    pairs = eval_quotes.match(predictions, gold)
    assert len(pairs) == 2
    assert {g for _, g in pairs} == {0, 1}


def test_scores_the_folder_and_ends_with_json(
    corpus: Path, eval_quotes: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    code = eval_quotes.main([str(corpus)])
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) == {"direct_f1", "all_f1", "exact_f1", "speaker", "textacy_direct_f1", "n"}
    assert figures["n"] == 1
    assert figures["direct_f1"] == 1.0
    assert figures["all_f1"] == 1.0
    assert figures["speaker"] == 1.0
    # An odd number of quote marks (the quote over two paragraphs) makes textacy give up.
    assert figures["textacy_direct_f1"] == 0.0
    assert code == 0
